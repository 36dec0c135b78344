/**
 * Git history for front ends with a file system (CLI, VS Code, language server): the repository root, HEAD,
 * the commits that touched some paths since a reviewed commit, and where a file was renamed to.
 *
 * The repository and the model naming commits and paths in it are untrusted (a cloned repository), so git runs
 * without a shell (`execFile`), from an absolute path found on PATH (never the current folder), with a fixed
 * argument list, `--` before pathspecs, a timeout and an output limit, without inherited `GIT_*` variables
 * (a `GIT_DIR` from a hook would point it elsewhere), and with the settings that change its output or run
 * programs pinned on the command line. Nothing from the model becomes an option: revisions must be commit ids
 * (hexadecimal, resolved as objects so a branch named like a commit id cannot stand in for it) and paths become
 * `:(glob)` or `:(literal)` pathspecs that must stay inside the repository.
 *
 * Expected failures (git missing, not a repository, unknown commit, timeout) are answered, never thrown: every
 * function returns a {@link GitResult} whose `error` a user can read.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** An answer from git, or why there is none (a sentence for the user). */
export type GitResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A commit that touched some of the paths asked about. */
export interface GitCommit {
  /** The full commit id. */
  commit: string;
  /** The committer date, ISO 8601 with the committer's offset (`2024-01-02T03:04:05+00:00`). */
  date: string;
  /** The first line of the message. */
  subject: string;
  /** The repository-relative posix paths it touched that match the paths asked about (a rename: the new path). */
  files: string[];
}

const TIMEOUT_MS = 10_000;
const MAX_BUFFER = 32 * 1024 * 1024;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 10_000;
/** Renames followed from one path (a chain a -> b -> c is two). */
const MAX_RENAME_STEPS = 20;
/** Commits deleting a path that are looked at for a rename, per path. */
const MAX_DELETIONS = 20;

/** A commit id as the model may give it (7 to 40 digits, or a SHA-256 repository's 64); anything else (ranges, ref names, options) is refused. */
const COMMIT_ID = /^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$/i;
/** A full object id (SHA-1 or SHA-256) as git prints it. */
const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Settings pinned for every run, whatever the user's or the repository's configuration says: paths unquoted,
 * UTF-8 messages, no file-system monitor or signature check (both run programs), no `log.follow` rewriting a
 * single-path log, no colour, no transport (a partial clone would fetch missing objects with the repository's
 * remote settings), and no bare repository found by walking up (one committed inside a cloned repository
 * brings its own configuration).
 */
const CONFIG = [
  '-c', 'core.quotepath=off',
  '-c', 'core.fsmonitor=false',
  '-c', 'log.showSignature=false',
  '-c', 'log.follow=false',
  '-c', 'i18n.logOutputEncoding=UTF-8',
  '-c', 'color.ui=false',
  '-c', 'protocol.allow=never',
  '-c', 'safe.bareRepository=explicit',
];

type Run = { ok: true; stdout: string } | { ok: false; error: string; exitCode?: number };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

let found: { pathVar: string; git: string | undefined } | undefined;

/** The absolute path of git on PATH; relative PATH entries (the current folder, a cloned repository) are skipped. */
function gitProgram(): string | undefined {
  const pathVar = process.env.PATH ?? process.env.Path ?? '';
  if (found?.pathVar === pathVar) return found.git;
  const names = process.platform === 'win32' ? ['git.exe'] : ['git'];
  let git: string | undefined;
  search: for (const dir of pathVar.split(path.delimiter)) {
    if (dir === '' || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        if (!fs.statSync(candidate).isFile()) continue;
        if (process.platform !== 'win32') fs.accessSync(candidate, fs.constants.X_OK);
        git = candidate;
        break search;
      } catch { /* not here */ }
    }
  }
  found = { pathVar, git };
  return git;
}

