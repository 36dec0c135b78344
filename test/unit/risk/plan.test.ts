import assert from 'node:assert/strict';
import type { Model } from '../../../src/core/model/schema';
import { annualLoss, lossSummary } from '../../../src/core/risk/ale';
import { assessAll } from '../../../src/core/risk/assess';
import { mitigationPlan, type PlanEntry } from '../../../src/core/risk/plan';

const NOW = new Date('2026-06-01T12:00:00Z');

/**
 * Customer data (100k) in the database, session tokens (20k) on the API. `t-db` (high) needs `shared`;
 * `t-api` (medium) needs both `shared` and `extra`: `shared` closes two threats, `t-api` has two mitigations.
 */
function model(extra: { threats?: Model['threats']; mitigations?: Model['mitigations']; currency?: string | null } = {}): Model {
  return {
    rampart: 1,
    title: 'Plan test',
    policy: extra.currency === null ? { tolerance: 'low' } : { currency: extra.currency ?? 'EUR', tolerance: 'low' },
    assets: {
      customers: { name: 'Customer data', classification: 'confidential', value: 100_000 },
      sessions: { name: 'Session tokens', classification: 'confidential', value: 20_000 },
    },
    elements: {
      api: { type: 'process', name: 'API', processes: ['sessions'] },
      db: { type: 'store', name: 'Database', stores: ['customers'] },
    },
    threats: extra.threats ?? {
      't-db': { title: 'Database dump', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 0.5, mitigations: ['shared'] },
      't-api': { title: 'Session theft', status: 'open', targets: ['api'], likelihood: 'possible', impact: 'moderate', annual_rate: 2, exposure: 0.5, mitigations: ['shared', 'extra'] },
    },
    mitigations: extra.mitigations ?? {
      shared: { title: 'Shared', status: 'planned', annual_cost: 12_000 },
      extra: { title: 'Extra', status: 'proposed', annual_cost: 4_000, cost: 9_000 },
    },
  };
}

const planOf = (m: Model) => mitigationPlan(m, assessAll(m, { now: NOW }));
const entry = (m: Model, id: string): PlanEntry => {
  const e = planOf(m).entries.find(x => x.id === id);
  assert.ok(e, `${id} is in the plan`);
  return e;
};
const loss = (m: Model, id: string) => annualLoss(m, id)!;
const rosi = (reduction: number, annualCost: number) => Math.round(((reduction - annualCost) / annualCost) * 100) / 100;

