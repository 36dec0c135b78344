/**
 * The discovery of each workspace folder (#12): its Compose files, Kubernetes manifests and OpenAPI
 * descriptions as saved on disk, read in the background and kept current, so the analysis of a model can
 * report drift (`discover/*`) without ever waiting for it.
 *
 * - The candidates come from the folder's listing (src/server/fileIndex.ts), filtered by name as the CLI
 *   filters them (src/core/discover/candidates.ts); each is read at most once per change (by size and mtime),
 *   a few at a time with `setImmediate` between them, within a cap on files and on bytes.
 * - A model answers for all of it when it is the folder's only model, else for the folders its `source:`
 *   entries name (`scopeFor`): a hand-written model beside others is not told about every Compose file.
 * - `current` answers synchronously: the last discovery of the model's folder with paths relative to the model
 *   (as `source:` is written), or undefined while the first run is going (the `discover/*` rules then say
 *   nothing). When a run finishes with a different result, `generation` is bumped and `onChanged` fires, and
 *   the server analyses its models again.
 * - A created, changed or deleted candidate runs its folder again after a short delay (a burst runs once).
 * - `$ref`s to files that were not discovered are read only inside the folder, within the size cap; remote
 *   references are never fetched (the core's rule).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isCandidatePath, isComposeName } from '../core/discover/candidates';
import { classifyFile, discover, rebaseDiscovery, DISCOVER_LIMITS, type Discovery, type DiscoverFile } from '../core/discover/index';
import type { DiscoveryScope } from '../core/discover/scope';
import { isWithin, type WorkspaceFiles } from './fileIndex';

/** Files read per folder, and their total size: a workspace is not a deployment. */
export const MAX_DISCOVERED_FILES = 2_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const RERUN_DELAY_MS = 300;
const BATCH = 16;

interface Read {
  mtimeMs: number;
  size: number;
  /** The text, when the file is one of the three formats (undefined: read, and not one of them). */
  text: string | undefined;
}

interface FolderState {
  /** Per candidate (posix, relative to the folder): what was read, so an unchanged file is not read again. */
  reads: Map<string, Read>;
  result?: Discovery;
  /** JSON of `result`, to tell whether a run changed anything. */
  key?: string;
  running?: Promise<void>;
  again: boolean;
  timer?: ReturnType<typeof setTimeout>;
  /** Rebased discoveries per model folder, for `result`. */
  rebased: Map<string, Discovery>;
}

const nextTick = () => new Promise<void>(resolve => setImmediate(resolve));
const posix = (p: string) => p.split(path.sep).join('/');

export class WorkspaceDiscovery {
  private readonly folders = new Map<string, FolderState>();
  /** Bumped whenever a folder's discovery changes, so analyses made with the older one are not reused. */
  generation = 0;
  /** A folder's discovery changed (the server re-analyses its models). */
  onChanged: () => void = () => {};

  constructor(private readonly files: WorkspaceFiles, private readonly log: (message: string) => void = () => {}) {}

  /**
   * The discovery for a model file (absolute path), with paths relative to the model's folder; undefined when
   * the model is outside every workspace folder, or its folder is being discovered for the first time (which
   * this starts).
   */
  current(modelFile: string): Discovery | undefined {
    const root = this.files.rootOf(modelFile);
    if (!root) return undefined;
    const state = this.folders.get(root) ?? this.start(root);
    if (!state.result) return undefined;
    const dir = path.dirname(path.resolve(modelFile));
    let d = state.rebased.get(dir);
    if (!d) {
      const result = state.result;
      d = dir === root ? result : rebaseDiscovery(result, p => posix(path.relative(dir, path.join(root, ...p.split('/')))) || '.');
      state.rebased.set(dir, d);
    }
    return d;
  }

  /**
   * How much of its folder's discovery a model answers for: all of it when it is the folder's only model,
   * else only the folders its `source:` entries name (src/core/discover/scope.ts).
   */
  async scopeFor(modelFile: string): Promise<DiscoveryScope> {
    const root = this.files.rootOf(modelFile);
    if (!root) return 'sources';
    const models = (await this.files.listing(root)).models;
    return models.length <= 1 ? 'all' : 'sources';
  }

