/**
 * "Why does this matter?" (#15): the rules users meet most carry a `why` paragraph and an example model in
 * their metadata; the README's rule reference renders both under an anchor per rule, and hovers on a finding
 * (or on a threat's `rule:`) link there.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { hoverAt } from '../../../src/core/lang/hover';
import { ALL_RULE_META } from '../../../src/core/rules/index';
import { ruleAnchor, ruleWhyAnchor, ruleWhyUrl } from '../../../src/core/rules/docs';
import { renderRuleDocs } from '../../../scripts/ruleDocs';

const NOW = new Date('2026-11-27T00:00:00Z');
const withWhy = ALL_RULE_META.filter(r => r.why);

describe('rules: why does this matter?', () => {
  it('every risk rule, stride/coverage and at least ten design rules explain why they matter, with an example', () => {
    const risk = ALL_RULE_META.filter(r => r.category === 'risk');
    assert.ok(risk.length >= 10);
    for (const r of [...risk, ALL_RULE_META.find(x => x.id === 'stride/coverage')!]) {
      assert.ok(r.why && r.why.length > 80, `${r.id}: why`);
      assert.ok(r.example?.trim(), `${r.id}: example`);
    }
    assert.ok(withWhy.filter(r => r.category === 'design' && r.example).length >= 10, 'ten design rules');
  });

  it('each example is a valid part of a model: no schema finding but references to entries it leaves out', () => {
    for (const r of withWhy.filter(x => x.example)) {
      const a = analyze(`rampart: 1\ntitle: Example\n${r.example!.trim()}\n`, { now: NOW });
      const schema = a.findings.filter(f => f.ruleId.startsWith('schema/') && f.ruleId !== 'schema/dangling-reference');
      assert.deepEqual(schema.map(f => `${f.ruleId}: ${f.message}`), [], r.id);
    }
  });

  it('the rule reference renders each paragraph and example under its own anchor, linked from the rule\'s row', () => {
    const docs = renderRuleDocs(ALL_RULE_META);
    for (const r of withWhy) {
      const at = docs.indexOf(`<a id="${ruleWhyAnchor(r.id)}"></a>`);
      assert.ok(at > 0, r.id);
      const section = docs.slice(at, docs.indexOf('\n<a id=', at + 1) >>> 0);
      assert.ok(section.includes(r.why!), `${r.id}: paragraph`);
      if (r.example) assert.ok(section.includes('```yaml\n' + r.example.trim() + '\n```'), `${r.id}: example`);
      const row = docs.split('\n').find(l => l.includes(`<a id="${ruleAnchor(r.id)}"></a>`))!;
      assert.ok(row.includes(`[Why does this matter?](#${ruleWhyAnchor(r.id)})`), `${r.id}: row links to it`);
    }
    const without = ALL_RULE_META.find(r => !r.why)!;
    assert.ok(!docs.includes(ruleWhyAnchor(without.id)), 'no paragraph for a rule without why');
  });

  const MODEL = `rampart: 1
title: Shop
policy: { tolerance: low }
elements:
  api: { type: process, name: API }
threats:
  token-replay:
    title: Stolen token replayed
    stride: [spoofing]
    targets: [api]
    likelihood: likely
    impact: major
    status: open
    rule: design/unauthenticated-inbound
`;
  const off = (needle: string, delta = 1) => MODEL.indexOf(needle) + delta;

  it('a hover on a finding links to its rule\'s "Why does this matter?"', () => {
    const h = hoverAt(analyze(MODEL, { now: NOW }), off('token-replay:'))!;
    assert.match(h.markdown, /Unmitigated threat above risk tolerance/);
    assert.ok(h.markdown.includes(`[Why does this matter?](${ruleWhyUrl('risk/unmitigated-above-tolerance')})`), h.markdown);
  });

  it('a hover on a threat\'s `rule:` explains the rule and links to why it matters', () => {
    const h = hoverAt(analyze(MODEL, { now: NOW }), off('design/unauthenticated-inbound', 3))!;
    assert.match(h.markdown, /Unauthenticated flow from a less trusted boundary/);
    assert.ok(h.markdown.includes(`(${ruleWhyUrl('design/unauthenticated-inbound')})`));
  });

  it('a rule without a why paragraph gets no link', () => {
    const text = MODEL.replace('targets: [api]', 'targets: [nowhere]');
    const h = hoverAt(analyze(text, { now: NOW }), text.indexOf('nowhere') + 2)!;
    assert.match(h.markdown, /does not exist|not defined/);
    assert.ok(!h.markdown.includes('Why does this matter?'), h.markdown);
  });
});
