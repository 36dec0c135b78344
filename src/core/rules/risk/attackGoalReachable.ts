import type { Rule } from '../types';
import { evaluateTrees, pathSteps } from '../../risk/attackTrees';
import { isAbove } from '../../risk/matrix';
import { keyRange, quote, relatedTo } from '../helpers';

/**
 * An attack tree whose goal realises a high-risk threat, and whose goal is still reachable given the
 * mitigations: the model says the risk is handled, or hopes so, while a path to it is open.
 */
export const attackGoalReachable: Rule = {
  meta: {
    id: 'risk/attack-goal-reachable',
    title: 'Attack goal of a high-risk threat is still reachable',
    category: 'risk',
    severity: 'warning',
    description: 'An attack tree whose `threat:` is above the tolerance has a path to its goal on which no step is blocked by a mitigated (or not-applicable) threat. The message names the cheapest such path.',
    advice: 'Mitigate (and implement) a threat on the path, or every path: one blocked step of an AND branch, or every branch of an OR, blocks the goal.',
    why: 'An attack tree says how a goal can be reached. Mitigating some of its threats is not enough when another path stays open: attackers take the cheapest path, so the goal is protected only when every path has a blocked step.',
    example: `
attack_trees:
  read-other-teams-notes:
    goal: Read another team's notes
    threat: notes-of-other-teams        # the high risk this tree explains
    or:                                 # any branch reaches the goal: block each one
      - threat: notes-of-other-teams    # mitigated
      - and:                            # every step is needed: one mitigated step blocks it
          - leaf: Trick a member of that team into clicking a crafted link
          - threat: session-hijack      # mitigated
`,
  },
  check(ctx) {
    const out = [];
    const trees = ctx.model.attack_trees ?? {};
    const evaluations = evaluateTrees(ctx.model, ctx.assessments);
    for (const [id, tree] of Object.entries(trees)) {
      if (!tree.threat) continue;
      const a = ctx.assessments.get(tree.threat);
      if (!a?.level || !isAbove(a.level, ctx.tolerance)) continue;
      const ev = evaluations.get(id);
      if (!ev?.reachable || ev.cycle) continue;
      const steps = pathSteps(ctx.model, ev.path);
      const cost = ev.cheapestCost ? ` (cost ${ev.cheapestCost}${ctx.model.policy?.currency ? ' ' + ctx.model.policy.currency : ''})` : '';
      out.push({
        path: ['attack_trees', id],
        range: keyRange(ctx, ['attack_trees', id]),
        stableId: `risk/attack-goal-reachable@${id}`,
        message: `The goal of attack tree ${quote(id)} ("${tree.goal}"), which realises the ${a.level}-risk threat ${quote(tree.threat)}, is still reachable${cost}: ${steps.join(' AND ') || 'no step is blocked'}. Mitigate a step on this path.`,
        why: `${ev.blockedLeaves.length} step(s) are blocked by mitigated threats, but not on every path.`,
        related: relatedTo(ctx, ['threats', tree.threat], `the goal realises ${tree.threat}`),
      });
    }
    return out;
  },
};
