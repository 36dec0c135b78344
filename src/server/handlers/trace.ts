/**
 * The code and the model (#13) in the language server:
 *
 * - Diagnostics in SOURCE files: an annotation naming an id that no model of its workspace folder has
 *   (`trace/unknown-annotation-id`), published on the source file's URI and cleared when it is fixed; checked
 *   again when the annotation index or a model changes (debounced).
 * - References of a model id include the annotations that name it (`annotationLocations`).
 * - The requests of src/shared/traceRequests.ts: a source file's annotations resolved against the models, the
 *   mitigations to link evidence to, and the edits of *Link Selection as Evidence* and *Mark Element Reviewed*.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type Location, type Range, type TextEdit } from 'vscode-languageserver/node';
import { computeFixResult } from '../../core/edit/fixes';
import { annotationFindings } from '../../core/rules/trace/index';
import { ruleDocsUrl } from '../../core/rules/docs';
import { dirOfFile, ownerDirs, scanAnnotations, type Annotation } from '../../core/trace/index';
import { AddEvidenceRequest, AnnotationIdsRequest, FileAnnotationsRequest, type AnnotationIds, MarkReviewedRequest, MitigationChoicesRequest, type AnnotationTarget, type MitigationChoice, type ResolvedAnnotation, type TraceEditResult } from '../../shared/traceRequests';
import type { ServerContext } from '../context';
import { toRange, toWorkspaceEdit } from '../convert';
import { folderModels, type FolderModel } from '../folderModels';
import { pathToUri, uriToPath } from '../fileIndex';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

const RULE = 'trace/unknown-annotation-id';
const REFRESH_DELAY_MS = 400;

const idRange = (a: Annotation, part: 'id' | 'with'): Range => ({
  start: { line: a.line - 1, character: part === 'with' ? a.withColumn ?? a.column : a.column },
  end: { line: a.line - 1, character: part === 'with' ? a.withEndColumn ?? a.endColumn : a.endColumn },
});

/** Publishes the unknown-id findings of every folder's annotations on the source files. */
export class AnnotationDiagnostics {
  private readonly published = new Map<string, Set<string>>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: ServerContext) {}

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.refresh(); }, REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    for (const root of this.ctx.files.folders) {
      const settings = await this.ctx.settings.forUri(pathToUri(root));
      const annotations = settings.traceEnabled ? this.ctx.trace.annotations(root) : [];
      if (!annotations) continue; // the first index is being built: it schedules a refresh when done
      const models = annotations.length ? await folderModels(this.ctx, root) : [];
      const byUri = new Map<string, Diagnostic[]>();
      for (const f of findingsByOwner(root, annotations, models)) {
        const uri = pathToUri(path.join(root, ...f.annotation.file.split('/')));
        const list = byUri.get(uri) ?? [];
        list.push({ range: idRange(f.annotation, f.part), severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, code: RULE, codeDescription: { href: ruleDocsUrl(RULE) }, message: f.message });
        byUri.set(uri, list);
      }
      const before = this.published.get(root) ?? new Set<string>();
      for (const uri of before) if (!byUri.has(uri)) void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
      for (const [uri, diagnostics] of byUri) void this.ctx.connection.sendDiagnostics({ uri, diagnostics });
      this.published.set(root, new Set(byUri.keys()));
    }
  }
}

/** The folder (relative to `root`, posix, '' at the root) of a model's URI. */
const modelDir = (root: string, uri: string) => dirOfFile(path.relative(root, uriToPath(uri) ?? '').split(path.sep).join('/'));

/** Each annotation checked against the models that answer for its file (src/core/trace/owners.ts). */
function findingsByOwner(root: string, annotations: readonly Annotation[], models: readonly FolderModel[]) {
  const dirs = models.map(m => modelDir(root, m.uri));
  const groups = new Map<string, Annotation[]>();
  for (const a of annotations) {
    const key = ownerDirs(dirs, a.file).join('\u0000');
    const g = groups.get(key) ?? [];
    g.push(a);
    groups.set(key, g);
  }
  return [...groups].flatMap(([key, list]) => {
    const owners = new Set(key.split('\u0000'));
    return annotationFindings(list, models.filter(m => owners.has(modelDir(root, m.uri))).map(m => m.analysis.parsed.model));
  });
}

