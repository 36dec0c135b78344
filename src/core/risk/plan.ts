/**
 * Proportional mitigation: what each mitigation not yet in place is worth a year against what it costs, and
 * the mitigation plan ("fix first") that orders them.
 *
 * The threats a mitigation closes: the open threats (open, partially mitigated, or an expired acceptance:
 * `ThreatAssessment.open`) that link it under `mitigations:`. A threat is mitigated only once every mitigation
 * it links is implemented or verified (assess.ts), so each of its pending mitigations is needed to close it and
 * each is listed as closing it.
 *
 * Annual loss reduction, shared: the annual loss of a threat (ale.ts, `annual_rate` x exposure x the value
 * of the assets it reaches) is split in equal shares among the mitigations it links that are not done yet
 * (implemented or verified ones have already played their part; a linked id that the model does not define
 * still takes a share, since the threat stays open until it exists and is done). A mitigation's reduction is
 * the sum of its shares. So two mitigations that both must be done to close a 10,000 a year threat are worth
 * 5,000 a year each, and the reductions of the whole plan add up to the loss of the threats it closes, never
 * more. A threat without an `annual_rate` has no known loss: it is listed in `threatsWithoutLoss`, and the
 * reduction counts the others only (a lower bound); when none of its threats has a known loss the reduction is
 * undefined. A mitigation that closes no open threat reduces nothing (0).
 *
 * Costs: `annual_cost` (a year, to run it) is the annual cost. `cost` is one-off (to put it in place) and is
 * shown apart; it is not amortised into the annual cost, so it never enters ROSI.
 *
 * Return on security investment: ROSI = (reduction - annual cost) / annual cost (1.5 is 150 %; below 0 the
 * mitigation costs more a year than the loss it takes away). Undefined when the annual cost is unknown or 0,
 * or the reduction is unknown.
 *
 * The plan: every mitigation not implemented or verified (proposed, planned, in progress), ordered by
 *   1. the highest risk level among the threats it closes (critical first; closing no rated threat: last),
 *   2. ROSI, highest first; a free mitigation (`annual_cost: 0`) that reduces a loss comes before any ROSI,
 *      an unknown ROSI after every known one,
 *   3. annual cost, lowest first, then one-off cost, lowest first (unknown costs last),
 *   4. id, alphabetically (a stable order).
 *
 * Amounts are in `policy.currency` and rounded to cents; ROSI is rounded to 2 decimals (whole percent). Linear
 * in the size of the model.
 */
import type { Level, MitigationStatus, Model } from '../model/schema';
import { annualLoss } from './ale';
import { assessThreat, DONE_MITIGATION, type ThreatAssessment } from './assess';
import { levelRank } from './matrix';

/** Rounds an amount to cents. */
const money = (x: number) => Math.round(x * 100) / 100;

/** An entry of a section by id, never an inherited Object member. */
const own = <T>(section: Record<string, T> | undefined, id: string): T | undefined =>
  section && Object.hasOwn(section, id) ? section[id] : undefined;

/** An open threat that a mitigation of the plan (helps to) close. */
export interface ClosedThreat {
  id: string;
  title: string;
  level: Level | undefined;
  /** Open and above the risk tolerance. */
  aboveTolerance: boolean;
  /** The threat's whole annual loss; undefined without an `annual_rate`. */
  annualLoss: number | undefined;
  /** The part of it counted for this mitigation (the loss split among the threat's pending mitigations). */
  share: number | undefined;
  /** How many of the threat's mitigations are still pending (the share is the loss divided by this). */
  pendingMitigations: number;
}

export interface PlanEntry {
  /** Position in the plan, from 1. */
  rank: number;
  id: string;
  title: string;
  status: MitigationStatus;
  /** The open threats it closes, highest level first. */
  threats: ClosedThreat[];
  /** The highest level among them; undefined when it closes no rated threat. */
  level: Level | undefined;
  /** Annual loss reduction: the sum of its shares; undefined when none of its threats has a known loss. */
  reduction: number | undefined;
  /** The whole annual loss of the threats it closes, not shared; undefined when one of them has no known loss. */
  closedLoss: number | undefined;
  /** Threats it closes whose loss is unknown (no `annual_rate`): `reduction` counts the others only. */
  threatsWithoutLoss: string[];
  /** `annual_cost`, a year. */
  annualCost: number | undefined;
  /** `cost`, once. */
  oneOffCost: number | undefined;
  /** (reduction - annual cost) / annual cost; undefined when either is unknown or the annual cost is 0. */
  rosi: number | undefined;
  /** `policy.currency`. */
  currency: string | undefined;
}

export interface MitigationPlan {
  currency: string | undefined;
  entries: PlanEntry[];
  /** Sums over the entries (unknown amounts count as 0). */
  totals: { reduction: number; annualCost: number; oneOffCost: number };
  /** Entries without an `annual_cost` (no ROSI). */
  withoutAnnualCost: string[];
}

