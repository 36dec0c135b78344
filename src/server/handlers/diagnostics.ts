/**
 * Findings -> `textDocument/publishDiagnostics`, pushed per document.
 *
 * Open models are analysed as they change, debounced per document by `rampart.debounceMs` (0 on open): every
 * change restarts the document's timer, and a result is published only while the document is still at the
 * version it was computed from (with that `version` on the notification), so stale work is dropped instead of
 * overwriting newer diagnostics.
 *
 * Models that are not open are analysed from disk when `rampart.diagnostics.scope` is `workspace`: at start,
 * after settings or workspace folders change, and when a watched model file changes. The workspace pass reads
 * and analyses one file at a time with `setImmediate` between them (requests in between are served), reports
 * `$/progress` when the client supports work-done progress, and stops when a newer pass starts or the user
 * cancels it. Closing a model publishes what is saved on disk (scope `workspace`) or clears it (`openFiles`).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Position, type Range, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { lastingFindings } from '../../core/analyze';
import { ruleDocsUrl } from '../../core/rules/docs';
import type { Finding, Severity } from '../../core/types';
import type { ClientFeatures } from '../capabilities';
import type { ServerContext } from '../context';
import { textPositions, toRange, type PositionMapper } from '../convert';
import { StaleAnalysis } from '../documents';
import { pathToUri, uriToPath } from '../fileIndex';

export const DIAGNOSTIC_SOURCE = 'rampart';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Rules whose findings the editor may render specially: faded (no longer needed) or struck through (lapsed). */
const TAGS: Record<string, DiagnosticTag[]> = {
  'design/obsolete-suggestion': [DiagnosticTag.Unnecessary],
  'risk/expired-acceptance': [DiagnosticTag.Deprecated],
};

/** Per rule: its documentation link (one object, shared by all its diagnostics). */
const docLinks = new Map<string, { href: string }>();
function docLink(ruleId: string): { href: string } {
  let link = docLinks.get(ruleId);
  if (!link) docLinks.set(ruleId, (link = { href: ruleDocsUrl(ruleId) }));
  return link;
}

/**
 * The diagnostic last made of a finding, for the same document and features. The analysis keeps an unchanged
 * finding the same object from one keystroke to the next (core/rules/types.ts, `keptFindings`); its diagnostic is
 * the same while every position in it still is: its line starts where it did and the next line too.
 */
interface MadeDiagnostic { uri: string; related: boolean; tags: boolean; diagnostic: Diagnostic; lines: number[] }
const madeDiagnostics = new WeakMap<Finding, MadeDiagnostic>();

const lineStart = (doc: PositionMapper, line: number) => doc.offsetAt({ line, character: 0 });

/** The line of each position of a diagnostic, and where it and the next line start (for `stillPlaced`). */
function linesOf(d: Diagnostic, doc: PositionMapper): number[] {
  const out: number[] = [];
  const add = (r: Range) => { for (const p of [r.start, r.end]) out.push(p.line, lineStart(doc, p.line), lineStart(doc, p.line + 1)); };
  add(d.range);
  for (const r of d.relatedInformation ?? []) add(r.location.range);
  return out;
}

function stillPlaced(lines: number[], doc: PositionMapper): boolean {
  for (let i = 0; i < lines.length; i += 3) if (lineStart(doc, lines[i]) !== lines[i + 1] || lineStart(doc, lines[i] + 1) !== lines[i + 2]) return false;
  return true;
}

/** A finding as a diagnostic: rule id as `code` with a link to its documentation, related ranges as related information. */
export function toDiagnostic(f: Finding, doc: PositionMapper, uri: string, features: Pick<ClientFeatures, 'diagnosticRelatedInformation' | 'diagnosticTags'>): Diagnostic {
  if (!lastingFindings.has(f)) return makeDiagnostic(f, doc, uri, features);
  const last = madeDiagnostics.get(f);
  const related = !!features.diagnosticRelatedInformation;
  const tags = !!features.diagnosticTags;
  if (last && last.uri === uri && last.related === related && last.tags === tags && stillPlaced(last.lines, doc)) return last.diagnostic;
  const d = makeDiagnostic(f, doc, uri, features);
  madeDiagnostics.set(f, { uri, related, tags, diagnostic: d, lines: linesOf(d, doc) });
  return d;
}

