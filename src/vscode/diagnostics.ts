/**
 * Findings -> the Problems panel, through ONE `DiagnosticCollection`.
 *
 * A model shown in an editor tab (or an untitled one) is "live": its text is analysed as it changes (debounced
 * by `rampart.debounceMs`). Models that are not live are analysed from disk when `rampart.diagnostics.scope` is
 * `workspace` (at start, when they change on disk, and on "Rampart: Check Workspace"). Each result carries the
 * document version (or a per-file generation for files read from disk) it was computed from, and a result older
 * than the one already shown is dropped, so a slow read from disk never overwrites the diagnostics of a newer
 * edit. Closing a model's last tab clears its diagnostics; with the `workspace` scope, the saved file is then
 * analysed again instead (unsaved edits that were discarded no longer count). Tabs decide rather than
 * `onDidCloseTextDocument`, because VS Code keeps a closed document in memory for minutes.
 */
import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/types';
import { isThreatModel, type AnalysisStore } from './analyses';
import { ruleDocsUri, textPositions, toRange, type PositionMapper } from './convert';
import { readSettings, SECTION } from './settings';

export const DIAGNOSTIC_SOURCE = 'rampart';
export const MODEL_GLOB = '**/*.threatmodel.{yaml,yml}';
export const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out}/**';
const MAX_WORKSPACE_FILES = 5000;
/** Schemes without a saved file to fall back to. */
const IGNORED_FOR_DISK = new Set(['untitled']);

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The diagnostic's rule id, whether `code` is a plain value or `{ value, target }`. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return String(typeof c === 'object' ? c.value : c);
}

