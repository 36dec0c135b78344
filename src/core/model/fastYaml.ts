/**
 * A fast reader for the YAML that threat models are written in (issue #17, `rampart check` as a process).
 *
 * `yaml`'s parser lexes, builds a concrete syntax tree and composes it: for a 0.8 MB model that is most of what a
 * `check` costs. Most models use a small part of YAML: block maps and sequences, one-line flow collections, plain
 * and quoted one-line scalars, `|` and `>` blocks, comments. This reader reads that part in one pass and builds the same `yaml` nodes
 * (`YAMLMap`, `YAMLSeq`, `Pair`, `Scalar`) with the same values and the same `range[0]` and `range[1]` as
 * `parseDocument` (test/unit/core/fastYaml.test.ts compares them on every example, the corpus and random edits).
 *
 * Anything else (multi-line plain or quoted scalars, kept or indented block scalars, anchors, aliases, tags,
 * directives, several documents, complex keys, empty values, escapes, tabs, CR line ends, numbers beyond decimal
 * integers and plain decimals, or anything that is not well-formed) makes it give up and return undefined: the caller then parses with `yaml`, which reports
 * errors with its own messages. The document it returns has no comments and only approximate `range[2]`: it is
 * for analysing a text once, never for editing it.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/** Thrown inside the reader when the text leaves the subset it reads (never escapes `fastParseDocument`). */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('outside the fast subset');

const SP = 32, NL = 10, HASH = 35, COLON = 58, COMMA = 44, DASH = 45;
const PIPE = 124, GT = 62;
const LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125, DQ = 34, SQ = 39;

/** Characters that start something this reader leaves to `yaml` when they open a value or key. */
const REFUSED_START = new Set('?:,]}#&*!|>%@`\t\r'.split('').map(c => c.charCodeAt(0)));

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** Plain scalars that `yaml`'s core schema reads as something this reader does not (hex, octal, exponents, .inf, .nan). */
const OTHER_NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

function plainValue(s: string): unknown {
  switch (s) {
    case '': case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
  }
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === DASH || c === 43 || c === 46) {
    if (INT.test(s)) return parseInt(s, 10);
    if (FLOAT.test(s)) return parseFloat(s);
    if (OTHER_NUMBER.test(s)) throw GIVE_UP;
  }
  return s;
}

function scalar(value: unknown, start: number, end: number, nodeEnd: number): Scalar {
  const s = new Scalar(value);
  s.range = [start, end, nodeEnd];
  return s;
}

class Reader {
  private pos = 0;
  constructor(private readonly t: string) {}

  /** From `p`, past spaces on the line. */
  private spaces(p: number): number {
    const t = this.t;
    while (t.charCodeAt(p) === SP) p++;
    return p;
  }

  /** From `p` (after a value on its line): past spaces and a comment; must reach the line's end. Returns the offset after the newline (or the text's end). */
  private lineEnd(p: number): number {
    const t = this.t;
    const q = this.spaces(p);
    const c = t.charCodeAt(q);
    if (c === HASH) {
      if (q === p) throw GIVE_UP; // `a#b` is not a comment
      const nl = t.indexOf('\n', q);
      return nl < 0 ? t.length : nl + 1;
    }
    if (q >= t.length) return t.length;
    if (c !== NL) throw GIVE_UP;
    return q + 1;
  }

  /**
   * From a line start `p`: past blank and comment-only lines. Returns the offset of the next content and its
   * column, or undefined at the end of the text.
   */
  private nextContent(p: number): { at: number; col: number } | undefined {
    const t = this.t;
    // A comment indented more than what follows belongs to the value before it in yaml's ranges: left to yaml.
    let commentCol = -1;
    while (p < t.length) {
      const q = this.spaces(p);
      const c = t.charCodeAt(q);
      if (q >= t.length) break;
      if (c === NL) { p = q + 1; continue; }
      if (c === HASH) {
        commentCol = Math.max(commentCol, q - p);
        const nl = t.indexOf('\n', q);
        if (nl < 0) break;
        p = nl + 1;
        continue;
      }
      if (commentCol > q - p) throw GIVE_UP;
      return { at: q, col: q - p };
    }
    if (commentCol > 0) throw GIVE_UP;
    return undefined;
  }

