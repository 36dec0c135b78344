/**
 * Team threat libraries (#16) in the real extension host: the example library (examples/library) beside a model
 * in the workspace; its custom rule's diagnostic shows on the model, "Add Component from Template" inserts the
 * template's element, threats and mitigations in one undoable edit, "Add Threat from Library" adds a catalog
 * threat, and a library file with an error gets its diagnostic on the library file itself.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAllEditors, ruleIdOf, waitFor, waitForDiagnostics } from './helpers';

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
/** dist/test/suite.js -> the repository's examples/library. */
const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'library');

function folderUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}
async function write(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}
async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('library: team threat libraries (#16)', function () {
  this.timeout(60000);
  before(async () => {
    for (const f of ['acme.rampart.yaml', 'shop.threatmodel.yaml']) await write(folderUri('library', f), fs.readFileSync(path.join(EXAMPLE, f), 'utf8'));
  });
  afterEach(closeAllEditors);
  after(async () => {
    for (const d of ['library', 'library-bad']) await vscode.workspace.fs.delete(folderUri(d), { recursive: true, useTrash: false }).then(undefined, () => {});
  });

  it('opening the example model shows the custom rule\'s diagnostic; the reconciled and the silent rule show none', async () => {
    const doc = await open(folderUri('library', 'shop.threatmodel.yaml'));
    const ds = await waitForDiagnostics(doc.uri, x => x.some(d => ruleIdOf(d) === 'acme/public-api-without-waf'), 30000);
    const d = ds.find(x => ruleIdOf(x) === 'acme/public-api-without-waf')!;
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(doc.lineAt(d.range.start.line).text.trimStart().startsWith('storefront:'), true, 'on the storefront element');
    assert.ok(!ds.some(x => ruleIdOf(x) === 'acme/db-without-backup'), 'reconciled by the tracked threat');
    assert.ok(!ds.some(x => ruleIdOf(x) === 'acme/cache-without-auth'), 'does not fire');
    assert.ok(!ds.some(x => ruleIdOf(x) === 'library/invalid'), 'the example library has no errors');
  });

  it('rampart.addFromTemplate inserts the element, its threats and mitigations in one undoable edit', async () => {
    const uri = folderUri('library', 'template.threatmodel.yaml');
    const before = 'rampart: 1\ntitle: Template test\npolicy:\n  libraries: [./acme.rampart.yaml]\n# the parts\nelements:\n  web: { type: process, name: Web }\n';
    await write(uri, before);
    const doc = await open(uri);
    const r = await run<{ id: string; threats: string[]; mitigations: string[] }>('rampart.addFromTemplate', doc.uri, { template: 'acme/postgres', name: 'Orders DB' });
    assert.strictEqual(r.id, 'orders-db');
    assert.deepStrictEqual(r.threats, ['orders-db-pg-sqli', 'orders-db-dump-leak']);
    assert.strictEqual(r.mitigations.length, 2);
    const text = doc.getText();
    assert.ok(text.startsWith(before.replace(/\n$/, '')), 'the text before is kept, comments too');
    assert.match(text, /\n {2}orders-db: \{ type: store, name: Orders DB, kind: database, technology: PostgreSQL 16/, 'in the style of the elements before it');
    assert.match(text, /SQL injection into Orders DB/);
    assert.match(text, /controls: \[.*backup.*\]/, 'extends managed-store: its controls add up');
    await vscode.window.showTextDocument(doc);
    await run('undo');
    assert.strictEqual(doc.getText(), before, 'one undo takes the whole insertion back');
    await assert.rejects(() => Promise.resolve(run('rampart.addFromTemplate', doc.uri, { template: 'acme/nope' })), /no template `acme\/nope`/);
  });

  it('rampart.addThreatFromLibrary adds a catalog threat to an element', async () => {
    const uri = folderUri('library', 'threat.threatmodel.yaml');
    await write(uri, 'rampart: 1\ntitle: Threat test\npolicy:\n  libraries: [./acme.rampart.yaml]\nelements:\n  db: { type: store, name: Main DB, kind: database, technology: PostgreSQL }\n');
    const doc = await open(uri);
    const ids = await run<string[]>('rampart.addThreatFromLibrary', doc.uri, { entry: 'acme/pg-sqli', target: 'db' });
    assert.deepStrictEqual(ids, ['db-pg-sqli']);
    assert.match(doc.getText(), /db-pg-sqli:\n {4}title: SQL injection into Main DB\n/);
  });

  it('a library file with an error: a diagnostic on the library file, and library/invalid on the model', async () => {
    const lib = folderUri('library-bad', '.rampart', 'bad.yaml');
    await write(lib, 'rampart-library: 1\nname: bad\nrules:\n  r:\n    title: R\n    message: M\n    colour: red\n    when: { element: { type: store } }\n    threat: { title: T }\n');
    const model = folderUri('library-bad', 'm.threatmodel.yaml');
    await write(model, 'rampart: 1\ntitle: Bad library\n');
    const doc = await open(model);
    await waitForDiagnostics(doc.uri, x => x.some(d => ruleIdOf(d) === 'library/invalid'), 30000);
    const onLibrary = await waitFor('diagnostics on bad.yaml', () => {
      const ds = vscode.languages.getDiagnostics(lib);
      return ds.length ? ds : undefined;
    }, 30000);
    assert.strictEqual(onLibrary[0].range.start.line, 6, 'located at the unknown key');
    assert.match(onLibrary[0].message, /colour/);
  });
});
