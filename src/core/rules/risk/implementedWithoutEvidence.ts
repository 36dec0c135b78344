import type { Rule } from '../types';
import { quote, valueRange } from '../helpers';
import type { RuleContext } from '../types';

/** Mitigations an annotation points at: `@mitigates t with m`, or `@mitigates t` when t has the one mitigation m. */
function annotatedMitigations(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const a of ctx.settings.trace?.annotations ?? []) {
    if (a.kind !== 'mitigates') continue;
    if (a.with !== undefined) { out.add(a.with); continue; }
    const ms = ctx.model.threats?.[a.id]?.mitigations ?? [];
    if (ms.length === 1) out.add(ms[0]);
  }
  return out;
}

export const implementedWithoutEvidence: Rule = {
  meta: {
    id: 'risk/implemented-without-evidence',
    title: 'Mitigation implemented without evidence',
    category: 'risk',
    severity: 'warning',
    description: 'A mitigation marked `implemented` or `verified` should point at evidence: the code, configuration, test or ticket that shows it. An annotation in the code counts as evidence: `@mitigates <threat> with <mitigation>`, or `@mitigates <threat>` for a threat with this one mitigation (where the adapter reads annotations: the CLI, the editor).',
    advice: 'Add `evidence:` with paths (optionally with #L10-L20 line ranges or #symbolName), test files or links, or annotate the code with `@mitigates <threat> with <mitigation>`.',
    why: 'A mitigation marked implemented is what lets a high risk pass the tolerance. Evidence (a file with a line range, a test, a ticket, or an `@mitigates` annotation in the code) lets a reviewer check the claim in a minute, and lets Rampart notice when the code it points at moves or disappears.',
    example: `
mitigations:
  team-scoped-queries:
    title: Every note query is filtered by the caller's team id
    status: verified
    evidence:
      - src/notes/repository.ts#L20-L58
      - test/notes/access.test.ts
`,
  },
  check(ctx) {
    const out = [];
    const annotated = annotatedMitigations(ctx);
    for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
      if ((m.status !== 'implemented' && m.status !== 'verified') || (m.evidence?.length ?? 0) > 0 || annotated.has(id)) continue;
      out.push({
        path: ['mitigations', id, 'status'],
        range: valueRange(ctx, ['mitigations', id, 'status']),
        stableId: `risk/implemented-without-evidence@${id}`,
        message: `Mitigation ${quote(id)} is ${m.status} but lists no evidence: add \`evidence:\` with the code, config or test that shows it.`,
      });
    }
    return out;
  },
};
