/**
 * What the code of each workspace folder says about its models (#13), read in the background so the analysis
 * never waits: the annotations in source comments (an index per folder, kept current file by file), the text
 * of the files evidence names, what git says since an element's review, and where a missing evidence file went.
 *
 * `current` answers synchronously with what is read so far and asks for the rest; when something arrives or
 * changes, `generation` is bumped and `onChanged` fires (debounced), and the server analyses its models again.
 * Everything stays inside the folder: files come from its listing (links are not followed out, see
 * fileIndex.ts), evidence is read only where the listing can see it, and git runs with fixed arguments in the
 * model's repository (src/node/git.ts).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { searchesDir } from '../core/discover/candidates';
import type { Model } from '../core/model/schema';
import { ANNOTATION_LIMITS, isScannableName, looksBinary, mayHoldAnnotations, rebaseAnnotations, scanAnnotations, traceNeeds, type Annotation, type ReviewStatus, type Trace } from '../core/trace/index';
import { lookup, type FolderListing, type WorkspaceFiles } from './fileIndex';
import { dirOfFile, ownerDirs } from '../core/trace/owners';

const MAX_SCANNED_FILES = 20_000;
const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;
const BATCH = 16;
const CHANGED_DELAY_MS = 200;
const READY_WAIT_MS = 5000;

const nextTick = () => new Promise<void>(resolve => setImmediate(resolve));
const posix = (p: string) => p.split(path.sep).join('/');

interface FolderIndex {
  /** Annotations per folder-relative file (files without any are absent). */
  byFile: Map<string, Annotation[]>;
  /** The folder's listing (kept current by the file events): where its models are. */
  listing?: FolderListing;
  ready: boolean;
  /** Settles when the first scan is done. */
  done: Promise<void>;
  /** Annotations of every file, folder-relative, rebuilt when a file changes. */
  all?: Annotation[];
}

/** Whether a folder-relative path is one the annotation index reads. */
export function isScannablePath(rel: string): boolean {
  const parts = rel.split('/');
  return isScannableName(parts[parts.length - 1]) && parts.slice(0, -1).every(searchesDir);
}

export class WorkspaceTrace {
  private readonly folders = new Map<string, FolderIndex>();
  /** Evidence text by absolute path: undefined while being read. */
  private readonly evidence = new Map<string, string | null | undefined>();
  /** git answers by `repo\0commit\0globs`, with repository-relative files; undefined while asked. */
  private readonly reviews = new Map<string, ReviewStatus | undefined>();
  /** git renames and same-name files by absolute path (absolute results); undefined while asked. */
  private readonly moved = new Map<string, string[] | undefined>();
  /** Evidence files (absolute) that the folder's listing says do not exist. */
  private readonly absent = new Set<string>();
  /** Repository roots by model folder, once known. */
  private readonly repos = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  generation = 0;
  onChanged: () => void = () => {};

  constructor(private readonly files: WorkspaceFiles, private readonly log: (message: string) => void = () => {}) {}

