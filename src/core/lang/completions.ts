/**
 * Completion candidates at a cursor, as plain data: ids wherever a reference is expected, enum values, the keys
 * the schema allows in the map being typed in (minus those present), and snippets for new entries. The VS Code
 * adapter (src/vscode/completion.ts) only turns these into `CompletionItem`s.
 */
import { ELEMENT_TYPES, IMPACTS, LIKELIHOODS, MITIGATION_STATUSES, SECTION_NAMES, STRIDE, THREAT_STATUSES, TOP_KEYS, TRUST_LEVELS, CLASSIFICATIONS } from '../model/schema';
import { enumValuesAt, knownKeysAt, schemaAt } from '../model/issues';
import type { IdKind } from '../model/index';
import type { Analysis } from '../analyze';
import type { Path, Range } from '../types';
import { completionContextAt, type CompletionContext } from './cursor';
import { referenceKindsAt } from './slots';
import { explainValue } from './explain';

export interface CompletionCandidate {
  label: string;
  kind: 'id' | 'enum' | 'key' | 'value' | 'snippet';
  /** For ids: what the id names. */
  idKind?: IdKind;
  /** One line shown beside the label (plain text, may hold user text: the adapter shows it as plain text). */
  detail?: string;
  /** Plain text. */
  documentation?: string;
  insertText: string;
  /** `insertText` uses snippet syntax (placeholders, choices). */
  snippet: boolean;
  sortText?: string;
}

export interface Completions {
  context: CompletionContext;
  /** The range the typed word covers up to the cursor, and the whole word. */
  insert: Range;
  replace: Range;
  items: CompletionCandidate[];
}

export interface CompletionOptions {
  /** Spaces per indentation level in this file (default 2). */
  indent?: number;
}

type AnySchema = { _zod: { def: Record<string, unknown> } };
const typeOf = (s: AnySchema | undefined) => s?._zod.def.type as string | undefined;

/** Escapes text for a snippet body (`$`, `}` and `\` are syntax there). */
export const snippetText = (s: string) => s.replace(/[$}\\]/g, '\\$&');
/** Escapes a value for a `${1|a,b|}` choice. */
const choiceText = (s: string) => s.replace(/[$}\\,|]/g, '\\$&');
const choice = (n: number, values: readonly string[], fallback = '') =>
  values.length ? `\${${n}|${values.map(choiceText).join(',')}|}` : `\${${n}${fallback ? ':' + snippetText(fallback) : ''}}`;

const KIND_WORD: Record<IdKind, string> = { asset: 'asset', boundary: 'boundary', element: 'element', flow: 'flow', threat: 'threat', mitigation: 'mitigation', attack_tree: 'attack tree' };

/** The keys of `path`'s object schema that are required (not optional). */
function requiredKeys(path: Path): Set<string> {
  const s = schemaAt(path) as AnySchema | undefined;
  if (typeOf(s) !== 'object') return new Set();
  const shape = s!._zod.def.shape as Record<string, AnySchema>;
  return new Set(Object.entries(shape).filter(([, v]) => typeOf(v) !== 'optional').map(([k]) => k));
}

/** What a reference id stands for, in a few words: "element · process · Payment API". */
function describeId(analysis: Analysis, kind: IdKind, id: string): string {
  const m = analysis.parsed.model;
  switch (kind) {
    case 'element': { const e = m.elements?.[id]; return e ? `element · ${e.type} · ${e.name}` : 'element'; }
    case 'flow': { const f = m.flows?.[id]; return f ? `flow · ${f.from} → ${f.to}${f.name ? ' · ' + f.name : ''}` : 'flow'; }
    case 'boundary': { const b = m.boundaries?.[id]; return b ? `boundary · ${b.trust} · ${b.name}` : 'boundary'; }
    case 'asset': { const a = m.assets?.[id]; return a ? `asset · ${a.classification} · ${a.name}` : 'asset'; }
    case 'threat': {
      const t = m.threats?.[id];
      const level = analysis.assessments.get(id)?.level;
      return t ? `threat · ${level ?? 'unrated'} · ${t.title}` : 'threat';
    }
    case 'mitigation': { const x = m.mitigations?.[id]; return x ? `mitigation · ${x.status} · ${x.title}` : 'mitigation'; }
    case 'attack_tree': { const x = m.attack_trees?.[id]; return x ? `attack tree · ${x.goal}` : 'attack tree'; }
  }
}

