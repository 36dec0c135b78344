/**
 * P1 figures of the language server's analysis (issue 17), as ratios to a bare `yaml.parseDocument` of the
 * same text, measured interleaved with it in the same run (so load on the machine hits both alike), medians:
 *
 * - `P1 diagnostics`: the incremental update after a one-character edit inside one threat's title, its findings
 *   converted to LSP diagnostics and compared with the last sent (what the server runs between a keystroke and
 *   publishing diagnostics, debounce at 0), beside a full `analyze`;
 * - `P1 completion`: completion at a value position inside a threat (`completionsAt` on the current analysis);
 * - `P1 hover`: hover on a reference inside a threat (`hoverAt`).
 *
 * `npx tsx scripts/bench-incremental.ts [components]` (default 500, the generated model of scripts/genModel.ts;
 * `npm run bench` runs 500 and 2000: 2000 components make 786 KB, the size of the 0.9 MB model).
 */
import { parseDocument } from 'yaml';
import { analyze } from '../src/core/analyze';
import { IncrementalAnalyzer } from '../src/core/incremental/analyzer';
import { completionsAt } from '../src/core/lang/completions';
import { hoverAt } from '../src/core/lang/hover';
import { generateModel } from './genModel';
import { interleaved } from './benchUtil';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver/node';
import { sameDiagnostics, toDiagnostic } from '../src/server/handlers/diagnostics';

const n = Number(process.argv[2] ?? 500);
const text = generateModel(n);
const settings = { now: new Date() };
const mid = Math.floor(n / 2);
const titleAt = text.indexOf(`    title: Threat against component ${mid}\n`);
if (titleAt < 0) throw new Error('the generated model has no such threat');
const editAt = titleAt + '    title: Threat'.length;
// Two texts that differ by one character inside the title; the analyzer alternates between them.
const texts = [text, text.slice(0, editAt) + 'x' + text.slice(editAt)];
const analyzer = new IncrementalAnalyzer();
let turn = 0;
analyzer.update(texts[0], settings);
// What the server does between a keystroke and publishing: the update, the findings as LSP diagnostics, and the
// comparison with what it sent last (unchanged diagnostics are not sent again).
const uri = 'file:///bench.threatmodel.yaml';
const docs = texts.map((t, i) => TextDocument.create(uri, 'threatmodel', i, t));
const features = { diagnosticRelatedInformation: true, diagnosticTags: true };
let sent: Diagnostic[] = [];
const edit = () => {
  const i = ++turn % 2;
  const diagnostics = analyzer.update(texts[i], settings).findings.map(f => toDiagnostic(f, docs[i], uri, features));
  if (!sameDiagnostics(sent, diagnostics)) sent = diagnostics;
};

// Completion: the value of `targets: [el-N]` of the same threat; hover: on that reference.
const targetsAt = text.indexOf(`    targets: [el-${mid}]`, titleAt) + '    targets: ['.length;
const current = () => analyzer.update(texts[turn % 2], settings);
const completion = () => completionsAt(texts[turn % 2], targetsAt + 1, current());
const hover = () => hoverAt(current(), targetsAt + 1);

console.log(`# generated model: ${n} components, ${text.length} characters, ${text.split('\n').length} lines`);
const rounds = n <= 500 ? 9 : 5;
const [base, full, inc] = interleaved([() => parseDocument(text), () => analyze(text, settings), edit], rounds);
const incStats = analyzer.stats;
const [base2, comp, hov] = interleaved([() => parseDocument(text), completion, hover], rounds);
const ratio = (x: number, b: number) => `${(x / b).toFixed(3)}x`;
const size = `${n} components, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`;
console.log(`P1 diagnostics  ${ratio(inc, base)} (${size}; incremental update + diagnostics after a one-character edit in a threat title: ${inc.toFixed(1)} ms; parseDocument ${base.toFixed(1)} ms; full analyze ${full.toFixed(1)} ms = ${ratio(full, base)}; ${incStats.mode}, ${incStats.parsedPieces} piece(s) parsed, ${incStats.reusedPieces} reused)`);
console.log(`P1 completion   ${ratio(comp, base2)} (${size}; ${comp.toFixed(2)} ms; parseDocument ${base2.toFixed(1)} ms)`);
console.log(`P1 hover        ${ratio(hov, base2)} (${size}; ${hov.toFixed(2)} ms)`);
