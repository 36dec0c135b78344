/**
 * Team libraries (#16) in the CLI, run as a user would (dist/cli.js): `check` reports a library rule's finding
 * on examples/library/shop.threatmodel.yaml (and its SARIF driver documents the library's rules), `rules`
 * lists them beside the built-in ones, `report` and `plan` use them, and unreadable libraries exit 2 with a
 * message.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, ROOT, rampart, tmpdir } from './run';

const SHOP = 'examples/library/shop.threatmodel.yaml';
const LIBRARY = 'examples/library/acme.rampart.yaml';

describe('rampart and team libraries', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('check: a library rule fires, one is reconciled by a tracked threat, one does not fire', () => {
    const r = rampart(['check', SHOP]);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.match(r.out, /^examples\/library\/shop\.threatmodel\.yaml:23:3 warning acme\/public-api-without-waf Storefront API \(storefront\) is reachable from the internet without a WAF/m);
    assert.doesNotMatch(r.out, /acme\/db-without-backup/, 'reconciled by orders-db-no-backup');
    assert.doesNotMatch(r.out, /acme\/cache-without-auth/, 'the cache authenticates its clients');
  });

  it('check: without the tracked threat, db-without-backup fires; a library found in .rampart/ counts too', () => {
    const dir = tmpdir();
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, '.rampart'));
    fs.copyFileSync(path.join(ROOT, LIBRARY), path.join(dir, '.rampart', 'acme.yaml'));
    const model = fs.readFileSync(path.join(ROOT, SHOP), 'utf8')
      .replace('libraries: [./acme.rampart.yaml]', 'libraries: []')
      .replace(/threats:\n[\s\S]*?\nmitigations:\n.*\n/, '');
    fs.writeFileSync(path.join(dir, 'shop.threatmodel.yaml'), model);
    const r = rampart(['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const ids = JSON.parse(r.out).files[0].findings.map((f: { ruleId: string; stableId?: string }) => f.stableId ?? f.ruleId);
    assert.ok(ids.includes('acme/db-without-backup@orders-db'), ids.join(' '));
    assert.ok(ids.includes('acme/public-api-without-waf@storefront'));
    assert.ok(!ids.some((i: string) => i.startsWith('acme/cache-without-auth')));
  });

  it('check --format sarif: the driver lists the library rules and results point at them', () => {
    const r = rampart(['check', SHOP, '--format', 'sarif']);
    const run = JSON.parse(r.out).runs[0];
    const rules = run.tool.driver.rules as { id: string; properties: { tags: string[] } }[];
    for (const id of ['acme/db-without-backup', 'acme/public-api-without-waf', 'acme/cache-without-auth']) assert.ok(rules.some(x => x.id === id), id);
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'acme/public-api-without-waf');
    assert.equal(rules[result.ruleIndex].id, 'acme/public-api-without-waf');
    assert.ok(rules[result.ruleIndex].properties.tags.includes('external/cwe/cwe-20'));
  });

  it('rules --library lists the library rules after the built-in ones; rules MODEL too', () => {
    const r = rampart(['rules', '--library', LIBRARY]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^risk\/unmitigated-above-tolerance +error/m);
    assert.match(r.out, /^acme\/public-api-without-waf +warning +Internet-facing API without a WAF +\(library\)$/m);
    assert.ok(r.out.indexOf('acme/db-without-backup') > r.out.indexOf('risk/unmitigated-above-tolerance'));
    const json = JSON.parse(rampart(['rules', '--library', 'examples/library', '--format', 'json']).out) as { id: string; category: string }[];
    assert.equal(json.find(m => m.id === 'acme/cache-without-auth')?.category, 'library');
    assert.match(rampart(['rules', SHOP]).out, /^acme\/db-without-backup /m);
    assert.doesNotMatch(rampart(['rules']).out, /^acme\//m);
  });

  it('report and plan use the library', () => {
    const report = rampart(['report', SHOP, '--no-trace']);
    assert.equal(report.code, 0, report.err);
    assert.match(report.out, /acme\/public-api-without-waf/);
    assert.equal(rampart(['plan', SHOP]).code, 0);
  });

  it('a library that cannot be read: a message naming it, exit 2', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'm.threatmodel.yaml'), 'rampart: 1\ntitle: M\npolicy:\n  libraries: ["@acme/not-installed", ./nowhere]\n');
    const r = rampart(['check', '.'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /m\.threatmodel\.yaml: the library package '@acme\/not-installed' is not installed/);
    assert.match(r.err, /the library '\.\/nowhere' does not exist/);
    assert.equal(rampart(['rules', '--library', 'not-installed']).code, 2);
  });

  it('problems in a library file are printed located in it, and the model gets library/invalid', () => {
    const dir = tmpdir();
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, '.rampart'));
    fs.writeFileSync(path.join(dir, '.rampart', 'bad.yaml'), 'rampart-library: 1\nname: bad\nrules:\n  r:\n    title: R\n    message: M\n    colour: red\n    when: { element: { type: store } }\n    threat: { title: T }\n');
    fs.writeFileSync(path.join(dir, 'm.threatmodel.yaml'), 'rampart: 1\ntitle: M\n');
    const r = rampart(['check', '.'], { cwd: dir });
    assert.match(r.err, /^\.rampart\/bad\.yaml:7:5 error .*colour/m);
    assert.match(r.out, /library\/invalid/);
    assert.equal(r.code, 1);
  });
});
