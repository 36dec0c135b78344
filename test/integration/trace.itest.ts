/**
 * The code and the model kept true to each other (#13) in the real extension host, on the trace-demo fixture
 * (app.threatmodel.yaml; src/auth.ts with `@model api` and `@mitigates token-replay with short-tokens`,
 * src/view.py with `@threat token-replay`): CodeLens, hover and go to definition on the annotations of a source
 * file; Link Selection as Evidence (one undoable edit); Mark Element Reviewed (today's date and HEAD, refused
 * outside a git repository); the model's own lens on the threat.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, waitFor } from './helpers';
import { posOf, replaceText } from './modelHelpers';

const MODEL = 'trace-demo/app.threatmodel.yaml';
const AUTH = 'trace-demo/src/auth.ts';
const VIEW = 'trace-demo/src/view.py';

const lensesOf = async (uri: vscode.Uri) => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];

/** Waits for a lens on `line` whose title passes `pred`; fails listing the lenses seen. */
async function waitForLens(uri: vscode.Uri, line: number, pred: (title: string) => boolean, what: string, ms = 30000): Promise<vscode.CodeLens> {
  let seen: string[] = [];
  try {
    return await waitFor(what, async () => {
      const lenses = await lensesOf(uri);
      seen = lenses.map(l => `${l.range.start.line + 1}: ${l.command?.title ?? '(unresolved)'}`);
      return lenses.find(l => l.range.start.line === line && pred(l.command?.title ?? ''));
    }, ms);
  } catch (e) {
    throw new Error(`${(e as Error).message}; lenses: ${seen.join(' | ') || 'none'}`);
  }
}

/** The hovers' Markdown as read: `appendText` escapes punctuation and writes spaces as `&nbsp;`. */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap(h => h.contents).map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n')
    .replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>])/g, '$1');
}

const targetOf = (l: vscode.Location | vscode.LocationLink) => ('targetUri' in l
  ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange }
  : { uri: l.uri, range: l.range });

