/**
 * The language server end to end: `node dist/server.js --stdio` driven over JSON-RPC by a client that
 * announces what VS Code does (lspClient.ts), in a temporary workspace holding copies of the examples.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CodeActionRequest, CodeActionResolveRequest, CodeLensRequest, CodeLensResolveRequest, CompletionRequest, DefinitionRequest, DiagnosticSeverity,
  DocumentLinkRequest, DocumentSymbolRequest, HoverRequest, PrepareRenameRequest, ReferencesRequest, RenameRequest,
  type CodeAction, type CodeLensParams, type CompletionList, type Diagnostic, type DocumentSymbol, type Hover, type Location,
  type MarkupContent, type PublishDiagnosticsParams, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { diagnosticText, ensureServerBuilt, fileUri, LspClient, positionOf, ROOT } from './lspClient';
import { OutlineRequest, ViewModelRequest } from '../../../src/shared/requests';
import { generateModel } from '../../../scripts/genModel';
import { viewOfUpdate } from '../../../src/shared/viewMessage';

const HEADLINE = 'risk/unmitigated-above-tolerance';
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples/webshop-payments.threatmodel.yaml'), 'utf8');
const lineOf = (text: string, needle: string) => positionOf(text, needle).line;
const headlines = (p: PublishDiagnosticsParams) => p.diagnostics.filter(d => d.code === HEADLINE);
const onLine = (ds: Diagnostic[], line: number) => ds.filter(d => d.range.start.line === line);

describe('language server (stdio)', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient;
  let modelUri: string;

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  beforeEach(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-'));
    fs.writeFileSync(path.join(ws, 'shop.threatmodel.yaml'), EXAMPLE);
    modelUri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
  });

  afterEach(async () => {
    assert.equal(await client.stop(), 0, 'the server exits with 0 after shutdown + exit');
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('announces its features', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(client.initializeResult.serverInfo?.name, 'rampart');
    assert.ok(caps.hoverProvider && caps.definitionProvider && caps.referencesProvider && caps.documentSymbolProvider);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rampart'], resolveProvider: true });
    assert.deepEqual(caps.completionProvider?.triggerCharacters, [' ', '[', ',']);
    assert.equal((caps.textDocumentSync as { change: number }).change, 2, 'incremental sync');
  });

  it('publishes the headline diagnostic on the threat\'s line, with rule link, severity and related information', async () => {
    await client.open(modelUri, EXAMPLE);
    const p = await client.diagnosticsWhere(modelUri, x => x.version === 1);
    assert.equal(p.version, 1);
    const line = lineOf(EXAMPLE, '  checkout-skimming:');
    const [d] = onLine(headlines(p), line);
    assert.ok(d, `headline diagnostic on line ${line + 1}`);
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'rampart');
    assert.equal(d.codeDescription?.href, 'https://github.com/rampart-tm/rampart#rule-risk-unmitigated-above-tolerance');
    assert.deepEqual(d.range, { start: { line, character: 2 }, end: { line, character: 19 } });
    assert.ok(d.relatedInformation?.some(r => r.location.uri === modelUri && r.message.includes('storefront')));
    assert.equal(headlines(p).length, 5);
    // The expired acceptance is tagged Deprecated (struck through).
    assert.ok(p.diagnostics.some(x => x.code === 'risk/expired-acceptance' && x.tags?.includes(2)));
    assert.ok(p.diagnostics.some(x => x.severity === DiagnosticSeverity.Warning));
  });

  it('hovers over ids with Markdown', async () => {
    await client.open(modelUri, EXAMPLE);
    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: modelUri }, position: positionOf(EXAMPLE, '  checkout-skimming:', 5) }) as Hover;
    const c = h.contents as MarkupContent;
    assert.equal(c.kind, 'markdown');
    assert.match(c.value, /Magecart/);
    assert.equal(h.range?.start.line, lineOf(EXAMPLE, '  checkout-skimming:'));
  });

  it('completes enum values and ids', async () => {
    await client.open(modelUri, EXAMPLE);
    const at = EXAMPLE.indexOf('likelihood: possible', EXAMPLE.indexOf('  checkout-skimming:'));
    const list = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: modelUri }, position: positionOf(EXAMPLE, 'likelihood: possible', 'likelihood: '.length, at) }) as CompletionList;
    const labels = list.items.map(i => i.label);
    for (const v of ['rare', 'unlikely', 'possible', 'likely', 'almost-certain']) assert.ok(labels.includes(v), v);
    const item = list.items.find(i => i.label === 'likely')!;
    assert.ok(item.textEdit && 'replace' in item.textEdit, 'insert/replace edit');

    const targets = EXAMPLE.indexOf('targets: [storefront', at - 400);
    const ids = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: modelUri }, position: positionOf(EXAMPLE, 'storefront', 0, targets) }) as CompletionList;
    assert.ok(ids.items.some(i => i.label === 'checkout-api' && i.detail?.startsWith('element')), 'element ids in targets');
    // A space typed in prose does not ask for anything.
    const prose = EXAMPLE.indexOf('skims card') + 'skims'.length + 1;
    const none = await client.conn.sendRequest(CompletionRequest.type, {
      textDocument: { uri: modelUri }, position: client.document(modelUri).positionAt(prose), context: { triggerKind: 2, triggerCharacter: ' ' },
    });
    assert.equal(none, null);
  });

  it('offers quick fixes whose edit is resolved lazily and, applied, removes the finding', async () => {
    await client.open(modelUri, EXAMPLE);
    const p = await client.diagnosticsWhere(modelUri, x => x.version === 1);
    const line = lineOf(EXAMPLE, '  checkout-skimming:');
    const [d] = onLine(headlines(p), line);
    const actions = await client.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: modelUri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
    }) as CodeAction[];
    const titles = actions.map(a => a.title);
    assert.ok(titles.includes('Add a mitigation for checkout-skimming'), titles.join(' | '));
    const accept = actions.find(a => a.title.startsWith('Accept the risk of checkout-skimming'))!;
    assert.ok(accept, 'accept the risk');
    assert.equal(accept.kind, 'quickfix');
    assert.equal(accept.edit, undefined, 'no edit before resolve');
    assert.deepEqual((accept.data as { version: number }).version, 1);
    assert.equal((accept.data as { fix: { kind: string } }).fix.kind, 'accept-risk');
    assert.deepEqual(accept.diagnostics, [d]);

    const resolved = await client.conn.sendRequest(CodeActionResolveRequest.type, accept) as CodeAction & { edit: WorkspaceEdit };
    assert.ok(resolved.edit?.documentChanges?.length, 'versioned edit');
    const version = await client.applyWorkspaceEdit(modelUri, resolved.edit);
    const after = await client.diagnosticsWhere(modelUri, x => x.version === version);
    assert.equal(headlines(after).length, 4);
    assert.equal(onLine(headlines(after), line).length, 0, 'the finding is gone');
    assert.match(client.text(modelUri), /status: accepted/);

    // Resolving the same action again on the new text gives nothing more to do.
    const again = await client.conn.sendRequest(CodeActionResolveRequest.type, { ...accept, edit: undefined }) as CodeAction & { edit: WorkspaceEdit };
    const edits = again.edit.documentChanges![0] as { edits: unknown[] };
    assert.equal(edits.edits.length, 0, 'fixes are idempotent');
  });

  it('offers refactorings at the cursor without a diagnostic', async () => {
    await client.open(modelUri, EXAMPLE);
    const at = client.document(modelUri).positionAt(EXAMPLE.indexOf('name:', EXAMPLE.indexOf('  storefront:')) + 2);
    const actions = await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: modelUri }, range: { start: at, end: at }, context: { diagnostics: [] } }) as CodeAction[];
    const stubs = actions.find(a => a.title.startsWith('Add STRIDE threat stubs for storefront'));
    assert.ok(stubs, actions.map(a => a.title).join(' | '));
    assert.equal(stubs.kind, 'refactor.rampart');
    const resolved = await client.conn.sendRequest(CodeActionResolveRequest.type, stubs) as CodeAction & { edit: WorkspaceEdit };
    const version = await client.applyWorkspaceEdit(modelUri, resolved.edit);
    assert.match(client.text(modelUri), /^ {2}storefront-repudiation:/m);
    const after = await client.diagnosticsWhere(modelUri, x => x.version === version);
    assert.ok(!after.diagnostics.some(d => d.code === 'stride/coverage' && String(d.message).includes('`storefront`')), 'storefront is covered now');
    // Only refactorings when asked for them.
    const none = await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: modelUri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['quickfix'] } }) as CodeAction[];
    assert.deepEqual(none, []);
  });

  it('goes to definitions, finds references and renames ids', async () => {
    await client.open(modelUri, EXAMPLE);
    const targets = EXAMPLE.indexOf('targets: [storefront', EXAMPLE.indexOf('  checkout-skimming:'));
    const ref = positionOf(EXAMPLE, 'storefront', 2, targets);
    const def = await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: modelUri }, position: ref }) as Location;
    assert.equal(def.uri, modelUri);
    assert.deepEqual(def.range.start, positionOf(EXAMPLE, '  storefront:', 2));

    const refs = await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: modelUri }, position: ref, context: { includeDeclaration: true } }) as Location[];
    const count = (EXAMPLE.match(/\bstorefront\b/g) ?? []).length;
    assert.ok(refs.length >= 3 && refs.length <= count, `${refs.length} references`);

    const prep = await client.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: modelUri }, position: ref }) as { placeholder: string };
    assert.equal(prep.placeholder, 'storefront');
    await assert.rejects(
      client.conn.sendRequest(RenameRequest.type, { textDocument: { uri: modelUri }, position: ref, newName: 'Not Kebab' }),
      (e: Error) => /not a valid id/.test(e.message),
    );
    const edit = await client.conn.sendRequest(RenameRequest.type, { textDocument: { uri: modelUri }, position: ref, newName: 'shop-frontend' }) as WorkspaceEdit;
    const version = await client.applyWorkspaceEdit(modelUri, edit);
    const text = client.text(modelUri);
    assert.equal((text.match(/\bshop-frontend\b/g) ?? []).length, refs.length);
    assert.match(text, /^ {2}shop-frontend:/m);
    const after = await client.diagnosticsWhere(modelUri, x => x.version === version);
    assert.ok(!after.diagnostics.some(x => x.code === 'schema/dangling-reference'), 'no dangling reference after the rename');

    const outside = await client.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: modelUri }, position: positionOf(text, 'title:', 2) }).then(() => 'resolved', (e: Error) => e.message);
    assert.match(outside, /Rename works on ids/);
  });

  it('lists document symbols as a tree', async () => {
    await client.open(modelUri, EXAMPLE);
    const symbols = await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: modelUri } }) as DocumentSymbol[];
    const threats = symbols.find(s => s.name === 'threats')!;
    assert.ok(threats.children?.some(c => c.name === 'checkout-skimming' && /Magecart/.test(c.detail ?? '')));
    assert.ok(symbols.find(s => s.name === 'elements')!.children!.some(c => c.name === 'storefront'));
  });

  it('sends the same outline in the compact form (`rampart/outline`): every symbol with its kind, detail and ranges, as a tree', async () => {
    const big = generateModel(60);
    await client.open(modelUri, big);
    const tree = await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: modelUri } }) as DocumentSymbol[];
    const compact = await client.conn.sendRequest(OutlineRequest, { uri: modelUri });
    assert.ok(compact && compact.version === 1);
    const rows = JSON.parse(compact.symbols) as [number, number, string, string, ...number[]][];
    const out: DocumentSymbol[] = [];
    const parents: DocumentSymbol[] = [];
    for (const [depth, kind, name, detail, sl, sc, el, ec, ssl, ssc, sel, sec] of rows) {
      const s: DocumentSymbol = { name, kind: kind as DocumentSymbol['kind'], range: { start: { line: sl, character: sc }, end: { line: el, character: ec } }, selectionRange: { start: { line: ssl, character: ssc }, end: { line: sel, character: sec } } };
      if (detail) s.detail = detail;
      (depth === 0 ? out : (parents[depth - 1].children ??= [])).push(s);
      parents[depth] = s;
    }
    assert.ok(rows.length > 200, `${rows.length} symbols`);
    assert.deepEqual(out, tree);
    assert.ok(compact.symbols.length * 3 < JSON.stringify(tree).length, `compact ${compact.symbols.length} characters, tree ${JSON.stringify(tree).length}`);
  });

  it('shows CodeLenses over threats, elements and flows', async () => {
    await client.open(modelUri, EXAMPLE);
    const listed = await client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: modelUri } });
    assert.ok(listed!.length > 10 && listed!.every(l => !l.command), 'lenses are listed unresolved');
    // the editor resolves the lenses on screen
    const lenses = await Promise.all(listed!.map(l => client.conn.sendRequest(CodeLensResolveRequest.type, l)));
    const line = lineOf(EXAMPLE, '  checkout-skimming:');
    const lens = lenses.find(l => l.range.start.line === line)!;
    assert.match(lens.command!.title, /^high · open/);
    assert.ok(lenses.some(l => /open threat/.test(l.command!.title)));
    // A lens listed before an edit resolves to what its line says now.
    const likelihood = positionOf(EXAMPLE, 'likelihood: possible', 'likelihood: '.length, EXAMPLE.indexOf('  checkout-skimming:'));
    const v = await client.change(modelUri, [{ range: { start: likelihood, end: { line: likelihood.line, character: likelihood.character + 'possible'.length } }, text: 'rare' }]);
    await client.diagnosticsWhere(modelUri, x => x.version === v);
    const stale = listed!.find(l => l.range.start.line === line)!;
    const now = await client.conn.sendRequest(CodeLensResolveRequest.type, stale);
    assert.match(now.command!.title, /^(low|medium) · open/);
  });

  it('lists only the lenses of the lines asked for (`rampartLines`), each resolving as in the whole list', async () => {
    await client.open(modelUri, EXAMPLE);
    const all = (await client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: modelUri } }))!;
    const line = lineOf(EXAMPLE, '  checkout-skimming:');
    const lines = { from: line - 20, to: line + 20 };
    const some = (await client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: modelUri }, rampartLines: lines } as CodeLensParams))!;
    assert.deepEqual(some, all.filter(l => l.range.start.line >= lines.from && l.range.start.line <= lines.to));
    assert.ok(some.length > 0 && some.length < all.length, `${some.length} of ${all.length}`);
    const resolved = await client.conn.sendRequest(CodeLensResolveRequest.type, some.find(l => l.range.start.line === line)!);
    assert.match(resolved.command!.title, /^high · open/);
  });

  it('updates diagnostics on incremental edits', async () => {
    await client.open(modelUri, EXAMPLE);
    await client.diagnosticsWhere(modelUri, x => x.version === 1);
    const line = lineOf(EXAMPLE, '  checkout-skimming:');
    const likelihood = positionOf(EXAMPLE, 'likelihood: possible', 'likelihood: '.length, EXAMPLE.indexOf('  checkout-skimming:'));
    // possible -> rare -> almost-certain: still above tolerance.
    const end = { line: likelihood.line, character: likelihood.character + 'possible'.length };
    await client.change(modelUri, [{ range: { start: likelihood, end }, text: 'rare' }]);
    const v = await client.change(modelUri, [{ range: { start: likelihood, end: { line: likelihood.line, character: likelihood.character + 4 } }, text: 'almost-certain' }]);
    const p = await client.diagnosticsWhere(modelUri, x => x.version === v);
    assert.equal(onLine(headlines(p), line).length, 1);

    // Mark it not applicable: the finding goes.
    const status = positionOf(client.text(modelUri), 'status: open', 'status: '.length, client.document(modelUri).offsetAt(likelihood));
    const v2 = await client.change(modelUri, [{ range: { start: status, end: { line: status.line, character: status.character + 4 } }, text: 'not-applicable' }]);
    const p2 = await client.diagnosticsWhere(modelUri, x => x.version === v2);
    assert.equal(onLine(headlines(p2), line).length, 0);

    // Break the YAML: a syntax finding, on the right line.
    const v3 = await client.change(modelUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'rampart: [\n' }]);
    const p3 = await client.diagnosticsWhere(modelUri, x => x.version === v3);
    assert.ok(p3.diagnostics.some(x => String(x.code).startsWith('schema/')));
  });

  it('does not send diagnostics again when an edit leaves them as they were', async () => {
    await client.open(modelUri, EXAMPLE);
    await client.diagnosticsWhere(modelUri, x => x.version === 1);
    // Typing inside the model's title (a line without findings) moves no diagnostic...
    const title = positionOf(EXAMPLE, 'title: ', 'title: '.length);
    const v2 = await client.change(modelUri, [{ range: { start: title, end: title }, text: 'New ' }]);
    await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: modelUri }, position: title }); // answered once v2 is analysed
    await new Promise(r => setTimeout(r, 300));
    // ...a new line above every finding moves them all.
    const v3 = await client.change(modelUri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# a comment\n' }]);
    const moved = await client.diagnosticsWhere(modelUri, x => x.version === v3);
    const sent = client.diagnostics.get(modelUri)!.map(x => x.version);
    assert.ok(!sent.includes(v2), `versions sent: ${sent.join(', ')}`);
    assert.equal(sent.filter(v => v === v3).length, 1);
    assert.equal(headlines(moved).length, 5);
  });

  it('sends the visual editor\'s view as a delta against the one the webview holds, equal to the whole view', async () => {
    await client.open(modelUri, EXAMPLE);
    await client.diagnosticsWhere(modelUri, x => x.version === 1);
    const first = await client.conn.sendRequest(ViewModelRequest, { uri: modelUri });
    assert.ok(first?.type === 'update' && first.viewJson && first.id !== undefined && first.base === undefined, 'the first view is whole');
    const held = { id: first.id!, view: viewOfUpdate(first)! };
    const title = positionOf(EXAMPLE, 'title: Injected script', 'title: '.length);
    const v2 = await client.change(modelUri, [{ range: { start: title, end: title }, text: 'Web ' }]);
    await client.diagnosticsWhere(modelUri, x => x.version === v2);
    const delta = await client.conn.sendRequest(ViewModelRequest, { uri: modelUri, since: held.id });
    assert.ok(delta?.type === 'update' && delta.deltaJson !== undefined && delta.base === held.id && delta.version === v2, JSON.stringify(delta).slice(0, 300));
    const whole = await client.conn.sendRequest(ViewModelRequest, { uri: modelUri });
    assert.ok(whole?.type === 'update' && whole.viewJson && whole.id === delta.id);
    assert.ok(delta.deltaJson.length * 10 < whole.viewJson.length, `delta ${delta.deltaJson.length} characters, view ${whole.viewJson.length}`);
    assert.equal(JSON.stringify(viewOfUpdate(delta, held)), whole.viewJson, 'the delta applied gives the whole view');
    assert.ok(viewOfUpdate(delta, held)!.threats.some(t => t.title.startsWith('Web Injected script')));
    // A view the server no longer has (or never made): the whole view.
    const unknown = await client.conn.sendRequest(ViewModelRequest, { uri: modelUri, since: 999_999 });
    assert.ok(unknown?.type === 'update' && unknown.viewJson === whole.viewJson && unknown.base === undefined);
  });

  it('sends at most the client\'s maxDiagnosticsPerFile, the most severe first, the last saying how many more', async () => {
    await client.open(modelUri, EXAMPLE);
    const all = (await client.diagnosticsWhere(modelUri, x => x.version === 1)).diagnostics;
    const rank = (d: Diagnostic) => d.severity ?? DiagnosticSeverity.Error;
    const max = 6;
    assert.ok(all.length > max && new Set(all.map(rank)).size > 1, `the example has findings of several severities: ${all.length}`);
    const capped = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 }, initializationOptions: { maxDiagnosticsPerFile: max } });
    try {
      await capped.open(modelUri, EXAMPLE);
      const shown = (await capped.diagnosticsWhere(modelUri, x => x.version === 1)).diagnostics;
      assert.equal(shown.length, max);
      // The first max - 1 are the most severe, in the order the uncapped client got them (VS Code's own pick).
      const expected = [...all].sort((a, b) => rank(a) - rank(b)).slice(0, max - 1);
      assert.deepEqual(shown.slice(0, max - 1), expected);
      const note = shown[max - 1];
      assert.equal(note.severity, DiagnosticSeverity.Information);
      assert.match(diagnosticText(note), new RegExp(`^${all.length - (max - 1)} more Rampart findings in this file are not listed \\(`));
      assert.match(diagnosticText(note), /`rampart check` on this file lists them all/);
      assert.deepEqual(note.range, shown[max - 2].range, 'placed on the last one listed');
    } finally {
      assert.equal(await capped.stop(), 0);
    }
  });

  it('publishes what is saved on disk once a model with unsaved edits is closed', async () => {
    await client.open(modelUri, EXAMPLE);
    await client.diagnosticsWhere(modelUri, x => x.version === 1);
    // An unsaved edit that removes every threat: the diagnostics follow the editor...
    const v = await client.change(modelUri, [{ range: { start: positionOf(EXAMPLE, '\nthreats:', 1), end: client.document(modelUri).positionAt(EXAMPLE.length) }, text: '' }]);
    const edited = await client.diagnosticsWhere(modelUri, x => x.version === v);
    assert.equal(headlines(edited).length, 0);
    // ...and after closing without saving, what is on disk counts again.
    await client.close(modelUri);
    const disk = await client.nextDiagnostics(modelUri);
    assert.equal(disk.version, undefined);
    assert.equal(headlines(disk).length, 5);
  });
});

describe('language server: workspace, settings and evidence', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient | undefined;

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-ws-'));
    const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true }); fs.writeFileSync(path.join(ws, rel), text); };
    write('models/shop.threatmodel.yaml', EXAMPLE);
    write('models/evidence.threatmodel.yml', `rampart: 1
title: Evidence
elements:
  api: { type: process, name: API }
mitigations:
  tokens:
    title: Short tokens
    status: implemented
    evidence: [../src/auth.ts#L3-L9, ../src/missing.ts, "https://example.com/runbook", ../src, ../src/in-link, ../src/out-link/x, /etc/hostname, ../../outside.ts]
`);
    write('src/auth.ts', 'export {};\n');
    fs.mkdirSync(path.join(ws, '.git')); // the repository root: evidence may climb from models/ to src/
    fs.symlinkSync(path.join(ws, 'src/auth.ts'), path.join(ws, 'src/in-link'));
    fs.symlinkSync(os.tmpdir(), path.join(ws, 'src/out-link'));
    write('node_modules/pkg/ignored.threatmodel.yaml', 'rampart: 1\ntitle: [\n');
    write('dist/ignored.threatmodel.yaml', 'rampart: 1\ntitle: [\n');
    write('out/ignored.threatmodel.yaml', 'rampart: 1\ntitle: [\n');
  });

  afterEach(async () => {
    if (client) await client.stop();
    client = undefined;
  });

  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('publishes diagnostics for unopened models in slices with a progress report, skipping node_modules, dist and out', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const shop = fileUri(path.join(ws, 'models/shop.threatmodel.yaml'));
    const evidence = fileUri(path.join(ws, 'models/evidence.threatmodel.yml'));
    const p = await client.nextDiagnostics(shop);
    assert.equal(headlines(p).length, 5);
    assert.equal(p.version, undefined, 'from disk: no document version');
    await client.diagnosticsWhere(evidence, () => true);
    await client.waitFor(() => client!.progress.find(x => x.value.kind === 'end'), 10_000, 'the end of the progress report');
    const kinds = client.progress.map(x => x.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.ok(kinds.includes('report'));
    assert.deepEqual([...client.diagnostics.keys()].sort(), [evidence, shop].sort(), 'nothing from node_modules, dist or out');
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
    assert.ok(client.registrations.includes('workspace/didChangeConfiguration'));
  });

  it('checks evidence against the asynchronous file index, and links evidence', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'models/evidence.threatmodel.yml'));
    const text = fs.readFileSync(path.join(ws, 'models/evidence.threatmodel.yml'), 'utf8');
    await client.open(uri, text);
    const p = await client.diagnosticsWhere(uri, x => x.version === 1);
    const missing = p.diagnostics.filter(d => d.code === 'risk/evidence-not-found');
    assert.deepEqual(missing.map(d => d.range.start), [positionOf(text, '../src/missing.ts')], JSON.stringify(p.diagnostics.map(d => [d.code, d.message])));
    // Absolute and climbing paths are the core's to report; a link out of the repository is never looked through.
    const outside = p.diagnostics.filter(d => d.code === 'risk/evidence-outside-repository').map(d => d.range.start);
    assert.deepEqual(outside, [positionOf(text, '/etc/hostname'), positionOf(text, '../../outside.ts')]);

    const links = await client.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
    const targets = links!.map(l => l.target);
    assert.deepEqual(targets, [
      fileUri(path.join(ws, 'src/auth.ts')) + '#L3-L9',
      'https://example.com/runbook',
      fileUri(path.join(ws, 'src')),
      fileUri(path.join(ws, 'src/in-link')),
    ], 'no link to a missing file, below a link out, or outside the repository');
    assert.deepEqual(links!.find(l => l.target === 'https://example.com/runbook')!.range.start, positionOf(text, 'https://example.com/runbook'));

    // A file created later (reported by the client's watcher) satisfies the evidence.
    fs.writeFileSync(path.join(ws, 'src/missing.ts'), '');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(ws, 'src/missing.ts')), type: 1 }] });
    await client.nextDiagnostics(uri, x => !x.diagnostics.some(d => d.code === 'risk/evidence-not-found'));
    fs.rmSync(path.join(ws, 'src/missing.ts'));
  });

  it('pulls settings per workspace folder and applies didChangeConfiguration', async () => {
    let settings: Record<string, unknown> = { debounceMs: 0, tolerance: 'critical' };
    client = await LspClient.start({ folders: [ws], settings: () => settings });
    const shop = fileUri(path.join(ws, 'models/shop.threatmodel.yaml'));
    await client.open(shop, EXAMPLE);
    const p = await client.diagnosticsWhere(shop, x => x.version === 1);
    assert.equal(headlines(p).length, 0, 'everything is tolerated');
    const asked = client.configurationRequests as { items: { scopeUri?: string; section?: string }[] }[];
    assert.ok(asked.some(r => r.items.some(i => i.section === 'rampart' && i.scopeUri === fileUri(ws))), JSON.stringify(asked));

    settings = { debounceMs: 0, tolerance: 'policy', disabledRules: ['stride/'], severityOverrides: { [HEADLINE]: 'warning' } };
    await client.configurationChanged({ rampart: null });
    const after = await client.nextDiagnostics(shop, x => x.version === 1);
    assert.equal(headlines(after).length, 5);
    assert.ok(headlines(after).every(d => d.severity === DiagnosticSeverity.Warning));
    assert.ok(!after.diagnostics.some(d => String(d.code).startsWith('stride/')));

    // scope `openFiles`: closing the model clears it; unopened models get nothing.
    settings = { debounceMs: 0, diagnostics: { scope: 'openFiles' } };
    await client.configurationChanged({});
    await client.close(shop);
    const cleared = await client.nextDiagnostics(shop);
    assert.equal(cleared.diagnostics.length, 0);
  });

  it('asks the editor to list CodeLenses again when a setting changes them, not after each analysis', async () => {
    let settings: Record<string, unknown> = { debounceMs: 0 };
    client = await LspClient.start({ folders: [ws], settings: () => settings });
    const shop = fileUri(path.join(ws, 'models/shop.threatmodel.yaml'));
    await client.open(shop, EXAMPLE);
    await client.diagnosticsWhere(shop, x => x.version === 1);
    const titles = async () => {
      const listed = await client!.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: shop } });
      return (await Promise.all(listed!.map(l => client!.conn.sendRequest(CodeLensResolveRequest.type, l)))).map(l => l.command!.title);
    };
    assert.ok((await titles()).some(t => /above medium tolerance/.test(t)));
    const before = client.codeLensRefreshes;
    // A re-analysis that changes no lens (settings unrelated to risk): no refresh.
    settings = { debounceMs: 0, disabledRules: ['stride/'] };
    await client.configurationChanged({});
    await client.nextDiagnostics(shop, x => !x.diagnostics.some(d => String(d.code).startsWith('stride/')));
    await new Promise(r => setTimeout(r, 300));
    assert.equal(client.codeLensRefreshes, before);
    // A tolerance that changes what the lenses say: one refresh, and the new titles.
    settings = { debounceMs: 0, disabledRules: ['stride/'], tolerance: 'critical' };
    await client.configurationChanged({});
    await client.waitFor(() => (client!.codeLensRefreshes > before ? true : undefined), 10_000, 'a CodeLens refresh');
    assert.ok(!(await titles()).some(t => /above .* tolerance/.test(t)));
  });

  it('honours rampart.debounceMs, and a change within it supersedes the previous one', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 1500 } });
    const shop = fileUri(path.join(ws, 'models/shop.threatmodel.yaml'));
    await client.open(shop, EXAMPLE);
    await client.diagnosticsWhere(shop, x => x.version === 1);
    const t0 = Date.now();
    const top = { line: 0, character: 0 };
    const v1 = await client.change(shop, [{ range: { start: top, end: top }, text: '# edited\n' }]);
    const v2 = await client.change(shop, [{ range: { start: top, end: top }, text: '# again\n' }]);
    await client.diagnosticsWhere(shop, x => x.version === v2, 10_000);
    assert.ok(Date.now() - t0 >= 1400, `published after ${Date.now() - t0} ms`);
    assert.ok(!client.diagnostics.get(shop)!.some(x => x.version === v1), 'the superseded version is never published');
  });
});

describe('language server: stale work', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient;

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('drops the analysis of a version superseded while it waited, and answers its requests with ContentModified', async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-stale-'));
    fs.writeFileSync(path.join(ws, 'shop.threatmodel.yaml'), EXAMPLE);
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    // Settings take 500 ms to arrive: version 1 is still waiting for them when version 2 comes.
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0, 'diagnostics.scope': 'openFiles' }, configurationDelayMs: 500 });
    await client.open(uri, EXAMPLE);
    const hover = client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(EXAMPLE, '  checkout-skimming:', 5) });
    const top = { line: 0, character: 0 };
    const v2 = await client.change(uri, [{ range: { start: top, end: top }, text: '# edited\n' }]);
    await assert.rejects(hover, (e: { code?: number }) => e.code === -32801, 'ContentModified');
    const p = await client.diagnosticsWhere(uri, x => x.version === v2);
    assert.equal(headlines(p).length, 5);
    assert.ok(!client.diagnostics.get(uri)!.some(x => x.version === 1), 'version 1 was never published');
  });
});

describe('language server with a minimal client', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient;

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  beforeEach(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-min-'));
    fs.writeFileSync(path.join(ws, 'shop.threatmodel.yaml'), EXAMPLE);
    // No configuration pull, no resolve, no snippets, no hierarchical symbols, no Markdown, no progress.
    client = await LspClient.start({ folders: [ws], capabilities: {} });
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('gets eager edits, plain text, flat symbols and pushed settings', async () => {
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    await client.configurationChanged({ rampart: { debounceMs: 0, 'diagnostics.scope': 'openFiles' } });
    await client.open(uri, EXAMPLE, 'yaml'); // a client that only knows YAML: recognised by the file name
    const p = await client.diagnosticsWhere(uri, x => headlines(x).length > 0);
    assert.equal(p.version, undefined, 'no versionSupport');
    assert.equal(p.diagnostics[0].relatedInformation, undefined, 'no relatedInformation support');
    const [d] = onLine(headlines(p), lineOf(EXAMPLE, '  checkout-skimming:'));
    const actions = await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }) as CodeAction[];
    const accept = actions.find(a => a.title.startsWith('Accept the risk'))!;
    assert.ok(accept.edit?.changes?.[uri]?.length, 'the edit comes with the action');
    assert.equal(accept.data, undefined);

    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(EXAMPLE, '  checkout-skimming:', 5) }) as Hover;
    assert.equal((h.contents as MarkupContent).kind, 'plaintext');

    const symbols = await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }) as { name: string; containerName?: string; location: Location }[];
    assert.ok(symbols.some(s => s.name === 'checkout-skimming' && s.containerName === 'threats' && s.location.uri === uri));

    const at = EXAMPLE.indexOf('  checkout-skimming:');
    const list = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: client.document(uri).positionAt(EXAMPLE.indexOf('\n', at) + 1) }) as CompletionList;
    assert.ok(list.items.every(i => i.insertTextFormat !== 2), 'no snippets');
    assert.ok(list.items.every(i => !/\$\{?\d/.test((i.textEdit as { newText: string }).newText)), 'snippet syntax removed');
    assert.equal(client.progress.length, 0, 'no progress without workDoneProgress');
    assert.equal(client.registrations.length, 0, 'no dynamic registration');
  });
});

describe('language server: no `vscode` anywhere', () => {
  it('src/server and src/shared never import vscode, and the bundle never requires it', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(ROOT, p));
      }
    };
    walk(path.join(ROOT, 'src/server'));
    walk(path.join(ROOT, 'src/shared'));
    assert.deepEqual(offenders, []);
    ensureServerBuilt();
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, 'dist/server.js'), 'utf8'), /require\(["']vscode["']\)/);
  });
});

describe('language server over node IPC', function () {
  this.timeout(60_000);
  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  it('initializes and shuts down over --node-ipc', async () => {
    const { fork } = await import('node:child_process');
    const { IPCMessageReader, IPCMessageWriter, createProtocolConnection, InitializeRequest, ShutdownRequest, ExitNotification } = await import('vscode-languageserver/node');
    const proc = fork(path.join(ROOT, 'dist/server.js'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const conn = createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    conn.listen();
    const exited = new Promise<number | null>(resolve => proc.on('exit', code => resolve(code)));
    const result = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
    assert.equal(result.serverInfo?.name, 'rampart');
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
    conn.dispose();
  });
});
