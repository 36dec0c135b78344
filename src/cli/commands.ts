/**
 * The CLI's commands. Each reads files, calls the pure core and prints; nothing here decides what a finding is.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { analyze, type Analysis } from '../core/analyze';
import { ALL_RULE_META } from '../core/rules/index';
import { LEVELS, type Level } from '../core/model/schema';
import { severityRank, type AnalysisSettings, type Finding, type Severity } from '../core/types';
import { LineIndex, lineCol } from '../core/lines';
import { rankThreats } from '../core/risk/ranking';
import { lossSummary } from '../core/risk/ale';
import { toSarif } from '../core/render/sarif';
import { portableMermaid, renderReport } from '../core/render/report';
import { modelDiagram } from '../core/render/mermaid';
import { attackTreeDiagram } from '../core/render/attackTree';
import { diffModels } from '../core/diff';
import { EXPORT_FORMATS, IMPORT_FORMATS, ImportError, exportModel, importModel, type ExportFormat, type ImportFormat } from '../core/interop/index';
import { STARTER_MODEL } from '../core/templates';
import { execFileSync } from 'node:child_process';

export const VERSION = '0.1.0';
import { HOMEPAGE, ruleDocsUrl } from '../core/rules/docs';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  color: boolean;
  cwd: string;
}

export class UsageError extends Error {}

export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[], io: Io): Promise<number> | number;
}

const MODEL_FILE = /\.threatmodel\.ya?ml$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.run', '.tools']);

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

const display = (file: string, cwd: string) => {
  const rel = path.relative(cwd, file);
  return (rel && !rel.startsWith('..') ? rel : file).split(path.sep).join('/');
};

function level(v: unknown, flag: string): Level | undefined {
  if (v === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(String(v))) throw new UsageError(`${flag} must be one of ${LEVELS.join(', ')} (got '${String(v)}')`);
  return v as Level;
}

function readText(file: string): string {
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

export function analyzeFile(file: string, settings: AnalysisSettings): FileResult | { file: string; error: string } {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { file, error: 'not a regular file' };
    text = readText(file);
  } catch (e) {
    return { file, error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message };
  }
  const dir = path.dirname(file);
  const fileExists = (rel: string) => {
    const abs = path.resolve(dir, rel);
    try { return fs.existsSync(abs); } catch { return undefined; }
  };
  return { file, display: file, text, analysis: analyze(text, { ...settings, fileExists }) };
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

Exit codes: 0 no finding at or above --fail-on, 1 at least one, 2 usage error or unreadable file.
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
  },
  run(values, positionals, io) {
    const format = String(values.format);
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
    const failOn = String(values['fail-on']) as Severity;
    if (!['error', 'warning', 'info'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or info (got '${failOn}')`);
    const settings: AnalysisSettings = { tolerance: level(values.tolerance, '--tolerance'), disabledRules: (values.disable as string[] | undefined) ?? [] };
    const { files, missing } = findModels(positionals.length ? positionals : ['.'], io.cwd);
    for (const m of missing) io.err(`rampart check: cannot read '${m}': no such file or directory\n`);
    if (!files.length && !missing.length) {
      io.err(`rampart check: no *.threatmodel.yaml files found under ${positionals.length ? positionals.join(', ') : 'the current directory'}. Run 'rampart init' to create one.\n`);
      return 2;
    }
    const results: FileResult[] = [];
    let unreadable = missing.length > 0;
    for (const f of files) {
      const r = analyzeFile(f, settings);
      if ('error' in r) { io.err(`rampart check: cannot read '${display(f, io.cwd)}': ${r.error}\n`); unreadable = true; continue; }
      r.display = display(f, io.cwd);
      results.push(r);
    }
    const all = results.flatMap(r => r.analysis.findings);
    const failing = all.some(f => severityRank(f.severity) >= severityRank(failOn));

    let output = '';
    if (format === 'text') {
      const lines: string[] = [];
      // Info findings are many on a young model: listed with --all, or when they can fail the run.
      const shown: Severity = values.quiet ? 'error' : values.all || failOn === 'info' ? 'info' : 'warning';
      let hidden = 0;
      for (const r of results) {
        const index = new LineIndex(r.text);
        for (const f of r.analysis.findings) {
          if (severityRank(f.severity) < severityRank(shown)) { hidden++; continue; }
          const { line, column } = index.lineCol(f.range.start);
          lines.push(`${r.display}:${line}:${column} ${paint(io, f.severity, COLORS[f.severity])} ${f.ruleId} ${f.message}`);
          if (f.why) lines.push(`    why: ${f.why}`);
        }
      }
      const count = (s: Severity) => all.filter(f => f.severity === s).length;
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      lines.push(`${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info in ${plural(results.length, 'file')}${hidden ? ` (${hidden} not shown: use --all to list them)` : ''}`);
      output = lines.join('\n') + '\n';
    } else if (format === 'json') {
      output = JSON.stringify({
        version: 1,
        files: results.map(r => checkJson(r)),
        summary: { files: results.length, error: all.filter(f => f.severity === 'error').length, warning: all.filter(f => f.severity === 'warning').length, info: all.filter(f => f.severity === 'info').length },
      }, null, 2) + '\n';
    } else {
      output = JSON.stringify(sarifFor(results, io.cwd), null, 2) + '\n';
    }
    if (values.output) fs.writeFileSync(path.resolve(io.cwd, String(values.output)), output);
    else io.out(output);
    if (unreadable) return 2;
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
  };
}

function sarifFor(results: FileResult[], cwd: string): unknown {
  return toSarif(results.map(r => ({ uri: r.display, text: r.text, analysis: r.analysis })), {
    toolVersion: VERSION, informationUri: HOMEPAGE, ruleHelpUri: ruleDocsUrl, category: 'rampart/',
    srcRoot: 'file://' + cwd.split(path.sep).join('/').replace(/\/?$/, '/'),
  });
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
      io.err(`rampart init: ${name} already exists; use --force to overwrite it.\n`);
      return 2;
    }
    fs.writeFileSync(file, STARTER_MODEL);
    io.out(`Wrote ${name}. Edit it, then run 'rampart check ${name}'.\n`);
    return 0;
  },
};

const rules: Command = {
  help: `Usage: rampart rules [--format text|json]

Lists every rule with its id, default severity and title.
`,
  options: { format: { type: 'string', default: 'text' } },
  run(values, _p, io) {
    if (values.format === 'json') {
      io.out(JSON.stringify(ALL_RULE_META, null, 2) + '\n');
      return 0;
    }
    const w = Math.max(...ALL_RULE_META.map(m => m.id.length));
    for (const m of ALL_RULE_META) io.out(`${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${m.title}\n`);
    return 0;
  },
};

function writeOrPrint(io: Io, output: unknown, text: string, what: string) {
  if (output) {
    const file = path.resolve(io.cwd, String(output));
    fs.writeFileSync(file, text);
    io.err(`Wrote ${what} to ${display(file, io.cwd)}\n`);
  } else io.out(text);
}

const report: Command = {
  help: `Usage: rampart report FILE [-o report.md]

Writes a Markdown report of the model: scope, summary, data-flow diagram (a mermaid block GitHub renders),
threats ranked by risk, mitigations, accepted risks, attack trees and open findings.
Options:
  -o, --output FILE   Write to FILE instead of standard output
  --tolerance LEVEL   Override the model's policy.tolerance
`,
  options: { output: { type: 'string', short: 'o' }, tolerance: { type: 'string' } },
  run(values, positionals, io) {
    const { file, text } = readModelFile(positionals[0], io, 'report');
    const analysis = analyze(text, { tolerance: level(values.tolerance, '--tolerance') });
    const md = renderReport(analysis, { fileName: display(file, io.cwd), generator: `Rampart ${VERSION}` });
    writeOrPrint(io, values.output, md, 'the report');
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
      const tree = model.attack_trees?.[id];
      if (!tree) throw new UsageError(`no attack tree '${id}' in the model (trees: ${Object.keys(model.attack_trees ?? {}).join(', ') || 'none'})`);
      const blocked = (tid: string) => { const a = analysis.assessments.get(tid); return !!a && (a.residual === 'mitigated' || a.residual === 'not-applicable'); };
      writeOrPrint(io, values.output, attackTreeDiagram(tree, { blocked, threatTitle: (tid: string) => model.threats?.[tid]?.title }).text + '\n', 'the diagram');
      return 0;
    }
    let focus;
    if (values.focus) {
      const id = String(values.focus);
      if (model.boundaries?.[id]) focus = { boundary: id };
      else if (model.elements?.[id]) focus = { element: id };
      else throw new UsageError(`--focus: no boundary or element '${id}' in the model`);
    }
    const d = modelDiagram(model, analysis.assessments, { focus });
    if (d.note) io.err(`rampart diagram: ${d.note}\n`);
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
      if (!/^[\w./~^@{}-]+$/.test(rev) || rev.startsWith('-')) throw new UsageError(`'${rev}' is not a git revision`);
      try {
        const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: path.dirname(file), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
        const rel = path.relative(top, file).split(path.sep).join('/');
        try {
          baseText = execFileSync('git', ['show', `${rev}:${rel}`], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
        } catch (e) {
          const msg = String((e as { stderr?: string }).stderr ?? '');
          if (/does not exist|exists on disk, but not in/.test(msg)) baseText = null;
          else throw new UsageError(`git could not read ${rel} at ${rev}: ${msg.trim().split('\n')[0] || (e as Error).message}`);
        }
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`'${display(file, io.cwd)}' is not in a git repository (or git is missing)`);
      }
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

const importCmd: Command = {
  help: `Usage: rampart import --from threagile|threat-dragon|otm FILE [-o out.threatmodel.yaml]

Converts another tool's model into a Rampart model. What could not be mapped is kept as comments.
Options:
  --from TOOL         threagile, threat-dragon or otm
  -o, --output FILE   Write to FILE (must end in .threatmodel.yaml) instead of standard output
  --force             Overwrite FILE if it exists
`,
  options: { from: { type: 'string' }, output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } },
  run(values, positionals, io) {
    const from = values.from as ImportFormat | undefined;
    if (!from || !IMPORT_FORMATS.includes(from)) throw new UsageError(`--from must be one of ${IMPORT_FORMATS.join(', ')}`);
    if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
    const { text } = readModelFile(positionals[0], io, 'import');
    let result;
    try {
      result = importModel(from, text);
    } catch (e) {
      if (e instanceof ImportError) { io.err(`rampart import: ${e.message}\n`); return 2; }
      throw e;
    }
    if (values.output) {
      const out = String(values.output);
      if (!MODEL_FILE.test(out)) throw new UsageError(`the output file must end in .threatmodel.yaml (got '${out}')`);
      if (fs.existsSync(path.resolve(io.cwd, out)) && !values.force) { io.err(`rampart import: ${out} already exists; use --force to overwrite it.\n`); return 2; }
    }
    writeOrPrint(io, values.output, result.yaml, 'the model');
    const st = result.stats;
    io.err(`Imported ${st.elements} elements, ${st.flows} flows, ${st.threats} threats, ${st.boundaries} boundaries, ${st.assets} assets, ${st.mitigations} mitigations.\n`);
    for (const n of result.notes) io.err(`note: ${n}\n`);
    return 0;
  },
};

const exportCmd: Command = {
  help: `Usage: rampart export --to threat-dragon|otm FILE [-o out.json]

Converts a Rampart model into Threat Dragon v2 JSON or Open Threat Model (OTM) JSON.
Options:
  --to TOOL           threat-dragon or otm
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
        io.err(`${display(file, io.cwd)}:${line}:${column} error ${f.ruleId} ${f.message}\n`);
      }
      io.err(`rampart export: the model has ${errors.length} schema error(s); fix them first.\n`);
      return 1;
    }
    writeOrPrint(io, values.output, exportModel(to, analysis.parsed.model), 'the export');
    return 0;
  },
};

export const COMMANDS: Record<string, Command> = { check, report, diagram, diff, import: importCmd, export: exportCmd, init, rules };

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
