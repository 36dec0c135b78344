/**
 * Comment-preserving edits of a YAML text: each operation locates its target through the `yaml` Document's
 * node ranges and inserts or replaces only the characters it must, in the file's own style (block or flow,
 * indentation unit, LF or CRLF). Nothing else in the file is re-serialised, so comments, key order, quoting
 * and blank lines elsewhere survive byte for byte.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Alias, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Path, TextEdit } from '../types';
import { toPlain, type ConvertState } from '../model/parse';

/**
 * Thrown inside the editor when an edit cannot be made safely (the target is not a map, an alias is used as a
 * key, ...). It never leaves the edit module: `computeFixResult` turns it into a `refusal` message and
 * `computeFix` into no edits.
 */
export class EditRefusal extends Error {
  override readonly name = 'EditRefusal';
}

/** How the editor reads the text: as the model parser does (YAML 1.2, core schema), duplicate keys tolerated. */
export const EDIT_PARSE_OPTIONS = { version: '1.2', schema: 'core', uniqueKeys: false } as const;

/**
 * The plain value of a node, aliases resolved, read as the model parser reads it (complex keys left out, bounded
 * alias expansion, node count and depth). Never `toJS`: it stringifies complex keys, which costs time
 * exponential in their nesting (`? ? ? … x` froze a fix for half a minute).
 */
export function plainValue(node: Node, doc: Document, exact = false): unknown {
  const st: ConvertState = { findings: [], aliases: 0, nodes: 0, stopped: false, checked: new WeakSet() };
  const value = toPlain(node, doc, st, 0, []);
  if (st.stopped) throw new EditRefusal('The value nests too deeply or expands to too many values through aliases; edit it by hand.');
  if (exact && st.findings.length) throw new EditRefusal('The value has keys that are not plain strings, reserved words as keys (`__proto__`, `constructor`, `prototype`), duplicate keys or tags, which writing it out would lose; rename or remove them first, or edit it by hand.');
  return value;
}

interface Located {
  node: Node | null;
  pair?: Pair;
}

/** Aliases written out before one edit at most: each takes a re-read of the text. */
const MAX_ALIAS_ROUNDS = 200;
const tooManyAliases = () => new EditRefusal('Too many aliases to write out before this edit; write the values out by hand first.');

const pathText = (path: Path) => path.map(String).join('.') || 'the document';

export function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

function lineStart(text: string, offset: number): number {
  const i = text.lastIndexOf('\n', offset - 1);
  return i + 1;
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  const end = i < 0 ? text.length : i;
  return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
}

/** Column of an offset; a byte-order mark at the start of the file takes no column. */
const columnOf = (text: string, offset: number) => {
  const start = lineStart(text, offset);
  return Math.max(0, offset - start - (start === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0));
};

/** Where the line break after `offset` (at a line end) ends: past `\r\n` or `\n`, or `offset` at the end of the text. */
function afterBreak(text: string, offset: number): number {
  if (text[offset] === '\r') offset++;
  return text[offset] === '\n' ? offset + 1 : offset;
}

/**
 * Where a node's text starts with its properties: an anchor or a tag before it on the same line (`&a key: v`,
 * `- !t x`, `{&a k: 1}`) belongs to it, though the node's range starts after them.
 */
function propsStart(text: string, start: number): number {
  for (;;) {
    let end = start;
    while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    let from = end;
    while (from > 0 && !/[\s,[\]{}]/.test(text[from - 1])) from--;
    if (from === end || !/^[&!]/.test(text.slice(from, end))) return start;
    start = from;
  }
}

/**
 * Where a block map's entries start: the map's own start, which is the `?` indicator of an explicit first key
 * (`? \n`, `? key`) rather than the key after it; `first` (its first key) when the map has no position. An
 * anchor or a tag before the first key belongs to the key, but the entries align with it.
 */
function blockStart(map: YAMLMap, first: Node, text: string): number {
  return propsStart(text, map.range ? map.range[0] : first.range![0]);
}

/** The offset of the dash of a block list item whose text starts at `start`, or -1 when no dash is before it on its line. */
function dashBefore(text: string, start: number): number {
  let i = start;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return text[i - 1] === '-' ? i - 1 : -1;
}

/**
 * Where a flow item's comma ends, when one follows the item (which ends at `end`): after the comma and the
 * spaces after it, unless a comment follows them (`[a, # note`: a `#` right after `[` would not be a comment).
 * -1 when no comma follows.
 */
function commaAfter(text: string, end: number): number {
  let i = end;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] !== ',') return -1;
  let j = ++i;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return text[j] === '#' ? i : j;
}

