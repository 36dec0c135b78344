import type { DesignRuleDef, Suggestion } from './engine';
import { at, authenticated, describe, elements, heldAssets, impactFor, inbound, isSensitive, outbound, quote, trustOf, type Hop } from './facts';

/** A data store that processes reach without authenticating. */
export const unauthenticatedStoreAccess: DesignRuleDef = {
  meta: {
    id: 'design/unauthenticated-store-access',
    title: 'Data store accessed without authentication',
    category: 'design',
    severity: 'warning',
    stride: ['spoofing', 'information-disclosure', 'tampering'],
    cwe: ['CWE-306'],
    capec: ['CAPEC-1'],
    description: 'A data store accepts connections without authenticating the client, so anything that can reach it on the network (a compromised neighbour, an SSRF flaw) reads and changes its data.',
    advice: 'Require authentication for every client of the store (per-service credentials from a secret manager, IAM roles, mTLS) and record `authenticated: true` on the flows or the `authentication` control on the store.',
    detection: 'A store (not of kind queue; queues have design/unauthenticated-queue) with a flow to or from a process that has neither `authenticated: true` nor an authentication/mfa control (on the flow or the store), when the store holds confidential or restricted data or secrets, or a client is in another boundary, or the store is in an untrusted or partial boundary. Flows from external entities are reported by design/external-writes-store.',
    falsePositives: 'Embedded stores only the owning process can open (SQLite file, in-process cache): record `authentication` on the store or mark the threat not applicable.',
    why: 'Databases, caches and buckets that accept anyone are behind many large data leaks: whoever reaches them on the network (a compromised neighbour, an SSRF flaw, a firewall rule too wide) reads and changes everything in them. Per-service credentials also limit and record who did what.',
    example: `
flows:
  read-write-notes:
    from: web-app
    to: database
    protocol: postgres+tls
    encrypted: true
    authenticated: true      # per-service credentials from the secret manager
`,
  },
  covers: /unauthenticated|without (authentication|credentials|a password)|no (authentication|password)|anonymous access|open (to|on) the network/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind === 'queue') continue;
      const hops: Hop[] = [...inbound(ctx, id), ...outbound(ctx, id)].filter(h => ctx.model.elements?.[h.peer]?.type === 'process');
      const open = [...new Map(hops.filter(h => !authenticated(ctx, h.flow, id)).map(h => [h.flowId, h])).values()];
      if (!open.length) continue;
      const data = heldAssets(ctx, id);
      const sensitive = data.some(([, a]) => isSensitive(a));
      const crossing = open.some(h => ctx.model.elements?.[h.peer]?.boundary !== e.boundary);
      const zone = trustOf(ctx, id);
      if (!sensitive && !crossing && (zone === 'trusted' || zone === undefined)) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `Data store ${describe(ctx, id)} is accessed without recorded authentication on ${open.map(h => quote(h.flowId)).join(', ')}: give each client its own credentials and set \`authenticated: true\`, or track the risk with the suggested threat.`,
        why: `${open.map(h => `${quote(h.flowId)} (${h.peer})`).join(', ')} ${open.length > 1 ? 'have' : 'has'} no \`authenticated: true\`, and ${quote(id)} has no \`authentication\` control${sensitive ? '; it holds sensitive data' : crossing ? '; a client is in another boundary' : ''}.`,
        related: open.map(h => at.flow(h.flowId, `unauthenticated access by ${h.peer}`)),
        threat: {
          title: `Anyone on the network reads or changes data in ${e.name}`,
          description: `${e.name} does not authenticate its clients, so any process that can reach it (a compromised neighbour, a server-side request forgery) can read and modify its data directly. Typical mitigation: per-service credentials or IAM roles, network policies limiting who can connect.`,
          likelihood: zone === 'trusted' ? 'unlikely' : 'possible',
          impact: impactFor(data, 'moderate'),
          statement: { source: 'An attacker with network access to the store', action: `connect to ${e.name} without credentials`, impact: 'disclosure and tampering of its data' },
        },
      });
    }
    return out;
  },
};
