/**
 * The mitigation plan ("fix first", risk/plan.ts) as a Markdown section (the report and `rampart plan
 * --format markdown`), as plain text (`rampart plan`) and as JSON (`rampart plan --format json`, and
 * `rampart check --format json` per file). Pure. Markdown goes through the escaping helpers of markdown.ts;
 * the text output is made terminal-safe by the CLI.
 */
import type { Level } from '../model/schema';
import type { MitigationPlan, PlanEntry } from '../risk/plan';
import { formatMoney, formatNumber, mdCell, mdCode, mdTable, plural } from './markdown';

const ICON: Record<Level, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🟢' };
/** Threats listed per entry before "and N more". */
const MAX_THREATS = 10;

/** How the plan is ordered and what its figures mean, in one paragraph. */
export const PLAN_EXPLAINED = 'Mitigations not yet implemented, in the order to do them: the highest risk they close first, then the best return on security investment '
  + '(ROSI = (annual loss reduction - annual cost) / annual cost), then the lowest cost. A threat closes once all its mitigations are done, so its annual loss '
  + 'is shared equally among its pending mitigations; a one-off `cost` is shown apart and not counted in ROSI.';

/** ROSI as a signed percentage; a free mitigation that reduces a loss says so. */
export function rosiText(e: Pick<PlanEntry, 'rosi' | 'annualCost' | 'reduction'>): string {
  if (e.rosi !== undefined) return `${e.rosi > 0 ? '+' : ''}${formatNumber(Math.round(e.rosi * 100))} %`;
  if (e.annualCost === 0 && (e.reduction ?? 0) > 0) return 'free';
  return '—';
}

/** The loss reduction: `≥` when some threats it closes have no known loss, `unknown` when none has. */
export function reductionText(e: PlanEntry): string {
  if (e.reduction === undefined) return 'unknown';
  return `${e.threatsWithoutLoss.length ? '≥ ' : ''}${formatMoney(e.reduction, e.currency)}`;
}

const money = (x: number | undefined, currency: string | undefined) => (x === undefined ? '—' : formatMoney(x, currency));

/** Totals and what is unknown, as sentences (Markdown when `md`). */
function notes(plan: MitigationPlan, md: boolean): string[] {
  const code = (s: string) => (md ? mdCode(s) : s);
  const out: string[] = [];
  const t = plan.totals;
  const n = plan.withoutAnnualCost.length;
  const yearly = n === plan.entries.length ? 'an unknown cost a year' : `${formatMoney(t.annualCost, plan.currency)} a year${n ? ' (known costs only)' : ''}`;
  out.push(`Total: ${formatMoney(t.reduction, plan.currency)} a year of loss reduction for ${yearly}${t.oneOffCost ? ` and ${formatMoney(t.oneOffCost, plan.currency)} once` : ''}.`);
  if (n) out.push(`${plural(n, 'mitigation has', 'mitigations have')} no ${code('annual_cost')}, so no ROSI: ${plan.withoutAnnualCost.slice(0, 20).map(code).join(', ')}${n > 20 ? ` and ${n - 20} more` : ''}.`);
  if (plan.entries.some(e => e.reduction === undefined)) out.push(`A reduction shown as unknown: none of the threats the mitigation closes has an ${code('annual_rate')}, so the loss it prevents is not estimated.`);
  if (plan.entries.some(e => e.reduction !== undefined && e.threatsWithoutLoss.length)) out.push(`≥ before a reduction: some of the threats the mitigation closes have no ${code('annual_rate')}, so their loss is not counted (the reduction is a lower bound).`);
  return out;
}

/** The plan as a Markdown section, heading level `##` (or `#` for a document of its own). */
export function planMarkdown(plan: MitigationPlan, heading = '##'): string {
  const out: string[] = [`${heading} Mitigation plan (fix first)`, ''];
  if (!plan.entries.length) {
    out.push('Every mitigation is implemented or verified: nothing left to plan.', '');
    return out.join('\n');
  }
  out.push(PLAN_EXPLAINED, '');
  out.push(mdTable(['#', 'Mitigation', 'Status', 'Closes', 'Loss reduction / year', 'Annual cost', 'One-off cost', 'ROSI'], plan.entries.map(e => {
    const shown = e.threats.slice(0, MAX_THREATS).map(t => `${t.level ? ICON[t.level] + ' ' : ''}${mdCode(t.id)}${t.aboveTolerance ? ' ⛔' : ''}`);
    if (e.threats.length > MAX_THREATS) shown.push(`and ${e.threats.length - MAX_THREATS} more`);
    return [
      String(e.rank),
      `${mdCell(e.title, 200)}<br>${mdCode(e.id)}`,
      e.status,
      shown.join('<br>') || 'no open threat',
      reductionText(e),
      money(e.annualCost, e.currency),
      money(e.oneOffCost, e.currency),
      rosiText(e),
    ];
  }), ['r', 'l', 'l', 'l', 'r', 'r', 'r', 'r']), '');
  out.push(...notes(plan, true).map(s => `- ${s}`), '- ⛔ open and above the risk tolerance.', '');
  return out.join('\n');
}

/** The plan as plain text lines (model strings are not made terminal-safe here: the caller does it). */
export function planText(plan: MitigationPlan): string[] {
  if (!plan.entries.length) return ['Every mitigation is implemented or verified: nothing left to plan.'];
  const rows = plan.entries.map(e => [
    String(e.rank), e.level ?? '-', e.id, e.status, reductionText(e), money(e.annualCost, e.currency), money(e.oneOffCost, e.currency), rosiText(e),
    e.threats.slice(0, MAX_THREATS).map(t => `${t.id}${t.level ? ` (${t.level})` : ''}`).join(', ')
      + (e.threats.length > MAX_THREATS ? `, and ${e.threats.length - MAX_THREATS} more` : '') || 'no open threat',
  ]);
  const header = ['#', 'Level', 'Mitigation', 'Status', 'Reduction/yr', 'Annual cost', 'One-off', 'ROSI', 'Closes'];
  const right = new Set([0, 4, 5, 6, 7]);
  // Column widths from the first 200 rows: one very long id does not push every row of a large plan.
  const width = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.slice(0, 200).map(r => [...r[i]].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', ...notes(plan, false)];
}

/** One entry as JSON (null for what is unknown). */
function entryJson(e: PlanEntry) {
  return {
    rank: e.rank, id: e.id, title: e.title, status: e.status, level: e.level ?? null,
    threats: e.threats.map(t => ({ id: t.id, level: t.level ?? null, aboveTolerance: t.aboveTolerance, annualLoss: t.annualLoss ?? null, share: t.share ?? null })),
    reduction: e.reduction ?? null,
    reductionIsLowerBound: e.threatsWithoutLoss.length > 0,
    annualCost: e.annualCost ?? null,
    oneOffCost: e.oneOffCost ?? null,
    rosi: e.rosi ?? null,
    currency: e.currency ?? null,
  };
}

/** The plan as JSON data. */
export function planJson(plan: MitigationPlan) {
  return { currency: plan.currency ?? null, totals: plan.totals, entries: plan.entries.map(entryJson) };
}
