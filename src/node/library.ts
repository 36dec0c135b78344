/**
 * Finding and reading a model's team threat libraries (#16) for the CLI and the language server; the core
 * (src/core/library) parses and applies them. A library is data only: nothing found here is ever executed.
 *
 * Where a model's library files come from, in this order (general first, the model's own last):
 * 1. every `.rampart/*.yaml` / `.rampart/*.yml` in the model's folder and each parent folder up to the
 *    repository root (the nearest folder holding `.git`), else up to the workspace folder given, else up to the
 *    filesystem root, from the top down;
 * 2. each `policy.libraries` entry of the model, in order:
 *    - a path relative to the model's folder (it starts with `.`, holds a `/` without being a scoped package
 *      name, or ends in `.yaml`/`.yml`): a folder gives its `*.yaml`/`*.yml` files (not recursive), a file
 *      itself; never outside the repository;
 *    - else an npm package name, resolved from the model's folder upwards through
 *      `node_modules/<name>/package.json` (up to the repository root), whose `rampart` field (a string or a list)
 *      names its library files or folders, inside the package only. The package's code is never run.
 *
 * Safety: only regular files, at most `maxFiles` of them and `maxBytes` each; a path (or a symbolic link)
 * leading out of the repository, or out of its package, is refused; each refusal is a problem with a message
 * for the user. A file reached twice (by the walk and by an entry) is read once.
 */
import { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import type { LibraryFile } from '../core/library/types';

export const MAX_LIBRARY_FILES = 50;
export const MAX_LIBRARY_BYTES = 1024 * 1024;
const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;
/** Folder levels walked up at most (a guard against pathological paths). */
const MAX_LEVELS = 64;

/** Where library files live besides `policy.libraries`. */
export const LIBRARY_FOLDER = '.rampart';
export const LIBRARY_FILE = /\.ya?ml$/i;

/** A library source that could not be (fully) read: `source` is the `policy.libraries` entry or the folder. */
export interface LibrarySourceProblem {
  source: string;
  /** Index of the entry in `policy.libraries`, when the problem is about one. */
  entry?: number;
  /** The file concerned, when there is one (absolute). */
  file?: string;
  message: string;
}

export interface LibraryFiles {
  files: LibraryFile[];
  problems: LibrarySourceProblem[];
  /**
   * Absolute paths whose change (a file created, changed or deleted in or at them) can change the result:
   * each `.rampart` folder looked at, each path entry's target, each package folder and its package.json.
   */
  watched: string[];
  /** size:mtime of every file read, in the order of `files` (for caches). */
  stamps: string[];
  /** The bound: the repository root (or the workspace folder, or the filesystem root). */
  root: string;
}

export interface LibraryOptions {
  /** The workspace folder holding the model (the walk stops there when there is no `.git` below it). */
  workspaceRoot?: string;
  maxFiles?: number;
  maxBytes?: number;
  /** Whether to read the `.rampart/` folders from the model's folder up (default true; `rampart rules --library` does not). */
  walk?: boolean;
}

const within = (p: string, root: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

const posix = (p: string) => p.split(path.sep).join('/');

/** npm's package name grammar (lower case, optional scope). */
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/** Whether a `policy.libraries` entry is a path (else a package name). */
export function isPathEntry(entry: string): boolean {
  if (entry.startsWith('.') || entry.startsWith('/') || entry.startsWith('\\') || /^[a-z]:/i.test(entry)) return true;
  if (LIBRARY_FILE.test(entry)) return true;
  return !PACKAGE_NAME.test(entry);
}

const errorText = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : 'cannot be read';
};

async function statOf(p: string): Promise<Stats | undefined> {
  try { return await fsp.stat(p); } catch { return undefined; }
}

/** The repository root of a model's folder: the nearest folder up holding `.git`, else the workspace folder, else the filesystem root. */
export async function libraryRoot(dir: string, workspaceRoot?: string): Promise<string> {
  let d = path.resolve(dir);
  const ws = workspaceRoot ? path.resolve(workspaceRoot) : undefined;
  for (let i = 0; i < MAX_LEVELS; i++) {
    if (await statOf(path.join(d, '.git'))) return d;
    if (ws && d === ws) return d;
    const up = path.dirname(d);
    if (up === d) return d;
    d = up;
  }
  return d;
}

/** The folders from `root` down to `dir` (both included). */
function foldersDown(root: string, dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  for (let i = 0; i < MAX_LEVELS; i++) {
    out.push(d);
    if (d === root) break;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return out.reverse();
}

/** Finds and reads the library files of the model `modelFile` (absolute or relative to the working directory). */
export async function findLibraryFiles(modelFile: string, libraries: readonly string[] | undefined, options: LibraryOptions = {}): Promise<LibraryFiles> {
  const maxFiles = options.maxFiles ?? MAX_LIBRARY_FILES;
  const maxBytes = options.maxBytes ?? MAX_LIBRARY_BYTES;
  const modelDir = path.dirname(path.resolve(modelFile));
  const root = await libraryRoot(modelDir, options.workspaceRoot && within(modelDir, path.resolve(options.workspaceRoot)) ? options.workspaceRoot : undefined);
  let realRoot: string;
  try { realRoot = await fsp.realpath(root); } catch { realRoot = root; }

  const out: LibraryFiles = { files: [], problems: [], watched: [], stamps: [], root };
  const seen = new Set<string>();
  let full = false;
  const displayOf = (abs: string) => {
    const rel = posix(path.relative(modelDir, abs));
    return rel === '' ? path.basename(abs) : rel;
  };

  /**
   * Reads one candidate file: `abs` as found, `bound` the real folder it must stay in (and `boundName` how a
   * refusal names it). Returns whether it was read.
   */
  const readOne = async (abs: string, display: string, source: string, bound: string, boundName: string, entry?: number): Promise<void> => {
    const problem = (message: string) => { out.problems.push({ source, file: abs, message, ...(entry !== undefined ? { entry } : {}) }); };
    let real: string;
    try { real = await fsp.realpath(abs); } catch (e) { problem(`'${display}' ${errorText(e)}`); return; }
    if (!within(real, bound)) { problem(`'${display}' leads outside ${boundName} (through a symbolic link); only files inside it are read`); return; }
    if (seen.has(real)) return;
    if (out.files.length >= maxFiles) {
      if (!full) out.problems.push({ source, message: `more than ${maxFiles} library files: '${display}' and the files after it are not read` });
      full = true;
      return;
    }
    let st: Stats;
    try { st = await fsp.stat(real); } catch (e) { problem(`'${display}' ${errorText(e)}`); return; }
    if (!st.isFile()) { problem(`'${display}' is not a file`); return; }
    if (st.size > maxBytes) { problem(`'${display}' is ${st.size} bytes, over the ${maxBytes}-byte limit for a library file; it is not read`); return; }
    let text: string;
    try { text = await fsp.readFile(real, 'utf8'); } catch (e) { problem(`'${display}' ${errorText(e)}`); return; }
    seen.add(real);
    out.files.push({ uri: abs, display, text });
    out.stamps.push(`${st.size}:${st.mtimeMs}`);
  };

  /** The `*.yaml` / `*.yml` files of a folder, sorted (not recursive). */
  const folderFiles = async (dir: string): Promise<string[]> => {
    const names = await fsp.readdir(dir);
    return names.filter(n => LIBRARY_FILE.test(n)).sort().map(n => path.join(dir, n));
  };

  // 1. `.rampart/` folders, from the repository root down to the model's folder.
  for (const dir of options.walk === false ? [] : foldersDown(root, modelDir)) {
    const lib = path.join(dir, LIBRARY_FOLDER);
    out.watched.push(lib);
    const st = await statOf(lib);
    if (!st?.isDirectory()) continue;
    let files: string[];
    try { files = await folderFiles(lib); } catch (e) { out.problems.push({ source: displayOf(lib), message: `the library folder '${displayOf(lib)}' ${errorText(e)}` }); continue; }
    for (const f of files) await readOne(f, displayOf(f), displayOf(lib), realRoot, 'the repository');
  }

  // 2. `policy.libraries`.
  for (const [i, raw] of (libraries ?? []).entries()) {
    const entry = String(raw);
    const problem = (message: string) => { out.problems.push({ source: entry, entry: i, message }); };
    if (!entry.trim() || entry.includes('\0')) { problem(`the library '${entry}' is not a path or a package name`); continue; }
    if (isPathEntry(entry)) {
      if (path.isAbsolute(entry) || /^[a-z]:/i.test(entry) || entry.startsWith('\\')) { problem(`the library '${entry}' is an absolute path; give a path relative to the model's folder`); continue; }
      const target = path.resolve(modelDir, entry);
      out.watched.push(target);
      if (!within(target, root)) { problem(`the library '${entry}' is outside the repository (${root}); only libraries inside it, or npm packages, are read`); continue; }
      const st = await statOf(target);
      if (!st) { problem(`the library '${entry}' does not exist (looked at ${target})`); continue; }
      if (st.isDirectory()) {
        let real: string;
        try { real = await fsp.realpath(target); } catch (e) { problem(`the library '${entry}' ${errorText(e)}`); continue; }
        if (!within(real, realRoot)) { problem(`the library '${entry}' leads outside the repository (through a symbolic link); only folders inside it are read`); continue; }
        let files: string[];
        try { files = await folderFiles(target); } catch (e) { problem(`the library folder '${entry}' ${errorText(e)}`); continue; }
        if (!files.length) problem(`the library folder '${entry}' holds no *.yaml file`);
        for (const f of files) await readOne(f, displayOf(f), entry, realRoot, 'the repository', i);
      } else {
        await readOne(target, displayOf(target), entry, realRoot, 'the repository', i);
      }
      continue;
    }
    await readPackage(entry, i);
  }
  return out;

  async function readPackage(name: string, i: number): Promise<void> {
    const problem = (message: string, file?: string) => { out.problems.push({ source: name, entry: i, message, ...(file ? { file } : {}) }); };
    // node_modules/<name>, from the model's folder up to the repository root
    let pkgDir: string | undefined;
    for (const dir of foldersDown(root, modelDir).reverse()) {
      const candidate = path.join(dir, 'node_modules', ...name.split('/'));
      out.watched.push(path.join(candidate, 'package.json'));
      if ((await statOf(path.join(candidate, 'package.json')))?.isFile()) { pkgDir = candidate; break; }
    }
    if (!pkgDir) { problem(`the library package '${name}' is not installed (no node_modules/${name}/package.json from the model's folder up to ${root}); run npm install, or check the name`); return; }
    out.watched.push(pkgDir);
    const display = posix(path.relative(modelDir, pkgDir));
    let realPkg: string;
    try { realPkg = await fsp.realpath(pkgDir); } catch (e) { problem(`the library package '${name}' ${errorText(e)}`); return; }
    if (!within(realPkg, realRoot)) { problem(`the library package '${name}' (${display}) leads outside the repository (through a symbolic link); it is not read`); return; }
    const pj = path.join(realPkg, 'package.json');
    let manifest: unknown;
    try {
      const st = await fsp.stat(pj);
      if (!st.isFile() || st.size > MAX_PACKAGE_JSON_BYTES) { problem(`the package.json of '${name}' is not a file under ${MAX_PACKAGE_JSON_BYTES} bytes`, pj); return; }
      manifest = JSON.parse(await fsp.readFile(pj, 'utf8'));
    } catch (e) {
      problem(`the package.json of '${name}' ${e instanceof SyntaxError ? 'is not valid JSON' : errorText(e)}`, pj);
      return;
    }
    const field = manifest && typeof manifest === 'object' ? (manifest as Record<string, unknown>).rampart : undefined;
    const list = typeof field === 'string' ? [field] : Array.isArray(field) && field.every(x => typeof x === 'string') ? field as string[] : undefined;
    if (!list?.length) { problem(`the package '${name}' names no library: its package.json needs a "rampart" field (a path, or a list of paths, to its library files)`, pj); return; }
    for (const rel of list) {
      const shown = `${name}/${rel.replace(/^\.\//, '')}`;
      if (!rel || path.isAbsolute(rel) || /^[a-z]:/i.test(rel) || rel.includes('\0')) { problem(`the package '${name}' names '${rel}', not a path inside the package`, pj); continue; }
      const target = path.resolve(realPkg, rel);
      if (!within(target, realPkg)) { problem(`the package '${name}' names '${rel}', outside the package; only files inside it are read`, pj); continue; }
      const st = await statOf(target);
      if (!st) { problem(`the package '${name}' names '${rel}', which does not exist`, pj); continue; }
      if (st.isDirectory()) {
        let real: string;
        try { real = await fsp.realpath(target); } catch (e) { problem(`'${shown}' ${errorText(e)}`); continue; }
        if (!within(real, realPkg)) { problem(`'${shown}' leads outside the package '${name}' (through a symbolic link); it is not read`); continue; }
        let files: string[];
        try { files = await folderFiles(target); } catch (e) { problem(`'${shown}' ${errorText(e)}`); continue; }
        for (const f of files) await readOne(f, `${name}/${posix(path.relative(realPkg, f))}`, name, realPkg, `the package '${name}'`, i);
      } else {
        await readOne(target, shown, name, realPkg, `the package '${name}'`, i);
      }
    }
  }
}

/** A problem as one line for a terminal or a log: `source: message`. */
export function libraryProblemText(p: LibrarySourceProblem): string {
  return p.message.includes(`'${p.source}'`) ? p.message : `${p.source}: ${p.message}`;
}
