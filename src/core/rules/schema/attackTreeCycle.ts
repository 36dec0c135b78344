import type { Rule } from '../types';
import type { AttackNode } from '../../model/schema';
import { keyRange } from '../helpers';

function treeRefs(nodes: AttackNode[] | undefined, out: string[] = []): string[] {
  for (const n of nodes ?? []) {
    if (n.tree) out.push(n.tree);
    treeRefs(n.and, out);
    treeRefs(n.or, out);
  }
  return out;
}

export const attackTreeCycle: Rule = {
  meta: {
    id: 'schema/attack-tree-cycle',
    title: 'Attack trees refer to each other in a cycle',
    category: 'schema',
    severity: 'error',
    description: 'A `tree:` node refers to another attack tree that (directly or indirectly) refers back, so the goal can never be evaluated.',
    advice: 'Break the cycle: inline the shared steps, or split them into a tree that does not refer back.',
  },
  check(ctx) {
    const trees = ctx.model.attack_trees ?? {};
    const edges = new Map(Object.entries(trees).map(([id, t]) => [id, treeRefs([...(t.and ?? []), ...(t.or ?? [])])]));
    const out = [];
    const reported = new Set<string>();
    for (const start of edges.keys()) {
      // DFS for a path back to start
      const stack: [string, string[]][] = [[start, [start]]];
      const visited = new Set<string>();
      while (stack.length) {
        const [cur, path] = stack.pop()!;
        for (const next of edges.get(cur) ?? []) {
          if (next === start) {
            const key = [...path].sort().join(',');
            if (!reported.has(key)) {
              reported.add(key);
              out.push({
                path: ['attack_trees', start],
                range: keyRange(ctx, ['attack_trees', start]),
                stableId: `schema/attack-tree-cycle@${key}`,
                message: `Attack trees refer to each other in a cycle: ${[...path, start].join(' -> ')}.`,
              });
            }
          } else if (!visited.has(next) && edges.has(next)) {
            visited.add(next);
            stack.push([next, [...path, next]]);
          }
        }
      }
    }
    return out;
  },
};
