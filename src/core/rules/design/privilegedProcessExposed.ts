import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, elements, isAdminInterface, isExposed, quote, untrustedCallers } from './facts';

/** A process running with elevated privileges that untrusted callers can reach. */
export const privilegedProcessExposed: DesignRuleDef = {
  meta: {
    id: 'design/privileged-process-exposed',
    title: 'Privileged process exposed to untrusted callers',
    category: 'design',
    severity: 'warning',
    stride: ['elevation-of-privilege'],
    cwe: ['CWE-250'],
    capec: ['CAPEC-233', 'CAPEC-234'],
    description: 'A process that runs with elevated privileges (root, cluster-admin, broad cloud roles) takes input from untrusted callers: any code-execution flaw in it hands those privileges to the attacker.',
    advice: 'Split the exposed part from the privileged part (a low-privilege front end calling a narrow privileged service), drop privileges, and sandbox the process; then set `privileged: false`.',
    detection: 'A process with `privileged: true` that is `internet_facing: true` or receives flows from untrusted callers. Admin interfaces are reported by design/admin-interface-exposed instead.',
    falsePositives: 'A process that needs the privilege only at start-up and drops it before serving: set `privileged: false` and note it in the description.',
  },
  covers: /privilege|root\b|sandbox|escalat|container escape/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'process' || e.privileged !== true || isAdminInterface(e) || !isExposed(ctx, id)) continue;
      const callers = untrustedCallers(ctx, id);
      out.push({
        subject: id,
        section: 'elements',
        message: `Process ${describe(ctx, id)} runs privileged and is reachable from untrusted callers: separate the exposed part from the privileged part and drop privileges, or track the risk with the suggested threat.`,
        why: `${quote(id)} has \`privileged: true\` and is ${e.internet_facing ? '`internet_facing: true`' : `reached by untrusted ${callers.map(h => quote(h.peer)).join(', ')}`}.`,
        related: callers.map(h => at.flow(h.flowId, `untrusted input from ${h.peer}`)),
        threat: {
          title: `A flaw in ${e.name} gives an attacker its elevated privileges`,
          description: `${e.name} runs with elevated privileges and processes untrusted input; one code-execution or injection flaw lets an attacker act with those privileges. Typical mitigation: least privilege, privilege separation and sandboxing.`,
          likelihood: 'possible',
          impact: 'severe',
          statement: { source: 'An attacker on the internet', action: `exploit a flaw in ${e.name}`, impact: `code execution with the privileges of ${e.name}` },
        },
      });
    }
    return out;
  },
};
