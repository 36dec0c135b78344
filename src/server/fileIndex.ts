/**
 * The files of each workspace folder, listed asynchronously and cached, so that the analysis path never touches
 * the file system: evidence checks (`risk/evidence-not-found`) read a `Set` of folder-relative paths through
 * `evidenceFor`, and the workspace-wide diagnostics take their list of model files from the same walk.
 *
 * - One walk per folder (`fs.promises.readdir`, a few directories at a time), files AND directories recorded as
 *   posix paths relative to the folder. The contents of `.git` and `node_modules` are not listed (the folders
 *   themselves are). Symbolic links are not followed: each is resolved once during the walk, and one that
 *   leads out of the folder (or nowhere) is recorded as opaque.
 * - Evidence is confined to the model's repository as the CLI and the extension confine it (src/node/evidence.ts):
 *   the repository is the nearest folder up from the model holding `.git` (found asynchronously, cached), else
 *   the model's own folder; the core is told where the model sits in it (`modelDirInRepo`).
 * - A path the index cannot speak for answers `undefined` ("cannot tell", no finding): outside the repository
 *   or every workspace folder, inside an unlisted folder, at or below a symbolic link (except a link that stays
 *   inside, itself), or anywhere once the walk stopped at `MAX_ENTRIES`.
 * - Kept current by `workspace/didChangeWatchedFiles` when the client has it (`fileCreated`/`fileDeleted`);
 *   otherwise re-listed, at most every `STALE_MS`, when a model is opened or saved (`refreshIfStale`).
 */
import { promises as fsp, type Dirent } from 'node:fs';
import path from 'node:path';
import { URI } from 'vscode-uri';
import type { AnalysisSettings } from '../core/types';

/** Directories whose contents are not listed. */
export const UNLISTED_DIRS = new Set(['.git', 'node_modules']);
/** Directories where model files are not looked for (build output), besides the unlisted ones. */
export const NO_MODELS_DIRS = new Set(['.git', 'node_modules', 'dist', 'out']);
const MODEL_FILE = /\.threatmodel\.ya?ml$/i;
const MAX_ENTRIES = 200_000;
const MAX_MODELS = 5000;
const CONCURRENCY = 8;
const STALE_MS = 10_000;

export const isModelPath = (p: string) => MODEL_FILE.test(p);

/** The listing of one workspace folder. */
export interface FolderListing {
  /** Absolute path of the folder. */
  root: string;
  /** Posix paths relative to `root` of every listed file and directory. */
  entries: Set<string>;
  /** Absolute paths of the model files (outside build output), in walk order. */
  models: string[];
  /** Symbolic links (posix, relative to `root`): true when the link leads to somewhere inside `root`. */
  links: Map<string, boolean>;
  /** False when the walk stopped early: a path missing from `entries` is then unknown, not absent. */
  complete: boolean;
  builtAt: number;
}

/** Lists a folder without blocking: `setImmediate`-friendly promises, a few directories at a time. */
export async function listFolder(root: string): Promise<FolderListing> {
  const entries = new Set<string>();
  const models: string[] = [];
  const links = new Map<string, boolean>();
  let complete = true;
  let realRoot: string;
  try { realRoot = await fsp.realpath(root); } catch { realRoot = root; }
  const queue: string[] = [''];
  const worker = async () => {
    while (queue.length) {
      const rel = queue.shift()!;
      let dirents: Dirent[];
      try {
        dirents = await fsp.readdir(path.join(root, rel), { withFileTypes: true });
      } catch {
        continue; // unreadable: its contents stay unknown
      }
      for (const d of dirents) {
        const child = rel ? `${rel}/${d.name}` : d.name;
        if (entries.size >= MAX_ENTRIES) { complete = false; queue.length = 0; return; }
        entries.add(child);
        if (d.isSymbolicLink()) {
          let inside = false;
          try { inside = isWithin(await fsp.realpath(path.join(root, child)), realRoot); } catch { /* broken link */ }
          links.set(child, inside);
        }
        if (d.isDirectory()) {
          if (!UNLISTED_DIRS.has(d.name)) queue.push(child);
        } else if ((d.isFile() || d.isSymbolicLink()) && isModelPath(d.name) && models.length < MAX_MODELS && !child.split('/').some(s => NO_MODELS_DIRS.has(s))) {
          models.push(path.join(root, child));
        }
      }
    }
  };
  // Workers pick directories from the shared queue until it stays empty.
  let active: Promise<void>[] = [];
  do {
    active = Array.from({ length: Math.min(CONCURRENCY, Math.max(1, queue.length)) }, worker);
    await Promise.all(active);
  } while (queue.length);
  return { root, entries, models, links, complete, builtAt: Date.now() };
}

