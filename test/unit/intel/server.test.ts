/**
 * Offline threat intelligence in the language server: the feeds of `rampart.intel.files` and the models' SBOMs
 * are read in the background; open models are analysed again when they are loaded or change on disk.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { ensureServerBuilt, fileUri, LspClient, diagnosticText, writeIn } from '../server/lspClient';
import { kevText, osvText, rawKev } from './helpers';

const MODEL = `rampart: 1
title: Shop
elements:
  web:
    type: process
    name: Web server
    technology: Apache HTTP Server 2.4.49
  api:
    type: process
    name: API
    sbom: sbom/api.cdx.json
`;
const SBOM = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ name: 'i18next', purl: 'pkg:npm/i18next@1.10.2' }] });

const msg = diagnosticText;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map(d => String(d.code)).filter(c => c.startsWith('intel/'));

describe('language server: threat-intelligence feeds (intel/*)', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient | undefined;
  const write = (rel: string, text: string) => writeIn(ws, rel, text);

  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-intel-'));
    write('feeds/kev.json', kevText());
    write('feeds/osv/i18next.json', osvText('less_than_equals_with_patch.osv.json'));
    write('sbom/api.cdx.json', SBOM);
    write('shop.threatmodel.yaml', MODEL);
  });

  afterEach(async () => {
    if (client) await client.stop();
    client = undefined;
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('reports known exploited technologies and SBOM components from the feeds of rampart.intel.files, and follows a feed that changes', async () => {
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0, intel: { files: ['feeds/kev.json', 'feeds/osv'] } } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    await client.open(uri, MODEL);
    const p = await client.diagnosticsWhere(uri, x => codes(x).includes('intel/known-exploited') && codes(x).includes('intel/vulnerable-component'));
    const kev = p.diagnostics.find(d => d.code === 'intel/known-exploited')!;
    assert.equal(kev.range.start.line, 6, 'on the technology line');
    assert.match(msg(kev), /CISA KEV catalog .*\(feeds\/kev\.json, released/);
    const comp = p.diagnostics.find(d => d.code === 'intel/vulnerable-component')!;
    assert.equal(comp.range.start.line, 10, 'on the sbom line');
    assert.match(msg(comp), /i18next@1\.10\.2/);

    // the catalog without the Apache HTTP Server entries: the finding goes once the file change is seen
    const raw = rawKev();
    write('feeds/kev.json', JSON.stringify({ ...raw, vulnerabilities: raw.vulnerabilities.filter(v => !(v.vendorProject === 'Apache' && v.product === 'HTTP Server')) }));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(ws, 'feeds/kev.json')), type: 2 }] });
    await client.diagnosticsWhere(uri, x => !codes(x).includes('intel/known-exploited') && codes(x).includes('intel/vulnerable-component'));
  });

  it('a feed that cannot be read is a finding naming it', async () => {
    write('feeds/kev.json', '{"catalogVersion": ');
    client = await LspClient.start({ folders: [ws], settings: { debounceMs: 0, intel: { files: ['feeds/kev.json'] } } });
    const uri = fileUri(path.join(ws, 'shop.threatmodel.yaml'));
    await client.open(uri, MODEL);
    const p = await client.diagnosticsWhere(uri, x => codes(x).includes('intel/unreadable-feed'));
    assert.match(msg(p.diagnostics.find(d => d.code === 'intel/unreadable-feed')!), /feeds\/kev\.json is not valid JSON/);
  });
});
