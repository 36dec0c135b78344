/**
 * The graph Mermaid hands ELK, on its way to a layout engine elsewhere (the language server's ELK, a Web Worker)
 * and back: what to send (`layoutGraph`) and how the answer lands on Mermaid's own objects (`copyLayout`). Pure
 * code: the webview and the tests use it.
 */

/** ELK's JSON members (nodes, edges, ports, labels): what `layoutGraph` keeps of Mermaid's graph. */
const ELK_KEYS = ['id', 'layoutOptions', 'properties', 'children', 'edges', 'ports', 'labels', 'width', 'height', 'x', 'y', 'sources', 'targets', 'text'] as const;
const OPTION_KEYS = new Set(['layoutOptions', 'properties']);

/**
 * The members of Mermaid's graph that ELK reads, in the same order (so `copyLayout` can match the answer to
 * Mermaid's objects by position): Mermaid's own (CSS, shapes, its layout data) stay on the page. Labels keep
 * their text: ELK lays a label without text out differently (a different drawing, found by the webview test).
 * A 50-element graph: about 20 K characters of JSON instead of 112 K.
 */
export function layoutGraph(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(layoutGraph);
  if (!node || typeof node !== 'object') return node;
  const from = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ELK_KEYS) {
    const v = from[k];
    if (v === undefined) continue;
    out[k] = OPTION_KEYS.has(k) ? v : (k === 'sources' || k === 'targets' ? v : (typeof v === 'object' ? layoutGraph(v) : v));
  }
  return out;
}

/**
 * Copies a laid-out graph that came back from elsewhere (the language server, a worker) onto the graph Mermaid passed (positions, sizes, edge
 * sections), so Mermaid sees its own objects laid out, as with elkjs's in-page build. ELK keeps the order of
 * `children`, `edges`, `labels` and `ports`.
 */
export function copyLayout(into: unknown, from: unknown): void {
  if (!into || !from || typeof into !== 'object' || typeof from !== 'object' || into === from) return;
  if (Array.isArray(into) && Array.isArray(from)) {
    for (let i = 0; i < from.length; i++) {
      const f = from[i] as unknown;
      if (i < into.length && into[i] && typeof into[i] === 'object' && f && typeof f === 'object') copyLayout(into[i], f);
      else into[i] = f;
    }
    return;
  }
  const target = into as Record<string, unknown>;
  for (const [key, value] of Object.entries(from as Record<string, unknown>)) {
    if (key === '__proto__') continue;
    const held = target[key];
    if (held && typeof held === 'object' && value && typeof value === 'object') copyLayout(held, value);
    else target[key] = value;
  }
}

/**
 * Flows from which ELK looks for fewer crossings with 3 rounds of its layer sweeps (`elk.layered.thoroughness`)
 * instead of its default 7. Measured on Mermaid's own graphs of the example and generated models, with and
 * without nested boundaries (the sweep in issue #10's notes): over the 22 of 60 flows or more, 3 rounds took 25%
 * less time for 1% fewer crossings in all (11 pictures unchanged, 5 with fewer crossings, 6 with more); over the
 * 16 of 30 to 59 flows, 22% less time but 3% more crossings, so smaller graphs keep ELK's default.
 */
export const FEW_SWEEPS_FROM_EDGES = 60;
const FEW_SWEEPS_THOROUGHNESS = '3';
const THOROUGHNESS = 'elk.layered.thoroughness';

function edgeCount(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  const n = node as { edges?: unknown; children?: unknown };
  let count = Array.isArray(n.edges) ? n.edges.length : 0;
  if (Array.isArray(n.children)) for (const c of n.children) count += edgeCount(c);
  return count;
}

/**
 * Sets the root's sweeps for a graph of `FEW_SWEEPS_FROM_EDGES` flows or more, unless Mermaid or a tuning set
 * them already: wherever the graph is laid out (the language server, the page's worker, the page), the same
 * options, hence the same picture. True when it did.
 */
export function tuneForSize(graph: unknown): boolean {
  if (!graph || typeof graph !== 'object' || edgeCount(graph) < FEW_SWEEPS_FROM_EDGES) return false;
  const g = graph as { layoutOptions?: Record<string, unknown> };
  if (g.layoutOptions !== undefined && (typeof g.layoutOptions !== 'object' || g.layoutOptions === null)) return false;
  g.layoutOptions ??= {};
  if (THOROUGHNESS in g.layoutOptions || 'thoroughness' in g.layoutOptions) return false;
  g.layoutOptions[THOROUGHNESS] = FEW_SWEEPS_THOROUGHNESS;
  return true;
}
