import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, describe, elements, hasControl, heldAssets, impactFor, isSecret, quote } from './facts';

/** A cache holding restricted data or secrets without encryption and authentication. */
export const sensitiveDataInCache: DesignRuleDef = {
  meta: {
    id: 'design/sensitive-data-in-cache',
    title: 'Restricted data or secrets in a cache',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-524'],
    capec: ['CAPEC-204'],
    description: 'A cache holds restricted data, credentials or session secrets. Caches are often deployed without authentication or encryption, are shared between services, and keep entries beyond their logical lifetime.',
    advice: 'Cache identifiers or tokens instead of the data, set short TTLs, require authentication (and TLS) for the cache, and encrypt it at rest; record `authentication` and `encrypted: true`.',
    detection: 'A store of kind cache whose declared `stores` or flows carry restricted data or credentials/secrets/keys, and which lacks `encrypted: true` (or `encryption-at-rest`) or the `authentication` control.',
    falsePositives: 'A process-local in-memory cache (not a shared service): model it inside the process instead of as a store.',
  },
  covers: /cache/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind !== 'cache') continue;
      const encrypted = e.encrypted === true || hasControl(e, 'encryption-at-rest');
      const authn = hasControl(e, 'authentication');
      if (encrypted && authn) continue;
      const data = heldAssets(ctx, id).filter(([, a]) => a.classification === 'restricted' || isSecret(a));
      if (!data.length) continue;
      const missing = [!authn && 'authentication', !encrypted && 'encryption'].filter(Boolean).join(' and ');
      out.push({
        subject: id,
        section: 'elements',
        message: `Cache ${describe(ctx, id)} holds ${assetList(data)} without recorded ${missing}: cache less, require authentication and encrypt it, or track the risk with the suggested threat.`,
        why: `${quote(id)} is a cache holding ${assetList(data)} and records no ${missing}.`,
        related: assetLinks(data, ' data held in this cache'),
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} read from ${e.name}`,
          description: `${e.name} caches ${data.map(([, a]) => a.name).join(', ')} without ${missing}; anything that can reach the cache reads the entries, which often outlive the session or request they belonged to. Typical mitigation: cache tokens not data, short TTLs, authenticated and encrypted cache.`,
          likelihood: authn ? 'unlikely' : 'possible',
          impact: impactFor(data, 'major'),
          statement: { source: 'An attacker or service with network access to the cache', action: `read cached ${data.map(([, a]) => a.name).join(', ')}`, impact: 'disclosure of the data', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
