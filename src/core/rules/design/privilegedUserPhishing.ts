import type { AttackNode } from '../../model/schema';
import type { RuleContext } from '../types';
import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, elements, isAdminInterface, isHuman, outbound, quote } from './facts';

const PHISHING = /phish|social[- ]?engineer|pretext|vishing|smishing|help ?desk|credential (theft|harvest)/i;

/** The privileged people of a model: `privileged`/`admin` humans, or humans with a flow into an admin interface. */
export function privilegedHumans(ctx: RuleContext): { id: string; via: string[]; around: string[] }[] {
  const out: { id: string; via: string[]; around: string[] }[] = [];
  for (const [id, e] of elements(ctx)) {
    if (!isHuman(e)) continue;
    const hops = outbound(ctx, id);
    const via = hops.filter(h => isAdminInterface(ctx.model.elements?.[h.peer])).map(h => h.peer);
    if (e.privileged === true || e.admin === true || via.length) out.push({ id, via, around: [...hops.map(h => h.flowId), ...hops.map(h => h.peer)] });
  }
  return out;
}

function leafTexts(nodes: readonly AttackNode[] | undefined, acc: string[] = []): string[] {
  for (const n of nodes ?? []) {
    for (const t of [n.leaf, n.label]) if (t) acc.push(t);
    leafTexts(n.and, acc);
    leafTexts(n.or, acc);
  }
  return acc;
}

/** A privileged person for whom no phishing or social-engineering threat is considered. */
export const privilegedUserPhishing: DesignRuleDef = {
  meta: {
    id: 'design/privileged-user-phishing',
    title: 'Privileged user without a phishing threat considered',
    category: 'design',
    severity: 'warning',
    stride: ['spoofing'],
    cwe: ['CWE-1390'],
    capec: ['CAPEC-98', 'CAPEC-163', 'CAPEC-416'],
    description: 'People with privileged access are the first target of phishing and social engineering; a model that does not consider it misses the most common way in.',
    advice: 'Add a threat for phishing of this person (the suggested threat), and mitigate it with phishing-resistant MFA (FIDO2/WebAuthn), least privilege, just-in-time access and awareness training.',
    detection: 'A human (kind human, or an external entity without a kind whose name reads like a role such as Operator or Admin) with `privileged: true` or `admin: true`, or with a flow into an admin interface, unless a threat targeting them, their flows or the systems they sign in to mentions phishing, social engineering or pretexting (title, description or statement) or cites CAPEC-98/163/416, or an attack tree has a goal or leaf about phishing.',
    falsePositives: 'Phishing covered by an organisation-wide threat model: add the suggested threat with `status: transferred` or `not-applicable` and point to it in the justification.',
  },
  covers: PHISHING,
  detect(ctx) {
    const treeMentions = Object.values(ctx.model.attack_trees ?? {}).some(t => PHISHING.test([t.goal, ...leafTexts(t.and), ...leafTexts(t.or)].join('\n')));
    if (treeMentions) return [];
    const out: Suggestion[] = [];
    for (const { id, via, around } of privilegedHumans(ctx)) {
      const e = ctx.model.elements![id];
      const role = e.admin ? '`admin: true`' : e.privileged ? '`privileged: true`' : `access to admin interface ${via.map(quote).join(', ')}`;
      out.push({
        subject: id,
        section: 'elements',
        alsoMatches: around,
        message: `${describe(ctx, id)} has ${role}, but no threat considers phishing or social engineering of them: add the suggested threat and mitigate it (phishing-resistant MFA, least privilege).`,
        why: `${quote(id)} is a person with ${role}, and no threat targeting ${quote(id)} mentions phishing or social engineering.`,
        related: via.map(v => at.element(v, `${id} administers ${v}`)),
        threat: {
          title: `${e.name} is phished and their privileged access is abused`,
          description: `An attacker tricks ${e.name} (phishing e-mail, fake login page, help-desk pretext) into giving up credentials or approving a login, then uses their privileged access${via.length ? ` to ${via.map(v => ctx.model.elements![v].name).join(', ')}` : ''}. Typical mitigation: phishing-resistant MFA (FIDO2/WebAuthn), least privilege and just-in-time access, awareness training.`,
          likelihood: 'likely',
          impact: e.admin || via.length ? 'severe' : 'major',
          statement: { source: 'An external attacker', prerequisites: `the contact details of ${e.name}`, action: `phish ${e.name} for credentials or an MFA approval`, impact: 'use of privileged access by the attacker' },
        },
      });
    }
    return out;
  },
};
