/**
 * The files of each workspace folder, listed asynchronously and cached, so that the analysis path never touches
 * the file system: evidence checks (`risk/evidence-not-found`) read a `Set` of repository-relative paths
 * through `fileExistsFor`, and the workspace-wide diagnostics take their list of model files from the same walk.
 *
 * - One walk per folder (`fs.promises.readdir`, a few directories at a time), files AND directories recorded as
 *   posix paths relative to the folder. The contents of `.git` and `node_modules` are not listed (the folders
 *   themselves are), symbolic links are recorded but not followed.
 * - A path the index cannot speak for answers `undefined` ("unknown", no finding): outside every workspace
 *   folder, inside an unlisted folder, or anywhere once the walk stopped at `MAX_ENTRIES`.
 * - Kept current by `workspace/didChangeWatchedFiles` when the client has it (`fileCreated`/`fileDeleted`);
 *   otherwise re-listed, at most every `STALE_MS`, when a model is opened or saved (`refreshIfStale`).
 */
import { promises as fsp, type Dirent } from 'node:fs';
import path from 'node:path';
import { URI } from 'vscode-uri';

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
  /** False when the walk stopped early: a path missing from `entries` is then unknown, not absent. */
  complete: boolean;
  builtAt: number;
}

/** Lists a folder without blocking: `setImmediate`-friendly promises, a few directories at a time. */
export async function listFolder(root: string): Promise<FolderListing> {
  const entries = new Set<string>();
  const models: string[] = [];
  let complete = true;
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
  return { root, entries, models, complete, builtAt: Date.now() };
}

/** Whether `rel` (posix, relative to a folder) lies inside a directory whose contents are not listed. */
const inUnlisted = (rel: string) => rel.split('/').slice(0, -1).some(s => UNLISTED_DIRS.has(s));

export class WorkspaceFiles {
  private readonly listings = new Map<string, Promise<FolderListing>>();
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

  /**
   * `fileExists` for the core, for a model file (absolute path): evidence paths are relative to the model's
   * directory. Resolves once the folder is listed; `undefined` when the model is in no workspace folder.
   */
  async fileExistsFor(modelFile: string): Promise<((relativePath: string) => boolean | undefined) | undefined> {
    const root = this.rootOf(modelFile);
    if (!root) return undefined;
    const l = await this.listing(root);
    const dir = path.dirname(modelFile);
    return (relativePath: string) => {
      const abs = path.resolve(dir, relativePath);
      const rel = path.relative(l.root, abs);
      if (rel === '') return true;
      if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined; // outside the folder: not ours to say
      const key = rel.split(path.sep).join('/');
      if (l.entries.has(key)) return true;
      if (!l.complete || inUnlisted(key)) return undefined;
      return false;
    };
  }

  /**
   * The model's folder relative to its workspace folder (posix, '' at the root), which the core's evidence
   * rules take as the repository root; undefined outside every workspace folder.
   */
  modelDirInRoot(modelFile: string): string | undefined {
    const root = this.rootOf(modelFile);
    return root === undefined ? undefined : path.relative(root, path.dirname(modelFile)).split(path.sep).join('/');
  }

  /** A watched file was created: record it and the directories leading to it. */
  async fileCreated(file: string): Promise<void> {
    const root = this.rootOf(file);
    if (!root || !this.listings.has(root)) return;
    const l = await this.listings.get(root)!;
    const parts = path.relative(root, file).split(path.sep);
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (inUnlisted(rel)) break;
      l.entries.add(rel);
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
    const prefix = rel + '/';
    for (const e of l.entries) if (e.startsWith(prefix)) l.entries.delete(e);
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
