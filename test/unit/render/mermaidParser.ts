/**
 * Mermaid's own parser, in Node, for the render tests. Mermaid sanitizes label text with DOMPurify, which
 * needs a DOM; for parsing (not drawing) a pass-through stand-in is enough, so DOMPurify is stubbed on the
 * shared module instance before Mermaid loads. What this checks: the text is valid Mermaid and what Mermaid
 * understood from it (vertices, edges, subgraphs, classes, click bindings, links). Drawing is checked in
 * Chromium by test/webview/webview.test.mjs.
 */
import assert from 'node:assert/strict';

export interface ParsedFlowchart {
  vertices: Map<string, { id: string; text: string; type?: string; classes: string[]; haveCallback?: boolean; link?: string }>;
  edges: { id?: string; start: string; end: string; type?: string; stroke?: string; text: string }[];
  subgraphs: { id: string; title: string; nodes: string[] }[];
  classes: Map<string, { styles: string[] }>;
  tooltips: number;
  config: unknown;
}

let mermaidPromise: Promise<any> | undefined;

async function loadMermaid(): Promise<any> {
  if (!mermaidPromise) {
    mermaidPromise = (async () => {
      const purify: any = (await import('dompurify')).default;
      purify.addHook ??= () => undefined;
      purify.sanitize ??= (s: string) => s;
      const mermaid = (await import('mermaid')).default;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', htmlLabels: false, flowchart: { htmlLabels: false } } as any);
      return mermaid;
    })();
  }
  return mermaidPromise;
}

/** Parses flowchart text with Mermaid; throws Mermaid's parse error when the text is invalid. */
export async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
  const mermaid = await loadMermaid();
  const r = await mermaid.parse(text);
  assert.ok(r, 'mermaid.parse accepted the text');
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = new Map<string, any>();
  for (const [k, v] of db.getVertices() as Map<string, any>) vertices.set(k, { id: k, text: v.text, type: v.type, classes: [...(v.classes ?? [])], haveCallback: v.haveCallback, link: v.link });
  return {
    vertices,
    edges: db.getEdges().map((e: any) => ({ id: e.id, start: e.start, end: e.end, type: e.type, stroke: e.stroke, text: e.text })),
    subgraphs: db.getSubGraphs().map((s: any) => ({ id: s.id, title: s.title, nodes: [...s.nodes] })),
    classes: db.getClasses(),
    tooltips: db.tooltips?.size ?? 0,
    config: r.config,
  };
}
