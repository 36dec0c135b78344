import assert from 'node:assert/strict';
import type { Model, RiskMatrix, Threat } from '../../../src/core/model/schema';
import { assessAll, assessThreat, daysBetween } from '../../../src/core/risk/assess';

const NOW = new Date('2026-06-01T12:00:00Z');

function model(threats: Record<string, Threat>, policy: Model['policy'] = undefined): Model {
  return {
    rampart: 1,
    title: 'Assess',
    policy,
    mitigations: {
      done: { title: 'Done', status: 'implemented' },
      verified: { title: 'Verified', status: 'verified' },
      planned: { title: 'Planned', status: 'planned' },
      progress: { title: 'In progress', status: 'in-progress' },
    },
    threats,
  };
}

const assess = (threat: Threat, policy?: Model['policy'], tolerance?: 'low' | 'medium' | 'high' | 'critical') =>
  assessThreat(model({ t: threat }, policy), 't', threat, { now: NOW, tolerance });

const HIGH: Pick<Threat, 'likelihood' | 'impact'> = { likelihood: 'likely', impact: 'major' };

describe('threat assessment', () => {
  describe('level', () => {
    it('comes from the default matrix', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH }).level, 'high');
      assert.equal(assess({ title: 'T', status: 'open', likelihood: 'rare', impact: 'minor' }).level, 'low');
    });

    it('comes from the policy matrix when there is one', () => {
      const allCritical = Object.fromEntries(['rare', 'unlikely', 'possible', 'likely', 'almost-certain']
        .map(l => [l, ['critical', 'critical', 'critical', 'critical', 'critical']])) as RiskMatrix;
      const a = assess({ title: 'T', status: 'open', likelihood: 'rare', impact: 'negligible' }, { matrix: allCritical });
      assert.equal(a.level, 'critical');
      assert.equal(a.matrixLevel, 'critical');
    });

    it('is undefined without likelihood and impact, or with only one of them', () => {
      assert.equal(assess({ title: 'T', status: 'open' }).level, undefined);
      assert.equal(assess({ title: 'T', status: 'open', likelihood: 'likely' }).level, undefined);
    });

    it('falls back to the CVSS severity when there is no matrix rating', () => {
      const a = assess({ title: 'T', status: 'open', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
      assert.equal(a.level, 'critical');
      assert.equal(a.matrixLevel, undefined);
      assert.equal(a.cvss?.baseScore, 9.8);
    });

    it('keeps the matrix level by default even with a CVSS vector, and shows both', () => {
      const a = assess({ title: 'T', status: 'open', likelihood: 'rare', impact: 'minor', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
      assert.equal(a.level, 'low');
      assert.equal(a.cvss?.severity, 'critical');
    });

    it('takes the CVSS level when policy.risk_driver is cvss', () => {
      const t: Threat = { title: 'T', status: 'open', likelihood: 'rare', impact: 'minor', cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' };
      const a = assess(t, { risk_driver: 'cvss' });
      assert.equal(a.level, 'critical');
      assert.equal(a.matrixLevel, 'low');
      assert.equal(a.aboveTolerance, true);
    });

    it('with risk_driver cvss and an invalid vector, falls back to the matrix and has no CVSS score', () => {
      const a = assess({ title: 'T', status: 'open', ...HIGH, cvss: 'CVSS:3.1/AV:N/AC:L' }, { risk_driver: 'cvss' });
      assert.equal(a.level, 'high');
      assert.equal(a.cvss, undefined);
    });

    it('maps a CVSS score of 0.0 (severity none) to low', () => {
      const a = assess({ title: 'T', status: 'open', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' }, { risk_driver: 'cvss' });
      assert.equal(a.level, 'low');
    });
  });

  describe('residual state', () => {
    it('open: no mitigation done', () => {
      const a = assess({ title: 'T', status: 'open', ...HIGH, mitigations: ['planned', 'progress'] });
      assert.equal(a.residual, 'open');
      assert.equal(a.open, true);
      assert.equal(a.mitigationsTotal, 2);
      assert.equal(a.mitigationsDone, 0);
    });

    it('partially mitigated: some linked mitigations implemented or verified, still open', () => {
      const a = assess({ title: 'T', status: 'open', ...HIGH, mitigations: ['done', 'planned'] });
      assert.equal(a.residual, 'partially-mitigated');
      assert.equal(a.open, true);
      assert.equal(a.mitigationsDone, 1);
    });

    it('mitigated: every linked mitigation implemented or verified, whatever the written status', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH, mitigations: ['done', 'verified'] }).residual, 'mitigated');
      const a = assess({ title: 'T', status: 'mitigated', ...HIGH, mitigations: ['verified'] });
      assert.equal(a.residual, 'mitigated');
      assert.equal(a.open, false);
      assert.equal(a.aboveTolerance, false);
    });

    it('a status of mitigated with no mitigation done is still open', () => {
      assert.equal(assess({ title: 'T', status: 'mitigated', ...HIGH }).residual, 'open');
      assert.equal(assess({ title: 'T', status: 'mitigated', ...HIGH, mitigations: ['planned'] }).residual, 'open');
      assert.equal(assess({ title: 'T', status: 'mitigated', ...HIGH, mitigations: ['planned'] }).aboveTolerance, true);
    });

    it('a link to a mitigation that does not exist does not count as done', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH, mitigations: ['done', 'ghost'] }).residual, 'partially-mitigated');
    });

    it('accepted and transferred until they expire', () => {
      const accepted = assess({ title: 'T', status: 'accepted', ...HIGH, justification: 'j', accepted_by: 'CISO', expires: '2026-12-31' });
      assert.equal(accepted.residual, 'accepted');
      assert.equal(accepted.open, false);
      assert.equal(accepted.aboveTolerance, false);
      assert.equal(accepted.expiredDays, undefined);
      const transferred = assess({ title: 'T', status: 'transferred', ...HIGH, justification: 'insured', expires: '2026-12-31' });
      assert.equal(transferred.residual, 'transferred');
      assert.equal(transferred.open, false);
    });

    it('an acceptance without expiry does not expire', () => {
      assert.equal(assess({ title: 'T', status: 'accepted', ...HIGH, justification: 'j' }).residual, 'accepted');
    });

    it('expired: an acceptance past its date is open again, with the days overdue', () => {
      const a = assess({ title: 'T', status: 'accepted', ...HIGH, justification: 'j', accepted_by: 'CISO', expires: '2026-05-01' });
      assert.equal(a.residual, 'expired');
      assert.equal(a.open, true);
      assert.equal(a.expiredDays, 31);
      assert.equal(a.aboveTolerance, true);
      assert.equal(assess({ title: 'T', status: 'transferred', ...HIGH, expires: '2026-05-31' }).residual, 'expired');
    });

    it('an acceptance expiring today is still valid', () => {
      assert.equal(assess({ title: 'T', status: 'accepted', ...HIGH, expires: '2026-06-01' }).residual, 'accepted');
    });

    it('not applicable: closed whatever its level and mitigations', () => {
      const a = assess({ title: 'T', status: 'not-applicable', likelihood: 'almost-certain', impact: 'severe', mitigations: ['planned'] });
      assert.equal(a.residual, 'not-applicable');
      assert.equal(a.open, false);
      assert.equal(a.aboveTolerance, false);
    });
  });

  describe('tolerance', () => {
    it('an open threat above the policy tolerance is flagged; at the tolerance it is not', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH }, { tolerance: 'medium' }).aboveTolerance, true);
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH }, { tolerance: 'high' }).aboveTolerance, false);
    });

    it('defaults to medium', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH }).aboveTolerance, true);
      assert.equal(assess({ title: 'T', status: 'open', likelihood: 'possible', impact: 'moderate' }).aboveTolerance, false);
    });

    it('an override (setting or --tolerance) beats the policy', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH }, { tolerance: 'high' }, 'low').aboveTolerance, true);
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH }, { tolerance: 'low' }, 'critical').aboveTolerance, false);
    });

    it('a partially mitigated threat above tolerance is still flagged; an unrated one never is', () => {
      assert.equal(assess({ title: 'T', status: 'open', ...HIGH, mitigations: ['done', 'planned'] }).aboveTolerance, true);
      assert.equal(assess({ title: 'T', status: 'open' }, { tolerance: 'low' }).aboveTolerance, false);
    });
  });

  describe('assessAll', () => {
    it('assesses every threat by id', () => {
      const m = model({
        a: { title: 'A', status: 'open', ...HIGH },
        b: { title: 'B', status: 'not-applicable' },
      });
      const all = assessAll(m, { now: NOW });
      assert.deepEqual([...all.keys()], ['a', 'b']);
      assert.equal(all.get('a')!.id, 'a');
      assert.equal(all.get('a')!.aboveTolerance, true);
      assert.equal(all.get('b')!.residual, 'not-applicable');
      assert.equal(assessAll({ rampart: 1, title: 'Empty' }).size, 0);
    });
  });

  it('daysBetween counts calendar days', () => {
    assert.equal(daysBetween('2026-01-01', '2026-01-31'), 30);
    assert.equal(daysBetween('2026-03-01', '2026-02-28'), -1);
  });
});