/** The indentation unit of the document: the column of the first nested block map's entries, or 2. */
export function indentUnit(doc: Document, text: string): number {
  const top = doc.contents;
  if (isMap(top)) {
    for (const pair of top.items) {
      const v = pair.value as Node | null;
      const pk = pair.key as Node | null;
      if (isMap(v) && !v.flow && v.items.length && pk?.range) {
        const k = v.items[0].key as Node | null;
        if (k?.range) return Math.max(1, columnOf(text, blockStart(v, k, text)) - columnOf(text, blockStart(top, pk, text)));
      }
    }
  }
  return 2;
}

/**
 * Renders a value on one line as YAML that means the same in block and in flow context: a flow collection
 * (`{a: 1, b: [x]}`) or a scalar quoted wherever a flow context needs it (`"a, b"`).
 */
/**
 * Values copied from the model into new text (names in stub titles, say) lose U+FFFD: written raw it would make
 * the file read as "not text" (it marks bytes that were not UTF-8). Control characters are escaped by the
 * YAML stringifier in double quotes, so they stay as they are.
 */
function writable(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\uFFFD') ? value.replace(/\uFFFD/g, '?') : value;
  if (Array.isArray(value)) return value.map(writable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [writable(k) as string, writable(v)]));
  return value;
}

export function flowText(value: unknown): string {
  value = writable(value);
  // Rendered as the only item of a flow list, then unwrapped: scalars get the flow-context quoting, which is
  // also valid (if sometimes more than needed) in block context.
  const d = new Document([value], { version: '1.2' });
  const setFlow = (n: unknown) => {
    if (isMap(n) || isSeq(n)) {
      n.flow = true;
      for (const it of n.items) setFlow(isMap(n) ? (it as { value: unknown }).value : it);
    }
  };
  setFlow(d.contents);
  const s = d.toString({ lineWidth: 0, flowCollectionPadding: false, blockQuote: false }).trimEnd();
  const inner = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : undefined;
  // multi-line strings come out folded over several lines: JSON is valid YAML and stays on one line
  if (inner === undefined || /[\r\n]/.test(inner)) return JSON.stringify(value) ?? 'null';
  return inner;
}

/** Renders `key: value` as block YAML lines indented by `indent` spaces (without a trailing newline). */
export function blockEntry(key: string, value: unknown, indent: number, unit: number, eol: string): string {
  key = writable(key) as string;
  value = writable(value);
  const d = new Document({ [key]: value });
  // short lists of scalars read best in flow style: `stride: [spoofing]`
  const flowScalars = (n: unknown) => {
    if (isSeq(n) && n.items.every(i => isScalar(i))) n.flow = true;
    else if (isSeq(n)) n.items.forEach(flowScalars);
    else if (isMap(n)) n.items.forEach(p => flowScalars(p.value));
  };
  flowScalars(d.contents);
  const s = d.toString({ lineWidth: 0, indent: unit, flowCollectionPadding: false }).replace(/\n$/, '');
  const pad = ' '.repeat(indent);
  return s.split('\n').map(l => (l ? pad + l : l)).join(eol);
}

/** An entry as block lines, or on one line with its map value in flow style (`id: { type: process, name: A }`). */
function entryLines(key: string, value: unknown, indent: number, unit: number, eol: string, style: 'block' | 'flow'): string {
  if (style === 'block' || !value || typeof value !== 'object' || Array.isArray(value)) return blockEntry(key, value, indent, unit, eol);
  const inner = flowText(value);
  const padded = inner.startsWith('{') && inner.endsWith('}') ? `{ ${inner.slice(1, -1)} }` : inner;
  return `${' '.repeat(indent)}${flowText(key)}: ${padded}`;
}

/** Applies text edits (offsets into `text`, non-overlapping) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  return out;
}

/** The smallest single edit turning `before` into `after` (none when equal). */
export function diffEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return [{ offset: p, length: before.length - p - s, text: after.slice(p, after.length - s) }];
}

/** The first entry of a map whose key is the scalar `key` (as the model parser reads it: the first one wins). */
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair;
  }
  return undefined;
}

/**
 * An editing session over a text: operations apply one after another (re-reading the YAML in between), and
 * `edits()` returns one minimal edit against the original text.
 *
 * Aliases and anchors: an edit never reaches through them. Reads (`get`, `has`) see resolved values; before a
 * write, an alias on the path to the target (the target itself, or a map or list it lives in) is replaced by
 * its value written out, and every alias of an anchor on that path (an anchored entry, map or list we are
 * about to change) is replaced by the value it has now. Every other entry keeps its value; the anchor itself
 * stays, unreferenced.
 */
export class YamlEditor {
  private current: string;
  /** Edits applied so far, each in the coordinates of the text it was applied to. */
  private readonly applied: TextEdit[] = [];
  private doc: Document;
  readonly eol: string;

