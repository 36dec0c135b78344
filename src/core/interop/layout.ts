/**
 * A simple, deterministic diagram layout for exports to tools that store coordinates (Threat Dragon): every
 * boundary becomes a box around its elements and nested boxes, and boxes and elements are packed in rows so
 * that nothing overlaps. Rampart files keep no coordinates; this is computed on every export.
 */
import { effectiveParents } from '../render/mermaid';
import type { ElementType, Model } from '../model/schema';

export interface Rect { x: number; y: number; width: number; height: number }

export interface Layout {
  elements: Map<string, Rect>;
  boundaries: Map<string, Rect>;
  /** Each boundary's depth (0 = top level), for drawing order. */
  depth: Map<string, number>;
  width: number;
  height: number;
}

const GAP_X = 90;
const GAP_Y = 90;
const PAD = 30;
const HEADER = 40;
const MAX_ROW = 1100;
const MARGIN = 40;

/** The drawn size of an element: actors and stores are rectangles, processes circles (a square box). */
export function elementSize(type: ElementType, name: string): { width: number; height: number } {
  const chars = Math.min(name.length, 60);
  if (type === 'process') {
    const side = Math.max(100, Math.min(180, Math.round(chars * 4.5 + 40)));
    return { width: side, height: side };
  }
  return { width: Math.max(160, Math.min(280, chars * 8 + 24)), height: 80 };
}

interface Block { width: number; height: number; place(x: number, y: number): void }

export function layoutModel(model: Model): Layout {
  const elements = model.elements ?? {};
  const boundaries = model.boundaries ?? {};
  const parents = effectiveParents(model.boundaries ?? {});
  const result: Layout = { elements: new Map(), boundaries: new Map(), depth: new Map(), width: 0, height: 0 };

  // Children of each boundary (undefined: the top level), grouped in one pass, in model order.
  const boundaryChildren = new Map<string | undefined, string[]>();
  const elementChildren = new Map<string | undefined, string[]>();
  const push = (map: Map<string | undefined, string[]>, key: string | undefined, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  for (const b of Object.keys(boundaries)) push(boundaryChildren, parents.get(b), b);
  for (const [e, element] of Object.entries(elements)) {
    const b = element.boundary;
    push(elementChildren, b !== undefined && Object.hasOwn(boundaries, b) ? b : undefined, e);
  }
  const childBoundaries = (parent: string | undefined) => boundaryChildren.get(parent) ?? [];
  const childElements = (parent: string | undefined) => elementChildren.get(parent) ?? [];

  const elementBlock = (id: string): Block => {
    const size = elementSize(elements[id].type, elements[id].name);
    return { ...size, place: (x, y) => result.elements.set(id, { x, y, ...size }) };
  };

  /** Packs blocks in rows no wider than MAX_ROW (or the widest block); returns the block of the whole. */
  const pack = (blocks: Block[]): Block => {
    const rows: { blocks: Block[]; width: number; height: number }[] = [];
    for (const blk of blocks) {
      const row = rows[rows.length - 1];
      if (row && row.width + GAP_X + blk.width <= MAX_ROW) {
        row.blocks.push(blk);
        row.width += GAP_X + blk.width;
        row.height = Math.max(row.height, blk.height);
      } else rows.push({ blocks: [blk], width: blk.width, height: blk.height });
    }
    const width = rows.reduce((w, r) => Math.max(w, r.width), 0);
    const height = rows.reduce((h, r, i) => h + r.height + (i > 0 ? GAP_Y : 0), 0);
    return {
      width,
      height,
      place(x, y) {
        let cy = y;
        for (const row of rows) {
          let cx = x;
          for (const blk of row.blocks) {
            blk.place(cx, cy + Math.round((row.height - blk.height) / 2));
            cx += blk.width + GAP_X;
          }
          cy += row.height + GAP_Y;
        }
      },
    };
  };

  const boundaryBlock = (id: string, depth: number): Block => {
    result.depth.set(id, depth);
    const inner = pack([...childElements(id).map(elementBlock), ...childBoundaries(id).map(b => boundaryBlock(b, depth + 1))]);
    const labelWidth = Math.min(400, boundaries[id].name.length * 8 + 2 * PAD);
    const width = Math.max(inner.width + 2 * PAD, labelWidth, 160);
    const height = Math.max(inner.height + HEADER + PAD, 100);
    return {
      width,
      height,
      place(x, y) {
        result.boundaries.set(id, { x, y, width, height });
        inner.place(x + PAD, y + HEADER);
      },
    };
  };

  const top = pack([...childElements(undefined).map(elementBlock), ...childBoundaries(undefined).map(b => boundaryBlock(b, 0))]);
  top.place(MARGIN, MARGIN);
  result.width = top.width + 2 * MARGIN;
  result.height = top.height + 2 * MARGIN;
  return result;
}
