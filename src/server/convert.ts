/**
 * The edge between core offsets and LSP positions. Every core offset range becomes an LSP `Range` in `toRange`,
 * every LSP position an offset in `toOffset`, and every list of core text edits a `WorkspaceEdit` in
 * `toWorkspaceEdit`; nothing else in the server converts positions.
 *
 * Positions are UTF-16 code units (LSP's default encoding; the server announces no other), which is what JS
 * string offsets are, so the conversion is a line lookup. Line breaks are LF, CRLF and a lone CR on both sides
 * (`vscode-languageserver-textdocument` and the core's `LineIndex` agree).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range as LspRange, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { Range, TextEdit } from '../core/types';

/** Anything that maps offsets to positions and back: an open document, or the text of a file read from disk. */
export interface PositionMapper {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

/** A position mapper over text that is not open in the client (workspace-wide analysis). */
export function textPositions(uri: string, text: string): PositionMapper {
  return TextDocument.create(uri, 'threatmodel', 0, text);
}

/** Core offset range -> LSP range. */
export function toRange(doc: PositionMapper, r: Range): LspRange {
  return { start: doc.positionAt(r.start), end: doc.positionAt(Math.max(r.start, r.end)) };
}

/** LSP position -> offset into the document's text (clamped to the text by the mapper). */
export function toOffset(doc: PositionMapper, p: Position): number {
  return doc.offsetAt(p);
}

/** Core text edits -> LSP text edits. */
export function toTextEdits(doc: PositionMapper, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map(e => ({ range: toRange(doc, { start: e.offset, end: e.offset + e.length }), newText: e.text }));
}

/**
 * Core text edits -> a `WorkspaceEdit` on one document. With `version` (and a client that supports
 * `documentChanges`), the edit is versioned: the client refuses it if the document changed since.
 */
export function toWorkspaceEdit(doc: PositionMapper, uri: string, edits: readonly TextEdit[], version?: number): WorkspaceEdit {
  const textEdits = toTextEdits(doc, edits);
  if (version === undefined) return { changes: { [uri]: textEdits } };
  return { documentChanges: [{ textDocument: { uri, version }, edits: textEdits }] };
}

/** Whether two LSP ranges are equal. */
export const sameRange = (a: LspRange, b: LspRange) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
