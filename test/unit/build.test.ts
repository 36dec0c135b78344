/**
 * The webview bundle holds Mermaid's flowchart path and nothing else (issue #10): the other diagram types,
 * KaTeX, cytoscape and the Langium parser are stubbed at build time (scripts/mermaidFlowchartOnly.mjs). This
 * builds the production webview bundle in memory and looks at what went into it.
 */
import assert from 'node:assert/strict';
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

  it('still has what the flowchart needs: Mermaid, dagre, DOMPurify', () => {
    for (const needed of ['node_modules/mermaid/', 'node_modules/dagre-d3-es/', 'node_modules/dompurify/']) {
      assert.ok(inputs.some(f => f.includes(needed)), needed);
    }
  });
});
