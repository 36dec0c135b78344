import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, directions, flowAssets, flows, isForeign, quote } from './facts';

/** Personal data flowing from our boundaries to another organisation. */
export const personalDataToThirdParty: DesignRuleDef = {
  meta: {
    id: 'design/personal-data-to-third-party',
    title: 'Personal data leaves the organisation',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-359'],
    description: 'Personal data is sent to an element run by another organisation. Its protection then depends on that organisation, and the transfer needs a legal basis and a processing agreement (GDPR art. 28, 44 ff.).',
    advice: 'Send only what the recipient needs (minimise, pseudonymise), have a data processing agreement and transfer mechanism in place, and record the processor in the record of processing activities.',
    detection: 'A flow (either direction when bidirectional) from an element of ours to an element of kind third-party or in a boundary with `ours: false` (or under one), whose `data` includes an asset with `personal: true`.',
    falsePositives: 'Data that is personal but sent by the data subject themselves to a third party does not pass through us; do not model it as our flow.',
    why: 'Once personal data leaves the organisation, its protection depends on someone else\'s security, and the law (GDPR art. 28 and 44 ff.) still holds you responsible for choosing the recipient and for the transfer: a breach at your processor is a breach you report. Sending less means less to leak.',
    example: `
assets:
  invitee-email: { name: Invitee e-mail address, classification: confidential, personal: true }
flows:
  send-invites:
    from: web-app
    to: email-service        # kind: third-party, under a data processing agreement
    protocol: https
    data: [invitee-email]    # only what the recipient needs
`,
  },
  covers: /personal data|privacy|gdpr|\bpii\b|data processing agreement|\bdpa\b|processor/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      const personal = flowAssets(ctx, f).filter(([, a]) => a.personal === true);
      if (!personal.length) continue;
      for (const [from, to] of directions(f)) {
        const receiver = ctx.model.elements?.[to];
        if (!receiver || !ctx.model.elements?.[from] || isForeign(ctx, from) || !isForeign(ctx, to)) continue;
        const names = personal.map(([, a]) => a.name).join(', ');
        out.push({
          subject: id,
          section: 'flows',
          message: `Flow ${describe(ctx, id)} sends personal data (${personal.map(([a]) => quote(a)).join(', ')}) to ${describe(ctx, to)}, which another organisation runs: minimise what is sent and make sure a processing agreement covers it, or track the risk with the suggested threat.`,
          why: `${personal.map(([a]) => quote(a)).join(', ')} ${personal.length > 1 ? 'are' : 'is'} \`personal: true\` and ${quote(to)} is ${receiver.kind === 'third-party' ? 'of kind third-party' : 'in a boundary with `ours: false`'}.`,
          related: [at.element(to, `${to} belongs to another organisation`), ...personal.map(([a]) => at.asset(a, `${a} is personal data`))],
          threat: {
            title: `Personal data (${names}) misused or leaked by ${receiver.name}`,
            description: `${names} leaves our control on ${f.name ?? id} and is processed by ${receiver.name}; a breach or misuse on their side exposes our users' personal data, and a transfer without a processing agreement or legal basis is itself a compliance breach. Typical mitigation: data minimisation or pseudonymisation, a processing agreement, vendor security review.`,
            likelihood: 'possible',
            impact: personal.some(([, a]) => a.classification === 'restricted') ? 'major' : 'moderate',
            statement: { source: `${receiver.name} or an attacker who breaches them`, prerequisites: 'the personal data we send them', action: `misuse or leak ${names}`, impact: 'privacy harm to data subjects and regulatory exposure', assets: personal.map(([a]) => a) },
          },
        });
        break;
      }
    }
    return out;
  },
};
