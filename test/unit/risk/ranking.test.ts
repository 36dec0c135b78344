import assert from 'node:assert/strict';
import type { Model } from '../../../src/core/model/schema';
import { assessAll } from '../../../src/core/risk/assess';
import { rankThreats } from '../../../src/core/risk/ranking';

const NOW = new Date('2026-06-01T12:00:00Z');

const MODEL: Model = {
  rampart: 1,
  title: 'Ranking',
  assets: { cards: { name: 'Cards', classification: 'restricted', value: 100_000 } },
  elements: { vault: { type: 'store', name: 'Vault', stores: ['cards'] } },
  mitigations: { done: { title: 'Done', status: 'verified' } },
  threats: {
    // critical by the matrix, no CVSS
    'b-critical': { title: 'Critical B', status: 'open', likelihood: 'almost-certain', impact: 'severe' },
    // critical, with a CVSS 9.8: ahead of the other critical ones
    'z-critical-cvss': { title: 'Critical with CVSS', status: 'open', likelihood: 'likely', impact: 'severe', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    // critical, same CVSS absent as b-critical, but an annual loss: ahead of b-critical
    'c-critical-loss': { title: 'Critical with loss', status: 'mitigated', mitigations: ['done'], likelihood: 'almost-certain', impact: 'major', targets: ['vault'], annual_rate: 0.1 },
    // critical, same everything as b-critical: id decides
    'a-critical': { title: 'Critical A', status: 'open', likelihood: 'almost-certain', impact: 'severe' },
    // high
    'high': { title: 'High', status: 'open', likelihood: 'possible', impact: 'major', cvss: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' },
    // medium with a bigger loss than anything: level comes first
    'medium-rich': { title: 'Medium, big loss', status: 'open', likelihood: 'rare', impact: 'major', targets: ['vault'], annual_rate: 50 },
    // low
    'low': { title: 'Low', status: 'not-applicable', likelihood: 'rare', impact: 'negligible' },
    // no level at all: last
    'unrated': { title: 'Unrated', status: 'open' },
    // an invalid CVSS vector gives no CVSS score and no level
    'bad-cvss': { title: 'Bad CVSS', status: 'open', cvss: 'CVSS:3.1/AV:N' },
  },
};

describe('rankThreats', () => {
  const ranked = rankThreats(MODEL, assessAll(MODEL, { now: NOW }));

  it('orders by level, then CVSS base score, then annual loss, then id (golden)', () => {
    assert.deepEqual(ranked.map(r => [r.id, r.level, r.cvss, r.annualLoss, r.residual, r.open]), [
      ['z-critical-cvss', 'critical', 9.8, undefined, 'open', true],
      ['c-critical-loss', 'critical', undefined, 10_000, 'mitigated', false],
      ['a-critical', 'critical', undefined, undefined, 'open', true],
      ['b-critical', 'critical', undefined, undefined, 'open', true],
      ['high', 'high', 7.8, undefined, 'open', true],
      ['medium-rich', 'medium', undefined, 5_000_000, 'open', true],
      ['low', 'low', undefined, undefined, 'not-applicable', false],
      ['bad-cvss', undefined, undefined, undefined, 'open', true],
      ['unrated', undefined, undefined, undefined, 'open', true],
    ]);
  });

  it('carries titles', () => {
    assert.equal(ranked[0].title, 'Critical with CVSS');
  });

  it('with openFirst, puts closed threats after every open one', () => {
    const ids = rankThreats(MODEL, assessAll(MODEL, { now: NOW }), { openFirst: true }).map(r => r.id);
    assert.deepEqual(ids, ['z-critical-cvss', 'a-critical', 'b-critical', 'high', 'medium-rich', 'bad-cvss', 'unrated', 'c-critical-loss', 'low']);
  });

  it('ranks by the CVSS level when the policy says CVSS drives the level', () => {
    const m = (risk_driver: 'matrix' | 'cvss'): Model => ({
      rampart: 1, title: 'Driver', policy: { risk_driver },
      threats: {
        'matrix-high': { title: 'High by the matrix', status: 'open', likelihood: 'likely', impact: 'major', cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N' },
        'cvss-critical': { title: 'Low by the matrix, CVSS 9.8', status: 'open', likelihood: 'rare', impact: 'minor', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      },
    });
    const byMatrix = rankThreats(m('matrix'), assessAll(m('matrix'), { now: NOW }));
    assert.deepEqual(byMatrix.map(r => [r.id, r.level]), [['matrix-high', 'high'], ['cvss-critical', 'low']]);
    const byCvss = rankThreats(m('cvss'), assessAll(m('cvss'), { now: NOW }));
    assert.deepEqual(byCvss.map(r => [r.id, r.level]), [['cvss-critical', 'critical'], ['matrix-high', 'low']]);
  });

  it('assesses threats missing from the map and returns nothing for a model without threats', () => {
    assert.deepEqual(rankThreats(MODEL, new Map()).map(r => r.id), ranked.map(r => r.id));
    assert.deepEqual(rankThreats({ rampart: 1, title: 'Empty' }, new Map()), []);
  });
});
