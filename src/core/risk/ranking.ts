/**
 * Threats in priority order, for the threats table, the report and the CLI.
 *
 * Order: level (critical first; threats without a level last), then CVSS base score (highest first; none
 * last), then annual loss (highest first; unknown last), then id (alphabetical, so the order is stable).
 * With `openFirst`, open threats (open, partially mitigated, expired acceptance) come before the others,
 * each group in the order above.
 */
import type { Level, Model } from '../model/schema';
import { annualLoss } from './ale';
import { assessThreat, type Residual, type ThreatAssessment } from './assess';
import { levelRank } from './matrix';

export interface RankedThreat {
  id: string;
  title: string;
  /** The level that counts (matrix, or CVSS when the policy says so); undefined when unrated. */
  level: Level | undefined;
  residual: Residual;
  /** CVSS base score, when the threat has a valid vector. */
  cvss: number | undefined;
  /** Inherent annual loss expectancy, when the threat has an `annual_rate`. */
  annualLoss: number | undefined;
  open: boolean;
}

export interface RankOptions {
  /** Put open threats first. Default false: the order is by risk alone. */
  openFirst?: boolean;
}

/** Descending on a number where undefined sorts last. */
const desc = (a: number | undefined, b: number | undefined) =>
  a === undefined ? (b === undefined ? 0 : 1) : b === undefined ? -1 : b - a;

export function compareRanked(a: RankedThreat, b: RankedThreat, opts: RankOptions = {}): number {
  return (opts.openFirst ? Number(b.open) - Number(a.open) : 0)
    || desc(a.level && levelRank(a.level), b.level && levelRank(b.level))
    || desc(a.cvss, b.cvss)
    || desc(a.annualLoss, b.annualLoss)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Every threat of the model, ranked. Threats missing from `assessments` are assessed here. */
export function rankThreats(model: Model, assessments: ReadonlyMap<string, ThreatAssessment>, opts: RankOptions = {}): RankedThreat[] {
  const out: RankedThreat[] = [];
  for (const [id, threat] of Object.entries(model.threats ?? {})) {
    const a = assessments.get(id) ?? assessThreat(model, id, threat);
    out.push({
      id,
      title: threat.title,
      level: a.level,
      residual: a.residual,
      cvss: a.cvss?.baseScore,
      annualLoss: annualLoss(model, id),
      open: a.open,
    });
  }
  return out.sort((x, y) => compareRanked(x, y, opts));
}
