/**
 * esbuild plugin for the webview bundle (issue #10): Mermaid with the flowchart path only. Mermaid's core loads
 * each diagram type with a dynamic `import()` of its chunk; the webview only ever draws flowcharts (the
 * data-flow diagram and attack trees, whose Mermaid text Rampart writes itself), so every other diagram
 * chunk, the cytoscape layouts and KaTeX (math in labels: Rampart writes `$` as an entity, so it never
 * triggers) are replaced by stubs. The Langium parser, cytoscape and their kin go with them. ELK is not in
 * the main script: Mermaid gets src/webview/elk.ts, which loads elkjs (`elkScript()`, dist/webview/elk.js)
 * when a layout first needs it.
 * test/unit/build.test.ts fails if any of them comes back.
 */

import { createRequire } from 'node:module';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
/** The module Mermaid's ELK layout gets instead of elkjs: it loads dist/webview/elk.js when first used. */
const ELK_SHIM = fileURLToPath(new URL('../src/webview/elk.ts', import.meta.url));

/**
 * elkjs's worker script as the body of a function, `RampartElkWorker(module, exports)`, as dist/webview/elk.js.
 * The webview makes a Worker from the function's source text; called on the page instead, it exports elkjs's
 * in-page `FakeWorker` (src/webview/elk.ts).
 */
export async function elkScript() {
  const worker = fs.readFileSync(require.resolve('elkjs/lib/elk-worker.min.js'), 'utf8');
  const license = '/*! elkjs (https://github.com/kieler/elkjs), EPL-2.0 OR GPL-3.0-or-later */\n';
  const source = `self.RampartElkWorker = function (module, exports) {\n${worker}\n};\n`;
  return license + (await esbuild.transform(source, { minify: true, target: 'es2022', legalComments: 'inline' })).code;
}

/** Where Mermaid's `getConfig` is defined, and what it becomes (see src/webview/mermaidConfigCopy.ts). */
const CONFIG_COPY = fileURLToPath(new URL('../src/webview/mermaidConfigCopy.ts', import.meta.url));
export const GET_CONFIG = 'var getConfig = /* @__PURE__ */ __name(() => {\n  return assignWithDepth_default({}, currentConfig);\n}, "getConfig");';
const FAST_GET_CONFIG = 'var getConfig = /* @__PURE__ */ __name(() => {\n  return rampartCopyConfig({}, currentConfig);\n}, "getConfig");';

/**
 * Mermaid's build wraps every function it defines, closures in loops included, in `__name(fn, "name")`, an
 * `Object.defineProperty` call that keeps names for stack traces: about 30 ms of each 50-element drawing, and as
 * much again in the inline caches it upsets. Nothing in the flowchart path reads a function's name, so the
 * helper returns the function as it is.
 */
export const NAME_HELPER = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
const NO_NAME_HELPER = 'var __name = (target) => target;';

/**
 * Mermaid's stadium shape (`([label])`, Rampart's processes) in its classic look: a path through 104 points that
 * rough.js draws twice, with every coordinate to 17 digits, about 43 KB of markup per node. 25 of them made 1.1 MB
 * of the 1.3 MB a 50-element drawing serializes, sanitizes, parses and keeps. A stadium is a rectangle whose
 * corners are half its height: drawn as that `<rect>`, with the same classes, styles and size; the hand-drawn look
 * keeps rough.js, and edges still end on the same outline (the points stay for `intersect`).
 */
export const STADIUM = `  const pathData = createPathFromPoints(points);
  const shapeNode = rc.path(pathData, options);
  const polygon = shapeSvg.insert(() => shapeNode, ":first-child");
  polygon.attr("class", "basic label-container outer-path");
  if (cssStyles && node.look !== "handDrawn") {
    polygon.selectChildren("path").attr("style", cssStyles);
  }
  if (nodeStyles && node.look !== "handDrawn") {
    polygon.selectChildren("path").attr("style", nodeStyles);
  }
  updateNodeBounds(node, polygon);`;
