/**
 * Reconciliation of design-rule suggestions with `threats:` through the whole pipeline: applying the fix
 * silences the suggestion, re-running never duplicates, other ways of tracking the same weakness count, and
 * a tracked suggestion whose rule stops firing is reported as possibly obsolete (never deleted).
 */
import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { computeFix } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { THREAT_ID_PATTERN } from '../../../src/core/model/schema';
import type { Finding } from '../../../src/core/types';
import { DESIGN_RULES } from '../../../src/core/rules/design/index';
import { api, browser, model, NOW, service, store, suggestion } from './design/fixture';

const OBSOLETE = 'design/obsolete-suggestion';
const design = (text: string, disabledRules: string[] = []) => analyze(text, { now: NOW, disabledRules }).findings.filter(f => f.ruleId.startsWith('design/'));
const ids = (fs: Finding[]) => fs.map(f => f.stableId).sort();

/** Applies every suggested-threat fix of the findings, one after the other. */
function applyAll(text: string, findings: Finding[]): string {
  let out = text;
  for (const f of findings) out = applyEdits(out, computeFix(out, suggestion(f), { now: NOW }));
  return out;
}

const exposed = model({
  elements: { browser, api: api(), db: store('core', { stores: ['card'] }) },
  flows: { checkout: { from: 'browser', to: 'api', protocol: 'http', data: ['card'] }, save: { from: 'api', to: 'db', authenticated: true, encrypted: true } },
});

