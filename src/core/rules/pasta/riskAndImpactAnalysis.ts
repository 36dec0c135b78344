import type { Rule } from '../types';
import { checkStage } from './stage';

export const pastaRiskAndImpactAnalysis: Rule = {
  meta: {
    id: 'pasta/risk-and-impact-analysis',
    title: 'PASTA stage 7: risk and impact analysis incomplete',
    category: 'pasta',
    severity: 'info',
    description: 'With `policy.methodology: pasta`, stage 7 (risk and impact analysis) needs a declared risk tolerance (`policy.tolerance`), every threat that is not `not-applicable` rated (likelihood and impact, or CVSS), and a sign-off of the analysis (`pasta.sign_off`: by, date, role).',
    advice: 'Declare `policy.tolerance`, rate the threats the finding names, and record who signed the analysis off under `pasta.sign_off`, or mark the stage `done: true` with `notes` in `pasta.stages.risk-and-impact-analysis`.',
    why: 'The last stage turns the analysis into decisions: each threat rated against the tolerance the business accepts, and someone accountable signing that the remaining risk is acceptable. Without a rating a threat cannot be prioritised; without a sign-off nobody owns the result.',
    example: `
policy:
  tolerance: medium
  methodology: pasta
pasta:
  sign_off: { by: Dana Lee, role: CISO, date: 2026-11-20 }
`,
  },
  check: ctx => checkStage(ctx, 'risk-and-impact-analysis'),
};