const RECT_STADIUM = `  if (node.look !== "handDrawn") {
    const rampartRect = shapeSvg.insert("rect", ":first-child").attr("class", "basic label-container outer-path").attr("x", -w / 2).attr("y", -h / 2).attr("width", w).attr("height", h).attr("rx", radius).attr("ry", radius);
    if (cssStyles) rampartRect.attr("style", cssStyles);
    if (nodeStyles) rampartRect.attr("style", nodeStyles);
    updateNodeBounds(node, rampartRect, { width: w, height: h });
  } else {
    const pathData = createPathFromPoints(points);
    const shapeNode = rc.path(pathData, options);
    const polygon = shapeSvg.insert(() => shapeNode, ":first-child");
    polygon.attr("class", "basic label-container outer-path");
    updateNodeBounds(node, polygon);
  }`;

/**
 * Mermaid's SVG text labels: each line of each label is put in the page and measured (`getComputedTextLength`,
 * which makes the browser compute style and layout) only to learn whether it fits the wrapping width, and is cut
 * where it does not. Rampart's labels arrive wrapped at spaces, long words cut (core/render/encode.ts,
 * `wrapWords`, about 22 characters a line), and Mermaid's wrapping width is set above such a line: the line is
 * taken as it is: about 140 measurements fewer per drawing of 50 elements (a CPU profile of redraws after adding a
 * flow: about 35 ms less each, of 400-550 ms; part of the forced layout moves to the node measurement that follows).
 */
export const WRAP_CHECK = 'const linesUnderWidth = checkWidth(line) ? [line] : splitLineToFitWidth(line, checkWidth);';
const NO_WRAP_CHECK = 'const linesUnderWidth = [line];';

/**
 * Mermaid writes each word of a label line as a `<tspan>` of its own, with its style as attributes: a 300-element
 * model's first view had 451 tspans for 109 texts. Each run of words of one style (Markdown's plain, bold,
 * italic) is one tspan instead, with the same text (the same spaces) and the same attributes: 318 tspans there,
 * 11% fewer elements in all, for Mermaid to serialize, the page to parse, clean and lay out, and the state to keep
 * (label widths move by 0.01 px: Chromium shapes the words of a line as one run).
 */
export const WORD_TSPANS = `function updateTextContentAndStyles(tspan, wrappedLine) {
  tspan.text("");
  wrappedLine.forEach((word, index) => {
    const innerTspan = tspan.append("tspan").attr("font-style", word.type === "em" ? "italic" : "normal").attr("class", "text-inner-tspan").attr("font-weight", word.type === "strong" ? "bold" : "normal");
    if (index === 0) {
      innerTspan.text(decodeHTMLEntities(word.content));
    } else {
      innerTspan.text(" " + decodeHTMLEntities(word.content));
    }
  });
}`;
const RUN_TSPANS = `function updateTextContentAndStyles(tspan, wrappedLine) {
  tspan.text("");
  const runs = [];
  wrappedLine.forEach((word, index) => {
    const text = (index === 0 ? "" : " ") + decodeHTMLEntities(word.content);
    const last = runs[runs.length - 1];
    if (last && last.type === word.type) last.text += text;
    else runs.push({ type: word.type, text });
  });
  for (const run of runs) {
    tspan.append("tspan").attr("font-style", run.type === "em" ? "italic" : "normal").attr("class", "text-inner-tspan").attr("font-weight", run.type === "strong" ? "bold" : "normal").text(run.text);
  }
}`;

/**
 * The part of `source` (Mermaid's code as written out here) from `start` to the end of `through` (or to its end):
 * what a rewrite replaces, taken from the one copy of Mermaid's code rather than written out a second time.
 */
function part(source, start, through) {
  const from = source.indexOf(start);
  const to = through === undefined ? source.length : source.indexOf(through, from) + through.length;
  if (from < 0 || to < from + start.length) throw new Error('scripts/mermaidFlowchartOnly.mjs: a rewrite no longer matches the code it rewrites');
  return source.slice(from, to);
}

