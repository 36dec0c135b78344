/**
 * Where the cursor is in a threat model, as a model path: for hovers and navigation (`nodeAt`, on the parsed
 * Document) and for completion (`completionContextAt`, on text that is being typed and is often incomplete).
 *
 * Completion does not guess from indentation: it inserts a sentinel word at the cursor, parses that text with
 * the same `yaml` parser, and finds the scalar holding the sentinel. The parser already knows whether a bare
 * word on its own line is a key of the map above, an item of a flow list or the value after `key: `, and it
 * recovers from the half-typed line the same way every time.
 *
 * Only the enclosing entry is parsed when the incremental analyzer read the same text from cleanly parsed
 * pieces (`cleanlySplit`, src/core/incremental): the text with the sentinel is split the same way and the
 * piece holding the sentinel is parsed, an entry together with its section's header line so it reads in its
 * section. Otherwise, where that piece has a syntax error (the parser's recovery may reach into the next
 * entries), and where the sentinel is not inside an entry or a top-level value (a new id, a top-level key:
 * they read in the light of every other key), the whole text is parsed.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Path, Range } from '../types';
import { cleanlySplit, splitModel } from '../incremental/split';

/** A word no model contains: letters only, so it is a plain scalar wherever it is inserted. */
export const CURSOR_SENTINEL = 'rampartcursorzq';
const WORD_CHAR = /[A-Za-z0-9_.@-]/;

export interface NodeAt {
  /** Path of the node under the cursor: for a key, the path of its entry. */
  path: Path;
  role: 'key' | 'value';
  /** Range of the scalar under the cursor (key or value). */
  range: Range;
  /** The scalar's value as text, when the node is a scalar. */
  value?: string;
}

const rangeOf = (n: Node | null | undefined): Range | undefined => (n?.range ? { start: n.range[0], end: n.range[1] } : undefined);
const within = (r: Range | undefined, offset: number) => !!r && r.start <= offset && offset <= r.end;

/** The deepest key or value that contains `offset` (an offset at the end of a word still counts). */
export function nodeAt(doc: Document | undefined, offset: number): NodeAt | undefined {
  let node: unknown = doc?.contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      let next: unknown;
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const k = item.key as Node | null;
        const key = isScalar(k) ? String(k.value) : undefined;
        const kr = rangeOf(k);
        if (key !== undefined && within(kr, offset)) return { path: [...path, key], role: 'key', range: kr!, value: key };
        const v = item.value as Node | null;
        if (key !== undefined && within(rangeOf(v), offset)) {
          path.push(key);
          next = v;
          break;
        }
      }
      if (next === undefined) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex(it => within(rangeOf(it as Node), offset));
      if (i < 0) return undefined;
      path.push(i);
      node = node.items[i];
    } else if (isScalar(node)) {
      return { path, role: 'value', range: rangeOf(node)!, value: node.value === null || node.value === undefined ? undefined : String(node.value) };
    } else {
      return undefined;
    }
  }
  return undefined;
}

