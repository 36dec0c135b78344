import type { Rule } from '../types';
import { keyRange, quote, valueRange } from '../helpers';

const missing = (v: string | undefined) => !v || !v.trim() || /^TODO\b/i.test(v.trim());

export const acceptanceWithoutJustification: Rule = {
  meta: {
    id: 'risk/acceptance-without-justification',
    title: 'Accepted or transferred risk without justification, owner or expiry',
    category: 'risk',
    severity: 'warning',
    description: 'Accepting or transferring a risk is a decision someone owns: it needs a `justification`, `accepted_by` and an `expires` date. Placeholders starting with TODO count as missing.',
    advice: 'Write why the risk is acceptable (or who carries it), who decided, and when to review it again.',
    why: 'Accepting a risk is legitimate, but only as a decision: someone with the authority to accept it, a reason a later reader can check, and a date to look again. Without them "accepted" cannot be told apart from "ignored", neither by an auditor nor by the next team that inherits the system.',
    example: `
threats:
  invite-email-outage:
    title: Invitations are not delivered while the email service is down
    stride: [denial-of-service]
    targets: [send-invites]
    likelihood: unlikely
    impact: minor
    status: accepted
    justification: Invitations can be re-sent by hand; an outage of a few hours costs no data.
    accepted_by: Alex Kim (product owner)
    expires: 2027-03-31
    ticket: NOTES-57
`,
  },
  check(ctx) {
    const out = [];
    for (const [id, t] of Object.entries(ctx.model.threats ?? {})) {
      if (t.status !== 'accepted' && t.status !== 'transferred') continue;
      const gaps = [missing(t.justification) && 'justification', missing(t.accepted_by) && 'accepted_by', !t.expires && 'expires'].filter(Boolean) as string[];
      if (!gaps.length) continue;
      const path = gaps[0] === 'justification' && t.justification !== undefined ? ['threats', id, 'justification'] : ['threats', id, 'status'];
      out.push({
        path,
        range: path[2] === 'status' ? valueRange(ctx, path) : keyRange(ctx, path),
        stableId: `risk/acceptance-without-justification@${id}`,
        message: `${quote(id)} is ${t.status} without ${gaps.map(g => `\`${g}\``).join(', ')}: record why, who decided and until when.`,
        fixes: [{ kind: 'accept-risk' as const, title: `Add ${gaps.join(', ')} placeholders to ${id}`, threat: id, status: t.status, preferred: true }],
      });
    }
    return out;
  },
};
