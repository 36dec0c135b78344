/**
 * Id definitions and references with their source ranges, and graph lookups (boundary of an element, trust,
 * flows in and out, threats per target). Used by the rules, go-to-definition, references, rename,
 * completion and the diagram.
 */
import { isAlias } from 'yaml';
import type { AttackNode, Boundary, Element, Flow, Model, Trust } from './schema';
import type { ParsedModel } from './parse';
import { keyRangeOf, valueRangeOf, type Located } from './sourceMap';
import type { Path, Range } from '../types';

export type IdKind = 'asset' | 'boundary' | 'element' | 'flow' | 'threat' | 'mitigation' | 'attack_tree';
export const SECTION_OF: Record<IdKind, keyof Model> = {
  asset: 'assets', boundary: 'boundaries', element: 'elements', flow: 'flows', threat: 'threats', mitigation: 'mitigations', attack_tree: 'attack_trees',
};
export const KIND_OF_SECTION: Record<string, IdKind> = Object.fromEntries(Object.entries(SECTION_OF).map(([k, v]) => [v, k as IdKind]));

export interface Definition {
  kind: IdKind;
  id: string;
  path: Path;
  /** The key's range. */
  range: Range;
}

export interface Reference {
  /** Kinds the reference may point at (a threat target is an element or a flow). */
  kinds: readonly IdKind[];
  id: string;
  path: Path;
  range: Range;
}

export interface ModelIndex {
  definitions: Definition[];
  references: Reference[];
  /**
   * References inside a value an entry has through an alias (`api: *e0`): the id is written once, at the
   * anchor, which may belong to another entry or to none in the model (an unknown or reserved key). Each has
   * the range of the alias on its way. Not in `references`, whose ranges hold the id (rename edits them).
   */
  aliased: Reference[];
  /** kind -> id -> definition */
  byKind: Map<IdKind, Map<string, Definition>>;
  /** Definition of an id of any of the given kinds. */
  lookup(id: string, kinds?: readonly IdKind[]): Definition | undefined;
}

const ELEMENT_OR_FLOW: readonly IdKind[] = ['element', 'flow'];

/** Every reference in the model: where an id of another entry is expected, as [path, kinds]. */
export function* referenceSlots(model: Model): Generator<[Path, readonly IdKind[], string]> {
  for (const [id, e] of Object.entries(model.elements ?? {})) {
    if (e.boundary) yield [['elements', id, 'boundary'], ['boundary'], e.boundary];
    for (const [i, a] of (e.stores ?? []).entries()) yield [['elements', id, 'stores', i], ['asset'], a];
    for (const [i, a] of (e.processes ?? []).entries()) yield [['elements', id, 'processes', i], ['asset'], a];
  }
  for (const [id, b] of Object.entries(model.boundaries ?? {})) {
    if (b.parent) yield [['boundaries', id, 'parent'], ['boundary'], b.parent];
  }
  for (const [id, f] of Object.entries(model.flows ?? {})) {
    yield [['flows', id, 'from'], ['element'], f.from];
    yield [['flows', id, 'to'], ['element'], f.to];
    for (const [i, a] of (f.data ?? []).entries()) yield [['flows', id, 'data', i], ['asset'], a];
  }
  for (const [id, t] of Object.entries(model.threats ?? {})) {
    for (const [i, x] of (t.targets ?? []).entries()) yield [['threats', id, 'targets', i], ELEMENT_OR_FLOW, x];
    for (const [i, m] of (t.mitigations ?? []).entries()) yield [['threats', id, 'mitigations', i], ['mitigation'], m];
    for (const [i, a] of (t.statement?.assets ?? []).entries()) yield [['threats', id, 'statement', 'assets', i], ['asset'], a];
  }
  for (const [id, tree] of Object.entries(model.attack_trees ?? {})) {
    if (tree.threat) yield [['attack_trees', id, 'threat'], ['threat'], tree.threat];
    for (const op of ['and', 'or'] as const) {
      for (const [i, n] of (tree[op] ?? []).entries()) yield* nodeSlots(n, ['attack_trees', id, op, i]);
    }
  }
}

