/**
 * The CLI's commands. Each reads files, calls the pure core and prints; nothing here decides what a finding is.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { analyze, analyzeParsed, type Analysis } from '../core/analyze';
import { parseModel } from '../core/model/parse';
import { ALL_RULE_META } from '../core/rules/index';
import { LEVELS, type Level } from '../core/model/schema';
import { severityRank, type AnalysisSettings, type Finding, type Severity } from '../core/types';
import { LineIndex, lineCol } from '../core/lines';
import { rankThreats } from '../core/risk/ranking';
import { lossSummary } from '../core/risk/ale';
import { mitigationPlan } from '../core/risk/plan';
import { planJson, planMarkdown, planText } from '../core/render/plan';
import { JSON_ITEMS, SarifLogBuilder, jsonPieces, type SarifOptions } from '../core/render/sarif';
import { portableMermaid, renderReport } from '../core/render/report';
import { modelDiagram } from '../core/render/mermaid';
import { attackTreeDiagram } from '../core/render/attackTree';
import { diffModels } from '../core/diff';
import { EXPORT_FORMATS, IMPORT_FORMATS, ImportError, exportModelWithNotes, importModel, type ExportFormat, type ImportFormat } from '../core/interop/index';
import { includeReader } from '../node/includes';
import { STARTER_MODEL } from '../core/templates';
import { execFileSync } from 'node:child_process';
import { evidenceSettings } from '../node/evidence';
import { loadFeedsSync, readSbomsSync, sbomPaths } from '../node/intel';
import type { IntelIndex } from '../core/intel/index';
import { RepoTrace, wantsTrace } from './trace';
import { CliLibraries } from './library';
import { libraryRuleMeta } from '../core/library/index';
import { documentSafe, jsonSafe, terminalSafe } from '../core/text/safe';

export const VERSION = '0.1.0';
import { HOMEPAGE, ruleDocsUrl } from '../core/rules/docs';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  color: boolean;
  cwd: string;
}

export class UsageError extends Error {}

/** A file the command cannot write (or a resource it cannot use): exit 2 with the reason, without a usage hint. */
export class CommandError extends Error {}

export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[], io: Io): Promise<number> | number;
}

export const MODEL_FILE = /\.threatmodel\.ya?ml$/;
export const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.run', '.tools']);

/** Files named on the command line, and *.threatmodel.y(a)ml files found under directories. */
export function findModels(paths: string[], cwd: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { missing.push(dir); return; }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p); }
      else if (e.isFile() && MODEL_FILE.test(e.name)) files.push(p);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch { missing.push(p); continue; }
    if (st.isDirectory()) walk(abs);
    else files.push(abs);
  }
  return { files: [...new Set(files)], missing };
}

export const display = (file: string, cwd: string) => {
  const rel = path.relative(cwd, file);
  return (rel && !rel.startsWith('..') ? rel : file).split(path.sep).join('/');
};

function level(v: unknown, flag: string): Level | undefined {
  if (v === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(String(v))) throw new UsageError(`${flag} must be one of ${LEVELS.join(', ')} (got '${String(v)}')`);
  return v as Level;
}

export function readText(file: string): string {
  const buf = fs.readFileSync(file);
  return buf.toString('utf8');
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const paint = (io: Io, s: string, code: string) => (io.color ? `${code}${s}\x1b[0m` : s);

interface FileResult {
  file: string;
  display: string;
  text: string;
  analysis: Analysis;
}

/** The text of a model file, or why it cannot be read. */
function readModelText(file: string): { text: string } | { error: string } {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: 'not a regular file' };
    return { text: readText(file) };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message };
  }
}

function findingJson(f: Finding, lines: LineIndex) {
  const s = lines.lineCol(f.range.start);
  const e = lines.lineCol(f.range.end);
  return {
    ruleId: f.ruleId, severity: f.severity, message: f.message,
    line: s.line, column: s.column, endLine: e.line, endColumn: e.column,
    ...(f.stableId ? { stableId: f.stableId } : {}),
    ...(f.path ? { path: f.path.join('.') } : {}),
    ...(f.why ? { why: f.why } : {}),
    ...(f.fixes?.length ? { fixes: f.fixes.map(x => x.title) } : {}),
  };
}