/** Today as YYYY-MM-DD, in local time and in UTC (the server may write either). */
function todays(): string[] {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return [`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, d.toISOString().slice(0, 10)];
}

function git(folder: string, ...args: string[]): string {
  return execFileSync('git', ['-C', folder, '-c', 'user.name=Rampart Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();
}

describe('code and model (annotations, evidence, reviews)', function () {
  this.timeout(90000);
  afterEach(closeAllEditors);

  it('shows a CodeLens on each annotation of a source file, with the threat\'s title, level and status', async () => {
    const auth = fixtureUri(AUTH);
    const doc = await vscode.workspace.openTextDocument(auth);
    await vscode.window.showTextDocument(doc);
    const line = posOf(doc, '@mitigates').line;
    const lens = await waitForLens(auth, line, t => /Token replay/.test(t) && /open/.test(t), 'the lens of the @mitigates line');
    const title = lens.command!.title;
    assert.match(title, /^mitigates Token replay \(token-replay\)/);
    assert.match(title, /high/, 'the threat\'s level');
    assert.match(title, /Short-lived tokens \(implemented\)/, 'the mitigation named by `with`');
    assert.match(lens.command!.command, /^(vscode|_workbench)\.open$/, 'clicking it opens the model');
    assert.strictEqual((lens.command!.arguments![0] as vscode.Uri).path, fixtureUri(MODEL).path);
    const model = lensesOf(auth).then(ls => ls.find(l => l.range.start.line === posOf(doc, '@model').line)?.command?.title);
    assert.match(await model ?? '', /implements Token API \(api\)/);

    const view = fixtureUri(VIEW);
    await vscode.workspace.openTextDocument(view);
    await waitForLens(view, 0, t => /exposed to Token replay \(token-replay\)/.test(t), 'the lens of the @threat line in Python');
  });

  it('goes from an annotation\'s ids to their keys in the model', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(AUTH));
    await vscode.window.showTextDocument(doc);
    const model = await vscode.workspace.openTextDocument(fixtureUri(MODEL));
    const defs = await waitFor('a definition of token-replay', async () => {
      const d = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, posOf(doc, 'token-replay with', 1, 3));
      return d?.length ? d : undefined;
    }, 30000);
    const t = targetOf(defs[0]!);
    assert.strictEqual(t.uri.path, model.uri.path);
    assert.strictEqual(t.range.start.line, posOf(model, '  token-replay:').line, 'on the threat\'s key');
    const withDefs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, posOf(doc, 'short-tokens', 1, 2));
    assert.strictEqual(targetOf(withDefs[0]!).range.start.line, posOf(model, '  short-tokens:').line, 'the `with` id goes to the mitigation');
  });

  it('hovers an annotation\'s id with the threat\'s title, level, status and model file', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(AUTH));
    await vscode.window.showTextDocument(doc);
    const text = await waitFor('a hover on token-replay', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 'token-replay with', 1, 3)));
      return /Token replay/.test(t) ? t : undefined;
    }, 30000);
    assert.match(text, /Risk: \*\*high\*\*/);
    assert.match(text, /Status: \*\*open\*\*/);
    assert.match(text, /app\.threatmodel\.yaml/);
  });

  it('follows edits of the model: the lens shows the new title, an unknown id is flagged', async () => {
    const auth = fixtureUri(AUTH);
    const doc = await vscode.workspace.openTextDocument(auth);
    const line = posOf(doc, '@mitigates').line;
    await waitForLens(auth, line, t => /Token replay \(/.test(t), 'the lens before the edit');
    const model = await vscode.workspace.openTextDocument(fixtureUri(MODEL));
    await vscode.window.showTextDocument(model);
    await replaceText(model, 'title: Token replay', 'title: Replayed session token');
    await waitForLens(auth, line, t => /Replayed session token/.test(t), 'the lens after the model was edited (unsaved)');
    // Revert the model as a user would: its editor in front, then *Revert and Close*. The command acts on the
    // active editor, which a busy workbench may not have switched yet: it is asked again until the edit is gone.
    await waitFor('the model reverted', async () => {
      if (!model.isDirty) return true;
      await vscode.window.showTextDocument(model);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      return !model.isDirty;
    }, 15000);
    assert.ok(model.getText().includes('title: Token replay'), 'the reverted model has the title from disk');
    await waitForLens(auth, line, t => /Token replay \(/.test(t), 'the lens after the edit was reverted');

    const typo = fixtureUri('trace-demo/src/typo.ts');
    await vscode.workspace.fs.writeFile(typo, new TextEncoder().encode('// @threat tokne-replay\nexport const x = 1;\n'));
    try {
      await vscode.workspace.openTextDocument(typo);
      const lens = await waitForLens(typo, 0, t => t.includes('unknown'), 'the lens of an unknown id');
      assert.strictEqual(lens.command!.title, '⚠ unknown threat `tokne-replay`');
    } finally {
      await vscode.workspace.fs.delete(typo);
    }
  });

  it('links the selected lines as evidence of a mitigation, as one undoable edit', async () => {
    const modelUri = fixtureUri(MODEL);
    const source = await vscode.workspace.openTextDocument(fixtureUri(AUTH));
    const editor = await vscode.window.showTextDocument(source);
    editor.selection = new vscode.Selection(1, 0, 3, source.lineAt(3).text.length); // lines 2-4
    const model = await vscode.workspace.openTextDocument(modelUri);
    const before = model.getText();
    const evidence = await vscode.commands.executeCommand<string>('rampart.linkSelectionAsEvidence', { modelUri, mitigation: 'signed-tokens' });
    assert.strictEqual(evidence, 'src/auth.ts#L2-L4');
    const after = model.getText();
    const section = after.slice(after.indexOf('  signed-tokens:'));
    assert.ok(section.includes('src/auth.ts#L2-L4'), `the evidence is under signed-tokens:\n${section}`);
    assert.match(section, /evidence:/);
    assert.ok(!after.slice(0, after.indexOf('  signed-tokens:')).includes('src/auth.ts#L2-L4'), 'and nowhere before it');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), source.uri.toString(), 'the source editor keeps the focus');

    await vscode.window.showTextDocument(model);
    await vscode.commands.executeCommand('undo');
    await waitFor('the undo of the evidence', () => model.getText() === before);

    // A single line (the cursor, no selection): #L<n>
    const again = await vscode.window.showTextDocument(source);
    again.selection = new vscode.Selection(2, 4, 2, 4);
    assert.strictEqual(await vscode.commands.executeCommand<string>('rampart.linkSelectionAsEvidence', { modelUri, mitigation: 'signed-tokens' }), 'src/auth.ts#L3');
    assert.ok(model.getText().includes('src/auth.ts#L3'));
    await vscode.window.showTextDocument(model);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('records the review of an element: today\'s date and HEAD of the model\'s repository', async () => {
    const modelUri = fixtureUri(MODEL);
    const folder = path.dirname(modelUri.fsPath);
    git(folder, 'init', '-q');
    git(folder, 'add', '-A');
    git(folder, 'commit', '-q', '-m', 'trace demo');
    const head = git(folder, 'rev-parse', 'HEAD');
    const model = await vscode.workspace.openTextDocument(modelUri);
    await vscode.window.showTextDocument(model);
    const result = await vscode.commands.executeCommand<{ commit?: string }>('rampart.markElementReviewed', { uri: modelUri, element: 'api' });
    assert.ok(result?.commit, 'the command answers the commit');
    assert.strictEqual(result.commit, head, 'the commit is HEAD');
    const text = model.getText();
    const api = text.slice(text.indexOf('  api:'), text.indexOf('flows:'));
    assert.match(api, /reviewed:/, `reviewed: under api:\n${api}`);
    assert.ok(todays().some(d => api.includes(d)), `today's date (${todays().join(' or ')}) in\n${api}`);
    const written = /commit: "?([0-9a-f]{7,40})/.exec(api)?.[1];
    assert.ok(written && head.startsWith(written), `HEAD (${head}) is written as the commit: ${written}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('finds the element at the cursor when no element is given', async () => {
    const modelUri = fixtureUri(MODEL);
    const model = await vscode.workspace.openTextDocument(modelUri);
    const editor = await vscode.window.showTextDocument(model);
    const at = posOf(model, 'name: Token API', 1, 2);
    editor.selection = new vscode.Selection(at, at);
    // From code without an element: the element whose entry holds the cursor (no pick).
    const result = await vscode.commands.executeCommand<{ commit?: string }>('rampart.markElementReviewed', { uri: modelUri });
    assert.ok(result?.commit);
    const text = model.getText();
    assert.match(text.slice(text.indexOf('  api:'), text.indexOf('flows:')), /reviewed:/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('refuses to record a review outside a git repository, with a clear error', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-trace-'));
    try {
      let inRepository = true;
      try {
        execFileSync('git', ['-C', dir, 'rev-parse', '--git-dir'], { stdio: 'ignore' });
      } catch {
        inRepository = false; // the case to test
      }
      if (inRepository) this.skip(); // the temporary folder is inside a repository on this machine
      const uri = vscode.Uri.file(path.join(dir, 'solo.threatmodel.yaml'));
      fs.writeFileSync(uri.fsPath, 'rampart: 1\ntitle: Solo\nelements:\n  api:\n    type: process\n    name: API\n    code: [src/**]\n');
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const before = doc.getText();
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('rampart.markElementReviewed', { uri, element: 'api' })),
        (e: Error) => /git/i.test(e.message),
      );
      assert.strictEqual(doc.getText(), before, 'nothing was written');
    } finally {
      await closeAllEditors();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the annotations among the references of a threat, and reports the element\'s code changed after its review and a commit', async () => {
    const modelUri = fixtureUri(MODEL);
    const folder = path.dirname(modelUri.fsPath);
    if (!fs.existsSync(path.join(folder, '.git'))) git(folder, 'init', '-q');
    const model = await vscode.workspace.openTextDocument(modelUri);
    await vscode.window.showTextDocument(model);
    const original = model.getText();

    const refs = await waitFor('the annotations among the references', async () => {
      const r = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', modelUri, posOf(model, '  token-replay:', 1, 3));
      return r?.some(l => l.uri.fsPath.endsWith(path.join('src', 'auth.ts'))) && r.some(l => l.uri.fsPath.endsWith(path.join('src', 'view.py'))) ? r : undefined;
    });
    assert.ok(refs.some(l => l.uri.toString() === modelUri.toString()), 'and the model\'s own references');

    // Review it, save and commit; then a commit changes its code.
    await vscode.commands.executeCommand('rampart.markElementReviewed', { uri: modelUri, element: 'api' });
    await model.save();
    git(folder, 'add', '-A');
    git(folder, 'commit', '-q', '-m', 'Review api');
    const auth = path.join(folder, 'src', 'auth.ts');
    fs.appendFileSync(auth, '// tokens now last an hour\n');
    git(folder, 'add', '-A');
    git(folder, 'commit', '-q', '-m', 'Longer tokens');
    const stale = await waitFor('trace/stale-review on the model', () => vscode.languages.getDiagnostics(modelUri).find(d => (typeof d.code === 'object' ? d.code.value : d.code) === 'trace/stale-review'), 30000);
    assert.match(stale.message, /The code of `api` changed in 1 commit since its review .*: [0-9a-f]{7} Longer tokens\. Review src\/auth\.ts/);

    // back as it was, for the tests after this one
    const edit = new vscode.WorkspaceEdit();
    edit.replace(modelUri, new vscode.Range(model.positionAt(0), model.positionAt(model.getText().length)), original);
    await vscode.workspace.applyEdit(edit);
    await model.save();
  });

  it('completes the model\'s ids inside an annotation: threats after @mitigates, mitigations after `with`, elements after @model', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(VIEW));
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const labels = async (typed: string) => {
      await editor.edit(b => b.insert(doc.lineAt(doc.lineCount - 1).range.end, `\n${typed}`));
      const at = doc.lineAt(doc.lineCount - 1).range.end;
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
      return list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    assert.ok((await labels('# @mitigates tok')).includes('token-replay'), 'threat ids');
    const withIds = await labels('# @mitigates token-replay with ');
    assert.ok(withIds.includes('short-tokens') && withIds.includes('signed-tokens') && !withIds.includes('token-replay'), withIds.join(', '));
    assert.ok((await labels('# @model ')).includes('api'), 'element ids');
    // as it was, on disk too (the annotation index reads the files)
    await editor.edit(b => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
    await doc.save();
  });

  it('makes evidence entries links: a line range opens at its lines, a symbol at the line that names it', async () => {
    const modelUri = fixtureUri(MODEL);
    const model = await vscode.workspace.openTextDocument(modelUri);
    await vscode.window.showTextDocument(model);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(modelUri, model.positionAt(model.getText().length), `${model.getText().endsWith('\n') ? '' : '\n'}    evidence: [src/auth.ts#L3-L4, src/auth.ts#issueToken]\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const links = await waitFor('the evidence links, the symbol resolved', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', modelUri);
      return l?.length === 2 && l.every(x => x.target?.fragment) ? l : undefined;
    }, 30000);
    assert.deepStrictEqual(links.map(l => [path.basename(l.target!.fsPath), l.target!.fragment]), [['auth.ts', 'L3-L4'], ['auth.ts', 'L2']]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows on the threat, in the model, where the code mitigates it', async () => {
    const model = await vscode.workspace.openTextDocument(fixtureUri(MODEL));
    await vscode.window.showTextDocument(model);
    // src/auth.ts mitigates it, src/view.py is exposed to it; lang/shop.threatmodel.yaml's own token-replay counts neither
    await waitForLens(model.uri, posOf(model, '  token-replay:').line, t => / · mitigated in 1 place · exposed in 1 place$/.test(t), 'a lens on token-replay: that counts where the code mitigates it');
    await waitForLens(model.uri, posOf(model, '  short-tokens:').line, t => t === 'implemented in 1 place', 'a lens on the mitigation named by `with`');
  });
});
