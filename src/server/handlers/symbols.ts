/**
 * `textDocument/documentSymbol`: sections, then the ids in each (`outline`), as a tree for clients that show
 * one (Outline, breadcrumbs) and as a flat list with container names for the others.
 */
import { SymbolKind, type CancellationToken, type DocumentSymbol, type DocumentSymbolParams, type SymbolInformation } from 'vscode-languageserver/node';
import { outline, type OutlineSymbol } from '../../core/lang/outline';
import { snapshotFor, type ServerContext } from '../context';
import { toRange, type PositionMapper } from '../convert';
import { clip } from '../../core/text/clip';
import { OutlineRequest, type OutlineResult } from '../../shared/requests';

const KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  section: SymbolKind.Namespace,
  field: SymbolKind.Property,
  asset: SymbolKind.Constant,
  boundary: SymbolKind.Package,
  element: SymbolKind.Class,
  flow: SymbolKind.Event,
  threat: SymbolKind.Object,
  mitigation: SymbolKind.Struct,
  attack_tree: SymbolKind.Module,
};

/** Details longer than this are cut (the outline shows one line; a 2,000-entry model sends thousands). */
const MAX_DETAIL = 100;

/** One symbol without its children: what both the tree and the compact outline send of it. */
function symbolOf(doc: PositionMapper, s: OutlineSymbol): DocumentSymbol {
  const out: DocumentSymbol = {
    name: s.name || ' ', // LSP forbids an empty name
    kind: KIND[s.kind],
    range: toRange(doc, s.range),
    selectionRange: toRange(doc, s.selectionRange),
  };
  if (s.detail) out.detail = clip(s.detail, MAX_DETAIL);
  return out;
}

function toSymbol(doc: PositionMapper, s: OutlineSymbol): DocumentSymbol {
  const out = symbolOf(doc, s);
  if (s.children.length) out.children = s.children.map(c => toSymbol(doc, c));
  return out;
}

function flatten(uri: string, doc: PositionMapper, symbols: OutlineSymbol[], container?: string): SymbolInformation[] {
  return symbols.flatMap(s => [
    { name: s.name || ' ', kind: KIND[s.kind], location: { uri, range: toRange(doc, s.range) }, ...(container ? { containerName: container } : {}) },
    ...flatten(uri, doc, s.children, s.name),
  ]);
}

export async function documentSymbols(ctx: ServerContext, params: DocumentSymbolParams, token: CancellationToken): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const symbols = outline(snap.analysis);
  return ctx.features.hierarchicalSymbols ? symbols.map(s => toSymbol(snap.doc, s)) : flatten(snap.uri, snap.doc, symbols);
}

/** `rampart/outline`: the same symbols as one compact JSON text (see `OutlineRequest`). */
export async function compactOutline(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<OutlineResult> {
  const snap = await snapshotFor(ctx, uri, token);
  if (!snap) return null;
  const rows: string[] = [];
  const walk = (list: OutlineSymbol[], depth: number) => {
    for (const s of list) {
      const { name, kind, detail, range, selectionRange } = symbolOf(snap.doc, s);
      rows.push(JSON.stringify([
        depth, kind, name, detail ?? '',
        range.start.line, range.start.character, range.end.line, range.end.character,
        selectionRange.start.line, selectionRange.start.character, selectionRange.end.line, selectionRange.end.character,
      ]));
      walk(s.children, depth + 1);
    }
  };
  walk(outline(snap.analysis), 0);
  return { version: snap.version, symbols: `[${rows.join(',')}]` };
}

export function registerSymbols(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol((params, token) => documentSymbols(ctx, params, token));
  ctx.connection.onRequest(OutlineRequest, (params, token) => compactOutline(ctx, params.uri, token));
}
