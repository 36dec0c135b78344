import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, describe, elements, hasControl, heldAssets, impactFor, outbound } from './facts';

/** A store of restricted data that records no audit trail (repudiation). */
export const storeWithoutAuditLog: DesignRuleDef = {
  meta: {
    id: 'design/store-without-audit-log',
    title: 'Store of restricted data without audit logging',
    category: 'design',
    severity: 'warning',
    stride: ['repudiation'],
    cwe: ['CWE-778'],
    description: 'Reads and changes of restricted data are not recorded, so misuse by an insider or a compromised service cannot be detected or attributed afterwards.',
    advice: 'Enable audit logging of access to the store (who read or changed what, when), ship it to a separate append-only log store, and record the `audit-logging` control.',
    detection: 'A store (not of kind cache, queue or log-store) holding a restricted asset (declared `stores` or on its flows) without the `audit-logging` or `logging` control and without a flow to an element of kind log-store.',
    falsePositives: 'Auditing done by the process in front of the store for every access: record `audit-logging` on the store (or model the flow to the log store).',
  },
  covers: /audit|repudiat|attribut|untrace|cannot be traced|who (read|changed|accessed)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind === 'cache' || e.kind === 'queue' || e.kind === 'log-store') continue;
      if (hasControl(e, 'audit-logging', 'logging')) continue;
      if (outbound(ctx, id).some(h => ctx.model.elements?.[h.peer]?.kind === 'log-store')) continue;
      const data = heldAssets(ctx, id).filter(([, a]) => a.classification === 'restricted');
      if (!data.length) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `Data store ${describe(ctx, id)} holds ${assetList(data)} but records no audit logging: log who reads and changes it (\`audit-logging\` control), or track the risk with the suggested threat.`,
        why: `${describe(ctx, id)} holds restricted data and has neither an \`audit-logging\`/\`logging\` control nor a flow to a log store.`,
        related: assetLinks(data, ' data held in this store'),
        threat: {
          title: `Access to ${data.map(([, a]) => a.name).join(', ')} in ${e.name} cannot be traced`,
          description: `${e.name} keeps no audit trail of reads and changes of ${data.map(([, a]) => a.name).join(', ')}, so an insider or a compromised service can misuse the data and deny it, and incidents cannot be investigated. Typical mitigation: audit logging to a separate append-only store, with alerts on unusual access.`,
          likelihood: 'possible',
          impact: impactFor(data) === 'severe' ? 'major' : 'moderate',
          statement: { source: 'An insider or a compromised service with access to the store', action: `read or change ${data.map(([, a]) => a.name).join(', ')} without a trace`, impact: 'undetected misuse and no attribution', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