const check: Command = {
  help: `Usage: rampart check [paths...] [options]

Checks threat models and prints findings as 'path:line:col severity rule-id message'.
Paths are files or directories (searched for *.threatmodel.yaml / *.threatmodel.yml); default: '.'.

Options:
  --format text|json|sarif   Output format (default: text)
  --fail-on error|warning|info
                             Lowest severity that makes the exit code 1 (default: error)
  --tolerance LEVEL          Override the models' policy.tolerance (low|medium|high|critical)
  --disable RULE             Switch a rule off (repeatable; 'stride/' switches a family off)
  -o, --output FILE          Write the output to FILE instead of standard output
  --all                      Text format: also list info findings (STRIDE coverage, suggestions)
  --quiet                    Text format: print errors only
  --discover                 Also discover the paths (Compose, Kubernetes, OpenAPI files) and report the
                             drift between each model and them (discover/* findings); problems of those
                             files go to standard error
  --no-trace                 Do not read the repository for the code's side of the model: annotations
                             (@mitigates, @threat, @accepts, @model in comments), evidence line ranges and
                             symbols, git history since an element's review (trace/* findings)
  --intel FILE               Check the elements' technology, components and SBOMs against a local
                             threat-intelligence feed: CISA's KEV catalog (JSON) or OSV records (a JSON
                             file, or a folder of them); repeatable. Nothing is downloaded (intel/* findings)

Team libraries: each model's .rampart/*.yaml files (from its folder up to the repository root) and its
policy.libraries (paths, npm packages) are read: their rules run beside the built-in ones. A library that
cannot be read is reported on standard error (exit 2); problems in library files are printed there too.

Exit codes: 0 no finding at or above --fail-on, 1 at least one, 2 usage error, unreadable file or library.
NO_COLOR turns colours off.
`,
  options: {
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'error' },
    tolerance: { type: 'string' },
    disable: { type: 'string', multiple: true },
    output: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    discover: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: true },
    'no-trace': { type: 'boolean', default: false },
    intel: { type: 'string', multiple: true },
  },
  async run(values, positionals, io) {
    if (values['no-trace']) values.trace = false;
    const format = String(values.format);
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
    const failOn = String(values['fail-on']) as Severity;
    if (!['error', 'warning', 'info'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or info (got '${failOn}')`);
    const settings: AnalysisSettings = { tolerance: level(values.tolerance, '--tolerance'), disabledRules: (values.disable as string[] | undefined) ?? [] };
    if (values.output) checkOutputPath(io, String(values.output));
    // Threat-intelligence feeds (--intel): read once; a feed that cannot be used stops the run (exit 2).
    const intel = loadIntel(values.intel, io, 'check');
    if (intel === null) return 2;
    const { files, missing } = findModels(positionals.length ? positionals : ['.'], io.cwd);
    // The discovery module (and its OpenAPI parser) is loaded only when asked for.
    const discoveryFor = values.discover && (files.length || missing.length)
      ? await (await import('./discover')).discoveryForCheck(positionals.length ? positionals : ['.'], io)
      : undefined;
    for (const m of missing) io.err(`rampart check: cannot read '${terminalSafe(m)}': no such file or directory\n`);
    if (!files.length && !missing.length) {
      io.err(`rampart check: no *.threatmodel.yaml files found under ${positionals.length ? terminalSafe(positionals.join(', ')) : 'the current directory'}. Run 'rampart init' to create one.\n`);
      return 2;
    }
    // Each file becomes its output (text lines, a JSON entry, SARIF results) right after its analysis, and its
    // text and analysis are dropped: memory follows the size of the output, not the analyses of every file.
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    // Info findings are many on a young model: listed with --all, or when they can fail the run.
    const shown: Severity = values.quiet ? 'error' : values.all || failOn === 'info' ? 'info' : 'warning';
    const textLines: string[] = [];
    const jsonFiles: string[] = [];
    const sarif = format === 'sarif' ? new SarifLogBuilder(sarifOptions(io.cwd)) : undefined;
    let hidden = 0;
    let analysed = 0;
    let unreadable = missing.length > 0;
    // What the code says (annotations, evidence files, git): read per repository, once, and used for a model
    // only when its first analysis shows it matters (src/cli/trace.ts).
    const trace = values.trace ? new RepoTrace() : undefined;
    const libraries = new CliLibraries(io, 'check');
    const emit = (r: FileResult) => {
      for (const x of r.analysis.findings) counts[x.severity]++;
      if (format === 'text') hidden += textFindings(r, shown, io, textLines);
      else if (format === 'json') jsonFiles.push(JSON.stringify(checkJson(r)));
      else sarif!.add({ uri: r.display, text: r.text, analysis: r.analysis });
    };
    for (const f of files) {
      let fileSettings: AnalysisSettings = discoveryFor ? { ...settings, discovery: discoveryFor(f) } : settings;
      if (intel) fileSettings = { ...fileSettings, intel: { index: intel } };
      const read = readModelText(f);
      if ('error' in read) { io.err(`rampart check: cannot read '${terminalSafe(display(f, io.cwd))}': ${terminalSafe(read.error)}\n`); unreadable = true; continue; }
      // The text is parsed once; what the analysis needs besides it is gathered from the parsed model, then the
      // rules run once.
      const parsed = parseModel(read.text, fileSettings, { fastYaml: true });
      // the team libraries of the model (.rampart/ folders, policy.libraries): their rules run with the built-in ones
      const library = await libraries.forModel(f, parsed.model);
      if (library) {
        fileSettings = { ...fileSettings, library };
        sarif?.addRules(libraryRuleMeta(library));
      }
      // the SBOMs the model names, read inside its folder, for the feeds
      if (intel && sbomPaths(parsed.model).length) fileSettings = { ...fileSettings, intel: { index: intel, sboms: readSbomsSync(f, parsed.model) } };
      const evidence = evidenceSettings(f);
      let traced: AnalysisSettings = {};
      if (trace) {
        const repo = trace.repo(trace.rootOf(f));
        if (wantsTrace(parsed.model, evidence, repo.annotations.length > 0)) traced = { trace: await trace.traceFor(f, parsed.model, evidence.fileExists) };
        trace.checked(f, parsed.model);
      }
      const r: FileResult = { file: f, display: display(f, io.cwd), text: read.text, analysis: analyzeParsed(parsed, { ...fileSettings, ...evidence, ...traced }) };
      analysed++;
      emit(r);
    }
    // Annotations in source files that name ids no checked model has: findings in those files.
    const bySource = new Map<string, Finding[]>();
    for (const { file, finding } of trace?.annotationFindings() ?? []) {
      let text: string;
      try { text = readText(file); } catch { continue; }
      const lines = new LineIndex(text);
      const a = finding.annotation;
      const col = finding.part === 'with' ? a.withColumn ?? a.column : a.column;
      const end = finding.part === 'with' ? a.withEndColumn ?? a.endColumn : a.endColumn;
      const start = lines.offsetAt(a.line, col + 1);
      const list = bySource.get(file) ?? [];
      list.push({ ruleId: finding.ruleId, severity: finding.severity, message: finding.message, range: { start, end: start + (end - col) } });
      bySource.set(file, list);
    }
    for (const [file, findings] of bySource) {
      const r: FileResult = { file, display: display(file, io.cwd), text: readText(file), analysis: { findings } as unknown as Analysis };
      for (const x of findings) counts[x.severity]++;
      if (format === 'text') hidden += textFindings(r, shown, io, textLines);
      else if (format === 'json') jsonFiles.push(JSON.stringify({ path: r.display, findings: findings.map(x => findingJson(x, new LineIndex(r.text))) }));
      else sarif!.add({ uri: r.display, text: r.text, analysis: r.analysis });
    }
    const failing = (Object.keys(counts) as Severity[]).some(s => counts[s] > 0 && severityRank(s) >= severityRank(failOn));

    // JSON and SARIF are written piece by piece (one file's entry, one result at a time), never as one string.
    let pieces: Iterable<string>;
    if (format === 'text') {
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      textLines.push(`${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info in ${plural(analysed, 'file')}${hidden ? ` (${hidden} not shown: use --all to list them)` : ''}`);
      pieces = [textLines.join('\n') + '\n'];
    } else {
      const json = format === 'json'
        ? jsonPieces({ version: 1, files: JSON_ITEMS, summary: { files: analysed, error: counts.error, warning: counts.warning, info: counts.info } }, jsonFiles)
        : sarif!.pieces();
      pieces = (function* () { for (const p of json) yield jsonSafe(p); yield '\n'; })();
    }
    if (values.output) writeFile(io, String(values.output), pieces);
    else for (const p of pieces) io.out(p);
    if (unreadable || libraries.unreadable) return 2;
    return failing ? 1 : 0;
  },
};

/** Per-file JSON: findings with positions, and the ranked threats. */
function checkJson(r: FileResult) {
  const { model } = r.analysis.parsed;
  const loss = lossSummary(model, r.analysis.assessments);
  const threats = rankThreats(model, r.analysis.assessments).map((t, rank) => {
    const a = r.analysis.assessments.get(t.id)!;
    return {
      rank: rank + 1, id: t.id, title: t.title, level: t.level ?? null, residual: t.residual, open: t.open, aboveTolerance: a.aboveTolerance,
      cvss: a.cvss ? { version: a.cvss.version, vector: a.cvss.vector, baseScore: a.cvss.baseScore, severity: a.cvss.severity } : null,
      annualLoss: t.annualLoss ?? null,
      mitigations: { implemented: a.mitigationsDone, total: a.mitigationsTotal },
    };
  });
  return {
    path: r.display,
    tolerance: r.analysis.tolerance,
    findings: (lines => r.analysis.findings.map(f => findingJson(f, lines)))(new LineIndex(r.text)),
    threats,
    annualLoss: { currency: loss.currency ?? null, residual: loss.total, inherent: loss.totalInherent, accepted: loss.totalAccepted, perAsset: loss.perAsset },
    /** The mitigation plan ("fix first"): mitigations not yet implemented, in the order to do them. */
    plan: planJson(mitigationPlan(model, r.analysis.assessments)),
  };
}

/**
 * Appends the text lines of one file's findings at or above `shown` and returns how many were left out. Every
 * model- or file-derived part is made terminal-safe, so a line always starts with our `path:line:col` and a
 * key or name can neither break it (forging a finding or a CI workflow command) nor drive the terminal.
 */
function textFindings(r: FileResult, shown: Severity, io: Io, out: string[]): number {
  const index = new LineIndex(r.text);
  const file = terminalSafe(r.display);
  let hidden = 0;
  for (const f of r.analysis.findings) {
    if (severityRank(f.severity) < severityRank(shown)) { hidden++; continue; }
    const { line, column } = index.lineCol(f.range.start);
    out.push(`${file}:${line}:${column} ${paint(io, f.severity, COLORS[f.severity])} ${terminalSafe(f.ruleId)} ${terminalSafe(f.message)}`);
    if (f.why) out.push(`    why: ${terminalSafe(f.why)}`);
  }
  return hidden;
}

function sarifOptions(cwd: string): SarifOptions {
  return {
    toolVersion: VERSION, informationUri: HOMEPAGE, ruleHelpUri: ruleDocsUrl, category: 'rampart/',
    srcRoot: 'file://' + cwd.split(path.sep).join('/').replace(/\/?$/, '/'),
  };
}

const init: Command = {
  help: `Usage: rampart init [FILE] [--force]

Writes a commented starter model (default: system.threatmodel.yaml) to edit.
Options:
  --force   Overwrite FILE if it exists
`,
  options: { force: { type: 'boolean', default: false } },
  run(values, positionals, io) {
    const name = positionals[0] ?? 'system.threatmodel.yaml';
    if (positionals.length > 1) throw new UsageError('init takes at most one FILE');
    if (!MODEL_FILE.test(name)) throw new UsageError(`the file name must end in .threatmodel.yaml or .threatmodel.yml (got '${name}')`);
    const file = path.resolve(io.cwd, name);
    if (fs.existsSync(file) && !values.force) {
      io.err(`rampart init: ${terminalSafe(name)} already exists; use --force to overwrite it.\n`);
      return 2;
    }
    writeFile(io, name, STARTER_MODEL);
    io.out(`Wrote ${terminalSafe(name)}. Edit it, then run 'rampart check ${terminalSafe(name)}'.\n`);
    return 0;
  },
};

const rules: Command = {
  help: `Usage: rampart rules [MODEL] [--library PATH]... [--format text|json]

Lists every rule with its id, default severity and title. With a MODEL, also the rules of the team libraries
it uses (its .rampart/ folders and policy.libraries); with --library, those of a library file, a folder of
them or an installed npm package (repeatable). Library rules come after the built-in ones, marked 'library'.
Options:
  --library PATH        A library file or folder (relative to the working directory), or an npm package name
  --format text|json    Output format (default: text)
`,
  options: { format: { type: 'string', default: 'text' }, library: { type: 'string', multiple: true } },
  async run(values, positionals, io) {
    const format = String(values.format);
    if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json (got '${format}')`);
    if (positionals.length > 1) throw new UsageError('rules takes at most one MODEL');
    const libraries = new CliLibraries(io, 'rules');
    if (positionals[0]) {
      const { file, text } = readModelFile(positionals[0], io, 'rules');
      await libraries.forModel(file, analyze(text).parsed.model);
    }
    const given = (values.library as string[] | undefined) ?? [];
    if (given.length) await libraries.forPaths(given);
    const builtIn = new Set(ALL_RULE_META.map(m => m.id));
    const extra = libraries.ruleMeta().filter(m => !builtIn.has(m.id));
    const all = [...ALL_RULE_META, ...extra];
    if (format === 'json') {
      io.out(jsonSafe(JSON.stringify(all, null, 2)) + '\n');
    } else {
      const w = Math.max(...all.map(m => m.id.length));
      for (const m of ALL_RULE_META) io.out(`${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${m.title}\n`);
      for (const m of extra) io.out(terminalSafe(`${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${m.title}  (library)`) + '\n');
    }
    return libraries.unreadable ? 2 : 0;
  },
};

/** Why a write failed, in words (the errno code is kept for anything else). */
function writeFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EISDIR': return 'is a directory';
    case 'ENOENT': return 'no such directory';
    case 'ENOTDIR': return 'a parent of it is not a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    default: return err.code ? `${err.code.toLowerCase()}: ${err.message}` : String(err.message ?? e);
  }
}

