import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, RAW_UNSAFE_IN_DOCUMENT, rampart, tmpdir } from './run';

/**
 * `dump` (high) needs `hsm` and `waf`; `guess` (medium) needs `waf`. Customer data is worth 100,000 and is
 * dumped once in five years (20,000 a year); sessions are worth 10,000 and stolen once a year.
 */
const MODEL = `rampart: 1
title: Plan CLI
policy: { tolerance: low, currency: USD }
assets:
  customers: { name: Customer data, classification: confidential, value: 100000 }
  sessions: { name: Sessions, classification: confidential, value: 10000 }
elements:
  db: { type: store, name: Database, stores: [customers] }
  api: { type: process, name: API, processes: [sessions] }
threats:
  dump: { title: Database dump, targets: [db], likelihood: likely, impact: major, annual_rate: 0.2, status: open, mitigations: [hsm, waf] }
  guess: { title: Session guessing, targets: [api], likelihood: possible, impact: moderate, annual_rate: 1, status: open, mitigations: [waf] }
mitigations:
  hsm: { title: Hardware security module, status: proposed, annual_cost: 30000, cost: 8000 }
  waf: { title: Web application firewall, status: planned, annual_cost: 5000 }
  mfa: { title: MFA for admins, status: implemented, evidence: [a] }
`;

function write(text = MODEL): string {
  const file = path.join(tmpdir(), 'm.threatmodel.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('rampart plan', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('prints the mitigations still to do, highest risk closed first, with reduction, costs and ROSI in the currency', () => {
    const r = rampart(['plan', write()]);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.split('\n').filter(l => /^\d+ /.test(l));
    // both close the high threat; waf has the better return (it also closes `guess`)
    assert.deepEqual(rows.map(l => l.split(/\s+/)[2]), ['waf', 'hsm']);
    assert.match(rows[0], /USD 20,000 .*USD 5,000 .*\+300 %/, 'waf: half of dump (10,000) and all of guess (10,000) for 5,000 a year');
    assert.match(rows[1], /USD 10,000 .*USD 30,000 .*USD 8,000 .*-67 %/);
    assert.match(rows[1], /dump \(high\)$/);
    assert.doesNotMatch(r.out, /\bmfa\b/, 'implemented mitigations are done, not planned');
    assert.match(r.out, /Total: USD 30,000 a year of loss reduction for USD 35,000 a year and USD 8,000 once\./);
  });

  it('--format json gives the plan with nulls for what is unknown', () => {
    const r = rampart(['plan', write(MODEL.replace(', cost: 8000', '').replace(', annual_cost: 30000', '')), '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.currency, 'USD');
    assert.equal(j.tolerance, 'low');
    assert.deepEqual(j.entries.map((e: { id: string }) => e.id), ['waf', 'hsm']);
    const hsm = j.entries[1];
    assert.equal(hsm.annualCost, null);
    assert.equal(hsm.rosi, null);
    assert.equal(hsm.reduction, 10000);
    assert.deepEqual(hsm.threats.map((t: { id: string; level: string }) => [t.id, t.level]), [['dump', 'high']]);
  });

  it('--format markdown gives a document with the plan table; -o writes it to a file', () => {
    const out = path.join(tmpdir(), 'plan.md');
    const r = rampart(['plan', write(), '--format', 'markdown', '-o', out]);
    assert.equal(r.code, 0, r.err);
    const md = fs.readFileSync(out, 'utf8');
    assert.match(md, /^# Mitigation plan \(fix first\)$/m);
    assert.match(md, /^\| 1 \| Web application firewall<br>`waf` \| planned \|/m);
  });

  it('is in check --format json beside the ranked threats', () => {
    const r = rampart(['check', write(), '--format', 'json']);
    const file = JSON.parse(r.out).files[0];
    assert.ok(file.threats.length === 2);
    assert.deepEqual(file.plan.entries.map((e: { id: string }) => e.id), ['waf', 'hsm']);
    assert.equal(file.plan.currency, 'USD');
  });

  it('exit 2 on a usage error or a missing file; the file names its errors on standard error', () => {
    assert.equal(rampart(['plan']).code, 2);
    assert.equal(rampart(['plan', write(), '--format', 'sarif']).code, 2);
    assert.equal(rampart(['plan', 'no-such.threatmodel.yaml']).code, 2);
    const broken = rampart(['plan', write(MODEL.replace('status: planned', 'status: someday'))]);
    assert.equal(broken.code, 0);
    assert.match(broken.err, /has 1 error\(s\)/);
    assert.doesNotMatch(broken.out, /\bwaf\b/, 'an invalid entry is not planned');
  });

  it('keeps the model text from driving the terminal (a title with escape codes, printed as Markdown)', () => {
    const r = rampart(['plan', write(MODEL.replace('Hardware security module', '"HSM \\u001b[31m red \\u202e"')), '--format', 'markdown']);
    assert.equal(r.code, 0);
    assert.match(r.out, /HSM .*red/, 'the title is shown');
    assert.doesNotMatch(r.out, RAW_UNSAFE_IN_DOCUMENT);
  });

  it('is listed in rampart --help and has its own --help', () => {
    assert.match(rampart(['--help']).out, /^ {2}plan FILE /m);
    const h = rampart(['plan', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /ROSI/);
  });
});
