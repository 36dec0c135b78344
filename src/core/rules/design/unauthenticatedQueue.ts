import type { DesignRuleDef, Suggestion } from './engine';
import { at, authenticated, describe, elements, heldAssets, impactFor, inbound, outbound, quote, trustOf } from './facts';

/** A message queue that accepts messages from producers it does not authenticate. */
export const unauthenticatedQueue: DesignRuleDef = {
  meta: {
    id: 'design/unauthenticated-queue',
    title: 'Queue accepts unauthenticated producers',
    category: 'design',
    severity: 'warning',
    stride: ['spoofing', 'tampering'],
    cwe: ['CWE-306', 'CWE-345'],
    capec: ['CAPEC-148', 'CAPEC-151'],
    description: 'A message queue accepts messages from producers it does not authenticate; consumers trust what they read, so a forged message becomes a forged command (a refund, a role change, a shipment).',
    advice: 'Authenticate producers (per-service credentials, mTLS, IAM) with write permission per topic, and sign or validate messages in the consumers; record `authenticated: true` on the producer flows.',
    detection: 'A store of kind queue with a flow into it (from a process or an external entity) that has neither `authenticated: true` nor an authentication/mfa control on the flow or the queue, when a producer is in another boundary than the queue or the queue is in an untrusted or partial boundary.',
    falsePositives: 'A queue reachable only by its producers on a private network segment: put both in the same trusted boundary.',
  },
  covers: /unauthenticated|forged (message|event)|inject\w* (message|event)|spoof\w* (message|event|producer)|rogue producer/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind !== 'queue') continue;
      const open = inbound(ctx, id).filter(h => !authenticated(ctx, h.flow, id));
      if (!open.length) continue;
      const crossing = open.some(h => ctx.model.elements?.[h.peer]?.boundary !== e.boundary);
      const zone = trustOf(ctx, id);
      if (!crossing && (zone === 'trusted' || zone === undefined)) continue;
      const consumers = outbound(ctx, id).map(h => h.peer).filter(p => ctx.model.elements?.[p]);
      out.push({
        subject: id,
        section: 'elements',
        message: `Queue ${describe(ctx, id)} accepts messages on ${open.map(h => quote(h.flowId)).join(', ')} without recorded authentication: authenticate producers and set \`authenticated: true\`, or track the risk with the suggested threat.`,
        why: `${open.map(h => `${quote(h.flowId)} (from ${h.peer})`).join(', ')} ${open.length > 1 ? 'record' : 'records'} no authentication, and ${crossing ? 'a producer is in another boundary' : `${quote(id)} is in a ${zone} boundary`}.`,
        related: open.map(h => at.flow(h.flowId, `unauthenticated producer ${h.peer}`)),
        threat: {
          title: `Forged messages injected into ${e.name}${consumers.length ? ` are processed by ${consumers.map(c => ctx.model.elements![c].name).join(', ')}` : ''}`,
          description: `${e.name} does not authenticate producers, so anyone who can reach it can publish messages that consumers act on as if a legitimate service had sent them. Typical mitigation: producer authentication with per-topic write permissions, and message validation or signatures in consumers.`,
          likelihood: 'possible',
          impact: impactFor(heldAssets(ctx, id), 'moderate'),
          statement: { source: 'An attacker who can reach the queue', action: `publish forged messages to ${e.name}`, impact: 'unauthorised actions by the consumers' },
        },
      });
    }
    return out;
  },
};