/**
 * Writes `text` (or its pieces, in order) to the output file `name`, relative to the working directory; a failure
 * (a directory, a read-only path, a missing parent, a full disk) is a clear exit 2, not an internal error.
 */
function writeFile(io: Io, name: string, text: string | Iterable<string>): string {
  const file = path.resolve(io.cwd, name);
  let fd: number | undefined;
  try {
    if (typeof text === 'string') fs.writeFileSync(file, text);
    else {
      fd = fs.openSync(file, 'w');
      for (const piece of text) fs.writeSync(fd, piece);
    }
  } catch (e) {
    throw new CommandError(`cannot write '${name}': ${writeFailure(e)}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return file;
}

/** Fails early, before a long run, when the output file is certainly not writable (a directory). */
function checkOutputPath(io: Io, name: string): void {
  let st: fs.Stats | undefined;
  try { st = fs.statSync(path.resolve(io.cwd, name)); } catch { return; }
  if (st.isDirectory()) throw new CommandError(`cannot write '${name}': is a directory`);
}

/**
 * Writes a document to `-o FILE` exactly, or prints it. Printed, it is made safe for the terminal: a JSON
 * document gets `\uXXXX` escapes for the characters `JSON.stringify` leaves raw (same value), any other document
 * (Markdown, Mermaid, YAML, whose encoders already drop such characters) gets visible escapes for control and
 * bidi characters that would still be there.
 */
export function writeOrPrint(io: Io, output: unknown, text: string, what: string, kind: 'json' | 'document' = 'document') {
  if (output) {
    const file = writeFile(io, String(output), text);
    io.err(`Wrote ${what} to ${terminalSafe(display(file, io.cwd))}\n`);
  } else io.out(kind === 'json' ? jsonSafe(text) : documentSafe(text));
}

/** Ids for a "the model has: …" hint, at most `max` of them. */
function idList(ids: string[], max = 20): string {
  if (!ids.length) return 'none';
  return ids.slice(0, max).join(', ') + (ids.length > max ? `, … (${ids.length - max} more)` : '');
}

/** The own entry `id` of a section of the model (never an inherited property such as `__proto__` or `constructor`). */
function ownEntry<T>(section: Record<string, T> | undefined, id: string): T | undefined {
  return section && typeof section === 'object' && Object.hasOwn(section, id) ? section[id] : undefined;
}

const report: Command = {
  help: `Usage: rampart report FILE [-o report.md]

Writes a Markdown report of the model: scope, summary, data-flow diagram (a mermaid block GitHub renders),
threats ranked by risk, mitigations, accepted risks, attack trees and open findings.
Options:
  -o, --output FILE   Write to FILE instead of standard output
  --tolerance LEVEL   Override the model's policy.tolerance
  --no-trace          Do not read the repository: annotations (where the code implements each mitigation),
                      evidence line ranges and symbols, git history since an element's review
  --intel FILE        Check the elements against a local KEV catalog or OSV feed (repeatable), as check does
The model's team libraries (.rampart/ folders, policy.libraries) are read as check reads them.
`,
  options: { output: { type: 'string', short: 'o' }, tolerance: { type: 'string' }, 'no-trace': { type: 'boolean', default: false }, intel: { type: 'string', multiple: true } },
  async run(values, positionals, io) {
    const { file, text } = readModelFile(positionals[0], io, 'report');
    const intel = loadIntel(values.intel, io, 'report');
    if (intel === null) return 2;
    const settings: AnalysisSettings = { tolerance: level(values.tolerance, '--tolerance') };
    const parsed = parseModel(text, settings, { fastYaml: true });
    const library = await new CliLibraries(io, 'report').forModel(file, parsed.model);
    if (library) settings.library = library;
    if (intel) settings.intel = { index: intel, sboms: readSbomsSync(file, parsed.model) };
    let annotations;
    let traced: AnalysisSettings = {};
    if (!values['no-trace']) {
      // what the code says, as `rampart check` reads it: the report's findings are the check's
      const trace = await new RepoTrace().traceFor(file, parsed.model);
      traced = { ...evidenceSettings(file), trace };
      annotations = trace.annotations;
    }
    const analysis = analyzeParsed(parsed, { ...settings, ...traced });
    const md = renderReport(analysis, { fileName: display(file, io.cwd), generator: `Rampart ${VERSION}`, annotations });
    writeOrPrint(io, values.output, md, 'the report');
    return 0;
  },
};

const plan: Command = {
  help: `Usage: rampart plan FILE [--format text|json|markdown] [-o FILE]

Prints the mitigation plan ("fix first"): the mitigations not yet implemented or verified, in the order to do
them: the highest risk level they close first, then the best return on security investment
(ROSI = (annual loss reduction - annual cost) / annual cost), then the lowest annual cost, then one-off cost.
A mitigation's annual loss reduction is the annual loss of the open threats it closes; a threat with several
pending mitigations has its loss shared equally among them. Costs are the mitigations' annual_cost (a year)
and cost (once, shown apart), in policy.currency.
Options:
  --format text|json|markdown   Output format (default: text)
  --tolerance LEVEL             Override the model's policy.tolerance (which threats are above it)
  -o, --output FILE             Write to FILE instead of standard output

Exit codes: 0 printed (also when the plan is empty), 2 usage error or unreadable file.
`,
  options: { format: { type: 'string', default: 'text' }, tolerance: { type: 'string' }, output: { type: 'string', short: 'o' } },
  async run(values, positionals, io) {
    const format = String(values.format);
    if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json or markdown (got '${format}')`);
    if (positionals.length > 1) throw new UsageError('plan takes exactly one FILE');
    const { file, text } = readModelFile(positionals[0], io, 'plan');
    const settings: AnalysisSettings = { tolerance: level(values.tolerance, '--tolerance') };
    // the team libraries' rules count for the plan's findings as they do for check
    const parsed = parseModel(text, settings, { fastYaml: true });
    const library = await new CliLibraries(io, 'plan').forModel(file, parsed.model);
    const analysis = analyzeParsed(parsed, library ? { ...settings, library } : settings);
    const errors = analysis.parsed.findings.filter(f => f.severity === 'error').length;
    if (errors) io.err(`rampart plan: ${terminalSafe(display(file, io.cwd))} has ${errors} error(s) (run 'rampart check'); the plan covers the entries that are valid.\n`);
    const p = mitigationPlan(analysis.parsed.model, analysis.assessments);
    const name = display(file, io.cwd);
    if (format === 'json') {
      writeOrPrint(io, values.output, JSON.stringify({ version: 1, path: name, tolerance: analysis.tolerance, ...planJson(p) }, null, 2) + '\n', 'the plan', 'json');
    } else if (format === 'markdown') {
      writeOrPrint(io, values.output, planMarkdown(p, '#') + '\n', 'the plan');
    } else {
      const head = `Mitigation plan (fix first) of ${name}: ${p.entries.length} mitigation(s) to do, tolerance ${analysis.tolerance}${p.currency ? `, amounts in ${p.currency}` : ''}`;
      const out = [head, '', ...planText(p)].map(l => terminalSafe(l)).join('\n') + '\n';
      if (values.output) writeOrPrint(io, values.output, out, 'the plan');
      else io.out(out);
    }
    return 0;
  },
};

