// Layout settings for the visual editor's diagram (#10): Mermaid's time per engine and settings on generated
// models of several sizes, with nested or flat boundaries, in the real webview (production bundle, ELK loaded).
//
//   node scripts/bench-layout.mjs [--sizes 10,25,50,100] [--runs 3] [--shots]
//
// Prints a Markdown table of medians (ms of the Mermaid call) and, with --shots, writes a screenshot per
// configuration to test-results/layout/ to judge the drawings.
import fs from 'node:fs';
import path from 'node:path';
import { withHarness, updateFor } from '../test/webview/webview.test.mjs';
import { generatedModel } from './webview-fixture.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const sizes = opt('--sizes', '10,25,50,100').split(',').map(Number);
const runs = Number(opt('--runs', '3'));
const shots = args.includes('--shots');
const OUT = path.resolve('test-results/layout');

const CONFIGS = {
  'dagre': { layout: 'dagre' },
  'dagre classic': { layout: 'dagre', tuning: { look: 'classic' } },
  'elk': { layout: 'elk' },
  'elk simple': { layout: 'elk', tuning: { elk: { nodePlacementStrategy: 'SIMPLE' } } },
  'elk linear': { layout: 'elk', tuning: { elk: { nodePlacementStrategy: 'LINEAR_SEGMENTS' } } },
  'elk simplex': { layout: 'elk', tuning: { elk: { nodePlacementStrategy: 'NETWORK_SIMPLEX' } } },
  'elk merged': { layout: 'elk', tuning: { elk: { mergeEdges: true } } },
  'elk unstraightened': { layout: 'elk', tuning: { elk: { straightenEdges: false } } },
  'elk no hops': { layout: 'elk', tuning: { elk: { lineHops: false } } },
  'elk bare': { layout: 'elk', tuning: { elk: { straightenEdges: false, lineHops: false } } },
};
const only = opt('--configs', '');
if (only) for (const k of Object.keys(CONFIGS)) if (!only.split(',').includes(k)) delete CONFIGS[k];

const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

await withHarness({ dist: true }, async h => {
  const rows = [];
  if (shots) fs.mkdirSync(OUT, { recursive: true });
  for (const n of sizes) {
    for (const nesting of ['nested', 'flat']) {
      let yaml = generatedModel(n);
      if (nesting === 'flat') yaml = yaml.replace(/, parent: zone-\d+/g, '');
      const row = { n, nesting, cells: {} };
      for (const [name, cfg] of Object.entries(CONFIGS)) {
        const { page, context } = await h.open({ width: 1400, height: 900 });
        await page.evaluate(c => { window.__rampart.override = c; }, cfg);
        const times = [];
        let failed = false;
        // the first drawing warms the engine (and loads ELK); then `runs` drawings of slightly different texts
        for (let k = 0; k <= runs; k++) {
          const msg = updateFor(yaml.replace('name: Component 0,', `name: Component 0 r${k},`), k + 1);
          const before = await page.evaluate(() => window.__rampart.updates);
          await page.evaluate(m => window.postMessage(m, '*'), msg);
          await page.waitForFunction(b => window.__rampart.updates > b, before, { timeout: 120_000 });
          const t = await page.evaluate(() => ({ ms: window.__rampart.timings.lastMermaidMs, fallbacks: window.__rampart.fallbacks, layout: window.__rampart.layout }));
          if (t.fallbacks) { failed = true; break; }
          if (k > 0) times.push(t.ms);
          row.nodes = msg.view.diagram.stats.nodes;
          row.edges = msg.view.diagram.stats.edges;
          row.subgraphs = msg.view.diagram.stats.subgraphs;
        }
        if (shots && !failed) {
          const size = await page.evaluate(() => { const s = document.querySelector('.canvas svg'); return { w: s.width.baseVal.value, h: s.height.baseVal.value }; });
          row.size = row.size ?? {};
          row.size[name] = `${Math.round(size.w)}x${Math.round(size.h)}`;
          await page.locator('.diagram-pane').screenshot({ path: path.join(OUT, `${n}-${nesting}-${name.replace(/ /g, '-')}.png`) });
        }
        row.cells[name] = failed ? NaN : median(times);
        await context.close();
      }
      rows.push(row);
      console.error(`${n} ${nesting}: ${Object.entries(row.cells).map(([k, v]) => `${k} ${Number.isNaN(v) ? 'fails' : Math.round(v)}`).join(', ')}`);
    }
  }
  const names = Object.keys(CONFIGS);
  console.log(`| elements | boundaries | nodes/edges | ${names.join(' | ')} |`);
  console.log(`|---|---|---|${names.map(() => '---:').join('|')}|`);
  const cell = v => (Number.isNaN(v) ? 'fails' : String(Math.round(v)));
  for (const r of rows) console.log(`| ${r.n} | ${r.nesting} (${r.subgraphs}) | ${r.nodes}/${r.edges} | ${names.map(k => cell(r.cells[k])).join(' | ')} |`);
  if (shots) for (const r of rows) console.log(`${r.n} ${r.nesting} sizes: ${JSON.stringify(r.size)}`);
});
