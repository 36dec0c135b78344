import type { Rule } from '../types';
import { keyRange, quote, relatedTo } from '../helpers';

/** The headline: an open threat whose level is above the tolerance, not mitigated nor validly accepted. */
export const unmitigatedAboveTolerance: Rule = {
  meta: {
    id: 'risk/unmitigated-above-tolerance',
    title: 'Unmitigated threat above risk tolerance',
    category: 'risk',
    severity: 'error',
    description: 'A threat whose risk level is above the tolerance is still open: none of its mitigations is implemented (or only some are), and it is not accepted or transferred (or its acceptance has expired).',
    advice: 'Implement a mitigation and link it (`mitigations:`), lower the likelihood or impact with justification, or accept/transfer the risk with a justification, an owner and an expiry date.',
  },
  check(ctx) {
    const out = [];
    for (const [id, a] of ctx.assessments) {
      if (!a.aboveTolerance) continue;
      const t = ctx.model.threats![id];
      const why = a.residual === 'expired' ? `its acceptance expired ${a.expiredDays} day(s) ago`
        : a.residual === 'partially-mitigated' ? `only ${a.mitigationsDone} of ${a.mitigationsTotal} mitigations are implemented`
        : a.mitigationsTotal ? 'none of its mitigations is implemented yet' : 'it has no mitigation';
      out.push({
        path: ['threats', id],
        range: keyRange(ctx, ['threats', id]),
        stableId: `risk/unmitigated-above-tolerance@${id}`,
        message: `Threat ${quote(id)} (${t.title}) is ${a.level} risk, above the ${ctx.tolerance} tolerance, and ${why}. Mitigate it, or accept or transfer it with a justification.`,
        related: (t.targets ?? []).flatMap(x => relatedTo(ctx, [ctx.model.elements?.[x] ? 'elements' : 'flows', x], `targets ${x}`)),
        fixes: [
          { kind: 'add-mitigation' as const, title: `Add a mitigation for ${id}`, threat: id, preferred: true },
          { kind: 'accept-risk' as const, title: `Accept the risk of ${id} (justification, owner, expiry)`, threat: id },
          { kind: 'accept-risk' as const, title: `Transfer the risk of ${id} (justification, owner, expiry)`, threat: id, status: 'transferred' as const },
        ],
      });
    }
    return out;
  },
};
