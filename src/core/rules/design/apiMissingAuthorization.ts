import type { DesignRuleDef, Suggestion } from './engine';
import { at, authenticated, callerTrust, controlOnPath, describe, directions, flowAssets, flows, handledAssets, impactFor, isApiFlow, isForeign, isFronting, lessTrusted, likelihoodFor, quote, trustOf } from './facts';

/** API calls from a less trusted caller with no authorization recorded. */
export const apiMissingAuthorization: DesignRuleDef = {
  meta: {
    id: 'design/api-missing-authorization',
    title: 'API flow without authorization',
    category: 'design',
    severity: 'warning',
    stride: ['elevation-of-privilege', 'information-disclosure'],
    cwe: ['CWE-862', 'CWE-639', 'CWE-285'],
    capec: ['CAPEC-1', 'CAPEC-122'],
    description: 'An API receives calls from a less trusted caller and the model records no authorization check: authenticated callers may reach objects and functions that are not theirs (broken object- or function-level authorization).',
    advice: 'Check on every request that the caller may perform this action on this object (deny by default, object ownership checks), and record it with `authorized: true` or the `authorization` control.',
    detection: 'A flow into a process over an API protocol (http, https, grpc, graphql, websocket, ...) or into a process of kind api or gateway, from an external entity, another organisation or a less trusted boundary, with no `authorized: true` and no `authorization` control on the flow, the receiving process or a gateway/load balancer it comes through. Flows into a load balancer or a forwarding gateway are left to the flows behind it; anonymous flows of public data only are skipped.',
    falsePositives: 'An API whose every operation is public and read-only: declare the data as public, or mark the suggested threat not applicable.',
    why: 'Broken object-level authorization heads the OWASP API Security Top 10: a signed-in user changes an id in the request and reads someone else\'s order. Authentication says who is calling; only an authorization check on every request says whether they may touch this object.',
    example: `
elements:
  orders-api:
    type: process
    name: Orders API
    kind: api
    controls: [authentication, authorization]   # every request checks who owns the order
flows:
  call-api: { from: mobile-app, to: orders-api, protocol: https, authenticated: true, authorized: true }
`,
  },
  covers: /authori[sz]|access control|idor|bola|other (users|customers)'? (data|orders|accounts)|privilege/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      const data = flowAssets(ctx, f);
      for (const [from, to] of directions(f)) {
        if (!ctx.model.elements?.[from] || !isApiFlow(ctx, f, to)) continue;
        const target = ctx.model.elements[to];
        const tFrom = callerTrust(ctx, from);
        const external = ctx.model.elements[from].type === 'external' || isForeign(ctx, from);
        if (!external && !lessTrusted(tFrom, trustOf(ctx, to))) continue;
        if (f.authorized === true || (f.authorized !== false && controlOnPath(ctx, f, from, to, 'authorization'))) continue;
        if (isFronting(ctx, to)) continue; // the processes behind it decide
        if (data.length && data.every(([, a]) => a.classification === 'public') && !authenticated(ctx, f, to)) continue;
        out.push({
          subject: id,
          alsoMatches: [to],
          section: 'flows',
          message: `API flow ${describe(ctx, id)} from ${describe(ctx, from)} into ${describe(ctx, to)} records no authorization${f.authorized === false ? ' (`authorized: false`)' : ''}: check per request that the caller may act on the object, set \`authorized: true\`, or track the risk with the suggested threat.`,
          why: `${quote(id)} is an API flow${f.protocol ? ` (${f.protocol})` : ''} from ${external ? 'an external caller' : `a less trusted caller (${tFrom})`} and neither it nor ${quote(to)} records authorization.`,
          related: [at.element(to, `${to} receives the API calls`)],
          severity: f.authorized === false && tFrom === 'untrusted' ? 'error' : undefined,
          threat: {
            title: `A caller of ${target.name} accesses objects or functions that are not theirs`,
            description: `${target.name} does not record an authorization check on ${f.name ?? id}: a caller can change an object id or call a privileged operation and read or modify other users' data (broken object- or function-level authorization). Typical mitigation: deny-by-default, per-object authorization checks on every request.`,
            likelihood: likelihoodFor(tFrom, isForeign(ctx, from), -1),
            impact: impactFor([...data, ...handledAssets(ctx, to)], 'moderate'),
            statement: { source: `A caller of ${target.name}`, prerequisites: 'a valid session or token', action: `call ${target.name} on objects or operations beyond their rights`, impact: "disclosure or modification of other users' data" },
          },
        });
        break;
      }
    }
    return out;
  },
};