const diagram: Command = {
  help: `Usage: rampart diagram FILE [--attack-tree ID] [--focus ID]

Prints the model's data-flow diagram as Mermaid text (for docs, wikis and CI), or one attack tree.
Options:
  --attack-tree ID    Print the attack tree ID instead of the data-flow diagram
  --focus ID          Show one boundary expanded (others collapsed), or the neighbourhood of an element
  -o, --output FILE   Write to FILE instead of standard output
`,
  options: { 'attack-tree': { type: 'string' }, focus: { type: 'string' }, output: { type: 'string', short: 'o' } },
  run(values, positionals, io) {
    const { text } = readModelFile(positionals[0], io, 'diagram');
    const analysis = analyze(text);
    const { model } = analysis.parsed;
    if (values['attack-tree']) {
      const id = String(values['attack-tree']);
      const tree = ownEntry(model.attack_trees, id);
      if (!tree) throw new UsageError(`no attack tree '${id}'; the model has: ${idList(Object.keys(model.attack_trees ?? {}))}`);
      const blocked = (tid: string) => { const a = analysis.assessments.get(tid); return !!a && (a.residual === 'mitigated' || a.residual === 'not-applicable'); };
      writeOrPrint(io, values.output, attackTreeDiagram(tree, { blocked, threatTitle: (tid: string) => ownEntry(model.threats, tid)?.title }).text + '\n', 'the diagram');
      return 0;
    }
    let focus;
    if (values.focus) {
      const id = String(values.focus);
      if (ownEntry(model.boundaries, id)) focus = { boundary: id };
      else if (ownEntry(model.elements, id)) focus = { element: id };
      else {
        throw new UsageError(`--focus: no boundary or element '${id}'; the model has: boundaries ${idList(Object.keys(model.boundaries ?? {}))}; elements ${idList(Object.keys(model.elements ?? {}))}`);
      }
    }
    const d = modelDiagram(model, analysis.assessments, { focus });
    if (d.note) io.err(`rampart diagram: ${terminalSafe(d.note)}\n`);
    // edge ids (`e0@-->`) need Mermaid 11.5+; the printed text is for any renderer (GitHub, wikis)
    writeOrPrint(io, values.output, portableMermaid(d.text) + '\n', 'the diagram');
    return 0;
  },
};

