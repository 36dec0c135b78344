import type { DesignRuleDef, Suggestion } from './engine';
import { assets, at, describe, elements, inbound, isSecret, quote } from './facts';

/** A log store that receives personal data, restricted data or secrets. */
export const personalDataInLogs: DesignRuleDef = {
  meta: {
    id: 'design/personal-data-in-logs',
    title: 'Personal or secret data written to logs',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-532'],
    description: 'A log store receives personal data, restricted data or secrets. Logs are read by many people and tools, kept long and copied widely, so the data escapes its access controls and retention rules.',
    advice: 'Log identifiers instead of content: mask or drop personal fields and secrets before logging (structured logging with an allow-list), restrict access to the logs and set a retention period.',
    detection: 'A store of kind log-store whose declared `stores`, or the data on flows into it, include an asset with `personal: true`, classified restricted, or of kind credentials, secret or key.',
    falsePositives: 'Audit logs that must record who did what (a user id is personal data): add the suggested threat and accept it with the retention and access rules as justification.',
  },
  covers: /\blog(s|ged|ging)?\b/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind !== 'log-store') continue;
      const hops = inbound(ctx, id);
      const data = assets(ctx, [...(e.stores ?? []), ...hops.flatMap(h => h.flow.data ?? [])]).filter(([, a]) => a.personal === true || a.classification === 'restricted' || isSecret(a));
      if (!data.length) continue;
      const label = (a: { personal?: boolean; kind?: string; classification: string }) => (isSecret(a as never) ? a.kind! : a.personal ? 'personal' : a.classification);
      const secrets = data.some(([, a]) => isSecret(a));
      out.push({
        subject: id,
        section: 'elements',
        message: `Log store ${describe(ctx, id)} receives ${data.map(([a, x]) => `${quote(a)} (${label(x)})`).join(', ')}: mask or drop these fields before logging, or track the risk with the suggested threat.`,
        why: `${quote(id)} is a log store and ${data.map(([a]) => quote(a)).join(', ')} ${data.length > 1 ? 'are' : 'is'} written to it.`,
        related: [...hops.filter(h => h.flow.data?.some(d => data.some(([a]) => a === d))).map(h => at.flow(h.flowId, `writes the data to ${id}`)), ...data.map(([a, x]) => at.asset(a, `${a} is ${label(x)}`))],
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} exposed through ${e.name}`,
          description: `${data.map(([, a]) => a.name).join(', ')} ${data.length > 1 ? 'are' : 'is'} written to ${e.name}, where it is readable by everyone with log access, kept beyond its retention period and copied into other tools. Typical mitigation: structured logging with an allow-list of fields, masking, restricted log access and retention limits.`,
          likelihood: 'likely',
          impact: secrets || data.some(([, a]) => a.classification === 'restricted') ? 'major' : 'moderate',
          statement: { source: 'Anyone with access to the logs', action: `read ${data.map(([, a]) => a.name).join(', ')} from ${e.name}`, impact: 'disclosure outside the data\'s access and retention controls', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
