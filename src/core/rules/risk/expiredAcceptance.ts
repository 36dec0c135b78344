import type { Rule } from '../types';
import { quote, valueRange } from '../helpers';

export const expiredAcceptance: Rule = {
  meta: {
    id: 'risk/expired-acceptance',
    title: 'Risk acceptance has expired',
    category: 'risk',
    severity: 'warning',
    description: 'An accepted or transferred threat whose `expires` date has passed counts as open again.',
    advice: 'Review the risk: mitigate it, or renew the acceptance with a new expiry date and a current justification.',
    why: 'An acceptance is a bet made under the conditions of its day; the system, the attackers and the business change. The expiry date is when you promised to look again: after it nobody answers for the risk any more, so Rampart treats it as open until someone renews the decision or fixes the threat.',
    example: `
threats:
  malicious-attachments:
    title: A team member shares malware as an attachment
    stride: [tampering]
    targets: [attachments]
    likelihood: possible
    impact: minor
    status: accepted
    justification: Attachments are shared only inside a team and never rendered inline.
    accepted_by: Sam Rivera
    expires: 2027-06-30      # renew with a current justification, or mitigate, before this date
`,
  },
  check(ctx) {
    const out = [];
    for (const [id, a] of ctx.assessments) {
      if (a.residual !== 'expired') continue;
      const t = ctx.model.threats![id];
      out.push({
        path: ['threats', id, 'expires'],
        range: valueRange(ctx, ['threats', id, 'expires']),
        stableId: `risk/expired-acceptance@${id}`,
        message: `The ${t.status === 'transferred' ? 'transfer' : 'acceptance'} of ${quote(id)} expired on ${t.expires} (${a.expiredDays} day(s) ago): it counts as open again. Review it and renew or mitigate.`,
        fixes: [
          { kind: 'add-mitigation' as const, title: `Add a mitigation for ${id}`, threat: id },
          // Renewing writes a new expiry and asks for a fresh justification and sign-off (placeholders).
          { kind: 'accept-risk' as const, title: `Renew the ${t.status === 'transferred' ? 'transfer' : 'acceptance'} of ${id} (new expiry, fresh justification)`, threat: id, status: t.status === 'transferred' ? 'transferred' as const : 'accepted' as const },
        ],
      });
    }
    return out;
  },
};
