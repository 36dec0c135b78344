/**
 * The document store: the text of every open document (synchronised incrementally by `TextDocuments`) and the
 * analysis of each model, cached by document version, settings generation and file-index generation, so every
 * request on a version (diagnostics, hover, completion, code actions, ...) shares one run of the core.
 *
 * Open models are analysed incrementally: one `IncrementalAnalyzer` per open document re-parses only the
 * entries an edit changed (src/core/incremental); its result equals a full analysis. Files read from disk
 * (workspace diagnostics) get a full analysis.
 *
 * `analysisOf` is asynchronous only because settings are pulled from the client and the folder listing is
 * built in the background; the core itself runs synchronously on a snapshot of the text, and the result says
 * which version it belongs to. Handlers then check that the document did not move on while they waited
 * (`isCurrent`).
 */
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../core/analyze';
import { IncrementalAnalyzer } from '../core/incremental/analyzer';
import type { RampartSettings } from '../shared/settings';
import type { SettingsStore } from './settings';
import type { WorkspaceDiscovery } from './discovery';
import type { WorkspaceTrace } from './trace';
import type { WorkspaceIntel } from './intel';
import type { WorkspaceLibraries } from './library';
import type { Model } from '../core/model/schema';
import { emptyModel } from '../core/model/parse';
import type { Trace } from '../core/trace/types';
import { isModelPath, uriToPath, type WorkspaceFiles } from './fileIndex';

export const LANGUAGE_ID = 'threatmodel';

/** The model before a document's first analysis: nothing to read for it yet. */
const NO_MODEL = emptyModel();

/** An analysis given up because its document changed while it waited for settings or the file index. */
export class StaleAnalysis extends Error {
  constructor(uri: string, version: number) {
    super(`${uri} changed after version ${version}; its analysis was dropped`);
  }
}
/** Views of a file that are not the file itself (diffs, history, output): no analysis there. */
const IGNORED_SCHEMES = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'review', 'pr', 'vscode-notebook-cell-output', 'vscode-chat-code-block']);

