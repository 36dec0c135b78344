/**
 * `rampart import` and `rampart export` with the formats and guarantees of #14: Threagile includes read from the
 * imported file's folder (never outside it, not even through a symbolic link), Threat Composer both ways, and
 * what an export cannot hold listed on standard error.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { corpusFile } from '../interop/corpus';
import { rampart, tmpdir, ROOT } from './run';

const MAIN = `threagile_version: 1.0.0
title: Split model
includes:
  - parts/assets.yaml
`;
const PART = `technical_assets:
  Web Shop:
    id: web-shop
    type: process
    usage: business
    size: application
    technology: web-server
    machine: container
    encryption: none
    owner: Shop team
    confidentiality: internal
    integrity: important
    availability: important
    internet: true
`;

describe('cli: import and export across tools (#14)', () => {
  it('imports a Threagile model split with includes, reading the parts beside it', () => {
    const dir = tmpdir();
    fs.mkdirSync(path.join(dir, 'parts'));
    fs.writeFileSync(path.join(dir, 'main.yaml'), MAIN);
    fs.writeFileSync(path.join(dir, 'parts', 'assets.yaml'), PART);
    const r = rampart(['import', '--from', 'threagile', 'main.yaml'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ {2}web-shop:\n(?: {4}.*\n)*? {4}name: Web Shop$/m);
    assert.match(r.err, /^Imported 1 elements/m);
  });

  it('refuses an include that leads out of the folder, by .. or through a symbolic link, saying which', () => {
    const outside = tmpdir();
    fs.writeFileSync(path.join(outside, 'secret.yaml'), PART);
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'climb.yaml'), MAIN.replace('parts/assets.yaml', `../${path.basename(outside)}/secret.yaml`));
    let r = rampart(['import', '--from', 'threagile', 'climb.yaml'], { cwd: dir });
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, /^rampart import: .*secret\.yaml/m);
    assert.equal(r.out, '');
    fs.symlinkSync(outside, path.join(dir, 'parts'));
    fs.writeFileSync(path.join(dir, 'link.yaml'), MAIN.replace('assets.yaml', 'secret.yaml'));
    r = rampart(['import', '--from', 'threagile', 'link.yaml'], { cwd: dir });
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, /^rampart import: .*outside the folder/m);
    assert.equal(r.out, '');
  });

  it('imports an AWS Threat Composer file and says it has no elements or flows', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'ws.tc.json'), corpusFile('threat-composer/reinforce2024-ex1.tc.json'));
    const r = rampart(['import', '--from', 'threat-composer', 'ws.tc.json', '-o', 'ws.threatmodel.yaml'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^note: .*(discover|visual editor)/m);
    const check = rampart(['check', '--no-trace', '--format', 'json', 'ws.threatmodel.yaml'], { cwd: dir });
    const schemaErrors = (JSON.parse(check.out) as { files: { findings: { ruleId: string; severity: string }[] }[] }).files[0].findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
    assert.deepEqual(schemaErrors, []);
    const wrong = rampart(['import', '--from', 'threat-dragon', 'ws.tc.json'], { cwd: dir });
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /Threat Composer.*--from threat-composer/);
  });

  it('export lists on standard error what the target cannot hold, and writes Threagile as YAML', () => {
    const model = path.join(ROOT, 'examples', 'service-platform.threatmodel.yaml');
    const tc = rampart(['export', '--to', 'threat-composer', model]);
    assert.equal(tc.code, 0, tc.err);
    assert.equal(JSON.parse(tc.out).schema, 1);
    assert.match(tc.err, /^not exported: .*element/im);
    const tg = rampart(['export', '--to', 'threagile', model]);
    assert.equal(tg.code, 0, tg.err);
    assert.match(tg.out, /^threagile_version: /m);
    assert.match(tg.out, /^technical_assets:$/m);
  });
});
