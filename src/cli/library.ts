/**
 * Team threat libraries (#16) in the CLI: each model's library files are found and read (src/node/library.ts),
 * loaded by the core (`loadLibraries`) once per set of files, and given to the analysis (`AnalysisSettings.library`).
 * A library source that cannot be read (a package not installed, a path outside the repository, a file too big)
 * and every problem located in a library file are printed once on standard error; `check` then exits 2 (its
 * rules did not all run). Nothing of a library is executed.
 */
import path from 'node:path';
import type { Model } from '../core/model/schema';
import type { RuleMeta } from '../core/rules/types';
import { loadLibraries, libraryRuleMeta, type Library } from '../core/library/index';
import { LineIndex } from '../core/lines';
import { terminalSafe } from '../core/text/safe';
import { findLibraryFiles, libraryProblemText, type LibraryFiles } from '../node/library';

export interface LibraryIo {
  err(s: string): void;
  cwd: string;
}

const shown = (file: string, cwd: string) => {
  const rel = path.relative(cwd, file);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file).split(path.sep).join('/');
};

/** The libraries of the models of one run, loaded once per set of files. */
export class CliLibraries {
  private readonly loaded = new Map<string, Library>();
  private readonly found = new Map<string, Promise<LibraryFiles>>();
  private readonly printed = new Set<string>();
  /** Rule metadata of every library loaded (SARIF's driver). */
  private readonly metas = new Map<string, RuleMeta>();
  /** Whether a library source could not be read. */
  unreadable = false;

  constructor(private readonly io: LibraryIo, private readonly cmd: string) {}

  /** The library of a model (file path, its parsed model); undefined when it uses none. */
  async forModel(file: string, model: Model | undefined): Promise<Library | undefined> {
    const libraries = Array.isArray(model?.policy?.libraries) ? model.policy.libraries.filter((x): x is string => typeof x === 'string') : [];
    // models of one folder with the same policy.libraries share their files (read once per run)
    const key = [path.dirname(path.resolve(file)), ...libraries].join('\u0000');
    let pending = this.found.get(key);
    if (!pending) this.found.set(key, (pending = findLibraryFiles(file, libraries)));
    const found = await pending;
    this.report(found, shown(file, this.io.cwd));
    return this.load(found);
  }

  /** The library of paths or package names given on the command line (relative to the working directory), without the `.rampart/` walk. */
  async forPaths(paths: readonly string[]): Promise<Library | undefined> {
    const found = await findLibraryFiles(path.join(this.io.cwd, '--library'), paths, { walk: false });
    this.report(found, '--library');
    return this.load(found);
  }

  ruleMeta(): RuleMeta[] {
    return [...this.metas.values()];
  }

  private load(found: LibraryFiles): Library | undefined {
    if (!found.files.length) return undefined;
    const key = found.files.map((f, i) => `${f.uri}\u0000${found.stamps[i]}`).join('\u0001');
    let library = this.loaded.get(key);
    if (!library) {
      library = loadLibraries(found.files);
      this.loaded.set(key, library);
      for (const m of libraryRuleMeta(library)) if (!this.metas.has(m.id)) this.metas.set(m.id, m);
      this.printProblems(library, found);
    }
    return library;
  }

  /** Sources that could not be read: once each, naming the model (or option) that asked for them. */
  private report(found: LibraryFiles, who: string): void {
    for (const p of found.problems) {
      const text = libraryProblemText(p);
      const line = `rampart ${this.cmd}: ${terminalSafe(who)}: ${/\blibrary\b/.test(text) ? '' : 'team library file '}${terminalSafe(text)}\n`;
      this.unreadable = true;
      if (this.printed.has(line)) continue;
      this.printed.add(line);
      this.io.err(line);
    }
  }

  /** Problems located in library files, as `path:line:col severity message` (once each). */
  private printProblems(library: Library, found: LibraryFiles): void {
    const texts = new Map(found.files.map(f => [f.uri, f.text]));
    const lines = new Map<string, LineIndex>();
    for (const p of library.problems) {
      const text = texts.get(p.uri) ?? '';
      let index = lines.get(p.uri);
      if (!index) lines.set(p.uri, (index = new LineIndex(text)));
      const { line, column } = index.lineCol(Math.min(p.range.start, text.length));
      const out = `${terminalSafe(shown(p.uri, this.io.cwd))}:${line}:${column} ${p.severity} ${terminalSafe(p.message)}\n`;
      if (this.printed.has(out)) continue;
      this.printed.add(out);
      this.io.err(out);
    }
  }
}
