/**
 * `textDocument/completion`: ids wherever a reference is expected, enum values, the keys allowed at the cursor
 * and snippets for new entries, from the core (`completionsAt`). Items replace the word at the cursor (an
 * InsertReplaceEdit for clients that offer both behaviours); snippets become plain text for clients without
 * snippet support. Documentation is plain text: it may hold text from the file.
 */
import {
  CompletionItemKind, CompletionTriggerKind, InsertTextFormat,
  type CancellationToken, type CompletionItem, type CompletionList, type CompletionParams,
} from 'vscode-languageserver/node';
import { completionsAt, type CompletionCandidate } from '../../core/lang/completions';
import { indentUnit } from '../../core/edit/yamlEdit';
import type { IdKind } from '../../core/model/index';
import { snapshotFor, type ServerContext } from '../context';
import { toOffset, toRange } from '../convert';

const ID_KIND: Record<IdKind, CompletionItemKind> = {
  element: CompletionItemKind.Class,
  flow: CompletionItemKind.Event,
  boundary: CompletionItemKind.Module,
  asset: CompletionItemKind.Constant,
  threat: CompletionItemKind.Interface,
  mitigation: CompletionItemKind.Struct,
  attack_tree: CompletionItemKind.Reference,
};

function itemKind(c: CompletionCandidate): CompletionItemKind {
  switch (c.kind) {
    case 'id': return ID_KIND[c.idKind ?? 'element'];
    case 'enum': return CompletionItemKind.EnumMember;
    case 'key': return CompletionItemKind.Property;
    case 'snippet': return CompletionItemKind.Snippet;
    default: return CompletionItemKind.Value;
  }
}

/**
 * Snippet syntax -> the text it inserts with every placeholder at its default: `${1|a,b|}` -> `a`,
 * `${2:text}` -> `text`, `$0` and `${3}` -> nothing, `\$` -> `$`.
 */
export function snippetToText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length) { out += snippet[++i]; continue; }
    if (c !== '$') { out += c; continue; }
    const simple = /^\d+/.exec(snippet.slice(i + 1));
    if (simple) { i += simple[0].length; continue; }
    if (snippet[i + 1] !== '{') { out += c; continue; }
    const head = /^\{\d+/.exec(snippet.slice(i + 1));
    if (!head) { out += c; continue; }
    let j = i + 1 + head[0].length;
    const kind = snippet[j];
    let body = '';
    // Read to the closing brace, unescaping; nested placeholders do not occur in our snippets.
    for (j++; j < snippet.length && !(snippet[j] === '}' && (kind !== '|' || snippet[j - 1] === '|')); j++) {
      if (snippet[j] === '\\' && j + 1 < snippet.length) { body += '\\' + snippet[++j]; continue; }
      body += snippet[j];
    }
    if (kind === ':') out += body.replace(/\\(.)/g, '$1');
    else if (kind === '|') out += (body.replace(/\|$/, '').match(/(?:\\.|[^,\\])*/)?.[0] ?? '').replace(/\\(.)/g, '$1');
    i = j;
  }
  return out;
}

export async function completion(ctx: ServerContext, params: CompletionParams, token: CancellationToken): Promise<CompletionList | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const { doc, analysis } = snap;
  const text = doc.getText();
  const offset = toOffset(doc, params.position);
  // A space typed inside prose (a title, a description) is no reason to parse anything.
  const trigger = params.context;
  if (trigger?.triggerKind === CompletionTriggerKind.TriggerCharacter && trigger.triggerCharacter === ' ' && !/[:,[{-]\s$/.test(text.slice(Math.max(0, offset - 2), offset))) return null;
  // A file over rampart.maxFileSize is not parsed for analysis; completion does not parse it either.
  if (!analysis.parsed.doc && analysis.findings.some(f => f.ruleId === 'schema/file-too-large')) return null;
  const indent = analysis.parsed.doc ? indentUnit(analysis.parsed.doc, text) : 2;
  const result = completionsAt(text, offset, analysis, { indent });
  if (!result) return null;
  const insert = toRange(doc, result.insert);
  const replace = toRange(doc, result.replace);
  const items = result.items.map((c): CompletionItem => {
    const snippet = c.snippet && ctx.features.snippets;
    const newText = c.snippet && !snippet ? snippetToText(c.insertText) : c.insertText;
    const item: CompletionItem = {
      label: c.label,
      kind: itemKind(c),
      textEdit: ctx.features.insertReplace ? { newText, insert, replace } : { newText, range: replace },
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    };
    if (c.detail) item.detail = c.detail;
    if (c.documentation) item.documentation = { kind: 'plaintext', value: c.documentation };
    if (c.sortText) item.sortText = c.sortText;
    if (c.insertText.startsWith(' ') || c.insertText.startsWith('- ')) item.filterText = c.label;
    return item;
  });
  return { isIncomplete: false, items };
}

export function registerCompletion(ctx: ServerContext): void {
  ctx.connection.onCompletion((params, token) => completion(ctx, params, token));
}
