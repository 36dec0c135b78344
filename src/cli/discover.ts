/**
 * `rampart discover` and `rampart check --discover`: find the Compose files, Kubernetes manifests and OpenAPI
 * descriptions under the paths given, read them within limits, and hand their contents to the pure core
 * (src/core/discover). Loaded only when one of the two runs, so other commands never load the OpenAPI parser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, MODEL_FILE, display, readText, writeOrPrint, type Io } from './commands';
import { analyze } from '../core/analyze';
import { classifyFile, discover, draftModel, driftFindings, proposeAdditions, rebaseDiscovery, DISCOVER_LIMITS, type Discovery, type DiscoverFile, type DiscoveryFinding } from '../core/discover/index';
import { sectionsYaml } from '../core/discover/draft';
import { isCandidateName, isComposeName, searchesDir } from '../core/discover/candidates';
import { lineCol } from '../core/lines';
import { documentSafe, terminalSafe } from '../core/text/safe';
import { evidenceSettings, existsInside, repositoryRoot } from '../node/evidence';

const MAX_VISITED = 50_000;
const MAX_CANDIDATES = 5_000;

export interface Found {
  /** Absolute paths of the files to discover, sorted. */
  files: string[];
  /** Paths given that do not exist. */
  missing: string[];
  /** Files skipped before reading (too large), as findings with absolute paths. */
  skipped: DiscoveryFinding[];
  /** Why the walk stopped early, if it did. */
  truncated?: string;
}

const posix = (p: string) => p.split(path.sep).join('/');

/** The discoverable files under `paths` (files given by name are kept whatever they are; the core says what they are). */
export function findDiscoverable(paths: string[], cwd: string): Found {
  const out: Found = { files: [], missing: [], skipped: [] };
  const candidates: { abs: string; named: boolean }[] = [];
  let visited = 0;
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++visited > MAX_VISITED || candidates.length >= MAX_CANDIDATES) { out.truncated ??= `stopped after ${MAX_VISITED} entries or ${MAX_CANDIDATES} candidate files; name the folders to discover`; return; }
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (searchesDir(e.name)) walk(p); }
      else if (e.isFile() && isCandidateName(e.name)) candidates.push({ abs: p, named: false });
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch { out.missing.push(p); continue; }
    if (st.isDirectory()) walk(abs);
    else if (!MODEL_FILE.test(abs)) candidates.push({ abs, named: true });
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.abs)) continue;
    seen.add(c.abs);
    let size: number;
    try { size = fs.statSync(c.abs).size; } catch { continue; }
    if (size > DISCOVER_LIMITS.fileSize) {
      if (c.named || isComposeName(path.basename(c.abs))) {
        out.skipped.push({ ruleId: 'discover/file-too-large', severity: 'warning', message: `The file is ${size} bytes, over the ${DISCOVER_LIMITS.fileSize} that discovery reads; it was skipped.`, source: { file: c.abs, line: 1 } });
      }
      continue;
    }
    if (c.named || isComposeName(path.basename(c.abs))) { out.files.push(c.abs); continue; }
    let text: string;
    try { text = readText(c.abs); } catch { continue; }
    if (classifyFile({ path: c.abs, text })) out.files.push(c.abs);
  }
  out.files.sort();
  return out;
}

/**
 * Discovers `paths` with file paths relative to `base` (the folder of the model the paths will be written to).
 * `$ref`s to files outside the given ones are read only inside the repository of `base`, within the size cap.
 */
export async function discoverPaths(paths: string[], io: Io, base: string, cmd: string): Promise<{ discovery: Discovery; skipped: DiscoveryFinding[]; found: Found }> {
  const found = findDiscoverable(paths, io.cwd);
  for (const m of found.missing) io.err(`rampart ${cmd}: cannot read '${terminalSafe(m)}': no such file or directory\n`);
  if (found.truncated) io.err(`rampart ${cmd}: ${found.truncated}\n`);
  const rel = (abs: string) => posix(path.relative(base, abs)) || '.';
  const files: DiscoverFile[] = [];
  for (const abs of found.files) {
    try { files.push({ path: rel(abs), text: readText(abs) }); } catch (e) { io.err(`rampart ${cmd}: cannot read '${terminalSafe(display(abs, io.cwd))}': ${terminalSafe((e as Error).message)}\n`); }
  }
  const root = repositoryRoot(base);
  const readFile = (p: string): string | undefined => {
    const abs = path.resolve(base, p);
    if (existsInside(root, abs) !== true) return undefined;
    try { return fs.statSync(abs).size <= DISCOVER_LIMITS.fileSize ? readText(abs) : undefined; } catch { return undefined; }
  };
  const discovery = await discover(files, { readFile });
  return { discovery, skipped: found.skipped.map(f => ({ ...f, source: { ...f.source, file: rel(f.source.file) } })), found };
}

