/**
 * Maps model paths (['threats', 'token-replay', 'status']) to source ranges in the YAML text, through the
 * `yaml` Document's node ranges. Lookups in a map are cached per map node, so finding the range of every
 * entry of a 2,000-entry section stays linear.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Path, Range } from '../types';

export interface Located {
  node: Node | null;
  pair?: Pair;
}

/** Range of the key of a located entry (falls back to its value). */
export function keyRangeOf(loc: Located | undefined): Range | undefined {
  if (!loc) return undefined;
  const k = loc.pair?.key as Node | undefined;
  if (k?.range) return { start: k.range[0], end: k.range[1] };
  return valueRangeOf(loc);
}

/** Range of a located value, without trailing comments or blank lines (falls back to its key). */
export function valueRangeOf(loc: Located | undefined): Range | undefined {
  if (!loc) return undefined;
  if (loc.node?.range) return { start: loc.node.range[0], end: loc.node.range[1] };
  const k = loc.pair?.key as Node | undefined;
  if (k?.range) return { start: k.range[0], end: k.range[1] };
  return undefined;
}

export class SourceMap {
  private readonly mapCache = new WeakMap<object, Map<string, Pair>>();

  constructor(
    readonly doc: Document | undefined,
    readonly textLength: number,
  ) {}

  /** The node at `path`, with the pair that holds it when its parent is a map; undefined when absent. */
  locate(path: Path): Located | undefined {
    let node: unknown = this.doc?.contents ?? null;
    let pair: Pair | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        pair = this.pairsOf(node).get(String(seg));
        if (!pair) return undefined;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        pair = undefined;
        node = node.items[seg];
        if (node === undefined) return undefined;
      } else {
        return undefined;
      }
    }
    return { node: (node as Node) ?? null, pair };
  }

  private pairsOf(map: { items: unknown[] }): Map<string, Pair> {
    let m = this.mapCache.get(map);
    if (!m) {
      m = new Map();
      for (const item of map.items) {
        if (isPair(item)) {
          const k = isScalar(item.key) ? String(item.key.value) : undefined;
          if (k !== undefined && !m.has(k)) m.set(k, item);
        }
      }
      this.mapCache.set(map, m);
    }
    return m;
  }

  /** Range of the key of the entry at `path` (falls back to its value). */
  keyRange(path: Path): Range | undefined {
    return keyRangeOf(this.locate(path));
  }

  /** Range of the value at `path`, without trailing comments or blank lines. */
  valueRange(path: Path): Range | undefined {
    return valueRangeOf(this.locate(path));
  }

  /** Range of the whole entry (key and value). */
  entryRange(path: Path): Range | undefined {
    const loc = this.locate(path);
    if (!loc) return undefined;
    const k = loc.pair?.key as Node | undefined;
    const start = k?.range?.[0] ?? loc.node?.range?.[0];
    const end = loc.node?.range?.[1] ?? k?.range?.[1];
    return start === undefined || end === undefined ? undefined : { start, end };
  }

  /**
   * The best range to underline for a finding about `path`: the deepest existing ancestor's key (or value
   * for sequence items), so a finding about a missing field lands on its parent's key.
   */
  rangeFor(path: Path, prefer: 'key' | 'value' = 'key'): Range {
    for (let n = path.length; n >= 0; n--) {
      const p = path.slice(0, n);
      if (n === 0) break;
      const last = p[p.length - 1];
      const r = prefer === 'value' || typeof last === 'number' ? this.valueRange(p) : this.keyRange(p);
      if (r) return r;
    }
    const c = this.doc?.contents as Node | null | undefined;
    if (c?.range) return { start: c.range[0], end: Math.min(c.range[1], c.range[0] + 1) };
    return { start: 0, end: Math.min(1, this.textLength) };
  }
}
