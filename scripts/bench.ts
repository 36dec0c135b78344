/**
 * `npm run bench`: times parse, validate and analyze on generated models of 50/500/2000 components and prints
 * each as a ratio to a bare `yaml.parseDocument` of the same text, measured in the same run (so the figures
 * compare across machines). Never used as a pass/fail gate.
 */
import { parseDocument } from 'yaml';
import { parseModel } from '../src/core/model/parse';
import { analyze } from '../src/core/analyze';
import { buildIndex } from '../src/core/model/index';
import { generateModel } from './genModel';

function time(fn: () => unknown, minMs = 300): number {
  fn(); // warm up
  let runs = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs || runs < 3) { fn(); runs++; t = performance.now(); }
  return (t - t0) / runs;
}

const rows: string[][] = [['components', 'lines', 'yaml.parseDocument', 'parse+validate', 'ratio', 'index', 'analyze (all rules)', 'ratio', 'findings']];
for (const n of [50, 500, 2000]) {
  const text = generateModel(n);
  const base = time(() => parseDocument(text));
  const parse = time(() => parseModel(text));
  const parsed = parseModel(text);
  const index = time(() => buildIndex(parsed));
  const full = time(() => analyze(text));
  const findings = analyze(text).findings.length;
  rows.push([String(n), String(text.split('\n').length), `${base.toFixed(2)} ms`, `${parse.toFixed(2)} ms`, `${(parse / base).toFixed(2)}x`, `${index.toFixed(2)} ms`, `${full.toFixed(2)} ms`, `${(full / base).toFixed(2)}x`, String(findings)]);
}
const w = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i])).join('  '));