  /** Resolves when the folder of `modelFile` has been discovered (tests, and requests that must have it). */
  async ready(modelFile: string): Promise<Discovery | undefined> {
    const root = this.files.rootOf(modelFile);
    if (!root) return undefined;
    const state = this.folders.get(root) ?? this.start(root);
    while (state.running || state.timer) await (state.running ?? new Promise(r => setTimeout(r, RERUN_DELAY_MS)));
    return this.current(modelFile);
  }

  /** A file was created, changed or deleted: a candidate runs its folder again (after a short delay). */
  fileChanged(file: string): void {
    const root = this.files.rootOf(file);
    const state = root && this.folders.get(root);
    if (!root || !state) return;
    const rel = posix(path.relative(root, file));
    // a deleted folder may have held candidates: run again when one of them is under it
    const affected = isCandidatePath(rel) || [...state.reads.keys()].some(p => p.startsWith(`${rel}/`));
    if (!affected) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.run(root, state);
    }, RERUN_DELAY_MS);
  }

  /** The folder of `file` was listed again (a client without file events): run its discovery again. */
  refresh(file: string): void {
    const root = this.files.rootOf(file);
    const state = root && this.folders.get(root);
    if (root && state) this.run(root, state);
  }

  /** Workspace folders changed: forget the ones that went. */
  foldersChanged(): void {
    for (const [root, state] of this.folders) {
      if (this.files.folders.includes(root)) continue;
      clearTimeout(state.timer);
      this.folders.delete(root);
    }
  }

  private start(root: string): FolderState {
    const state: FolderState = { reads: new Map(), again: false, rebased: new Map() };
    this.folders.set(root, state);
    this.run(root, state);
    return state;
  }

  /** Runs the folder's discovery (again after the current run, when one is going). */
  private run(root: string, state: FolderState): void {
    if (state.running) { state.again = true; return; }
    state.running = this.discoverFolder(root, state)
      .catch(e => this.log(`discovery of ${root} failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        state.running = undefined;
        if (state.again) { state.again = false; this.run(root, state); }
      });
  }

  private async discoverFolder(root: string, state: FolderState): Promise<void> {
    const t0 = Date.now();
    // The listing the file events keep current (a fresh walk when it is old and there are no events).
    const listing = await this.files.listing(root);
    const candidates = [...listing.entries].filter(isCandidatePath).sort().slice(0, MAX_DISCOVERED_FILES);
    const reads = new Map<string, Read>();
    let bytes = 0;
    for (let i = 0; i < candidates.length; i += BATCH) {
      await Promise.all(candidates.slice(i, i + BATCH).map(async rel => {
        const abs = path.join(root, ...rel.split('/'));
        let st;
        try { st = await fsp.stat(abs); } catch { return; } // a folder named like a file, a broken link, gone
        if (!st.isFile() || st.size > DISCOVER_LIMITS.fileSize || bytes + st.size > MAX_TOTAL_BYTES) return;
        const before = state.reads.get(rel);
        if (before && before.mtimeMs === st.mtimeMs && before.size === st.size) { reads.set(rel, before); bytes += st.size; return; }
        let text: string;
        try { text = await fsp.readFile(abs, 'utf8'); } catch { return; }
        bytes += st.size;
        const wanted = isComposeName(path.basename(rel)) || classifyFile({ path: rel, text }) !== undefined;
        reads.set(rel, { mtimeMs: st.mtimeMs, size: st.size, text: wanted ? text : undefined });
      }));
      await nextTick();
    }
    state.reads = reads;
    const files: DiscoverFile[] = [];
    for (const [rel, r] of reads) if (r.text !== undefined) files.push({ path: rel, text: r.text });
    const realRoot = await fsp.realpath(root).catch(() => root);
    const readFile = async (p: string): Promise<string | undefined> => {
      const abs = path.resolve(root, p);
      if (!isWithin(abs, root)) return undefined;
      try {
        if (!isWithin(await fsp.realpath(abs), realRoot)) return undefined; // a link out of the folder
        const st = await fsp.stat(abs);
        return st.isFile() && st.size <= DISCOVER_LIMITS.fileSize ? await fsp.readFile(abs, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    };
    const d = await discover(files, { readFile });
    const key = JSON.stringify(d);
    const ms = Date.now() - t0;
    if (ms > 500) this.log(`discovered ${files.length} file(s) of ${root} in ${ms} ms`);
    if (key === state.key) return;
    state.result = d;
    state.key = key;
    state.rebased = new Map();
    this.generation++;
    this.onChanged();
  }
}
