/**
 * Mermaid in the webview: one serialized render queue (Mermaid is not re-entrant), strict security, SVG text
 * labels only, the theme from VS Code's body class, and a defensive import of the SVG (parsed with DOMParser,
 * scripts, foreign objects, event attributes and external links dropped, entities in text decoded as text).
 * Also the pan & zoom of the data-flow diagram.
 */
import mermaid from 'mermaid';
import DOMPurify from 'dompurify';
import { withMeasureCache } from './measureCache';

export type MermaidTheme = 'dark' | 'default' | 'neutral';
export type Layout = 'dagre' | 'elk';

/** The Mermaid theme for VS Code's body class (vscode-light, vscode-dark, vscode-high-contrast[-light]). */
export function themeFromBody(body: HTMLElement = document.body): MermaidTheme {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'neutral';
  if (c.contains('vscode-high-contrast') || c.contains('vscode-dark')) return 'dark';
  return 'default';
}

export interface RenderResult {
  svg?: SVGSVGElement;
  /** Mermaid's markup of `svg`, which the layout cache keeps (`svgFromMarkup` makes it an element again). */
  markup?: string;
  error?: string;
  ms: number;
}

let queue: Promise<unknown> = Promise.resolve();
let counter = 0;
/**
 * Per page, so a drawing kept from an earlier page (the layout cache) never shares an id with a new one: the
 * ids scope the `<style>` inside each SVG.
 */
const PAGE = Array.from(crypto.getRandomValues(new Uint8Array(4)), b => b.toString(36)).join('');

function fontFamily(): string {
  const f = getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim();
  return f || 'system-ui, -apple-system, "Segoe UI", sans-serif';
}

/** Renders Mermaid text to a detached, sanitized SVG element (never throws). */
/** Layout settings beyond the engine (ELK's strategies, Mermaid's look), as Mermaid's config spells them. */
export interface LayoutTuning {
  elk?: Record<string, string | boolean>;
  look?: string;
}

/**
 * Past this many edges ELK's line hops (small arcs where two edges cross) are left out: Mermaid finds the
 * crossings by comparing every edge with every other, 80 ms of a 178-edge drawing, and a diagram that dense is
 * read by its boxes rather than by its crossings.
 */
export const LINE_HOPS_MAX_EDGES = 120;

type RenderOptions = { theme: MermaidTheme; layout?: Layout; tuning?: LayoutTuning; edges?: number };

let configured = '';

/**
 * Mermaid's settings for a drawing. Mermaid works out its theme's 200 colours on each `initialize` (30 ms the
 * first time, while its code compiles): the same settings again are not given again (each drawing starts from
 * them: Mermaid resets its configuration to them before it reads the text).
 */
function configure(opts: RenderOptions): void {
  const font = fontFamily();
  const config = {
    startOnLoad: false,
    securityLevel: 'strict',
    htmlLabels: false,
    // Labels arrive wrapped at spaces (encode.ts, ~22 characters a line); a wrapping width above such a
    // line keeps Mermaid from wrapping again, which for SVG text cuts words anywhere.
    flowchart: { htmlLabels: false, useMaxWidth: false, padding: 12, wrappingWidth: 260 },
    theme: opts.theme,
    layout: opts.layout ?? 'dagre',
    // Mermaid's straightening of the last bend next to a node compares every edge with every other
    // (O(edges^2 x bends^2)): 75 ms of a 64-edge drawing, for jogs of a few pixels (bench-layout --shots).
    elk: { straightenEdges: false, ...((opts.edges ?? 0) > LINE_HOPS_MAX_EDGES ? { lineHops: false } : {}), ...opts.tuning?.elk },
    ...(opts.tuning?.look ? { look: opts.tuning.look } : {}),
    fontFamily: font,
    themeVariables: { fontFamily: font, fontSize: '14px' },
    maxTextSize: 50_000,
    maxEdges: 500,
    deterministicIds: false,
    suppressErrorRendering: true,
  } as Parameters<typeof mermaid.initialize>[0];
  const key = JSON.stringify(config);
  if (key === configured) return;
  mermaid.initialize(config);
  configured = key;
}