const diff: Command = {
  help: `Usage: rampart diff BASE HEAD
       rampart diff --git REV FILE

Prints a Markdown risk delta for a pull request: threats added/removed, status and level changes,
mitigations changed, residual risk and annual loss before/after, findings introduced/fixed.
Options:
  --git REV           Compare FILE in the working tree with FILE at git revision REV
  --tolerance LEVEL   Override the models' policy.tolerance on both sides
  -o, --output FILE   Write to FILE instead of standard output
`,
  options: { git: { type: 'string' }, output: { type: 'string', short: 'o' }, tolerance: { type: 'string' } },
  run(values, positionals, io) {
    let baseText: string | null, headText: string | null, fileName: string, baseLabel: string, headLabel: string;
    if (values.git) {
      if (positionals.length !== 1) throw new UsageError('--git REV takes exactly one FILE');
      const { file, text } = readModelFile(positionals[0], io, 'diff');
      headText = text;
      fileName = display(file, io.cwd);
      const rev = String(values.git);
      baseText = gitBlob(rev, file, io);
      baseLabel = rev;
      headLabel = 'working tree';
    } else {
      if (positionals.length !== 2) throw new UsageError('diff takes BASE and HEAD files (or --git REV FILE)');
      const base = readModelFile(positionals[0], io, 'diff');
      const head = readModelFile(positionals[1], io, 'diff');
      baseText = base.text;
      headText = head.text;
      fileName = display(head.file, io.cwd);
      baseLabel = display(base.file, io.cwd);
      headLabel = fileName;
    }
    const { markdown } = diffModels(baseText, headText, { tolerance: level(values.tolerance, '--tolerance') }, { fileName, baseLabel, headLabel });
    writeOrPrint(io, values.output, markdown, 'the risk diff');
    return 0;
  },
};

