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

  it('still has what the flowchart needs: Mermaid, dagre, DOMPurify', () => {
    for (const needed of ['node_modules/mermaid/', 'node_modules/dagre-d3-es/', 'node_modules/dompurify/']) {
      assert.ok(inputs.some(f => f.includes(needed)), needed);
    }
  });
});