function makeDiagnostic(f: Finding, doc: PositionMapper, uri: string, features: Pick<ClientFeatures, 'diagnosticRelatedInformation' | 'diagnosticTags'>): Diagnostic {
  const d: Diagnostic = {
    range: toRange(doc, f.range),
    severity: SEVERITY[f.severity],
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    codeDescription: docLink(f.ruleId),
    message: f.message,
  };
  if (f.related?.length && features.diagnosticRelatedInformation) {
    d.relatedInformation = f.related.map(r => ({ location: { uri, range: toRange(doc, r.range) }, message: r.message }));
  }
  const tags = TAGS[f.ruleId];
  if (tags && features.diagnosticTags) d.tags = tags;
  return d;
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];
const SEVERITY_NOUN: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['information', 'information'] };

/**
 * A model's findings as the diagnostics to publish. When the client shows at most `maxDiagnosticsPerFile`, the
 * most severe are kept (in their order: errors, then warnings, then information, as VS Code itself picks) and
 * the last one says how many more there are and where to see them all: the rest are never converted or sent.
 */
export function diagnosticsOf(findings: readonly Finding[], doc: PositionMapper, uri: string, features: Pick<ClientFeatures, 'diagnosticRelatedInformation' | 'diagnosticTags' | 'maxDiagnosticsPerFile'>): Diagnostic[] {
  const max = features.maxDiagnosticsPerFile;
  if (findings.length <= max) return findings.map(f => toDiagnostic(f, doc, uri, features));
  const kept: Finding[] = [];
  const left: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const severity of SEVERITY_ORDER) {
    for (const f of findings) {
      if (f.severity !== severity) continue;
      if (kept.length < max - 1) kept.push(f);
      else left[severity]++;
    }
  }
  const out = kept.map(f => toDiagnostic(f, doc, uri, features));
  const more = findings.length - kept.length;
  const detail = SEVERITY_ORDER.filter(s => left[s] > 0).map(s => `${left[s]} ${SEVERITY_NOUN[s][left[s] === 1 ? 0 : 1]}`).join(', ');
  const last = out[out.length - 1];
  out.push({
    range: last ? last.range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `${more} more Rampart findings in this file are not listed (${detail}): the editor shows ${max} per file, the most severe first. \`rampart check\` on this file lists them all.`,
  });
  return out;
}

const samePosition = (a: Position, b: Position) => a.line === b.line && a.character === b.character;
const sameRange = (a: Range, b: Range) => samePosition(a.start, b.start) && samePosition(a.end, b.end);

/** Whether two lists of diagnostics show the same thing (field by field: cheaper than serialising thousands). */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (x.message !== y.message || x.code !== y.code || x.severity !== y.severity || x.source !== y.source || !sameRange(x.range, y.range)) return false;
    if (x.codeDescription?.href !== y.codeDescription?.href || (x.tags ?? []).join() !== (y.tags ?? []).join()) return false;
    const rx = x.relatedInformation ?? [], ry = y.relatedInformation ?? [];
    if (rx.length !== ry.length) return false;
    for (let j = 0; j < rx.length; j++) {
      if (rx[j].message !== ry[j].message || rx[j].location.uri !== ry[j].location.uri || !sameRange(rx[j].location.range, ry[j].location.range)) return false;
    }
  }
  return true;
}

function fileTooLarge(size: number, max: number): Diagnostic {
  const ruleId = 'schema/file-too-large';
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, code: ruleId, codeDescription: { href: ruleDocsUrl(ruleId) },
    message: `The file is ${size} bytes, over the ${max}-byte limit for threat models; split the model into several files (or raise rampart.maxFileSize).`,
  };
}

