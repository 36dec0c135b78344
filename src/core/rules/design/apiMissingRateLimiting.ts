import type { DesignRuleDef, Suggestion } from './engine';
import { at, callerTrust, controlOnPath, describe, directions, flowAssets, flows, isApiFlow, isFronting, isSecret, quote } from './facts';

/** API calls from untrusted callers with no rate limiting recorded. */
export const apiMissingRateLimiting: DesignRuleDef = {
  meta: {
    id: 'design/api-missing-rate-limiting',
    title: 'API flow without rate limiting',
    category: 'design',
    severity: 'warning',
    stride: ['denial-of-service'],
    cwe: ['CWE-770', 'CWE-799'],
    capec: ['CAPEC-125', 'CAPEC-600'],
    description: 'An API reachable by untrusted callers records no rate limiting: floods and expensive requests exhaust it, and automated credential stuffing or scraping runs unchecked.',
    advice: 'Rate-limit and quota per client and per credential (at the gateway or in the API), bound request sizes and costs, and record the `rate-limiting` control.',
    detection: 'A flow over an API protocol (or into a process of kind api or gateway) whose caller is untrusted (an external entity outside any boundary, an element in an untrusted boundary, or such a caller behind a load balancer), with no `rate-limiting` control on the flow, the receiving process or a gateway/load balancer it comes through. Authenticated partners in a partially trusted boundary are not reported.',
    falsePositives: 'Rate limiting done by a CDN or gateway the model does not show: model it (kind gateway with `rate-limiting`) or record the control on the flow.',
    why: 'An API without limits lets one client use up what all clients share: a flood or a few expensive queries take it down, and credential stuffing or scraping runs at full speed. Unrestricted resource consumption is in the OWASP API Security Top 10 for this reason.',
    example: `
elements:
  api-gateway:
    type: process
    name: API gateway
    kind: gateway
    controls: [rate-limiting]   # per client and per credential, with request size limits
`,
  },
  covers: /rate[- ]limit|throttl|flood|denial[- ]of[- ]service|\bdos\b|brute[- ]?forc|credential stuffing|card[- ]testing|scrap(e|ing)|exhaust/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      for (const [from, to] of directions(f)) {
        if (!ctx.model.elements?.[from] || !isApiFlow(ctx, f, to)) continue;
        const target = ctx.model.elements[to];
        const tFrom = callerTrust(ctx, from);
        if (tFrom !== 'untrusted') continue;
        if (controlOnPath(ctx, f, from, to, 'rate-limiting')) continue;
        if (ctx.model.elements[to].kind === 'load-balancer' && isFronting(ctx, to)) continue; // reported on the flows behind it
        const login = flowAssets(ctx, f).some(([, a]) => isSecret(a));
        out.push({
          subject: id,
          alsoMatches: [to],
          section: 'flows',
          message: `API flow ${describe(ctx, id)} from untrusted ${describe(ctx, from)} into ${describe(ctx, to)} records no rate limiting: limit requests per client${login ? ' and per account' : ''} and record the \`rate-limiting\` control, or track the risk with the suggested threat.`,
          why: `${quote(from)} is untrusted, ${quote(id)} is an API flow, and neither it nor ${quote(to)} has the \`rate-limiting\` control.`,
          related: [at.element(to, `${to} receives the API calls`)],
          threat: {
            title: login ? `Credential stuffing or flooding against ${target.name}` : `${target.name} is flooded by untrusted callers`,
            description: `Nothing limits how many requests callers send to ${target.name} over ${f.name ?? id}: floods or expensive queries exhaust it${login ? ', and automated password guessing or credential stuffing runs unchecked' : ''}. Typical mitigation: per-client and per-account rate limits and quotas at the gateway or in the API.`,
            stride: login ? ['denial-of-service', 'spoofing'] : ['denial-of-service'],
            likelihood: 'likely',
            impact: 'moderate',
            ...(login ? { cwe: ['CWE-770', 'CWE-307'], capec: ['CAPEC-125', 'CAPEC-600', 'CAPEC-49'] } : {}),
            statement: { source: 'An automated attacker on the internet', action: `send requests to ${target.name} at high volume`, impact: login ? 'account takeover or loss of availability' : 'loss of availability' },
          },
        });
        break;
      }
    }
    return out;
  },
};
