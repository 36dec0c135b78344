import type { Rule } from '../types';
import { checkStage } from './stage';

export const pastaAttackModelling: Rule = {
  meta: {
    id: 'pasta/attack-modelling',
    title: 'PASTA stage 6: no attack model',
    category: 'pasta',
    severity: 'info',
    description: 'With `policy.methodology: pasta`, stage 6 (attack modelling and simulation) needs attack trees: the goals an attacker would pursue and the ways to reach them, down to the model\'s threats.',
    advice: 'Add `attack_trees:` for the goals that matter, with the threats as leaves, or mark the stage `done: true` with `notes` in `pasta.stages.attack-modelling`.',
    why: 'An attack tree shows how single threats combine into an attacker\'s path to a goal, and which mitigation cuts the most paths. Without one, each threat is judged alone, and a chain of medium risks that ends in a critical outcome goes unnoticed.',
    example: `
attack_trees:
  steal-card-data:
    goal: Steal stored card data
    or:
      - threat: sql-injection
      - and:
          - threat: phished-admin
          - leaf: Admin console reachable from the internet
`,
  },
  check: ctx => checkStage(ctx, 'attack-modelling'),
};