/** The environment for git: ours without `GIT_*` (which would redirect or reconfigure it), never prompting. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k)) env[k] = v;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_NO_LAZY_FETCH = '1';
  env.LC_ALL = 'C'; // English messages, recognised below; paths and messages still come out as UTF-8 bytes
  return env;
}

/** The error for a failed run, from git's own words where they are known. */
function explain(cwd: string, e: ExecFileException, stderr: string): string {
  if (e.code === 'ENOENT') return 'git is not installed (no git program on PATH)';
  if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return `git printed more than ${MAX_BUFFER / 1024 / 1024} MB`;
  if (e.killed || e.signal) return `git did not answer within ${TIMEOUT_MS / 1000} seconds`;
  if (/not a git repository/i.test(stderr)) return `${cwd} is not in a git repository`;
  if (/dubious ownership/i.test(stderr)) return `git refuses to read the repository at ${cwd}: it belongs to another user (see git's safe.directory)`;
  if (/must be run in a work tree/i.test(stderr)) return `${cwd} is not in a git working tree`;
  if (/cannot use bare repository/i.test(stderr)) return `${cwd} is not in a git working tree (it is in a bare repository, which is only read when named)`;
  const line = stderr.split('\n').map(l => l.trim()).find(l => l !== '') ?? e.message.split('\n')[0];
  return `git failed: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`;
}

/** Runs git in `cwd` with a fixed argument list (no shell); `input` goes to its standard input. */
function git(cwd: string, args: readonly string[], input?: string): Promise<Run> {
  return new Promise(resolve => {
    try {
      if (!fs.statSync(cwd).isDirectory()) return resolve(fail(`${cwd} is not a folder`));
    } catch {
      return resolve(fail(`${cwd} does not exist`));
    }
    const program = gitProgram();
    if (program === undefined) return resolve(fail('git is not installed (no git program on PATH)'));
    try {
      const child = execFile(program, ['--no-pager', ...CONFIG, ...args], {
        cwd, env: gitEnv(), timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER, encoding: 'utf8', windowsHide: true,
      }, (e, stdout, stderr) => resolve(e
        ? { ok: false, error: explain(cwd, e, String(stderr)), exitCode: typeof e.code === 'number' ? e.code : undefined }
        : { ok: true, stdout: String(stdout) }));
      child.stdin?.on('error', () => { /* git exited before reading: its exit status tells */ });
      child.stdin?.end(input ?? '');
    } catch (e) {
      resolve(fail(`git could not be started: ${(e as Error).message}`));
    }
  });
}

/** Repository-relative path segments of `p`, `.` and inner `..` resolved; undefined when refused. */
function segments(p: string): { parts: string[]; dir: boolean } | undefined {
  if (typeof p !== 'string' || p === '' || p.includes('\0') || p.includes('\\')) return undefined;
  if (p.startsWith('/') || /^[a-z]:/i.test(p)) return undefined; // absolute, `//server/share`, `C:`
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (parts.length === 0) return undefined; // climbs out of the repository
      parts.pop();
    } else parts.push(s);
  }
  return { parts, dir: p.endsWith('/') };
}

/**
 * The git pathspec for a repository-relative glob from the model (`src/payments/**` -> `:(glob)src/payments/**`),
 * with git's glob rules: `*` and `?` stay within one folder, `**` crosses folders, and a plain folder name
 * matches everything under it. `./` and inner `..` are resolved. Undefined (refused) for an empty glob, an
 * absolute one (`/etc/**`, `C:/x`, `//server/x`), one that climbs out of the repository (`../x`, `a/../../x`)
 * and one with a backslash (a Windows path or an escape: both are ambiguous).
 */
export function globToPathspec(glob: string): string | undefined {
  const s = segments(glob);
  if (s === undefined) return undefined;
  if (s.parts.length === 0) return ':(glob)**';
  return `:(glob)${s.parts.join('/')}${s.dir ? '/' : ''}`;
}

/** A repository-relative file path, `./` and inner `..` resolved; undefined when refused (as for globs). */
function relativePath(file: string): string | undefined {
  const s = segments(file);
  return s === undefined || s.parts.length === 0 ? undefined : s.parts.join('/');
}

/**
 * The full id of the commit `rev` names, resolved as an object id only: `rev-parse --disambiguate` lists the
 * objects with that prefix whatever refs exist, and `cat-file` keeps the commits among them.
 */
async function resolveCommit(root: string, rev: string): Promise<GitResult<string>> {
  if (typeof rev !== 'string' || !COMMIT_ID.test(rev)) {
    return fail(`${shown(String(rev))} is not a commit id: give 7 to 40 hexadecimal digits`);
  }
  const prefix = rev.toLowerCase();
  const objects = await git(root, ['rev-parse', `--disambiguate=${prefix}`]);
  if (!objects.ok) return fail(objects.error);
  const ids = objects.stdout.split('\n').map(l => l.trim()).filter(l => FULL_ID.test(l));
  if (ids.length === 0) return fail(`commit ${rev} is not in this repository`);
  const types = await git(root, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], ids.join('\n') + '\n');
  if (!types.ok) return fail(types.error);
  const commits = types.stdout.split('\n').map(l => l.trim().split(' ')).filter(([id, type]) => FULL_ID.test(id ?? '') && type === 'commit').map(([id]) => id!);
  if (commits.length === 0) return fail(`commit ${rev} is not in this repository`);
  if (commits.length > 1) return fail(`commit id ${rev} is ambiguous in this repository: give more digits`);
  return { ok: true, value: commits[0]! };
}

