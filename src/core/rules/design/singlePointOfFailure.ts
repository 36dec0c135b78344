import type { DesignRuleDef, Suggestion } from './engine';
import { assetList, at, describe, elements, handledAssets, isSecret } from './facts';

/** A process or store that critical assets depend on, with no redundancy. */
export const singlePointOfFailure: DesignRuleDef = {
  meta: {
    id: 'design/single-point-of-failure',
    title: 'Single point of failure for a critical asset',
    category: 'design',
    severity: 'warning',
    stride: ['denial-of-service'],
    cwe: ['CWE-410'],
    capec: ['CAPEC-607'],
    description: 'A process or data store that a critical asset depends on runs without redundancy: one failure, or one successful denial-of-service attack, stops the service.',
    advice: 'Run it redundantly (several instances, zones or replicas, with failover tested) and record `redundant: true`; otherwise document the recovery time the business accepts.',
    detection: 'A process or store (not an external entity) that stores, processes or passes on an asset with `criticality: critical` (declared `stores`/`processes` or on its flows; credentials, secrets and keys do not count, their criticality is about confidentiality) and does not have `redundant: true`.',
    falsePositives: 'A component whose failure the business accepts for a while (batch jobs): add the suggested threat and accept it with the recovery time as justification.',
  },
  covers: /outage|unavailab|single point of failure|\bspof\b|redundan|failover|downtime|goes down/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type === 'external' || e.redundant === true) continue;
      const critical = handledAssets(ctx, id).filter(([, a]) => a.criticality === 'critical' && !isSecret(a));
      if (!critical.length) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `${e.type === 'store' ? 'Data store' : 'Process'} ${describe(ctx, id)} handles critical ${assetList(critical)} and is not redundant: run it redundantly and set \`redundant: true\`, or track the risk with the suggested threat.`,
        why: `${assetList(critical)} ${critical.length > 1 ? 'have' : 'has'} \`criticality: critical\` and ${describe(ctx, id)} has no \`redundant: true\`.`,
        related: critical.map(([a]) => at.asset(a, `${a} is critical`)),
        threat: {
          title: `Outage of ${e.name} stops ${critical.map(([, a]) => a.name).join(', ')}`,
          description: `${e.name} is a single instance on the path of ${critical.map(([, a]) => a.name).join(', ')}; a crash, a failed deployment, a lost zone or a targeted denial-of-service attack makes the critical service unavailable. Typical mitigation: redundancy across instances or zones with tested failover.`,
          likelihood: 'possible',
          impact: 'major',
          statement: { source: 'A failure or a denial-of-service attacker', action: `take ${e.name} down`, impact: `unavailability of ${critical.map(([, a]) => a.name).join(', ')}`, assets: critical.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
