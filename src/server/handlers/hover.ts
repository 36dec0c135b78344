/**
 * `textDocument/hover`: ids, enum values and findings, from the core (`hoverAt`), which escapes every string
 * from the file. Sent as Markdown to clients that render it (clients show LSP Markdown without HTML or command
 * links), as the same text in plain text otherwise.
 */
import { MarkupKind, type Hover, type HoverParams, type CancellationToken } from 'vscode-languageserver/node';
import { hoverAt } from '../../core/lang/hover';
import { uriToPath } from '../fileIndex';
import { libraryRuleMetaById } from '../../core/library/apply';
import { snapshotFor, type ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import type { Analysis } from '../../core/analyze';
import { mdText } from '../../core/lang/markdown';
import { evidenceAnchor, symbolLine } from '../../core/rules/risk/evidencePaths';
import type { Trace } from '../../core/trace/types';
import type { Range as CoreRange } from '../../core/types';
import { evidenceRefs } from './links';

const PREVIEW_LINES = 12;

/**
 * The first lines of what an evidence entry points at (its range, the line of its symbol, or the top of the
 * file), when the trace read the file: a fenced block longer than any run of backticks in it, so the file's
 * text cannot end the block and be read as Markdown.
 */
export function evidencePreview(analysis: Analysis, trace: Trace | undefined, offset: number, markdown: boolean): { text: string; range: CoreRange } | undefined {
  const ref = evidenceRefs(analysis).find(r => r.kind === 'path' && offset >= r.range.start && offset <= r.range.end);
  const text = ref && trace?.evidence?.[ref.target];
  if (!ref || typeof text !== 'string') return undefined;
  const ev = analysis.parsed.text.slice(ref.range.start, ref.range.end);
  const anchor = evidenceAnchor(ev);
  const all = text.split(/\r\n|\r|\n/);
  if (all.length > 1 && all[all.length - 1] === '') all.pop(); // a final line break ends the last line
  let from = 1;
  let to = Math.min(all.length, PREVIEW_LINES);
  if (anchor?.kind === 'lines') { from = anchor.start; to = Math.min(anchor.end, anchor.start + PREVIEW_LINES - 1); }
  if (anchor?.kind === 'symbol') { from = symbolLine(text, anchor.name) ?? 1; to = from + PREVIEW_LINES - 1; }
  const lines = all.slice(from - 1, Math.min(to, all.length));
  if (!lines.length) return undefined;
  const body = lines.map(l => l.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')).join('\n');
  const title = `${ref.target} · lines ${from}-${from + lines.length - 1}${lines.length < all.length ? ` of ${all.length}` : ''}`;
  if (!markdown) return { text: `${title}\n${body}`, range: ref.range };
  const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map(m => m[0].length + 1)));
  return { text: `**${mdText(title)}**\n\n${fence}\n${body}\n${fence}`, range: ref.range };
}

export async function hover(ctx: ServerContext, params: HoverParams, token: CancellationToken): Promise<Hover | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const offset = toOffset(snap.doc, params.position);
  const preview = evidencePreview(snap.analysis, snap.trace, offset, ctx.features.hoverMarkdown);
  if (preview) {
    return { contents: { kind: ctx.features.hoverMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: preview.text }, range: toRange(snap.doc, preview.range) };
  }
  // the rules of the model's team libraries explain themselves like the built-in ones
  const file = uriToPath(params.textDocument.uri);
  const library = file ? ctx.libraries?.current(file) : undefined;
  const h = hoverAt(snap.analysis, offset, library ? id => libraryRuleMetaById(library, id) : undefined);
  if (!h) return null;
  return {
    contents: { kind: ctx.features.hoverMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: h.markdown },
    range: toRange(snap.doc, h.range),
  };
}

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params, token) => hover(ctx, params, token));
}