export interface CompletionContext {
  /** `key`: a key is typed in the map at `path`. `value`: a value is typed at `path` (list items end with their index). */
  role: 'key' | 'value';
  path: Path;
  /** The part of the word before the cursor (what the user has typed so far). */
  prefix: string;
  /** The word's range up to the cursor (insert) and including its rest after the cursor (replace). */
  insert: Range;
  replace: Range;
  /** Keys already in the map (role `key`), or items already in the list (role `value` in a list). */
  siblings: string[];
  /** The cursor is inside `[...]` or `{...}` on this line. */
  inFlow: boolean;
  /** The cursor is right after `key:` with no space: a value must start with one. */
  needsSpace: boolean;
  /**
   * Role `value`, typed alone on the line below its key (`targets:` then the cursor on the next, deeper line):
   * when that key holds a list, this is its first item and is written `- item`.
   */
  ownLine: boolean;
  /** Column of the word's start on its line. */
  column: number;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The word around `offset` (ids, enum values and keys are made of letters, digits, `-`, `_`, `.` and `@`). */
export function wordAt(text: string, offset: number): { insert: Range; replace: Range; prefix: string } {
  let s = offset;
  while (s > 0 && WORD_CHAR.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && WORD_CHAR.test(text[e])) e++;
  return { insert: { start: s, end: offset }, replace: { start: s, end: e }, prefix: text.slice(s, offset) };
}

function bracketDepthBefore(line: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) { if (c === quote) quote = undefined; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return depth;
}

/**
 * What is being typed at `offset`: a key of which map, or a value at which path. Undefined inside comments
 * and anywhere the sentinel does not land in a scalar. `parsed`: the parsed model of the same text, when there
 * is one (lets completion parse only the enclosing entry).
 */
export function completionContextAt(text: string, offset: number, parsed?: object): CompletionContext | undefined {
  offset = Math.max(0, Math.min(offset, text.length));
  const word = wordAt(text, offset);
  const ls = lineStartOf(text, offset);
  const lineBefore = text.slice(ls, word.insert.start);
  const needsSpace = text[word.insert.start - 1] === ':' && word.prefix === '';
  const probe = text.slice(0, offset) + (needsSpace ? ' ' : '') + CURSOR_SENTINEL + text.slice(offset);
  const at = offset + (needsSpace ? 1 : 0);
  const local = !!parsed && cleanlySplit.has(parsed) && (parsed as { text?: string }).text === text;
  const found = (local ? findInPiece(probe, at) : undefined) ?? findInText(probe);
  if (!found) return undefined;
  const inFlow = bracketDepthBefore(lineBefore) > 0;
  return {
    role: found.role, path: found.path, prefix: word.prefix, insert: word.insert, replace: word.replace,
    siblings: found.siblings, inFlow, needsSpace, column: word.insert.start - ls,
    ownLine: found.role === 'value' && !inFlow && found.ownLine && /^\s*$/.test(lineBefore),
  };
}

const PROBE_OPTIONS = { version: '1.2', schema: 'core', uniqueKeys: false, strict: false, prettyErrors: false } as const;

/** The sentinel's context from a parse of the whole probe text (`clean`: undefined when the text has a syntax error). */
function findInText(probe: string, clean = false): Found | undefined {
  let doc: Document;
  try {
    doc = parseDocument(probe, PROBE_OPTIONS);
  } catch {
    return undefined;
  }
  if (clean && doc.errors.length) return undefined;
  return findSentinel(probe, doc.contents, []);
}

/**
 * The sentinel's context from a parse of the piece that holds it (undefined: parse the whole text). `at` is
 * the sentinel's offset in the probe text.
 */
function findInPiece(probe: string, at: number): Found | undefined {
  const split = splitModel(probe);
  if (!split) return undefined;
  for (const item of split.items) {
    if (item.kind === 'whole') {
      if (at < item.piece.start || at >= item.piece.end) continue;
      const found = findInText(item.piece.text, true);
      // Trusted inside the top-level value only: a word at the top level reads in the light of every other key.
      return found && found.path.length >= 1 ? found : undefined;
    }
    if (at < item.header.start || at >= item.entries[item.entries.length - 1].end) continue;
    const entry = item.entries.find(e => at >= e.start && at < e.end);
    if (!entry) return undefined;
    const found = findInText(item.header.text + entry.text, true);
    // Trusted inside the entry only: a new id, or a word between entries, reads in the light of the others.
    return found && found.path.length >= 2 ? found : undefined;
  }
  return undefined;
}

interface Found {
  role: 'key' | 'value';
  path: Path;
  siblings: string[];
  /** A map value that starts on a later line than its key. */
  ownLine: boolean;
}

const hasSentinel = (n: unknown) => isScalar(n) && typeof n.value === 'string' && n.value.includes(CURSOR_SENTINEL);

function findSentinel(probe: string, node: unknown, path: Path): Found | undefined {
  if (path.length === 0 && hasSentinel(node)) return { role: 'value', path, siblings: [], ownLine: false }; // a lone word
  if (isMap(node)) {
    const keys = node.items.map(p => (isPair(p) && isScalar(p.key) ? String(p.key.value) : undefined)).filter((k): k is string => k !== undefined);
    for (const item of node.items) {
      if (!isPair(item)) continue;
      if (hasSentinel(item.key)) return { role: 'key', path, siblings: keys.filter(k => !k.includes(CURSOR_SENTINEL)), ownLine: false };
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (key === undefined) continue;
      if (hasSentinel(item.value)) {
        const kr = (item.key as Node).range;
        const vr = (item.value as Node).range;
        const ownLine = !!(kr && vr && /[\r\n]/.test(probe.slice(kr[1], vr[0])));
        return { role: 'value', path: [...path, key], siblings: [], ownLine };
      }
      const inner = findSentinel(probe, item.value, [...path, key]);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isSeq(node)) {
    const items = node.items.map(it => (isScalar(it) && it.value !== null ? String(it.value) : undefined)).filter((v): v is string => v !== undefined);
    for (const [i, it] of node.items.entries()) {
      if (hasSentinel(it)) return { role: 'value', path: [...path, i], siblings: items.filter(v => !v.includes(CURSOR_SENTINEL)), ownLine: false };
      const inner = findSentinel(probe, it, [...path, i]);
      if (inner) return inner;
    }
  }
  return undefined;
}