/** Ascending on a number where undefined sorts last. */
const asc = (a: number | undefined, b: number | undefined) =>
  a === undefined ? (b === undefined ? 0 : 1) : b === undefined ? -1 : a - b;
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Cheaper first: by `annual_cost`, then by one-off `cost` (unknown last); 0 when both tie. */
export function compareCost(a: { annual_cost?: number; cost?: number }, b: { annual_cost?: number; cost?: number }): number {
  return asc(a.annual_cost, b.annual_cost) || asc(a.cost, b.cost);
}

/** ROSI for sorting: free and useful first (+Infinity), unknown undefined. */
function rosiKey(reduction: number | undefined, annualCost: number | undefined): number | undefined {
  if (reduction === undefined || annualCost === undefined) return undefined;
  if (annualCost === 0) return reduction > 0 ? Infinity : undefined;
  return (reduction - annualCost) / annualCost;
}

/** The linked mitigation ids of a threat that are not done, each once. */
export function pendingMitigations(model: Model, links: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const m of links ?? []) if (!DONE_MITIGATION.has(own(model.mitigations, m)?.status ?? '')) out.add(m);
  return [...out];
}

/**
 * The mitigation plan of a model (see the module comment for every rule). Threats missing from
 * `assessments` are assessed here.
 */
export function mitigationPlan(model: Model, assessments: ReadonlyMap<string, ThreatAssessment>): MitigationPlan {
  const currency = model.policy?.currency;
  const closes = new Map<string, ClosedThreat[]>();
  for (const [id, threat] of Object.entries(model.threats ?? {})) {
    const a = assessments.get(id) ?? assessThreat(model, id, threat);
    if (!a.open) continue;
    const pending = pendingMitigations(model, threat.mitigations);
    if (!pending.length) continue;
    const loss = annualLoss(model, id);
    for (const m of pending) {
      if (!own(model.mitigations, m)) continue;
      let list = closes.get(m);
      if (!list) closes.set(m, list = []);
      list.push({
        id, title: threat.title, level: a.level, aboveTolerance: a.aboveTolerance,
        annualLoss: loss, share: loss === undefined ? undefined : loss / pending.length, pendingMitigations: pending.length,
      });
    }
  }

  const rows: (PlanEntry & { key: number | undefined })[] = [];
  for (const [id, m] of Object.entries(model.mitigations ?? {})) {
    if (DONE_MITIGATION.has(m.status)) continue;
    const threats = (closes.get(id) ?? []).sort((x, y) => asc(x.level && -levelRank(x.level), y.level && -levelRank(y.level)) || byId(x.id, y.id));
    let known = 0;
    let reduction = 0;
    let closedLoss: number | undefined = 0;
    const threatsWithoutLoss: string[] = [];
    let level: Level | undefined;
    for (const t of threats) {
      if (t.level && (level === undefined || levelRank(t.level) > levelRank(level))) level = t.level;
      if (t.share === undefined || t.annualLoss === undefined) {
        threatsWithoutLoss.push(t.id);
        closedLoss = undefined;
        continue;
      }
      known++;
      reduction += t.share;
      if (closedLoss !== undefined) closedLoss += t.annualLoss;
    }
    const red = threats.length === 0 ? 0 : known ? reduction : undefined;
    const key = rosiKey(red, m.annual_cost);
    rows.push({
      rank: 0, id, title: m.title, status: m.status,
      threats: threats.map(t => ({ ...t, share: t.share === undefined ? undefined : money(t.share) })),
      level,
      reduction: red === undefined ? undefined : money(red),
      closedLoss: closedLoss === undefined ? undefined : money(closedLoss),
      threatsWithoutLoss,
      annualCost: m.annual_cost,
      oneOffCost: m.cost,
      rosi: key === undefined || key === Infinity ? undefined : Math.round(key * 100) / 100,
      currency,
      key,
    });
  }
  rows.sort((x, y) =>
    asc(x.level && -levelRank(x.level), y.level && -levelRank(y.level))
    || asc(x.key === undefined ? undefined : -x.key, y.key === undefined ? undefined : -y.key)
    || compareCost({ annual_cost: x.annualCost, cost: x.oneOffCost }, { annual_cost: y.annualCost, cost: y.oneOffCost })
    || byId(x.id, y.id));

  const entries = rows.map(({ key: _key, ...e }, i) => ({ ...e, rank: i + 1 }));
  let reduction = 0, annualCost = 0, oneOffCost = 0;
  for (const e of entries) {
    reduction += e.reduction ?? 0;
    annualCost += e.annualCost ?? 0;
    oneOffCost += e.oneOffCost ?? 0;
  }
  return {
    currency,
    entries,
    totals: { reduction: money(reduction), annualCost: money(annualCost), oneOffCost: money(oneOffCost) },
    withoutAnnualCost: entries.filter(e => e.annualCost === undefined).map(e => e.id),
  };
}