/** The annotations the model answers for that name `id`, as locations (for references). */
export async function annotationLocations(ctx: ServerContext, modelUri: string, id: string): Promise<Location[]> {
  const file = uriToPath(modelUri);
  const root = file && ctx.files.rootOf(file);
  if (root) await ctx.trace.ready(root);
  const annotations = root ? ctx.trace.annotationsFor(file!) : [];
  const out: Location[] = [];
  for (const a of annotations) {
    const uri = pathToUri(path.join(root!, ...a.file.split('/')));
    if (a.id === id) out.push({ uri, range: idRange(a, 'id') });
    if (a.with === id) out.push({ uri, range: idRange(a, 'with') });
  }
  return out;
}

/**
 * The edits that rename `id` in the annotations the model answers for, per source file: only where the file
 * on disk still has the id at the indexed place (an annotation index older than the file is not trusted).
 */
export async function annotationEdits(ctx: ServerContext, modelUri: string, id: string, newId: string): Promise<{ uri: string; edits: TextEdit[] }[]> {
  const byUri = new Map<string, TextEdit[]>();
  for (const loc of await annotationLocations(ctx, modelUri, id)) {
    const file = uriToPath(loc.uri);
    if (!file) continue;
    let lines: string[];
    try { lines = (await fsp.readFile(file, 'utf8')).split(/\r\n|\r|\n/); } catch { continue; }
    const line = lines[loc.range.start.line];
    if (line?.slice(loc.range.start.character, loc.range.end.character) !== id) continue;
    const list = byUri.get(loc.uri) ?? [];
    list.push({ range: loc.range, newText: newId });
    byUri.set(loc.uri, list);
  }
  return [...byUri].map(([uri, edits]) => ({ uri, edits }));
}

function target(m: FolderModel, section: AnnotationTarget['section'], id: string): AnnotationTarget | undefined {
  const model = m.analysis.parsed.model;
  const entry = (model[section] as Record<string, { title?: string; name?: string; status?: string }> | undefined)?.[id];
  if (!entry) return undefined;
  const r = m.analysis.parsed.source.keyRange([section, id]);
  if (!r) return undefined;
  const a = section === 'threats' ? m.analysis.assessments.get(id) : undefined;
  return {
    modelUri: m.uri, range: toRange(m.positions, r), section,
    title: entry.title ?? entry.name ?? id,
    ...(a?.level ? { level: a.level } : {}),
    ...(entry.status ? { status: entry.status } : {}),
  };
}

export async function fileAnnotations(ctx: ServerContext, uri: string, text: string): Promise<ResolvedAnnotation[]> {
  const file = uriToPath(uri);
  const root = file && ctx.files.rootOf(file);
  if (!root || typeof text !== 'string' || !(await ctx.settings.forUri(uri)).traceEnabled) return [];
  const rel = path.relative(root, file).split(path.sep).join('/');
  const annotations = scanAnnotations(rel, text);
  if (!annotations.length) return [];
  const all = await folderModels(ctx, root);
  const owners = new Set(ownerDirs(all.map(m => modelDir(root, m.uri)), rel));
  const models = all.filter(m => owners.has(modelDir(root, m.uri)));
  const find = (section: AnnotationTarget['section'], id: string) => {
    for (const m of models) { const t = target(m, section, id); if (t) return t; }
    return undefined;
  };
  return annotations.map(a => {
    const r: ResolvedAnnotation = { kind: a.kind, id: a.id, range: idRange(a, 'id') };
    const t = find(a.kind === 'model' ? 'elements' : 'threats', a.id);
    if (t) r.target = t;
    if (a.with !== undefined) {
      r.with = a.with;
      r.withRange = idRange(a, 'with');
      const w = find('mitigations', a.with);
      if (w) r.withTarget = w;
    }
    return r;
  });
}

