/**
 * `npm run bench`: times parse+validate, index and analyze on generated models of 50/500/2000 components and
 * prints each as a ratio to a bare `yaml.parseDocument` of the same text, measured in the same run and
 * interleaved with it (so load on the machine hits both alike). Medians of repeated runs. Never a test gate.
 */
import { parseDocument } from 'yaml';
import { parseModel } from '../src/core/model/parse';
import { analyze } from '../src/core/analyze';
import { buildIndex } from '../src/core/model/index';
import { generateModel } from './genModel';
import { interleaved } from './benchUtil';

const rows: string[][] = [['components', 'lines', 'yaml.parseDocument', 'parse+validate', 'ratio', 'analyze (all rules)', 'ratio', 'index', 'findings']];
for (const n of [50, 500, 2000]) {
  const text = generateModel(n);
  const parsed = parseModel(text);
  const rounds = n <= 50 ? 40 : n <= 500 ? 12 : 5;
  const [base, parse, full, index] = interleaved([() => parseDocument(text), () => parseModel(text), () => analyze(text), () => buildIndex(parsed)], rounds);
  const findings = analyze(text).findings.length;
  rows.push([String(n), String(text.split('\n').length), `${base.toFixed(1)} ms`, `${parse.toFixed(1)} ms`, `${(parse / base).toFixed(2)}x`, `${full.toFixed(1)} ms`, `${(full / base).toFixed(2)}x`, `${index.toFixed(2)} ms`, String(findings)]);
}
const w = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i])).join('  '));