export function renderMermaid(text: string, opts: RenderOptions): Promise<RenderResult> {
  const run = async (): Promise<RenderResult> => {
    const t0 = performance.now();
    const id = `rampart-${PAGE}-m${++counter}`;
    try {
      configure(opts);
      const { svg: markup } = await withMeasureCache(() => mermaid.render(id, text));
      const r = svgFromMarkup(markup);
      return typeof r === 'string' ? { error: r, ms: performance.now() - t0 } : { svg: r, markup, ms: performance.now() - t0 };
    } catch (e) {
      return { error: e instanceof Error ? e.message.split('\n')[0] : String(e), ms: performance.now() - t0 };
    } finally {
      // Mermaid leaves its scratch container behind when it fails.
      document.getElementById(`d${id}`)?.remove();
      document.getElementById(id)?.remove();
    }
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/**
 * Mermaid's own DOMPurify settings for `securityLevel: 'strict'` (mermaid.core's render: the build checks they
 * are still these, scripts/mermaidFlowchartOnly.mjs `STRICT_PURIFY`), applied to the parsed drawing in place.
 * Mermaid's pass over its markup is taken out of the build: the markup is parsed once, as XML, never as HTML,
 * and never written out again.
 */
const MERMAID_STRICT_PURIFY = { ADD_TAGS: ['foreignobject'], ADD_ATTR: ['dominant-baseline'], HTML_INTEGRATION_POINTS: { foreignobject: true }, IN_PLACE: true };

/**
 * Mermaid's markup as an element of this page: parsed as XML, never as HTML, moved into the page, cleaned by
 * DOMPurify with Mermaid's strict settings and by `sanitizeSvg`, and its text entities decoded. A fresh drawing
 * and one from the layout cache (which keeps Mermaid's markup, not a serialization of the element: that would
 * cost a walk of the whole picture per drawing), the page's state or the extension go through here alike. A
 * string says why there is no picture.
 */
export function svgFromMarkup(markup: string): SVGSVGElement | string {
  if (typeof markup !== 'string' || !markup.startsWith('<svg')) return 'Mermaid produced an unreadable picture.';
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) return 'Mermaid produced an unreadable picture.';
  if (root.getAttribute('aria-roledescription') === 'error' || /Syntax error in text|Maximum text size/i.test(root.textContent ?? '')) {
    return 'Mermaid could not draw this diagram.';
  }
  // moved into this page, not copied (a copy of a 50-element drawing's 1,200 elements: 2.6 ms warm, 0.2 moved)
  const el = document.adoptNode(root) as unknown as SVGSVGElement;
  DOMPurify.sanitize(el, MERMAID_STRICT_PURIFY);
  sanitizeSvg(el);
  decodeSvgEntities(el);
  return el;
}

/** A drawing kept as markup (the layout cache) as an element again; undefined when it is not a usable picture. */
export function importSvg(markup: string): SVGSVGElement | undefined {
  const r = svgFromMarkup(markup);
  return typeof r === 'string' ? undefined : r;
}

/** Drops anything active from an SVG: scripts, foreign objects, event attributes, non-fragment links. */
export function sanitizeSvg(root: Element): void {
  for (const el of Array.from(root.querySelectorAll('script, foreignObject, iframe, object, embed, a'))) {
    if (el.tagName.toLowerCase() === 'a') el.replaceWith(...Array.from(el.childNodes));
    else el.remove();
  }
  for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) el.removeAttribute(attr.name);
      else if ((name === 'href' || name === 'xlink:href') && !attr.value.startsWith('#')) el.removeAttribute(attr.name);
    }
  }
}

const ENTITY = /&#(\d{1,7});|&(quot|amp|lt|gt|apos);/g;
const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