/** How the value of `key` is best started when the key is inserted. */
function keyInsertText(parent: Path, key: string, indent: number, rest: string): { text: string; snippet: boolean } {
  if (/^\s*:/.test(rest)) return { text: key, snippet: false }; // the colon is already there: replace the key only
  const path = [...parent, key];
  const s = schemaAt(path) as AnySchema | undefined;
  const t = typeOf(s);
  const k = snippetText(key);
  if (key === 'rampart' && parent.length === 0) return { text: 'rampart: 1', snippet: false };
  const values = enumValuesAt(path);
  if (values.length) return { text: `${k}: ${choice(1, values)}`, snippet: true };
  if (t === 'boolean') return { text: `${k}: \${1|true,false|}`, snippet: true };
  if (t === 'array') {
    const itemValues = enumValuesAt([...path, 0]);
    const itemType = typeOf(schemaAt([...path, 0]) as AnySchema | undefined);
    if (itemType === 'object') return { text: `${k}:\n${' '.repeat(indent)}- $0`, snippet: true };
    return { text: itemValues.length ? `${k}: [${choice(1, itemValues)}]` : `${k}: [$0]`, snippet: true };
  }
  if (t === 'object' || t === 'record') {
    return { text: `${k}:\n${' '.repeat(indent)}$0`, snippet: true };
  }
  return { text: `${k}: $0`, snippet: true };
}

function ids(analysis: Analysis, kind: IdKind): string[] {
  return [...(analysis.index.byKind.get(kind)?.keys() ?? [])];
}

/** Snippets for a new entry of a section, with choices filled from the model's ids. */
function entrySnippets(analysis: Analysis, section: string, indent: number): CompletionCandidate[] {
  const pad = ' '.repeat(indent);
  const lines = (...l: string[]) => l.join('\n' + pad);
  const elements = ids(analysis, 'element');
  const targets = [...elements, ...ids(analysis, 'flow')];
  const boundaries = ids(analysis, 'boundary');
  const snip = (label: string, documentation: string, text: string): CompletionCandidate =>
    ({ label, kind: 'snippet', detail: 'Rampart snippet', documentation, insertText: text, snippet: true, sortText: '0' + label });
  switch (section) {
    case 'threats':
      return [snip('New threat', 'A threat with STRIDE category, targets, likelihood, impact and status.', lines(
        '${1:new-threat}:',
        'title: ${2:What can go wrong}',
        `stride: [${choice(3, STRIDE)}]`,
        `targets: [${choice(4, targets)}]`,
        `likelihood: ${choice(5, LIKELIHOODS)}`,
        `impact: ${choice(6, IMPACTS)}`,
        `status: ${choice(7, THREAT_STATUSES)}`,
      ) + '$0')];
    case 'mitigations':
      return [snip('New mitigation', 'A mitigation with status and evidence (paths relative to this file, or links).', lines(
        '${1:new-mitigation}:',
        'title: ${2:What we do about it}',
        `status: ${choice(3, MITIGATION_STATUSES)}`,
        'evidence: [${4}]',
      ) + '$0')];
    case 'elements':
      return [snip('New element', 'An external entity, process or data store, in a trust boundary.', lines(
        '${1:new-element}:',
        `type: ${choice(2, ['process', ...ELEMENT_TYPES.filter(t => t !== 'process')])}`,
        'name: ${3:Name}',
        ...(boundaries.length ? [`boundary: ${choice(4, boundaries)}`] : []),
      ) + '$0')];
    case 'flows':
      return [snip('New flow', 'A data flow between two elements, with the data it carries and how it is protected.', lines(
        '${1:new-flow}:',
        `from: ${choice(2, elements)}`,
        `to: ${choice(3, elements)}`,
        'protocol: ${4:https}',
        `data: [${choice(5, ids(analysis, 'asset'))}]`,
        'encrypted: ${6|true,false|}',
        'authenticated: ${7|true,false|}',
      ) + '$0')];
    case 'boundaries':
      return [snip('New trust boundary', 'A trust boundary; nest boundaries with parent.', lines(
        '${1:new-boundary}:',
        'name: ${2:Name}',
        `trust: ${choice(3, TRUST_LEVELS)}`,
      ) + '$0')];
    case 'assets':
      return [snip('New asset', 'Something worth protecting, with its classification.', lines(
        '${1:new-asset}:',
        'name: ${2:Name}',
        `classification: ${choice(3, CLASSIFICATIONS)}`,
      ) + '$0')];
    default:
      return [];
  }
}

