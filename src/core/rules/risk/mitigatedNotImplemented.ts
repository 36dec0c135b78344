import type { Rule } from '../types';
import { quote, relatedTo, valueRange } from '../helpers';
import { DONE_MITIGATION } from '../../risk/assess';

export const mitigatedNotImplemented: Rule = {
  meta: {
    id: 'risk/mitigated-not-implemented',
    title: 'Threat marked mitigated but its mitigations are not implemented',
    category: 'risk',
    severity: 'warning',
    description: 'A threat with `status: mitigated` counts as mitigated only when it links at least one mitigation and all of them are `implemented` or `verified`.',
    advice: 'Link the mitigation that covers it, finish implementing it (and record evidence), or set the status back to `open`.',
    why: '`status: mitigated` is a claim; what backs it is the status of its mitigations. A threat marked mitigated while its fix is only proposed drops out of the heat map, the report and the CI gate while the system is still exposed: the most misleading state a model can be in.',
    example: `
threats:
  session-hijack:
    title: A stolen session cookie lets someone act as a user
    stride: [spoofing]
    targets: [web-app]
    status: mitigated
    mitigations: [secure-sessions]
mitigations:
  secure-sessions:
    title: Secure, HttpOnly, SameSite cookies rotated at login
    status: implemented      # proposed, planned and in-progress do not count yet
    evidence: [src/auth/session.ts#L12-L40]
`,
  },
  check(ctx) {
    const out = [];
    for (const [id, t] of Object.entries(ctx.model.threats ?? {})) {
      if (t.status !== 'mitigated') continue;
      const links = t.mitigations ?? [];
      const pending = links.filter(m => !DONE_MITIGATION.has(ctx.model.mitigations?.[m]?.status ?? ''));
      if (links.length && !pending.length) continue;
      out.push({
        path: ['threats', id, 'status'],
        range: valueRange(ctx, ['threats', id, 'status']),
        stableId: `risk/mitigated-not-implemented@${id}`,
        message: links.length
          ? `${quote(id)} is marked mitigated, but ${pending.map(quote).join(', ')} ${pending.length > 1 ? 'are' : 'is'} not implemented yet.`
          : `${quote(id)} is marked mitigated but links no mitigation: add the mitigation that covers it under \`mitigations:\`.`,
        related: pending.flatMap(m => relatedTo(ctx, ['mitigations', m], `${m} is ${ctx.model.mitigations?.[m]?.status ?? 'missing'}`)),
        fixes: [
          ...(links.length ? [] : [{ kind: 'add-mitigation' as const, title: `Add a mitigation for ${id}`, threat: id, preferred: true }]),
          { kind: 'set-threat-status' as const, title: `Set ${id} back to open`, threat: id, status: 'open' as const },
        ],
      });
    }
    return out;
  },
};
