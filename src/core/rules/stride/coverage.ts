import { keptFindings, type Rule, type RuleContext, type RuleFinding } from '../types';
import type { Range } from '../../types';
import type { Stride } from '../../model/schema';
import { STRIDE_PER_ELEMENT, type CatalogTarget } from './catalog';
import { keyRange } from '../helpers';
import { libraryThreatStub, libraryThreatsFor } from '../../library/apply';

/**
 * STRIDE per element: each element and flow should have each applicable category considered by at least one
 * threat that targets it (any status, including not-applicable with a justification). Entries marked
 * `out_of_scope: true` are not asked.
 */
export const strideCoverage: Rule = {
  meta: {
    id: 'stride/coverage',
    title: 'STRIDE category not considered for an element',
    category: 'stride',
    severity: 'info',
    description: 'STRIDE per element: external entities need spoofing and repudiation considered; processes all six categories; data stores tampering, repudiation, information disclosure and denial of service; data flows tampering, information disclosure and denial of service. Elements and flows marked `out_of_scope: true` are left out, and nothing is checked when `policy.methods` is given without `stride`.',
    advice: 'Add a threat for each missing category (the quick fix adds stubs from the threat catalog), or add one with `status: not-applicable` and a justification.',
    why: 'Most missed threats are not exotic: they are a category nobody thought about for that element, such as a store whose tampering was never discussed or a flow whose disclosure was taken for granted. STRIDE per element is the checklist that shows those gaps. A category that does not apply is fine, as long as someone decided so and wrote down why.',
    example: `
threats:
  orders-db-tampering:
    title: Order rows changed directly in the database
    stride: [tampering]
    targets: [orders-db]
    likelihood: unlikely
    impact: major
    status: open
  orders-db-outage:
    title: The orders database is unavailable
    stride: [denial-of-service]
    targets: [orders-db]
    status: not-applicable
    justification: Managed database with automatic fail-over, covered by the provider's SLA.
`,
  },
  check(ctx) {
    // `policy.methods` names the methods whose coverage is checked; without it, STRIDE's is.
    const methods = ctx.model.policy?.methods;
    if (methods && !methods.includes('stride')) return [];
    const out: RuleFinding[] = [];
    // Kept for the next analysis in the language server's (`memo`); with a team library, the stubs depend on the
    // whole model: made afresh each time.
    const keep = !!ctx.memo && !ctx.settings.library?.catalog.length;
    const visit = (id: string, section: 'elements' | 'flows', entry: object, type: CatalogTarget, name: string) => {
      const strides = (ctx.graph.threatsByTarget.get(id) ?? []).map(tid => ctx.model.threats?.[tid]?.stride);
      // the range is compared only when kept; otherwise it is looked up for a finding alone
      const range = keep ? keyRange(ctx, [section, id]) : undefined;
      const last = keep ? made.get(entry) : undefined;
      if (last && last.range === range && last.strides.length === strides.length && last.strides.every((x, i) => x === strides[i])) {
        if (last.finding) out.push(last.finding);
        return;
      }
      const finding = coverageOf(ctx, id, section, type, name, strides, range);
      if (keep && range) {
        made.set(entry, { strides, range, finding });
        if (finding) keptFindings.add(finding);
      }
      if (finding) out.push(finding);
    };
    for (const [id, e] of Object.entries(ctx.model.elements ?? {})) if (!e.out_of_scope) visit(id, 'elements', e, e.type, e.name);
    for (const [id, f] of Object.entries(ctx.model.flows ?? {})) if (!f.out_of_scope) visit(id, 'flows', f, 'flow', f.name ?? id);
    return out;
  },
};

/**
 * The finding of an element or flow as last made, with what it was made from: the entry (the same object while
 * its text is unchanged, in the language server), the stride lists of the threats targeting it, and its range (the
 * same object while the entry has not moved, see model/index.ts). All the same, the finding is the same.
 */
interface Made { strides: (readonly Stride[] | undefined)[]; range: Range; finding: RuleFinding | undefined }
const made = new WeakMap<object, Made>();

function coverageOf(ctx: RuleContext, id: string, section: 'elements' | 'flows', type: CatalogTarget, name: string, strides: (readonly Stride[] | undefined)[], range: Range | undefined): RuleFinding | undefined {
  const covered = new Set<Stride>();
  for (const list of strides) for (const s of list ?? []) covered.add(s);
  const missing = STRIDE_PER_ELEMENT[type].filter(s => !covered.has(s));
  if (!missing.length) return undefined;
  // A team library's catalog entry whose `applies_to` matches, where there is one, starts the stub instead of the
  // built-in one (an entry without `applies_to` is offered by the adapters, never put in place of a built-in stub).
  const lib = ctx.settings.library?.catalog.length ? libraryThreatsFor(ctx.settings.library, ctx.model, id, ctx) : [];
  const entries: Partial<Record<Stride, Record<string, unknown>>> = {};
  for (const c of missing) {
    const e = lib.find(x => x.data.applies_to && x.data.stride?.includes(c));
    if (e) entries[c] = libraryThreatStub(e, id, name, [c]);
  }
  return {
    path: [section, id],
    range: range ?? keyRange(ctx, [section, id]),
    stableId: `stride/coverage@${id}`,
    message: `${type === 'flow' ? 'Flow' : type === 'external' ? 'External entity' : type === 'process' ? 'Process' : 'Data store'} \`${id}\` (${name}) has no threat considered for ${missing.join(', ')}.`,
    fixes: [{ kind: 'add-stride-stubs' as const, title: `Add STRIDE threat stubs for ${id} (${missing.length})`, target: id, categories: missing, preferred: true, ...(Object.keys(entries).length ? { entries } : {}) }],
  };
}