  /** The document of the original text, as read with `EDIT_PARSE_OPTIONS`. */
  readonly originalDocument: Document;

  /** `doc`, when given, must be `original` read with `EDIT_PARSE_OPTIONS` (it saves reading a large file twice). */
  constructor(private readonly original: string, doc?: Document) {
    this.current = original;
    this.eol = eolOf(original);
    this.doc = doc ?? parseDocument(original, EDIT_PARSE_OPTIONS);
    this.originalDocument = this.doc;
  }

  get text() { return this.current; }
  /** The document of the current text. */
  get document(): Document { return this.doc; }

  private commit(edit: TextEdit) {
    this.applied.push(edit);
    this.current = applyEdits(this.current, [edit]);
    this.doc = parseDocument(this.current, EDIT_PARSE_OPTIONS);
  }

  private deref(n: unknown): unknown {
    for (let i = 0; isAlias(n); i++) {
      if (i > 100) throw new EditRefusal('An alias refers to another alias too many times over.');
      n = n.resolve(this.doc);
    }
    return n;
  }

  /** The node at `path`, following aliases, with the pair that holds it when its parent is a map. */
  private locate(path: Path): Located | undefined {
    let node: unknown = this.doc.contents ?? null;
    let pair: Pair | undefined;
    for (const seg of path) {
      node = this.deref(node);
      if (isMap(node)) {
        pair = pairOf(node, String(seg));
        if (!pair) return undefined;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        pair = undefined;
        node = node.items[seg];
        if (node === undefined) return undefined;
      } else {
        return undefined;
      }
    }
    return { node: (this.deref(node) as Node | null | undefined) ?? null, pair };
  }

  private valueOf(node: Node | null): unknown {
    if (!node) return null;
    return isScalar(node) ? node.value : plainValue(node, this.doc);
  }

  /** Plain value at a path, aliases resolved (or undefined). */
  get(path: Path): unknown {
    const loc = this.locate(path);
    if (!loc?.node) return undefined;
    return this.valueOf(loc.node);
  }

  has(path: Path): boolean {
    return this.locate(path) !== undefined;
  }

  /**
   * Makes the way to `path` free of shared nodes before a write: an alias on the path (or at its end) is
   * written out as its value, and the aliases of any anchored node on the path are written out as the value
   * they have now, so changing that node changes nothing else.
   */
  private prepare(path: Path) {
    for (let round = 0; ; round++) {
      if (round > MAX_ALIAS_ROUNDS) throw tooManyAliases();
      const chain: Node[] = [];
      let node: unknown = this.doc.contents;
      let alias: Alias | undefined;
      for (let i = 0; ; i++) {
        if (isAlias(node)) { alias = node; break; }
        if (!node || typeof node !== 'object') break;
        chain.push(node as Node);
        if (i === path.length) break;
        const seg = path[i];
        if (isMap(node)) node = pairOf(node, String(seg))?.value;
        else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
        else break;
      }
      alias ??= this.aliasOfAny(chain.filter(n => n.anchor));
      if (!alias) return;
      this.materialise(alias);
    }
  }

  /** The first alias in the document that refers to one of `targets`, leaving out those inside `except` (offsets). */
  private aliasOfAny(targets: Node[], except?: readonly [number, number]): Alias | undefined {
    if (!targets.length) return undefined;
    let found: Alias | undefined;
    let keyAlias = false;
    visit(this.doc, {
      Alias: (key, a) => {
        if (except && a.range && a.range[0] >= except[0] && a.range[1] <= except[1]) return undefined;
        if (!targets.includes(a.resolve(this.doc) as Node)) return undefined;
        found = a;
        keyAlias = key === 'key';
        return visit.BREAK;
      },
    });
    if (found && keyAlias) throw new EditRefusal(`The alias *${found.source} is used as a key; write it out by hand before editing the value it refers to.`);
    return found;
  }

  /** Replaces an alias by its value, written out on one line. */
  private materialise(a: Alias) {
    const target = a.resolve(this.doc);
    if (!target || !a.range) throw new EditRefusal(`The alias *${a.source} refers to no anchor.`);
    let value: unknown;
    try {
      value = plainValue(target, this.doc, true);
    } catch (e) {
      throw e instanceof EditRefusal ? new EditRefusal(`This edit needs the alias *${a.source} written out as its value. ${e.message}`) : e;
    }
    this.commit({ offset: a.range[0], length: a.range[1] - a.range[0], text: flowText(value) });
  }

  /** Sets a scalar value, replacing the existing value in place or inserting the key into its parent map. */
  setScalar(path: Path, value: string | number | boolean) {
    const before = this.locate(path);
    if (before && isScalar(before.node) && before.node.value === value) return;
    this.prepare(path);
    const loc = this.locate(path);
    if (loc && (loc.node || loc.pair?.key)) {
      this.replaceValue(loc, flowText(value));
      return;
    }
    this.insertEntry(path.slice(0, -1), String(path[path.length - 1]), value);
  }

