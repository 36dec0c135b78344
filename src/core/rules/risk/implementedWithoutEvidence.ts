import type { Rule } from '../types';
import { quote, valueRange } from '../helpers';

export const implementedWithoutEvidence: Rule = {
  meta: {
    id: 'risk/implemented-without-evidence',
    title: 'Mitigation implemented without evidence',
    category: 'risk',
    severity: 'warning',
    description: 'A mitigation marked `implemented` or `verified` should point at evidence: the code, configuration, test or ticket that shows it.',
    advice: 'Add `evidence:` with paths (optionally with #L10-L20 line ranges), test files or links.',
  },
  check(ctx) {
    const out = [];
    for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
      if ((m.status !== 'implemented' && m.status !== 'verified') || (m.evidence?.length ?? 0) > 0) continue;
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