/** `source` with its one `piece` replaced by `by`: a rewrite of Mermaid's code that keeps the rest as it is. */
function rewritten(source, piece, by) {
  if (source.split(piece).length !== 2) throw new Error('scripts/mermaidFlowchartOnly.mjs: a rewrite no longer matches the code it rewrites');
  return source.replace(piece, () => by);
}

/**
 * Mermaid's search for edge crossings (the line hops): every segment of every edge against every other, each
 * pair of edges rebuilding its segment lists: 20-35 ms of a 64-edge drawing. The same search, in the same order,
 * skipping the pairs of edges and segments whose bounding boxes do not meet (a crossing lies inside both
 * segments, so inside both boxes; a segment with a point that is not a finite number meets every box, as such
 * points gave Mermaid's arithmetic a crossing): the same crossings.
 */
export const FIND_CROSSINGS = `function findEdgeIntersections(edges) {
  const crossings = [];
  for (let i = 0; i < edges.length; i++) {
    const edgeA = edges[i];
    const segmentsA = buildSegmentList(edgeA.points);
    for (let j = i + 1; j < edges.length; j++) {
      const edgeB = edges[j];
      const segmentsB = buildSegmentList(edgeB.points);
      for (const [si, segA] of segmentsA.entries()) {
        for (const [sj, segB] of segmentsB.entries()) {
          const hit = segmentIntersection(segA.a, segA.b, segB.a, segB.b);
          if (!hit) {
            continue;
          }
          if (crossingSitsInRoundedCorner(edgeA, si, hit.tA) || crossingSitsInRoundedCorner(edgeB, sj, hit.tB)) {
            continue;
          }
          const aHoriz = isHorizontalSeg(segA);
          const bHoriz = isHorizontalSeg(segB);
          const orthogonalPair = aHoriz !== bHoriz;
          const jumpOnA = orthogonalPair ? aHoriz : false;
          if (jumpOnA) {
            crossings.push({
              jumpEdgeId: edgeA.id,
              otherEdgeId: edgeB.id,
              segIndex: si,
              t: hit.tA,
              point: hit.point
            });
          } else {
            crossings.push({
              jumpEdgeId: edgeB.id,
              otherEdgeId: edgeA.id,
              segIndex: sj,
              t: hit.tB,
              point: hit.point
            });
          }
        }
      }
    }
  }
  return crossings;
}
`;
/** The loops of Mermaid's search, as they head its body (the body itself, the crossing test, stays as it is). */
const CROSSING_LOOPS = part(FIND_CROSSINGS, '  const crossings = [];\n', '        for (const [sj, segB] of segmentsB.entries()) {\n');
const BOXED_CROSSING_LOOPS = `  const crossings = [];
  const EVERYWHERE = [-Infinity, -Infinity, Infinity, Infinity];
  const boxOf = (a, b) => (Number.isFinite(a.x + a.y + b.x + b.y) ? [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)] : EVERYWHERE);
  const apart = (p, q) => p[2] < q[0] || q[2] < p[0] || p[3] < q[1] || q[3] < p[1];
  const all = edges.map((edge) => {
    const segments = buildSegmentList(edge.points);
    const boxes = segments.map((s) => boxOf(s.a, s.b));
    const box = boxes.reduce((u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
    return { segments, boxes, box };
  });
  for (let i = 0; i < edges.length; i++) {
    const edgeA = edges[i];
    const A = all[i];
    for (let j = i + 1; j < edges.length; j++) {
      const edgeB = edges[j];
      const B = all[j];
      if (apart(A.box, B.box)) {
        continue;
      }
      for (let si = 0; si < A.segments.length; si++) {
        const segA = A.segments[si];
        if (apart(A.boxes[si], B.box)) {
          continue;
        }
        for (let sj = 0; sj < B.segments.length; sj++) {
          const segB = B.segments[sj];
          if (apart(A.boxes[si], B.boxes[sj])) {
            continue;
          }
`;
export const FAST_FIND_CROSSINGS = rewritten(FIND_CROSSINGS, CROSSING_LOOPS, BOXED_CROSSING_LOOPS);