/** The ids an annotation of the source file `uri` may name: those of the models that answer for it. */
export async function annotationIds(ctx: ServerContext, uri: string): Promise<AnnotationIds> {
  const out: AnnotationIds = { threats: [], mitigations: [], elements: [] };
  const file = uriToPath(uri);
  const root = file && ctx.files.rootOf(file);
  if (!root) return out;
  const rel = path.relative(root, file).split(path.sep).join('/');
  const all = await folderModels(ctx, root);
  const owners = new Set(ownerDirs(all.map(m => modelDir(root, m.uri)), rel));
  const seen = new Set<string>();
  for (const m of all.filter(x => owners.has(modelDir(root, x.uri)))) {
    const model = m.analysis.parsed.model;
    for (const [id, t] of Object.entries(model.threats ?? {})) {
      if (seen.has(`t:${id}`)) continue;
      seen.add(`t:${id}`);
      const a = m.analysis.assessments.get(id);
      out.threats.push({ id, title: t.title, detail: [a?.level, t.status].filter(Boolean).join(' · ') });
    }
    for (const [id, x] of Object.entries(model.mitigations ?? {})) if (!seen.has(`m:${id}`)) { seen.add(`m:${id}`); out.mitigations.push({ id, title: x.title, detail: x.status }); }
    for (const [id, e] of Object.entries(model.elements ?? {})) if (!seen.has(`e:${id}`)) { seen.add(`e:${id}`); out.elements.push({ id, title: e.name, detail: e.type }); }
  }
  return out;
}

export async function mitigationChoices(ctx: ServerContext): Promise<MitigationChoice[]> {
  const out: MitigationChoice[] = [];
  for (const root of ctx.files.folders) {
    for (const m of await folderModels(ctx, root)) {
      const model = m.analysis.parsed.model;
      for (const [id, mit] of Object.entries(model.mitigations ?? {})) {
        const threats = Object.entries(model.threats ?? {}).filter(([, t]) => (t.mitigations ?? []).includes(id)).map(([t]) => t);
        out.push({ modelUri: m.uri, id, title: mit.title, ...(mit.status ? { status: mit.status } : {}), threats });
      }
    }
  }
  return out;
}

/** A fix of the core on an open model's current text, as an edit for its version. */
function editOf(ctx: ServerContext, uri: string, fix: Parameters<typeof computeFixResult>[1]): TraceEditResult {
  const doc = ctx.documents.model(uri);
  if (!doc) return { refusal: 'The model is not open in the editor.' };
  const r = computeFixResult(doc.getText(), fix, { now: new Date() });
  if (r.refusal) return { refusal: r.refusal };
  return r.edits.length ? { edit: toWorkspaceEdit(doc, uri, r.edits, ctx.features.documentChanges ? doc.version : undefined) } : {};
}

export function addEvidence(ctx: ServerContext, modelUri: string, mitigation: string, evidence: string): TraceEditResult {
  if (typeof mitigation !== 'string' || typeof evidence !== 'string' || !evidence.trim() || evidence.length > 1000 || /[\r\n]/.test(evidence)) return { refusal: 'The evidence must be one line of at most 1000 characters.' };
  return editOf(ctx, modelUri, { kind: 'add-evidence', title: 'Link as evidence', mitigation, evidence: evidence.trim() });
}

export async function markReviewed(ctx: ServerContext, uri: string, element: string, by?: string): Promise<TraceEditResult> {
  const file = uriToPath(uri);
  if (!file || typeof element !== 'string') return { refusal: 'Only a model saved in a folder can record a review.' };
  const git = await import('../../node/git');
  const root = await git.gitRoot(path.dirname(file));
  if (!root.ok) return { refusal: `A review is recorded with the commit it looked at, and ${root.error}.` };
  const head = await git.headCommit(root.value);
  if (!head.ok) return { refusal: head.error };
  const now = new Date();
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`; // the reviewer's day
  const r = editOf(ctx, uri, { kind: 'mark-reviewed', title: 'Mark reviewed', element, date, commit: head.value.slice(0, 12), ...(typeof by === 'string' && by.trim() ? { by: by.trim().slice(0, 200) } : {}) });
  return { ...r, commit: head.value };
}

export function registerTrace(ctx: ServerContext): void {
  ctx.connection.onRequest(FileAnnotationsRequest, params => fileAnnotations(ctx, params?.uri, params?.text));
  ctx.connection.onRequest(MitigationChoicesRequest, () => mitigationChoices(ctx));
  ctx.connection.onRequest(AnnotationIdsRequest, params => annotationIds(ctx, params?.uri));
  ctx.connection.onRequest(AddEvidenceRequest, params => addEvidence(ctx, params?.modelUri, params?.mitigation, params?.evidence));
  ctx.connection.onRequest(MarkReviewedRequest, params => markReviewed(ctx, params?.uri, params?.element, params?.by));
}
