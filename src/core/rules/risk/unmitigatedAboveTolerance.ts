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
    why: 'The tolerance is the line your team drew: risks above it are the ones you said you would not live with. An open threat above it is a known, rated, serious risk that nobody has fixed or consciously signed off, which is exactly what an incident review finds afterwards ("we knew"). It is the finding `rampart check` fails the build on, so the decision is taken before the release, not after the incident.',
    example: `
policy: { tolerance: medium }
threats:
  notes-of-other-teams:
    title: A user reads another team's notes by changing the id in the URL
    stride: [information-disclosure]
    targets: [web-app]
    likelihood: likely
    impact: major            # likely x major = high: above the medium tolerance
    status: mitigated        # counts once all its mitigations are implemented
    mitigations: [team-scoped-queries]
mitigations:
  team-scoped-queries:
    title: Every note query is filtered by the caller's team id
    status: implemented
    evidence: [src/notes/repository.ts]
`,
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