/**
 * Mermaid's line hops on dashed flows: each path gets its new outline, then its length is read
 * (`getTotalLength`, which makes the browser lay the drawing out again, as the last path changed) to fit the
 * dashes: a layout per dashed flow with a hop, about 20 ms of each 50-element drawing. The same outlines and
 * dashes, with every outline set first and every length read after: one layout.
 */
export const HOP_DASHES = `  for (const renderedEdge of renderedEdges) {
    const jumps = jumpsByEdge.get(renderedEdge.id);
    if (!jumps || jumps.length === 0) {
      continue;
    }
    const meta = edgeMeta.get(renderedEdge.id);
    const curveHint = meta?.curve;
    if (curveHint !== void 0 && !curveSupportsLineHops(curveHint)) {
      continue;
    }
    const pathEl = pathByDataId.get(renderedEdge.id);
    if (!pathEl) {
      continue;
    }
    if (curveHint === void 0) {
      const currentD = pathEl.getAttribute("d") ?? "";
      if (!isStraightPath(currentD)) {
        continue;
      }
    }
    const originalStyle = pathEl.getAttribute("style") ?? "";
    const dasharrayMatch = /stroke-dasharray\\s*:\\s*0\\s+([\\d.]+)\\s+[\\d.]+\\s+([\\d.]+)/.exec(
      originalStyle
    );
    const preservedOValueS = dasharrayMatch ? Number.parseFloat(dasharrayMatch[1]) : null;
    const preservedOValueE = dasharrayMatch ? Number.parseFloat(dasharrayMatch[2]) : null;
    const newD = rewriteEdgePath(renderedEdge, jumps, config);
    pathEl.setAttribute("d", newD);
    if (preservedOValueS !== null && preservedOValueE !== null && typeof pathEl.getTotalLength === "function") {
      const newLen = pathEl.getTotalLength();
      const onLen = Math.max(0, newLen - preservedOValueS - preservedOValueE);
      const newDasharray = \`0 \${preservedOValueS} \${onLen} \${preservedOValueE}\`;
      const cleaned = originalStyle.replace(/stroke-dasharray\\s*:[^;]*;?/g, \`stroke-dasharray: \${newDasharray};\`).replace(/;\\s*;+/g, ";");
      pathEl.setAttribute("style", cleaned);
    }
  }
}
`;
/** Where each dashed flow's length is read and its dashes set, up to the end of the function. */
const HOP_DASH_TAIL = part(HOP_DASHES, '    if (preservedOValueS !== null && preservedOValueE !== null');
const BATCHED_HOP_DASH_TAIL = `    if (preservedOValueS !== null && preservedOValueE !== null && typeof pathEl.getTotalLength === "function") {
      rampartDashed.push({ pathEl, originalStyle, preservedOValueS, preservedOValueE });
    }
  }
  const rampartLengths = rampartDashed.map((d) => d.pathEl.getTotalLength());
  rampartDashed.forEach(({ pathEl, originalStyle, preservedOValueS, preservedOValueE }, k) => {
    const newLen = rampartLengths[k];
    const onLen = Math.max(0, newLen - preservedOValueS - preservedOValueE);
    const newDasharray = \`0 \${preservedOValueS} \${onLen} \${preservedOValueE}\`;
    const cleaned = originalStyle.replace(/stroke-dasharray\\s*:[^;]*;?/g, \`stroke-dasharray: \${newDasharray};\`).replace(/;\\s*;+/g, ";");
    pathEl.setAttribute("style", cleaned);
  });
}
`;
const BATCHED_HOP_DASHES = `  const rampartDashed = [];\n${rewritten(HOP_DASHES, HOP_DASH_TAIL, BATCHED_HOP_DASH_TAIL)}`;

/**
 * Mermaid's edges: each new path is put in the drawing and its length read at once (`getTotalLength`, which makes
 * the browser lay the drawing out again, as the last edge changed it) to place the arrowheads' gaps: a layout per
 * edge, about 20 ms of each 50-element drawing. The length of the same outline measured on a path outside the
 * document (the browser reads it from the `d` attribute alone, without a layout) is the same number.
 */
