import type { Rule } from '../types';
import { valueRange } from '../helpers';

export const boundaryCycle: Rule = {
  meta: {
    id: 'schema/boundary-cycle',
    title: 'Trust boundaries nest in a cycle',
    category: 'schema',
    severity: 'error',
    description: 'Following `parent:` from a boundary leads back to itself, so the boundaries cannot be nested.',
    advice: 'Remove or change one `parent:` so the boundaries form a tree.',
  },
  check(ctx) {
    const bounds = ctx.model.boundaries ?? {};
    const reported = new Set<string>();
    const out = [];
    for (const start of Object.keys(bounds)) {
      const seen: string[] = [];
      let cur: string | undefined = start;
      while (cur && bounds[cur] && !seen.includes(cur)) {
        seen.push(cur);
        cur = bounds[cur].parent;
      }
      if (!cur || cur !== start) continue;
      const key = [...seen].sort().join(',');
      if (reported.has(key)) continue;
      reported.add(key);
      out.push({
        path: ['boundaries', start, 'parent'],
        range: valueRange(ctx, ['boundaries', start, 'parent']),
        stableId: `schema/boundary-cycle@${key}`,
        message: `Boundary parents form a cycle: ${[...seen, start].join(' -> ')}. Make one of them a top-level boundary.`,
      });
    }
    return out;
  },
};
