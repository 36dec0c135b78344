/**
 * Docker Compose (`compose.yaml`, `docker-compose.yml`, overrides) -> discovered entries.
 *
 * | Compose | Rampart |
 * |---|---|
 * | `services.<name>` | an element `<name>`: type, kind and technology from the image (see `IMAGE_CLASSES`), a process of kind service otherwise (a `build:` without image says where it is built) |
 * | `ports:` published on the host (not on 127.0.0.1) | `internet_facing: true`, and a flow from the `internet` external entity (in the untrusted `internet-zone`) with the protocol of the container port |
 * | `networks:` (the first one of a service; `default` when it names none) | a trusted boundary `<network>-network` holding the service |
 * | `depends_on:`, `links:` | a flow from the service to the one it needs, with the protocol of that one's image |
 * | URLs and `host:port` values in `environment:`, bare names under `*_HOST`/`*_ADDR`/`*_URL` keys | a flow with the URL's scheme or the port's protocol; a public host becomes an external entity of kind third-party |
 * | top-level `secrets:` used by a service, credential-like variables (`*_PASSWORD`, `*_TOKEN`, `*_API_KEY`, ...) | assets of kind credentials or secret, in the service's `processes` (or a store's `stores`); values are never copied, a literal one is a `discover/secret-in-source` finding |
 *
 * Anchors and merge keys (`<<: *common`) are read as Compose reads them. Not read: `extends:`, `env_file:`
 * contents, `profiles:`, `configs:`.
 */
import type { Node } from 'yaml';
import { isSeq } from 'yaml';
import { arr, entries, isObject, num, oneLine, own, str } from '../interop/common';
import { classifyImage } from './images';
import { credentialKind, isLiteralValue, isLoopback, protocolOfPort } from './urls';
import { child, keyNodes, pairNodes, type YamlFile } from './yaml';
import type { DiscoveryBuilder } from './collect';
import type { EnvVar, Hosts, Reader } from './hosts';
import { connectEnv, credentials } from './env';
import { DISCOVER_LIMITS } from './types';

interface ComposeService {
  id: string;
  name: string;
  node: Node | undefined;
  depends: { name: string; node?: Node }[];
  env: EnvVar[];
  protocol?: string;
}

/** Whether plain data is a Compose file: a map with a `services` map (and no Kubernetes or OpenAPI keys). */
export function isCompose(data: unknown): boolean {
  return isObject(data) && isObject(data.services) && !('apiVersion' in data) && !('openapi' in data) && !('swagger' in data);
}

/** A published port: the container port and transport, and whether it is reachable beyond the host. */
interface Published {
  target?: number;
  transport: string;
  external: boolean;
}

/** `[ip:][host:]container[/proto]`, a number, or the long syntax `{ target, published, host_ip, protocol }`. */
export function publishedPort(p: unknown): Published | undefined {
  if (isObject(p)) {
    const ip = str(p.host_ip) ?? '';
    return { target: num(p.target), transport: str(p.protocol) ?? 'tcp', external: !isLoopback(ip.replace(/^\[|\]$/g, '')) };
  }
  const s = str(p);
  if (s === undefined) return undefined;
  const [spec, transport = 'tcp'] = s.split('/');
  // IPv6 host addresses are bracketed: `[::1]:8080:80`.
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  const parts = v6 ? [v6[1], ...v6[2].split(':')] : spec.split(':');
  const target = num(parts[parts.length - 1].split('-')[0]);
  const ip = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : '';
  return { target, transport: transport.toLowerCase(), external: !isLoopback(ip) };
}

/** Environment variables as name, value and node, from a list (`K=V`) or a map. */
function envVars(env: unknown, node: Node | undefined): { key: string; value: unknown; node?: Node }[] {
  const out: { key: string; value: unknown; node?: Node }[] = [];
  if (Array.isArray(env)) {
    const items = isSeq(node) ? node.items : [];
    env.slice(0, DISCOVER_LIMITS.envVars).forEach((item, i) => {
      const s = str(item);
      if (s === undefined) return;
      const eq = s.indexOf('=');
      out.push({ key: eq < 0 ? s : s.slice(0, eq), value: eq < 0 ? undefined : s.slice(eq + 1), node: items[i] as Node | undefined });
    });
  } else {
    const keys = keyNodes(node);
    for (const [key, value] of entries(env).slice(0, DISCOVER_LIMITS.envVars)) out.push({ key, value, node: keys.get(key) });
  }
  return out;
}

/** The networks a service is on (a list or a map of names), in order. */
function networksOf(svc: Record<string, unknown>): string[] {
  const n = svc.networks;
  const names = Array.isArray(n) ? n.map(x => str(x)) : entries(n).map(([k]) => k);
  return names.filter((x): x is string => !!x).slice(0, 100);
}

/** The nodes of a list, or the key nodes of a map, in order. */
function itemNodes(node: Node | undefined): (Node | undefined)[] {
  if (isSeq(node)) return node.items as Node[];
  return [...keyNodes(node).values()];
}

/** The services a service needs, with where each is named: `depends_on` (a list or a map) and `links` (`name` or `name:alias`). */
function dependencies(svc: Record<string, unknown>, node: Node | undefined): { name: string; node?: Node }[] {
  const d = svc.depends_on;
  const dNodes = itemNodes(child(node, 'depends_on'));
  const lNodes = itemNodes(child(node, 'links'));
  const out = new Map<string, Node | undefined>();
  (Array.isArray(d) ? d.map(x => str(x)) : entries(d).map(([k]) => k)).forEach((n, i) => { if (n && !out.has(n)) out.set(n, dNodes[i]); });
  arr(svc.links).forEach((l, i) => { const n = str(l)?.split(':')[0]; if (n && !out.has(n)) out.set(n, lNodes[i]); });
  return [...out].slice(0, 500).map(([name, n]) => ({ name, node: n }));
}