/** Whether absolute path `p` is `root` or lies below it. */
export const isWithin = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** Answers for one listing: true / false for what it can see, undefined ("cannot tell") for the rest. */
export function lookup(l: FolderListing, rel: string): boolean | undefined {
  if (rel === '') return true;
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) if (l.links.has(parts.slice(0, i).join('/'))) return undefined; // below a link
  const link = l.links.get(rel);
  if (link !== undefined) return link ? true : undefined;
  if (l.entries.has(rel)) return true;
  if (!l.complete || inUnlisted(rel)) return undefined;
  return false;
}

/** Whether `rel` (posix, relative to a folder) lies inside a directory whose contents are not listed. */
const inUnlisted = (rel: string) => rel.split('/').slice(0, -1).some(s => UNLISTED_DIRS.has(s));

export class WorkspaceFiles {
  private readonly listings = new Map<string, Promise<FolderListing>>();
  private readonly repoRoots = new Map<string, Promise<string>>();
  /** Bumped whenever a listing changes, so analyses that used an older one are not reused. */
  generation = 0;

  constructor(private roots: string[] = []) {}

  setRoots(roots: string[]): void {
    this.roots = [...roots];
    for (const r of [...this.listings.keys()]) if (!this.roots.includes(r)) this.listings.delete(r);
    this.generation++;
  }

  get folders(): readonly string[] {
    return this.roots;
  }

