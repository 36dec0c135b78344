import type { DesignRuleDef, Suggestion } from './engine';
import { at, authenticated, describe, elements, handledAssets, impactFor, isAdminInterface, quote, untrustedCallers } from './facts';

/** An administrative interface reachable from an untrusted boundary. */
export const adminInterfaceExposed: DesignRuleDef = {
  meta: {
    id: 'design/admin-interface-exposed',
    title: 'Admin interface exposed to an untrusted boundary',
    category: 'design',
    severity: 'warning',
    stride: ['elevation-of-privilege', 'spoofing'],
    cwe: ['CWE-284', 'CWE-668'],
    capec: ['CAPEC-1', 'CAPEC-560'],
    description: 'An admin console or operator interface can be reached from an untrusted zone, so stolen or guessed operator credentials, or a flaw in the console, give an attacker administrative control from anywhere.',
    advice: 'Take the interface off the untrusted network (VPN, bastion, zero-trust access proxy with device checks), require MFA, and log every admin action.',
    detection: 'A process with `admin: true` or kind admin-console that is `internet_facing: true` or receives a flow from an untrusted element (external entities outside any boundary count as untrusted; load balancers pass on their callers\' trust) or another organisation. Severity is error when one of those flows is not authenticated.',
    falsePositives: 'Operators connecting through a VPN or access proxy that the model does not show: model the VPN as a boundary (`trust: partial`) and place the operators or the proxy in it.',
  },
  covers: /admin\w* (interface|console|panel|portal)\b.*(expos|internet|reach)|(expos|internet|reach)\w*.*admin\w* (interface|console|panel|portal)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (!isAdminInterface(e)) continue;
      const callers = untrustedCallers(ctx, id);
      if (e.internet_facing !== true && !callers.length) continue;
      const open = callers.filter(h => !authenticated(ctx, h.flow, id));
      const how = callers.length ? `reachable from untrusted ${callers.map(h => quote(h.peer)).join(', ')}` : '`internet_facing: true`';
      out.push({
        subject: id,
        section: 'elements',
        message: `Admin interface ${describe(ctx, id)} is ${how}${open.length ? `, and flow ${open.map(h => quote(h.flowId)).join(', ')} records no authentication` : ''}: restrict it to a VPN, bastion or access proxy with MFA, or track the risk with the suggested threat.`,
        why: `${quote(id)} is an admin interface (${e.admin ? '`admin: true`' : 'kind admin-console'}) and is ${how}.`,
        related: callers.map(h => at.flow(h.flowId, `untrusted access from ${h.peer}`)),
        severity: open.length ? 'error' : undefined,
        threat: {
          title: `An attacker takes over ${e.name} from an untrusted network`,
          description: `${e.name} is an administrative interface reachable from an untrusted zone; phished, guessed or leaked operator credentials, or a vulnerability in the console itself, give an attacker administrative control. Typical mitigation: private access only (VPN, bastion or zero-trust proxy), MFA and admin-action audit logging.`,
          likelihood: open.length ? 'likely' : 'possible',
          impact: impactFor(handledAssets(ctx, id), 'major') === 'severe' ? 'severe' : 'major',
          statement: { source: 'An external attacker', prerequisites: `network reach to ${e.name}${open.length ? '' : ' and a stolen or guessed operator credential'}`, action: `perform administrative actions through ${e.name}`, impact: 'full control of the administered system' },
        },
      });
    }
    return out;
  },
};