const nextTick = () => new Promise<void>(resolve => setImmediate(resolve));

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per open document: the version a pending run was scheduled for (a change to it restarts the timer). */
  private readonly pending = new Map<string, number>();
  /** Per URI: bumped on every change of source, so a slower disk read knows it is stale. */
  private readonly generation = new Map<string, number>();
  /** URIs whose diagnostics came from disk (not from an open document), by file path. */
  private readonly fromDisk = new Map<string, string>();
  private pass = 0;
  /**
   * Per URI: the diagnostics last sent. An update that leaves them unchanged (typing inside a value usually
   * does) is not sent again: the client would convert thousands of identical diagnostics on the editor's thread.
   */
  private readonly lastSent = new Map<string, Diagnostic[]>();
  /** Fired after a model's diagnostics were published (CodeLens refresh, tests). */
  onPublished: (uri: string) => void = () => {};

  constructor(private readonly ctx: ServerContext) {}

  private bump(uri: string): number {
    const g = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, g);
    return g;
  }

  /** An open model changed (or opened, with `delay` 0): analyse it after its debounce delay. */
  schedule(uri: string, delay?: number): void {
    const doc = this.ctx.documents.model(uri);
    if (!doc) return;
    const version = doc.version;
    if (delay === undefined && this.pending.get(uri) === version) return; // already scheduled for this version (open)
    this.pending.set(uri, version);
    this.bump(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    const start = (ms: number) => {
      if (this.pending.get(uri) !== version) return; // a newer change scheduled its own run
      clearTimeout(this.timers.get(uri));
      this.timers.set(uri, setTimeout(() => {
        this.timers.delete(uri);
        void this.publishOpen(uri);
      }, ms));
    };
    if (delay !== undefined) start(delay);
    else void this.ctx.settings.forUri(uri).then(s => start(s.debounceMs));
  }

  /** Analyses an open model now and publishes its diagnostics, unless it changed meanwhile. */
  async publishOpen(uri: string): Promise<void> {
    const pending = this.ctx.documents.analysisOf(uri);
    if (!pending) return;
    try {
      const snap = await pending;
      if (!this.ctx.documents.isCurrent(uri, snap.version)) return; // stale: the newer version has its own run
      this.pending.delete(uri);
      const file = uriToPath(uri);
      const diskUri = file && this.fromDisk.get(file);
      if (diskUri && diskUri !== uri) this.send(diskUri, []); // the same file published from disk under another spelling
      if (file) this.fromDisk.delete(file);
      this.send(uri, diagnosticsOf(snap.analysis.findings, snap.doc, uri, this.ctx.features), snap.version);
    } catch (e) {
      if (e instanceof StaleAnalysis) return; // superseded: the newer version has its own run
      this.ctx.log(`analysis of ${uri} failed: ${(e as Error).stack ?? e}`);
    }
  }

  private send(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const last = this.lastSent.get(uri);
    if (!last || !sameDiagnostics(last, diagnostics)) {
      if (diagnostics.length) this.lastSent.set(uri, diagnostics);
      else this.lastSent.delete(uri);
      void this.ctx.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined && this.ctx.features.diagnosticVersion ? { version } : {}) });
    }
    this.onPublished(uri);
  }

  /** An open model was closed: what is saved on disk counts again (scope `workspace`), or nothing. */
  async closed(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.pending.delete(uri);
    this.bump(uri);
    const file = uriToPath(uri);
    const settings = await this.ctx.settings.forUri(uri);
    if (this.ctx.documents.get(uri)) return; // reopened meanwhile
    if (file && settings.diagnosticsScope === 'workspace' && this.ctx.files.rootOf(file)) {
      if (!(await this.checkFile(file, uri))) this.send(uri, []);
    } else {
      this.send(uri, []);
    }
  }

  /**
   * Analyses a model file from disk and publishes its diagnostics, unless it is opened or changes meanwhile.
   * Resolves to whether it published.
   */
  async checkFile(file: string, uri = pathToUri(file)): Promise<boolean> {
    const g = this.bump(uri);
    const stale = () => this.generation.get(uri) !== g || !!this.ctx.documents.get(uri);
    try {
      const settings = await this.ctx.settings.forUri(uri);
      const max = settings.maxFileSize ?? Infinity;
      const stat = await fsp.stat(file);
      if (!stat.isFile()) return false;
      let diagnostics: Diagnostic[];
      if (stat.size > max) {
        diagnostics = [fileTooLarge(stat.size, max)];
      } else {
        const text = await fsp.readFile(file, 'utf8');
        if (stale()) return false;
        const { analysis } = await this.ctx.documents.analyzeText(uri, text, () => !stale());
        const positions = textPositions(uri, text);
        diagnostics = diagnosticsOf(analysis.findings, positions, uri, this.ctx.features);
      }
      if (stale()) return false;
      this.fromDisk.set(file, uri);
      this.send(uri, diagnostics);
      return true;
    } catch (e) {
      if (!stale() && this.fromDisk.get(file) === uri) {
        this.fromDisk.delete(file);
        this.send(uri, []);
      }
      if (!(e instanceof StaleAnalysis) && (e as NodeJS.ErrnoException).code !== 'ENOENT') this.ctx.log(`could not check ${file}: ${(e as Error).message}`);
      return false;
    }
  }

  /** A model file on disk was deleted: its diagnostics go (unless it is open). */
  deleted(file: string): void {
    const uri = this.fromDisk.get(file);
    if (!uri) return;
    this.bump(uri);
    this.fromDisk.delete(file);
    if (!this.ctx.documents.get(uri)) this.send(uri, []);
  }

  /** Re-analyses every open model (after a settings or file-index change). */
  refreshOpen(): void {
    for (const doc of this.ctx.documents.models()) {
      // A run for this version is already waiting out the debounce: it will see the new state, and the
      // background change (settings, files, discovery, the code's annotations) does not cut the wait short.
      if (this.timers.has(doc.uri) && this.pending.get(doc.uri) === doc.version) continue;
      this.schedule(doc.uri, 0);
    }
  }

  /**
   * Analyses the workspace's unopened models in slices, with a progress report. A newer pass (or the user,
   * through the progress) cancels this one. Diagnostics from disk of files the scope no longer covers, or
   * that are gone, are cleared.
   */
  async workspacePass(): Promise<{ files: number; published: number }> {
    const id = ++this.pass;
    let progress: WorkDoneProgressServerReporter | undefined;
    if (this.ctx.features.workDoneProgress) {
      try {
        progress = await this.ctx.connection.window.createWorkDoneProgress();
        progress.begin('Rampart: checking threat models', 0, 'listing files', true);
      } catch {
        progress = undefined;
      }
    }
    const stopped = () => id !== this.pass || !!progress?.token.isCancellationRequested;
    let published = 0;
    let files: string[] = [];
    try {
      files = await this.ctx.files.modelFiles();
      const listed = new Set(files);
      for (const [file] of this.fromDisk) if (!listed.has(file)) this.deleted(file);
      for (const [i, file] of files.entries()) {
        if (stopped()) break;
        const uri = pathToUri(file);
        if (this.ctx.documents.get(uri) || this.ctx.documents.models().some(d => uriToPath(d.uri) === file)) continue;
        const settings = await this.ctx.settings.forUri(uri);
        if (settings.diagnosticsScope !== 'workspace') {
          this.deleted(file);
          continue;
        }
        if (await this.checkFile(file, uri)) published++;
        progress?.report(Math.round(((i + 1) / files.length) * 100), `${i + 1}/${files.length} ${path.basename(file)}`);
        await nextTick();
      }
    } catch (e) {
      this.ctx.log(`workspace check failed: ${(e as Error).stack ?? e}`);
    } finally {
      progress?.done();
    }
    return { files: files.length, published };
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.pass++;
  }
}