export class ComposeReader implements Reader {
  private readonly services: ComposeService[] = [];

  constructor(private readonly file: YamlFile, private readonly data: Record<string, unknown>, private readonly b: DiscoveryBuilder) {}

  declare(): void {
    const { file, data, b } = this;
    const root = file.docs[0]?.doc?.contents;
    const serviceNodes = pairNodes(child(root, 'services'));
    const secretKeys = keyNodes(child(root, 'secrets'));
    const secretNodes = new Map<string, string | undefined>();
    const secretAsset = (name: string, node: Node | undefined) => {
      if (secretNodes.has(name)) return secretNodes.get(name);
      const kind = credentialKind(name) === 'credentials' ? 'credentials' : 'secret';
      const id = b.asset(name, { classification: 'restricted', kind, description: `Compose secret \`${name}\`.` },
        { source: file.at(secretKeys.get(name) ?? node), origin: 'compose', what: `secret \`${name}\`` });
      secretNodes.set(name, id);
      return id;
    };
    for (const [name, raw] of entries(data.services)) {
      if (!isObject(raw)) continue;
      const node = serviceNodes.get(name)?.key;
      const serviceNode = serviceNodes.get(name)?.value;
      const meta = { source: file.at(node ?? root), origin: 'compose' as const, what: `service \`${name}\`` };
      const image = str(raw.image);
      const cls = classifyImage(image);
      const networks = networksOf(raw);
      const network = networks[0] ?? (str(raw.network_mode) ? undefined : 'default');
      const boundary = network === undefined ? undefined
        : b.boundary(`${network} network`, { trust: 'trusted', description: `Compose network \`${network}\`.` }, { ...meta, what: `network \`${network}\`` });
      const portNodes = itemNodes(child(serviceNode, 'ports'));
      const ports = arr(raw.ports).slice(0, 1000).map((p, i) => ({ ...publishedPort(p), node: portNodes[i] })).filter((p): p is Published & { node: Node | undefined } => p.external === true);
      const build = isObject(raw.build) ? str(raw.build.context) : str(raw.build);
      const notes = [
        !image && build ? `Built from \`${oneLine(build, 150)}\`.` : undefined,
        networks.length > 1 ? `Also on ${networks.slice(1, 10).map(n => `\`${oneLine(n, 60)}\``).join(', ')}.` : undefined,
        ports.length ? `Publishes ${ports.slice(0, 10).map(p => `${p.target ?? '?'}/${p.transport}`).join(', ')}.` : undefined,
      ].filter(Boolean);
      const id = b.element(name, {
        type: cls.type, kind: cls.kind, technology: cls.technology && oneLine(cls.technology), boundary,
        internet_facing: ports.length ? true : undefined, description: notes.length ? notes.join(' ') : undefined,
      }, meta);
      if (id === undefined) continue;
      if (ports.length) {
        const at = file.at(ports[0].node ?? node);
        const internet = b.internet({ source: at });
        if (internet) b.flow(internet, id, { protocol: protocolOfPort(ports[0].target, ports[0].transport) }, 2, { source: at, origin: 'compose', what: `a published port of service \`${name}\`` });
      }
      for (const s of arr(raw.secrets).slice(0, 100)) {
        const secret = str(s) ?? (isObject(s) ? str(s.source) : undefined);
        const asset = secret && secretAsset(secret, node);
        if (asset) b.uses(id, asset);
      }
      const env: EnvVar[] = [];
      for (const v of envVars(raw.environment, child(serviceNode, 'environment'))) {
        env.push({ key: v.key, value: v.value, source: file.at(v.node ?? node) });
      }
      credentials(b, id, env, `service \`${name}\``, 'compose', 'Use a Compose secret, or `${VAR}` from an untracked .env file.');
      this.services.push({ id, name, node, depends: dependencies(raw, serviceNode), env, protocol: cls.protocol });
    }
  }

  hosts(hosts: Hosts): void {
    const raws = this.data.services as Record<string, unknown>;
    for (const s of this.services) {
      const raw = own(raws, s.name);
      if (!isObject(raw)) continue;
      hosts.add(s.name, s.id);
      hosts.setProtocol(s.id, s.protocol);
      for (const alias of [str(raw.container_name), str(raw.hostname)]) if (alias) hosts.add(alias, s.id);
      for (const [, net] of entries(raw.networks)) for (const a of arr(isObject(net) ? net.aliases : undefined)) if (str(a)) hosts.add(str(a)!, s.id);
    }
  }

  connect(hosts: Hosts): void {
    const { b, file } = this;
    const ids = new Map(this.services.map(x => [x.name, x.id]));
    for (const s of this.services) {
      for (const dep of s.depends) {
        const target = ids.get(dep.name) ?? hosts.resolve(dep.name)[0]?.id;
        if (target) b.flow(s.id, target, { protocol: hosts.protocolOf(target) }, 1, { source: file.at(dep.node ?? s.node), origin: 'compose', what: `\`depends_on\` of service \`${s.name}\`` });
      }
      connectEnv(b, hosts, s.id, s.env, `service \`${s.name}\``, 'compose');
    }
  }
}
