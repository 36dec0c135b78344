import assert from 'node:assert/strict';
import type { Model } from '../../../src/core/model/schema';
import { annualLoss, lossSummary, reachedAssets } from '../../../src/core/risk/ale';
import { assessAll } from '../../../src/core/risk/assess';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Cards (250k) in the vault, sessions (10k) on the API and the checkout flow, logs (no value) in the log store. */
function model(threats: Model['threats'], extra: Partial<Model> = {}): Model {
  return {
    rampart: 1,
    title: 'ALE test',
    policy: { currency: 'EUR' },
    assets: {
      cards: { name: 'Card data', classification: 'restricted', value: 250_000 },
      sessions: { name: 'Session tokens', classification: 'confidential', value: 10_000 },
      logs: { name: 'Logs', classification: 'internal' },
    },
    elements: {
      browser: { type: 'external', name: 'Browser' },
      api: { type: 'process', name: 'API', processes: ['sessions'] },
      vault: { type: 'store', name: 'Vault', stores: ['cards'] },
      logstore: { type: 'store', name: 'Log store', stores: ['logs'] },
    },
    flows: {
      checkout: { from: 'browser', to: 'api', data: ['cards', 'sessions'] },
    },
    mitigations: {
      done: { title: 'Done', status: 'implemented' },
      planned: { title: 'Planned', status: 'planned' },
    },
    threats,
    ...extra,
  };
}

describe('annual loss expectancy', () => {
  describe('reachedAssets', () => {
    it('collects statement assets, stored/processed assets of target elements and data of target flows, once each', () => {
      const m = model({
        t: { title: 'T', status: 'open', statement: { assets: ['logs'] }, targets: ['checkout', 'vault', 'api'] },
      });
      assert.deepEqual(reachedAssets(m, m.threats!.t), ['logs', 'cards', 'sessions']);
    });

    it('ignores targets and assets that do not exist', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['nowhere'] } });
      assert.deepEqual(reachedAssets(m, m.threats!.t), []);
    });
  });

  describe('annualLoss', () => {
    it('is asset value x exposure x annual rate', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['vault'], annual_rate: 0.5, exposure: 0.2 } });
      assert.equal(annualLoss(m, 't'), 250_000 * 0.2 * 0.5);
    });

    it('defaults exposure to 1 and sums the values of every asset reached', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['checkout'], annual_rate: 0.1 } });
      assert.equal(annualLoss(m, 't'), (250_000 + 10_000) * 0.1);
    });

    it('counts an asset reached twice (flow data and target store) once', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['checkout', 'vault'], annual_rate: 1 } });
      assert.equal(annualLoss(m, 't'), 260_000);
    });

    it('rounds to cents, without floating-point noise', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['vault'], annual_rate: 0.1 } }, {
        assets: { cards: { name: 'Cards', classification: 'restricted', value: 3 } },
      });
      assert.equal(annualLoss(m, 't'), 0.3);
      assert.equal(lossSummary(m, new Map()).total, 0.3);
      assert.deepEqual(lossSummary(m, new Map()).perAsset, { cards: 0.3 });
    });

    it('is undefined without an annual rate, and for an unknown threat', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['vault'] } });
      assert.equal(annualLoss(m, 't'), undefined);
      assert.equal(annualLoss(m, 'missing'), undefined);
    });

    it('never mistakes an id for an Object member (an asset or target called constructor)', () => {
      const m = model({ t: { title: 'T', status: 'open', statement: { assets: ['constructor'] }, targets: ['constructor', 'vault'], annual_rate: 1 } });
      assert.equal(annualLoss(m, 't'), 250_000);
      assert.equal(annualLoss(m, 'constructor'), undefined);
      const s = lossSummary(m, new Map());
      assert.deepEqual(s.perAsset, { constructor: 0, cards: 250_000 });
      assert.deepEqual(s.assetsWithoutValue, ['constructor']);
    });

    it('is 0 when the assets reached have no value', () => {
      const m = model({ t: { title: 'T', status: 'open', targets: ['logstore'], annual_rate: 3 } });
      assert.equal(annualLoss(m, 't'), 0);
    });

    it('ignores status: a mitigated threat still has its inherent annual loss', () => {
      const m = model({ t: { title: 'T', status: 'mitigated', mitigations: ['done'], targets: ['vault'], annual_rate: 0.1 } });
      assert.equal(annualLoss(m, 't'), 25_000);
    });
  });

  describe('lossSummary', () => {
    const m = model({
      open: { title: 'Open', status: 'open', targets: ['vault'], annual_rate: 0.1 }, // 25,000 on cards
      partial: { title: 'Partial', status: 'open', mitigations: ['done', 'planned'], targets: ['api'], annual_rate: 2, exposure: 0.5 }, // 10,000 on sessions
      mitigated: { title: 'Mitigated', status: 'open', mitigations: ['done'], targets: ['checkout'], annual_rate: 1 }, // 260,000
      accepted: { title: 'Accepted', status: 'accepted', justification: 'j', accepted_by: 'CISO', expires: '2027-01-01', targets: ['api'], annual_rate: 0.5 }, // 5,000
      expired: { title: 'Expired', status: 'accepted', justification: 'j', accepted_by: 'CISO', expires: '2026-01-01', targets: ['api'], annual_rate: 0.1 }, // 1,000
      transferred: { title: 'Transferred', status: 'transferred', justification: 'insured', targets: ['vault'], annual_rate: 0.01 }, // 2,500
      na: { title: 'N/A', status: 'not-applicable', targets: ['vault'], annual_rate: 10 },
      unrated: { title: 'Unrated', status: 'open', targets: ['vault'] },
      logs: { title: 'Logs', status: 'open', targets: ['logstore'], annual_rate: 5 },
    });
    const s = lossSummary(m, assessAll(m, { now: NOW }));

    it('residual total counts open, partially mitigated and expired-acceptance threats only', () => {
      assert.equal(s.total, 25_000 + 10_000 + 1_000);
    });

    it('inherent total counts every threat except not-applicable ones', () => {
      assert.equal(s.totalInherent, 25_000 + 10_000 + 260_000 + 5_000 + 1_000 + 2_500);
    });

    it('shows validly accepted loss apart', () => {
      assert.equal(s.totalAccepted, 5_000);
    });

    it('splits residual and inherent loss per asset', () => {
      assert.deepEqual(s.perAsset, { cards: 25_000, sessions: 11_000, logs: 0 });
      assert.deepEqual(s.perAssetInherent, { cards: 25_000 + 250_000 + 2_500, sessions: 10_000 + 10_000 + 5_000 + 1_000, logs: 0 });
    });

    it('gives each rated threat its own loss, and names what is missing', () => {
      assert.deepEqual(s.perThreat, { open: 25_000, partial: 10_000, mitigated: 260_000, accepted: 5_000, expired: 1_000, transferred: 2_500, logs: 0 });
      assert.deepEqual(s.threatsWithoutRate, ['unrated']);
      assert.deepEqual(s.assetsWithoutValue, ['logs']);
    });

    it('carries the policy currency, and none when the policy has none', () => {
      assert.equal(s.currency, 'EUR');
      const bare = model({}, { policy: undefined });
      const empty = lossSummary(bare, new Map());
      assert.equal(empty.currency, undefined);
      assert.equal(empty.total, 0);
    });

    it('assesses threats itself when the map lacks them', () => {
      const partialMap = lossSummary(m, new Map());
      assert.equal(partialMap.totalInherent, s.totalInherent);
      assert.equal(partialMap.perThreat.mitigated, 260_000);
    });
  });
});
