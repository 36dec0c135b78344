/**
 * P1 figures of the language server's analysis (issue 17), as ratios to a bare `yaml.parseDocument` of the
 * same text, measured interleaved with it in the same run (so load on the machine hits both alike), medians:
 *
 * - `P1 diagnostics`: the incremental update after a one-character edit inside one threat's title, its findings
 *   converted to LSP diagnostics (the 1,000 the VS Code extension asks for, as the server does for it) and compared
 *   with the last sent (what the server runs between a keystroke and publishing diagnostics, debounce at 0),
 *   beside a full `analyze` and the same update with every finding converted (for a client that sets no limit);
 * - `P1 completion`: completion at a value position inside a threat (`completionsAt` on the current analysis);
 * - `P1 hover`: hover on a reference inside a threat (`hoverAt`).
 *
 * `npx tsx scripts/bench-incremental.ts [components] [--prose]` (default 500, the generated model of
 * scripts/genModel.ts). `npm run bench` runs three: 500 terse components (193 KB), 500 components written up with
 * descriptions and statements (`--prose`, 924 KB: the "0.9 MB model, about 500 components"), and 2000
 * terse components (786 KB: as many bytes, four times the entries, findings and diagnostics).
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
import { diagnosticsOf, sameDiagnostics } from '../src/server/handlers/diagnostics';

const n = Number(process.argv[2] ?? 500);
const prose = process.argv.includes('--prose');
const text = generateModel(n, { prose });
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
// The VS Code extension asks for at most VS Code's own 1,000 diagnostics per file (initializationOptions): the server
// converts the most severe 1,000; a client that does not ask gets every finding converted (`all` below).
const features = { diagnosticRelatedInformation: true, diagnosticTags: true, maxDiagnosticsPerFile: 1000 };
let sent: Diagnostic[] = [];
const editWith = (max: number) => () => {
  const i = ++turn % 2;
  const diagnostics = diagnosticsOf(analyzer.update(texts[i], settings).findings, docs[i], uri, { ...features, maxDiagnosticsPerFile: max });
  if (!sameDiagnostics(sent, diagnostics)) sent = diagnostics;
};
const edit = editWith(features.maxDiagnosticsPerFile);
const editAll = editWith(Number.MAX_SAFE_INTEGER);

// Completion: the value of `targets: [el-N]` of the same threat; hover: on that reference.
const targetsAt = text.indexOf(`    targets: [el-${mid}]`, titleAt) + '    targets: ['.length;
const current = () => analyzer.update(texts[turn % 2], settings);
const completion = () => completionsAt(texts[turn % 2], targetsAt + 1, current());
const hover = () => hoverAt(current(), targetsAt + 1);

console.log(`# generated model: ${n} components${prose ? ' with prose' : ''}, ${text.length} characters, ${text.split('\n').length} lines`);
const rounds = n <= 500 ? 12 : 8; // multiples of the 4 functions, so each follows each of the others as often (see `interleaved`)
const [base, full, inc, incAll] = interleaved([() => parseDocument(text), () => analyze(text, settings), edit, editAll], rounds);
const incStats = analyzer.stats;
const [base2, comp, hov] = interleaved([() => parseDocument(text), completion, hover], rounds);
const ratio = (x: number, b: number) => `${(x / b).toFixed(3)}x`;
const size = `${n} components${prose ? ' with prose' : ''}, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`;
console.log(`P1 diagnostics  ${ratio(inc, base)} (${size}; incremental update + diagnostics after a one-character edit in a threat title: ${inc.toFixed(1)} ms; parseDocument ${base.toFixed(1)} ms; full analyze ${full.toFixed(1)} ms = ${ratio(full, base)}; every finding converted (a client without maxDiagnosticsPerFile) ${incAll.toFixed(1)} ms = ${ratio(incAll, base)}; ${incStats.mode}, ${incStats.parsedPieces} piece(s) parsed, ${incStats.reusedPieces} reused)`);
console.log(`P1 completion   ${ratio(comp, base2)} (${size}; ${comp.toFixed(2)} ms; parseDocument ${base2.toFixed(1)} ms)`);
console.log(`P1 hover        ${ratio(hov, base2)} (${size}; ${hov.toFixed(2)} ms)`);