describe('design suggestions: reconciliation with threats:', () => {
  it('every suggestion carries a valid threat id, its rule, and a pre-filled rating', () => {
    const found = design(exposed);
    assert.ok(found.length >= 5, ids(found).join(', '));
    for (const f of found) {
      const fix = suggestion(f);
      assert.match(fix.id, THREAT_ID_PATTERN);
      assert.equal(`design/${fix.id}`, f.stableId);
      assert.equal(fix.threat.rule, f.ruleId);
      assert.ok(fix.threat.likelihood && fix.threat.impact && fix.threat.stride.length, f.stableId);
      assert.ok(f.why && f.why.length > 10, f.stableId);
    }
  });

  it('adding the suggested threats silences them, validates, and re-running adds nothing', () => {
    const found = design(exposed);
    const after = applyAll(exposed, found);
    const a = analyze(after, { now: NOW });
    assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('schema/')), []);
    assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('design/')), []);
    for (const f of found) assert.ok(a.parsed.model.threats?.[suggestion(f).id], f.stableId);
    // The fixes are idempotent: computing them again on the result changes nothing.
    for (const f of found) assert.deepEqual(computeFix(after, suggestion(f), { now: NOW }), []);
    assert.equal(applyAll(after, found), after);
  });

  it('a suggestion stays silent whatever status its threat gets', () => {
    const [f] = design(exposed).filter(x => x.ruleId === 'design/sensitive-data-unencrypted-flow');
    const after = applyAll(exposed, [f]);
    for (const status of ['mitigated', 'accepted', 'transferred', 'not-applicable']) {
      const text = after.replace(/(sensitive-data-unencrypted-flow@checkout:[\s\S]*?status: )open/, `$1${status}`);
      assert.notEqual(text, after);
      assert.deepEqual(ids(design(text).filter(x => x.ruleId === f.ruleId)), [], status);
    }
  });

  it('a threat with `rule:` and the same target tracks it under any id', () => {
    const text = model({
      elements: { browser, api: api() },
      flows: { call: { from: 'browser', to: 'api', protocol: 'http' } },
      threats: { 'our-own-name': { title: 'Plain HTTP', targets: ['call'], rule: 'design/unencrypted-crossing', status: 'open' } },
    });
    assert.deepEqual(design(text).filter(f => f.ruleId === 'design/unencrypted-crossing'), []);
  });

  it('a threat of another rule on the same subject does not track it', () => {
    const text = model({
      elements: { browser, api: api() },
      flows: { call: { from: 'browser', to: 'api', protocol: 'http' } },
      threats: { 'unauthenticated-inbound@call': { title: 'Who calls?', targets: ['call'], rule: 'design/unauthenticated-inbound', status: 'open' } },
    });
    assert.deepEqual(ids(design(text).filter(f => f.ruleId === 'design/unencrypted-crossing')), ['design/unencrypted-crossing@call']);
  });

  it('a threat sharing a specific CWE with the rule tracks it; a generic CWE does not', () => {
    const parts = (cwe: string) => model({
      elements: { browser, api: api() },
      flows: { call: { from: 'browser', to: 'api', protocol: 'http' } },
      threats: { mine: { title: 'Something about the call', targets: ['call'], cwe: [cwe], status: 'open' } },
    });
    assert.deepEqual(design(parts('CWE-319')).filter(f => f.ruleId === 'design/unencrypted-crossing'), []);
    assert.equal(design(parts('CWE-200')).filter(f => f.ruleId === 'design/unencrypted-crossing').length, 1);
  });

  it('the "why" of a finding names the other suggestions for the same element or flow', () => {
    const [f] = design(exposed).filter(x => x.stableId === 'design/api-missing-rate-limiting@checkout');
    assert.match(f.why!, /also suggested for `checkout`: .*`unauthenticated-inbound@checkout`/);
  });

  it('reports a tracked suggestion as possibly obsolete when its rule stops firing, and never removes it', () => {
    const tracked = applyAll(exposed, design(exposed).filter(f => f.ruleId === 'design/sensitive-data-unencrypted-flow'));
    assert.deepEqual(design(tracked).filter(f => f.ruleId === OBSOLETE), []);
    const fixed = tracked.replace('protocol: http\n', 'protocol: https\n');
    assert.notEqual(fixed, tracked);
    const a = analyze(fixed, { now: NOW });
    const [o] = a.findings.filter(f => f.ruleId === OBSOLETE);
    assert.equal(o.stableId, `${OBSOLETE}@sensitive-data-unencrypted-flow@checkout`);
    assert.equal(o.severity, 'info');
    assert.equal(fixed.slice(o.range.start, o.range.end), 'sensitive-data-unencrypted-flow@checkout');
    assert.match(o.message, /no longer finds this weakness on `checkout`/);
    assert.ok(a.parsed.model.threats?.['sensitive-data-unencrypted-flow@checkout']);
    assert.deepEqual(o.fixes?.map(x => x.kind), ['set-threat-status']);
  });

  it('does not report closed threats, threats of disabled rules, or hand-written threats as obsolete', () => {
    const text = model({
      elements: { a: service('core'), b: service('core') },
      flows: { ab: { from: 'a', to: 'b', encrypted: true } },
      threats: {
        'unencrypted-crossing@ab': { title: 'x', targets: ['ab'], rule: 'design/unencrypted-crossing', status: 'mitigated' },
        'unauthenticated-inbound@ab': { title: 'y', targets: ['ab'], rule: 'design/unauthenticated-inbound', status: 'open' },
        'hand-written': { title: 'z', targets: ['ab'], status: 'open' },
      },
    });
    assert.deepEqual(ids(design(text).filter(f => f.ruleId === OBSOLETE)), [`${OBSOLETE}@unauthenticated-inbound@ab`]);
    assert.deepEqual(design(text, ['design/unauthenticated-inbound']).filter(f => f.ruleId === OBSOLETE), []);
  });

  it('reports suggestions whose element is gone or whose rule no longer exists', () => {
    const text = model({
      elements: { a: service('core') },
      threats: {
        'unencrypted-crossing@old-flow': { title: 'x', rule: 'design/unencrypted-crossing', status: 'open' },
        'renamed-rule@a': { title: 'y', targets: ['a'], rule: 'design/renamed-rule', status: 'open' },
      },
    });
    const found = design(text).filter(f => f.ruleId === OBSOLETE);
    assert.deepEqual(ids(found), [`${OBSOLETE}@renamed-rule@a`, `${OBSOLETE}@unencrypted-crossing@old-flow`]);
    assert.match(found.find(f => f.stableId!.endsWith('old-flow'))!.message, /`old-flow` no longer exists/);
    assert.match(found.find(f => f.stableId!.endsWith('@a'))!.message, /not a design rule/);
  });

  it('disabling `design/` switches off every design rule, including the obsolete check', () => {
    assert.deepEqual(design(exposed, ['design/']), []);
  });

  it('a rule switched off with a severity override does not count for the others', () => {
    const a = analyze(exposed, { now: NOW, severityOverrides: { 'design/unauthenticated-inbound': 'off' } });
    const [f] = a.findings.filter(x => x.stableId === 'design/api-missing-rate-limiting@checkout');
    assert.doesNotMatch(f.why!, /unauthenticated-inbound/);
  });

  it('registers at least 25 design rules besides the obsolete check', () => {
    assert.ok(DESIGN_RULES.filter(r => r.meta.id !== OBSOLETE).length >= 25);
  });
});
