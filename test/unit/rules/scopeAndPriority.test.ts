/**
 * What is out of scope is neither asked for threats nor drawn like the rest, and a hand-set priority ranks a
 * threat that has no rating (#14: Threat Dragon's out-of-scope cells, Threat Composer's priorities).
 */
import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { modelDiagram } from '../../../src/core/render/mermaid';
import { assessAll } from '../../../src/core/risk/assess';

const MODEL = `rampart: 1
title: Scope
policy: { tolerance: medium }
assets:
  cards: { name: Card numbers, classification: restricted }
elements:
  user: { type: external, name: User }
  api: { type: process, name: API, internet_facing: true }
  legacy: { type: process, name: Legacy batch, internet_facing: true, OUT }
  db: { type: store, name: DB }
flows:
  login: { from: user, to: api, data: [cards] }
  nightly: { from: legacy, to: db, data: [cards], FLOWOUT }
`;

const text = (out: boolean) => MODEL.replace(', OUT', out ? ', out_of_scope: true' : '').replace(', FLOWOUT', out ? ', out_of_scope: true' : '');
const findingsAbout = (t: string, id: string) => analyze(t).findings.filter(f => f.path?.[1] === id).map(f => f.ruleId);

describe('rules: out-of-scope elements and flows', () => {
  it('get no STRIDE-coverage or design findings, while the same entries in scope do', () => {
    for (const id of ['legacy', 'nightly']) {
      const inScope = findingsAbout(text(false), id);
      assert.ok(inScope.includes('stride/coverage'), `${id} in scope: STRIDE coverage asked (${inScope})`);
      assert.ok(inScope.some(r => r.startsWith('design/')), `${id} in scope: a design rule fires (${inScope})`);
      const out = findingsAbout(text(true), id);
      assert.deepEqual(out.filter(r => r === 'stride/coverage' || r.startsWith('design/')), [], `${id} out of scope`);
    }
    // The entries in scope are still asked.
    assert.ok(findingsAbout(text(true), 'api').includes('stride/coverage'));
  });

  it('are drawn greyed in the diagram (node class and edge style), in both kinds of diagram text', () => {
    const a = analyze(text(true));
    const inline = modelDiagram(a.parsed.model, a.assessments);
    const legacy = inline.nodeIds.legacy;
    const api = inline.nodeIds.api;
    assert.ok(inline.styles.nodes[legacy].includes('outofscope'));
    assert.ok(!inline.styles.nodes[api].includes('outofscope'));
    assert.equal(inline.styles.links[inline.edgeIds.nightly], 'outofscope');
    assert.notEqual(inline.styles.links[inline.edgeIds.login], 'outofscope');
    assert.match(inline.text, new RegExp(`class [^\\n]*\\b${legacy}\\b[^\\n]* outofscope`));
    const inScope = analyze(text(false));
    assert.doesNotMatch(modelDiagram(inScope.parsed.model, inScope.assessments).text, /class [^\n]* outofscope/);
  });
});

describe('risk: a hand-set priority', () => {
  const threat = (extra: string) => `rampart: 1
title: Priority
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }
threats:
  t1: { title: Token theft, status: open, targets: [api]${extra} }
`;
  it('is the level of an unrated threat: priority high is above a medium tolerance, and the threat is not reported unrated', () => {
    const ids = analyze(threat(', priority: high')).findings.map(f => f.ruleId);
    assert.ok(ids.includes('risk/unmitigated-above-tolerance'), ids.join(', '));
    assert.ok(!ids.includes('risk/unrated-threat'));
    const unrated = analyze(threat('')).findings.map(f => f.ruleId);
    assert.ok(unrated.includes('risk/unrated-threat'));
    assert.ok(!unrated.includes('risk/unmitigated-above-tolerance'));
  });

  it('yields to a likelihood x impact rating', () => {
    const a = analyze(threat(', priority: high, likelihood: rare, impact: minor'));
    assert.equal(assessAll(a.parsed.model).get('t1')?.level, 'low');
  });
});
