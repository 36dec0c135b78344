import type { DesignRuleDef, Suggestion } from './engine';
import { assetList, at, describe, elements, hasControl, heldAssets, quote } from './facts';

/** A store of high or critical assets with no backup recorded. */
export const storeWithoutBackup: DesignRuleDef = {
  meta: {
    id: 'design/store-without-backup',
    title: 'Store of critical data without backup',
    category: 'design',
    severity: 'warning',
    stride: ['denial-of-service', 'tampering'],
    cwe: ['CWE-693'],
    description: 'A data store that holds high- or critical-criticality data records no backup: ransomware, a destructive bug, a bad migration or a deleted account loses the data for good. Replication (`redundant: true`) does not help, it replicates the deletion.',
    advice: 'Back the store up (point-in-time recovery, copies in another account or region, immutable or offline copies against ransomware), test restores, and record the `backup` control.',
    detection: 'A store (not of kind cache or queue) that holds an asset with `criticality: high` or `critical` (declared `stores` or on flows into or out of it) without the `backup` control.',
    falsePositives: 'Data that can be rebuilt from another source of truth: record that in the suggested threat and mark it not applicable.',
  },
  covers: /backup|ransomware|data loss|lost|restore|deleted|destroy/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind === 'cache' || e.kind === 'queue' || hasControl(e, 'backup')) continue;
      const data = heldAssets(ctx, id).filter(([, a]) => a.criticality === 'high' || a.criticality === 'critical');
      if (!data.length) continue;
      const critical = data.some(([, a]) => a.criticality === 'critical');
      out.push({
        subject: id,
        section: 'elements',
        message: `Data store ${describe(ctx, id)} holds ${critical ? 'critical' : 'high-criticality'} ${assetList(data)} but records no backup: back it up (immutable copies, tested restores) and record the \`backup\` control, or track the risk with the suggested threat.`,
        why: `${assetList(data)} ${data.length > 1 ? 'have' : 'has'} criticality ${[...new Set(data.map(([, a]) => a.criticality))].join('/')} and ${quote(id)} has no \`backup\` control.`,
        related: data.map(([a, x]) => at.asset(a, `${a} has criticality ${x.criticality}`)),
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} in ${e.name} lost to ransomware, corruption or deletion`,
          description: `${e.name} has no backup of ${data.map(([, a]) => a.name).join(', ')}; encryption by ransomware, a destructive bug or an accidental or malicious deletion cannot be undone. Typical mitigation: automated, immutable backups in a separate account or region, with regular restore tests.`,
          likelihood: 'unlikely',
          impact: critical ? 'severe' : 'major',
          statement: { source: 'Ransomware, a malicious insider or an operational error', action: `destroy or encrypt the data in ${e.name}`, impact: 'permanent loss of the data', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};

