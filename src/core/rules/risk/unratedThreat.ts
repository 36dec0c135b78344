import type { Rule } from '../types';
import { keyRange, quote } from '../helpers';

export const unratedThreat: Rule = {
  meta: {
    id: 'risk/unrated-threat',
    title: 'Open threat without a risk rating',
    category: 'risk',
    severity: 'info',
    description: 'An open threat with neither `likelihood` and `impact` nor a CVSS vector (nor a hand-set `priority`) cannot be prioritised against the tolerance.',
    advice: 'Add `likelihood:` (rare..almost-certain) and `impact:` (negligible..severe), or a `cvss:` vector (or, coarser, `priority: low|medium|high`).',
  },
  check(ctx) {
    const out = [];
    for (const [id, a] of ctx.assessments) {
      if (!a.open || a.level !== undefined) continue;
      out.push({
        path: ['threats', id],
        range: keyRange(ctx, ['threats', id]),
        stableId: `risk/unrated-threat@${id}`,
        message: `Threat ${quote(id)} has no likelihood/impact or CVSS vector, so its risk is unknown: rate it.`,
      });
    }
    return out;
  },
};