/** Runs git and returns its standard output; throws with git's standard error kept on the exception. */
function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The text of `file` at git revision `rev`, or null when the file does not exist there (a model added since).
 * `rev` must name one commit: ranges (`A..B`, `A...B`, `A^@`, `A^-`) and anything that looks like an option are
 * refused, the revision is resolved to a commit first, and the object at the file's path in it must be a blob,
 * so no other git output (a log, a tree listing, a diff) can ever be taken as the base model.
 */
function gitBlob(rev: string, file: string, io: Io): string | null {
  if (rev.startsWith('-')) throw new UsageError(`--git: '${rev}' is not a git revision (it starts with '-')`);
  if (rev.includes('..') || /\^[@!-]/.test(rev)) throw new UsageError(`--git takes one revision, not a range ('${rev}'); for example --git main or --git HEAD~1`);
  if (!/^[\w./~^@{}-]+$/.test(rev)) throw new UsageError(`--git: '${rev}' is not a git revision`);
  let top: string;
  let rel: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], path.dirname(file)).trim();
    let real = file;
    try { real = fs.realpathSync(file); } catch { /* keep the path as given */ }
    rel = path.relative(top, real).split(path.sep).join('/');
  } catch {
    throw new UsageError(`'${display(file, io.cwd)}' is not in a git repository (or git is missing)`);
  }
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], top).trim();
  } catch {
    throw new UsageError(`--git: '${rev}' is not a commit of this repository`);
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new UsageError(`--git: '${rev}' is not a commit of this repository`);
  const object = `${commit}:${rel}`;
  let type: string;
  try {
    type = git(['cat-file', '-t', object], top).trim();
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr ?? '');
    if (/does not exist|exists on disk, but not in/.test(msg)) return null;
    throw new UsageError(`git could not read ${rel} at ${rev}: ${msg.trim().split('\n')[0] || (e as Error).message}`);
  }
  if (type !== 'blob') throw new UsageError(`--git: ${rel} at ${rev} is a ${type}, not a file`);
  try {
    return git(['cat-file', 'blob', object], top);
  } catch (e) {
    throw new UsageError(`git could not read ${rel} at ${rev}: ${String((e as { stderr?: string }).stderr ?? '').trim().split('\n')[0] || (e as Error).message}`);
  }
}