  /**
   * Writes `text` as the value of an existing entry: replaces the value's characters, or, for `key:` with no
   * value (an implicit null, maybe followed by a comment), puts it right after the colon so the comment stays.
   */
  private replaceValue(loc: Located, text: string) {
    const node = loc.node;
    if (node?.range && node.range[1] > node.range[0]) {
      const [s] = node.range;
      // a block collection or block scalar ends after its last line break: keep the line breaks
      let e = node.range[1];
      while (e > s && /\s/.test(this.current[e - 1])) e--;
      this.commit({ offset: s, length: e - s, text });
      return;
    }
    const k = loc.pair?.key as Node | null | undefined;
    if (!k?.range) throw new EditRefusal('The value to replace has no position in the text.');
    const colon = this.current.indexOf(':', k.range[1]);
    if (colon < 0 || this.current.slice(k.range[1], colon).trim() !== '') {
      // a key without a colon (`{ a, b: 1 }`): give it one
      this.commit({ offset: k.range[1], length: 0, text: ': ' + text });
      return;
    }
    this.commit({ offset: colon + 1, length: 0, text: ' ' + text });
  }

  /** Inserts `key: value` at the end of the map at `mapPath`, creating the map (and its parents) when absent. */
  insertEntry(mapPath: Path, key: string, value: unknown, style: 'block' | 'flow' = 'block') {
    this.prepare(mapPath);
    const loc = this.locate(mapPath);
    const node = loc?.node;
    if (mapPath.length > 0 && (!loc || !node || (isScalar(node) && (node.value === null || node.value === '')))) {
      if (loc && loc.pair?.key && (!node || isScalar(node))) {
        // `section:` present but empty: drop an explicit `null`/`~`, then put the entry on the next line,
        // indented under the key (after any comment on the key's line).
        if (node?.range && node.range[1] > node.range[0]) {
          this.commit({ offset: node.range[0], length: node.range[1] - node.range[0], text: '' });
          this.insertEntry(mapPath, key, value);
          return;
        }
        const k = loc.pair.key as Node;
        if (!k.range) throw new EditRefusal(`${pathText(mapPath)} has no position in the text.`);
        const col = columnOf(this.current, k.range[0]);
        const unit = indentUnit(this.doc, this.current);
        const end = lineEnd(this.current, k.range[1]);
        this.commit({ offset: end, length: 0, text: this.eol + blockEntry(key, value, col + unit, unit, this.eol) });
        return;
      }
      if (loc) throw new EditRefusal(`${pathText(mapPath)} is an empty list item, not a map: "${key}" cannot be added to it.`);
      this.insertEntry(mapPath.slice(0, -1), String(mapPath[mapPath.length - 1]), { [key]: value });
      return;
    }
    const map = mapPath.length ? node : this.doc.contents;
    if (!map || (isScalar(map) && map.value === null && mapPath.length === 0)) {
      // empty document (maybe just `---`): the entry is its first content
      this.appendTopLevel(blockEntry(key, value, 0, 2, this.eol));
      return;
    }
    if (!isMap(map)) {
      throw new EditRefusal(`${mapPath.length ? pathText(mapPath) : 'The document'} is ${isSeq(map) ? 'a list' : 'a single value'}, not a map: "${key}" cannot be added to it.`);
    }
    if (map.flow) {
      const entry = `${flowText(key)}: ${flowText(value)}`;
      const lastPair = map.items[map.items.length - 1];
      if (lastPair) {
        this.commit({ offset: this.pairEnd(lastPair as Pair, mapPath), length: 0, text: `, ${entry}` });
      } else {
        const close = this.current.lastIndexOf('}', map.range![1] - 1);
        this.commit({ offset: close, length: 0, text: ` ${entry} ` });
      }
      return;
    }
    if (map.items.length === 0) throw new EditRefusal(`${pathText(mapPath)} is an empty map with no position for a new entry.`);
    const first = map.items[0].key as Node | null;
    const last = map.items[map.items.length - 1];
    const lastKey = last.key as Node | null;
    if (!first?.range || !lastKey?.range) throw new EditRefusal(`${pathText(mapPath)} has entries without a key.`);
    // the column of the map's entries: where the map starts, which is the `?` of an explicit first key
    // (`? \n` or `? key`), not the key after it
    const col = columnOf(this.current, blockStart(map, first, this.current));
    const unit = indentUnit(this.doc, this.current);
    if (mapPath.length === 0) {
      // top level: after the last section (and the comments after it), at the column of the other sections
      this.appendTopLevel(blockEntry(key, value, col, unit, this.eol));
      return;
    }
    const at = lineEnd(this.current, Math.max(this.pairEnd(last as Pair, mapPath) - 1, lastKey.range[0]));
    if (this.inOpenBlockScalar(at)) {
      // after the last entry would end a block scalar the file ends in without a line break: before it instead
      const lineStart = this.current.lastIndexOf('\n', lastKey.range[0] - 1) + 1;
      this.commit({ offset: lineStart, length: 0, text: entryLines(key, value, col, unit, this.eol, style) + this.eol });
      return;
    }
    this.commit({ offset: at, length: 0, text: this.eol + entryLines(key, value, col, unit, this.eol, style) });
  }

