import type { Rule } from '../types';
import { checkStage } from './stage';

export const pastaApplicationDecomposition: Rule = {
  meta: {
    id: 'pasta/application-decomposition',
    title: 'PASTA stage 3: application decomposition incomplete',
    category: 'pasta',
    severity: 'info',
    description: 'With `policy.methodology: pasta`, stage 3 (application decomposition) is the data-flow diagram: it needs elements, data flows and trust boundaries.',
    advice: 'Add the missing `elements:`, `flows:` or `boundaries:` (or let `rampart discover` propose them), or mark the stage `done: true` with `notes` in `pasta.stages.application-decomposition`.',
    why: 'Threats live on the data flows and at the trust boundaries. Without a diagram that shows where data crosses from untrusted to trusted zones, threat analysis becomes a list of generic worries instead of threats to this system.',
    example: `
boundaries:
  internet: { name: Internet, trust: untrusted }
  dmz: { name: DMZ, trust: partial }
elements:
  browser: { type: external, name: Customer browser, boundary: internet }
  api: { type: process, name: Payment API, boundary: dmz }
flows:
  pay: { from: browser, to: api, protocol: https, encrypted: true }
`,
  },
  check: ctx => checkStage(ctx, 'application-decomposition'),
};