function entityChar(m: RegExpExecArray): string {
  if (m[2]) return NAMED[m[2]];
  const cp = Number(m[1]);
  return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
}

/**
 * Mermaid writes `#NNN;` entities into SVG text as `&#NNN;` (it only decodes them for HTML labels), and when
 * it wraps a long word it may cut an entity across two lines (`<tspan>`s). Decode per `<text>` element over
 * the concatenation of its text nodes, as text (Text.data), never as markup.
 */
export function decodeSvgEntities(root: Element): void {
  for (const text of Array.from(root.querySelectorAll('text'))) {
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
    const full = nodes.map(n => n.data).join('');
    if (!full.includes('&')) continue;
    const offsets: number[] = [];
    let acc = 0;
    for (const n of nodes) {
      offsets.push(acc);
      acc += n.data.length;
    }
    const nodeAt = (pos: number) => {
      let i = 0;
      while (i + 1 < nodes.length && offsets[i + 1] <= pos) i++;
      return i;
    };
    const matches: RegExpExecArray[] = [];
    ENTITY.lastIndex = 0;
    for (let m = ENTITY.exec(full); m; m = ENTITY.exec(full)) matches.push(m);
    // Last to first, so the offsets of earlier matches stay valid.
    for (const m of matches.reverse()) {
      const s = m.index;
      const e = s + m[0].length;
      const i = nodeAt(s);
      const j = nodeAt(e - 1);
      const c = entityChar(m);
      if (i === j) {
        const d = nodes[i].data;
        nodes[i].data = d.slice(0, s - offsets[i]) + c + d.slice(e - offsets[i]);
      } else {
        nodes[i].data = nodes[i].data.slice(0, s - offsets[i]) + c;
        for (let k = i + 1; k < j; k++) nodes[k].data = '';
        nodes[j].data = nodes[j].data.slice(e - offsets[j]);
      }
    }
  }
}

/** The size of a rendered Mermaid SVG, from its viewBox. */
export function svgSize(svg: SVGSVGElement): { w: number; h: number } {
  const vb = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb.every(Number.isFinite)) return { w: vb[2], h: vb[3] };
  return { w: Number(svg.getAttribute('width')) || 800, h: Number(svg.getAttribute('height')) || 600 };
}

/** Gives an SVG its natural pixel size (Mermaid sets width 100% and a max-width style). */
export function fixSvgSize(svg: SVGSVGElement): { w: number; h: number } {
  const s = svgSize(svg);
  svg.removeAttribute('style');
  svg.setAttribute('width', String(s.w));
  svg.setAttribute('height', String(s.h));
  return s;
}

export interface ZoomState { x: number; y: number; k: number }

/** Wheel zoom around the pointer, drag to pan, fit; reports changes so the state survives reloads. */
export class PanZoom {
  x = 0;
  y = 0;
  k = 1;
  private size = { w: 1, h: 1 };
  private drag: { px: number; py: number; x: number; y: number; id: number } | undefined;
  /** True right after a drag, so the click that ends it does not select anything. */
  moved = false;