export const EDGE_LENGTH = 'const len = typeof pathNode.getTotalLength === "function" ? pathNode.getTotalLength() : 0;';
const DETACHED_EDGE_LENGTH = 'const len = typeof pathNode.getTotalLength === "function" ? rampartOutlineLength(pathNode) : 0;';
const OUTLINE_LENGTH_HELPER = `
var rampartScratchPath;
function rampartOutlineLength(pathNode) {
  rampartScratchPath ??= pathNode.ownerDocument.createElementNS("http://www.w3.org/2000/svg", "path");
  rampartScratchPath.setAttribute("d", pathNode.getAttribute("d") ?? "");
  return rampartScratchPath.getTotalLength();
}
`;

/**
 * Mermaid's `securityLevel: 'strict'` pass over a drawing: its markup parsed as HTML by DOMPurify, cleaned and
 * written out again, for the webview to parse once more (as XML). The webview runs DOMPurify with these same
 * settings on the element it parses, in place (src/webview/diagram.ts, `svgFromMarkup`, which every drawing
 * entering the page goes through, a kept one too): the same cleaning, one parse and one serialization fewer.
 * The build fails if Mermaid's pass or its settings change.
 */
export const STRICT_PURIFY = `    } else if (!isLooseSecurityLevel) {
      code2 = DOMPurify.sanitize(code2, {
        ADD_TAGS: DOMPURIFY_TAGS,
        ADD_ATTR: DOMPURIFY_ATTR,
        HTML_INTEGRATION_POINTS: { foreignobject: true }
      });
    }`;
const STRICT_PURIFY_IN_PAGE = `    } else if (!isLooseSecurityLevel) {
      /* Rampart: DOMPurify runs with these settings on the element the webview parses (src/webview/diagram.ts) */
    }`;
const PURIFY_SETTINGS = ['var DOMPURIFY_TAGS = ["foreignobject"];', 'var DOMPURIFY_ATTR = ["dominant-baseline"];'];

/** Dynamic chunks of mermaid.core that the flowchart path never loads. */
const UNUSED_CHUNK = /^\.\/(chunks\/mermaid\.core\/)?([A-Za-z0-9]*Diagram(-v2)?|[A-Za-z0-9]+-definition|diagram|cose-bilkent|bpmnIcons|swimlanes)-[A-Z0-9]+\.mjs$/;
const KEPT_CHUNK = /\/flowDiagram-[A-Z0-9]+\.mjs$/;

/** Packages that must not be in the webview bundle (checked by the build test). */
export const EXCLUDED_PACKAGES = ['elkjs', 'katex', 'cytoscape', 'cytoscape-fcose', 'cytoscape-cose-bilkent', '@mermaid-js/parser', 'langium', 'chevrotain'];

