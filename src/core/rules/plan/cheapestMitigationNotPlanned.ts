import type { Rule, RuleFinding } from '../types';
import { keyRange, quote, relatedTo, valueRange } from '../helpers';
import { compareCost, pendingMitigations } from '../../risk/plan';
import { formatMoney } from '../../render/markdown';

/**
 * An open threat above the tolerance whose cheapest pending mitigation (by `annual_cost`, then one-off `cost`)
 * is only `proposed`: nobody has planned the least expensive way to bring it down.
 */
export const cheapestMitigationNotPlanned: Rule = {
  meta: {
    id: 'plan/cheapest-mitigation-not-planned',
    title: 'Cheapest mitigation of a threat above tolerance is not planned',
    category: 'plan',
    severity: 'warning',
    description: 'An open threat above the risk tolerance links mitigations that are not done yet, and the cheapest of them (lowest `annual_cost`, then lowest one-off `cost`) is still `proposed`: not planned, not in progress.',
    advice: 'Plan it: set its `status` to `planned` (the quick fix does), with an `owner` and a `ticket`. If it cannot be done, remove it from the threat\'s `mitigations:` or give the reason in its `description`.',
    why: 'A risk above the tolerance stays open until someone commits to a fix. When the cheapest way to bring it down is still only an idea, the threat waits on a decision that costs the least to make: planning it, with an owner and a ticket, is the quickest step towards closing the risk.',
    example: `
threats:
  card-testing:
    title: The payment form is used to test stolen cards
    likelihood: likely
    impact: major                   # high: above a medium tolerance
    status: open
    mitigations: [velocity-limits, fraud-service]
mitigations:
  velocity-limits:
    title: Per-IP and per-card velocity limits
    status: planned                 # was proposed: the cheapest one is now planned
    annual_cost: 2000
    owner: Payments team
    ticket: PAY-112
  fraud-service:
    title: Third-party fraud scoring
    status: proposed
    annual_cost: 30000
`,
    detection: 'Among the threat\'s mitigations that are not implemented or verified and have a cost (`annual_cost` or `cost`); a mitigation without any cost is not compared, and when none has a cost nothing is said (the threat is still reported by `risk/unmitigated-above-tolerance`).',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const mitigations = ctx.model.mitigations ?? {};
    const currency = ctx.model.policy?.currency;
    for (const [id, a] of ctx.assessments) {
      if (!a.aboveTolerance) continue;
      const links = ctx.model.threats![id].mitigations ?? [];
      let cheapest: string | undefined;
      let candidates = 0;
      const pending = pendingMitigations(ctx.model, links);
      for (const m of pending) {
        const mit = Object.hasOwn(mitigations, m) ? mitigations[m] : undefined;
        if (!mit || (mit.annual_cost === undefined && mit.cost === undefined)) continue;
        candidates++;
        if (cheapest === undefined || compareCost(mit, mitigations[cheapest]) < 0 || (compareCost(mit, mitigations[cheapest]) === 0 && m < cheapest)) cheapest = m;
      }
      if (cheapest === undefined || mitigations[cheapest].status !== 'proposed') continue;
      const mit = mitigations[cheapest];
      const costs = [
        ...(mit.annual_cost !== undefined ? [`${formatMoney(mit.annual_cost, currency)} a year`] : []),
        ...(mit.cost !== undefined ? [`${formatMoney(mit.cost, currency)} once`] : []),
      ].join(' and ');
      const path = ['threats', id, 'mitigations', links.indexOf(cheapest)];
      out.push({
        path,
        range: ctx.source.valueRange(path) ? valueRange(ctx, path) : keyRange(ctx, ['threats', id]),
        stableId: `plan/cheapest-mitigation-not-planned@${id}`,
        message: `Threat ${quote(id)} is ${a.level} risk, above the ${ctx.tolerance} tolerance, and its ${candidates > 1 ? 'cheapest mitigation' : pending.length > 1 ? 'only mitigation with a cost,' : 'mitigation'} ${quote(cheapest)} (${costs}) is only proposed. Plan it: set its status to planned, with an owner and a ticket.`,
        related: relatedTo(ctx, ['mitigations', cheapest], `${cheapest}: proposed, ${costs}`),
        fixes: [{ kind: 'set-mitigation-status' as const, title: `Plan ${cheapest} (status: planned)`, mitigation: cheapest, status: 'planned', preferred: true }],
      });
    }
    return out;
  },
};
