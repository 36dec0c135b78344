/**
 * Mermaid measures every label it draws with `getBBox()`, one element at a time between insertions: each call
 * makes the browser lay the growing drawing out again (an edge label's background box, a node's box after its
 * shape is drawn). A drawing after an edit measures the same labels as the one before, and within one drawing
 * most flow labels repeat ("🔒 https"). While Mermaid draws, a box is taken from what decides it when that was
 * measured before: the element's markup (ids aside), the classes and styles of its ancestors up to its `<svg>`,
 * that drawing's style sheet (its id aside), the font the `<svg>` computes and the device pixel ratio. Anything
 * else is measured as before. Fonts that finish loading empty the cache.
 */

/** What the Chromium test and the benchmark read. */
export const measureStatus = { hits: 0, misses: 0 };

const MAX_ENTRIES = 4000;
const MAX_DESCENDANTS = 60;
const boxes = new Map<string, [number, number, number, number]>();
const contexts = new WeakMap<SVGSVGElement, string>();

const FONT_PROPERTIES = ['font-family', 'font-size', 'font-weight', 'font-style', 'font-stretch', 'font-variant', 'font-kerning', 'font-feature-settings', 'font-variation-settings', 'letter-spacing', 'word-spacing', 'text-rendering', 'writing-mode', 'direction'];

/** The part of a key shared by every element of one drawing. */
function contextOf(svg: SVGSVGElement): string {
  let c = contexts.get(svg);
  if (c === undefined) {
    const sheet = Array.from(svg.querySelectorAll(':scope > style'), s => s.textContent ?? '').join('\n');
    const style = getComputedStyle(svg);
    const font = FONT_PROPERTIES.map(p => style.getPropertyValue(p)).join(';');
    c = `${window.devicePixelRatio}|${font}|${svg.id ? sheet.split(svg.id).join('#') : sheet}`;
    contexts.set(svg, c);
  }
  return c;
}

const ID_ATTRIBUTE = / id="[^"]*"/g;

/** The key of `el`'s box, or undefined when it is not in a drawing in the page (then it is measured). */
function keyOf(el: SVGGraphicsElement): string | undefined {
  const svg = el.ownerSVGElement;
  // a label or a node, not a whole drawing (whose markup would cost more than its layout)
  if (!svg || !el.isConnected || el.getElementsByTagName('*').length > MAX_DESCENDANTS) return undefined;
  let chain = '';
  for (let p: Element | null = el.parentElement; p && p !== svg; p = p.parentElement) {
    chain += `<${p.tagName} ${p.getAttribute('class') ?? ''} ${p.getAttribute('style') ?? ''}>`;
  }
  return `${contextOf(svg)}\u0000${chain}\u0000${el.outerHTML.replace(ID_ATTRIBUTE, '')}`;
}

function remember(key: string, r: DOMRect): void {
  if (boxes.size >= MAX_ENTRIES) {
    // the oldest quarter goes (a Map iterates in insertion order)
    let n = MAX_ENTRIES / 4;
    for (const k of boxes.keys()) {
      if (n-- <= 0) break;
      boxes.delete(k);
    }
  }
  boxes.set(key, [r.x, r.y, r.width, r.height]);
}

let installed = 0;
const proto = typeof SVGGraphicsElement === 'undefined' ? undefined : SVGGraphicsElement.prototype;
const nativeGetBBox = proto?.getBBox;

function cachedGetBBox(this: SVGGraphicsElement, options?: SVGBoundingBoxOptions): DOMRect {
  // only the plain box (Mermaid's calls): a stroke or marker box is measured
  const key = options === undefined ? keyOf(this) : undefined;
  if (key !== undefined) {
    const b = boxes.get(key);
    if (b) {
      measureStatus.hits++;
      // what getBBox returns, an SVGRect (no left or top, which Mermaid's shapes read when there are)
      const r = this.ownerSVGElement!.createSVGRect();
      r.x = b[0];
      r.y = b[1];
      r.width = b[2];
      r.height = b[3];
      return r;
    }
  }
  const r = nativeGetBBox!.call(this, options);
  if (key !== undefined) {
    measureStatus.misses++;
    remember(key, r);
  }
  return r;
}

/** Runs `fn` (a Mermaid drawing) with boxes measured before taken from the cache. */
export async function withMeasureCache<T>(fn: () => Promise<T>): Promise<T> {
  if (!proto || !nativeGetBBox) return fn();
  if (installed++ === 0) proto.getBBox = cachedGetBBox;
  try {
    return await fn();
  } finally {
    if (--installed === 0) proto.getBBox = nativeGetBBox;
  }
}

// fonts that finish loading change what text measures
if (typeof document !== 'undefined') document.fonts?.addEventListener?.('loadingdone', () => boxes.clear());
