/**
 * The edge between core offsets and VS Code positions. Every offset range of the core becomes a `vscode.Range`
 * in `toRange`, and every list of core text edits becomes a `WorkspaceEdit` in `toWorkspaceEdit`; nothing else
 * in the extension converts positions.
 */
import { ruleDocsUrl } from '../core/rules/docs';
import * as vscode from 'vscode';
import { LineIndex } from '../core/lines';
import type { Range, TextEdit } from '../core/types';

/** Anything that maps an offset to a position: an open `TextDocument`, or the text of a file on disk. */
export interface PositionMapper {
  positionAt(offset: number): vscode.Position;
}

/** A position mapper over text that is not open in an editor (workspace-wide analysis). */
export function textPositions(text: string): PositionMapper {
  const lines = new LineIndex(text);
  return {
    positionAt(offset: number) {
      const { line, column } = lines.lineCol(offset);
      return new vscode.Position(line - 1, column - 1);
    },
  };
}

/** Core offset range -> `vscode.Range`. */
export function toRange(doc: PositionMapper, r: Range): vscode.Range {
  return new vscode.Range(doc.positionAt(r.start), doc.positionAt(Math.max(r.start, r.end)));
}

/** Core text edits (offsets into the document's current text) -> a `WorkspaceEdit`. */
export function toWorkspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(doc.uri, toRange(doc, { start: e.offset, end: e.offset + e.length }), e.text);
  return we;
}

/** The README section that documents a rule. */
export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.parse(ruleDocsUrl(ruleId));
}
