import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, hasControl, outbound, quote } from './facts';
import { privilegedHumans } from './privilegedUserPhishing';

/** A privileged person who signs in without multi-factor authentication. */
export const privilegedUserWithoutMfa: DesignRuleDef = {
  meta: {
    id: 'design/privileged-user-without-mfa',
    title: 'Privileged user without MFA',
    category: 'design',
    severity: 'warning',
    stride: ['spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-308'],
    capec: ['CAPEC-600', 'CAPEC-565', 'CAPEC-560'],
    description: 'A person with privileged access signs in with a single factor: a phished, reused or guessed password is enough to take over their access.',
    advice: 'Require MFA for this person (phishing-resistant where possible) and record the `mfa` control on them, on their flows, or on the systems they sign in to.',
    detection: 'A privileged human (see design/privileged-user-phishing) without the `mfa` control, with at least one flow into a process where neither the flow nor the process has `mfa` (or with no flows at all).',
    falsePositives: 'MFA enforced by a central identity provider the model does not show: record `mfa` on the person.',
  },
  covers: /\bmfa\b|multi[- ]factor|2fa|two[- ]factor|single[- ]factor|account takeover|password (guess|spray|reuse|stuff)|credential stuffing/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const { id, around } of privilegedHumans(ctx)) {
      const e = ctx.model.elements![id];
      if (hasControl(e, 'mfa')) continue;
      const hops = outbound(ctx, id).filter(h => ctx.model.elements?.[h.peer]?.type === 'process');
      const weak = hops.filter(h => !hasControl(h.flow, 'mfa') && !hasControl(ctx.model.elements?.[h.peer], 'mfa'));
      if (hops.length && !weak.length) continue;
      const where = weak.length ? ` to ${weak.map(h => quote(h.peer)).join(', ')}` : '';
      out.push({
        subject: id,
        section: 'elements',
        alsoMatches: around,
        message: `Privileged user ${describe(ctx, id)} signs in${where} without MFA: require MFA and record the \`mfa\` control, or track the risk with the suggested threat.`,
        why: `${quote(id)} is privileged and neither they nor ${weak.length ? `the flows ${weak.map(h => quote(h.flowId)).join(', ')} or their targets` : 'any flow'} record the \`mfa\` control.`,
        related: weak.map(h => at.flow(h.flowId, `sign-in without MFA to ${h.peer}`)),
        threat: {
          title: `${e.name}'s account is taken over with a stolen or guessed password`,
          description: `${e.name} has privileged access protected by a password alone, so credential phishing, reuse (credential stuffing) or guessing gives an attacker that access. Typical mitigation: MFA, preferably phishing-resistant (FIDO2/WebAuthn).`,
          likelihood: 'likely',
          impact: e.admin ? 'severe' : 'major',
          statement: { source: 'An external attacker', prerequisites: `a stolen, reused or guessed password of ${e.name}`, action: `sign in as ${e.name}`, impact: 'privileged access in the attacker\'s hands' },
        },
      });
    }
    return out;
  },
};