  read(): YAMLMap {
    const first = this.nextContent(0);
    if (!first || first.col !== 0) throw GIVE_UP;
    const c = this.t.charCodeAt(first.at);
    if (c === DASH || c === LBRACE || c === LBRACK) throw GIVE_UP; // a model is a block map
    this.pos = first.at;
    const map = this.blockMap(0);
    if (this.pos < this.t.length) throw GIVE_UP;
    return map;
  }

  /** A block map whose keys start at column `col`; `this.pos` is at its first key. Leaves `this.pos` at the next content after it (or the end). */
  private blockMap(col: number): YAMLMap {
    const t = this.t;
    const map = new YAMLMap();
    const start = this.pos;
    let lastEnd = start;
    for (;;) {
      const key = this.key();
      const p = this.spaces(key.after);
      let value: Scalar | YAMLMap | YAMLSeq;
      const c = t.charCodeAt(p);
      if (p >= t.length || c === NL || c === HASH) {
        // the value is on the following lines, or empty
        const after = this.lineEnd(p);
        const next = this.nextContent(after);
        if (next && next.col > col) {
          this.pos = next.at;
          if (this.isDash(next.at)) value = this.blockSeq(next.col);
          else if (this.startsKey(next.at)) value = this.blockMap(next.col);
          else throw GIVE_UP; // a scalar on its own line
        } else if (next && next.col === col && this.isDash(next.at)) {
          this.pos = next.at;
          value = this.blockSeq(col);
        } else {
          // an empty value: yaml's range for it (and its map's) depends on the comments and spaces around it
          throw GIVE_UP;
        }
      } else {
        if (p === key.after) throw GIVE_UP; // `a:b` is not a pair
        value = this.inlineValue(p, col);
        this.toNextContent();
      }
      map.items.push(new Pair(key.node, value));
      lastEnd = value.range![2];
      if (this.pos >= t.length) break;
      const here = this.column(this.pos);
      if (here < col) break;
      if (here > col) throw GIVE_UP;
      if (this.isDash(this.pos)) break; // a sequence at the parent's column ends this map
    }
    map.range = [start, lastEnd, lastEnd];
    return map;
  }

  /** A block sequence whose dashes are at column `col`; `this.pos` is at its first dash. */
  private blockSeq(col: number): YAMLSeq {
    const t = this.t;
    const seq = new YAMLSeq();
    const start = this.pos;
    let lastEnd = start;
    for (;;) {
      const p = this.spaces(this.pos + 1);
      const c = t.charCodeAt(p);
      let item: Scalar | YAMLMap | YAMLSeq;
      if (p >= t.length || c === NL || c === HASH) throw GIVE_UP; // an item on the following lines, or empty
      if (this.isDash(p)) throw GIVE_UP; // `- - a`
      if (this.startsKey(p)) {
        this.pos = p;
        item = this.blockMap(p - this.lineStart(p));
      } else {
        item = this.inlineValue(p, col);
        this.toNextContent();
      }
      seq.items.push(item);
      lastEnd = item.range![2];
      if (this.pos >= t.length) break;
      const here = this.column(this.pos);
      if (here < col) break;
      if (here > col || !this.isDash(this.pos)) {
        if (here === col) break; // a key of the parent map at the same column
        throw GIVE_UP;
      }
    }
    seq.range = [start, lastEnd, lastEnd];
    return seq;
  }

  /** `this.pos` at the next content from the line start it is at (or the text's end). */
  private toNextContent(): void {
    const next = this.nextContent(this.pos);
    this.pos = next ? next.at : this.t.length;
  }

  private lineStart(p: number): number {
    return this.t.lastIndexOf('\n', p - 1) + 1;
  }

