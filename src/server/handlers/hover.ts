/**
 * `textDocument/hover`: ids, enum values and findings, from the core (`hoverAt`), which escapes every string
 * from the file. Sent as Markdown to clients that render it (clients show LSP Markdown without HTML or command
 * links), as the same text in plain text otherwise.
 */
import { MarkupKind, type Hover, type HoverParams, type CancellationToken } from 'vscode-languageserver/node';
import { hoverAt } from '../../core/lang/hover';
import { snapshotFor, type ServerContext } from '../context';
import { toOffset, toRange } from '../convert';

export async function hover(ctx: ServerContext, params: HoverParams, token: CancellationToken): Promise<Hover | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const h = hoverAt(snap.analysis, toOffset(snap.doc, params.position));
  if (!h) return null;
  return {
    contents: { kind: ctx.features.hoverMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: h.markdown },
    range: toRange(snap.doc, h.range),
  };
}

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params, token) => hover(ctx, params, token));
}
