import type { DesignRuleDef, Suggestion } from './engine';
import { at, authenticated, boundaryLabel, callerTrust, describe, directions, flowAssets, flows, impactFor, handledAssets, lessTrusted, likelihoodFor, quote, trustOf } from './facts';

/** A flow into a process from a less trusted boundary that the process does not authenticate. */
export const unauthenticatedInbound: DesignRuleDef = {
  meta: {
    id: 'design/unauthenticated-inbound',
    title: 'Unauthenticated flow from a less trusted boundary into a process',
    category: 'design',
    severity: 'warning',
    stride: ['spoofing'],
    cwe: ['CWE-306', 'CWE-287'],
    capec: ['CAPEC-115', 'CAPEC-151'],
    description: 'A process accepts requests that come from a less trusted zone without authenticating the caller, so anyone who can reach it can act as a legitimate client.',
    advice: 'Authenticate the caller (session or token for users, mTLS or signed tokens for services) and record it with `authenticated: true` or the `authentication` control on the flow or the process.',
    detection: 'A flow (either direction when bidirectional) into a process whose sender is in a strictly less trusted boundary (an external entity outside any boundary counts as untrusted; a load balancer passes on the trust of its callers), with no `authenticated: true` and no authentication/mfa control on the flow or the process. Flows whose declared data is all public (anonymous public content) and flows into a load balancer (its downstream flows are checked instead) are skipped.',
    falsePositives: 'Public endpoints that are anonymous by design (sign-up, public catalogue): declare the data they carry as public, or add the suggested threat with `status: not-applicable` and a justification.',
    why: 'A process that does not know who is calling treats every caller that can reach it as a legitimate client: a scanner on the internet, a compromised neighbour, a replayed request. Every later check (authorisation, audit logs, per-client rate limits) depends on knowing the caller.',
    example: `
flows:
  use-app:
    from: user
    to: web-app
    protocol: https
    encrypted: true
    authenticated: true      # or \`controls: [authentication]\` on web-app
`,
  },
  covers: /unauthenticated|without authentication|no authentication|anonymous|spoof|impersonat|forged? (request|call|webhook|message)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      const data = flowAssets(ctx, f);
      if (data.length && data.every(([, a]) => a.classification === 'public')) continue;
      for (const [from, to] of directions(f)) {
        const target = ctx.model.elements?.[to];
        if (target?.type !== 'process' || target.kind === 'load-balancer' || !ctx.model.elements?.[from]) continue;
        const tFrom = callerTrust(ctx, from);
        const tTo = trustOf(ctx, to);
        if (!lessTrusted(tFrom, tTo)) continue;
        if (authenticated(ctx, f, to)) continue;
        const explicit = f.authenticated === false;
        out.push({
          subject: id,
          section: 'flows',
          message: `${describe(ctx, to)} accepts flow ${quote(id)} from ${describe(ctx, from)} (${tFrom}) without ${explicit ? 'authentication (`authenticated: false`)' : 'recorded authentication'}: authenticate the caller and set \`authenticated: true\`, or track the risk with the suggested threat.`,
          why: `The sender ${quote(from)} is ${tFrom}, the receiver ${quote(to)} is in ${boundaryLabel(ctx, to)}, and neither the flow nor ${quote(to)} records authentication.`,
          related: [at.element(to, `${to} receives the flow`), at.element(from, `${from} is ${tFrom}`)],
          threat: {
            title: `An unauthenticated caller from ${ctx.model.elements[from].boundary ?? from} impersonates a client of ${target.name}`,
            description: `${target.name} accepts ${f.name ?? id} from ${ctx.model.elements[from].name} without authenticating the sender, so anyone who can reach it can submit requests as a legitimate client. Typical mitigation: authenticate every caller (user sessions or tokens, mTLS for services).`,
            likelihood: likelihoodFor(tFrom),
            impact: impactFor([...data, ...handledAssets(ctx, to)], 'moderate'),
            statement: { source: `An unauthenticated actor in ${ctx.model.elements[from].boundary ?? 'an untrusted network'}`, prerequisites: `network access to ${target.name}`, action: `send requests to ${target.name} as if they were ${ctx.model.elements[from].name}`, impact: `unauthorised use of ${target.name}` },
          },
        });
        break;
      }
    }
    return out;
  },
};