function* nodeSlots(node: AttackNode, path: Path): Generator<[Path, readonly IdKind[], string]> {
  if (node.threat) yield [[...path, 'threat'], ['threat'], node.threat];
  if (node.tree) yield [[...path, 'tree'], ['attack_tree'], node.tree];
  for (const op of ['and', 'or'] as const) {
    for (const [i, n] of (node[op] ?? []).entries()) yield* nodeSlots(n, [...path, op, i]);
  }
}

/**
 * Where an entry's id and references are in the text: the YAML nodes, whose ranges are read when the index is
 * built. The incremental analyzer keeps an entry's plain data object and its nodes while the entry's text is
 * unchanged (it moves the nodes to their new offsets), so it can pass a cache keyed by entry object and skip
 * the lookups of every unchanged entry.
 */
export interface EntryLocations {
  definition: Located | undefined;
  references: [Path, readonly IdKind[], string, Located][];
  /** Slots reached through an alias, with the alias (see `ModelIndex.aliased`). */
  aliased: [Path, readonly IdKind[], string, Located][];
  /**
   * The index's objects made from them, and where the entry's key was then: while it has not moved, the next
   * index reuses them, so an unmoved entry keeps the very same range objects (rules compare them to reuse
   * findings, see `sameRanges` in rules/design/engine.ts).
   */
  made?: { at: number; kind: IdKind; id: string; def: Definition; references: Reference[] };
  /** The range of the key's node (the array the incremental analyzer moves in place), read for `made.at`. */
  keyRange?: number[];
}
export type IndexCache = WeakMap<object, EntryLocations>;

const ZERO: Range = { start: 0, end: 0 };

/** The alias on the way to a path that cannot be located itself (its value is written at the anchor). */
function aliasOnWay(source: ParsedModel['source'], path: Path): Located | undefined {
  for (let n = path.length - 1; n > 0; n--) {
    const loc = source.locate(path.slice(0, n));
    if (loc) return isAlias(loc.node) ? loc : undefined;
  }
  return undefined;
}

/** Entry object -> its slots as [path, kinds, id] (the slots of `referenceSlots`, per entry). */
function entrySlots(section: keyof Model, id: string, entry: unknown): [Path, readonly IdKind[], string][] {
  const one: Model = { [section]: { [id]: entry } } as unknown as Model;
  return [...referenceSlots(one)];
}

export function buildIndex(parsed: Pick<ParsedModel, 'model' | 'source'>, cache?: IndexCache): ModelIndex {
  const { model, source } = parsed;
  const definitions: Definition[] = [];
  const byKind = new Map<IdKind, Map<string, Definition>>();
  const references: Reference[] = [];
  const aliased: Reference[] = [];
  for (const [kind, section] of Object.entries(SECTION_OF) as [IdKind, keyof Model][]) {
    const m = new Map<string, Definition>();
    byKind.set(kind, m);
    for (const [id, entry] of Object.entries((model[section] as Record<string, unknown> | undefined) ?? {})) {
      let loc = cache && entry && typeof entry === 'object' ? cache.get(entry) : undefined;
      if (!loc) {
        loc = { definition: source.locate([section, id]), references: [], aliased: [] };
        if (cache) {
          for (const [p, kinds, ref] of entrySlots(section, id, entry)) {
            const at = source.locate(p);
            if (at) loc.references.push([p, kinds, ref, at]);
            else {
              const alias = aliasOnWay(source, p);
              if (alias) loc.aliased.push([p, kinds, ref, alias]);
            }
          }
        }
        if (cache && entry && typeof entry === 'object') cache.set(entry, loc);
      }
      let def: Definition;
      const at = keyStart(loc);
      if (loc.made && loc.made.at === at && loc.made.kind === kind && loc.made.id === id) def = loc.made.def;
      else {
        def = { kind, id, path: [section, id], range: keyRangeOf(loc.definition) ?? ZERO };
        if (cache && at !== undefined && !loc.aliased.length) loc.made = { at, kind, id, def, references: made(loc.references) };
        else loc.made = undefined;
      }
      definitions.push(def);
      m.set(id, def);
    }
  }
  if (cache) {
    // In `referenceSlots` order: section by section, entries in model order.
    for (const section of REFERENCE_ORDER) {
      for (const entry of Object.values((model[section] as Record<string, unknown> | undefined) ?? {})) {
        const locs = entry && typeof entry === 'object' ? cache.get(entry) : undefined;
        if (!locs) continue;
        if (locs.made) {
          for (const r of locs.made.references) references.push(r);
          continue;
        }
        for (const r of made(locs.references)) references.push(r);
        for (const [path, kinds, ref, loc] of locs.aliased) {
          const range = valueRangeOf(loc);
          if (range) aliased.push({ kinds, id: ref, path, range });
        }
      }
    }
  } else {
    for (const [path, kinds, id] of referenceSlots(model)) {
      const range = source.valueRange(path);
      if (range) references.push({ kinds, id, path, range });
      else {
        const alias = valueRangeOf(aliasOnWay(source, path));
        if (alias) aliased.push({ kinds, id, path, range: alias });
      }
    }
  }
  return {
    definitions, references, aliased, byKind,
    lookup(id, kinds = Object.keys(SECTION_OF) as IdKind[]) {
      for (const k of kinds) {
        const d = byKind.get(k)?.get(id);
        if (d) return d;
      }
      return undefined;
    },
  };
}