/** A finding as a diagnostic: rule id as `code` with a link to its documentation, related ranges as related information. */
export function toDiagnostic(f: Finding, doc: PositionMapper, uri: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(doc, f.range), f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.ruleId, target: ruleDocsUri(f.ruleId) };
  if (f.related?.length) {
    d.relatedInformation = f.related.map(r => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(doc, r.range)), r.message));
  }
  return d;
}

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per URI: the document version shown (open documents), or -generation (files read from disk). */
  private readonly shown = new Map<string, number>();
  /** Per URI: bumped on every change of source, so an older pending disk read knows it is stale. */
  private readonly generation = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a model's diagnostics were updated. */
  readonly onDidUpdate = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly analyses: AnalysisStore, private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(MODEL_GLOB);
    this.subscriptions.push(
      this.collection, this.emitter, watcher,
      vscode.workspace.onDidOpenTextDocument(doc => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument(e => { if (e.contentChanges.length) this.schedule(e.document); }),
      vscode.workspace.onDidCloseTextDocument(doc => { if (isThreatModel(doc)) this.notLive(doc.uri); }),
      vscode.window.tabGroups.onDidChangeTabs(e => this.tabsChanged(e)),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.analyses.invalidate(); // whichever listener runs first, analyses use the new settings
        void this.refreshAll();
      }),
      watcher.onDidChange(uri => this.diskChanged(uri)),
      watcher.onDidCreate(uri => this.diskChanged(uri)),
      watcher.onDidDelete(uri => { if (!this.liveDocument(uri)) this.clear(uri); }),
    );
    void this.refreshAll();
  }

  private bump(uri: vscode.Uri): number {
    const key = uri.toString();
    const g = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, g);
    return g;
  }

  /** The URIs a tab shows (both sides of a diff; the visual editor's model). */
  private static tabUris(tab: vscode.Tab): vscode.Uri[] {
    const input = tab.input;
    if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return [input.uri];
    if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
    return [];
  }

  private inTab(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some(g => g.tabs.some(t => DiagnosticsController.tabUris(t).some(u => u.toString() === key)));
  }

  /** A model whose text (rather than the saved file) counts: open, and in a tab or untitled. */
  private isLive(doc: vscode.TextDocument): boolean {
    return !doc.isClosed && isThreatModel(doc) && (doc.isUntitled || this.inTab(doc.uri));
  }

  private liveDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === key);
    return doc && this.isLive(doc) ? doc : undefined;
  }

  private tabsChanged(e: vscode.TabChangeEvent): void {
    for (const tab of e.opened) {
      for (const uri of DiagnosticsController.tabUris(tab)) {
        const doc = this.liveDocument(uri);
        if (doc) this.schedule(doc, 0);
      }
    }
    for (const tab of e.closed) {
      for (const uri of DiagnosticsController.tabUris(tab)) if (!this.inTab(uri)) this.notLive(uri);
    }
  }

  /** Analyses a live document after the debounce delay (0 on open). */
  schedule(doc: vscode.TextDocument, delay?: number): void {
    if (!isThreatModel(doc)) return;
    const key = doc.uri.toString();
    this.bump(doc.uri);
    clearTimeout(this.timers.get(key));
    const ms = delay ?? readSettings(doc.uri).debounceMs;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.analyzeOpen(doc);
    }, ms));
  }

  /** Analyses a live document now. */
  analyzeOpen(doc: vscode.TextDocument): void {
    if (!this.isLive(doc)) return;
    const key = doc.uri.toString();
    const version = doc.version;
    try {
      const analysis = this.analyses.get(doc);
      // Never replace the diagnostics of a newer version with those of an older one.
      const shown = this.shown.get(key);
      if (shown !== undefined && shown > version) return;
      this.shown.set(key, version);
      this.collection.set(doc.uri, analysis.findings.map(f => toDiagnostic(f, doc, doc.uri)));
      this.emitter.fire(doc.uri);
    } catch (e) {
      this.log.error(`analysis of ${vscode.workspace.asRelativePath(doc.uri)} failed: ${(e as Error).stack ?? e}`);
    }
  }

  /** A model is no longer live: its diagnostics go, or come from the saved file with the `workspace` scope. */
  private notLive(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!this.shown.has(key) && !this.collection.has(uri)) return;
    this.clear(uri);
    if (readSettings(uri).diagnosticsScope === 'workspace' && !IGNORED_FOR_DISK.has(uri.scheme) && vscode.workspace.getWorkspaceFolder(uri)) {
      void this.checkFile(uri); // what is saved on disk still counts
    }
  }

  private clear(uri: vscode.Uri): void {
    this.bump(uri);
    this.shown.delete(uri.toString());
    this.collection.delete(uri);
    this.emitter.fire(uri);
  }

  private diskChanged(uri: vscode.Uri): void {
    if (this.liveDocument(uri)) return; // the text in the editor is the source of truth
    if (readSettings(uri).diagnosticsScope !== 'workspace') return;
    void this.checkFile(uri);
  }

  /** Analyses a model file from disk (not open), unless it is opened or changes while it is read. */
  async checkFile(uri: vscode.Uri): Promise<readonly vscode.Diagnostic[] | undefined> {
    const g = this.bump(uri);
    const key = uri.toString();
    try {
      const max = readSettings(uri).maxFileSize ?? Infinity;
      const stat = await vscode.workspace.fs.stat(uri);
      let diagnostics: vscode.Diagnostic[];
      if (stat.size > max) {
        const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `The file is ${stat.size} bytes, over the ${max}-byte limit for threat models; split the model into several files (or raise rampart.maxFileSize).`, vscode.DiagnosticSeverity.Error);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = { value: 'schema/file-too-large', target: ruleDocsUri('schema/file-too-large') };
        diagnostics = [d];
      } else {
        const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
        const analysis = this.analyses.analyzeText(uri, text);
        const positions = textPositions(text);
        diagnostics = analysis.findings.map(f => toDiagnostic(f, positions, uri));
      }
      if (this.generation.get(key) !== g || this.liveDocument(uri)) return undefined; // stale: something newer happened
      this.shown.set(key, -g);
      this.collection.set(uri, diagnostics);
      this.emitter.fire(uri);
      return diagnostics;
    } catch (e) {
      if (this.generation.get(key) === g && !this.liveDocument(uri)) this.collection.delete(uri);
      this.log.warn(`could not check ${vscode.workspace.asRelativePath(uri)}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Analyses every model in the workspace: open ones from the editor, the others from disk. */
  async checkWorkspace(): Promise<{ files: number; diagnostics: number }> {
    const uris = await vscode.workspace.findFiles(MODEL_GLOB, EXCLUDE_GLOB, MAX_WORKSPACE_FILES);
    let diagnostics = 0;
    for (const uri of uris) {
      const open = this.liveDocument(uri);
      if (open) {
        this.analyzeOpen(open);
        diagnostics += this.collection.get(uri)?.length ?? 0;
      } else {
        diagnostics += (await this.checkFile(uri))?.length ?? 0;
      }
    }
    for (const doc of vscode.workspace.textDocuments) {
      if (!uris.some(u => u.toString() === doc.uri.toString())) this.analyzeOpen(doc);
    }
    return { files: uris.length, diagnostics };
  }

  /** Re-analyses open models, and the workspace's other models when the scope is `workspace`. */
  async refreshAll(): Promise<void> {
    for (const doc of vscode.workspace.textDocuments) this.analyzeOpen(doc);
    // Drop results of closed files when the scope no longer covers them.
    const shownUris: vscode.Uri[] = [];
    this.collection.forEach(uri => { shownUris.push(uri); });
    for (const uri of shownUris) {
      if (!this.liveDocument(uri) && readSettings(uri).diagnosticsScope !== 'workspace') this.clear(uri);
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.some(f => readSettings(f.uri).diagnosticsScope === 'workspace')) {
      const uris = await vscode.workspace.findFiles(MODEL_GLOB, EXCLUDE_GLOB, MAX_WORKSPACE_FILES);
      for (const uri of uris) {
        if (!this.liveDocument(uri) && readSettings(uri).diagnosticsScope === 'workspace') await this.checkFile(uri);
      }
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.subscriptions.forEach(s => s.dispose());
  }
}
