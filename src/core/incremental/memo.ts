/**
 * A memo for rule computations across successive analyses of one document (the design rules' detection): a
 * computation runs on a context that records which parts of the model it reads (top-level sections, graph
 * lookups); its result is reused while none of them changed. Anything else it reads (assessments, index,
 * source ranges, settings, ...) makes it run every time. Results must not hold ranges (they would move).
 *
 * A section is unchanged when it holds the same ids in the same order with the very same entry objects: the
 * incremental analyzer reuses an entry's plain data as long as its text is unchanged.
 */
import type { Model } from '../model/schema';
import type { RuleContext } from '../rules/types';

const ALL = '*';
/** What each graph member is computed from. */
const GRAPH_DEPS: Record<string, string[]> = {
  flowsFrom: ['flows', 'elements'], flowsTo: ['flows', 'elements'], threatsByTarget: ['threats'],
  element: ['elements'], boundary: ['boundaries'], trustOf: ['elements', 'boundaries'], boundaryChain: ['boundaries'], crossesBoundary: ['elements'],
};

interface Entry {
  deps: Set<string>;
  result: unknown;
}

/** Top-level keys whose content differs between two models (ALL when the key sets or their order differ). */
export function changedKeys(prev: Model | undefined, next: Model): Set<string> {
  const out = new Set<string>();
  if (!prev) return new Set([ALL]);
  const a = prev as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) out.add(ALL);
  for (const k of new Set([...ka, ...kb])) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y) && Object.getPrototypeOf(x) === Object.prototype && Object.getPrototypeOf(y) === Object.prototype) {
      const ox = x as Record<string, unknown>;
      const oy = y as Record<string, unknown>;
      const ix = Object.keys(ox);
      const iy = Object.keys(oy);
      if (ix.length === iy.length && ix.every((id, i) => id === iy[i] && ox[id] === oy[id])) continue;
    }
    out.add(k);
  }
  return out;
}

export class RuleMemo {
  private entries = new Map<string, Entry>();
  private changed = new Set<string>([ALL]);
  private prevModel: Model | undefined;
  /** Keys asked for since the last `next`: `changed` only says what changed since then. */
  private used = new Set<string>();

  /** Call before each analysis with its model. */
  next(model: Model): void {
    this.changed = changedKeys(this.prevModel, model);
    this.prevModel = model;
    if (this.changed.has(ALL)) this.entries.clear();
    // An entry not asked for in the last analysis (a rule disabled then, another library's rule) may have missed a
    // change: it is computed afresh when asked for again.
    for (const key of this.entries.keys()) if (!this.used.has(key)) this.entries.delete(key);
    this.used = new Set();
  }

  clear(): void {
    this.entries.clear();
    this.used = new Set();
    this.prevModel = undefined;
    this.changed = new Set([ALL]);
  }

  /** The `memo` of a RuleContext. */
  readonly memo = <T>(key: string, ctx: RuleContext, compute: (c: RuleContext) => T): T => {
    this.used.add(key);
    const hit = this.entries.get(key);
    if (hit && ![...hit.deps].some(d => this.changed.has(d) || d === ALL)) return hit.result as T;
    const deps = new Set<string>();
    const result = compute(tracking(ctx, deps));
    this.entries.set(key, { deps, result });
    return result;
  };
}

/** A context that records in `deps` what is read from it. */
function tracking(ctx: RuleContext, deps: Set<string>): RuleContext {
  const model = new Proxy(ctx.model, {
    get(t, p, r) { deps.add(typeof p === 'string' ? p : ALL); return Reflect.get(t, p, r); },
    has(t, p) { deps.add(ALL); return Reflect.has(t, p); },
    ownKeys(t) { deps.add(ALL); return Reflect.ownKeys(t); },
    getOwnPropertyDescriptor(t, p) { deps.add(typeof p === 'string' ? p : ALL); return Reflect.getOwnPropertyDescriptor(t, p); },
  });
  const graph = new Proxy(ctx.graph, {
    get(t, p) {
      const d = typeof p === 'string' ? GRAPH_DEPS[p] : undefined;
      if (d) for (const x of d) deps.add(x); else deps.add(ALL);
      const v = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return new Proxy(ctx, {
    get(t, p) {
      if (p === 'model') return model;
      if (p === 'graph') return graph;
      if (p === 'memo') return undefined;
      deps.add(ALL);
      return Reflect.get(t, p, t);
    },
  });
}
