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
    why: 'Without a rating a threat cannot be compared with anything: it never shows on the heat map, never crosses the tolerance and so never fails the build, however serious it is. A rough likelihood and impact agreed in the session is worth far more than none, and can be refined later.',
    example: `
threats:
  card-data-in-logs:
    title: Card numbers written to application logs
    stride: [information-disclosure]
    targets: [payment-api]
    likelihood: possible     # rare, unlikely, possible, likely, almost-certain
    impact: severe           # negligible, minor, moderate, major, severe
    status: open
`,
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
