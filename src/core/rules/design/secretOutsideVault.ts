import type { DesignRuleDef, Suggestion } from './engine';
import { assetList, at, describe, elements, hasControl, heldAssets, impactFor } from './facts';

/** Credentials, secrets or keys kept in a store that is not a vault or secret manager. */
export const secretOutsideVault: DesignRuleDef = {
  meta: {
    id: 'design/secret-outside-vault',
    title: 'Secrets or credentials stored outside a vault',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure', 'spoofing'],
    cwe: ['CWE-522', 'CWE-312'],
    capec: ['CAPEC-555', 'CAPEC-55'],
    description: 'A data store that is not a vault holds credentials, secrets or keys. Whoever reads the store (a backup, an injection flaw, an over-privileged service) gets the secrets and, with them, the systems they open.',
    advice: 'Keep secrets and keys in a vault or secret manager (kind vault, or the `secrets-management` control) with access policies, rotation and audit. User passwords belong in the user store only as salted, slow hashes (Argon2id, scrypt, bcrypt).',
    detection: 'A store not of kind vault, cache or log-store (secrets in caches and logs have their own rules, design/sensitive-data-in-cache and design/personal-data-in-logs) and without the `secrets-management` control whose declared `stores` or data on its flows include an asset of kind credentials, secret or key.',
    falsePositives: 'A user database holding properly hashed passwords: add the suggested threat and mark it mitigated with the hashing code as evidence (or not applicable with a justification).',
  },
  covers: /secret|credential|password|api[- ]key|private key|signing key|hash(ed|ing)?\b/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'store' || e.kind === 'vault' || e.kind === 'cache' || e.kind === 'log-store' || hasControl(e, 'secrets-management')) continue;
      const data = heldAssets(ctx, id).filter(([, a]) => a.kind === 'credentials' || a.kind === 'secret' || a.kind === 'key');
      if (!data.length) continue;
      const onlyCredentials = data.every(([, a]) => a.kind === 'credentials');
      const names = data.map(([, a]) => a.name).join(', ');
      out.push({
        subject: id,
        section: 'elements',
        message: `Data store ${describe(ctx, id)} holds ${data.map(([a, x]) => `\`${a}\` (${x.kind})`).join(', ')} but is not a vault: ${onlyCredentials ? 'store passwords only as salted slow hashes and other credentials in a secret manager' : 'move the secrets and keys to a vault or secret manager'}, or track the risk with the suggested threat.`,
        why: `${assetList(data)} ${data.length > 1 ? 'are' : 'is'} of kind ${[...new Set(data.map(([, a]) => a.kind))].join('/')} and held in ${describe(ctx, id)}, which is not of kind vault and has no \`secrets-management\` control.`,
        related: data.map(([a, x]) => at.asset(a, `${a} is ${x.kind}`)),
        threat: {
          title: onlyCredentials ? `${names} recovered from ${e.name}` : `${names} stolen from ${e.name} and used to reach other systems`,
          description: onlyCredentials
            ? `${e.name} stores ${names}; if they are stored in clear, encrypted reversibly or hashed with a fast hash, anyone who reads the store (backup, injection, insider) recovers working credentials. Typical mitigation: salted slow hashes (Argon2id, scrypt, bcrypt) for passwords, a secret manager for service credentials.`
            : `${e.name} keeps ${names} outside a vault, without the access policies, rotation and audit of a secret manager; anyone who reads the store gets the secrets and the access they grant. Typical mitigation: a vault or secret manager, short-lived credentials and rotation.`,
          likelihood: 'possible',
          impact: impactFor(data, 'major') === 'severe' ? 'severe' : 'major',
          statement: { source: 'An attacker or insider who can read the store', action: `extract ${names} from ${e.name}`, impact: 'access to the systems those secrets open', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
