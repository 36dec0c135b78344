/**
 * Modelling without YAML (#11): the `rampart.add*` commands called with arguments, as other extensions and
 * tests call them, in the real extension host. Each adds one entry as one undoable edit and returns its id.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor } from './helpers';
import { writeModel } from './modelHelpers';

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

describe('modelling without YAML (rampart.add* commands)', function () {
  this.timeout(60000);
  afterEach(closeAllEditors);

  it('builds a model from `rampart: 1` with the commands: ids come back, the model checks, undo goes back one action at a time', async () => {
    const doc = await writeModel('authoring.threatmodel.yaml', 'rampart: 1\ntitle: Built by commands\n');
    const internet = await run<string>('rampart.addBoundary', doc.uri, { name: 'Internet', trust: 'untrusted' });
    const dmz = await run<string>('rampart.addBoundary', doc.uri, { name: 'DMZ', trust: 'partial' });
    const browser = await run<string>('rampart.addElement', doc.uri, { type: 'external', name: 'Browser', boundary: internet });
    const api = await run<string>('rampart.addElement', doc.uri, { type: 'process', name: 'Shop API', boundary: dmz, technology: 'Node.js' });
    const flow = await run<string>('rampart.addFlow', doc.uri.toString(), { from: browser, to: api, protocol: 'https', encrypted: true, authenticated: true });
    const threat = await run<string>('rampart.addThreat', doc.uri, { targets: [api], stride: ['spoofing'], title: 'Session tokens replayed', likelihood: 'likely', impact: 'major' });
    const mitigation = await run<string>('rampart.addMitigation', doc.uri, { threat, title: 'Short-lived tokens' });
    assert.deepStrictEqual([internet, dmz, browser, api, flow, threat, mitigation], ['internet', 'dmz', 'browser', 'shop-api', 'browser-to-shop-api', 'shop-api-spoofing', 'short-lived-tokens']);
    const text = doc.getText();
    assert.match(text, /\nflows:\n {2}browser-to-shop-api:\n {4}from: browser\n {4}to: shop-api\n {4}protocol: https\n/);
    assert.match(text, /\n {4}mitigations: \[short-lived-tokens\]\n/);
    // The server checks what was built: findings about the design, none about the format.
    const diagnostics = await waitFor('the analysis of the built model', () => {
      const ds = vscode.languages.getDiagnostics(doc.uri);
      return ds.some(d => String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('risk/')) ? ds : undefined;
    }, 30000);
    assert.deepStrictEqual(diagnostics.filter(d => String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('schema/')).map(d => d.message), []);
    // Undo: one action at a time, the last first.
    await vscode.window.showTextDocument(doc);
    await run('undo');
    assert.ok(!doc.getText().includes('short-lived-tokens'), 'undo removes the mitigation and its link');
    assert.ok(doc.getText().includes('shop-api-spoofing:'), 'the threat is still there');
    await run('undo');
    assert.ok(!doc.getText().includes('shop-api-spoofing:'), 'a second undo removes the threat');
    assert.ok(doc.getText().includes('browser-to-shop-api:'), 'the flow is still there');
  });

  it('refuses bad arguments with a message, and leaves the document alone', async () => {
    const doc = await writeModel('authoring-refused.threatmodel.yaml', 'rampart: 1\ntitle: x\nelements:\n  web: { type: process, name: Web }\n');
    const before = doc.getText();
    await assert.rejects(() => Promise.resolve(run('rampart.addFlow', doc.uri, { from: 'web', to: 'nope' })), /There is no element `nope`/);
    await assert.rejects(() => Promise.resolve(run('rampart.addElement', doc.uri, { type: 'robot', name: 'R2' })), /type/);
    await assert.rejects(() => Promise.resolve(run('rampart.addElement', doc.uri, { type: 'process', name: 'X', script: '<b>' })), /script|Unrecognized/i);
    assert.strictEqual(doc.getText(), before);
  });

  it('rampart.deleteEntry: refuses while references would dangle (naming them), deletes with references in one undoable edit', async () => {
    const text = 'rampart: 1\ntitle: x\n# the parts\nelements:\n  web: { type: process, name: Web }\n  db: { type: store, name: DB }\nflows:\n  q: { from: web, to: db, protocol: postgres }\nthreats:\n  dump:\n    title: DB dumped\n    targets: [db, web]\n    status: open\n';
    const doc = await writeModel('authoring-delete.threatmodel.yaml', text);
    await assert.rejects(() => Promise.resolve(run('rampart.deleteEntry', doc.uri, { section: 'elements', id: 'db' })), /flow `q`[\s\S]*threat `dump`|2 references/);
    assert.strictEqual(doc.getText(), text, 'a refused delete changes nothing');
    const removed = await run<string[]>('rampart.deleteEntry', doc.uri, { section: 'elements', id: 'db', withReferences: true });
    assert.deepStrictEqual(removed, ['db', 'q']);
    const after = doc.getText();
    assert.ok(!/\bdb\b/.test(after.replace('DB dumped', '')), `no reference to db is left:\n${after}`);
    assert.match(after, /targets: \[web\]/, 'the threat keeps its other target');
    assert.ok(after.includes('# the parts'), 'comments stay');
    await vscode.window.showTextDocument(doc);
    await run('undo');
    assert.strictEqual(doc.getText(), text, 'one undo brings everything back');
  });
});
