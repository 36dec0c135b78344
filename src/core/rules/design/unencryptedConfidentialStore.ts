import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, CLASS_RANK, describe, elements, hasControl, heldAssets, impactFor, maxClass } from './facts';

/** A data store whose most sensitive data is confidential, without encryption at rest (restricted data has its own rule). */
export const unencryptedConfidentialStore: DesignRuleDef = {
  meta: {
    id: 'design/unencrypted-confidential-store',
    title: 'Confidential data stored unencrypted',
    category: 'design',
    severity: 'info',
    stride: ['information-disclosure'],
    cwe: ['CWE-311', 'CWE-312'],
    capec: ['CAPEC-545'],
    description: 'A data store holds confidential data without encryption at rest.',
    advice: 'Encrypt the store at rest and record `encrypted: true` or the `encryption-at-rest` control; if the data does not need it, reconsider its classification.',
    detection: 'A store (not of kind vault or cache) whose most sensitive data (declared `stores` or on its flows) is confidential, with neither `encrypted: true` nor `encryption-at-rest`. Stores holding restricted data are reported by design/unencrypted-restricted-store instead.',
    falsePositives: 'Platform encryption that is on by default: record it with `encrypted: true`.',
  },
  covers: /unencrypted|plain ?text|clear ?text|encrypt\w* at rest|snapshot|stolen (disk|backup|snapshot)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind === 'vault' || e.kind === 'cache') continue;
      if (e.encrypted === true || hasControl(e, 'encryption-at-rest')) continue;
      const held = heldAssets(ctx, id);
      if (maxClass(held) !== 'confidential') continue;
      const data = held.filter(([, a]) => CLASS_RANK[a.classification] === CLASS_RANK.confidential);
      out.push({
        subject: id,
        section: 'elements',
        message: `Data store ${describe(ctx, id)} holds ${assetList(data)} ${e.encrypted === false ? 'unencrypted (`encrypted: false`)' : 'without recorded encryption at rest'}: encrypt it and set \`encrypted: true\`, or track the risk with the suggested threat.`,
        why: `${assetList(data)} ${data.length > 1 ? 'are' : 'is'} stored in ${describe(ctx, id)}, which records no encryption at rest.`,
        related: assetLinks(data, ' data held in this store'),
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} read from unencrypted storage in ${e.name}`,
          description: `${e.name} keeps ${data.map(([, a]) => a.name).join(', ')} unencrypted at rest; copies of its files, snapshots or backups expose the data. Typical mitigation: encryption at rest with managed keys.`,
          likelihood: 'unlikely',
          impact: impactFor(data),
          statement: { source: 'An attacker or insider with access to storage media, snapshots or backups', action: `read ${data.map(([, a]) => a.name).join(', ')} from ${e.name}`, impact: 'disclosure of confidential data', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