  private column(p: number): number {
    return p - this.lineStart(p);
  }

  /** A `-` at `p` that opens a sequence item (followed by a space or the line's end). */
  private isDash(p: number): boolean {
    if (this.t.charCodeAt(p) !== DASH) return false;
    const c = this.t.charCodeAt(p + 1);
    return c === SP || c === NL || p + 1 >= this.t.length;
  }

  /** Whether the line from `p` holds `key:` (a plain or quoted key followed by `: ` or `:` at the line's end). */
  private startsKey(p: number): boolean {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === DQ || c === SQ) return t.charCodeAt(this.spaces(this.quoted(p).end)) === COLON;
    if (c === LBRACK || c === LBRACE) return false;
    const nl = t.indexOf('\n', p);
    const end = nl < 0 ? t.length : nl;
    for (let q = p; q < end; q++) {
      const d = t.charCodeAt(q);
      if (d === COLON) {
        const e = t.charCodeAt(q + 1);
        if (q + 1 >= end || e === SP) return true;
      } else if (d === HASH && t.charCodeAt(q - 1) === SP) return false;
    }
    return false;
  }

  /** A key at `this.pos`, up to its colon. */
  private key(): { node: Scalar; after: number } {
    const t = this.t;
    const p = this.pos;
    const c = t.charCodeAt(p);
    if (c === DQ || c === SQ) {
      const { node, end } = this.quoted(p);
      const q = this.spaces(end);
      if (t.charCodeAt(q) !== COLON) throw GIVE_UP;
      node.range = [p, end, end];
      return { node, after: q + 1 };
    }
    if (REFUSED_START.has(c) || c === LBRACK || c === LBRACE || this.isDash(p)) throw GIVE_UP;
    const nl = t.indexOf('\n', p);
    const lineEnd = nl < 0 ? t.length : nl;
    for (let q = p; q < lineEnd; q++) {
      const d = t.charCodeAt(q);
      if (d === COLON && (q + 1 >= lineEnd || t.charCodeAt(q + 1) === SP)) {
        let e = q;
        while (t.charCodeAt(e - 1) === SP) e--;
        const text = t.slice(p, e);
        const node = scalar(plainValue(text), p, e, e);
        return { node, after: q + 1 };
      }
      if (d === HASH && t.charCodeAt(q - 1) === SP) break;
    }
    throw GIVE_UP;
  }

  /**
   * A value that starts at `p` and ends on the same line (or a block scalar, on the lines below, indented more
   * than `parentCol`); leaves `this.pos` at the start of the next line.
   */
  private inlineValue(p: number, parentCol: number): Scalar | YAMLMap | YAMLSeq {
    const t = this.t;
    const c = t.charCodeAt(p);
    let node: Scalar | YAMLMap | YAMLSeq;
    let end: number;
    if (c === PIPE || c === GT) return this.blockScalar(p, parentCol);
    if (c === LBRACK || c === LBRACE) {
      ({ node, end } = this.flow(p));
    } else if (c === DQ || c === SQ) {
      ({ node, end } = this.quoted(p));
    } else {
      if (REFUSED_START.has(c) || this.isDash(p)) throw GIVE_UP;
      const nl = t.indexOf('\n', p);
      const lineEnd = nl < 0 ? t.length : nl;
      let q = p;
      for (; q < lineEnd; q++) {
        const d = t.charCodeAt(q);
        if (d === HASH && t.charCodeAt(q - 1) === SP) break;
        if (d === COLON && (q + 1 >= lineEnd || t.charCodeAt(q + 1) === SP)) throw GIVE_UP; // a nested map on one line
        if (d === 9 || d === 13) throw GIVE_UP;
      }
      end = q;
      while (t.charCodeAt(end - 1) === SP) end--;
      node = scalar(plainValue(t.slice(p, end)), p, end, end);
    }
    const after = this.lineEnd(end);
    node.range = [node.range![0], node.range![1], after];
    this.pos = after;
    // a more indented line next would continue a plain scalar (or be an error): left to yaml
    return node;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `p`, clipped or stripped (`-`); its lines are
   * indented more than `parentCol`. Left to yaml: keep (`+`), an explicit indentation, leading empty lines,
   * whitespace-only lines longer than the indentation, and folded text with more-indented lines.
   */
  private blockScalar(p: number, parentCol: number): Scalar {
    const t = this.t;
    const folded = t.charCodeAt(p) === GT;
    let h = p + 1;
    const strip = t.charCodeAt(h) === DASH;
    if (strip) h++;
    const hc = t.charCodeAt(h);
    if (h < t.length && hc !== SP && hc !== NL) throw GIVE_UP; // keep, an indentation indicator, or junk
    let ls = this.lineEnd(h);
    const first = this.spaces(ls);
    const indent = first - ls;
    if (first >= t.length || t.charCodeAt(first) === NL || indent <= parentCol) throw GIVE_UP;
    const lines: string[] = []; // text lines without their indentation; '' for empty lines between them
    let empty = 0;
    let end = ls;
    while (ls < t.length) {
      const q = this.spaces(ls);
      const k = q - ls;
      const c = t.charCodeAt(q);
      if (q >= t.length || c === NL) {
        if (k > indent) throw GIVE_UP;
        empty++;
        ls = q + 1;
        continue;
      }
      if (k < indent) {
        if (k > parentCol) throw GIVE_UP; // less indented than the text, more than its parent: yaml's to judge
        break;
      }
      if (k > indent && folded) throw GIVE_UP;
      for (; empty > 0; empty--) lines.push('');
      const nl = t.indexOf('\n', q);
      const lineEnd = nl < 0 ? t.length : nl;
      lines.push(t.slice(ls + indent, lineEnd));
      end = nl < 0 ? t.length : nl + 1;
      ls = end;
    }
    let value: string;
    if (folded) {
      value = lines[0];
      let gap = 0;
      for (let i = 1; i < lines.length; i++) {
        if (lines[i] === '') { gap++; continue; }
        value += gap ? '\n'.repeat(gap) + lines[i] : ' ' + lines[i];
        gap = 0;
      }
    } else {
      value = lines.join('\n');
    }
    if (!strip) value += '\n';
    this.pos = end;
    return scalar(value, p, end, end);
  }

  /** A quoted scalar on one line from `p`. */
  private quoted(p: number): { node: Scalar; end: number } {
    const t = this.t;
    const q = t.charCodeAt(p);
    const nl = t.indexOf('\n', p);
    const lineEnd = nl < 0 ? t.length : nl;
    if (q === DQ) {
      const close = t.indexOf('"', p + 1);
      if (close < 0 || close > lineEnd) throw GIVE_UP;
      const body = t.slice(p + 1, close);
      if (body.includes('\\')) throw GIVE_UP;
      return { node: scalar(body, p, close + 1, close + 1), end: close + 1 };
    }
    let out = '';
    let from = p + 1;
    for (;;) {
      const close = t.indexOf("'", from);
      if (close < 0 || close > lineEnd) throw GIVE_UP;
      out += t.slice(from, close);
      if (t.charCodeAt(close + 1) === SQ) { out += "'"; from = close + 2; continue; }
      return { node: scalar(out, p, close + 1, close + 1), end: close + 1 };
    }
  }

  /** A flow sequence or map on one line from `p` (at its bracket). */
  private flow(p: number): { node: YAMLMap | YAMLSeq; end: number } {
    const t = this.t;
    const isMap = t.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACK;
    const node = isMap ? new YAMLMap() : new YAMLSeq();
    node.flow = true;
    let q = this.spaces(p + 1);
    if (t.charCodeAt(q) === close) {
      node.range = [p, q + 1, q + 1];
      return { node, end: q + 1 };
    }
    for (;;) {
      if (isMap) {
        const key = this.flowScalar(q, true);
        let r = this.spaces(key.end);
        if (t.charCodeAt(r) !== COLON) throw GIVE_UP;
        r = this.spaces(r + 1);
        const value = this.flowValue(r);
        (node as YAMLMap).items.push(new Pair(key.node, value.node));
        q = value.next;
      } else {
        const item = this.flowValue(q);
        if (t.charCodeAt(item.next) === COLON) throw GIVE_UP; // `[a: b]`
        (node as YAMLSeq).items.push(item.node);
        q = item.next;
      }
      const d = t.charCodeAt(q);
      if (d === close) {
        node.range = [p, q + 1, q + 1];
        return { node, end: q + 1 };
      }
      if (d !== COMMA) throw GIVE_UP;
      q = this.spaces(q + 1);
      if (t.charCodeAt(q) === close || t.charCodeAt(q) === COMMA) throw GIVE_UP; // a trailing comma
    }
  }

  /** A value inside a flow collection at `p`; `next` is after it and the spaces that follow. */
  private flowValue(p: number): { node: Scalar | YAMLMap | YAMLSeq; next: number } {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === LBRACK || c === LBRACE) {
      const { node, end } = this.flow(p);
      const next = this.spaces(end);
      node.range = [node.range![0], node.range![1], next];
      return { node, next };
    }
    const s = this.flowScalar(p, false);
    const next = this.spaces(s.end);
    s.node.range = [s.node.range![0], s.node.range![1], next];
    return { node: s.node, next };
  }

  /** A scalar inside a flow collection (a key when `key`): quoted, or plain up to `,` `]` `}` or `: `. */
  private flowScalar(p: number, key: boolean): { node: Scalar; end: number } {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === DQ || c === SQ) return this.quoted(p);
    if (REFUSED_START.has(c) || c === LBRACK || c === LBRACE || c === NL || p >= t.length) throw GIVE_UP;
    if (c === DASH) {
      // a plain scalar may start with `-` only before a character that is safe in a flow collection
      const e = t.charCodeAt(p + 1);
      if (p + 1 >= t.length || e === SP || e === NL || e === COMMA || e === LBRACK || e === RBRACK || e === LBRACE || e === RBRACE) throw GIVE_UP;
    }
    let q = p;
    for (; q < t.length; q++) {
      const d = t.charCodeAt(q);
      if (d === COMMA || d === RBRACK || d === RBRACE) break;
      if (d === NL || d === LBRACK || d === LBRACE || d === 9 || d === 13) throw GIVE_UP;
      if (d === HASH && t.charCodeAt(q - 1) === SP) throw GIVE_UP;
      if (d === COLON) {
        const e = t.charCodeAt(q + 1);
        if (e === SP || e === COMMA || e === RBRACK || e === RBRACE || e === NL) {
          if (key) break;
          throw GIVE_UP;
        }
      }
    }
    let end = q;
    while (t.charCodeAt(end - 1) === SP) end--;
    return { node: scalar(plainValue(t.slice(p, end)), p, end, end), end };
  }
}

/**
 * The text as a `yaml` Document (contents, values and node ranges as `parseDocument` gives them), or undefined
 * when it uses YAML this reader leaves to `yaml` (or is not well-formed).
 */
export function fastParseDocument(text: string, options: ParseOptions & DocumentOptions & SchemaOptions): Document | undefined {
  // Directives, document markers, a byte-order mark, tabs and CR line ends: left to yaml.
  if (text.charCodeAt(0) === 0xfeff || text.includes('\t') || text.includes('\r') || /^(?:---|\.\.\.|%)/m.test(text)) return undefined;
  let contents: YAMLMap;
  try {
    contents = new Reader(text).read();
  } catch (e) {
    if (e instanceof GiveUp || e instanceof RangeError) return undefined;
    throw e;
  }
  const doc = new Document(undefined, options);
  doc.contents = contents;
  doc.range = [0, contents.range![1], text.length];
  return doc;
}