  /**
   * Where an entry ends in the text: after its value (for a block collection, after its last entry), or, when
   * the value is empty (`key:` maybe followed by a comment, whose empty node the parser places after the
   * comment, even on a later line), after the key and its colon.
   */
  private pairEnd(pair: Pair, where: Path): number {
    const k = pair.key as Node | null;
    if (!k?.range) throw new EditRefusal(`An entry of ${pathText(where)} has no key.`);
    const colon = /^[ \t]*:/.exec(this.current.slice(k.range[1]));
    return this.valueEnd(pair.value, colon ? k.range[1] + colon[0].length : k.range[1], where);
  }

  /** Where a value ends in the text (see `pairEnd`), or `fallback` when it is empty. */
  private valueEnd(v: unknown, fallback: number, where: Path): number {
    if ((isMap(v) || isSeq(v)) && !v.flow && v.items.length) {
      const last = v.items[v.items.length - 1];
      if (isPair(last)) return this.pairEnd(last as Pair, where);
      const r = (last as Node | null)?.range;
      if (!r) throw new EditRefusal(`An item of ${pathText(where)} has no position in the text.`);
      return this.valueEnd(last, r[0], where);
    }
    const r = (v as Node | null)?.range;
    return r && r[1] > r[0] ? r[1] : fallback;
  }

  /**
   * Adds top-level lines at the end of the document, after a blank line: at the end of the file, or before a
   * document end marker (`...`) or a next document (`---`) so they stay in this document.
   */
  private appendTopLevel(lines: string) {
    const t = this.current;
    const contentsEnd = (this.doc.contents as Node | null)?.range?.[1] ?? 0;
    const marker = /^(?:\.\.\.|---)(?=[ \t\r\n]|$)/m.exec(t.slice(contentsEnd));
    const limit = marker ? contentsEnd + marker.index : t.length;
    const insertAt = t.slice(0, limit).replace(/\s+$/, '').length;
    const top = this.doc.contents;
    if (this.inOpenBlockScalar(insertAt) && isMap(top) && top.items.length) {
      // The file ends inside a block scalar without a line break: a line break after it would become part of
      // its value (and the spaces it ends with would go). The new section goes before the last one instead.
      const lastKey = (top.items[top.items.length - 1] as Pair).key as Node | null;
      if (lastKey?.range) {
        const lineStart = t.lastIndexOf('\n', lastKey.range[0] - 1) + 1;
        this.commit({ offset: lineStart, length: 0, text: lines + this.eol + this.eol });
        return;
      }
    }
    const lead = insertAt === 0 ? '' : this.eol + this.eol;
    this.commit({ offset: insertAt, length: limit - insertAt, text: lead + lines + this.eol });
  }