const importCmd: Command = {
  help: `Usage: rampart import --from threagile|threat-dragon|otm|threat-composer FILE [-o out.threatmodel.yaml]

Converts another tool's model into a Rampart model. What could not be mapped is kept as comments, and listed
on standard error. A Threagile model's \`includes:\` are read from the folder of FILE (never outside it).
Options:
  --from TOOL         threagile, threat-dragon, otm or threat-composer (AWS Threat Composer .tc.json)
  -o, --output FILE   Write to FILE (must end in .threatmodel.yaml) instead of standard output
  --force             Overwrite FILE if it exists
`,
  options: { from: { type: 'string' }, output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } },
  run(values, positionals, io) {
    const from = values.from as ImportFormat | undefined;
    if (!from || !IMPORT_FORMATS.includes(from)) throw new UsageError(`--from must be one of ${IMPORT_FORMATS.join(', ')}`);
    if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
    const { file, text } = readModelFile(positionals[0], io, 'import');
    let result;
    try {
      result = importModel(from, text, { readInclude: includeReader(file) });
    } catch (e) {
      if (e instanceof ImportError) { io.err(`rampart import: ${terminalSafe(e.message)}\n`); return 2; }
      throw e;
    }
    if (values.output) {
      const out = String(values.output);
      if (!MODEL_FILE.test(out)) throw new UsageError(`the output file must end in .threatmodel.yaml (got '${out}')`);
      if (fs.existsSync(path.resolve(io.cwd, out)) && !values.force) { io.err(`rampart import: ${terminalSafe(out)} already exists; use --force to overwrite it.\n`); return 2; }
    }
    writeOrPrint(io, values.output, result.yaml, 'the model');
    const st = result.stats;
    io.err(`Imported ${st.elements} elements, ${st.flows} flows, ${st.threats} threats, ${st.boundaries} boundaries, ${st.assets} assets, ${st.mitigations} mitigations.\n`);
    for (const n of result.notes) io.err(`note: ${terminalSafe(n)}\n`);
    return 0;
  },
};

