import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, ruleIdOf, waitFor } from './helpers';
import { langUri, openModel, posOf, rangeOf, waitForRule, writeModel } from './modelHelpers';
import { generateModel } from '../../scripts/genModel';
import { LENS_WINDOW_LINES } from '../../src/shared/lensWindow';
import { analyze } from '../../src/core/analyze';
import { outline } from '../../src/core/lang/outline';
import { clip } from '../../src/core/text/clip';

const SHOP = 'shop.threatmodel.yaml';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap(h => h.contents).map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
}

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const insertOf = (i: vscode.CompletionItem) => (typeof i.insertText === 'string' ? i.insertText : i.insertText?.value ?? labelOf(i));

async function complete(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  return list.items;
}

describe('language features', () => {
  afterEach(closeAllEditors);

  describe('hover', () => {
    it('summarises an element where it is referenced: type, boundary and trust, data, threats by level', async () => {
      const doc = await openModel(SHOP);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 'to: api', 1, 5));
      const text = hoverText(hovers);
      assert.match(text, /\*\*Payment API\*\* `api` · process/);
      assert.match(text, /Boundary: DMZ \(partial\)/);
      assert.match(text, /card-data/);
      assert.match(text, /\*\*high\*\*: `token-replay`/);
      const md = hovers.flatMap(h => h.contents).find(c => typeof c !== 'string') as vscode.MarkdownString;
      assert.ok(!md.isTrusted, 'hover Markdown is not trusted');
      assert.ok(!md.supportHtml, 'no HTML in hovers');
    });

    it('summarises a threat (level, residual, CVSS, mitigations, STRIDE) and explains its finding\'s rule', async () => {
      const doc = await openModel(SHOP);
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 'token-replay:', 1, 3)));
      assert.match(text, /Risk: \*\*high\*\* \(likely × major\) · residual: partially mitigated/);
      assert.match(text, /CVSS 3\.1: \*\*8\.1\*\* high/);
      assert.match(text, /Mitigations: 1\/2 implemented/);
      assert.match(text, /Spoofing \(S\): pretending to be someone/);
      assert.match(text, /Unmitigated threat above risk tolerance/);
    });

    it('shows a mitigation\'s status, evidence and the threats it covers', async () => {
      const doc = await openModel(SHOP);
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 'short-tokens,', 1, 2)));
      assert.match(text, /Status: \*\*implemented\*\*/);
      assert.match(text, /example\\\.com/);
      assert.match(text, /`token-replay` Stolen token replayed \(high\)/);
    });
  });

  describe('completion', () => {
    const MODEL = `rampart: 1
title: Completion
elements:
  browser: { type: external, name: Browser }
  api: { type: process, name: API }
flows:
  checkout: { from: browser, to: api }
threats:
  replay:
    title: Replay
    targets: [api, ]
    likelihood: 
    status: open
`;

    it('offers element and flow ids where a threat target is expected', async () => {
      const doc = await writeModel('complete-ids.threatmodel.yaml', MODEL);
      const items = await complete(doc, posOf(doc, 'targets: [api, ', 1, 15));
      const ids = items.filter(i => i.kind === vscode.CompletionItemKind.Class || i.kind === vscode.CompletionItemKind.Event).map(labelOf);
      assert.deepStrictEqual(ids, ['browser', 'checkout'], 'api is already listed');
      assert.match(items.find(i => labelOf(i) === 'browser')!.detail ?? '', /element · external · Browser/);
    });

    it('offers enum values with their meaning', async () => {
      const doc = await writeModel('complete-enum.threatmodel.yaml', MODEL);
      const items = await complete(doc, posOf(doc, 'likelihood: ', 1, 12));
      assert.deepStrictEqual(items.filter(i => i.kind === vscode.CompletionItemKind.EnumMember).map(labelOf), ['rare', 'unlikely', 'possible', 'likely', 'almost-certain']);
    });

    it('offers the keys still missing in an entry, and a snippet for a new threat', async () => {
      const doc = await writeModel('complete-keys.threatmodel.yaml', MODEL + '    \n');
      const keys = (await complete(doc, doc.positionAt(doc.getText().length - 1))).map(labelOf);
      assert.ok(keys.includes('impact') && keys.includes('mitigations') && keys.includes('stride'), keys.join(', '));
      assert.ok(!keys.includes('title') && !keys.includes('targets'), 'keys already present are not offered');

      const doc2 = await writeModel('complete-snippet.threatmodel.yaml', MODEL + '  \n');
      const items = await complete(doc2, doc2.positionAt(doc2.getText().length - 1));
      const snippet = items.find(i => labelOf(i) === 'New threat');
      assert.ok(snippet, `a New threat snippet among ${items.map(labelOf).join(', ')}`);
      assert.ok(snippet.insertText instanceof vscode.SnippetString || typeof snippet.insertText === 'object');
      assert.match(insertOf(snippet), /targets: \[\$\{4\|browser,api,checkout\|\}\]/);
    });
  });

  describe('navigation', () => {
    it('goes to the definition of a referenced id', async () => {
      const doc = await openModel(SHOP);
      const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, posOf(doc, 'to: api', 1, 5));
      assert.strictEqual(locs.length, 1);
      const l = locs[0];
      const range = 'targetRange' in l ? l.targetRange : l.range;
      assert.ok(range.isEqual(rangeOf(doc, 'api:   #')) || range.isEqual(new vscode.Range(posOf(doc, 'api:   #'), posOf(doc, 'api:   #', 1, 3))), `at the key api (got line ${range.start.line})`);
    });

    it('finds every reference of an id, with its definition', async () => {
      const doc = await openModel(SHOP);
      const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, posOf(doc, 'api:   #', 1, 1));
      const lines = refs.map(r => r.range.start.line).sort((a, b) => a - b);
      assert.deepStrictEqual(lines, [posOf(doc, 'api:   #').line, posOf(doc, 'to: api').line, posOf(doc, 'targets: [api').line]);
      for (const r of refs) assert.strictEqual(doc.getText(r.range), 'api');
    });

    it('renames an id everywhere, keeping comments, and refuses ids that are not kebab-case', async () => {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(langUri(SHOP)));
      const doc = await writeModel('rename.threatmodel.yaml', text);
      await waitForRule(doc.uri, 'risk/unmitigated-above-tolerance');
      const prep = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>('vscode.prepareRename', doc.uri, posOf(doc, 'to: api', 1, 5));
      assert.strictEqual(prep.placeholder, 'api');
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, posOf(doc, 'to: api', 1, 5), 'Payment API')),
        /kebab-case/,
      );
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, posOf(doc, 'to: api', 1, 5), 'payment-api');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const after = doc.getText();
      assert.match(after, /\n {2}payment-api: {3}# the public API\n/);
      assert.match(after, /to: payment-api,/);
      assert.match(after, /targets: \[payment-api, checkout\]/);
      assert.ok(!/(?<![-\w])api(?![-\w])/.test(after), 'no reference to api is left');
      await waitFor('no dangling reference', () => !vscode.languages.getDiagnostics(doc.uri).some(d => ruleIdOf(d) === 'schema/dangling-reference') && doc.getText() === after);
    });
  });

  describe('outline and CodeLens', () => {
    it('lists sections and their ids as document symbols', async () => {
      const doc = await openModel(SHOP);
      // (the first test of a run may ask before the language client has registered its provider)
      const symbols = await waitFor('the outline', async () => {
        const got = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
        return got?.length ? got : undefined;
      }, 60000);
      const names = symbols.map(s => s.name);
      assert.deepStrictEqual(names, ['rampart', 'title', 'policy', 'assets', 'boundaries', 'elements', 'flows', 'threats', 'mitigations']);
      const elements = symbols.find(s => s.name === 'elements')!;
      assert.deepStrictEqual(elements.children.map(c => [c.name, c.detail]), [['browser', 'Customer browser'], ['api', 'Payment API']]);
      assert.ok(elements.children[1].selectionRange.isEqual(rangeOf(doc, 'api:   #').with({ end: posOf(doc, 'api:   #', 1, 3) })));
    });

    it('shows the risk over each threat and the open threats over each element', async () => {
      const doc = await openModel(SHOP);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
      const byLine = new Map(lenses.map(l => [l.range.start.line, l.command?.title]));
      assert.strictEqual(byLine.get(posOf(doc, 'token-replay:').line), 'high · partially mitigated · 1/2 mitigations implemented · above medium tolerance');
      assert.strictEqual(byLine.get(posOf(doc, 'api:   #').line), '1 open threat (1 high)');
      assert.strictEqual(byLine.get(posOf(doc, 'browser: {').line), 'no threats yet');
      assert.strictEqual(byLine.get(posOf(doc, 'checkout: {').line), '1 open threat (1 high)');
    });
  });

  describe('CodeLens and outline of a very large model', () => {
    it('comes for the lines around what the editor shows, and for the new lines after scrolling', async function () {
      this.timeout(180000);
      const text = generateModel(600);
      const lineCount = text.split('\n').length;
      assert.ok(lineCount > LENS_WINDOW_LINES, `the model has ${lineCount} lines`);
      const doc = await writeModel('lens-window.threatmodel.yaml', text);
      const editor = vscode.window.activeTextEditor!;
      const lensLines = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)).map(l => l.range.start.line);
      const lastThreat = doc.positionAt(text.lastIndexOf('\n  t-') + 1).line;
      const top = await waitFor('the lenses at the top', async () => { const ls = await lensLines(); return ls.length > 0 ? ls : undefined; }, 120000);
      assert.ok(Math.max(...top) < lastThreat - 1000, `lenses near the top only (up to line ${Math.max(...top)} of ${lineCount})`);
      assert.ok(!top.includes(lastThreat), 'none yet over the last threat');
      // scroll to the end: the last threat gets its lens
      editor.revealRange(new vscode.Range(lastThreat, 0, lastThreat, 0), vscode.TextEditorRevealType.InCenter);
      const bottom = await waitFor('the lens over the last threat', async () => { const ls = await lensLines(); return ls.includes(lastThreat) ? ls : undefined; }, 60000);
      assert.ok(Math.min(...bottom) > 1000, 'the lenses of the top are gone, so the editor converts only those near the view');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('has its whole outline, converted in slices: every section and entry in order, at its lines, with its detail', async function () {
      this.timeout(180000);
      const text = generateModel(600);
      const doc = await writeModel('outline-slices.threatmodel.yaml', text);
      assert.ok(doc.lineCount > LENS_WINDOW_LINES, 'large enough for the sliced conversion');
      const expected = outline(analyze(text));
      const symbols = await waitFor('the outline', async () => {
        const got = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
        return got?.length ? got : undefined;
      }, 120000);
      const shape = (list: readonly { name: string; children: readonly unknown[] }[]): unknown[] =>
        list.map(s => [s.name, shape(s.children as typeof list)]);
      assert.deepStrictEqual(shape(symbols), shape(expected), 'the same tree as the core\'s outline');
      const threats = symbols.find(s => s.name === 'threats')!;
      const last = threats.children[threats.children.length - 1]!;
      const lastId = last.name;
      assert.strictEqual(last.selectionRange.start.line, doc.positionAt(text.lastIndexOf(`\n  ${lastId}:`) + 1).line, 'the last threat at its line');
      assert.strictEqual(last.kind, vscode.SymbolKind.Object, 'a threat is shown as an object');
      const want = expected.find(s => s.name === 'threats')!.children.at(-1)!;
      assert.ok(want.detail.length > 0, 'a generated threat has a title');
      assert.strictEqual(last.detail, clip(want.detail, 100), 'with its title beside it, as the server sends it');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });

  describe('commands', () => {
    it('New Threat Model writes the commented starter model and opens it', async () => {
      const folder = langUri('');
      const uri = await vscode.commands.executeCommand<vscode.Uri>('rampart.newThreatModel', folder, 'started.threatmodel.yaml');
      assert.ok(uri, 'the command returns the new file');
      assert.strictEqual(uri.path, langUri('started.threatmodel.yaml').path);
      const doc = await waitFor('the new model in the editor', () => vscode.window.activeTextEditor?.document.uri.path === uri.path && vscode.window.activeTextEditor.document);
      assert.match(doc.getText(), /^# A Rampart threat model/);
      assert.strictEqual(doc.languageId, 'threatmodel');
      await new Promise(r => setTimeout(r, 1000));
      const errors = vscode.languages.getDiagnostics(uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepStrictEqual(errors.map(d => d.message), [], 'the starter model has no errors');
      // A second time with the same name does not overwrite it.
      assert.strictEqual(await vscode.commands.executeCommand('rampart.newThreatModel', folder, 'started.threatmodel.yaml'), undefined);
    });

    it('Check Workspace analyses every model and reports how many', async () => {
      const result = await vscode.commands.executeCommand<{ files: number; diagnostics: number }>('rampart.checkWorkspace');
      assert.ok(result.files >= 3, `found ${result.files} models`);
      assert.ok(vscode.languages.getDiagnostics(langUri('never-opened.threatmodel.yaml')).length > 0);
    });
  });
});
