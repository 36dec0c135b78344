import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, elements, hasControl, isExposed, quote, untrustedCallers } from './facts';

/** An internet-facing web application or gateway with no WAF recorded. */
export const exposedWebAppWithoutWaf: DesignRuleDef = {
  meta: {
    id: 'design/exposed-web-app-without-waf',
    title: 'Internet-facing web application without a WAF',
    category: 'design',
    severity: 'info',
    stride: ['tampering'],
    cwe: ['CWE-693'],
    capec: ['CAPEC-63', 'CAPEC-66'],
    description: 'A web application or gateway reachable from the internet has no web application firewall recorded: common attacks (injection, XSS probes, known exploits, bots) hit the application itself, with no virtual patching while a fix ships.',
    advice: 'Put a WAF (managed rules, bot protection) in front of it, or on the gateway that fronts it, and record the `waf` control. A WAF complements input validation, it does not replace it.',
    detection: 'A process of kind web-app or gateway that is `internet_facing: true` or receives flows from untrusted callers directly, without the `waf` control.',
    falsePositives: 'A WAF at a CDN or load balancer the model does not show: model it with the `waf` control, or record `waf` on the application.',
  },
  covers: /\bwaf\b|web application firewall|virtual patch|bot/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'process' || (e.kind !== 'web-app' && e.kind !== 'gateway') || hasControl(e, 'waf') || !isExposed(ctx, id)) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `Internet-facing ${e.kind === 'gateway' ? 'gateway' : 'web application'} ${describe(ctx, id)} has no WAF recorded: put one in front of it and record the \`waf\` control, or track the risk with the suggested threat.`,
        why: `${quote(id)} is of kind ${e.kind}, ${e.internet_facing ? '`internet_facing: true`' : 'reachable from untrusted callers'}, and has no \`waf\` control.`,
        related: untrustedCallers(ctx, id).map(h => at.flow(h.flowId, `untrusted traffic from ${h.peer}`)),
        threat: {
          title: `Automated web attacks and known exploits reach ${e.name} unfiltered`,
          description: `${e.name} is exposed to the internet with no web application firewall, so automated attacks, bots and exploits for newly disclosed vulnerabilities reach it directly, with no way to block them while a fix ships. Typical mitigation: a WAF with managed rule sets and bot protection.`,
          likelihood: 'likely',
          impact: 'moderate',
          statement: { source: 'Automated attackers and bots on the internet', action: `send attack payloads to ${e.name}`, impact: 'exploitation of application flaws without a filtering layer' },
        },
      });
    }
    return out;
  },
};