/** The repository root (absolute) holding `dir` (a file: its folder), via `git rev-parse --show-toplevel`. */
export async function gitRoot(dir: string): Promise<GitResult<string>> {
  let cwd = path.resolve(dir);
  try { if (fs.statSync(cwd).isFile()) cwd = path.dirname(cwd); } catch { /* git() says it does not exist */ }
  const r = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (!r.ok) return fail(r.error);
  const top = r.stdout.replace(/\r?\n$/, '');
  if (top === '') return fail(`${cwd} is not in a git working tree`);
  return { ok: true, value: path.resolve(top) };
}

/** The full commit id of HEAD. */
export async function headCommit(root: string): Promise<GitResult<string>> {
  const r = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!r.ok) return r.exitCode === 1 ? fail('the repository has no commits yet') : fail(r.error); // --verify --quiet: 1 when HEAD names no commit
  const id = r.stdout.trim();
  return FULL_ID.test(id) ? { ok: true, value: id } : fail(`git printed an unexpected commit id ${shown(id)}`);
}

/** Whether `commit` (a commit id, 7 to 40 hexadecimal digits) exists in the repository and is a commit. */
export async function hasCommit(root: string, commit: string): Promise<boolean> {
  return (await resolveCommit(root, commit)).ok;
}

/**
 * Commits after `since` (exclusive) up to HEAD that touched files matching any of `globs` (repository-relative,
 * see {@link globToPathspec}), newest first, at most `limit` (default 50). Files listed are only the matching
 * ones. As `git log since..HEAD`: when `since` is not an ancestor of HEAD (rebased away) the commits listed are
 * those HEAD has and `since` has not. Merge commits are left out (the commits they bring in are listed). An
 * error when a glob is refused, `since` is not a commit id or not a commit in the repository.
 */
export async function changesSince(root: string, since: string, globs: readonly string[], limit = DEFAULT_LIMIT): Promise<GitResult<GitCommit[]>> {
  const pathspecs: string[] = [];
  for (const glob of globs) {
    const spec = globToPathspec(glob);
    if (spec === undefined) return fail(`path pattern ${shown(String(glob))} is refused: give a pattern relative to the repository root, with forward slashes, that stays inside it`);
    pathspecs.push(spec);
  }
  const from = await resolveCommit(root, since);
  if (!from.ok) return from;
  const max = Number.isNaN(limit) ? DEFAULT_LIMIT : Math.min(Math.floor(limit), MAX_LIMIT);
  if (pathspecs.length === 0 || !(max >= 1)) return { ok: true, value: [] };
  const r = await git(root, [
    'log', '--no-merges', '-M', '--name-only', '-z', '--no-color', '--no-ext-diff', '--no-textconv',
    '--format=%x00%H%x00%cI%x00%s', `--max-count=${max}`, `${from.value}..HEAD`, '--', ...pathspecs,
  ]);
  if (!r.ok) return fail(r.error);
  return { ok: true, value: parseLog(r.stdout) };
}

/**
 * Reads `git log -z --name-only --format=%x00%H%x00%cI%x00%s`: each commit is an empty field, its id, date
 * and subject, then (after a newline) its files, each ended by NUL. A file name is never empty, so an empty
 * field always starts the next commit, whatever the names hold.
 */
function parseLog(out: string): GitCommit[] {
  const fields = out.split('\0');
  const commits: GitCommit[] = [];
  let i = 0;
  while (i < fields.length) {
    if (fields[i] === '' || fields[i] === '\n') { i++; continue; }
    const commit = fields[i]!;
    if (!FULL_ID.test(commit)) { i++; continue; } // not a commit header: skip, cannot happen with this format
    const date = fields[i + 1] ?? '';
    const subject = fields[i + 2] ?? '';
    i += 3;
    const files: string[] = [];
    if (i < fields.length && fields[i]!.startsWith('\n')) {
      files.push(fields[i]!.slice(1));
      for (i++; i < fields.length && fields[i] !== ''; i++) files.push(fields[i]!);
    }
    commits.push({ commit, date, subject, files: files.filter(f => f !== '') });
  }
  return commits;
}

