/**
 * Team libraries (#16) in the language server (dist/server.js over stdio): a model's library is read in the
 * background and its rules reach the diagnostics; a change of the library file on disk analyses the model again;
 * problems of a library file are published on that file; the template and catalog requests give edits.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { LibraryTemplatesRequest, LibraryThreatsRequest, TemplateEditRequest } from '../../../src/shared/requests';
import { ensureServerBuilt, fileUri, LspClient, ROOT } from '../server/lspClient';

const EXAMPLE = path.join(ROOT, 'examples', 'library');
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map(d => String(d.code));

describe('language server: team libraries', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient | undefined;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-library-'));
    fs.mkdirSync(path.join(ws, '.git'));
    for (const f of ['acme.rampart.yaml', 'shop.threatmodel.yaml']) write(f, fs.readFileSync(path.join(EXAMPLE, f), 'utf8'));
  });
  afterEach(async () => {
    if (client) await client.stop();
    client = undefined;
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('runs the library rules of the open model, and again when the library file changes on disk', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    const text = fs.readFileSync(path.join(ws, 'shop.threatmodel.yaml'), 'utf8');
    await client.open(uri, text);
    const p = await client.diagnosticsWhere(uri, x => codes(x).includes('acme/public-api-without-waf'));
    assert.ok(!codes(p).includes('acme/db-without-backup') && !codes(p).includes('acme/cache-without-auth'));
    // a hover on the finding explains the library's rule as it explains a built-in one
    const d = p.diagnostics.find(x => x.code === 'acme/public-api-without-waf')!;
    const hover = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: d.range.start }) as { contents: { value: string } };
    assert.match(hover.contents.value, /Internet\\?-facing API without a WAF.*· rule `acme\/public-api-without-waf` of a team library/);
    assert.match(hover.contents.value, /What to do: /);

    // the cache rule now asks for a control the cache lacks: it fires after the file changes
    const lib = path.join(ws, 'acme.rampart.yaml');
    write('acme.rampart.yaml', fs.readFileSync(lib, 'utf8').replace('missing_controls: [authentication] }', 'missing_controls: [monitoring] }'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(lib), type: 2 }] });
    await client.diagnosticsWhere(uri, x => codes(x).includes('acme/cache-without-auth'));
  });

  it('publishes a library file\'s problems on that file, and library/invalid on the model', async () => {
    write('.rampart/bad.yaml', 'rampart-library: 1\nname: bad\nrules:\n  r:\n    title: R\n    message: M\n    colour: red\n    when: { element: { type: store } }\n    threat: { title: T }\n');
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'm.threatmodel.yaml'));
    await client.open(uri, 'rampart: 1\ntitle: M\n');
    await client.diagnosticsWhere(uri, x => codes(x).includes('library/invalid'));
    const onLib = await client.diagnosticsWhere(fileUri(path.join(ws, '.rampart', 'bad.yaml')), x => x.diagnostics.length > 0);
    assert.equal(onLib.diagnostics[0].range.start.line, 6);
    assert.match(String(onLib.diagnostics[0].message), /colour/);
  });

  it('a library that cannot be read shows on its policy.libraries entry (library/unreadable), and goes once installed', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    const text = fs.readFileSync(path.join(ws, 'shop.threatmodel.yaml'), 'utf8')
      .replace('libraries: [./acme.rampart.yaml]', 'libraries: [./acme.rampart.yaml, "@acme/not-installed", ./nope.rampart.yaml]');
    assert.ok(text.includes('@acme/not-installed'));
    await client.open(uri, text);
    const p = await client.diagnosticsWhere(uri, x => x.diagnostics.filter(d => d.code === 'library/unreadable').length === 2);
    const line = text.split('\n').findIndex(l => l.includes('@acme/not-installed'));
    const unreadable = p.diagnostics.filter(d => d.code === 'library/unreadable');
    assert.deepEqual(unreadable.map(d => d.range.start.line), [line, line]);
    const [pkg, file] = [unreadable.find(d => /not-installed/.test(String(d.message)))!, unreadable.find(d => /nope\.rampart\.yaml/.test(String(d.message)))!];
    assert.ok(pkg && file, unreadable.map(d => d.message).join('\n'));
    assert.ok(text.split('\n')[line]!.slice(pkg.range.start.character, pkg.range.end.character).includes('@acme/not-installed'), 'on the entry itself');
    assert.ok(codes(p).includes('acme/public-api-without-waf'), 'the library that can be read still runs');
    // the missing file appears: its finding goes
    write('nope.rampart.yaml', 'rampart-library: 1\nname: nope\n');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(ws, 'nope.rampart.yaml')), type: 1 }] });
    await client.diagnosticsWhere(uri, x => x.diagnostics.filter(d => d.code === 'library/unreadable').length === 1);
  });

  it('answers the template and catalog requests with the library of the model', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0 } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    const text = fs.readFileSync(path.join(ws, 'shop.threatmodel.yaml'), 'utf8');
    const t = await client.conn.sendRequest(LibraryTemplatesRequest, { uri, text });
    assert.deepEqual(t.libraries, ['acme']);
    assert.deepEqual(t.templates.map(x => x.id).sort(), ['acme/managed-store', 'acme/postgres']);
    const pg = t.templates.find(x => x.id === 'acme/postgres')!;
    assert.deepEqual([pg.type, pg.kind, pg.threats, pg.extends], ['store', 'database', 2, ['acme/managed-store']]);
    assert.deepEqual(t.boundaries.map(b => b.id), ['internet', 'platform']);
    const edit = await client.conn.sendRequest(TemplateEditRequest, { uri, text, template: 'acme/postgres', boundary: 'platform' });
    assert.equal(edit.refusal, undefined);
    assert.equal(edit.id, 'postgresql');
    assert.ok(edit.edits.some(e => e.text.includes('boundary: platform')));
    const threats = await client.conn.sendRequest(LibraryThreatsRequest, { uri, text, target: 'orders-db' });
    assert.deepEqual(threats.threats.map(x => x.id), ['acme/pg-sqli']);
    assert.equal(threats.threats[0].title, 'SQL injection into Orders DB');
    const none = await client.conn.sendRequest(LibraryThreatsRequest, { uri, text, target: 'sessions' });
    assert.deepEqual(none.threats.map(x => x.id), ['acme/redis-open']);
  });
});