describe('mitigation plan (fix first)', () => {
  describe('annual loss reduction, shared', () => {
    it('a threat with two pending mitigations gives each half its loss; a mitigation closing two threats sums its shares', () => {
      const m = model();
      const shared = entry(m, 'shared');
      const extra = entry(m, 'extra');
      assert.equal(shared.reduction, loss(m, 't-db') + loss(m, 't-api') / 2);
      assert.equal(extra.reduction, loss(m, 't-api') / 2);
      assert.deepEqual(shared.threats.map(t => [t.id, t.pendingMitigations]), [['t-db', 1], ['t-api', 2]]);
      // not shared: the whole loss of the threats each one closes
      assert.equal(shared.closedLoss, loss(m, 't-db') + loss(m, 't-api'));
    });

    it('the reductions of the plan add up to the residual annual loss, never more', () => {
      const m = model();
      const p = planOf(m);
      assert.equal(p.totals.reduction, lossSummary(m, assessAll(m, { now: NOW })).total);
    });

    it('a mitigation already implemented takes no share: the pending one gets the whole loss', () => {
      const m = model({ mitigations: { shared: { title: 'Shared', status: 'planned', annual_cost: 12_000 }, extra: { title: 'Extra', status: 'implemented', evidence: ['x'] } } });
      assert.equal(entry(m, 'shared').reduction, loss(m, 't-db') + loss(m, 't-api'));
      assert.ok(!planOf(m).entries.some(e => e.id === 'extra'), 'done mitigations are not in the plan');
    });

    it('a linked id the model does not define still takes its share (the threat stays open without it)', () => {
      const m = model();
      m.threats!['t-db'].mitigations = ['shared', 'missing'];
      assert.equal(entry(m, 'shared').reduction, loss(m, 't-db') / 2 + loss(m, 't-api') / 2);
      assert.ok(!planOf(m).entries.some(e => e.id === 'missing'));
    });

    it('threats that are not open (mitigated, accepted, not applicable) are closed by nothing', () => {
      const m = model();
      m.threats!['t-db'] = { ...m.threats!['t-db'], status: 'accepted', justification: 'Low exposure', accepted_by: 'CISO', expires: '2027-01-01' };
      m.threats!['t-api'] = { ...m.threats!['t-api'], status: 'not-applicable', justification: 'No sessions' };
      const shared = entry(m, 'shared');
      assert.deepEqual(shared.threats, []);
      assert.equal(shared.reduction, 0);
      assert.equal(shared.level, undefined);
    });
  });

  describe('ROSI', () => {
    it('is (reduction - annual cost) / annual cost, with the one-off cost shown apart and left out', () => {
      const m = model();
      const shared = entry(m, 'shared');
      const extra = entry(m, 'extra');
      assert.equal(shared.rosi, rosi(shared.reduction!, 12_000));
      assert.equal(extra.rosi, rosi(extra.reduction!, 4_000));
      assert.equal(extra.annualCost, 4_000);
      assert.equal(extra.oneOffCost, 9_000);
      assert.ok(extra.rosi! < 0 !== extra.reduction! > 4_000, 'negative exactly when it costs more a year than it saves');
    });

    it('is undefined without an annual_cost, with an annual_cost of 0, or when the loss is unknown', () => {
      const m = model({ mitigations: { shared: { title: 'Shared', status: 'planned', cost: 50_000 }, extra: { title: 'Extra', status: 'proposed', annual_cost: 0 } } });
      assert.equal(entry(m, 'shared').rosi, undefined);
      assert.equal(entry(m, 'shared').oneOffCost, 50_000);
      assert.equal(entry(m, 'extra').rosi, undefined);
      assert.deepEqual(planOf(m).withoutAnnualCost, ['shared']);
      const unrated = model();
      delete unrated.threats!['t-db'].annual_rate;
      delete unrated.threats!['t-api'].annual_rate;
      assert.equal(entry(unrated, 'shared').reduction, undefined);
      assert.equal(entry(unrated, 'shared').rosi, undefined);
    });
  });

  describe('unknown losses and costs', () => {
    it('a threat without annual_rate is listed, and the reduction counts the others only (a lower bound)', () => {
      const m = model();
      delete m.threats!['t-api'].annual_rate;
      const shared = entry(m, 'shared');
      assert.deepEqual(shared.threatsWithoutLoss, ['t-api']);
      assert.equal(shared.reduction, loss(m, 't-db'));
      assert.equal(shared.closedLoss, undefined, 'the whole loss is unknown');
      assert.equal(entry(m, 'extra').reduction, undefined);
    });

    it('unknown costs sort after known ones at the same level and ROSI', () => {
      const m = model({
        threats: { t: { title: 'T', status: 'open', likelihood: 'likely', impact: 'major', mitigations: ['a', 'b', 'c', 'd'] } },
        mitigations: {
          a: { title: 'A', status: 'proposed' },
          b: { title: 'B', status: 'proposed', cost: 5_000 },
          c: { title: 'C', status: 'proposed', annual_cost: 7_000 },
          d: { title: 'D', status: 'proposed', annual_cost: 7_000, cost: 1_000 },
        },
      });
      // the loss is unknown (no annual_rate), so no ROSI: annual cost, then one-off cost, unknown last
      assert.deepEqual(planOf(m).entries.map(e => e.id), ['d', 'c', 'b', 'a']);
    });
  });

  describe('ranking', () => {
    it('highest level closed first, whatever the return; then ROSI, highest first', () => {
      const m = model({
        threats: {
          crit: { title: 'Critical', status: 'open', targets: ['api'], likelihood: 'almost-certain', impact: 'severe', annual_rate: 0.1, mitigations: ['poor-return'] },
          high: { title: 'High', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 1, mitigations: ['good-return'] },
          high2: { title: 'High too', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 0.5, mitigations: ['fair-return'] },
        },
        mitigations: {
          'good-return': { title: 'Good', status: 'planned', annual_cost: 1_000 },
          'fair-return': { title: 'Fair', status: 'planned', annual_cost: 10_000 },
          'poor-return': { title: 'Poor', status: 'proposed', annual_cost: 100_000 },
          orphan: { title: 'Closes nothing', status: 'proposed', annual_cost: 1 },
        },
      });
      const p = planOf(m);
      assert.deepEqual(p.entries.map(e => [e.id, e.level]), [['poor-return', 'critical'], ['good-return', 'high'], ['fair-return', 'high'], ['orphan', undefined]]);
      assert.ok(p.entries[1].rosi! > p.entries[2].rosi!);
      assert.ok(p.entries[0].rosi! < 0, 'the critical one comes first although it loses money');
      assert.deepEqual(p.entries.map(e => e.rank), [1, 2, 3, 4]);
    });

    it('a free mitigation that reduces a loss comes first among its level; equal ROSI: the cheaper first, then by id', () => {
      const m = model({
        threats: {
          a: { title: 'A', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 0.2, mitigations: ['cheap'] },
          b: { title: 'B', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 0.4, mitigations: ['dear'] },
          c: { title: 'C', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 0.1, mitigations: ['free'] },
          d: { title: 'D', status: 'open', targets: ['db'], likelihood: 'likely', impact: 'major', annual_rate: 0.2, mitigations: ['cheap-too'] },
        },
        mitigations: {
          // same ratio of loss to cost: same ROSI
          cheap: { title: 'Cheap', status: 'proposed', annual_cost: 5_000 },
          'cheap-too': { title: 'Cheap too', status: 'proposed', annual_cost: 5_000 },
          dear: { title: 'Dear', status: 'proposed', annual_cost: 10_000 },
          free: { title: 'Free', status: 'proposed', annual_cost: 0 },
        },
      });
      const p = planOf(m);
      assert.equal(entry(m, 'cheap').rosi, entry(m, 'dear').rosi);
      assert.deepEqual(p.entries.map(e => e.id), ['free', 'cheap', 'cheap-too', 'dear']);
    });

    it('the threats an entry closes are listed highest level first', () => {
      const m = model();
      assert.deepEqual(entry(m, 'shared').threats.map(t => t.level), ['high', 'medium']);
      assert.equal(entry(m, 'shared').level, 'high');
      assert.equal(entry(m, 'extra').level, 'medium');
    });
  });

  describe('currency', () => {
    it('every entry and the plan carry policy.currency, or none when the model has none', () => {
      const usd = planOf(model({ currency: 'USD' }));
      assert.equal(usd.currency, 'USD');
      assert.ok(usd.entries.every(e => e.currency === 'USD'));
      const none = planOf(model({ currency: null }));
      assert.equal(none.currency, undefined);
      assert.ok(none.entries.every(e => e.currency === undefined));
    });
  });
});
