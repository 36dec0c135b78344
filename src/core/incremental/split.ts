/**
 * Splits a model's text into top-level items and, inside the id-keyed sections, into entries, by indentation
 * alone (one linear pass, no parsing). The split is a proposal: the analyzer parses each piece on its own and
 * gives up (full analysis) unless every piece reads as exactly one key and its value.
 *
 * It refuses (returns undefined) whatever a line-based split could misread: tabs, a byte-order mark, lone CR
 * line breaks, document markers and directives (`---`, `...`, `%`), content before the first top-level key,
 * keys that start with a YAML indicator (flow collections, anchors, aliases, tags, explicit keys, lists), and
 * lines indented less than their section's entries.
 */
import { SECTION_NAMES } from '../model/schema';

export interface Piece {
  /** Offset of the piece's first line in the text; the piece runs to the next piece (comments and blank lines included). */
  start: number;
  end: number;
  text: string;
}

export type TopItem =
  /** A top-level key and its value, parsed as one piece. */
  | { kind: 'whole'; piece: Piece }
  /** A section (`threats:` alone on its line) whose entries are pieces of their own. */
  | { kind: 'section'; section: string; header: Piece; entries: Piece[]; indent: number };

export interface Split {
  /** Comments and blank lines before the first key. */
  prelude: Piece;
  items: TopItem[];
}

const SECTIONS = new Set<string>(SECTION_NAMES);
/** A section header: the key alone on its line, with at most a comment after it. */
const HEADER = /^([a-z_]+):[ ]*(?:#.*)?\r?$/;
/** Characters a key may not start with in a split (indicators and quotes with unusual rules). */
const BAD_START = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', ' ']);

export function splitModel(text: string): Split | undefined {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined; // a lone CR (a line break of its own)
  const n = text.length;
  const piece = (start: number, end: number): Piece => ({ start, end, text: text.slice(start, end) });
  const items: TopItem[] = [];
  let preludeEnd = -1;
  // The open item: its start, and for a section its header end, entry indentation and entry starts.
  let topStart = -1;
  let section: string | undefined;
  let headerEnd = -1;
  let indent = -1;
  let entryStarts: number[] = [];

  const close = (end: number) => {
    if (topStart < 0) return;
    if (section !== undefined && entryStarts.length) {
      const entries = entryStarts.map((s, i) => piece(s, i + 1 < entryStarts.length ? entryStarts[i + 1] : end));
      items.push({ kind: 'section', section, header: piece(topStart, entryStarts[0]), entries, indent });
    } else {
      items.push({ kind: 'whole', piece: piece(topStart, end) });
    }
    topStart = -1;
  };

  let ls = 0;
  while (ls < n) {
    let le = text.indexOf('\n', ls);
    if (le < 0) le = n;
    let i = ls;
    while (i < le && text.charCodeAt(i) === 32) i++;
    const col = i - ls;
    const c = text[i];
    const blank = i >= le || c === '\r';
    if (!blank && c !== '#') {
      if (col === 0) {
        if (BAD_START.has(c) || c === '.' && text.startsWith('...', i) || c === '"' || c === "'") return undefined;
        if (preludeEnd < 0) preludeEnd = ls;
        close(ls);
        topStart = ls;
        const m = HEADER.exec(text.slice(ls, le));
        section = m && SECTIONS.has(m[1]) ? m[1] : undefined;
        headerEnd = le;
        indent = -1;
        entryStarts = [];
      } else if (topStart < 0) {
        return undefined; // indented content before the first key
      } else if (section !== undefined) {
        if (indent < 0) indent = col;
        if (col === indent) {
          if (BAD_START.has(c) || c === '"' || c === "'") return undefined;
          entryStarts.push(ls);
        } else if (col < indent) {
          return undefined;
        } else if (!entryStarts.length) {
          return undefined;
        }
      }
    }
    ls = le + 1;
  }
  if (preludeEnd < 0) return undefined; // no key at all
  close(n);
  void headerEnd;
  return { prelude: piece(0, preludeEnd), items };
}

/**
 * Parsed models (`ParsedModel` objects) that the incremental analyzer assembled from a split in which every
 * piece parsed cleanly as one key: in their text, a piece can be read on its own (completion relies on it).
 */
export const cleanlySplit = new WeakSet<object>();
