/**
 * Kubernetes manifests (multi-document YAML, `List`s, kustomization resource lists) -> discovered entries.
 *
 * | Kubernetes | Rampart |
 * |---|---|
 * | Deployment, StatefulSet, DaemonSet (also ReplicaSet, Job, CronJob, Pod) | an element: type, kind and technology from the first container's image |
 * | namespace (`metadata.namespace`, the kustomization's `namespace:`, else `default`) | a trusted boundary `<namespace>-namespace` |
 * | Service (by its selector), its DNS names in `env` (`cart:7070`, `http://cart.shop.svc.cluster.local`) | flows to the selected workloads, with the protocol of the port's name (`grpc`, `http`, `tcp-redis` -> redis) or number |
 * | Service of type LoadBalancer or NodePort, Ingress | `internet_facing: true` and a flow from the `internet` external entity (https when the Ingress has `tls:`) |
 * | NetworkPolicy selecting a workload | `controls: [authorization]` and the tag `network-policy` on the flows into it that the policy allows |
 * | Secret, `secretKeyRef`, `envFrom.secretRef` | an asset (credentials for basic-auth, ssh-auth and registry Secrets, key for TLS, else secret) in the workload's `processes`; values are never read, a Secret with `data:` in the file is a `discover/secret-in-source` finding |
 * | ConfigMap read through `configMapKeyRef`/`envFrom` | its values are read like `env` values (hosts, credential-like keys) |
 * | kustomization.yaml | its `resources:` are the set: a manifest beside it that it does not list is skipped (`discover/skipped-file`); its `namespace:` applies |
 *
 * Not read: Helm templates (not YAML until rendered), CRDs, remote kustomize bases (never fetched).
 */
import { arr, entries, isObject, num, oneLine, str } from '../interop/common';
import { classifyImage } from './images';
import { credentials, connectEnv } from './env';
import type { Node } from 'yaml';
import { child, type YamlFile } from './yaml';
import type { DiscoveryBuilder } from './collect';
import type { EnvVar, Hosts, Reader } from './hosts';
import { DISCOVER_LIMITS, type SourceRef } from './types';
import { credentialKind, protocolOfPort } from './urls';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const CREDENTIAL_SECRET_TYPES = new Set(['kubernetes.io/basic-auth', 'kubernetes.io/ssh-auth', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg']);
const PORT_NAMES: Readonly<Record<string, string>> = {
  http: 'http', https: 'https', http2: 'http2', h2c: 'http2', grpc: 'grpc', grpcs: 'grpcs', tcp: 'tcp', udp: 'udp', tls: 'tls', redis: 'redis',
  mysql: 'mysql', mongo: 'mongodb', mongodb: 'mongodb', postgres: 'postgresql', postgresql: 'postgresql', amqp: 'amqp', kafka: 'kafka',
  ws: 'ws', wss: 'wss', mqtt: 'mqtt', nats: 'nats',
};

type Labels = Record<string, string>;

/** Whether plain data is a Kubernetes object (or a kustomization). */
export const isKubernetes = (data: unknown) => isObject(data) && typeof data.apiVersion === 'string' && typeof data.kind === 'string';
export const isKustomization = (data: unknown) => isObject(data) && data.kind === 'Kustomization';

/** A port's protocol from its `appProtocol` or name, as Istio names ports: `grpc`, `http-web`, `tcp-redis` -> redis. */
export function portProtocol(port: Record<string, unknown>): string | undefined {
  const name = (str(port.appProtocol) ?? str(port.name) ?? '').toLowerCase();
  const [first, second] = name.split('-');
  const word = (first === 'tcp' || first === 'udp') && second ? second : first;
  return Object.hasOwn(PORT_NAMES, word) ? PORT_NAMES[word] : undefined;
}

function labelsOf(v: unknown): Labels {
  const out: Labels = {};
  for (const [k, x] of entries(v).slice(0, 100)) { const s = str(x); if (s !== undefined) out[k] = s; }
  return out;
}

/** Every key of `selector` has the same value in `labels` (an empty selector selects everything). */
const selects = (selector: Labels, labels: Labels) => Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);

/** The pod template of a workload: labels, pod spec, and the pod spec's path in the object (for lines). */
function podOf(kind: string, obj: Record<string, unknown>): { labels: Labels; spec: Record<string, unknown>; path: string[] } {
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (kind === 'Pod') return { labels: labelsOf(isObject(obj.metadata) ? obj.metadata.labels : undefined), spec, path: ['spec'] };
  const cron = kind === 'CronJob' && isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec);
  const job = cron ? (spec.jobTemplate as Record<string, Record<string, unknown>>).spec : spec;
  const template = isObject(job.template) ? job.template : {};
  const path = cron ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
  return { labels: labelsOf(isObject(template.metadata) ? template.metadata.labels : undefined), spec: isObject(template.spec) ? template.spec : {}, path };
}

