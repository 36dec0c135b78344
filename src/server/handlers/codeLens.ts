/**
 * `textDocument/codeLens`: a line over each threat (`high · open · 1/2 mitigations implemented`) and each
 * element and flow (`2 open threats (1 high)`), from the core (`lenses`). Informational: the command is empty,
 * so clients show the title without running anything. Switched off with `rampart.codeLens.enabled`.
 *
 * Lenses are sent unresolved (a range and a small `data`) and get their title at `codeLens/resolve`, which
 * editors ask only for the lenses on screen: a 2,000-component model has over 6,000 lenses, and the editor
 * converts every one it receives on its own thread. Clients that support it are asked to refresh after a
 * published analysis changed the lenses without a change of the text (settings, evidence files); an edit
 * makes the editor ask again by itself.
 */
import { CodeLensRefreshRequest, type CancellationToken, type CodeLens, type CodeLensParams } from 'vscode-languageserver/node';
import type { Analysis } from '../../core/analyze';
import { lenses, type Lens } from '../../core/lang/outline';
import { snapshotFor, type ServerContext } from '../context';
import type { ModelSnapshot } from '../documents';
import { toRange, type PositionMapper } from '../convert';

/**
 * What an unresolved lens carries, kept short (thousands are sent): [document number, version it was listed
 * for, place in that list]. Documents are numbered by the server (a resolve request names no document).
 */
type LensData = [number, number, number];
const isLensData = (d: unknown): d is LensData => Array.isArray(d) && d.length === 3 && d.every(Number.isInteger);
const docNumbers = new Map<string, number>();
const docUris = new Map<number, string>();
let nextDocNumber = 1;
function docNumber(uri: string): number {
  let n = docNumbers.get(uri);
  if (n === undefined) {
    n = nextDocNumber++;
    docNumbers.set(uri, n);
    docUris.set(n, uri);
  }
  return n;
}

/** One list of lenses per analysis (an analysis belongs to one document version and settings generation). */
const byAnalysis = new WeakMap<Analysis, Lens[]>();
function lensesOf(snap: ModelSnapshot): Lens[] {
  let list = byAnalysis.get(snap.analysis);
  if (!list) byAnalysis.set(snap.analysis, (list = lenses(snap.analysis, snap.trace?.annotations)));
  return list;
}

/** Per URI: the lenses the client last listed (lines and titles), to tell whether a refresh would show anything new. */
const listed = new Map<string, string>();
const signature = (list: Lens[], doc: PositionMapper) => list.map(l => `${doc.positionAt(l.range.start).line}:${l.title}`).join('\n');

export async function codeLenses(ctx: ServerContext, params: CodeLensParams, token: CancellationToken): Promise<CodeLens[] | null> {
  const uri = params.textDocument.uri;
  const snap = await snapshotFor(ctx, uri, token);
  if (!snap) return null;
  if (!snap.settings.codeLens) {
    listed.set(uri, '');
    return [];
  }
  const list = lensesOf(snap);
  listed.set(uri, signature(list, snap.doc));
  const n = docNumber(uri);
  const out: CodeLens[] = [];
  const lines = linesOf(params);
  for (const [i, l] of list.entries()) {
    const range = toRange(snap.doc, l.range);
    if (lines && (range.start.line < lines.from || range.start.line > lines.to)) continue;
    out.push({ range, data: [n, snap.version, i] satisfies LensData });
  }
  return out;
}

/**
 * The lines a client wants lenses for (`rampartLines: { from, to }` beside the standard parameters), or undefined
 * for all: the VS Code extension asks a very large model's lenses only around the visible lines
 * (src/vscode/lensWindow.ts), and thousands of lenses it would drop need not cross the process boundary.
 */
function linesOf(params: CodeLensParams): { from: number; to: number } | undefined {
  const l = (params as CodeLensParams & { rampartLines?: unknown }).rampartLines as { from?: unknown; to?: unknown } | undefined;
  return l && Number.isInteger(l.from) && Number.isInteger(l.to) ? { from: l.from as number, to: l.to as number } : undefined;
}

export async function resolveCodeLens(ctx: ServerContext, lens: CodeLens, token: CancellationToken): Promise<CodeLens> {
  if (lens.command || !isLensData(lens.data)) return lens;
  const [n, version, i] = lens.data;
  const uri = docUris.get(n);
  const snap = uri === undefined ? undefined : await snapshotFor(ctx, uri, token);
  if (!snap) return { ...lens, command: { title: '', command: '' } };
  const list = lensesOf(snap);
  // Listed for an older version: the lens now on the same line, if any (the editor lists them again soon).
  const found = snap.version === version ? list[i] : onLine(list, snap.doc, lens.range.start.line);
  return { ...lens, command: { title: found?.title ?? '', command: '' } };
}

/** The lens on a line (lenses are sorted by offset): a binary search. */
function onLine(list: Lens[], doc: PositionMapper, line: number): Lens | undefined {
  const start = doc.offsetAt({ line, character: 0 });
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].range.start < start) lo = mid + 1; else hi = mid;
  }
  const l = list[lo];
  return l && doc.positionAt(l.range.start).line === line ? l : undefined;
}

/** Asks the client to list the lenses again when they changed since it last did (debounced: one refresh for a burst). */
export function codeLensRefresher(ctx: ServerContext): (uri: string) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const uris = new Set<string>();
  return (uri: string) => {
    if (!ctx.features.codeLensRefresh || !listed.has(uri)) return;
    uris.add(uri);
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const pending = [...uris];
      uris.clear();
      void (async () => {
        for (const u of pending) {
          const snap = await snapshotFor(ctx, u).catch(() => undefined);
          const before = listed.get(u);
          if (!snap || before === undefined) continue;
          if ((snap.settings.codeLens ? signature(lensesOf(snap), snap.doc) : '') === before) continue;
          ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => { /* the client may have gone */ });
          return; // one refresh lists every document's lenses again
        }
      })();
    }, 50);
  };
}

/** Forgets what the client listed for a closed document. */
export function forgetLenses(uri: string): void {
  listed.delete(uri);
  const n = docNumbers.get(uri);
  if (n !== undefined) {
    docNumbers.delete(uri);
    docUris.delete(n);
  }
}

export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens((params, token) => codeLenses(ctx, params, token));
  ctx.connection.onCodeLensResolve((lens, token) => resolveCodeLens(ctx, lens, token));
}
