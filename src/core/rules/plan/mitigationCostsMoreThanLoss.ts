import type { Rule, RuleFinding } from '../types';
import { keyRange, quote, relatedTo, valueRange } from '../helpers';
import { mitigationPlan } from '../../risk/plan';
import { formatMoney } from '../../render/markdown';

/**
 * A mitigation still to do whose yearly cost is more than the whole annual loss of the open threats it closes:
 * even credited with all of that loss (not only its share), it costs more than it saves.
 */
export const mitigationCostsMoreThanLoss: Rule = {
  meta: {
    id: 'plan/mitigation-costs-more-than-loss',
    title: 'Mitigation costs more a year than the loss it prevents',
    category: 'plan',
    severity: 'info',
    description: 'A proposed, planned or in-progress mitigation has an `annual_cost` above the whole annual loss of the open threats it closes (each threat\'s `annual_rate` x `exposure` x the `value` of the assets it reaches), even when all of that loss is counted for it rather than its share: it costs more a year than it can save.',
    advice: 'Check the estimates (`annual_cost`, the threats\' `annual_rate` and `exposure`, the assets\' `value`); look for a cheaper mitigation; or, if the loss is what you can bear, accept the risk with a justification instead of paying more to avoid it.',
    detection: 'Only mitigations with an `annual_cost` that close at least one open threat, every one of them with a known annual loss (an `annual_rate`); a threat without a rate may be worth anything, so nothing is said then.',
    why: 'Security budgets are finite: money spent on a control that costs more each year than the harm it can prevent is money not spent on a threat where it would count. Mitigation is meant to be proportional to the risk; when it is not, either the estimates are wrong (worth finding out) or accepting the risk is the better decision.',
    example: `
policy: { currency: EUR }
assets:
  customer-records: { name: Customer records, classification: confidential, value: 100000 }
threats:
  records-dump:
    title: Customer records dumped from the database
    targets: [customer-db]          # stores customer-records
    likelihood: likely
    impact: major
    annual_rate: 0.2                # once in five years: EUR 20,000 a year
    status: open
    mitigations: [dam-appliance]
mitigations:
  dam-appliance:
    title: Database activity monitoring appliance
    status: planned
    annual_cost: 45000              # more than the EUR 20,000 a year it can prevent
`,
    falsePositives: 'Annual loss counts money only: a mitigation can be worth its cost for a legal duty, safety or reputation that no asset value captures. Say so in its `description` and switch the finding off for the file if needed.',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    // Most models give no yearly costs: then there is nothing to compare, and no plan to compute.
    if (!Object.values(ctx.model.mitigations ?? {}).some(m => m.annual_cost)) return out;
    const plan = mitigationPlan(ctx.model, ctx.assessments);
    for (const e of plan.entries) {
      if (!e.annualCost || !e.threats.length || e.closedLoss === undefined || e.annualCost <= e.closedLoss) continue;
      const m = (x: number) => formatMoney(x, plan.currency);
      const path = ['mitigations', e.id, 'annual_cost'];
      out.push({
        path,
        range: ctx.source.valueRange(path) ? valueRange(ctx, path) : keyRange(ctx, ['mitigations', e.id]),
        stableId: `plan/mitigation-costs-more-than-loss@${e.id}`,
        message: `Mitigation ${quote(e.id)} (${e.status}) costs ${m(e.annualCost)} a year, more than all the annual loss it prevents: ${m(e.closedLoss)} a year from ${e.threats.map(t => quote(t.id)).join(', ')}. Check the estimates, find a cheaper mitigation, or accept the risk.`,
        why: `ROSI = (loss reduction - annual cost) / annual cost${e.rosi !== undefined ? ` = ${Math.round(e.rosi * 100)} %` : ''}, counting its share of each threat's loss (${m(e.reduction ?? 0)} a year)`,
        related: e.threats.flatMap(t => relatedTo(ctx, ['threats', t.id], `${t.id}: ${t.annualLoss !== undefined ? m(t.annualLoss) : 'unknown'} a year`)),
      });
    }
    return out;
  },
};
