import type { Rule } from '../types';
import type { Linddun } from '../../model/schema';
import { personalDataTargets } from '../../methods/linddun';
import { keyRange } from '../helpers';

const NAMED_ASSETS = 3;

/**
 * LINDDUN per element: with `policy.methods` including `linddun`, each element and flow that handles personal
 * data should have each applicable LINDDUN category considered by at least one threat that targets it (any
 * status, including not-applicable with a justification). Entries marked `out_of_scope: true` are not asked.
 */
export const linddunCoverage: Rule = {
  meta: {
    id: 'linddun/coverage',
    title: 'LINDDUN privacy category not considered for personal data',
    category: 'linddun',
    severity: 'info',
    description: 'With `linddun` in `policy.methods`, every element and flow that handles personal data (an asset with `personal: true` that a flow carries in `data` or `data_received`, or that an element stores, processes, sends or receives) needs the LINDDUN categories that apply to it considered by a threat that targets it: external entities linking, identifying and unawareness (a `third-party` one data disclosure and non-compliance); processes, data stores and flows linking, identifying, non-repudiation, detecting, data disclosure and non-compliance. Entries marked `out_of_scope: true` are left out.',
    advice: 'Add a threat with `linddun: [category]` for each missing category (the quick fix adds stubs from the LINDDUN catalog), or add one with `status: not-applicable` and a justification.',
    why: 'Security threats are about attackers; privacy threats are also about what the system itself does with personal data: profiling people, re-identifying them, keeping data too long, sharing it without a basis. STRIDE does not ask about these, and data protection law fines them on their own. LINDDUN per element asks each place that handles personal data the questions that apply to it.',
    example: `
policy:
  methods: [stride, linddun]
assets:
  patient-records: { name: Patient records, classification: restricted, personal: true }
elements:
  ehr: { type: store, name: EHR database, stores: [patient-records] }
threats:
  ehr-linking:
    title: Records in the EHR can be joined into profiles
    linddun: [linking]
    targets: [ehr]
    status: open
  ehr-detecting:
    title: Whether someone is a patient can be inferred from the EHR
    linddun: [detecting]
    targets: [ehr]
    status: not-applicable
    justification: Only clinic staff reach the EHR, over the VPN.
`,
  },
  check(ctx) {
    const methods = ctx.model.policy?.methods;
    if (!methods?.includes('linddun')) return [];
    const out = [];
    for (const t of personalDataTargets(ctx.model)) {
      const covered = new Set<Linddun>();
      for (const tid of ctx.graph.threatsByTarget.get(t.id) ?? []) for (const c of ctx.model.threats?.[tid]?.linddun ?? []) covered.add(c);
      const missing = t.categories.filter(c => !covered.has(c));
      if (!missing.length) continue;
      const what = t.section === 'flows' ? 'Flow' : t.type === 'external' ? 'External entity' : t.type === 'process' ? 'Process' : 'Data store';
      const assets = t.assets.slice(0, NAMED_ASSETS).map(a => `\`${a}\``).join(', ') + (t.assets.length > NAMED_ASSETS ? ` and ${t.assets.length - NAMED_ASSETS} more` : '');
      out.push({
        path: [t.section, t.id],
        range: keyRange(ctx, [t.section, t.id]),
        stableId: `linddun/coverage@${t.id}`,
        message: `${what} \`${t.id}\` (${t.name}) handles personal data (${assets}) and has no threat considered for LINDDUN ${missing.join(', ')}.`,
        fixes: [{ kind: 'add-linddun-stubs' as const, title: `Add LINDDUN threat stubs for ${t.id} (${missing.length})`, target: t.id, categories: [...missing], preferred: true }],
      });
    }
    return out;
  },
};