interface Workload {
  id: string;
  name: string;
  ns: string;
  labels: Labels;
  source: SourceRef;
  env: EnvVar[];
  /** ConfigMaps read whole (`envFrom`) or by key (`configMapKeyRef`: variable name and key). */
  configMaps: { name: string; key?: string; as?: string; source: SourceRef }[];
  secrets: { name: string; key?: string; source: SourceRef }[];
  protocol?: string;
}

interface Service {
  name: string;
  ns: string;
  selector?: Labels;
  type: string;
  ports: Record<string, unknown>[];
  source: SourceRef;
}

interface Objects {
  workloads: Workload[];
  services: Service[];
  ingresses: { name: string; ns: string; backends: string[]; tls: boolean; source: SourceRef }[];
  policies: { name: string; ns: string; selector: Labels; ingress: unknown[] | undefined; types: string[]; source: SourceRef }[];
  configMaps: Map<string, { data: Record<string, unknown>; source: SourceRef }>;
  /** `${ns}/${name}` -> asset id of the Secret. */
  secrets: Map<string, string>;
}

/** What every manifest adds to: Services, Ingresses and policies act on workloads of other files. */
export class KubernetesCluster implements Reader {
  readonly o: Objects = { workloads: [], services: [], ingresses: [], policies: [], configMaps: new Map(), secrets: new Map() };
  private readonly selected = new Map<Service, Workload[]>();

  constructor(private readonly b: DiscoveryBuilder) {}

  /** Reads the objects of one file; `namespace` is the kustomization's, when it sets one. */
  add(file: YamlFile, namespace?: string): void {
    for (const { doc, data } of file.docs) {
      const items = isObject(data) && data.kind === 'List' ? arr(data.items) : [data];
      items.slice(0, DISCOVER_LIMITS.entries).forEach((obj, i) => {
        if (!isKubernetes(obj)) return;
        const o = obj as Record<string, unknown>;
        const meta = isObject(o.metadata) ? o.metadata : {};
        const node = items.length > 1 ? doc?.getIn(['items', i], true) : doc?.contents;
        const nameNode = doc ? (items.length > 1 ? doc.getIn(['items', i, 'metadata', 'name'], true) : child(child(node, 'metadata'), 'name')) : undefined;
        const source = file.at((nameNode ?? node) as never);
        const name = oneLine(meta.name, 200);
        if (!name) return;
        const ns = namespace ?? oneLine(meta.namespace, 63) ?? 'default';
        const prefix = items.length > 1 ? ['items', i] : [];
        const at = (path: (string | number)[]) => {
          const n = doc?.getIn([...prefix, ...path], true) as Node | undefined;
          return n ? file.at(n) : source;
        };
        this.object(String(o.kind), o, name, ns, source, at);
      });
    }
  }

