import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, elements, handledAssets, impactFor, quote, untrustedCallers } from './facts';

/** A process reachable from untrusted callers that sits in no trust boundary. */
export const exposedProcessWithoutBoundary: DesignRuleDef = {
  meta: {
    id: 'design/exposed-process-without-boundary',
    title: 'Internet-reachable process without a trust boundary',
    category: 'design',
    severity: 'warning',
    stride: ['elevation-of-privilege', 'tampering'],
    cwe: ['CWE-668'],
    description: 'A process that untrusted parties can reach is not inside any trust boundary: the model does not say which perimeter (DMZ, gateway, network policy) stands between it and the internet, and nothing limits what a compromise of it reaches.',
    advice: 'Place the process in a boundary (a DMZ or an edge zone with `trust: partial`), put the perimeter controls it relies on there, and keep it apart from trusted stores.',
    detection: 'A process with no `boundary` that is `internet_facing: true` or receives a flow from an untrusted element (an external entity outside any boundary counts as untrusted) or another organisation.',
    falsePositives: 'A model that does not use boundaries at all will report every exposed process: add boundaries, or disable this rule for that model.',
    why: 'A process outside every boundary is a blank in the picture: nobody can tell what stands between it and the internet, or what it reaches once compromised. Placing it in a boundary states the perimeter it relies on, and lets the other rules check the traffic that crosses it.',
    example: `
boundaries:
  edge: { name: Edge (DMZ), trust: partial }
elements:
  web-app:
    type: process
    name: Web app
    internet_facing: true
    boundary: edge
`,
  },
  covers: /perimeter|dmz|exposed (directly )?to the internet|no boundary/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'process' || e.boundary) continue;
      const callers = untrustedCallers(ctx, id);
      if (e.internet_facing !== true && !callers.length) continue;
      const how = e.internet_facing === true ? '`internet_facing: true`' : `reachable from ${callers.map(h => quote(h.peer)).join(', ')}`;
      out.push({
        subject: id,
        section: 'elements',
        message: `Process ${describe(ctx, id)} is ${how} but is in no trust boundary: put it in a DMZ or edge boundary and record the perimeter it relies on, or track the risk with the suggested threat.`,
        why: `${quote(id)} has no \`boundary\` and is ${how}.`,
        related: callers.map(h => at.flow(h.flowId, `untrusted traffic from ${h.peer}`)),
        threat: {
          title: `Attacks from the internet reach ${e.name} with no perimeter in front of it`,
          description: `${e.name} is reachable by untrusted parties and sits in no trust boundary, so no perimeter control filters the traffic and a compromise of it is not contained. Typical mitigation: an edge zone (gateway, WAF, network policy) and isolation from trusted stores.`,
          likelihood: 'likely',
          impact: impactFor(handledAssets(ctx, id), 'moderate'),
          statement: { source: 'An attacker on the internet', action: `attack ${e.name} directly`, impact: `compromise of ${e.name} and of what it can reach` },
        },
      });
    }
    return out;
  },
};
