/**
 * Team threat libraries (#16) in the language server: each model's library files (`.rampart/` folders from its
 * folder up to the repository root, and its `policy.libraries`) found and read in the background
 * (src/node/library.ts), loaded by the core (`loadLibraries`) and kept current, so the analysis of a model runs
 * the library's rules without ever waiting for the disk.
 *
 * - `current` answers synchronously: the library of the model's folder and last known `policy.libraries`, or
 *   undefined while it is read for the first time (library rules then say nothing). A load that changes a set
 *   bumps `generation` and fires `onChanged`, and the server analyses its models again.
 * - `want` is called after an analysis with its model: when its `policy.libraries` changed, the new set is read
 *   (and the model analysed again).
 * - Sets are cached by what they read: a created, changed or deleted file in a `.rampart` folder looked at, in a
 *   library path or package, reads the set again after a short delay; an unchanged result (same files, same text)
 *   keeps the same `Library` object, so the incremental analysis keeps its memo.
 * - The problems located in library files (`LibraryProblem`) are published as diagnostics on those files
 *   (`publish`), whether or not they are open; sources that cannot be read go to the log.
 * Nothing of a library is ever executed.
 */
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { EMPTY_LIBRARY, loadLibraries, type Library, type LibraryProblem } from '../core/library/index';
import type { Model } from '../core/model/schema';
import { findLibraryFiles, libraryProblemText, type LibraryFiles } from '../node/library';
import { textPositions, toRange } from './convert';
import { pathToUri, type WorkspaceFiles } from './fileIndex';

const RELOAD_DELAY_MS = 200;
export const LIBRARY_DIAGNOSTIC_SOURCE = 'rampart';