const exportCmd: Command = {
  help: `Usage: rampart export --to threagile|threat-dragon|otm|threat-composer FILE [-o out]

Converts a Rampart model into a Threagile model (YAML), Threat Dragon v2 JSON, Open Threat Model (OTM) JSON or
AWS Threat Composer JSON. What the other tool cannot hold is listed on standard error ('not exported: ...').
Entities keep the other tool's ids (\`source_id\`) when they came from it, so the result diffs against the
original file.
Options:
  --to TOOL           threagile, threat-dragon, otm or threat-composer
  -o, --output FILE   Write to FILE instead of standard output
`,
  options: { to: { type: 'string' }, output: { type: 'string', short: 'o' } },
  run(values, positionals, io) {
    const to = values.to as ExportFormat | undefined;
    if (!to || !EXPORT_FORMATS.includes(to)) throw new UsageError(`--to must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (positionals.length !== 1) throw new UsageError('export takes exactly one FILE');
    const { file, text } = readModelFile(positionals[0], io, 'export');
    const analysis = analyze(text);
    const errors = analysis.findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
    if (errors.length) {
      for (const f of errors.slice(0, 10)) {
        const { line, column } = lineCol(text, f.range.start);
        io.err(`${terminalSafe(display(file, io.cwd))}:${line}:${column} error ${terminalSafe(f.ruleId)} ${terminalSafe(f.message)}\n`);
      }
      io.err(`rampart export: the model has ${errors.length} schema error(s); fix them first.\n`);
      return 1;
    }
    const result = exportModelWithNotes(to, analysis.parsed.model);
    writeOrPrint(io, values.output, result.text, 'the export', to === 'threagile' ? 'document' : 'json');
    for (const n of result.notes) io.err(`not exported: ${terminalSafe(n)}\n`);
    return 0;
  },
};

const discoverCmd: Command = {
  help: `Usage: rampart discover [paths...] [-o model.threatmodel.yaml] [--force] [--title TITLE]

Drafts a threat model from what the repository declares: Docker Compose files, Kubernetes manifests
(kustomizations too) and OpenAPI / Swagger descriptions under the paths (default '.'; node_modules, .git,
dist and other build folders are skipped). Every entry says where it was found (\`source: file:line\`).
Prints the model, or writes it to FILE. When FILE exists, prints only the entries it lacks (the file is not
changed) unless --force overwrites it. Problems of the files read (secrets written in them, unresolved
$refs, unauthenticated public API operations, ...) go to standard error as 'path:line:col severity rule message'.
Remote $refs and kustomize bases are never fetched.
Options:
  -o, --output FILE   Write the model to FILE (must end in .threatmodel.yaml); source paths are relative to it
  --force             Overwrite FILE instead of listing what is new
  --title TITLE       The model's title (default: 'Threat model of' the folder's name)

Exit codes: 0 done, 2 usage error, unreadable path, or nothing to discover.
`,
  options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, title: { type: 'string' } },
  async run(values, positionals, io) {
    return (await import('./discover')).runDiscover(values, positionals, io);
  },
};

export const COMMANDS: Record<string, Command> = { check, report, plan, diagram, diff, import: importCmd, export: exportCmd, init, discover: discoverCmd, rules };

/**
 * The feeds of `--intel` (repeatable), read and indexed; undefined without `--intel`, null when one cannot be
 * used (each problem is printed, naming the file; the command exits 2). Files of a feed folder that are not OSV
 * records are skipped with a note.
 */
function loadIntel(given: unknown, io: Io, cmd: string): IntelIndex | undefined | null {
  const paths = Array.isArray(given) ? given.map(String) : [];
  if (!paths.length) return undefined;
  const { index, reads } = loadFeedsSync(paths, io.cwd);
  for (const r of reads) {
    if (!r.skipped.length || !r.parsed.ok) continue;
    const first = r.skipped[0];
    io.err(`rampart ${cmd}: --intel '${terminalSafe(r.name)}': skipped ${r.skipped.length} file(s) that are not OSV records (${terminalSafe(first.file)} ${terminalSafe(first.message)}${r.skipped.length > 1 ? ', ...' : ''})\n`);
  }
  if (index.problems.length) {
    for (const p of index.problems) io.err(`rampart ${cmd}: cannot use the feed '${terminalSafe(p.feed)}': it ${terminalSafe(p.message)}\n`);
    return null;
  }
  return index;
}

/** Reads a model file for the commands that take exactly one; unreadable -> usage-level error (exit 2). */
export function readModelFile(file: string | undefined, io: Io, cmd: string): { file: string; text: string } {
  if (!file) throw new UsageError(`${cmd} needs a model FILE`);
  const abs = path.resolve(io.cwd, file);
  try {
    return { file: abs, text: readText(abs) };
  } catch (e) {
    throw new UsageError(`cannot read '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
