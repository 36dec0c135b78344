import type { Rule } from '../types';
import { attackTreeCycles } from '../../risk/attackTrees';
import { keyRange } from '../helpers';

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
    // one finding per group of trees that refer to each other, on the first tree of the cycle
    return attackTreeCycles(ctx.model).map(cycle => ({
      path: ['attack_trees', cycle[0]],
      range: keyRange(ctx, ['attack_trees', cycle[0]]),
      stableId: `schema/attack-tree-cycle@${[...new Set(cycle)].sort().join(',')}`,
      message: `Attack trees refer to each other in a cycle: ${cycle.join(' -> ')}.`,
    }));
  },
};