export const mermaidFlowchartOnly = {
  name: 'mermaid-flowchart-only',
  setup(build) {
    build.onResolve({ filter: UNUSED_CHUNK }, args => (args.kind === 'dynamic-import' && /[\\/]mermaid[\\/]dist[\\/]/.test(args.importer) && !KEPT_CHUNK.test(args.path) ? { path: args.path, namespace: 'mermaid-unused' } : undefined));
    build.onResolve({ filter: /^katex$/ }, args => ({ path: args.path, namespace: 'mermaid-unused' }));
    build.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: ELK_SHIM }));
    // Mermaid's config getter, made cheap: the chunk that defines it is rewritten, or the build fails.
    // Its function-naming helper, made a no-op (see NAME_HELPER). Its stadium drawn as a rounded rect (STADIUM).
    // Its labels' lines taken as Rampart wrapped them, not measured again (WRAP_CHECK), each run of words of one
    // style one tspan (WORD_TSPANS). Its search for edge
    // crossings skips the pairs whose boxes do not meet (FIND_CROSSINGS); its hops on dashed flows read their
    // lengths after every outline is set (HOP_DASHES); its edges are measured outside the document (EDGE_LENGTH).
    build.onLoad({ filter: /[\\/]mermaid[\\/]dist[\\/]chunks[\\/]mermaid\.core[\\/]chunk-[A-Z0-9]+\.mjs$/ }, args => {
      let source = fs.readFileSync(args.path, 'utf8');
      const original = source;
      if (source.includes('var getConfig = ')) {
        if (!source.includes(GET_CONFIG)) throw new Error(`${args.path}: Mermaid's getConfig changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = `import { copyConfig as rampartCopyConfig } from ${JSON.stringify(CONFIG_COPY)};\n${source.replace(GET_CONFIG, FAST_GET_CONFIG)}`;
      }
      const stadiumAt = source.indexOf('async function stadium(');
      if (stadiumAt >= 0) {
        // other shapes share these lines: only the stadium's own are replaced
        const end = source.indexOf('__name(stadium, "stadium")', stadiumAt);
        const body = end > stadiumAt ? source.slice(stadiumAt, end) : '';
        if (!body.includes(STADIUM)) throw new Error(`${args.path}: Mermaid's stadium shape changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.slice(0, stadiumAt) + body.replace(STADIUM, RECT_STADIUM) + source.slice(end);
      }
      if (source.includes('function createFormattedText(')) {
        if (!source.includes(WRAP_CHECK)) throw new Error(`${args.path}: Mermaid's text wrapping changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.replace(WRAP_CHECK, NO_WRAP_CHECK);
      }
      if (source.includes('function updateTextContentAndStyles(')) {
        if (!source.includes(WORD_TSPANS)) throw new Error(`${args.path}: Mermaid's label text changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.replace(WORD_TSPANS, () => RUN_TSPANS);
      }
      if (source.includes('function findEdgeIntersections(')) {
        if (!source.includes(FIND_CROSSINGS)) throw new Error(`${args.path}: Mermaid's search for edge crossings changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.replace(FIND_CROSSINGS, FAST_FIND_CROSSINGS);
        if (!source.includes(HOP_DASHES)) throw new Error(`${args.path}: Mermaid's line hops changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.replace(HOP_DASHES, BATCHED_HOP_DASHES);
      }
      if (source.includes('insertEdge = /* @__PURE__ */ __name(function(')) {
        if (source.split(EDGE_LENGTH).length !== 2) throw new Error(`${args.path}: Mermaid's edges changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.replace(EDGE_LENGTH, DETACHED_EDGE_LENGTH) + OUTLINE_LENGTH_HELPER;
      }
      if (/^var __name = /m.test(source)) {
        if (!source.includes(NAME_HELPER)) throw new Error(`${args.path}: Mermaid's __name helper changed; update scripts/mermaidFlowchartOnly.mjs`);
        source = source.replace(NAME_HELPER, NO_NAME_HELPER);
      }
      if (source === original) return undefined;
      return { contents: source, loader: 'js', resolveDir: fileURLToPath(new URL('.', `file://${args.path}`)) };
    });
    // Mermaid's strict pass over its markup: done by the webview on the parsed drawing (STRICT_PURIFY).
    build.onLoad({ filter: /[\\/]mermaid[\\/]dist[\\/]mermaid\.core\.mjs$/ }, args => {
      const source = fs.readFileSync(args.path, 'utf8');
      if (source.split(STRICT_PURIFY).length !== 2 || !PURIFY_SETTINGS.every(line => source.includes(line))) {
        throw new Error(`${args.path}: Mermaid's strict sanitizing changed; update scripts/mermaidFlowchartOnly.mjs and src/webview/diagram.ts`);
      }
      return { contents: source.replace(STRICT_PURIFY, () => STRICT_PURIFY_IN_PAGE), loader: 'js', resolveDir: fileURLToPath(new URL('.', `file://${args.path}`)) };
    });
    build.onLoad({ filter: /.*/, namespace: 'mermaid-unused' }, args => ({
      contents: `const unused = () => { throw new Error(${JSON.stringify(`${args.path} is not part of Rampart's webview`)}); };
export const diagram = undefined;
export const render = unused;
export default { renderToString: unused, render: unused };`,
      loader: 'js',
    }));
  },
};
