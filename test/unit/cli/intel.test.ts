import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, rampart, tmpdir } from './run';
import { KEV_FILE, OSV_DIR, rawKev } from '../intel/helpers';

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
    components: [pkg:npm/mixin-deep@1.3.1]
    sbom: sbom/api.cdx.json
`;
const SBOM = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ name: 'i18next', purl: 'pkg:npm/i18next@1.10.2' }] });

function project(model = MODEL) {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'sbom'));
  fs.writeFileSync(path.join(dir, 'shop.threatmodel.yaml'), model);
  fs.writeFileSync(path.join(dir, 'sbom/api.cdx.json'), SBOM);
  return dir;
}

describe('rampart check --intel', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('reports known exploited technologies and vulnerable components (also from the SBOM) on their lines', () => {
    const dir = project();
    const r = rampart(['check', '--intel', KEV_FILE, '--intel', OSV_DIR, '--fail-on', 'warning', '.'], { cwd: dir });
    assert.equal(r.code, 1, r.err);
    const lines = MODEL.split('\n');
    const lineOf = (s: string) => lines.findIndex(l => l.includes(s)) + 1;
    assert.match(r.out, new RegExp(`^shop\\.threatmodel\\.yaml:${lineOf('technology:')}:\\d+ warning intel/known-exploited Known exploited vulnerabilities exist for \`Apache HTTP Server 2\\.4\\.49\``, 'm'));
    for (const v of rawKev().vulnerabilities.filter(x => x.vendorProject === 'Apache' && x.product === 'HTTP Server')) assert.ok(r.out.includes(String(v.cveID)));
    assert.match(r.out, new RegExp(`^shop\\.threatmodel\\.yaml:${lineOf('components:')}:\\d+ warning intel/vulnerable-component \`mixin-deep@1\\.3\\.1\``, 'm'));
    assert.match(r.out, new RegExp(`^shop\\.threatmodel\\.yaml:${lineOf('sbom:')}:\\d+ warning intel/vulnerable-component \`i18next@1\\.10\\.2\`.*from its SBOM`, 'm'));
    // the corpus feeds are older than 30 days today
    assert.match(r.out, /warning intel\/stale-feed The CISA KEV catalog .* days old/);
    // the folder's file that is not an OSV record is skipped with a note naming it
    assert.match(r.err, /skipped 1 file\(s\) that are not OSV records \(osv-schema\.json/);
  });

  it('without --intel, no intel finding; JSON output carries the fix that adds the threat', () => {
    const dir = project();
    assert.ok(!rampart(['check', '--all', '.'], { cwd: dir }).out.includes('intel/'));
    const r = rampart(['check', '--format', 'json', '--intel', KEV_FILE, '.'], { cwd: dir });
    const findings = JSON.parse(r.out).files[0].findings as { ruleId: string; fixes?: string[] }[];
    const kev = findings.find(f => f.ruleId === 'intel/known-exploited')!;
    assert.match(kev.fixes![0], /^Add threat known-exploited@web/);
  });

  it('a feed that cannot be used stops with exit 2 and a message naming the file, never a stack trace', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"catalogVersion": "2025.01.01", "vulnerabilities": [');
    fs.writeFileSync(path.join(dir, 'other.json'), '{"hello": "world"}');
    for (const [feed, message] of [['broken.json', /not valid JSON/], ['other.json', /neither a CISA KEV catalog/], ['missing.json', /does not exist/]] as const) {
      const r = rampart(['check', '--intel', feed, '.'], { cwd: dir });
      assert.equal(r.code, 2, feed);
      assert.match(r.err, new RegExp(`cannot use the feed '${feed.replace('.', '\\.')}': it `));
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.equal(r.out, '');
    }
  });

  it('reads an SBOM only inside the model\'s folder', () => {
    const top = tmpdir();
    const dir = path.join(top, 'model');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'shop.threatmodel.yaml'), MODEL.replace('sbom/api.cdx.json', '../outside.cdx.json'));
    fs.writeFileSync(path.join(top, 'outside.cdx.json'), SBOM);
    const r = rampart(['check', '--intel', OSV_DIR, '.'], { cwd: dir });
    assert.match(r.out, /warning intel\/unreadable-sbom The SBOM `\.\.\/outside\.cdx\.json` of element `api` is outside the model's folder/);
    assert.ok(!r.out.includes('i18next'));
  });

  it('report --intel lists the intel findings', () => {
    const dir = project();
    const r = rampart(['report', 'shop.threatmodel.yaml', '--no-trace', '--intel', KEV_FILE], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /intel\/known-exploited/);
  });
});
