/**
 * The live loop of the data-flow diagram without Mermaid: colours applied to a drawn SVG (a status edit that
 * only recolours nodes never lays the diagram out again), and a cache of drawings keyed by the diagram's
 * structure (undo back to an earlier structure, or a webview shown again, draws without layout).
 *
 * The diagram text of the visual editor holds only the structure (`styles: 'separate'`); the colours arrive as
 * `DiagramStyles` and become classes (`rk-high`) on the SVG's nodes and edges. One stylesheet, built from the
 * same `CLASS_DEFS` the report writes into its Mermaid text, gives the classes their colours, so both agree.
 */
import { CLASS_DEFS, LINK_STYLES, STYLE_ORDER, type DiagramStyles } from '../core/render/mermaid';

const PREFIX = 'rk-';
/** The class a node or edge of `cls` (a `CLASS_DEFS` key) has in the drawing. */
export const riskClass = (cls: string) => `${PREFIX}${cls}`;
const SHAPE_PROPS = new Set(['fill', 'stroke', 'stroke-width', 'stroke-dasharray']);

const declarations = (def: string): [string, string][] =>
  def.split(',').map(d => d.split(':')).filter(p => p.length === 2).map(([k, v]) => [k.trim(), v.trim()]);
const block = (decls: [string, string][]) => decls.map(([k, v]) => `${k}: ${v} !important;`).join(' ');

/**
 * The CSS of the risk classes. `!important` beats the theme rules Mermaid scopes to the SVG's id; rules come in
 * `STYLE_ORDER`, so a group's dashes and stroke width win over its risk colour's, as in the Mermaid text.
 */
export function riskStyleSheet(): string {
  const rules: string[] = [];
  for (const cls of STYLE_ORDER) {
    const decls = declarations(CLASS_DEFS[cls]);
    const node = `g.node.${PREFIX}${cls}`;
    const shape = decls.filter(([k]) => SHAPE_PROPS.has(k));
    if (shape.length) rules.push(`${node} .label-container, ${node} .label-container path { ${block(shape)} }`);
    const text: [string, string][] = decls.filter(([k]) => k === 'color' || k === 'font-style').map(([k, v]) => [k === 'color' ? 'fill' : k, v]);
    if (text.length) rules.push(`${node} .label text, ${node} .label tspan { ${block(text)} }`);
    const whole = decls.filter(([k]) => k === 'opacity');
    if (whole.length) rules.push(`${node} { ${block(whole)} }`);
  }
  for (const [level, def] of Object.entries(LINK_STYLES)) rules.push(`path.flowchart-link.${PREFIX}${level} { ${block(declarations(def))} }`);
  return rules.join('\n');
}

let installed = false;
/** Adds the risk classes' stylesheet to the page once (a constructed sheet: no markup involved). */
export function installRiskStyles(): void {
  if (installed) return;
  installed = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(riskStyleSheet());
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Mermaid node element ids look like `<svgId>-flowchart-n3-12`. */
export function mermaidNodeId(g: Element): string | undefined {
  return /-flowchart-([a-z]+\d+)-\d+$/.exec(g.id)?.[1];
}

function setClasses(el: Element, wanted: readonly string[]): boolean {
  const now = Array.from(el.classList).filter(c => c.startsWith(PREFIX));
  const want = wanted.map(c => PREFIX + c);
  if (now.length === want.length && now.every((c, i) => c === want[i])) return false;
  el.classList.remove(...now);
  el.classList.add(...want);
  return true;
}

/** Gives the SVG's nodes and edges the classes of `styles`; returns how many changed. */
export function applyStyles(svg: Element, styles: DiagramStyles | undefined): number {
  let changed = 0;
  const nodes = styles?.nodes ?? {};
  const links = styles?.links ?? {};
  for (const g of Array.from(svg.querySelectorAll('g.node'))) {
    const mid = mermaidNodeId(g);
    const cls = mid && Object.prototype.hasOwnProperty.call(nodes, mid) ? nodes[mid] : [];
    if (setClasses(g, Array.isArray(cls) ? cls.filter(c => typeof c === 'string' && c in CLASS_DEFS) : [])) changed++;
  }
  for (const p of Array.from(svg.querySelectorAll('path.flowchart-link[data-id]'))) {
    const eid = p.getAttribute('data-id') ?? '';
    const level = Object.prototype.hasOwnProperty.call(links, eid) ? links[eid] : undefined;
    if (setClasses(p, typeof level === 'string' && level in LINK_STYLES ? [level] : [])) changed++;
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------------------
// Drawings by structure

/** A short key for a drawing: theme, layout engine and a hash of the Mermaid text (with its length). */
export function drawingKey(text: string, theme: string, layout: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
  }
  // `m:` marks drawings kept as Mermaid's markup (earlier pages kept a serialization of the cleaned element)
  return `m:${theme}/${layout}/${text.length}/${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

export interface KeptDrawing {
  key: string;
  svg: string;
}

/**
 * Drawings (sanitized SVG markup, before colours and selection) by key, most recent last. The webview state
 * keeps the last few small ones, so a webview shown again (VS Code reloads hidden webviews) draws at once.
 */
export class DrawingCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 8, private readonly maxChars = 4_000_000) {}

  get(key: string): string | undefined {
    const svg = this.entries.get(key);
    if (svg === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, svg);
    return svg;
  }

  set(key: string, svg: string): void {
    if (svg.length > this.maxChars) return;
    this.entries.delete(key);
    this.entries.set(key, svg);
    let total = 0;
    for (const v of this.entries.values()) total += v.length;
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && total <= this.maxChars) break;
      total -= this.entries.get(k)!.length;
      this.entries.delete(k);
    }
  }

  /** The most recent drawings that fit in `maxChars` together, oldest first (for the webview state). */
  recent(count: number, maxChars: number): KeptDrawing[] {
    const out: KeptDrawing[] = [];
    let total = 0;
    for (const [key, svg] of Array.from(this.entries).reverse()) {
      if (out.length >= count || total + svg.length > maxChars) break;
      total += svg.length;
      out.unshift({ key, svg });
    }
    return out;
  }

  /** Takes drawings from the webview state (anything malformed is ignored). */
  restore(kept: unknown): void {
    if (!Array.isArray(kept)) return;
    for (const k of kept.slice(-this.maxEntries)) {
      if (k && typeof k === 'object' && typeof k.key === 'string' && typeof k.svg === 'string' && k.key.length < 200) this.set(k.key, k.svg);
    }
  }
}
