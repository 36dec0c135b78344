/**
 * Per-threat assessment: inherent level (matrix or CVSS, as the policy says), residual state from the
 * linked mitigations and any acceptance, and whether it is above tolerance while still open.
 */
import type { Level, Model, Threat } from '../model/schema';
import { isAbove, matrixLevel, matrixOf, toleranceOf } from './matrix';
import { cvssLevel, scoreCvss, type CvssScore } from './cvss';

export type Residual = 'open' | 'partially-mitigated' | 'mitigated' | 'accepted' | 'transferred' | 'not-applicable' | 'expired';
export const OPEN_RESIDUALS: readonly Residual[] = ['open', 'partially-mitigated', 'expired'];
export const DONE_MITIGATION = new Set(['implemented', 'verified']);

export interface ThreatAssessment {
  id: string;
  /**
   * The level that counts: from the matrix, or from CVSS when `policy.risk_driver: cvss` and a vector scores;
   * the threat's `priority` when it has neither.
   */
  level: Level | undefined;
  matrixLevel: Level | undefined;
  cvss: CvssScore | undefined;
  residual: Residual;
  mitigationsTotal: number;
  mitigationsDone: number;
  /** True when the threat is still open (incl. partially mitigated or an expired acceptance). */
  open: boolean;
  /** Open and above the tolerance: the headline finding. */
  aboveTolerance: boolean;
  /** The acceptance has expired (days overdue), or undefined. */
  expiredDays: number | undefined;
}

export interface AssessOptions {
  tolerance?: Level;
  now?: Date;
}

/** YYYY-MM-DD of a date in UTC. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso + 'T00:00:00Z') - Date.parse(fromIso + 'T00:00:00Z')) / 86_400_000);
}

export function assessThreat(model: Model, id: string, threat: Threat, opts: AssessOptions = {}): ThreatAssessment {
  const now = isoDay(opts.now ?? new Date());
  const mLevel = threat.likelihood && threat.impact ? matrixLevel(threat.likelihood, threat.impact, matrixOf(model)) : undefined;
  const scored = threat.cvss ? scoreCvss(threat.cvss) : undefined;
  const cvss = scored?.ok ? scored : undefined;
  // A priority set by hand (Threat Composer's) counts only when there is no rating at all.
  const level = model.policy?.risk_driver === 'cvss' && cvss ? cvssLevel(cvss) : mLevel ?? (cvss ? cvssLevel(cvss) : threat.priority);

  const links = threat.mitigations ?? [];
  const done = links.filter(m => DONE_MITIGATION.has(model.mitigations?.[m]?.status ?? '')).length;
  let residual: Residual;
  let expiredDays: number | undefined;
  if (threat.status === 'not-applicable') residual = 'not-applicable';
  else if (threat.status === 'accepted' || threat.status === 'transferred') {
    if (threat.expires && threat.expires < now) {
      residual = 'expired';
      expiredDays = daysBetween(threat.expires, now);
    } else residual = threat.status;
  } else if (links.length > 0 && done === links.length) residual = 'mitigated';
  else if (done > 0) residual = 'partially-mitigated';
  else residual = 'open';

  const open = OPEN_RESIDUALS.includes(residual);
  const tolerance = toleranceOf(model, opts.tolerance);
  return {
    id, level, matrixLevel: mLevel, cvss, residual,
    mitigationsTotal: links.length, mitigationsDone: done,
    open, aboveTolerance: open && level !== undefined && isAbove(level, tolerance), expiredDays,
  };
}

export function assessAll(model: Model, opts: AssessOptions = {}): Map<string, ThreatAssessment> {
  const out = new Map<string, ThreatAssessment>();
  for (const [id, t] of Object.entries(model.threats ?? {})) out.set(id, assessThreat(model, id, t, opts));
  return out;
}