  /**
   * Whether text written at `offset` (only white space follows it) would change the value the file ends in: a
   * block scalar (`|`, `>`) that ends the file without a line break, or a plain scalar that runs into the white
   * space after `offset` (the YAML reader keeps a lone carriage return at the end of the file in the value:
   * `attack_trees: null\r` is the text `null\r`, and a line break after it would make it null).
   */
  private inOpenBlockScalar(offset: number): boolean {
    const t = this.current;
    if (t.slice(offset).trim() !== '') return false;
    const endsWithBreak = /[\r\n]\s*$/.test(t);
    let found = false;
    visit(this.doc, {
      Scalar(_, node) {
        if (!node.range) return;
        if (node.range[1] > offset) found = true;
        else if (!endsWithBreak && (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') && node.range[1] >= offset) found = true;
      },
    });
    return found;
  }

  /** Appends a scalar to the sequence at `path` (flow or block), creating it as a flow list when absent. */
  appendToSeq(path: Path, item: string) {
    const found = this.locate(path);
    if (found?.node && isSeq(found.node) && found.node.items.some(i => isScalar(this.deref(i)) && (this.deref(i) as { value: unknown }).value === item)) return;
    if (found?.node && isScalar(found.node) && found.node.value === item) return;
    this.prepare(path);
    const loc = this.locate(path);
    const seq = loc?.node as YAMLSeq | null | undefined;
    if (!seq || !isSeq(seq)) {
      if (loc?.node && isScalar(loc.node) && loc.node.value !== null && loc.node.value !== '') {
        // a single value where a list belongs: turn it into a list
        this.replaceValue(loc, flowText([loc.node.value, item]));
        return;
      }
      if (loc?.node && !isScalar(loc.node)) throw new EditRefusal(`${pathText(path)} is a map, not a list: "${item}" cannot be added to it.`);
      if (loc?.pair) {
        this.replaceValue(loc, flowText([item]));
        return;
      }
      if (loc) throw new EditRefusal(`${pathText(path)} is an empty list item, not a list.`);
      this.insertEntry(path.slice(0, -1), String(path[path.length - 1]), [item]);
      return;
    }
    if (seq.flow) {
      const lastItem = seq.items[seq.items.length - 1] as Node | Pair | undefined;
      if (lastItem) {
        // right after the last item, so a trailing comma (`[a,]`) or a comment after it stays where it is
        const end = isPair(lastItem) ? this.pairEnd(lastItem, path) : lastItem.range?.[1];
        if (end === undefined) throw new EditRefusal(`The last item of ${pathText(path)} has no position in the text.`);
        this.commit({ offset: end, length: 0, text: `, ${flowText(item)}` });
        return;
      }
      const open = seq.range![0];
      const close = this.current.lastIndexOf(']', seq.range![1] - 1);
      const inner = this.current.slice(open + 1, close);
      if (inner.trim() === '') this.commit({ offset: close, length: 0, text: flowText(item) });
      // only a comment inside (`[ # none yet`): the item goes before it
      else this.commit({ offset: open + 1, length: 0, text: flowText(item) + (/^\s/.test(inner) ? '' : ' ') });
      return;
    }
    const lastItem = seq.items[seq.items.length - 1] as Node | null;
    const firstItem = seq.items[0] as Node | null;
    if (!firstItem?.range || !lastItem?.range) throw new EditRefusal(`${pathText(path)} has items without a position in the text.`);
    const lastEnd = this.valueEnd(lastItem, lastItem.range[0], path);
    const dash = this.current.lastIndexOf('-', firstItem.range[0]);
    if (seq.items.every(i => isScalar(i) && i.value === null && !i.source)) {
      // only empty dashes (`- # none yet`): the list is meant to be empty, so the item fills the first dash
      this.commit({ offset: dash + 1, length: 0, text: ` ${flowText(item)}` });
      return;
    }
    const col = columnOf(this.current, dash);
    const at = lineEnd(this.current, Math.max(lastEnd - 1, lastItem.range[0]));
    this.commit({ offset: at, length: 0, text: `${this.eol}${' '.repeat(col)}- ${flowText(item)}` });
  }

  /**
   * Removes the entry at `path` (a key of a map) with its value; nothing when it is absent. In a block map its
   * whole lines go (see `blockLines`). Comment lines above it stay: they may head a group of entries, and a
   * comment left over is easier to spot than one lost. In a flow map the pair and one comma go. A map left
   * empty is written `{}`, since a bare `key:` would read as null.
   */
  removeEntry(path: Path) {
    if (!path.length) throw new EditRefusal('The document itself cannot be removed.');
    if (!this.has(path)) return;
    const mapPath = path.slice(0, -1);
    const key = String(path[path.length - 1]);
    this.prepare(mapPath);
    const find = () => {
      const map = this.locate(mapPath)?.node;
      const pair = isMap(map) ? pairOf(map, key) : undefined;
      if (!isMap(map) || !pair) throw new EditRefusal(`${pathText(path)} could not be found again after an alias was written out; edit it by hand.`);
      return { map, pair, span: this.itemSpan(pair, mapPath) };
    };
    this.keepAliasesInto(() => {
      const { pair, span } = find();
      return { nodes: [pair.key, pair.value], span };
    });
    const { map, pair, span } = find();
    if (map.flow) {
      this.removeFlowItem(map, map.items.indexOf(pair), mapPath);
      return;
    }
    const [from, to] = this.blockLines(span[0], span[1], `The entry ${pathText(path)}`);
    this.commit({ offset: from, length: to - from, text: '' });
    if (map.items.length === 1 && mapPath.length) this.writeEmpty(mapPath, '{}');
  }

  /**
   * Removes item `index` of the list at `path`: in block style its whole lines (see `blockLines`), in flow
   * style the item and one comma. A list left empty is written `[]`.
   */
  removeSeqItem(path: Path, index: number) {
    this.prepare(path);
    const find = () => {
      const seq = this.locate(path)?.node;
      if (!isSeq(seq) || !Number.isInteger(index) || index < 0 || index >= seq.items.length) throw new EditRefusal(`${pathText(path)} has no item ${index + 1}.`);
      const item = seq.items[index];
      return { seq, item, span: this.itemSpan(item, path) };
    };
    this.keepAliasesInto(() => {
      const { item, span } = find();
      return { nodes: isPair(item) ? [item.key, item.value] : [item], span };
    });
    const { seq, span } = find();
    if (seq.flow) {
      this.removeFlowItem(seq, index, path);
      return;
    }
    const dash = dashBefore(this.current, span[0]);
    if (dash < 0) throw new EditRefusal(`Item ${index + 1} of ${pathText(path)} does not follow its dash on the same line; edit it by hand.`);
    const [from, to] = this.blockLines(dash, span[1], `Item ${index + 1} of ${pathText(path)}`);
    this.commit({ offset: from, length: to - from, text: '' });
    if (seq.items.length === 1) this.writeEmpty(path, '[]');
  }

  /**
   * Makes the list at `path` hold `items`. When they are the old items with some taken out and others added at
   * the end, only those change (the rest keeps its lines, comments and style); otherwise the list is written
   * anew in its style (a block list stays a block list). An absent list is added in flow style (`[a, b]`).
   */
  setList(path: Path, items: readonly string[]) {
    const loc = this.locate(path);
    if (!loc?.node || !isSeq(loc.node)) {
      if (!loc) {
        this.insertEntry(path.slice(0, -1), String(path[path.length - 1]), [...items]);
        return;
      }
      this.prepare(path);
      this.replaceValue(this.locate(path)!, flowText([...items]));
      return;
    }
    const old = plainValue(loc.node, this.doc) as unknown[];
    if (old.length === items.length && old.every((v, i) => v === items[i])) return;
    const kept = old.filter(v => items.includes(v as string));
    const added = items.filter(v => !old.includes(v));
    const unique = (a: readonly unknown[]) => new Set(a).size === a.length;
    if (unique(old) && unique(items) && [...kept, ...added].every((v, i) => v === items[i])) {
      // added first: appending leaves the indices of the items to remove as they are
      for (const v of added) this.appendToSeq(path, v);
      for (let i = old.length - 1; i >= 0; i--) if (!items.includes(old[i] as string)) this.removeSeqItem(path, i);
      return;
    }
    this.prepare(path);
    const seq = this.locate(path)!.node as YAMLSeq;
    const first = seq.items[0] as Node | null;
    if (seq.flow || !items.length || !first?.range) {
      this.replaceValue(this.locate(path)!, flowText([...items]));
      return;
    }
    const dash = dashBefore(this.current, propsStart(this.current, first.range[0]));
    if (dash < 0) throw new EditRefusal(`The items of ${pathText(path)} do not follow their dashes on the same line; edit it by hand.`);
    const end = this.valueEnd(seq, dash, path);
    const lines = items.map(i => `- ${flowText(i)}`).join(this.eol + ' '.repeat(columnOf(this.current, dash)));
    this.commit({ offset: dash, length: end - dash, text: lines });
  }

  /**
   * Replaces characters of the current text, for edits worked out elsewhere on this very text (a rename's
   * occurrences, from the analysis). The edits must not overlap; the text is read again once, after all of them.
   */
  replaceRanges(edits: readonly TextEdit[]) {
    const sorted = [...edits].sort((a, b) => b.offset - a.offset);
    let limit = this.current.length;
    for (const e of sorted) {
      if (e.offset < 0 || e.length < 0 || e.offset + e.length > limit) throw new EditRefusal('Edits overlap or fall outside the text.');
      limit = e.offset;
    }
    for (const e of sorted) {
      this.applied.push(e);
      this.current = applyEdits(this.current, [e]);
    }
    if (sorted.length) this.doc = parseDocument(this.current, EDIT_PARSE_OPTIONS);
  }

  /** Where an entry (a pair) or a list item starts and ends in the text, with the anchor or tag before it. */
  private itemSpan(item: unknown, where: Path): [number, number] {
    const node = (isPair(item) ? item.key : item) as Node | null;
    if (!node?.range) throw new EditRefusal(`An entry of ${pathText(where)} has no position in the text.`);
    const end = isPair(item) ? this.pairEnd(item as Pair, where) : this.valueEnd(node, node.range[0], where);
    return [propsStart(this.current, node.range[0]), end];
  }

  /**
   * The text of a block entry or list item to remove: its whole lines, from the line where `start` (its key or
   * dash, which must begin the line) is to the line where it ends (`end`) and its line break, then the comment
   * lines right after it that are indented under it.
   */
  private blockLines(start: number, end: number, what: string): [number, number] {
    const t = this.current;
    const from = lineStart(t, start);
    if (t.slice(from, start).trim() !== '') throw new EditRefusal(`${what} shares its line with other text (\`- key: value\`, \`? key\`); edit it by hand.`);
    const col = columnOf(t, start);
    let to = afterBreak(t, lineEnd(t, Math.max(end - 1, start)));
    while (to < t.length) {
      const line = t.slice(to, lineEnd(t, to));
      if (!/^[ \t]*#/.test(line) || line.search(/\S/) <= col) break;
      to = afterBreak(t, to + line.length);
    }
    return [from, to];
  }

  /**
   * Removes item `index` of a flow map or list (`{ a: 1, b: 2 }`, `[a, b]`) and one comma: the one after it, or
   * for the last item the one before it. An emptied collection is written `{}` or `[]`.
   */
  private removeFlowItem(coll: YAMLMap | YAMLSeq, index: number, where: Path) {
    const t = this.current;
    const [start, end] = this.itemSpan(coll.items[index], where);
    const comma = commaAfter(t, end);
    if (coll.items.length === 1) {
      if (!coll.range) throw new EditRefusal(`${pathText(where)} has no position in the text.`);
      const open = coll.range[0];
      const close = t.lastIndexOf(isMap(coll) ? '}' : ']', coll.range[1] - 1);
      const upTo = comma >= 0 && comma <= close ? comma : end;
      if ((t.slice(open + 1, start) + t.slice(upTo, close)).trim() === '') this.commit({ offset: open + 1, length: close - open - 1, text: '' });
      else this.commit({ offset: start, length: upTo - start, text: '' });
      return;
    }
    if (comma >= 0) {
      this.commit({ offset: start, length: comma - start, text: '' });
      return;
    }
    const [, prevEnd] = this.itemSpan(coll.items[index - 1], where);
    const between = t.slice(prevEnd, start);
    const before = /^\s*,/.exec(between);
    if (!before) throw new EditRefusal(`The items of ${pathText(where)} are not separated by commas as expected; edit it by hand.`);
    if (!between.includes('#')) {
      this.commit({ offset: prevEnd, length: end - prevEnd, text: '' });
      return;
    }
    // a comment between the comma and the item stays
    this.commit({ offset: start, length: end - start, text: '' });
    this.commit({ offset: prevEnd + before[0].length - 1, length: 1, text: '' });
  }

  /**
   * Before text is removed: an alias elsewhere that refers to an anchor inside it (`base: &b {...}` removed,
   * `api: *b` kept) is written out as its value, so what stays keeps its value. `removed` locates the nodes
   * and their text again after each alias written out.
   */
  private keepAliasesInto(removed: () => { nodes: unknown[]; span: [number, number] }) {
    for (let round = 0; ; round++) {
      if (round > MAX_ALIAS_ROUNDS) throw tooManyAliases();
      const { nodes, span } = removed();
      const anchored: Node[] = [];
      for (const n of nodes) {
        if (n && typeof n === 'object') visit(n as Node, { Node: (_, x) => { if (x.anchor) anchored.push(x); } });
      }
      const alias = this.aliasOfAny(anchored, span);
      if (!alias) return;
      this.materialise(alias);
    }
  }

  /** Writes `{}` or `[]` as the value of `path` once its last entry or item is gone (a bare `key:` reads as null). */
  private writeEmpty(path: Path, text: string) {
    const loc = this.locate(path);
    const empty = !loc?.node || (isScalar(loc.node) && loc.node.value === null);
    if (!loc?.pair || !empty) throw new EditRefusal(`${pathText(path)} would be left empty where \`${text}\` cannot be written; edit it by hand.`);
    this.replaceValue(loc, text);
  }

  /**
   * The edits against the original text: one per operation when they touch separate places (so nothing
   * between them is rewritten), else one minimal edit.
   */
  edits(): TextEdit[] {
    const mapped: TextEdit[] = []; // original coordinates, sorted, non-overlapping
    const fallback = () => diffEdit(this.original, this.current);
    for (const e of this.applied) {
      let delta = 0;
      let i = 0;
      let merged = false;
      for (; i < mapped.length; i++) {
        const p = mapped[i];
        const curStart = p.offset + delta;
        const curEnd = curStart + p.text.length;
        if (e.offset + e.length <= curStart && !(e.length === 0 && e.offset === curStart)) break;
        if (e.length === 0 && (e.offset === curEnd || e.offset === curStart)) {
          p.text = e.offset === curEnd ? p.text + e.text : e.text + p.text;
          merged = true;
          break;
        }
        if (e.offset >= curEnd) { delta += p.text.length - p.length; continue; }
        return fallback(); // the edit overlaps text an earlier edit wrote
      }
      if (!merged) mapped.splice(i, 0, { offset: e.offset - delta, length: e.length, text: e.text });
    }
    if (applyEdits(this.original, mapped) !== this.current) return fallback();
    return mapped.filter(e => e.length || e.text);
  }
}
