/**
 * A new flow shown at once (#10). Adding a flow changes the diagram's structure, so Mermaid lays the whole diagram
 * out again, which takes as long as the first drawing. While it does, the flows that were only added (every node,
 * boundary and other flow unchanged) are drawn on the current picture as provisional arrows: straight from box
 * to box, dashed when not encrypted (as in the legend), with the flow's label. Mermaid's drawing replaces them when it is ready.
 *
 * Everything is built with DOM calls (`createElementNS`, `textContent`): labels from the model are never markup.
 */
import type { AddedEdge } from '../core/render/addedEdges';

export { addedEdges, type AddedEdge } from '../core/render/addedEdges';

const SVG_NS = 'http://www.w3.org/2000/svg';

interface Box { x: number; y: number; w: number; h: number }

/** A node's box in the SVG's own coordinates. */
function boxOf(svg: SVGSVGElement, g: SVGGraphicsElement): Box | undefined {
  const own = svg.getScreenCTM();
  const its = g.getScreenCTM();
  if (!own || !its) return undefined;
  const m = own.inverse().multiply(its);
  const b = g.getBBox();
  const p1 = new DOMPoint(b.x, b.y).matrixTransform(m);
  const p2 = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);
  return { x: Math.min(p1.x, p2.x), y: Math.min(p1.y, p2.y), w: Math.abs(p2.x - p1.x), h: Math.abs(p2.y - p1.y) };
}

/** Where the segment from the box's centre towards (tx, ty) leaves the box. */
function exitPoint(b: Box, tx: number, ty: number): { x: number; y: number } {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (!dx && !dy) return { x: cx, y: cy };
  const s = Math.min(dx ? (b.w / 2) / Math.abs(dx) : Infinity, dy ? (b.h / 2) / Math.abs(dy) : Infinity);
  return { x: cx + dx * s, y: cy + dy * s };
}

/** The drawn node groups by Mermaid node id (`n3`). */
function nodesById(svg: SVGSVGElement, idOf: (g: Element) => string | undefined): Map<string, SVGGraphicsElement> {
  const out = new Map<string, SVGGraphicsElement>();
  for (const g of Array.from(svg.querySelectorAll('g.node'))) {
    const id = idOf(g);
    if (id && !out.has(id)) out.set(id, g as SVGGraphicsElement);
  }
  return out;
}

/**
 * Draws `edges` on the drawn `svg` as provisional arrows (class `provisional-flow`); returns how many were drawn
 * (an edge whose ends are not both drawn is skipped).
 */
export function drawProvisional(svg: SVGSVGElement, edges: readonly AddedEdge[], idOf: (g: Element) => string | undefined): number {
  const nodes = nodesById(svg, idOf);
  const marker = svg.querySelector('marker[id$="pointEnd"]')?.id;
  svg.querySelector(':scope > g.provisional-flows')?.remove();
  const layer = document.createElementNS(SVG_NS, 'g');
  layer.setAttribute('class', 'provisional-flows');
  let drawn = 0;
  for (const e of edges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) continue;
    const ba = boxOf(svg, a);
    const bb = boxOf(svg, b);
    if (!ba || !bb) continue;
    const start = exitPoint(ba, bb.x + bb.w / 2, bb.y + bb.h / 2);
    const end = exitPoint(bb, ba.x + ba.w / 2, ba.y + ba.h / 2);
    const g = document.createElementNS(SVG_NS, 'g');
    g.setAttribute('class', `provisional-flow${e.dashed ? ' unencrypted' : ''}`);
    g.setAttribute('data-from', e.from);
    g.setAttribute('data-to', e.to);
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', `M${start.x.toFixed(1)},${start.y.toFixed(1)} L${end.x.toFixed(1)},${end.y.toFixed(1)}`);
    if (marker) path.setAttribute('marker-end', `url(#${marker})`);
    const startMarker = e.both ? svg.querySelector('marker[id$="pointStart"]')?.id : undefined;
    if (startMarker) path.setAttribute('marker-start', `url(#${startMarker})`);
    g.appendChild(path);
    if (e.label.length) {
      const text = document.createElementNS(SVG_NS, 'text');
      text.setAttribute('x', ((start.x + end.x) / 2).toFixed(1));
      text.setAttribute('y', ((start.y + end.y) / 2 - 6 - 14 * (e.label.length - 1)).toFixed(1));
      text.setAttribute('text-anchor', 'middle');
      e.label.forEach((line, i) => {
        const span = document.createElementNS(SVG_NS, 'tspan');
        span.setAttribute('x', ((start.x + end.x) / 2).toFixed(1));
        if (i) span.setAttribute('dy', '14');
        span.textContent = line;
        text.appendChild(span);
      });
      g.appendChild(text);
    }
    layer.appendChild(g);
    drawn++;
  }
  if (drawn) svg.appendChild(layer); // one change of the picture
  return drawn;
}