/** Where an entry's key starts (its position: the entry's nodes move together). */
function keyStart(loc: EntryLocations): number | undefined {
  if (!loc.keyRange) {
    const d = loc.definition;
    loc.keyRange = (d?.pair?.key as { range?: number[] } | undefined)?.range ?? d?.node?.range ?? undefined;
  }
  return loc.keyRange?.[0];
}

/** The references of an entry's slots, at their nodes' current ranges. */
function made(slots: EntryLocations['references']): Reference[] {
  const out: Reference[] = [];
  for (const [path, kinds, id, loc] of slots) {
    const range = valueRangeOf(loc);
    if (range) out.push({ kinds, id, path, range });
  }
  return out;
}

/** The sections `referenceSlots` visits, in its order. */
const REFERENCE_ORDER: (keyof Model)[] = ['elements', 'boundaries', 'flows', 'threats', 'attack_trees'];

const TRUST_RANK: Record<Trust, number> = { untrusted: 0, partial: 1, trusted: 2 };
export const trustRank = (t: Trust | undefined) => (t === undefined ? 0 : TRUST_RANK[t]);

/** Graph lookups over a (validated) model. */
export class ModelGraph {
  readonly flowsFrom = new Map<string, [string, Flow][]>();
  readonly flowsTo = new Map<string, [string, Flow][]>();
  readonly threatsByTarget = new Map<string, string[]>();

  constructor(readonly model: Model) {
    for (const [id, f] of Object.entries(model.flows ?? {})) {
      push(this.flowsFrom, f.from, [id, f]);
      push(this.flowsTo, f.to, [id, f]);
    }
    for (const [id, t] of Object.entries(model.threats ?? {})) for (const target of t.targets ?? []) push(this.threatsByTarget, target, id);
  }

  element(id: string): Element | undefined { return this.model.elements?.[id]; }
  boundary(id: string | undefined): Boundary | undefined { return id ? this.model.boundaries?.[id] : undefined; }

  /** The element's boundary's trust; elements outside any boundary count as untrusted for externals, trusted otherwise. */
  trustOf(elementId: string): Trust | undefined {
    const e = this.element(elementId);
    if (!e) return undefined;
    return this.boundary(e.boundary)?.trust;
  }

  /** Boundary ids from the element's boundary up to the root (cycle-safe). */
  boundaryChain(boundaryId: string | undefined): string[] {
    const chain: string[] = [];
    let cur = boundaryId;
    while (cur && !chain.includes(cur) && this.model.boundaries?.[cur]) {
      chain.push(cur);
      cur = this.model.boundaries[cur].parent;
    }
    return chain;
  }

  /** Whether a flow crosses a trust boundary (its ends are in different boundaries). */
  crossesBoundary(flow: Flow): boolean {
    return (this.element(flow.from)?.boundary ?? '') !== (this.element(flow.to)?.boundary ?? '');
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
