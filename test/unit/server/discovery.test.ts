/**
 * Drift as live diagnostics (#12): the language server discovers the workspace folder's Compose file and
 * OpenAPI description in the background, reports on each model what it lacks, offers "Add to model", and
 * follows the files as they change on disk.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodeActionRequest, CodeActionResolveRequest, type CodeAction, type Diagnostic, type PublishDiagnosticsParams, type WorkspaceEdit } from 'vscode-languageserver/node';
import { parse } from 'yaml';
import { ensureServerBuilt, fileUri, LspClient, diagnosticText, writeIn } from './lspClient';

const COMPOSE = `services:
  web:
    image: nginx:1.27
    ports: ["443:443"]
    depends_on: [db]
    environment:
      DATABASE_URL: postgres://db:5432/shop
  db:
    image: postgres:16
`;

const MODEL = `rampart: 1
title: Shop
elements:
  web:
    type: process
    name: web
    internet_facing: true
flows: {}
`;

const msg = diagnosticText;
const drift = (p: PublishDiagnosticsParams) => p.diagnostics.filter(d => String(d.code).startsWith('discover/'));
const named = (p: PublishDiagnosticsParams, code: string, needle: string) => drift(p).filter(d => d.code === code && msg(d).includes(needle));

describe('language server: drift from the workspace (discover/*)', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient | undefined;
  const write = (rel: string, text: string) => writeIn(ws, rel, text);

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-discover-'));
    write('deploy/compose.yaml', COMPOSE);
    write('shop.threatmodel.yaml', MODEL);
    fs.mkdirSync(path.join(ws, '.git')); // the repository: a model in docs/ may name ../deploy/compose.yaml
    write('node_modules/pkg/compose.yaml', 'services:\n  ignored:\n    image: redis\n');
  });

  afterEach(async () => {
    if (client) await client.stop();
    client = undefined;
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('reports a Compose service the model lacks, and "Add to model" adds it with its flow and source', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    await client.open(uri, MODEL);
    const p = await client.diagnosticsWhere(uri, x => named(x, 'discover/undeclared-component', '`db`').length === 1);
    const [d] = named(p, 'discover/undeclared-component', '`db`');
    assert.match(msg(d), /in deploy\/compose\.yaml is not in the threat model/);
    assert.equal(d.range.start.line, 2, 'on the `elements:` key');
    assert.ok(!drift(p).some(x => msg(x).includes('ignored')), 'node_modules is not discovered');
    // web -> db is declared (depends_on, DATABASE_URL) but db is not in the model: that is the component's finding, not a flow's
    assert.equal(drift(p).filter(x => x.code === 'discover/undeclared-flow').length, 0);

    const actions = await client.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
    }) as CodeAction[];
    const add = actions.find(a => a.title.startsWith('Add to model'));
    assert.ok(add, actions.map(a => a.title).join(' | '));
    assert.equal(add.isPreferred, true);
    const resolved = await client.conn.sendRequest(CodeActionResolveRequest.type, add) as CodeAction & { edit: WorkspaceEdit };
    const version = await client.applyWorkspaceEdit(uri, resolved.edit);
    const text = client.text(uri);
    const model = parse(text) as { elements: Record<string, { type: string; source?: string }>; flows: Record<string, { from: string; to: string; protocol?: string }> };
    assert.deepEqual({ type: model.elements.db?.type, source: model.elements.db?.source }, { type: 'store', source: 'deploy/compose.yaml:8' }, text);
    assert.deepEqual(Object.values(model.flows).map(f => [f.from, f.to, f.protocol]), [['web', 'db', 'postgresql']], 'with its flow from web');
    const after = await client.diagnosticsWhere(uri, x => x.version === version);
    assert.deepEqual(drift(after).filter(x => msg(x).includes('`db`')), [], 'the finding is gone');
    assert.ok(!after.diagnostics.some(x => String(x.code).startsWith('schema/')), JSON.stringify(after.diagnostics.map(x => x.message)));

    // Resolving it again on the new text has nothing left to add.
    const again = await client.conn.sendRequest(CodeActionResolveRequest.type, { ...add, edit: undefined }) as CodeAction & { edit: WorkspaceEdit };
    assert.equal((again.edit.documentChanges![0] as { edits: unknown[] }).edits.length, 0);
  });

  it('follows the files on disk: a service added to the Compose file appears, a removed one leaves its entry with a missing source', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'docs/shop.threatmodel.yaml'));
    const model = MODEL.replace('    internet_facing: true\n', '    internet_facing: true\n    source: ../deploy/compose.yaml:2\n');
    write('docs/shop.threatmodel.yaml', model);
    await client.open(uri, model);
    await client.diagnosticsWhere(uri, x => named(x, 'discover/undeclared-component', '`db`').length === 1).catch(e => { throw new Error(`${e.message}: ${JSON.stringify(client!.diagnostics.get(uri)?.map(drift))}`); });

    write('deploy/compose.yaml', COMPOSE.replace('services:\n', 'services:\n  billing:\n    image: ghcr.io/acme/billing:2\n'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(ws, 'deploy/compose.yaml')), type: 2 }] });
    const p = await client.diagnosticsWhere(uri, x => named(x, 'discover/undeclared-component', '`billing`').length === 1).catch(e => { throw new Error(`${e.message}: ${JSON.stringify(client!.diagnostics.get(uri)?.map(drift))}`); });
    assert.match(msg(named(p, 'discover/undeclared-component', '`billing`')[0]), /in \.\.\/deploy\/compose\.yaml/, 'paths relative to the model');

    fs.rmSync(path.join(ws, 'deploy/compose.yaml'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(ws, 'deploy/compose.yaml')), type: 3 }] });
    const gone = await client.diagnosticsWhere(uri, x => drift(x).some(d => d.code === 'discover/missing-source')).catch(e => { throw new Error(`${e.message}: ${JSON.stringify(client!.diagnostics.get(uri)?.map(drift))}`); });
    const missing: Diagnostic[] = drift(gone);
    assert.deepEqual(missing.map(d => d.code), ['discover/missing-source'], 'nothing else is declared any more');
    assert.match(msg(missing[0]), /`web` was discovered in \.\.\/deploy\/compose\.yaml, but that file no longer exists/);
  });

  it('says nothing with rampart.discover.enabled off', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0, discover: { enabled: false } } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    await client.open(uri, MODEL);
    const p = await client.diagnosticsWhere(uri, x => x.version === 1);
    // give the background discovery time it would need, then look again
    await new Promise(r => setTimeout(r, 1500));
    const all = client.diagnostics.get(uri)!;
    assert.deepEqual([...drift(p), ...drift(all[all.length - 1])], []);
  });

  it('beside other models, a model answers only for the folders its source: entries name; a hand-written one gets no drift', async () => {
    write('other/compose.yaml', 'services:\n  mailer:\n    image: example/mailer\n');
    const drafted = MODEL.replace('    internet_facing: true\n', '    internet_facing: true\n    source: deploy/compose.yaml:2\n');
    write('drafted.threatmodel.yaml', drafted);
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const hand = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    const uri = fileUri(path.join(ws, 'drafted.threatmodel.yaml'));
    await client.open(hand, MODEL);
    await client.open(uri, drafted);
    const p = await client.diagnosticsWhere(uri, x => named(x, 'discover/undeclared-component', '`db`').length === 1);
    assert.deepEqual(named(p, 'discover/undeclared-component', 'mailer'), [], 'other/ is not where it was drafted from');
    // by now the folder is discovered, and the hand-written model analysed again (its diagnostics are sent again only when they change)
    await new Promise(r => setTimeout(r, 1000));
    const h = await client.diagnosticsWhere(hand, () => true);
    assert.deepEqual(drift(h), []);
  });
});