/** Whether an open document is a threat model: by language id, or by file name for clients that only know `yaml`. */
export function isThreatModel(doc: { uri: string; languageId: string }): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(doc.uri)?.[1]?.toLowerCase();
  if (scheme && IGNORED_SCHEMES.has(scheme)) return false;
  return doc.languageId === LANGUAGE_ID || isModelPath(doc.uri.replace(/[?#].*$/, ''));
}

/** The result of analysing one version of a document. */
export interface ModelSnapshot {
  uri: string;
  version: number;
  /** The document the analysis was made from (positions of this version). */
  doc: TextDocument;
  analysis: Analysis;
  settings: RampartSettings;
  /** What the code said of the model when it was analysed (annotations, evidence, git), if read. */
  trace?: Trace;
}

interface CacheEntry {
  version: number;
  settingsGeneration: number;
  filesGeneration: number;
  discoveryGeneration: number;
  traceGeneration: number;
  intelGeneration: number;
  libraryGeneration: number;
  snapshot: Promise<ModelSnapshot>;
}

export class ModelDocuments {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, CacheEntry>();
  /** Per open document: the analyzer that keeps its parsed entries between versions. */
  private readonly analyzers = new Map<string, IncrementalAnalyzer>();
  /** Per document: the model of its last analysis, whose evidence and reviews the trace reads for the next. */
  private readonly lastModel = new Map<string, Model>();

  constructor(
    private readonly settings: SettingsStore, private readonly files: WorkspaceFiles, private readonly log: (message: string) => void,
    private readonly discovery?: WorkspaceDiscovery,
    private readonly trace?: WorkspaceTrace,
    private readonly intel?: WorkspaceIntel,
    private readonly libraries?: WorkspaceLibraries,
  ) {
    this.documents.onDidClose(e => {
      this.cache.delete(e.document.uri);
      this.analyzers.delete(e.document.uri);
      this.lastModel.delete(e.document.uri);
    });
  }

  listen(connection: Connection): void {
    this.documents.listen(connection);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The open model at `uri` (undefined when it is not open, or not a threat model). */
  model(uri: string): TextDocument | undefined {
    const doc = this.documents.get(uri);
    return doc && isThreatModel(doc) ? doc : undefined;
  }

  /** Open threat models. */
  models(): TextDocument[] {
    return this.documents.all().filter(isThreatModel);
  }

  /** Whether `version` is still the open document's version. */
  isCurrent(uri: string, version: number): boolean {
    return this.documents.get(uri)?.version === version;
  }

  /** The analysis of the open model's current version (cached), or undefined when it is not an open model. */
  analysisOf(uri: string): Promise<ModelSnapshot> | undefined {
    const doc = this.model(uri);
    if (!doc) return undefined;
    const hit = this.cache.get(uri);
    const discoveryGeneration = this.discovery?.generation ?? 0;
    const traceGeneration = this.trace?.generation ?? 0;
    const intelGeneration = this.intel?.generation ?? 0;
    const libraryGeneration = this.libraries?.generation ?? 0;
    if (hit && hit.version === doc.version && hit.settingsGeneration === this.settings.generation && hit.filesGeneration === this.files.generation
      && hit.discoveryGeneration === discoveryGeneration && hit.traceGeneration === traceGeneration && hit.intelGeneration === intelGeneration
      && hit.libraryGeneration === libraryGeneration) return hit.snapshot;
    // A snapshot of this version: the TextDocument object itself is updated in place by later changes.
    const frozen = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
    const entry: CacheEntry = {
      version: doc.version, settingsGeneration: this.settings.generation, filesGeneration: this.files.generation, discoveryGeneration, traceGeneration, intelGeneration, libraryGeneration, snapshot: undefined as never,
    };
    // The generations are those before waiting: a change while the analysis waits makes it stale, not current.
    // Work for a version that is already superseded is not started: the newer version has its own.
    const wanted = () => this.documents.get(uri)?.version === frozen.version;
    entry.snapshot = this.analyzeText(uri, frozen.getText(), wanted, true)
      .then(r => ({ uri, version: frozen.version, doc: frozen, analysis: r.analysis, settings: r.settings, trace: r.trace }));
    entry.snapshot.catch(() => { if (this.cache.get(uri) === entry) this.cache.delete(uri); });
    this.cache.set(uri, entry);
    return entry.snapshot;
  }

  /**
   * Analyses text for a document (open or read from disk) with its settings and evidence index. `wanted` is
   * asked once they are ready: when it says no, the analysis is not run (StaleAnalysis).
   */
  async analyzeText(uri: string, text: string, wanted: () => boolean = () => true, open = false): Promise<{ analysis: Analysis; settings: RampartSettings; trace?: Trace }> {
    const file = uriToPath(uri);
    // Evidence is looked up only for files on disk, in the index of their workspace folder.
    const [settings, evidence, discoveryScope] = await Promise.all([
      this.settings.forUri(uri), file ? this.files.evidenceFor(file) : {}, file && this.discovery ? this.discovery.scopeFor(file) : undefined,
    ]);
    if (!wanted()) throw new StaleAnalysis(uri, this.documents.get(uri)?.version ?? -1);
    // What the workspace folder declares (Compose, Kubernetes, OpenAPI), as far as it is discovered yet.
    const discovery = file && settings.discoverEnabled ? this.discovery?.current(file) : undefined;
    // What the code says (annotations, evidence files, git), read for the model as it was last analysed.
    const tracing = file && settings.traceEnabled ? this.trace : undefined;
    const dirInRepo = (evidence as { modelDirInRepo?: string }).modelDirInRepo ?? '';
    const trace = tracing?.current(file!, this.lastModel.get(uri) ?? NO_MODEL, dirInRepo);
    // The threat-intelligence feeds of `rampart.intel.files` and the model's SBOMs, as far as they are read yet.
    const intel = file && settings.intelFiles.length ? this.intel?.current(file, settings.intelFiles) : undefined;
    // The team libraries of the model's folder and last known policy.libraries, as far as they are read yet.
    const library = file ? this.libraries?.current(file) : undefined;
    const all = { ...settings, ...evidence, ...(discovery ? { discovery, discoveryScope } : {}), ...(trace ? { trace } : {}), ...(intel ? { intel } : {}), ...(library ? { library } : {}) };
    const t0 = Date.now();
    let analysis: Analysis;
    if (open && this.documents.get(uri)) {
      let analyzer = this.analyzers.get(uri);
      if (!analyzer) this.analyzers.set(uri, (analyzer = new IncrementalAnalyzer()));
      analysis = analyzer.update(text, all);
    } else {
      analysis = analyze(text, all);
    }
    const ms = Date.now() - t0;
    if (ms > 200) this.log(`analysed ${uri} in ${ms} ms (${text.length} characters)`);
    // asks for the SBOMs this version names (a model is analysed again when they are read)
    if (file && settings.intelFiles.length) this.intel?.wantSboms(file, analysis.parsed.model);
    // asks for the libraries this version names (a model is analysed again when they are read)
    if (file) this.libraries?.want(file, analysis.parsed.model);
    if (tracing) {
      // asks for what this version's evidence and reviews need (a change of them analyses it again)
      this.lastModel.set(uri, analysis.parsed.model);
      tracing.current(file!, analysis.parsed.model, dirInRepo);
    }
    return { analysis, settings, trace };
  }

  /** Forgets every cached analysis (settings or files changed). */
  invalidate(): void {
    this.cache.clear();
  }
}
