/**
 * `npm run bench` (#13): the annotation scan over this repository's own source and test files (real code in
 * several languages), as a ratio to splitting the same texts into lines, measured interleaved in the same run;
 * and the analysis of a 500-component model with 1,000 annotations and every evidence file read, as a ratio to
 * the same analysis without a trace. Medians. Never a test gate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/core/analyze';
import { isScannableName, scanAnnotations, type Annotation } from '../src/core/trace/index';
import { interleaved } from './benchUtil';
import { generateModel } from './genModel';

const ROOT = path.resolve(__dirname, '..');
const texts: { file: string; text: string }[] = [];
const walk = (dir: string) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (isScannableName(e.name)) texts.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') });
  }
};
for (const d of ['src', 'test', 'scripts', 'syntaxes', 'media']) walk(path.join(ROOT, d));
const bytes = texts.reduce((n, t) => n + t.text.length, 0);
const [split, scan] = interleaved([
  () => texts.reduce((n, t) => n + t.text.split('\n').length, 0),
  () => texts.reduce((n, t) => n + scanAnnotations(t.file, t.text).length, 0),
], 15);
console.log(`T1 annotation scan: ${texts.length} files, ${(bytes / 1e6).toFixed(1)} MB: ${scan.toFixed(1)} ms, ${(scan / split).toFixed(2)}x splitting them into lines (${split.toFixed(1)} ms)`);

const text = generateModel(500);
const base = analyze(text);
const threats = Object.keys(base.parsed.model.threats ?? {});
const elements = Object.keys(base.parsed.model.elements ?? {});
const annotations: Annotation[] = Array.from({ length: 1000 }, (_, i) => i % 3 === 0
  ? { kind: 'model', id: elements[i % elements.length], file: `src/f${i}.ts`, line: 1, column: 10, endColumn: 14 }
  : { kind: 'mitigates', id: threats[i % threats.length], file: `src/f${i}.ts`, line: 1, column: 14, endColumn: 20 });
const trace = { annotations, evidence: {} };
const [plain, traced] = interleaved([() => analyze(text), () => analyze(text, { trace })], 8);
console.log(`T2 analysis with a trace (500 components, 1,000 annotations): ${traced.toFixed(1)} ms, ${(traced / plain).toFixed(2)}x without (${plain.toFixed(1)} ms)`);
