/**
 * Environment variables -> flows and secrets, for every reader: a variable that names another element's host
 * (`DB_HOST=db:5432`, `API_URL=http://api:8080`, `REDIS_HOST=redis`) is a flow to it; one that names a public
 * host is a flow to an external entity of kind third-party; one that names a host nothing declares is a
 * `discover/unresolved-host` finding. A credential-like variable is an asset (never its value); a value
 * written in the file is a `discover/secret-in-source` finding.
 */
import type { DiscoveryBuilder, ProtocolRank } from './collect';
import type { EnvVar, Hosts } from './hosts';
import type { Origin } from './types';
import { credentialKind, hostRefs, isLiteralValue, isLoopback, isPrivateHost, PORT_PROTOCOLS } from './urls';

/** Flows from element `from` to the hosts its variables name. `what` names the owner in messages ("service `api`"). */
export function connectEnv(b: DiscoveryBuilder, hosts: Hosts, from: string, env: readonly EnvVar[], what: string, origin: Origin): void {
  const unresolved = new Set<string>();
  for (const v of env) {
    if (typeof v.value !== 'string') continue;
    for (const ref of hostRefs(v.key, v.value)) {
      if (isLoopback(ref.host)) continue;
      const meta = { source: v.source, origin, what: `\`${v.key}\` of ${what}` };
      const targets = hosts.resolve(ref.host);
      for (const t of targets.slice(0, 50)) {
        const named = ref.port !== undefined ? t.ports?.get(ref.port) : undefined;
        const known = ref.port !== undefined && Object.hasOwn(PORT_PROTOCOLS, ref.port) ? PORT_PROTOCOLS[ref.port] : undefined;
        const image = hosts.protocolOf(t.id);
        const [protocol, rank]: [string | undefined, ProtocolRank] = ref.scheme ? [ref.scheme, 4] : named ? [named, 3] : known ? [known, 2] : image ? [image, 1] : [ref.port !== undefined ? 'tcp' : undefined, 0];
        b.flow(from, t.id, { protocol }, rank, meta);
      }
      if (targets.length) continue;
      if (ref.host.includes('.') && !isPrivateHost(ref.host)) {
        const ext = b.element(ref.host, { type: 'external', kind: 'third-party', description: `Named in \`${v.key}\` of ${what}.` }, { ...meta, what: `external host \`${ref.host}\`` });
        if (ext) b.flow(from, ext, { protocol: ref.scheme ?? (ref.port !== undefined ? PORT_PROTOCOLS[ref.port] : undefined) }, ref.scheme ? 4 : 2, meta);
      } else if (!unresolved.has(ref.host)) {
        unresolved.add(ref.host);
        b.sink.add('discover/unresolved-host', 'info', `\`${v.key}\` of ${what} names the host \`${ref.host}\`, which no file read declares; discover the files that declare it too, or model it by hand.`, v.source);
      }
    }
  }
}

/** Assets for the credential-like variables of element `id`; a value written in the file is a finding (never copied). */
export function credentials(b: DiscoveryBuilder, id: string, env: readonly EnvVar[], what: string, origin: Origin, advice: string): void {
  for (const v of env) {
    const kind = credentialKind(v.key);
    if (!kind) continue;
    const asset = b.asset(v.key, { classification: 'restricted', kind, description: `Environment variable \`${v.key}\`.` }, { source: v.source, origin, what: `variable \`${v.key}\`` });
    if (asset) b.uses(id, asset);
    if (isLiteralValue(v.value)) {
      b.sink.add('discover/secret-in-source', 'warning', `\`${v.key}\` of ${what} has its value written in the file (not copied here): the ${kind === 'credentials' ? 'credential' : 'secret'} is committed with the repository. ${advice}`, v.source);
    }
  }
}