interface LibrarySet {
  modelDir: string;
  libraries: string[];
  found?: LibraryFiles;
  library?: Library;
  /** The files' uris and texts of `library`, to tell whether a reload changed anything. */
  key?: string;
  running?: Promise<void>;
  again: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

const within = (p: string, root: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** The `policy.libraries` of a model, as strings. */
export function librariesOf(model: Model | undefined): string[] {
  const list = model?.policy?.libraries;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

export class WorkspaceLibraries {
  private readonly sets = new Map<string, LibrarySet>();
  /** Per model file: its `policy.libraries` as last analysed. */
  private readonly wanted = new Map<string, string[]>();
  /** Library files with diagnostics published (uri -> diagnostics JSON), so fixed files are cleared. */
  private readonly published = new Map<string, string>();
  generation = 0;
  onChanged: () => void = () => {};
  /** Sends the diagnostics of a library file (wired to the connection by the server). */
  publish: (uri: string, diagnostics: Diagnostic[]) => void = () => {};

  constructor(private readonly files: WorkspaceFiles, private readonly log: (message: string) => void = () => {}) {}

  private keyOf(modelDir: string, libraries: readonly string[]): string {
    return [modelDir, ...libraries].join('\u0000');
  }

  private setFor(modelFile: string, libraries: readonly string[]): LibrarySet {
    const modelDir = path.dirname(path.resolve(modelFile));
    const key = this.keyOf(modelDir, libraries);
    let set = this.sets.get(key);
    if (!set) {
      set = { modelDir, libraries: [...libraries], again: false };
      this.sets.set(key, set);
      this.load(set, modelFile);
    }
    return set;
  }

  /** The library of a model file (absolute path) as last read; undefined while it is read for the first time, or when it has no library file. */
  current(modelFile: string): Library | undefined {
    const file = path.resolve(modelFile);
    return this.setFor(file, this.wanted.get(file) ?? []).library;
  }

  /** The library of a model, read now if it is not yet (requests that need it: templates, catalog threats). */
  async forModel(modelFile: string, model: Model | undefined): Promise<Library | undefined> {
    const set = this.setFor(path.resolve(modelFile), librariesOf(model));
    while (set.running) await set.running;
    return set.library;
  }

  /** After an analysis: the model's `policy.libraries` (a change reads the new set and analyses the model again). */
  want(modelFile: string, model: Model | undefined): void {
    const file = path.resolve(modelFile);
    const libraries = librariesOf(model);
    const before = this.wanted.get(file) ?? [];
    if (before.length === libraries.length && before.every((x, i) => x === libraries[i])) return;
    this.wanted.set(file, libraries);
    const set = this.setFor(file, libraries);
    // analysed with the set of its former policy.libraries: analysed again once the new one is read
    void (set.running ?? Promise.resolve()).then(() => { this.generation++; this.onChanged(); });
  }

  /** A file was created, changed or deleted: the sets that read it, or look where it is, are read again. */
  fileChanged(file: string): void {
    const abs = path.resolve(file);
    for (const set of this.sets.values()) {
      const f = set.found;
      if (!f) continue;
      const concerned = f.watched.some(w => within(abs, w)) || f.files.some(x => x.uri === abs) || path.basename(abs) === '.git';
      if (!concerned) continue;
      clearTimeout(set.timer);
      set.timer = setTimeout(() => { set.timer = undefined; this.load(set); }, RELOAD_DELAY_MS);
    }
  }

  /** Workspace folders changed: everything is read again when asked for. */
  foldersChanged(): void {
    for (const set of this.sets.values()) clearTimeout(set.timer);
    this.sets.clear();
    this.generation++;
  }

  /** Resolves when no set is being read (tests). */
  async ready(): Promise<void> {
    for (;;) {
      const pending = [...this.sets.values()].flatMap(s => (s.running ? [s.running] : []));
      if (!pending.length) return;
      await Promise.all(pending);
    }
  }

  private load(set: LibrarySet, modelFile = path.join(set.modelDir, '_.threatmodel.yaml')): void {
    if (set.running) { set.again = true; return; }
    set.running = (async () => {
      const workspaceRoot = this.files.rootOf(modelFile);
      const found = await findLibraryFiles(modelFile, set.libraries, workspaceRoot ? { workspaceRoot } : {});
      const key = [...found.files.map(f => `${f.uri}\u0000${f.text}`), ...found.problems.map(p => `${p.entry ?? ''}\u0000${p.source}\u0000${p.message}`)].join('\u0001');
      const first = !set.found;
      set.found = found;
      for (const p of found.problems) this.log(`team library of ${set.modelDir}: ${libraryProblemText(p)}`);
      if (key === set.key && !first) return;
      set.key = key;
      const loaded = found.files.length ? loadLibraries(found.files) : undefined;
      // sources that cannot be read show on the model (library/unreadable), not only in the log
      set.library = found.problems.length
        ? { ...(loaded ?? EMPTY_LIBRARY), unreadable: found.problems.map(p => ({ source: p.source, message: p.message, ...(p.entry !== undefined ? { entry: p.entry } : {}) })) }
        : loaded;
      if (set.library) this.log(`loaded ${found.files.length} team library file(s) for ${set.modelDir}: ${set.library.names.join(', ') || 'no library name'}; ${set.library.rules.length} rule(s), ${set.library.templates.size} template(s), ${set.library.catalog.length} catalog threat(s)`);
      this.publishProblems();
      if (set.library || !first) {
        this.generation++;
        this.onChanged();
      }
    })().catch(e => this.log(`reading the team libraries of ${set.modelDir} failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        set.running = undefined;
        if (set.again) { set.again = false; this.load(set); }
      });
  }

  /** Every library file's problems (over all sets, once each) as diagnostics on that file; files without any more are cleared. */
  private publishProblems(): void {
    const byUri = new Map<string, { text: string; problems: LibraryProblem[] }>();
    for (const set of this.sets.values()) {
      if (!set.library || !set.found) continue;
      const texts = new Map(set.found.files.map(f => [f.uri, f.text]));
      for (const f of set.found.files) if (!byUri.has(f.uri)) byUri.set(f.uri, { text: f.text, problems: [] });
      const seen = new Set<string>();
      for (const p of set.library.problems) {
        const entry = byUri.get(p.uri) ?? { text: texts.get(p.uri) ?? '', problems: [] };
        byUri.set(p.uri, entry);
        const k = `${p.range.start}:${p.range.end}:${p.message}`;
        if (seen.has(`${p.uri}\u0000${k}`) || entry.problems.some(q => `${q.range.start}:${q.range.end}:${q.message}` === k)) continue;
        seen.add(`${p.uri}\u0000${k}`);
        entry.problems.push(p);
      }
    }
    const now = new Map<string, string>();
    for (const [file, { text, problems }] of byUri) {
      const uri = /^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? file : pathToUri(file);
      const positions = textPositions(uri, text);
      const diagnostics: Diagnostic[] = problems.map(p => ({
        range: toRange(positions, p.range), severity: SEVERITY[p.severity], source: LIBRARY_DIAGNOSTIC_SOURCE, code: 'library/problem', message: p.message,
      }));
      const json = JSON.stringify(diagnostics);
      now.set(uri, json);
      if (this.published.get(uri) === json || (!diagnostics.length && !this.published.has(uri))) continue;
      this.publish(uri, diagnostics);
    }
    for (const uri of this.published.keys()) if (!now.has(uri)) this.publish(uri, []);
    this.published.clear();
    for (const [uri, json] of now) if (json !== '[]') this.published.set(uri, json);
  }
}
