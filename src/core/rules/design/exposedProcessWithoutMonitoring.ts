import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, elements, hasControl, isExposed, quote, untrustedCallers } from './facts';

/** An internet-facing process with no security monitoring recorded. */
export const exposedProcessWithoutMonitoring: DesignRuleDef = {
  meta: {
    id: 'design/exposed-process-without-monitoring',
    title: 'Internet-facing process without monitoring',
    category: 'design',
    severity: 'info',
    stride: ['repudiation'],
    cwe: ['CWE-778', 'CWE-223'],
    description: 'A process exposed to untrusted callers records no security monitoring: attacks against it (scanning, credential stuffing, exploitation) go unnoticed until the damage shows.',
    advice: 'Send its security events (authentication failures, access denials, input validation errors) to monitoring with alerts, and record the `monitoring` control.',
    detection: 'A process that is `internet_facing: true` or receives flows from untrusted callers, without the `monitoring` control.',
    falsePositives: 'Monitoring done centrally at the edge (gateway, WAF, CDN) for this process: record `monitoring` on it.',
    why: 'Attacks on an exposed service rarely succeed at the first try: scanning, failed logins and rejected input come first. Without monitoring and alerts nobody sees them, and a breach is found weeks later by a customer or a third party. Security logging and monitoring failures are in the OWASP Top 10 for this reason.',
    example: `
elements:
  web-app:
    type: process
    name: Web app
    internet_facing: true
    controls: [authentication, logging, monitoring]   # security events go to alerting
`,
  },
  covers: /monitor|detect|alert|siem|unnoticed|undetected/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'process' || hasControl(e, 'monitoring') || !isExposed(ctx, id)) continue;
      const callers = untrustedCallers(ctx, id);
      out.push({
        subject: id,
        section: 'elements',
        message: `Internet-facing process ${describe(ctx, id)} records no security monitoring: alert on its security events and record the \`monitoring\` control, or track the risk with the suggested threat.`,
        why: `${quote(id)} is ${e.internet_facing ? '`internet_facing: true`' : `reached by untrusted ${callers.map(h => quote(h.peer)).join(', ')}`} and has no \`monitoring\` control.`,
        related: callers.map(h => at.flow(h.flowId, `untrusted traffic from ${h.peer}`)),
        threat: {
          title: `Attacks on ${e.name} go undetected`,
          description: `${e.name} is exposed to untrusted callers without security monitoring, so scanning, credential stuffing or exploitation is not noticed and cannot be stopped or investigated in time. Typical mitigation: security event logging with alerting and an on-call response.`,
          likelihood: 'likely',
          impact: 'moderate',
          statement: { source: 'An attacker on the internet', action: `attack ${e.name} repeatedly without being noticed`, impact: 'delayed detection and response' },
        },
      });
    }
    return out;
  },
};