/**
 * Where a file (repository-relative path) went: the new paths it was renamed to in HEAD's history, most recent
 * first, following chains (a -> b, later b -> c gives [c, b]); [] when never renamed. Found where git's rename
 * detection pairs a deletion of the path with an addition: the commits deleting it
 * (`git log --diff-filter=D -- :(literal)path`), then the renames in each (`git diff-tree -M --diff-filter=R`).
 * Files only (a folder's path is not renamed as such); at most 20 renames are followed.
 */
export async function renamesOf(root: string, file: string): Promise<GitResult<string[]>> {
  const start = relativePath(file);
  if (start === undefined) return fail(`path ${shown(String(file))} is refused: give a file path relative to the repository root, with forward slashes, that stays inside it`);
  const found: { to: string; time: number; step: number }[] = [];
  const seen = new Set<string>([start]);
  const queue: { path: string; after?: string }[] = [{ path: start }];
  let steps = 0;
  while (queue.length > 0 && steps < MAX_RENAME_STEPS) {
    const { path: from, after } = queue.shift()!;
    const deletions = await git(root, [
      'log', '--no-merges', '--no-renames', '--diff-filter=D', '--no-color', '--format=%H %ct', `--max-count=${MAX_DELETIONS}`,
      after === undefined ? 'HEAD' : `${after}..HEAD`, '--', `:(literal)${from}`,
    ]);
    if (!deletions.ok) return fail(deletions.error);
    for (const line of deletions.stdout.split('\n')) {
      const [commit, time] = line.trim().split(' ');
      if (commit === undefined || !FULL_ID.test(commit)) continue;
      const renames = await git(root, ['diff-tree', '-r', '-M', '--no-commit-id', '--name-status', '-z', '--diff-filter=R', '--no-color', commit]);
      if (!renames.ok) return fail(renames.error);
      const f = renames.stdout.split('\0');
      for (let i = 0; i + 2 < f.length; i += 3) {
        if (!f[i]!.startsWith('R') || f[i + 1] !== from) continue;
        const to = f[i + 2]!;
        steps++;
        found.push({ to, time: Number(time) || 0, step: steps });
        if (!seen.has(to)) { seen.add(to); queue.push({ path: to, after: commit }); }
      }
    }
  }
  found.sort((a, b) => b.time - a.time || b.step - a.step);
  const out: string[] = [];
  for (const { to } of found) if (to !== start && !out.includes(to)) out.push(to);
  return { ok: true, value: out };
}

/** Paths per `git log` run in `renamesOfMany` (a command line stays far below every system's limit). */
const PATHS_PER_RUN = 200;

/**
 * `renamesOf` for many files of one repository (the evidence files a model names that are missing). Only a file
 * deleted somewhere in HEAD's history can have been renamed, so one `git log --diff-filter=D` per 200 paths finds
 * those first, and only they are followed one by one: a model naming 600 missing files costs a few git runs,
 * not 600. The answer for each file is the one `renamesOf` gives.
 */
export async function renamesOfMany(root: string, files: readonly string[]): Promise<GitResult<Map<string, string[]>>> {
  const out = new Map<string, string[]>();
  const valid = [...new Set(files.map(relativePath).filter((f): f is string => f !== undefined))];
  const deleted = new Set<string>();
  for (let i = 0; i < valid.length; i += PATHS_PER_RUN) {
    const chunk = valid.slice(i, i + PATHS_PER_RUN);
    const r = await git(root, [
      'log', '--no-merges', '--no-renames', '--diff-filter=D', '--name-only', '-z', '--no-color', '--format=', 'HEAD', '--',
      ...chunk.map(f => `:(literal)${f}`),
    ]);
    if (!r.ok) return fail(r.error);
    for (const name of r.stdout.split('\0')) {
      const f = name.replace(/^\n+/, '');
      if (f) deleted.add(f);
    }
  }
  for (const f of files) {
    if (out.has(f)) continue;
    const norm = relativePath(f);
    const r = norm !== undefined && deleted.has(norm) ? await renamesOf(root, f) : undefined;
    out.set(f, r?.ok ? r.value : []);
  }
  return { ok: true, value: out };
}
