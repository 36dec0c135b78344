/**
 * The visual editor's requests (src/shared/requests.ts): `rampart/viewModel` (the view the webview draws, or
 * why the text cannot be drawn), `rampart/entryAt` (the entry under the text cursor), `rampart/revealRange`
 * (where an entry the webview names is) and `rampart/statusEdit` (a status change from the webview as a
 * comment-preserving edit). All of them answer from the open model's cached analysis (`snapshotFor`), so the
 * view costs no analysis of its own; the view and its range index are built once per analysis.
 *
 * Ids come from the webview (untrusted): they are only looked up in the model (own properties of a section);
 * no range, path or text of the webview's is used.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import type { Analysis } from '../../core/analyze';
import { computeFix } from '../../core/edit/fixes';
import { buildViewModel, entryRanges, fatalProblem, revealRange, selectionAt, type RangeIndex } from '../../core/render/viewModel';
import {
  EntryAtRequest, RevealRangeRequest, StatusEditRequest, ViewModelRequest,
  type EntryAtParams, type EntryAtResult, type RevealRangeParams, type RevealRangeResult, type StatusEditParams, type StatusEditResult,
  type ViewModelResult,
} from '../../shared/requests';
import type { ErrorMessage, UpdateMessage } from '../../shared/protocol';
import { snapshotFor, type ServerContext } from '../context';
import { deltaText, encodeJson, encodedText, type Encoded } from '../../shared/viewDelta';
import { toOffset, toRange, toWorkspaceEdit } from '../convert';

type Built =
  | { message: Omit<ErrorMessage, 'version'> }
  | { message: { type: 'update' }; id: number; encoded: Encoded; json?: string };
type BuiltView = Extract<Built, { id: number }>;

/** One view per analysis (an analysis object belongs to one document version and settings generation). */
const views = new WeakMap<Analysis, Built>();
/** Per analysis, where each entry is (see `rangesOf`). */
const rangeIndexes = new WeakMap<Analysis, RangeIndex | undefined>();
let lastViewId = 0;
/**
 * Per document, the last views sent, newest last: what a delta can be made against. (Views built only to find
 * the entry under the cursor are not kept: typing moves the cursor after every keystroke.) A few, for the
 * webviews of the same document in several editors.
 */
const sent = new Map<string, BuiltView[]>();
const KEEP_VIEWS = 4;

function viewOf(analysis: Analysis): Built {
  let built = views.get(analysis);
  if (!built) {
    const fatal = fatalProblem(analysis.parsed);
    if (fatal) {
      built = { message: { type: 'error', message: fatal.message, line: fatal.line, column: fatal.column } };
    } else {
      const { view, ranges } = buildViewModel(analysis.parsed, { assessments: analysis.assessments, findings: analysis.findings, tolerance: analysis.tolerance });
      built = { message: { type: 'update' }, id: ++lastViewId, encoded: encodeJson(view)! };
      rangeIndexes.set(analysis, ranges);
    }
    views.set(analysis, built);
  }
  return built;
}

/**
 * Where each entry is, for the entry under the cursor: the index the view came with when it was built, else its
 * own (cheap: no view is built for a cursor move). Undefined for a text that cannot be drawn.
 */
function rangesOf(analysis: Analysis): RangeIndex | undefined {
  if (!rangeIndexes.has(analysis)) rangeIndexes.set(analysis, fatalProblem(analysis.parsed) ? undefined : entryRanges(analysis.parsed));
  return rangeIndexes.get(analysis);
}

/** The update of `built` for a webview that holds view `since`: a delta when that view is still known, else whole. */
function updateOf(uri: string, built: BuiltView, version: number, since: number | undefined): UpdateMessage {
  const list = sent.get(uri) ?? [];
  const base = since === undefined ? undefined : list.find(b => b.id === since);
  if (!list.includes(built)) {
    list.push(built);
    if (list.length > KEEP_VIEWS) list.shift();
    sent.set(uri, list);
  }
  if (base) return { type: 'update', version, id: built.id, base: base.id, deltaJson: deltaText(base.encoded, built.encoded) ?? '{"o":{}}' };
  built.json ??= encodedText(built.encoded);
  return { type: 'update', version, id: built.id, viewJson: built.json };
}

export async function viewModel(ctx: ServerContext, uri: string, token?: CancellationToken, since?: number): Promise<ViewModelResult> {
  const snap = await snapshotFor(ctx, uri, token);
  if (!snap) return null;
  try {
    const built = viewOf(snap.analysis);
    if (built.message.type === 'error') return { ...built.message, version: snap.version };
    return updateOf(uri, built as BuiltView, snap.version, since);
  } catch (e) {
    // Never leave the panel blank: the core failed on this text, say so where the diagram would be.
    ctx.log(`visual editor: could not build the view of ${uri}: ${(e as Error).stack ?? e}`);
    return { type: 'error', version: snap.version, message: `Rampart could not draw this model (${(e as Error).message}); see the Rampart output.`, line: 1 };
  }
}

export async function entryAt(ctx: ServerContext, params: EntryAtParams, token?: CancellationToken): Promise<EntryAtResult> {
  const snap = await snapshotFor(ctx, params.uri, token);
  if (!snap || snap.version !== params.version) return null;
  const ranges = rangesOf(snap.analysis);
  const entry = ranges && selectionAt(ranges, toOffset(snap.doc, params.position));
  return entry ? { version: snap.version, ...entry } : null;
}

export async function revealRangeOf(ctx: ServerContext, params: RevealRangeParams, token?: CancellationToken): Promise<RevealRangeResult> {
  const snap = await snapshotFor(ctx, params.uri, token);
  if (!snap) return null;
  const range = revealRange(snap.analysis.parsed, { kind: params.kind, id: params.id, node: params.node });
  return range ? { version: snap.version, range: toRange(snap.doc, range) } : { version: snap.version };
}

const has = (section: Record<string, unknown> | undefined, id: string) => !!section && Object.prototype.hasOwnProperty.call(section, id);

export async function statusEdit(ctx: ServerContext, params: StatusEditParams, token?: CancellationToken): Promise<StatusEditResult> {
  const current = ctx.documents.get(params.uri)?.version ?? -1;
  if (current !== params.version) return { version: current, stale: true };
  const snap = await snapshotFor(ctx, params.uri, token);
  if (!snap) return { version: current, stale: true };
  const model = snap.analysis.parsed.model;
  if (!has(params.section === 'threats' ? model.threats : model.mitigations, params.id)) return { version: snap.version };
  const text = snap.doc.getText();
  const edits = params.section === 'threats'
    ? computeFix(text, { kind: 'set-threat-status', title: '', threat: params.id, status: params.status })
    : computeFix(text, { kind: 'set-mitigation-status', title: '', mitigation: params.id, status: params.status });
  if (!edits.length) return { version: snap.version };
  return { version: snap.version, edit: toWorkspaceEdit(snap.doc, params.uri, edits, snap.version) };
}

export function registerVisualEditor(ctx: ServerContext): void {
  const c = ctx.connection;
  c.onRequest(ViewModelRequest, (params, token) => viewModel(ctx, params.uri, token, typeof params.since === 'number' ? params.since : undefined));
  ctx.documents.documents.onDidClose(e => sent.delete(e.document.uri));
  c.onRequest(EntryAtRequest, (params, token) => entryAt(ctx, params, token));
  c.onRequest(RevealRangeRequest, (params, token) => revealRangeOf(ctx, params, token));
  c.onRequest(StatusEditRequest, (params, token) => statusEdit(ctx, params, token));
}