/** Completion candidates at `offset` of `text`; `analysis` is of the same (or a recent) text and gives the ids. */
export function completionsAt(text: string, offset: number, analysis: Analysis, opts: CompletionOptions = {}): Completions | undefined {
  let ctx = completionContextAt(text, offset, analysis.parsed);
  if (!ctx) return undefined;
  // `key:` then a word alone on the next, deeper line reads as that key's scalar value; when the key holds a
  // map (an empty entry, an empty section), the word is the map's first key.
  const valueType = ctx.role === 'value' ? typeOf(schemaAt(ctx.path) as AnySchema | undefined) : undefined;
  if (ctx.ownLine && (valueType === 'object' || valueType === 'record')) ctx = { ...ctx, role: 'key', ownLine: false, siblings: [] };
  // A word alone in an empty file is the document's first key.
  if (ctx.role === 'value' && ctx.path.length === 0) ctx = { ...ctx, role: 'key', siblings: [] };
  const indent = opts.indent ?? 2;
  const items: CompletionCandidate[] = [];
  const lineEnd = (() => { const i = text.slice(ctx.replace.end).search(/[\r\n]/); return i < 0 ? text.length : ctx.replace.end + i; })();
  const rest = text.slice(ctx.replace.end, lineEnd);

  if (ctx.role === 'key') {
    const path = ctx.path;
    if (path.length === 1 && SECTION_NAMES.includes(path[0] as never)) {
      // A new id in a section: snippets for a new entry (block style only).
      if (!ctx.inFlow && !/^\s*:/.test(rest)) items.push(...entrySnippets(analysis, String(path[0]), indent));
    } else {
      const keys = path.length === 0 ? [...TOP_KEYS] : knownKeysAt(path);
      const required = path.length === 0 ? new Set(['rampart', 'title']) : requiredKeys(path);
      const present = new Set(ctx.siblings);
      for (const key of keys) {
        if (present.has(key)) continue;
        const ins = keyInsertText(path, key, indent, rest);
        items.push({
          label: key, kind: 'key', insertText: ins.text, snippet: ins.snippet,
          detail: required.has(key) ? 'required' : undefined,
          sortText: `${required.has(key) ? 0 : 1}${String(keys.indexOf(key)).padStart(3, '0')}`,
        });
      }
    }
  } else {
    let path = ctx.path;
    let dash = '';
    if (ctx.ownLine && typeOf(schemaAt(path) as AnySchema | undefined) === 'array') {
      path = [...path, 0];
      dash = '- ';
    }
    const lead = (ctx.needsSpace ? ' ' : '') + dash;
    const taken = new Set(ctx.siblings);
    const kinds = referenceKindsAt(path);
    if (kinds) {
      for (const kind of kinds) {
        for (const [i, id] of ids(analysis, kind).entries()) {
          if (taken.has(id)) continue;
          // File order: the order the user wrote the entries in.
          items.push({ label: id, kind: 'id', idKind: kind, detail: describeId(analysis, kind, id), insertText: lead + id, snippet: false, sortText: `${kinds.indexOf(kind)}${String(i).padStart(5, '0')}` });
        }
      }
    }
    for (const [i, v] of enumValuesAt(path).entries()) {
      if (taken.has(v)) continue;
      items.push({ label: v, kind: 'enum', documentation: explainValue(path, v), insertText: lead + v, snippet: false, sortText: String(i).padStart(3, '0') });
    }
    const t = typeOf(schemaAt(path) as AnySchema | undefined);
    if (t === 'boolean') for (const v of ['true', 'false']) items.push({ label: v, kind: 'value', insertText: lead + v, snippet: false });
    if (path.length === 1 && path[0] === 'rampart') items.push({ label: '1', kind: 'value', detail: 'format version 1', insertText: lead + '1', snippet: false });
  }
  const sortKey = (i: CompletionCandidate) => i.sortText ?? i.label;
  items.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return { context: ctx, insert: ctx.insert, replace: ctx.replace, items };
}
