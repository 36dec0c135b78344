/**
 * The names other files use to reach an element (a Compose service and its aliases, a Kubernetes Service and
 * its cluster DNS names, a workload's own name), and the phases every reader goes through, so that a name
 * declared in one file resolves in another whatever the order of the files.
 */
import type { SourceRef } from './types';

/** A reader of one file. Discovery runs each phase over every file before the next phase. */
export interface Reader {
  /** Elements, boundaries and assets; OpenAPI resolves its references here (the only asynchronous step). */
  declare?(): void | Promise<void>;
  /** The names that reach the elements. */
  hosts?(hosts: Hosts): void;
  /** Flows. */
  connect?(hosts: Hosts): void;
  /** What needs every flow: network policies, API authentication, exposure of operations. */
  finish?(hosts: Hosts): void;
}

/** One variable of an environment (or of a ConfigMap a workload reads). */
export interface EnvVar {
  key: string;
  /** The value as written; undefined when it comes from elsewhere (a Secret, the host's environment). */
  value: unknown;
  source: SourceRef;
}

export interface HostTarget {
  id: string;
  /** Port number -> protocol, from a Kubernetes Service's port names. */
  ports?: ReadonlyMap<number, string>;
}

/** Cluster-internal suffixes of a Kubernetes Service's DNS name: `cart.shop.svc.cluster.local` -> `cart`. */
const CLUSTER_SUFFIX = /\.(svc(\.cluster\.local)?|[a-z0-9-]+\.svc(\.cluster\.local)?)$/;

export class Hosts {
  private readonly names = new Map<string, HostTarget[]>();
  private readonly protocols = new Map<string, string>();

  add(name: string, id: string, ports?: ReadonlyMap<number, string>): void {
    const key = name.toLowerCase();
    const list = this.names.get(key) ?? [];
    const known = list.find(t => t.id === id);
    if (known) known.ports ??= ports;
    else if (list.length < 100) list.push({ id, ports });
    this.names.set(key, list);
  }

  /** The elements a host name reaches: the name itself, else a cluster DNS name's service part. */
  resolve(host: string): HostTarget[] {
    const h = host.toLowerCase();
    const exact = this.names.get(h);
    if (exact) return exact;
    if (CLUSTER_SUFFIX.test(h)) {
      const first = h.split('.')[0];
      const viaNamespace = this.names.get(h.replace(/\.svc(\.cluster\.local)?$/, ''));
      return viaNamespace ?? this.names.get(first) ?? [];
    }
    return [];
  }

  /** The protocol clients speak to an element, from its image (set by the readers). */
  protocolOf(id: string): string | undefined {
    return this.protocols.get(id);
  }

  setProtocol(id: string, protocol: string | undefined): void {
    if (protocol && !this.protocols.has(id)) this.protocols.set(id, protocol);
  }
}
