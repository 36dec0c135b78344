/**
 * Annual loss expectancy (ALE): what a threat is expected to cost a year.
 *
 *   annual loss of a threat = (sum of the values of the assets it reaches) x exposure x annual_rate
 *
 * - The assets a threat reaches: its `statement.assets`, the assets its target elements store or process
 *   (`stores`, `processes`) and the assets its target flows carry (`data`), each counted once.
 * - `exposure` (0 to 1) is the share of an asset's value a single occurrence loses; it defaults to 1.
 * - A threat without `annual_rate` has no annual loss (undefined, not 0): nothing is known about how often
 *   it happens. An asset without `value` counts as 0 and is listed in `assetsWithoutValue`.
 *
 * Which threats count (`lossSummary`):
 * - residual (`total`, `perAsset`): open threats only, i.e. open, partially mitigated, or an expired
 *   acceptance (`ThreatAssessment.open`). Mitigated, accepted, transferred and not-applicable threats do not.
 * - inherent (`totalInherent`, `perAssetInherent`): every threat as if nothing were mitigated, except those
 *   marked not-applicable (they are declared not to be threats at all).
 * - `totalAccepted`: threats validly accepted (not transferred, not expired): a loss the organisation has
 *   chosen to bear; shown apart so it is neither hidden nor double counted in `total`.
 *
 * Amounts are rounded to cents (2 decimals) on output, so 0.1-style rates give 402000, not 402000.00000000006.
 */
import type { Model, Threat } from '../model/schema';
import { assessThreat, type ThreatAssessment } from './assess';

/** Rounds an amount to cents. */
const money = (x: number) => Math.round(x * 100) / 100;

/** An entry of a section by id, never an inherited Object member. */
const own = <T>(section: Record<string, T> | undefined, id: string): T | undefined =>
  section && Object.hasOwn(section, id) ? section[id] : undefined;

/** Asset ids a threat reaches, in first-seen order (statement assets, then targets in order). */
export function reachedAssets(model: Model, threat: Threat): string[] {
  const out = new Set<string>();
  for (const a of threat.statement?.assets ?? []) out.add(a);
  for (const target of threat.targets ?? []) {
    const element = own(model.elements, target);
    if (element) {
      for (const a of element.stores ?? []) out.add(a);
      for (const a of element.processes ?? []) out.add(a);
    }
    const flow = own(model.flows, target);
    if (flow) for (const a of flow.data ?? []) out.add(a);
  }
  return [...out];
}

/** Loss per reached asset for one threat (asset id -> value x exposure x rate), or undefined without a rate. */
function lossByAsset(model: Model, threat: Threat): Map<string, number> | undefined {
  if (threat.annual_rate === undefined) return undefined;
  const factor = (threat.exposure ?? 1) * threat.annual_rate;
  const out = new Map<string, number>();
  for (const a of reachedAssets(model, threat)) {
    const value = own(model.assets, a)?.value ?? 0;
    out.set(a, value * factor);
  }
  return out;
}

/**
 * The annual loss expectancy of one threat, in `policy.currency`; undefined when the threat does not exist
 * or has no `annual_rate`. Status is ignored here (this is the inherent figure).
 */
export function annualLoss(model: Model, threatId: string): number | undefined {
  const threat = own(model.threats, threatId);
  if (!threat) return undefined;
  const byAsset = lossByAsset(model, threat);
  if (!byAsset) return undefined;
  let sum = 0;
  for (const v of byAsset.values()) sum += v;
  return money(sum);
}


export interface LossSummary {
  /** `policy.currency` (ISO 4217), when the model declares one. */
  currency: string | undefined;
  /** Residual: the annual loss of open threats. */
  total: number;
  /** Inherent: the annual loss of every threat but the not-applicable ones, whatever their mitigations. */
  totalInherent: number;
  /** The annual loss of validly accepted threats (borne on purpose). */
  totalAccepted: number;
  /** Residual loss per asset id (open threats); only assets some such threat reaches. */
  perAsset: Record<string, number>;
  /** Inherent loss per asset id. */
  perAssetInherent: Record<string, number>;
  /** Each threat's own annual loss (inherent), for threats with an `annual_rate`. */
  perThreat: Record<string, number>;
  /** Assets without a `value` that threats with an `annual_rate` reach (those losses are understated). */
  assetsWithoutValue: string[];
  /** Threats (not-applicable ones aside) without an `annual_rate`: their loss is unknown. */
  threatsWithoutRate: string[];
}

/** Totals of annual loss for the model; see the module comment for which threats count where. */
export function lossSummary(model: Model, assessments: ReadonlyMap<string, ThreatAssessment>): LossSummary {
  let total = 0;
  let totalInherent = 0;
  let totalAccepted = 0;
  // Maps, not objects, while summing: an id is never confused with an Object.prototype member.
  const perAsset = new Map<string, number>();
  const perAssetInherent = new Map<string, number>();
  const perThreat = new Map<string, number>();
  const unvalued = new Set<string>();
  const threatsWithoutRate: string[] = [];
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, threat] of Object.entries(model.threats ?? {})) {
    const { residual, open } = assessments.get(id) ?? assessThreat(model, id, threat);
    if (residual === 'not-applicable') continue;
    const byAsset = lossByAsset(model, threat);
    if (!byAsset) {
      threatsWithoutRate.push(id);
      continue;
    }
    let loss = 0;
    for (const [asset, v] of byAsset) {
      loss += v;
      if (own(model.assets, asset)?.value === undefined) unvalued.add(asset);
      add(perAssetInherent, asset, v);
      if (open) add(perAsset, asset, v);
    }
    perThreat.set(id, loss);
    totalInherent += loss;
    if (open) total += loss;
    if (residual === 'accepted') totalAccepted += loss;
  }
  const record = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [k, money(v)]));
  return {
    currency: model.policy?.currency,
    total: money(total),
    totalInherent: money(totalInherent),
    totalAccepted: money(totalAccepted),
    perAsset: record(perAsset),
    perAssetInherent: record(perAssetInherent),
    perThreat: record(perThreat),
    assetsWithoutValue: [...unvalued],
    threatsWithoutRate,
  };
}
