/**
 * Collects what the readers find into one Discovery: stable ids from names (kebab-case, as the edit intents
 * make them, so that an entry added by `computeIntent` gets the same id), one entry per name (a service
 * declared in a Compose file and a Kubernetes manifest is one element, described by the first), one flow per
 * pair of elements, and caps on every section (what one model may hold).
 */
import type { Asset, Boundary, Element, Flow } from '../model/schema';
import { idFromName } from '../edit/intents';
import { LIMITS } from '../model/vocabulary';
import { FindingSink } from './yaml';
import { DISCOVER_LIMITS, type Discovered, type DiscoveredOperation, type DiscoveredSection, type Discovery, type Origin, type SourceRef } from './types';

/** How sure a flow's protocol is: a URL's scheme beats a port's name, which beats a port number, which beats the image. */
export type ProtocolRank = 0 | 1 | 2 | 3 | 4;

/** Hands out ids like `freshId` in src/core/edit/intents.ts: the name's id, else `-2`, `-3`, ... */
export class Ids {
  private readonly taken = new Set<string>();
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.taken.add(t);
  }

  take(base: string): string {
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}-${n}`;
    this.taken.add(id);
    return id;
  }
}

interface Meta {
  source: SourceRef;
  origin: Origin;
  what: string;
}

/** The id an entry named `name` gets (the edit intents' rule), with a fallback for names that give none. */
export const baseId = (name: string, fallback: string) => idFromName(name, fallback);

export class DiscoveryBuilder {
  readonly sink = new FindingSink();
  readonly files = new Set<string>();
  readonly operations: DiscoveredOperation[] = [];
  /** Elements, flows and boundaries share ids (a threat may target any of them); assets have their own. */
  private readonly nodeIds = new Ids();
  private readonly assetIds = new Ids();
  private readonly byKey = new Map<string, string>();
  private readonly sections = {
    boundaries: new Map<string, Discovered<Boundary>>(),
    assets: new Map<string, Discovered<Asset>>(),
    elements: new Map<string, Discovered<Element>>(),
    flows: new Map<string, Discovered<Flow>>(),
  };
  private readonly ranks = new Map<string, ProtocolRank>();
  private readonly full = new Set<DiscoveredSection>();

  /** The entry of a section by id. */
  get<S extends DiscoveredSection>(section: S, id: string): Discovery[S][number] | undefined {
    return this.sections[section].get(id) as Discovery[S][number] | undefined;
  }

  /** The id already given to `name` in a section, if any. */
  idOf(section: DiscoveredSection, name: string): string | undefined {
    return this.byKey.get(mapKeyOf(section, name));
  }

  private room(section: DiscoveredSection, meta: Meta): boolean {
    if (this.sections[section].size < DISCOVER_LIMITS.entries) return true;
    if (!this.full.has(section)) {
      this.full.add(section);
      this.sink.add('discover/too-many-entries', 'warning', `More than ${DISCOVER_LIMITS.entries} ${section} were found, more than one model holds; the rest were left out. Model the system in several files, one per part.`, meta.source);
    }
    return false;
  }

  private put<S extends DiscoveredSection>(section: S, key: string, fallback: string, entry: Discovery[S][number]['entry'], meta: Meta): string | undefined {
    const mapKey = mapKeyOf(section, key);
    const known = this.byKey.get(mapKey);
    if (known !== undefined) return known;
    if (!this.room(section, meta)) return undefined;
    const id = (section === 'assets' ? this.assetIds : this.nodeIds).take(baseId(key, fallback));
    this.byKey.set(mapKey, id);
    for (const k of Object.keys(entry)) if ((entry as Record<string, unknown>)[k] === undefined) delete (entry as Record<string, unknown>)[k];
    (this.sections[section] as Map<string, Discovered<unknown>>).set(id, { id, entry, ...meta });
    return id;
  }

  boundary(name: string, entry: Omit<Boundary, 'name'>, meta: Meta): string | undefined {
    return this.put('boundaries', name, 'boundary', { name: clipName(name), ...entry }, meta);
  }

  /** An element; a second one of the same name is the same element (its exposure and data are added). */
  element(name: string, entry: Omit<Element, 'name'>, meta: Meta): string | undefined {
    const known = this.idOf('elements', name);
    const id = this.put('elements', name, 'element', { name: clipName(name), ...entry }, meta);
    if (known !== undefined) {
      const e = this.sections.elements.get(known)!.entry;
      if (entry.internet_facing) e.internet_facing = true;
      e.boundary ??= entry.boundary;
      e.technology ??= entry.technology;
    }
    return id;
  }

  asset(name: string, entry: Omit<Asset, 'name'>, meta: Meta): string | undefined {
    return this.put('assets', name, 'asset', { name: clipName(name), ...entry }, meta);
  }

  /** Adds an asset to an element's `stores` (a store) or `processes` (anything else). */
  uses(elementId: string, assetId: string): void {
    const e = this.sections.elements.get(elementId)?.entry;
    if (!e) return;
    const list = e.type === 'store' ? (e.stores ??= []) : (e.processes ??= []);
    if (!list.includes(assetId) && list.length < LIMITS.list) list.push(assetId);
  }

  /**
   * A flow from one element to another (none to itself). A second flow between the same two is the same flow:
   * it keeps the protocol of the surer source (`rank`), and is unauthenticated or unencrypted if either says so.
   */
  flow(from: string, to: string, entry: Omit<Flow, 'from' | 'to'>, rank: ProtocolRank, meta: Meta): string | undefined {
    if (from === to) return undefined;
    const id = this.put('flows', `${from}-to-${to}`, 'flow', { from, to, ...entry }, meta);
    if (id === undefined) return undefined;
    const f = this.sections.flows.get(id)!.entry;
    const had = this.ranks.get(id);
    if (had === undefined || (entry.protocol && rank > had)) {
      if (entry.protocol) f.protocol = entry.protocol;
      this.ranks.set(id, entry.protocol ? rank : 0);
    }
    for (const k of ['authenticated', 'encrypted'] as const) {
      if (entry[k] === false || (entry[k] === true && f[k] === undefined)) f[k] = entry[k];
    }
    return id;
  }

  /** The flows into an element. */
  flowsInto(id: string): Flow[] {
    return [...this.sections.flows.values()].filter(f => f.entry.to === id).map(f => f.entry);
  }

  /** The Internet as an external entity in an untrusted boundary, made when something is exposed to it. */
  internet(meta: Omit<Meta, 'origin' | 'what'>): string | undefined {
    const zone = this.boundary('Internet zone', { trust: 'untrusted', description: 'Everything outside the deployment: published ports, load balancers and ingresses are reachable from here.' }, { ...meta, origin: 'implied', what: 'the Internet zone' });
    return this.element('Internet', { type: 'external', boundary: zone, description: 'Anyone on the Internet (users, clients, attackers).' }, { ...meta, origin: 'implied', what: 'the Internet' });
  }

  build(): Discovery {
    return {
      files: [...this.files].sort(),
      boundaries: [...this.sections.boundaries.values()],
      assets: [...this.sections.assets.values()],
      elements: [...this.sections.elements.values()],
      flows: [...this.sections.flows.values()],
      operations: this.operations,
      findings: this.sink.done(),
    };
  }
}

/** Names that give the same id are one entry; a name that gives none stands for itself. */
const mapKeyOf = (section: DiscoveredSection, name: string) => `${section}\u0000${baseId(name, '') || name}`;

/** A name within the schema's limit, on one line. */
export function clipName(name: string): string {
  const s = name.replace(/\s+/g, ' ').trim() || 'unnamed';
  return s.length > LIMITS.name ? s.slice(0, LIMITS.name - 1).trimEnd() + '…' : s;
}
