import type { Rule } from '../types';
import { checkStage } from './stage';

export const pastaBusinessObjectives: Rule = {
  meta: {
    id: 'pasta/business-objectives',
    title: 'PASTA stage 1: business objectives missing',
    category: 'pasta',
    severity: 'info',
    description: 'With `policy.methodology: pasta`, stage 1 (definition of the business objectives) needs the objectives the system serves, in `pasta.objectives`: what the business expects of it and what failing that would cost. Nothing else in the model holds them.',
    advice: 'List the objectives under `pasta.objectives` (one sentence each), or mark the stage `done: true` with `notes` in `pasta.stages.business-objectives`.',
    why: 'PASTA is risk-centric: a threat matters as much as the business objective it puts at risk. Without written objectives, the ratings of stage 7 have nothing to be measured against, and a reviewer cannot tell an outage of the checkout from one of the newsletter.',
    example: `
policy:
  methodology: pasta
pasta:
  objectives:
    - Take card payments around the clock (an hour down costs about EUR 40,000)
    - Keep customer data confidential (a breach must be reported within 72 hours)
`,
  },
  check: ctx => checkStage(ctx, 'business-objectives'),
};
