/**
 * Offline threat intelligence in the language server (#15): the feeds of the setting `rampart.intel.files`
 * (paths relative to the workspace folder, or absolute) and the SBOMs the models name, read in the background
 * and kept current, so the analysis of a model matches its elements (`intel/*`) without ever waiting for them.
 * Never any network access.
 *
 * - `current` answers synchronously: the feeds of the model's folder as last loaded, with the model's SBOMs as
 *   far as they are read, or undefined while the first load runs (the `intel/*` rules then say nothing). A load
 *   that finishes bumps `generation` and fires `onChanged`, and the server analyses its models again.
 * - Feeds are cached by their paths and each file's size and mtime: a changed, created or deleted feed file (or
 *   a file in a feed folder) loads them again; so does a changed SBOM.
 * - `wantSboms` is called after an analysis with its model: SBOMs it names that are not read yet are read (inside
 *   the model's folder tree only), and the model is analysed again when they are.
 */
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { buildIntelIndex, type IntelIndex, type IntelSettings, type SbomRead } from '../core/intel/index';
import type { Model } from '../core/model/schema';
import { readFeed, readSbom, sbomPaths } from '../node/intel';
import type { WorkspaceFiles } from './fileIndex';

const RELOAD_DELAY_MS = 300;

interface FeedSet {
  /** Absolute paths, in the order of the setting, with the names messages use (the setting's text). */
  paths: { abs: string; name: string }[];
  index?: IntelIndex;
  /** size:mtime of each path when it was loaded. */
  stamps: string[];
  running?: Promise<void>;
  again: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

interface SbomEntry {
  read?: SbomRead;
  running?: Promise<void>;
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
const stamp = async (abs: string) => fsp.stat(abs).then(s => `${s.size}:${s.mtimeMs}`, () => 'missing');

export class WorkspaceIntel {
  private readonly sets = new Map<string, FeedSet>();
  private readonly sboms = new Map<string, SbomEntry>();
  /** Per model file: the SBOM paths (as written) its last analysis named. */
  private readonly wanted = new Map<string, string[]>();
  /** Bumped whenever feeds or SBOMs are (re)loaded, so analyses made before are not reused. */
  generation = 0;
  /** Feeds or SBOMs changed (the server re-analyses its models). */
  onChanged: () => void = () => {};

  constructor(private readonly files: WorkspaceFiles, private readonly log: (message: string) => void = () => {}) {}

  /** The intelligence for a model file (absolute path) under the configured feed paths; undefined while loading. */
  current(modelFile: string, feedPaths: readonly string[]): IntelSettings | undefined {
    if (!feedPaths.length) return undefined;
    const base = this.files.rootOf(modelFile) ?? path.dirname(path.resolve(modelFile));
    const paths = feedPaths.map(p => ({ abs: path.resolve(base, p), name: p }));
    const key = paths.map(p => p.abs).join('\u0000');
    let set = this.sets.get(key);
    if (!set) {
      set = { paths, stamps: [], again: false };
      this.sets.set(key, set);
      this.load(set);
    }
    if (!set.index) return undefined;
    const dir = path.dirname(path.resolve(modelFile));
    const sboms = new Map<string, SbomRead>();
    for (const rel of this.wanted.get(path.resolve(modelFile)) ?? []) {
      const read = this.sboms.get(path.resolve(dir, rel))?.read;
      if (read) sboms.set(rel, read);
    }
    return { index: set.index, sboms };
  }

  /** After an analysis: reads the SBOMs its model names that are not read yet (and analyses it again then). */
  wantSboms(modelFile: string, model: Model): void {
    const file = path.resolve(modelFile);
    const rels = sbomPaths(model);
    const before = this.wanted.get(file) ?? [];
    this.wanted.set(file, rels);
    let changed = rels.some(r => !before.includes(r));
    for (const rel of rels) {
      const abs = path.resolve(path.dirname(file), rel);
      const entry = this.sboms.get(abs);
      if (entry) continue;
      changed = false; // the read's completion re-analyses
      const e: SbomEntry = {};
      this.sboms.set(abs, e);
      e.running = readSbom(file, rel).then(r => { e.read = r.read; }, () => { e.read = { ok: false, message: 'cannot be read' }; }).finally(() => {
        e.running = undefined;
        this.generation++;
        this.onChanged();
      });
    }
    // Paths already read for another model: this model has them from its next analysis on.
    if (changed) { this.generation++; this.onChanged(); }
  }

  /** A file was created, changed or deleted: a feed (or a file in a feed folder) loads its set again; an SBOM is read again. */
  fileChanged(file: string): void {
    const abs = path.resolve(file);
    if (this.sboms.has(abs)) {
      this.sboms.delete(abs);
      this.generation++;
      this.onChanged();
    }
    for (const set of this.sets.values()) {
      if (!set.paths.some(p => within(abs, p.abs))) continue;
      clearTimeout(set.timer);
      set.timer = setTimeout(() => { set.timer = undefined; this.load(set); }, RELOAD_DELAY_MS);
    }
  }

  /** Settings changed: forget feed sets no setting names any more (they are loaded again when asked for). */
  settingsChanged(): void {
    for (const set of this.sets.values()) clearTimeout(set.timer);
    this.sets.clear();
  }

  /** Resolves when every feed set being loaded is loaded (tests). */
  async ready(): Promise<void> {
    for (;;) {
      const pending = [...this.sets.values()].flatMap(s => (s.running ? [s.running] : []))
        .concat([...this.sboms.values()].flatMap(e => (e.running ? [e.running] : [])));
      if (!pending.length) return;
      await Promise.all(pending);
    }
  }

  private load(set: FeedSet): void {
    if (set.running) { set.again = true; return; }
    set.running = (async () => {
      const stamps = await Promise.all(set.paths.map(p => stamp(p.abs)));
      if (set.index && stamps.every((s, i) => s === set.stamps[i])) {
        // unchanged files; a folder's own stamp does not tell whether a file in it changed, so a set with one reloads
        const folders = await Promise.all(set.paths.map(p => fsp.stat(p.abs).then(s => s.isDirectory(), () => false)));
        if (!folders.some(Boolean)) return;
      }
      const t0 = Date.now();
      const reads = await Promise.all(set.paths.map(p => readFeed(p.abs, p.name)));
      set.index = buildIntelIndex(reads);
      set.stamps = stamps;
      const ms = Date.now() - t0;
      this.log(`loaded ${set.index.feeds.length} threat-intelligence feed(s) in ${ms} ms${set.index.problems.length ? `; ${set.index.problems.length} could not be used` : ''}`);
      this.generation++;
      this.onChanged();
    })().catch(e => this.log(`loading the threat-intelligence feeds failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        set.running = undefined;
        if (set.again) { set.again = false; this.load(set); }
      });
  }
}
