/**
 * Evidence lookups for front ends with a file system (CLI, VS Code, language server), confined to the
 * repository that holds the model: the nearest folder up from the model with a `.git` entry, else the model's
 * own folder. The core reports evidence that leaves it (risk/evidence-outside-repository) and asks only about
 * the rest; here a path whose real location leaves the root (a symbolic link pointing out) answers "cannot
 * tell", so nothing outside the repository is ever revealed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisSettings } from '../core/types';

/** Per folder: its repository root, and whether that root holds `.git` (else it is the folder itself). */
const rootCache = new Map<string, { root: string; git: boolean }>();

function rootOf(dir: string): { root: string; git: boolean } {
  const start = path.resolve(dir);
  const hit = rootCache.get(start);
  if (hit !== undefined) return hit;
  let out = { root: start, git: false };
  for (let d = start; ; d = path.dirname(d)) {
    let found = false;
    try { found = fs.existsSync(path.join(d, '.git')); } catch { /* unreadable: keep looking up */ }
    if (found) { out = { root: d, git: true }; break; }
    if (path.dirname(d) === d) break;
  }
  if (rootCache.size > 1000) rootCache.clear();
  rootCache.set(start, out);
  return out;
}

/** The repository root of a folder: the nearest ancestor (or itself) holding `.git`, else the folder. */
export function repositoryRoot(dir: string): string {
  return rootOf(dir).root;
}

/** Whether a folder is inside a git repository (`repositoryRoot` found a `.git` on its way up). */
export function insideRepository(dir: string): boolean {
  return rootOf(dir).git;
}

const realRoots = new Map<string, string>();

/** The real location of a repository root (asked once per root: every evidence path compares with it). */
function realRootOf(root: string): string | undefined {
  let real = realRoots.get(root);
  if (real !== undefined) return real;
  try { real = fs.realpathSync.native(root); } catch { return undefined; }
  if (realRoots.size > 100) realRoots.clear();
  realRoots.set(root, real);
  return real;
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * Whether `abs` exists, answered only inside `root`: true or false for a path whose nearest existing
 * ancestor really lies in the root, undefined when its real location is outside (or cannot be read).
 */
export function existsInside(root: string, abs: string): boolean | undefined {
  const realRoot = realRootOf(root);
  if (realRoot === undefined) return undefined;
  if (!within(path.resolve(abs), path.resolve(root))) return undefined;
  for (let p = path.resolve(abs); within(p, path.resolve(root)); p = path.dirname(p)) {
    try {
      // the system's realpath(3): one call, where fs.realpathSync walks every component in JavaScript
      const real = fs.realpathSync.native(p);
      if (!within(real, realRoot)) return undefined;
      return p === path.resolve(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
      try { fs.lstatSync(p); return undefined; } catch { /* not there at all: look at the parent */ }
    }
    if (path.dirname(p) === p) break;
  }
  return undefined;
}

/** The evidence settings for a model file on disk. */
export function evidenceSettings(modelFile: string): Pick<AnalysisSettings, 'fileExists' | 'modelDirInRepo'> {
  const dir = path.dirname(path.resolve(modelFile));
  const root = repositoryRoot(dir);
  const modelDirInRepo = path.relative(root, dir).split(path.sep).join('/');
  // asked once per path: the rules and the CLI's decision to read the repository ask about the same files
  const known = new Map<string, boolean | undefined>();
  return {
    modelDirInRepo,
    fileExists: rel => {
      if (known.has(rel)) return known.get(rel);
      const there = existsInside(root, path.resolve(dir, rel));
      if (known.size < 10_000) known.set(rel, there);
      return there;
    },
  };
}
