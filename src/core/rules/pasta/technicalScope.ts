import type { Rule } from '../types';
import { checkStage } from './stage';

export const pastaTechnicalScope: Rule = {
  meta: {
    id: 'pasta/technical-scope',
    title: 'PASTA stage 2: technical scope incomplete',
    category: 'pasta',
    severity: 'info',
    description: 'With `policy.methodology: pasta`, stage 2 (definition of the technical scope) needs what is in scope (`scope.in`) and what each in-scope process and data store runs on (`technology`, `components` or `sbom`; external entities are not asked).',
    advice: 'Fill in `scope.in` and give each process and data store a `technology` (with its version, such as `nginx 1.20.1`), `components` or an `sbom`, or mark the stage `done: true` with `notes` in `pasta.stages.technical-scope`.',
    why: 'Attackers go after specific products and versions. Knowing what each component runs on is what lets threat-intelligence and vulnerability feeds tell you that a published exploit concerns you; a process without a `technology` is invisible to them.',
    example: `
scope:
  in: [Checkout web app, Payment API, Orders database]
  out: [Corporate e-mail]
elements:
  api: { type: process, name: Payment API, technology: node 20.11.1, components: ["pkg:npm/express@4.18.2"] }
  db: { type: store, name: Orders DB, technology: postgresql 15.4 }
`,
  },
  check: ctx => checkStage(ctx, 'technical-scope'),
};