  private object(kind: string, o: Record<string, unknown>, name: string, ns: string, source: SourceRef, at: (path: (string | number)[]) => SourceRef): void {
    const { b } = this;
    const spec = isObject(o.spec) ? o.spec : {};
    if (WORKLOADS.has(kind)) {
      const pod = podOf(kind, o);
      const containers = arr(pod.spec.containers).filter(isObject).slice(0, 50);
      const cls = classifyImage(str(containers[0]?.image));
      const boundary = this.namespace(ns, source);
      const id = b.element(name, {
        type: cls.type, kind: cls.kind, technology: cls.technology && oneLine(cls.technology), boundary,
        description: containers.length > 1 ? `Containers: ${containers.slice(0, 10).map(c => `\`${oneLine(c.name, 60) ?? '?'}\``).join(', ')}.` : undefined,
      }, { source, origin: 'kubernetes', what: `${kind} \`${name}\`` });
      if (id === undefined) return;
      const w: Workload = { id, name, ns, labels: pod.labels, source, env: [], configMaps: [], secrets: [], protocol: cls.protocol };
      containers.forEach((c, ci) => {
        arr(c.env).slice(0, DISCOVER_LIMITS.envVars).forEach((e, ei) => {
          const key = isObject(e) ? str(e.name) : undefined;
          if (!key || !isObject(e)) return;
          const source = at([...pod.path, 'containers', ci, 'env', ei]);
          const from = isObject(e.valueFrom) ? e.valueFrom : {};
          if (isObject(from.secretKeyRef) && str(from.secretKeyRef.name)) w.secrets.push({ name: str(from.secretKeyRef.name)!, key, source });
          else if (isObject(from.configMapKeyRef) && str(from.configMapKeyRef.name)) w.configMaps.push({ name: str(from.configMapKeyRef.name)!, key: str(from.configMapKeyRef.key), as: key, source });
          else if (e.value !== undefined) w.env.push({ key, value: e.value, source });
        });
        arr(c.envFrom).slice(0, 100).forEach((e, ei) => {
          if (!isObject(e)) return;
          const source = at([...pod.path, 'containers', ci, 'envFrom', ei]);
          if (isObject(e.secretRef) && str(e.secretRef.name)) w.secrets.push({ name: str(e.secretRef.name)!, source });
          if (isObject(e.configMapRef) && str(e.configMapRef.name)) w.configMaps.push({ name: str(e.configMapRef.name)!, source });
        });
      });
      credentials(b, id, w.env, `${kind} \`${name}\``, 'kubernetes', 'Read it from a Secret (`valueFrom.secretKeyRef`).');
      this.o.workloads.push(w);
    } else if (kind === 'Service') {
      const selector = isObject(spec.selector) ? labelsOf(spec.selector) : undefined;
      this.o.services.push({ name, ns, selector, type: str(spec.type) ?? 'ClusterIP', ports: arr(spec.ports).filter(isObject).slice(0, 100), source });
    } else if (kind === 'Ingress') {
      const backends: string[] = [];
      const backend = (x: unknown) => {
        if (!isObject(x)) return;
        const svc = isObject(x.service) ? str(x.service.name) : str(x.serviceName);
        if (svc && backends.length < 100 && !backends.includes(svc)) backends.push(svc);
      };
      backend(spec.defaultBackend);
      backend(spec.backend);
      for (const rule of arr(spec.rules).filter(isObject).slice(0, 200)) {
        for (const p of arr(isObject(rule.http) ? rule.http.paths : undefined).filter(isObject).slice(0, 200)) backend(p.backend);
      }
      this.o.ingresses.push({ name, ns, backends, tls: arr(spec.tls).length > 0, source });
    } else if (kind === 'NetworkPolicy') {
      const types = arr(spec.policyTypes).map(t => str(t) ?? '');
      this.o.policies.push({ name, ns, selector: labelsOf(isObject(spec.podSelector) ? spec.podSelector.matchLabels : undefined), ingress: Array.isArray(spec.ingress) ? spec.ingress : undefined, types, source });
    } else if (kind === 'Secret') {
      const type = str(o.type) ?? 'Opaque';
      const assetKind = CREDENTIAL_SECRET_TYPES.has(type) ? 'credentials' : type === 'kubernetes.io/tls' ? 'key' : (credentialKind(name) ?? 'secret');
      const id = b.asset(name, { classification: 'restricted', kind: assetKind, description: `Kubernetes Secret \`${name}\` (${oneLine(type, 100)}).` }, { source, origin: 'kubernetes', what: `Secret \`${name}\`` });
      if (id) this.o.secrets.set(`${ns}/${name}`, id);
      if (entries(o.data).length || entries(o.stringData).length) {
        b.sink.add('discover/secret-in-source', 'warning', `Secret \`${name}\` has its values in the manifest (base64 is not encryption; not copied here): they are committed with the repository. Keep them out of the repository (Sealed Secrets, SOPS, an external secret store).`, source);
      }
    } else if (kind === 'ConfigMap') {
      const data = isObject(o.data) ? o.data : {};
      this.o.configMaps.set(`${ns}/${name}`, { data, source });
      for (const [key, value] of entries(data).slice(0, DISCOVER_LIMITS.envVars)) {
        if (credentialKind(key) && typeof value === 'string' && value.trim()) {
          b.sink.add('discover/secret-in-source', 'warning', `ConfigMap \`${name}\` holds \`${key}\` (not copied here): a ConfigMap is not meant for secrets and is committed with the repository. Move it to a Secret kept out of the repository.`, source);
        }
      }
    }
  }

  private namespace(ns: string, source: SourceRef): string | undefined {
    return this.b.boundary(`${ns} namespace`, { trust: 'trusted', description: `Kubernetes namespace \`${ns}\`.` }, { source, origin: 'kubernetes', what: `namespace \`${ns}\`` });
  }

  private workloadsOf(s: Service): Workload[] {
    let list = this.selected.get(s);
    if (!list) {
      const sel = s.selector;
      list = sel && Object.keys(sel).length ? this.o.workloads.filter(w => w.ns === s.ns && selects(sel, w.labels)).slice(0, 100) : [];
      this.selected.set(s, list);
    }
    return list;
  }

  hosts(hosts: Hosts): void {
    for (const w of this.o.workloads) {
      hosts.add(w.name, w.id);
      hosts.add(`${w.name}.${w.ns}`, w.id);
      hosts.setProtocol(w.id, w.protocol);
    }
    for (const s of this.o.services) {
      const ports = new Map<number, string>();
      for (const p of s.ports) {
        const proto = portProtocol(p);
        const port = typeof p.port === 'number' ? p.port : undefined;
        if (proto && port !== undefined) ports.set(port, proto);
      }
      for (const w of this.workloadsOf(s)) {
        hosts.add(s.name, w.id, ports);
        hosts.add(`${s.name}.${s.ns}`, w.id, ports);
      }
    }
  }

  connect(hosts: Hosts): void {
    const { b } = this;
    const expose = (w: Workload, protocol: string | undefined, rank: 2 | 3, source: SourceRef, what: string) => {
      b.element(w.name, { type: 'process', internet_facing: true }, { source: w.source, origin: 'kubernetes', what: w.name });
      const internet = b.internet({ source });
      if (internet) b.flow(internet, w.id, { protocol }, rank, { source, origin: 'kubernetes', what });
    };
    for (const s of this.o.services) {
      if (s.type !== 'LoadBalancer' && s.type !== 'NodePort') continue;
      const p = s.ports[0];
      const named = p && portProtocol(p);
      const protocol = named ?? (p ? protocolOfPort(num(p.port)) : undefined);
      for (const w of this.workloadsOf(s)) expose(w, protocol, named ? 3 : 2, s.source, `${s.type} Service \`${s.name}\``);
    }
    for (const ing of this.o.ingresses) {
      for (const name of ing.backends) {
        const svc = this.o.services.find(s => s.name === name && s.ns === ing.ns);
        const targets = svc ? this.workloadsOf(svc) : [];
        if (!targets.length) {
          b.sink.add('discover/unresolved-host', 'info', `Ingress \`${ing.name}\` sends traffic to the Service \`${name}\`, which selects no workload of the files read; discover the files that declare it too, or model it by hand.`, ing.source);
        }
        for (const w of targets) expose(w, ing.tls ? 'https' : 'http', 3, ing.source, `Ingress \`${ing.name}\``);
      }
    }
    for (const w of this.o.workloads) {
      const env = [...w.env];
      for (const ref of w.configMaps) {
        const cm = this.o.configMaps.get(`${w.ns}/${ref.name}`);
        if (!cm) continue;
        if (ref.key !== undefined) env.push({ key: ref.as ?? ref.key, value: cm.data[ref.key], source: ref.source });
        else for (const [key, value] of entries(cm.data).slice(0, DISCOVER_LIMITS.envVars)) env.push({ key, value, source: cm.source });
      }
      for (const ref of w.secrets) {
        const asset = this.o.secrets.get(`${w.ns}/${ref.name}`) ?? b.asset(ref.name, { classification: 'restricted', kind: (ref.key && credentialKind(ref.key)) || 'secret', description: `Kubernetes Secret \`${ref.name}\` (declared in no file read).` }, { source: ref.source, origin: 'kubernetes', what: `Secret \`${ref.name}\`` });
        if (asset) b.uses(w.id, asset);
      }
      connectEnv(b, hosts, w.id, env, `workload \`${w.name}\``, 'kubernetes');
    }
  }

  /** Network policies: the flows into a selected workload that a rule lets in get `authorization` and the `network-policy` tag. */
  finish(): void {
    const byId = new Map(this.o.workloads.map(w => [w.id, w]));
    for (const pol of this.o.policies) {
      if (pol.ingress === undefined && !pol.types.includes('Ingress')) continue;
      const rules = (pol.ingress ?? []).filter(isObject);
      for (const w of this.o.workloads.filter(x => x.ns === pol.ns && selects(pol.selector, x.labels))) {
        for (const f of this.b.flowsInto(w.id)) {
          const src = byId.get(f.from);
          const allowed = rules.some(r => {
            const from = arr(r.from).filter(isObject);
            if (!from.length) return true;
            return from.some(peer => {
              if (isObject(peer.ipBlock)) return !src;
              if (isObject(peer.namespaceSelector)) return !!src;
              const sel = isObject(peer.podSelector) ? labelsOf(peer.podSelector.matchLabels) : undefined;
              return !!src && !!sel && src.ns === pol.ns && selects(sel, src.labels);
            });
          });
          if (!allowed) continue;
          if (!(f.controls ?? []).includes('authorization')) (f.controls ??= []).push('authorization');
          if (!(f.tags ?? []).includes('network-policy')) (f.tags ??= []).push('network-policy');
        }
      }
    }
  }
}
