/**
 * The webview bundle holds Mermaid's flowchart path and nothing else (issue #10): the other diagram types,
 * KaTeX, cytoscape and the Langium parser are stubbed at build time (scripts/mermaidFlowchartOnly.mjs). This
 * builds the production webview bundle in memory and looks at what went into it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');

describe('webview bundle', function () {
  this.timeout(120_000);
  let inputs: string[] = [];

  before(async () => {
    const { mermaidFlowchartOnly } = await import(path.join(ROOT, 'scripts/mermaidFlowchartOnly.mjs'));
    const r = await esbuild.build({
      absWorkingDir: ROOT, entryPoints: ['src/webview/main.ts'], bundle: true, minify: true, write: false, metafile: true,
      platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'css', '.yaml': 'text' }, outdir: 'out-test', plugins: [mermaidFlowchartOnly],
      logLevel: 'silent',
    });
    const js = Object.entries(r.metafile!.outputs).find(([f]) => f.endsWith('.js'))![1];
    inputs = Object.keys(js.inputs).filter(f => js.inputs[f].bytesInOutput > 0);
  });

  it('has no diagram type but the flowchart, no ELK (loaded apart), KaTeX, cytoscape or Langium parser', async () => {
    const { EXCLUDED_PACKAGES } = await import(path.join(ROOT, 'scripts/mermaidFlowchartOnly.mjs'));
    const pkg = (f: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1];
    const excluded = inputs.filter(f => (EXCLUDED_PACKAGES as string[]).includes(pkg(f) ?? ''));
    assert.deepEqual(excluded, []);
    const diagrams = inputs.filter(f => /mermaid\/dist\/chunks\/mermaid\.core\/[^/]*(Diagram|-definition|diagram-)[^/]*\.mjs$/.test(f)).map(f => path.basename(f).replace(/-[A-Z0-9]+\.mjs$/, ''));
    assert.deepEqual(diagrams, ['flowDiagram']);
  });

  it("Mermaid's getConfig uses the cheap copy, which copies as Mermaid's assignWithDepth does; its __name helper is a no-op; its stadium is a rounded rect; its labels are not measured to be wrapped again", async () => {
    const { GET_CONFIG, NAME_HELPER } = await import(path.join(ROOT, 'scripts/mermaidFlowchartOnly.mjs'));
    const r = await esbuild.build({
      absWorkingDir: ROOT, entryPoints: ['src/webview/main.ts'], bundle: true, write: false,
      platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'css', '.yaml': 'text' }, outdir: 'out-test',
      plugins: [(await import(path.join(ROOT, 'scripts/mermaidFlowchartOnly.mjs'))).mermaidFlowchartOnly], logLevel: 'silent',
    });
    const js = r.outputFiles.find(f => f.path.endsWith('.js'))!.text;
    assert.match(js, /getConfig = \/\* @__PURE__ \*\/ __name\(\(\) => {\s*return (rampartC|c)opyConfig\(\{\}, currentConfig\);/, 'getConfig is rewritten');
    assert.ok(!js.includes(GET_CONFIG.split('\n')[1].trim()), 'the old copy is gone');
    // one naming helper in the whole bundle, and it defines no property
    assert.deepEqual(js.match(/\b__name = [^;]*;/g), ['__name = (target) => target;']);
    assert.ok(!js.includes(NAME_HELPER.slice(4)), "Mermaid's defineProperty helper is gone");
    // the stadium (processes) is a rounded rect in the classic look, and no other shape changed
    const stadiumAt = js.indexOf('async function stadium(');
    const stadium = js.slice(stadiumAt, js.indexOf('\n  }\n', stadiumAt));
    assert.match(stadium, /shapeSvg\.insert\("rect", ":first-child"\)[^;]*\.attr\("rx", radius\)\.attr\("ry", radius\)/, 'the stadium is a rect with round ends');
    assert.equal(js.split('shapeSvg.insert("rect", ":first-child").attr("class", "basic label-container outer-path")').length - 1, 1, 'only the stadium is rewritten');
    const classicStyle = 'polygon.selectChildren("path").attr("style", nodeStyles)';
    assert.ok(!stadium.includes(classicStyle), "the stadium's classic look no longer styles rough.js paths");
    assert.ok(js.includes(classicStyle), 'other shapes keep theirs');
    // a label's lines are taken as Rampart wrapped them: not put in the page and measured one by one to be cut again
    const formatted = js.slice(js.indexOf('function createFormattedText('), js.indexOf('__name(createFormattedText,'));
    assert.match(formatted, /const linesUnderWidth = \[line\d*\];/, 'each line is taken as it is');
    assert.doesNotMatch(formatted, /checkWidth\(line\d*\)|splitLineToFitWidth\(/, 'no line is measured or split');
    // each run of words of one style is one tspan, not each word (WORD_TSPANS)
    const words = js.slice(js.indexOf('function updateTextContentAndStyles('), js.indexOf('__name(updateTextContentAndStyles,'));
    assert.match(words, /if \(last\d* && last\d*\.type === word\.type\) last\d*\.text \+= text\d*;/, 'words of one style join one run');
    assert.equal(words.split('.append("tspan")').length - 1, 1, 'one tspan appended per run');
    // the search for edge crossings compares only edges whose boxes meet (FIND_CROSSINGS, tested below)
    const crossings = js.slice(js.indexOf('function findEdgeIntersections('), js.indexOf('__name(findEdgeIntersections,'));
    assert.match(crossings, /if \(apart\(\w+\.box, \w+\.box\)\)/, "the rewritten search is in the bundle");
    // the hops' dashes read every new outline's length after setting them all (HOP_DASHES; the webview test checks the dashes)
    const hops = js.slice(js.indexOf('function applyLineJumpsToSvg('), js.indexOf('__name(applyLineJumpsToSvg,'));
    assert.match(hops, /const rampartLengths = rampartDashed\.map\(/, 'lengths are read in one pass');
    assert.equal(hops.split('getTotalLength()').length - 1, 1, 'and only there');
    // Mermaid's strict DOMPurify pass over its markup is out; the webview runs it on the parsed drawing in place
    const serialize = js.slice(js.indexOf('const serializeSvg = '), js.indexOf('}, "serializeSvg")'));
    assert.match(serialize, /\} else if \(!isLooseSecurityLevel\) \{\s*\}/, "Mermaid's strict pass over its markup is empty");
    assert.doesNotMatch(serialize, /sanitize\(/, 'nothing in it sanitizes the markup');
    assert.match(js, /purify_default\.sanitize\(el, MERMAID_STRICT_PURIFY\)/, "the parsed drawing is purified, with Mermaid's DOMPurify");
    assert.match(js, /MERMAID_STRICT_PURIFY = \{ ADD_TAGS: \["foreignobject"\], ADD_ATTR: \["dominant-baseline"\], HTML_INTEGRATION_POINTS: \{ foreignobject: true \}, IN_PLACE: true \}/, "with Mermaid's settings, in place");
    // an edge's length is measured on a path outside the document (EDGE_LENGTH; the webview test checks the gaps)
    const edge = js.slice(js.indexOf('insertEdge = /* @__PURE__ */ __name(function('), js.indexOf('}, "insertEdge")'));
    assert.match(edge, /const len = typeof pathNode\.getTotalLength === "function" \? rampartOutlineLength\(pathNode\) : 0;/);
    // Mermaid's own assignWithDepth, taken from its source, against copyConfig on a config-like value.
    const chunkDir = path.join(ROOT, 'node_modules/mermaid/dist/chunks/mermaid.core');
    const source = fs.readdirSync(chunkDir).filter(f => f.endsWith('.mjs')).map(f => fs.readFileSync(path.join(chunkDir, f), 'utf8')).find(t => t.includes('var assignWithDepth = '))!;
    const body = source.slice(source.indexOf('var assignWithDepth = '), source.indexOf('var assignWithDepth_default'));
    const assignWithDepth = new Function('__name', `${body}; return assignWithDepth;`)((f: unknown) => f) as (d: object, s: object) => object;
    const { copyConfig } = await import(path.join(ROOT, 'src/webview/mermaidConfigCopy.ts'));
    const config = {
      theme: 'dark', fontSize: 14, skip: null, flag: false, list: ['a', 'b', 'a'],
      flowchart: { padding: 8, curve: 'basis', nested: { deep: { deeper: 1 }, list: [1, 1, 2] }, none: null, arr: [{ x: 1 }] },
      themeVariables: { primaryColor: '#fff', fontFamily: 'x' }, secure: ['secure', 'securityLevel'],
    };
    const mine = copyConfig({}, config) as typeof config;
    const theirs = assignWithDepth({}, config) as typeof config;
    assert.deepEqual(mine, theirs);
    // fresh where Mermaid's copy is fresh, shared where it shares
    for (const copy of [mine, theirs]) {
      assert.notEqual(copy.flowchart, config.flowchart);
      assert.notEqual(copy.flowchart.nested, config.flowchart.nested);
      assert.equal(copy.flowchart.nested.deep, config.flowchart.nested.deep);
      assert.notEqual(copy.list, config.list);
    }
    // the sections of diagram types never drawn, and the theme's variables, are shared, not copied; every other section is copied
    const { SHARED_SECTIONS } = await import(path.join(ROOT, 'src/webview/mermaidConfigCopy.ts'));
    const withOthers = { ...config, gantt: { barHeight: 20, nested: { x: 1 } }, sequence: { width: 150 } };
    const shared = copyConfig({}, withOthers) as typeof withOthers;
    assert.deepEqual(shared, assignWithDepth({}, withOthers));
    assert.equal(shared.gantt, withOthers.gantt);
    assert.equal(shared.sequence, withOthers.sequence);
    assert.notEqual(shared.flowchart, withOthers.flowchart);
    assert.equal(shared.themeVariables, withOthers.themeVariables);
    assert.notEqual(shared.flowchart.nested, withOthers.flowchart.nested);
    // ...and they are exactly the diagram types of Mermaid's defaults that the webview bundle does not hold
    const defaults = fs.readFileSync(path.join(ROOT, 'node_modules/mermaid/dist/config.type.d.ts'), 'utf8');
    const sections = [...defaults.slice(defaults.indexOf('export interface MermaidConfig {')).matchAll(/^ {4}'?([\w-]+)'?\?: (\w+)Config;/gm)]
      .filter(m => m[2].endsWith('Diagram') || m[2].endsWith('Chart')).map(m => m[1]);
    assert.ok(sections.includes('flowchart') && sections.includes('gantt') && sections.includes('xyChart'), `diagram sections read from Mermaid's config type: ${sections}`);
    assert.deepEqual(sections.filter(k => k !== 'flowchart' && !SHARED_SECTIONS.has(k)), [], 'diagram types neither drawn nor shared');
  });

  it("Mermaid's search for edge crossings (the line hops) skips edges whose boxes do not meet, and finds the same crossings in the same order", async () => {
    const { FIND_CROSSINGS, FAST_FIND_CROSSINGS } = await import(path.join(ROOT, 'scripts/mermaidFlowchartOnly.mjs'));
    const chunkDir = path.join(ROOT, 'node_modules/mermaid/dist/chunks/mermaid.core');
    const source = fs.readdirSync(chunkDir).filter(f => f.endsWith('.mjs')).map(f => fs.readFileSync(path.join(chunkDir, f), 'utf8')).find(t => t.includes('function findEdgeIntersections('))!;
    assert.ok(source.includes(FIND_CROSSINGS), "Mermaid's search is the one the build rewrites");
    // Mermaid's module as it is and as the build rewrites it, its imports stubbed, the search exported
    type Pt = { x: number; y: number };
    type Find = (edges: { id: string; points: Pt[] }[]) => unknown[];
    const load = (text: string) => new Function('__name', 'markerOffsets', `${text.slice(text.indexOf('// src/')).replace(/\nexport \{[^}]*\};?\s*$/, '')}\nreturn findEdgeIntersections;`)((f: unknown) => f, {}) as Find;
    const theirs = load(source);
    const ours = load(source.replace(FIND_CROSSINGS, FAST_FIND_CROSSINGS));
    assert.notEqual(ours.toString(), theirs.toString());
    // orthogonal routes as ELK draws them, many crossing, some far apart; a route with a NaN point, an infinite one; a one-point route
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 40; round++) {
      const edges = Array.from({ length: 30 }, (_, k) => {
        let x = Math.round(rnd() * 1500), y = Math.round(rnd() * 900);
        const points: Pt[] = [{ x, y }];
        for (let b = 0, n = 1 + Math.floor(rnd() * 6); b < n; b++) {
          if (b % 2) y += Math.round((rnd() - 0.5) * 400); else x += Math.round(rnd() * 300);
          points.push({ x, y });
        }
        return { id: `e${k}`, points };
      });
      if (round === 3) edges[5].points[1] = { x: NaN, y: 10 };
      if (round === 4) edges[6].points = [{ x: 1, y: 1 }];
      if (round === 5) edges[7].points[0] = { x: Infinity, y: 300 };
      const expected = theirs(edges);
      if (round < 3) assert.ok(expected.length > 5, `round ${round} has crossings (${expected.length})`);
      assert.deepEqual(ours(edges), expected, `round ${round}`);
    }
  });

  it('still has what the flowchart needs: Mermaid, dagre, DOMPurify', () => {
    for (const needed of ['node_modules/mermaid/', 'node_modules/dagre-d3-es/', 'node_modules/dompurify/']) {
      assert.ok(inputs.some(f => f.includes(needed)), needed);
    }
  });
});
