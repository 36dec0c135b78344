/**
 * Sections the copy shares with Mermaid's configuration instead of copying: `getConfig()` is called 643 times
 * in a 50-element drawing, and each copied 1,735 keys. Shared:
 * - the sections of the diagram types the webview never draws (only `flowDiagram` is bundled:
 *   scripts/mermaidFlowchartOnly.mjs), which nothing on the flowchart path reads: about 1,000 keys;
 * - `themeVariables` (603 keys), which the flowchart path only reads (destructured from `getConfig()`); Mermaid
 *   writes theme variables only into the options of `initialize` and the directives, never into a copy.
 * A diagram type missing here is copied, as before; so are `flowchart` (Mermaid's flowchart `init` writes to
 * it) and `elk`.
 */
export const SHARED_SECTIONS: ReadonlySet<string> = new Set([
  'themeVariables',
  'agentflow', 'architecture', 'block', 'c4', 'class', 'cynefin', 'er', 'eventmodeling', 'gantt', 'gitGraph', 'ishikawa',
  'journey', 'kanban', 'mindmap', 'packet', 'pie', 'quadrantChart', 'radar', 'railroad', 'requirement', 'sankey',
  'sequence', 'state', 'swimlane', 'timeline', 'treemap', 'treeView', 'usecase', 'venn', 'wardley-beta', 'xyChart',
]);

/**
 * Mermaid's `getConfig()` as it copies, without its cost (issue #10). Mermaid calls `getConfig()` hundreds of
 * times while drawing one flowchart (per node, label and edge), and each call copies its whole configuration
 * (about a thousand keys: every diagram type's defaults, the theme's variables) with `assignWithDepth`, which
 * defines every key with `Object.defineProperty`: a quarter of the time of a 50-element drawing. The build
 * (scripts/mermaidFlowchartOnly.mjs) makes `getConfig` call this function instead, which returns the same copy:
 * the first two levels fresh (arrays copied without duplicates, nulls left out), the third a shallow copy, as
 * `assignWithDepth({}, config)` does, except for the `SHARED_SECTIONS`, which it shares. test/unit/build.test.ts
 * compares the two on Mermaid's own function.
 */
export function copyConfig<T>(dst: T, src: unknown, depth = 2): T {
  if (Array.isArray(src)) {
    const out = dst as unknown as unknown[];
    for (const s of src) if (!out.includes(s)) out.push(s);
    return dst;
  }
  if (src === null || typeof src !== 'object') return dst;
  if (depth <= 0) return Object.assign(dst as object, src) as T;
  const out = dst as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    const v = (src as Record<string, unknown>)[key];
    let value: unknown;
    if (typeof v === 'object') {
      if (v === null) continue;
      value = depth === 2 && SHARED_SECTIONS.has(key) ? v : copyConfig(Array.isArray(v) ? [] : {}, v, depth - 1);
    } else value = v;
    // an own property even for `__proto__`, as Object.defineProperty makes it
    if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    else out[key] = value;
  }
  return dst;
}