/** One finding about a discovered file, as `path:line:1 severity rule-id message` (paths shown from the working directory). */
function findingLine(f: DiscoveryFinding, base: string, io: Io): string {
  return `${terminalSafe(display(path.resolve(base, f.source.file), io.cwd))}:${f.source.line}:1 ${f.severity} ${f.ruleId} ${terminalSafe(f.message)}\n`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The name of the folder a path is (or is in), for the default title. */
function folderName(p: string, cwd: string): string {
  const abs = path.resolve(cwd, p);
  let dir = abs;
  try { if (!fs.statSync(abs).isDirectory()) dir = path.dirname(abs); } catch { /* the walk reported it */ }
  return path.basename(dir) || 'the repository';
}

export async function runDiscover(values: Record<string, unknown>, positionals: string[], io: Io): Promise<number> {
  const output = values.output === undefined ? undefined : String(values.output);
  if (output !== undefined && !MODEL_FILE.test(output)) throw new UsageError(`the output file must end in .threatmodel.yaml (got '${output}')`);
  const outAbs = output === undefined ? undefined : path.resolve(io.cwd, output);
  const base = outAbs ? path.dirname(outAbs) : io.cwd;
  const paths = positionals.length ? positionals : ['.'];
  const { discovery: d, skipped } = await discoverPaths(paths, io, base, 'discover');
  if (!d.files.length) {
    io.err(`rampart discover: no Compose file, Kubernetes manifest or OpenAPI description found under ${terminalSafe(paths.join(', '))}.\n`);
    return 2;
  }
  for (const f of [...skipped, ...d.findings]) io.err(findingLine(f, base, io));
  const counts = `${plural(d.elements.length, 'element')}, ${plural(d.flows.length, 'flow')}, ${plural(d.boundaries.length, 'boundary', 'boundaries')} and ${plural(d.assets.length, 'asset')} in ${plural(d.files.length, 'file')}`;
  if (outAbs && fs.existsSync(outAbs) && !values.force) {
    const existing = readText(outAbs);
    const proposals = proposeAdditions(existing, d);
    for (const f of driftFindings(existing, d, evidenceSettings(outAbs)).filter(x => x.ruleId === 'discover/missing-source')) {
      const { line, column } = lineCol(existing, f.range.start);
      io.err(`${terminalSafe(display(outAbs, io.cwd))}:${line}:${column} ${f.severity} ${f.ruleId} ${terminalSafe(f.message)}\n`);
    }
    if (!proposals.length) {
      io.err(`Discovered ${counts}; ${terminalSafe(output!)} has all of it: nothing to add. (Use --force to overwrite it with a new draft.)\n`);
      return 0;
    }
    const sections: Record<string, [string, Record<string, unknown>][]> = {};
    for (const p of proposals) (sections[p.section] ??= []).push([p.id, p.value]);
    const text = sectionsYaml({}, sections, [
      `${plural(proposals.length, 'entry', 'entries')} that ${output} lacks, discovered in ${plural(d.files.length, 'file')}.`,
      'Add them under their sections (ids are free in the model; references are to its ids), or re-run with --force',
      'to overwrite the model with a new draft. The editor offers the same entries as "Add to model".',
    ]);
    io.out(documentSafe(text));
    io.err(`Discovered ${counts}; ${plural(proposals.length, 'entry', 'entries')} ${proposals.length === 1 ? 'is' : 'are'} new to ${terminalSafe(output!)} (printed above; the file was not changed).\n`);
    return 0;
  }
  const title = values.title !== undefined ? String(values.title) : `Threat model of ${folderName(paths[0], io.cwd)}`;
  const draft = draftModel(d, { title });
  writeOrPrint(io, output, draft, 'the drafted model');
  io.err(`Discovered ${counts}.${d.findings.length ? ` ${plural(d.findings.length, 'finding')} about the files (above).` : ''} Run 'rampart check' on the model next.\n`);
  if (output) {
    const schema = analyze(draft).findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
    if (schema.length) io.err(`rampart discover: the draft has ${schema.length} schema error(s); please report this with the files discovered.\n`);
  }
  return 0;
}

/**
 * For `rampart check --discover`: discovers the same paths once (paths relative to the working directory),
 * prints the findings about the files on standard error, and gives each model the discovery with paths
 * relative to its own folder (as its `source:` fields are written).
 */
export async function discoveryForCheck(paths: string[], io: Io): Promise<(modelFile: string) => Discovery> {
  const { discovery, skipped } = await discoverPaths(paths, io, io.cwd, 'check');
  for (const f of [...skipped, ...discovery.findings]) io.err(findingLine(f, io.cwd, io));
  if (!discovery.files.length) io.err(`rampart check: --discover found no Compose file, Kubernetes manifest or OpenAPI description under ${terminalSafe(paths.join(', '))}.\n`);
  return modelFile => {
    const dir = path.dirname(path.resolve(io.cwd, modelFile));
    return rebaseDiscovery(discovery, p => posix(path.relative(dir, path.resolve(io.cwd, p))) || '.');
  };
}