  private changed(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.onChanged(); }, CHANGED_DELAY_MS);
  }

  /** The annotations of a workspace folder (folder-relative files), or undefined while the first scan runs. */
  annotations(root: string): readonly Annotation[] | undefined {
    const f = this.folders.get(root) ?? this.scan(root);
    if (!f.ready) return undefined;
    f.all ??= [...f.byFile.keys()].sort().flatMap(k => f.byFile.get(k)!);
    return f.all;
  }

  /**
   * The annotations that a model answers for (folder-relative files): those of the files its folder is the
   * nearest model folder of (src/core/trace/owners.ts); all of them for a model outside every folder.
   */
  annotationsFor(modelFile: string): readonly Annotation[] {
    const root = this.files.rootOf(modelFile);
    if (!root) return [];
    const all = this.annotations(root) ?? [];
    const models = this.folders.get(root)?.listing?.models ?? [];
    if (models.length <= 1) return all;
    const dirs = models.map(m => dirOfFile(posix(path.relative(root, m))));
    const mine = dirOfFile(posix(path.relative(root, path.resolve(modelFile))));
    const owners = new Map<string, boolean>();
    return all.filter(a => {
      const dir = dirOfFile(a.file);
      let own = owners.get(dir);
      if (own === undefined) owners.set(dir, (own = ownerDirs(dirs, a.file).includes(mine)));
      return own;
    });
  }

  /** Resolves when the folder's annotation index is built (at most a few seconds are waited for). */
  async ready(root: string): Promise<void> {
    const f = this.folders.get(root) ?? this.scan(root);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([f.done, new Promise<void>(resolve => { timer = setTimeout(resolve, READY_WAIT_MS); })]);
    clearTimeout(timer);
  }

  /** The trace of a model (paths relative to its folder) with what is read so far; asks for the rest. */
  current(modelFile: string, model: Model, modelDirInRepo: string): Trace | undefined {
    const root = this.files.rootOf(modelFile);
    if (!root) return undefined;
    const dir = path.dirname(path.resolve(modelFile));
    const toModel = (abs: string) => posix(path.relative(dir, abs)) || '.';
    const annotations = this.annotationsFor(modelFile);
    const trace: Trace = { annotations: rebaseAnnotations(annotations, f => toModel(path.join(root, ...f.split('/')))) };
    const needs = traceNeeds(model, modelDirInRepo);
    const evidence: Record<string, string | null> = {};
    const missing: string[] = [];
    for (const f of needs.evidenceFiles) {
      const abs = path.resolve(dir, f);
      const rel = posix(path.relative(root, abs));
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (!this.evidence.has(abs)) this.readEvidence(root, rel, abs);
      const text = this.evidence.get(abs);
      if (text !== undefined) evidence[f] = text;
      if (this.absent.has(abs)) missing.push(f);
    }
    trace.evidence = evidence;
    const repo = this.repos.get(dir);
    if (repo === undefined) {
      void this.files.repositoryRoot(dir).then(r => { this.repos.set(dir, r); if (needs.reviews.length || missing.length) this.changed(); });
      return trace;
    }
    if (needs.reviews.length) {
      const reviews: Record<string, ReviewStatus> = {};
      for (const r of needs.reviews) {
        const globs = r.code.map(g => posix(path.relative(repo, path.resolve(dir, g))));
        const key = `${repo}\u0000${r.commit}\u0000${globs.join('\u0000')}`;
        if (!this.reviews.has(key)) this.askReview(key, repo, r.commit, globs);
        const got = this.reviews.get(key);
        if (!got) continue;
        reviews[r.element] = 'error' in got ? got : { commit: got.commit, changes: got.changes.map(c => ({ ...c, files: c.files.map(p => toModel(path.join(repo, ...p.split('/')))) })) };
      }
      trace.reviews = reviews;
    }
    if (missing.length) {
      const moved: Record<string, string[]> = {};
      for (const f of missing) {
        const abs = path.resolve(dir, f);
        if (!this.moved.has(abs)) this.askMoved(root, repo, abs);
        const got = this.moved.get(abs);
        if (got?.length) moved[f] = got.map(toModel);
      }
      trace.moved = moved;
    }
    return trace;
  }

  /** A file was created, changed or deleted: its annotations, an evidence text, and git's answers are renewed. */
  fileChanged(file: string): void {
    const root = this.files.rootOf(file);
    if (!root) return;
    let any = false;
    if (this.evidence.has(file)) { this.evidence.delete(file); this.absent.delete(file); any = true; }
    if (this.moved.size) { this.moved.clear(); any = true; }
    // A commit changes what git says since a review: every change may be one (the index, HEAD, a ref), and a
    // `git init` makes a folder a repository of its own.
    if (this.reviews.size || this.repos.size) {
      this.reviews.clear();
      this.repos.clear();
      this.files.forgetRepositories();
      any = true;
    }
    const f = this.folders.get(root);
    const rel = posix(path.relative(root, file));
    if (f?.ready && isScannablePath(rel)) { void this.rescan(root, f, rel); return; }
    if (any) this.changed();
  }

  /** Workspace folders changed: forget the ones that went. */
  foldersChanged(): void {
    for (const root of [...this.folders.keys()]) if (!this.files.folders.includes(root)) this.folders.delete(root);
  }

  private scan(root: string): FolderIndex {
    const f: FolderIndex = { byFile: new Map(), ready: false, done: Promise.resolve() };
    this.folders.set(root, f);
    f.done = (async () => {
      const t0 = Date.now();
      const listing = await this.files.listing(root);
      f.listing = listing;
      const candidates = [...listing.entries].filter(isScannablePath).sort().slice(0, MAX_SCANNED_FILES);
      for (let i = 0; i < candidates.length; i += BATCH) {
        await Promise.all(candidates.slice(i, i + BATCH).map(rel => this.read(root, rel).then(a => { if (a.length) f.byFile.set(rel, a); })));
        await nextTick();
      }
      f.ready = true;
      f.all = undefined;
      const ms = Date.now() - t0;
      if (ms > 500) this.log(`indexed the annotations of ${candidates.length} file(s) of ${root} in ${ms} ms`);
      this.changed();
    })().catch(e => this.log(`annotation index of ${root} failed: ${e instanceof Error ? e.message : String(e)}`));
    return f;
  }

  private async rescan(root: string, f: FolderIndex, rel: string): Promise<void> {
    const a = await this.read(root, rel);
    const before = f.byFile.get(rel);
    if (!a.length && !before) return;
    if (a.length) f.byFile.set(rel, a); else f.byFile.delete(rel);
    f.all = undefined;
    this.changed();
  }

  /** The annotations of one file (none when it is unreadable, too large, or not a regular file). */
  private async read(root: string, rel: string): Promise<Annotation[]> {
    const abs = path.join(root, ...rel.split('/'));
    try {
      const st = await fsp.lstat(abs);
      if (!st.isFile() || st.size > ANNOTATION_LIMITS.fileSize) return [];
      const bytes = await fsp.readFile(abs);
      if (looksBinary(bytes)) return [];
      const text = bytes.toString('utf8');
      return mayHoldAnnotations(text) ? scanAnnotations(rel, text) : [];
    } catch {
      return [];
    }
  }

  private readEvidence(root: string, rel: string, abs: string): void {
    this.evidence.set(abs, undefined);
    void (async () => {
      const listing = await this.files.listing(root);
      let text: string | null = null;
      const there = lookup(listing, rel);
      if (there === false) this.absent.add(abs); else this.absent.delete(abs);
      if (there === true && !listing.links.has(rel)) {
        try {
          const st = await fsp.stat(abs);
          if (st.isFile() && st.size <= MAX_EVIDENCE_BYTES) text = await fsp.readFile(abs, 'utf8');
        } catch { /* gone: null */ }
      }
      if (this.evidence.get(abs) !== undefined || !this.evidence.has(abs)) return; // renewed meanwhile
      this.evidence.set(abs, text);
      this.changed();
    })();
  }

  private askReview(key: string, repo: string, commit: string, globs: string[]): void {
    this.reviews.set(key, undefined);
    void (async () => {
      const git = await import('../node/git');
      const r = await git.changesSince(repo, commit, globs);
      if (!this.reviews.has(key)) return; // renewed meanwhile
      this.reviews.set(key, r.ok ? { commit, changes: r.value } : { commit, error: r.error });
      this.changed();
    })();
  }

  /** Missing evidence files waiting to be looked up, per workspace folder and repository (one batch each). */
  private readonly movedQueue = new Map<string, { root: string; repo: string; files: Set<string> }>();

  private askMoved(root: string, repo: string, abs: string): void {
    this.moved.set(abs, undefined);
    const key = `${root}\u0000${repo}`;
    let batch = this.movedQueue.get(key);
    if (!batch) {
      const b = { root, repo, files: new Set<string>() };
      this.movedQueue.set(key, (batch = b));
      // the files asked for in this turn go to git together (a model naming hundreds costs a few git runs)
      setTimeout(() => { this.movedQueue.delete(key); void this.lookUpMoved(b); }, 0);
    }
    batch.files.add(abs);
  }

  private async lookUpMoved({ root, repo, files }: { root: string; repo: string; files: Set<string> }): Promise<void> {
    const git = await import('../node/git');
    const all = [...files];
    const rel = all.map(abs => posix(path.relative(repo, abs)));
    const renames = await git.renamesOfMany(repo, rel);
    const listing = await this.files.listing(root);
    const byName = new Map<string, string[]>();
    for (const e of listing.entries) {
      const base = e.split('/').pop()!;
      const list = byName.get(base) ?? [];
      list.push(e);
      byName.set(base, list);
    }
    let any = false;
    all.forEach((abs, i) => {
      const out = (renames.ok ? renames.value.get(rel[i]!) ?? [] : []).map(p => path.join(repo, ...p.split('/')));
      for (const e of byName.get(path.basename(abs)) ?? []) out.push(path.join(root, ...e.split('/')));
      const there = out.filter(p => p !== abs && lookup(listing, posix(path.relative(root, p))) === true);
      if (!this.moved.has(abs)) return; // renewed meanwhile
      this.moved.set(abs, [...new Set(there)].slice(0, 5));
      any = true;
    });
    if (any) this.changed();
  }
}
