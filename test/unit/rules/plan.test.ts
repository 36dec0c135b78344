import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { computeFix } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import type { AnalysisSettings, FixSpec } from '../../../src/core/types';
import { findingLine } from '../helpers';

const NOW = new Date('2026-11-27T00:00:00Z');
const of = (text: string, rule: string, s: AnalysisSettings = {}) => analyze(text, { now: NOW, ...s }).findings.filter(f => f.ruleId === rule);

/**
 * Customer data worth 100,000 in the database; `dump` (high, above the medium tolerance) happens once in
 * five years: 20,000 a year. Its mitigations are given by the test.
 */
const model = (dump: string, mitigations: string) => `rampart: 1
title: Plan rules
policy: { tolerance: medium, currency: EUR }
assets:
  customers: { name: Customer data, classification: confidential, value: 100000 }
elements:
  db: { type: store, name: Database, stores: [customers] }
threats:
  dump:
    title: Database dump
    targets: [db]
    likelihood: likely
    impact: major
    annual_rate: 0.2
    status: open
${dump.split('\n').map(l => '    ' + l).join('\n')}
mitigations:
${mitigations.split('\n').map(l => '  ' + l).join('\n')}
`;

describe('plan/mitigation-costs-more-than-loss', () => {
  const R = 'plan/mitigation-costs-more-than-loss';

  it('fires, as info on its annual_cost, on a planned mitigation that costs more a year than the loss of every threat it closes', () => {
    const text = model('mitigations: [hsm]', 'hsm:\n  title: Hardware security module\n  status: planned\n  annual_cost: 25000');
    const f = of(text, R);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
    assert.equal(text.slice(f[0].range.start, f[0].range.end), '25000');
    assert.match(f[0].message, /`hsm` \(planned\) costs EUR 25,000 a year, more than all the annual loss it prevents: EUR 20,000 a year from `dump`/);
  });

  it('fires for proposed and in-progress mitigations too, never for implemented ones', () => {
    for (const status of ['proposed', 'in-progress']) {
      assert.equal(of(model('mitigations: [hsm]', `hsm: { title: HSM, status: ${status}, annual_cost: 25000 }`), R).length, 1, status);
    }
    assert.equal(of(model('mitigations: [hsm]', 'hsm: { title: HSM, status: implemented, evidence: [a], annual_cost: 25000 }'), R).length, 0);
  });

  it('does not fire when it costs less than the loss, or the same', () => {
    assert.equal(of(model('mitigations: [hsm]', 'hsm: { title: HSM, status: planned, annual_cost: 19000 }'), R).length, 0);
    assert.equal(of(model('mitigations: [hsm]', 'hsm: { title: HSM, status: planned, annual_cost: 20000 }'), R).length, 0);
  });

  it('counts the whole loss of a threat it shares with another mitigation, not only its share', () => {
    // its share is 10,000 (ROSI below 0), but all the loss it helps prevent is 20,000: not more than that
    const text = model('mitigations: [hsm, other]', 'hsm: { title: HSM, status: planned, annual_cost: 15000 }\nother: { title: Other, status: planned }');
    assert.equal(of(text, R).length, 0);
  });

  it('says nothing when the loss is unknown (no annual_rate) or the annual cost is unknown', () => {
    assert.equal(of(model('mitigations: [hsm]', 'hsm: { title: HSM, status: planned, annual_cost: 25000 }').replace('    annual_rate: 0.2\n', ''), R).length, 0);
    assert.equal(of(model('mitigations: [hsm]', 'hsm: { title: HSM, status: planned, cost: 250000 }'), R).length, 0);
  });

  it('says nothing for a mitigation that closes no open threat', () => {
    assert.equal(of(model('mitigations: [other]', 'other: { title: Other, status: planned }\nhsm: { title: HSM, status: planned, annual_cost: 25000 }'), R).length, 0);
  });
});

describe('plan/cheapest-mitigation-not-planned', () => {
  const R = 'plan/cheapest-mitigation-not-planned';
  const two = (cheap: string, dear: string) => model('mitigations: [waf, rewrite]', `waf:\n  title: Web application firewall\n  ${cheap}\nrewrite:\n  title: Rewrite the queries\n  ${dear}`);

  it('fires, as a warning on the reference, when the cheapest mitigation of a threat above tolerance is only proposed', () => {
    const text = two('status: proposed\n  annual_cost: 3000', 'status: planned\n  annual_cost: 9000');
    const f = of(text, R);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(text.slice(f[0].range.start, f[0].range.end), 'waf');
    assert.equal(findingLine(text, f[0]), text.split('\n').findIndex(l => l.includes('mitigations: [waf, rewrite]')) + 1);
    assert.match(f[0].message, /`dump` is high risk, above the medium tolerance, and its cheapest mitigation `waf` \(EUR 3,000 a year\) is only proposed/);
  });

  it('does not fire once the cheapest is planned, in progress or done', () => {
    for (const status of ['planned', 'in-progress']) assert.equal(of(two(`status: ${status}\n  annual_cost: 3000`, 'status: proposed\n  annual_cost: 9000'), R).length, 0, status);
  });

  it('compares annual cost first, then one-off cost; the cheapest not yet done counts', () => {
    // rewrite has no yearly cost known: waf is cheaper by annual cost although it costs more once
    assert.equal(of(two('status: proposed\n  annual_cost: 3000\n  cost: 50000', 'status: planned\n  cost: 1000'), R).length, 1);
    // same annual cost: the one-off cost decides (the planned rewrite is cheaper)
    assert.equal(of(two('status: proposed\n  annual_cost: 3000\n  cost: 5000', 'status: planned\n  annual_cost: 3000\n  cost: 1000'), R).length, 0);
    // waf is done: the proposed rewrite is now the cheapest still to do
    assert.equal(of(two('status: implemented\n  evidence: [a]\n  annual_cost: 1', 'status: proposed\n  annual_cost: 9000'), R).length, 1);
  });

  it('does not fire at or below the tolerance, or when no mitigation has a cost', () => {
    assert.equal(of(two('status: proposed\n  annual_cost: 3000', 'status: planned\n  annual_cost: 9000'), R, { tolerance: 'high' }).length, 0);
    assert.equal(of(two('status: proposed', 'status: planned'), R).length, 0);
  });

  it('its fix plans the mitigation in one edit, keeping the file as it was otherwise', () => {
    const text = two('status: proposed   # to discuss\n  annual_cost: 3000', 'status: planned\n  annual_cost: 9000');
    const f = of(text, R)[0];
    const fix = f.fixes![0] as Extract<FixSpec, { kind: 'set-mitigation-status' }>;
    assert.equal(fix.preferred, true);
    const edits = computeFix(text, fix, { now: NOW });
    assert.equal(edits.length, 1);
    const after = applyEdits(text, edits);
    assert.equal(after, text.replace('status: proposed   # to discuss', 'status: planned   # to discuss'));
    assert.equal(of(after, R).length, 0);
    assert.equal(analyze(after, { now: NOW }).parsed.model.mitigations!.waf.status, 'planned');
  });
});
