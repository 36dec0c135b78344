import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, describe, elements, hasControl, heldAssets, impactFor, likelihoodFor, trustOf } from './facts';

/** A data store holding restricted data without encryption at rest. */
export const unencryptedRestrictedStore: DesignRuleDef = {
  meta: {
    id: 'design/unencrypted-restricted-store',
    title: 'Restricted data stored unencrypted',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-311', 'CWE-312'],
    capec: ['CAPEC-545'],
    description: 'A data store holds restricted data without encryption at rest, so stolen disks, snapshots, backups or a misconfigured bucket expose it in clear.',
    advice: 'Encrypt the store at rest (with keys held in a KMS or vault, not next to the data) and record `encrypted: true` or the `encryption-at-rest` control.',
    detection: 'A store (not of kind vault or cache; caches are covered by design/sensitive-data-in-cache) whose declared `stores` or the data on its flows include a restricted asset, with neither `encrypted: true` nor the `encryption-at-rest` control.',
    falsePositives: 'Encryption provided by the platform (managed database with encryption by default): record it with `encrypted: true`.',
  },
  covers: /unencrypted|plain ?text|clear ?text|encrypt\w* at rest|snapshot|backup (theft|stolen)|stolen (disk|backup|snapshot)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind === 'vault' || e.kind === 'cache') continue;
      if (e.encrypted === true || hasControl(e, 'encryption-at-rest')) continue;
      const data = heldAssets(ctx, id).filter(([, a]) => a.classification === 'restricted');
      if (!data.length) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `Data store ${describe(ctx, id)} holds ${assetList(data)} ${e.encrypted === false ? 'unencrypted (`encrypted: false`)' : 'without recorded encryption at rest'}: encrypt it and set \`encrypted: true\`, or track the risk with the suggested threat.`,
        why: `${assetList(data)} ${data.length > 1 ? 'are' : 'is'} stored in ${describe(ctx, id)}, which has no \`encrypted: true\` and no \`encryption-at-rest\` control.`,
        related: assetLinks(data, ' data held in this store'),
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} read from unencrypted storage in ${e.name}`,
          description: `${e.name} keeps ${data.map(([, a]) => a.name).join(', ')} unencrypted at rest; anyone who obtains its files, snapshots or backups reads the data without going through access control. Typical mitigation: encryption at rest with keys in a KMS or vault.`,
          likelihood: trustOf(ctx, id) === 'trusted' ? 'unlikely' : likelihoodFor(trustOf(ctx, id)),
          impact: impactFor(data),
          statement: { source: 'An attacker or insider with access to storage media, snapshots or backups', action: `read ${data.map(([, a]) => a.name).join(', ')} from ${e.name}`, impact: 'disclosure of restricted data', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
