/**
 * Which update of a drawn data-flow diagram only adds flows (#10): every node, boundary and other edge line of the
 * Mermaid text the same, at most a few edges new. The visual editor draws those at once on the current picture
 * (src/webview/provisional.ts) while Mermaid lays the new text out. Edge ids (`e7@`) are left out of the
 * comparison: a flow inserted early renumbers the ones after it.
 */

import { decodeMermaidText } from './encode';

/** An edge line of our Mermaid text: `  n3 e7@-->|"label"| n9` (the label is optional). */
const EDGE = /^ {2}([a-z]+\d+) e\d+@(<?-->|<?-\.->)(?:\|"([^"]*)"\|)? ([a-z]+\d+)$/;

export interface AddedEdge {
  from: string;
  to: string;
  dashed: boolean;
  /** A flow both ways (`<-->`): arrow heads at both ends. */
  both: boolean;
  /** The label's lines, as Mermaid shows them (`<br>` between lines, entities decoded). */
  label: string[];
}

/** At most this many new flows are drawn provisionally; more is a bigger change that waits for Mermaid. */
const MAX_ADDED = 3;

function split(text: string): { rest: string[]; edges: string[] } {
  const rest: string[] = [];
  const edges: string[] = [];
  for (const line of text.split('\n')) {
    if (EDGE.test(line)) edges.push(line.replace(/ e\d+@/, ' @'));
    else rest.push(line);
  }
  return { rest, edges };
}

function labelLines(raw: string | undefined): string[] {
  return raw ? decodeMermaidText(raw).split('\n').map(s => s.trim()).filter(Boolean).slice(0, 3) : [];
}

/**
 * The flows of `next` that `drawn` lacks, when that is the only difference (every other line the same, no flow
 * gone, at most `MAX_ADDED` new); undefined otherwise.
 */
export function addedEdges(drawn: string, next: string): AddedEdge[] | undefined {
  if (!drawn || drawn === next) return undefined;
  const a = split(drawn);
  const b = split(next);
  if (a.rest.length !== b.rest.length || a.rest.some((l, i) => l !== b.rest[i])) return undefined;
  const left = new Map<string, number>();
  for (const e of a.edges) left.set(e, (left.get(e) ?? 0) + 1);
  const added: string[] = [];
  for (const e of b.edges) {
    const n = left.get(e) ?? 0;
    if (n > 0) left.set(e, n - 1);
    else added.push(e);
  }
  if ([...left.values()].some(n => n > 0) || !added.length || added.length > MAX_ADDED) return undefined;
  return added.map(line => {
    const m = EDGE.exec(line.replace(' @', ' e0@'))!;
    return { from: m[1]!, to: m[4]!, dashed: m[2]!.includes('.'), both: m[2]!.startsWith('<'), label: labelLines(m[3]) };
  });
}