  constructor(private readonly viewport: HTMLElement, private readonly canvas: HTMLElement, private readonly onChange: (s: ZoomState) => void) {
    viewport.addEventListener('wheel', e => {
      e.preventDefault();
      const r = viewport.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
      this.zoomAt(factor, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    viewport.addEventListener('pointerdown', e => {
      if (e.button !== 0) return;
      this.drag = { px: e.clientX, py: e.clientY, x: this.x, y: this.y, id: e.pointerId };
      this.moved = false;
    });
    viewport.addEventListener('pointermove', e => {
      if (!this.drag || e.pointerId !== this.drag.id) return;
      const dx = e.clientX - this.drag.px;
      const dy = e.clientY - this.drag.py;
      if (!this.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!this.moved) {
        this.moved = true;
        viewport.setPointerCapture(e.pointerId);
        viewport.classList.add('dragging');
      }
      this.x = this.drag.x + dx;
      this.y = this.drag.y + dy;
      this.apply();
    });
    const end = (e: PointerEvent) => {
      if (!this.drag || e.pointerId !== this.drag.id) return;
      this.drag = undefined;
      viewport.classList.remove('dragging');
      if (this.moved) this.changed();
    };
    viewport.addEventListener('pointerup', end);
    viewport.addEventListener('pointercancel', end);
    // Swallow the click that ends a drag (capture phase, before the diagram's click handler).
    viewport.addEventListener('click', e => {
      if (this.moved) {
        e.stopPropagation();
        e.preventDefault();
        this.moved = false;
      }
    }, true);
  }

  setContentSize(w: number, h: number): void {
    this.size = { w: Math.max(1, w), h: Math.max(1, h) };
  }

  set(s: ZoomState): void {
    if (![s.x, s.y, s.k].every(Number.isFinite) || s.k <= 0) return;
    this.x = s.x;
    this.y = s.y;
    this.k = Math.min(8, Math.max(0.05, s.k));
    this.apply();
  }

  /** The scale at which the whole content fits the viewport (never above 1.25x). */
  fitScale(): number {
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 500;
    return Math.min(1.25, (vw - 24) / this.size.w, (vh - 24) / this.size.h);
  }

  /** Scales the content to fit the viewport and centres it; `save` false for views the user did not ask for. */
  fit(save = true): void {
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 500;
    this.k = Math.max(0.05, this.fitScale());
    this.x = (vw - this.size.w * this.k) / 2;
    this.y = (vh - this.size.h * this.k) / 2;
    this.apply();
    if (save) this.changed();
  }

  /**
   * The first view, not saved (so a reload computes it again for the panel's size then): the whole content
   * when it fits at `legible` scale or more; otherwise `detail` scale centred on `focus` (content pixels),
   * without showing empty space past the content's edges. Returns true when the whole content is visible.
   */
  initial(legible: number, detail: number, focus?: { x: number; y: number }): boolean {
    if (this.fitScale() >= legible) {
      this.fit(false);
      return true;
    }
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 500;
    const k = detail;
    const place = (view: number, size: number, at: number) => {
      if (size * k <= view - 24) return (view - size * k) / 2;
      const want = view / 2 - at * k;
      return Math.min(12, Math.max(view - 12 - size * k, want));
    };
    this.k = k;
    this.x = place(vw, this.size.w, focus?.x ?? this.size.w / 2);
    this.y = place(vh, this.size.h, focus?.y ?? this.size.h / 2);
    this.apply();
    return false;
  }

  zoomAt(factor: number, cx: number, cy: number): void {
    const k = Math.min(8, Math.max(0.05, this.k * factor));
    this.x = cx - ((cx - this.x) * k) / this.k;
    this.y = cy - ((cy - this.y) * k) / this.k;
    this.k = k;
    this.apply();
    this.changed();
  }

  zoomCenter(factor: number): void {
    this.zoomAt(factor, (this.viewport.clientWidth || 800) / 2, (this.viewport.clientHeight || 500) / 2);
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.apply();
    this.changed();
  }

  /** Pans so that a point of the content (in content pixels) is in the middle, if it is not visible. */
  reveal(cx: number, cy: number): void {
    const vw = this.viewport.clientWidth;
    const vh = this.viewport.clientHeight;
    const sx = this.x + cx * this.k;
    const sy = this.y + cy * this.k;
    if (sx > 20 && sx < vw - 20 && sy > 20 && sy < vh - 20) return;
    this.x = vw / 2 - cx * this.k;
    this.y = vh / 2 - cy * this.k;
    this.apply();
    this.changed();
  }

  private apply(): void {
    this.canvas.style.transform = `translate(${this.x}px, ${this.y}px) scale(${this.k})`;
  }

  private changed(): void {
    this.onChange({ x: this.x, y: this.y, k: this.k });
  }
}
