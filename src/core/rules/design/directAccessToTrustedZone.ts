import type { DesignRuleDef, Suggestion } from './engine';
import { at, boundaryLabel, callerTrust, describe, directions, flows, handledAssets, impactFor, quote, trustOf } from './facts';

/** Traffic from an untrusted zone straight into a trusted one, skipping the DMZ. */
export const directAccessToTrustedZone: DesignRuleDef = {
  meta: {
    id: 'design/direct-access-to-trusted-zone',
    title: 'Untrusted element reaches a trusted boundary directly',
    category: 'design',
    severity: 'warning',
    stride: ['elevation-of-privilege', 'tampering'],
    cwe: ['CWE-668'],
    description: 'A flow goes from an untrusted zone straight into a trusted one, with no intermediate zone (DMZ, gateway) to terminate, filter and re-originate the traffic: a flaw in the receiving component puts the attacker inside the trusted network.',
    advice: 'Terminate untrusted traffic in a partially trusted zone (reverse proxy, API gateway, WAF) and let only that tier talk to the trusted zone; or, if the receiver is itself hardened edge infrastructure, place it in such a zone in the model.',
    detection: 'A flow (either direction when bidirectional) from an element whose trust is untrusted (an external entity outside any boundary counts as untrusted; a load balancer passes on its callers\' trust) to a process or store in a trusted boundary.',
    falsePositives: 'Outbound-only connections modelled in the wrong direction (our service polling an external API): model the flow from our service to the external one.',
    why: 'A trusted zone is trusted because untrusted traffic does not reach it. When an internet caller talks straight to a service inside it, one bug in that service puts the attacker next to the databases and internal services. A tier in between (reverse proxy, API gateway) terminates and filters the traffic first.',
    example: `
boundaries:
  internet: { name: Internet, trust: untrusted }
  dmz: { name: DMZ, trust: partial }
  core: { name: Core network, trust: trusted }
elements:
  customer: { type: external, name: Customer, boundary: internet }
  gateway: { type: process, name: API gateway, kind: gateway, boundary: dmz }
  orders: { type: process, name: Orders service, boundary: core }
flows:
  call-gateway: { from: customer, to: gateway, protocol: https }
  call-orders: { from: gateway, to: orders, protocol: https }   # only the DMZ tier reaches the core
`,
  },
  covers: /dmz|segment|pivot|lateral|foothold|trusted (zone|network)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      for (const [from, to] of directions(f)) {
        const receiver = ctx.model.elements?.[to];
        if (!receiver || receiver.type === 'external' || !ctx.model.elements?.[from]) continue;
        if (callerTrust(ctx, from) !== 'untrusted' || trustOf(ctx, to) !== 'trusted') continue;
        out.push({
          subject: id,
          section: 'flows',
          message: `Flow ${describe(ctx, id)} goes from untrusted ${describe(ctx, from)} straight into ${describe(ctx, to)} in ${boundaryLabel(ctx, to)}: terminate untrusted traffic in a DMZ or gateway tier first, or track the risk with the suggested threat.`,
          why: `${quote(from)} is untrusted and ${quote(to)} is in ${boundaryLabel(ctx, to)}, with no partially trusted element between them on this flow.`,
          related: [...at.boundary(receiver.boundary, `${receiver.boundary} is trusted`)],
          threat: {
            title: `An attacker pivots from ${ctx.model.elements[from].name} into the trusted zone through ${receiver.name}`,
            description: `Untrusted traffic on ${f.name ?? id} reaches ${receiver.name} inside a trusted zone directly; one flaw in ${receiver.name} gives the attacker a foothold with trusted network access. Typical mitigation: a DMZ or gateway tier that terminates and filters untrusted traffic, and network segmentation behind it.`,
            likelihood: 'possible',
            impact: impactFor(handledAssets(ctx, to), 'major') === 'severe' ? 'severe' : 'major',
            statement: { source: `An attacker acting as ${ctx.model.elements[from].name}`, action: `exploit ${receiver.name} from the untrusted network`, impact: 'a foothold inside the trusted zone' },
          },
        });
        break;
      }
    }
    return out;
  },
};
