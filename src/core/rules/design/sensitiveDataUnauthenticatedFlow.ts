import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, describe, directions, flowAssets, flows, hasControl, impactFor, isForeign, isSensitive, lessTrusted, likelihoodFor, quote, trustOf } from './facts';

/** Our system hands sensitive data to a less trusted or foreign receiver over a flow that is not authenticated. */
export const sensitiveDataUnauthenticatedFlow: DesignRuleDef = {
  meta: {
    id: 'design/sensitive-data-unauthenticated-flow',
    title: 'Sensitive data sent over an unauthenticated flow',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-306', 'CWE-200'],
    capec: ['CAPEC-1'],
    description: 'A process or store sends confidential or restricted data (or secrets) to a less trusted party over a flow that does not authenticate who receives it, so anyone who can ask gets the data.',
    advice: 'Authenticate the receiver before sending the data (user session or token, mTLS, signed requests) and set `authenticated: true`, or stop sending the data.',
    detection: 'A flow (either direction when bidirectional) whose sender is a process or store, whose receiver is an external client (a person, browser, mobile app or device, or an external entity without a kind) or an element of ours in a less trusted boundary, that carries confidential/restricted data or credentials/secrets/keys, and has neither `authenticated: true` nor an authentication/mfa control on the flow.',
    falsePositives: 'The receiver may be authenticated on a separate flow (e.g. the request flow), with this flow modelling only the response: record `authenticated: true` on the response flow as well, or model it as one bidirectional flow.',
  },
  covers: /unauthenticated|without authentication|no authentication|anonymous(ly)? (read|access|download)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      const data = flowAssets(ctx, f).filter(([, a]) => isSensitive(a));
      if (!data.length) continue;
      if (f.authenticated === true || (f.authenticated !== false && hasControl(f, 'authentication', 'mfa'))) continue;
      for (const [from, to] of directions(f)) {
        const sender = ctx.model.elements?.[from];
        const receiver = ctx.model.elements?.[to];
        if (!sender || !receiver || sender.type === 'external') continue;
        const tFrom = trustOf(ctx, from);
        const tTo = trustOf(ctx, to);
        // Pushes to another organisation's service are design/restricted-data-to-third-party's business.
        if (isForeign(ctx, to)) continue;
        const client = receiver.type === 'external' && (!receiver.kind || CLIENT_KINDS.has(receiver.kind));
        if (!(client || lessTrusted(tTo, tFrom))) continue;
        out.push({
          subject: id,
          section: 'flows',
          message: `${describe(ctx, from)} sends ${assetList(data)} to ${describe(ctx, to)} on flow ${quote(id)} without ${f.authenticated === false ? 'authentication (`authenticated: false`)' : 'recorded authentication'}: authenticate the receiver and set \`authenticated: true\`, or track the risk with the suggested threat.`,
          why: `${quote(to)} is ${client ? 'an external client' : `less trusted (${tTo}) than ${quote(from)} (${tFrom})`}, the flow carries ${assetList(data)}, and it records no authentication.`,
          related: [at(to), ...assetLinks(data, ' data sent on this flow')],
          threat: {
            title: `${data.map(([, a]) => a.name).join(', ')} obtained from ${sender.name} without authentication`,
            description: `${sender.name} sends ${data.map(([, a]) => a.name).join(', ')} to ${receiver.name} over ${f.name ?? id} without authenticating the receiver, so a party that is not ${receiver.name} can request and obtain the data. Typical mitigation: authenticate and authorise every request before returning the data.`,
            likelihood: likelihoodFor(tTo),
            impact: impactFor(data),
            statement: { source: 'An unauthenticated actor', prerequisites: `network access to ${sender.name}`, action: `obtain ${data.map(([, a]) => a.name).join(', ')} over ${f.name ?? id}`, impact: 'disclosure of the data', assets: data.map(([a]) => a) },
          },
        });
        break;
      }
    }
    return out;
  },
};

const CLIENT_KINDS = new Set(['human', 'browser', 'mobile-app', 'device']);
const at = (to: string) => ({ path: ['elements', to] as const, message: `${to} receives the data` });