  /** The workspace folder (absolute path) holding an absolute path: the deepest one. */
  rootOf(file: string): string | undefined {
    let best: string | undefined;
    for (const r of this.roots) {
      const rel = path.relative(r, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (!best || r.length > best.length) best = r;
    }
    return best;
  }

  /** The listing of a folder, walked the first time it is asked for. */
  listing(root: string): Promise<FolderListing> {
    let l = this.listings.get(root);
    if (!l) {
      l = listFolder(root);
      this.listings.set(root, l);
    }
    return l;
  }

  /** Walks a folder again (without watched-file events, or when asked to). */
  refresh(root: string): Promise<FolderListing> {
    this.listings.delete(root);
    this.repoRoots.clear();
    this.generation++;
    return this.listing(root);
  }

  /** Re-lists the folder of `file` when its listing is older than `STALE_MS`; resolves to whether it did. */
  async refreshIfStale(file: string): Promise<boolean> {
    const root = this.rootOf(file);
    if (!root || !this.listings.has(root)) return false;
    const l = await this.listings.get(root)!;
    if (Date.now() - l.builtAt < STALE_MS) return false;
    await this.refresh(root);
    return true;
  }

  /** Forgets the repository roots found so far (a `git init` or a moved `.git` may have changed them). */
  forgetRepositories(): void {
    this.repoRoots.clear();
  }

  /** The repository root of a folder: the nearest ancestor (or itself) holding `.git`, else the folder itself. */
  repositoryRoot(dir: string): Promise<string> {
    const start = path.resolve(dir);
    let hit = this.repoRoots.get(start);
    if (!hit) {
      hit = (async () => {
        for (let d = start; ; d = path.dirname(d)) {
          try {
            await fsp.lstat(path.join(d, '.git'));
            return d;
          } catch { /* not here: look further up */ }
          if (path.dirname(d) === d) return start;
        }
      })();
      if (this.repoRoots.size > 1000) this.repoRoots.clear();
      this.repoRoots.set(start, hit);
    }
    return hit;
  }

  /**
   * The evidence settings of a model file (absolute path) for the core: where it sits in its repository, and a
   * `fileExists` that reads the listing of its workspace folder (evidence paths are relative to the model's
   * folder). Without a workspace folder there is no listing and nothing is looked up.
   */
  async evidenceFor(modelFile: string): Promise<Pick<AnalysisSettings, 'fileExists' | 'modelDirInRepo'>> {
    const dir = path.dirname(path.resolve(modelFile));
    const root = this.rootOf(modelFile);
    const [repo, listing] = await Promise.all([this.repositoryRoot(dir), root ? this.listing(root) : undefined]);
    const modelDirInRepo = path.relative(repo, dir).split(path.sep).join('/');
    if (!listing) return { modelDirInRepo };
    return {
      modelDirInRepo,
      fileExists: (relativePath: string) => {
        const abs = path.resolve(dir, relativePath);
        if (!isWithin(abs, repo)) return undefined; // the core never asks; never answer for outside the repository
        const rel = path.relative(listing.root, abs);
        if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined; // outside the workspace folder
        return lookup(listing, rel.split(path.sep).join('/'));
      },
    };
  }

  /**
   * A watched file was created: record it and the directories leading to it. A created directory (moved in
   * with its contents, perhaps) has its folder listed again; a symbolic link is resolved as in the walk.
   */
  async fileCreated(file: string): Promise<void> {
    const root = this.rootOf(file);
    if (!root || !this.listings.has(root)) return;
    const l = await this.listings.get(root)!;
    const parts = path.relative(root, file).split(path.sep);
    const rel = parts.join('/');
    if (!rel || rel.startsWith('..') || inUnlisted(rel)) return;
    let stat;
    try { stat = await fsp.lstat(file); } catch { return; } // gone again
    if (stat.isDirectory()) {
      await this.refresh(root);
      return;
    }
    for (let i = 1; i <= parts.length; i++) l.entries.add(parts.slice(0, i).join('/'));
    if (stat.isSymbolicLink()) {
      let inside = false;
      try { inside = isWithin(await fsp.realpath(file), await fsp.realpath(root)); } catch { /* broken link */ }
      l.links.set(rel, inside);
    }
    if (isModelPath(file) && !parts.slice(0, -1).some(s => NO_MODELS_DIRS.has(s)) && !l.models.includes(file)) l.models.push(file);
    this.generation++;
  }

  /** A watched file (or directory) was deleted: forget it and everything under it. */
  async fileDeleted(file: string): Promise<void> {
    const root = this.rootOf(file);
    if (!root || !this.listings.has(root)) return;
    const l = await this.listings.get(root)!;
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) return;
    l.entries.delete(rel);
    l.links.delete(rel);
    const prefix = rel + '/';
    for (const e of l.entries) if (e.startsWith(prefix)) l.entries.delete(e);
    for (const e of l.links.keys()) if (e.startsWith(prefix)) l.links.delete(e);
    const abs = path.join(root, ...rel.split('/'));
    const absPrefix = abs + path.sep;
    for (let i = l.models.length - 1; i >= 0; i--) if (l.models[i] === abs || l.models[i].startsWith(absPrefix)) l.models.splice(i, 1);
    this.generation++;
  }

  /** The model files of every folder (absolute paths), walking the folders not listed yet. */
  async modelFiles(): Promise<string[]> {
    const out: string[] = [];
    for (const r of this.roots) out.push(...(await this.listing(r)).models);
    return out;
  }
}

/** `file:` URI -> absolute path; undefined for other schemes (untitled, virtual file systems). */
export function uriToPath(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

export const pathToUri = (file: string) => URI.file(file).toString();
