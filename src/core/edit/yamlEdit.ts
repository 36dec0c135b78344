/**
 * Comment-preserving edits of a YAML text: each operation locates its target through the `yaml` Document's
 * node ranges and inserts or replaces only the characters it must, in the file's own style (block or flow,
 * indentation unit, LF or CRLF). Nothing else in the file is re-serialised, so comments, key order, quoting
 * and blank lines elsewhere survive byte for byte.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Path, TextEdit } from '../types';
import { SourceMap, type Located } from '../model/sourceMap';

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

const columnOf = (text: string, offset: number) => offset - lineStart(text, offset);

/** The indentation unit of the document: the column of the first nested block key, or 2. */
export function indentUnit(doc: Document, text: string): number {
  const top = doc.contents;
  if (isMap(top)) {
    for (const pair of top.items) {
      const v = pair.value as Node | null;
      if (isMap(v) && !v.flow && v.items.length) {
        const k = v.items[0].key as Node;
        if (k?.range) return Math.max(1, columnOf(text, k.range[0]) - columnOf(text, (pair.key as Node).range![0]));
      }
    }
  }
  return 2;
}

/** Renders a value as a YAML flow expression (`{ a: 1, b: [x] }`) or a plain/quoted scalar. */
export function flowText(value: unknown): string {
  const d = new Document(value);
  const c = d.contents as Node & { flow?: boolean };
  const setFlow = (n: unknown) => {
    if (isMap(n) || isSeq(n)) {
      n.flow = true;
      for (const it of n.items) setFlow(isMap(n) ? (it as { value: unknown }).value : it);
    }
  };
  setFlow(c);
  return d.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}

/** Renders `key: value` as block YAML lines indented by `indent` spaces (without a trailing newline). */
export function blockEntry(key: string, value: unknown, indent: number, unit: number, eol: string): string {
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

/**
 * An editing session over a text: operations apply one after another (re-reading the YAML in between), and
 * `edits()` returns one minimal edit against the original text.
 */
export class YamlEditor {
  private current: string;
  /** Edits applied so far, each in the coordinates of the text it was applied to. */
  private readonly applied: TextEdit[] = [];
  private doc: Document;
  private source: SourceMap;
  readonly eol: string;

  constructor(private readonly original: string) {
    this.current = original;
    this.eol = eolOf(original);
    this.doc = parseDocument(original, { version: '1.2', schema: 'core', uniqueKeys: false });
    this.source = new SourceMap(this.doc, original.length);
  }

  get text() { return this.current; }

  private commit(edit: TextEdit) {
    this.applied.push(edit);
    this.current = applyEdits(this.current, [edit]);
    this.doc = parseDocument(this.current, { version: '1.2', schema: 'core', uniqueKeys: false });
    this.source = new SourceMap(this.doc, this.current.length);
  }

  /** Plain value at a path (or undefined). */
  get(path: Path): unknown {
    const loc = this.source.locate(path);
    if (!loc?.node) return undefined;
    return isScalar(loc.node) ? loc.node.value : (loc.node as Node).toJSON();
  }

  has(path: Path): boolean {
    return this.source.locate(path) !== undefined;
  }

  /** Sets a scalar value, replacing the existing scalar in place or inserting the key into its parent map. */
  setScalar(path: Path, value: string | number | boolean) {
    const loc = this.source.locate(path);
    if (loc && isScalar(loc.node) && loc.node.value === value) return;
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
      const [s, e] = node.range;
      this.commit({ offset: s, length: e - s, text });
      return;
    }
    const k = loc.pair!.key as Node;
    const colon = this.current.indexOf(':', k.range![1]);
    this.commit({ offset: colon + 1, length: 0, text: ' ' + text });
  }

  /** Inserts `key: value` at the end of the map at `mapPath`, creating the map (and its parents) when absent. */
  insertEntry(mapPath: Path, key: string, value: unknown) {
    const loc = this.source.locate(mapPath);
    const node = loc?.node;
    if (mapPath.length > 0 && (!loc || !node || (!isMap(node) && isScalar(node) && (node.value === null || node.value === '')))) {
      if (loc && loc.pair?.key && (!node || isScalar(node))) {
        // `section:` present but empty: drop an explicit `null`/`~`, then put the entry on the next line,
        // indented under the key (after any comment on the key's line).
        if (node?.range && node.range[1] > node.range[0]) {
          this.commit({ offset: node.range[0], length: node.range[1] - node.range[0], text: '' });
          this.insertEntry(mapPath, key, value);
          return;
        }
        const k = loc.pair.key as Node;
        const col = columnOf(this.current, k.range![0]);
        const unit = indentUnit(this.doc, this.current);
        const end = lineEnd(this.current, k.range![1]);
        this.commit({ offset: end, length: 0, text: this.eol + blockEntry(key, value, col + unit, unit, this.eol) });
        return;
      }
      this.insertEntry(mapPath.slice(0, -1), String(mapPath[mapPath.length - 1]), { [key]: value });
      return;
    }
    const map = (node ?? this.doc.contents) as YAMLMap | null;
    if (!map || !isMap(map)) {
      // empty document or not a map: append at the end
      const t = this.current;
      const sep = t.length && !t.endsWith('\n') ? this.eol : '';
      this.commit({ offset: t.length, length: 0, text: sep + blockEntry(key, value, 0, indentUnit(this.doc, t), this.eol) + this.eol });
      return;
    }
    if (map.flow) {
      const entry = `${flowText(key)}: ${flowText(value)}`;
      const lastPair = map.items[map.items.length - 1];
      if (lastPair) {
        const end = (lastPair.value as Node | null)?.range?.[1] ?? (lastPair.key as Node).range![1];
        this.commit({ offset: end, length: 0, text: `, ${entry}` });
      } else {
        const close = this.current.lastIndexOf('}', map.range![1]);
        this.commit({ offset: close, length: 0, text: ` ${entry} ` });
      }
      return;
    }
    if (map.items.length === 0) return;
    const first = map.items[0].key as Node;
    const col = columnOf(this.current, first.range![0]);
    const last = map.items[map.items.length - 1];
    const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
    const at = lineEnd(this.current, Math.max(lastEnd - 1, (last.key as Node).range![0]));
    const unit = indentUnit(this.doc, this.current);
    if (mapPath.length === 0) {
      // top level: append at the end of the file, after a blank line
      const t = this.current;
      const trimmed = t.replace(/\s+$/, '');
      const insertAt = trimmed.length;
      this.commit({ offset: insertAt, length: t.length - insertAt, text: this.eol + this.eol + blockEntry(key, value, 0, unit, this.eol) + this.eol });
      return;
    }
    this.commit({ offset: at, length: 0, text: this.eol + blockEntry(key, value, col, unit, this.eol) });
  }

  /** Appends a scalar to the sequence at `path` (flow or block), creating it as a flow list when absent. */
  appendToSeq(path: Path, item: string) {
    const loc = this.source.locate(path);
    const seq = loc?.node as YAMLSeq | null | undefined;
    if (!seq || !isSeq(seq)) {
      if (loc?.node && isScalar(loc.node) && loc.node.value !== null) {
        // a single value where a list belongs: turn it into a list
        this.setRaw(path, [loc.node.value, item]);
        return;
      }
      if (loc && loc.pair) {
        this.setRaw(path, [item]);
        return;
      }
      this.insertEntry(path.slice(0, -1), String(path[path.length - 1]), [item]);
      return;
    }
    if (seq.items.some(i => isScalar(i) && i.value === item)) return;
    if (seq.flow) {
      const close = this.current.lastIndexOf(']', seq.range![1]);
      const inner = this.current.slice(seq.range![0] + 1, close).trim();
      this.commit({ offset: close, length: 0, text: inner ? `, ${flowText(item)}` : flowText(item) });
      return;
    }
    const lastItem = seq.items[seq.items.length - 1] as Node;
    const firstItem = seq.items[0] as Node;
    const dash = this.current.lastIndexOf('-', firstItem.range![0]);
    const col = columnOf(this.current, dash);
    const at = lineEnd(this.current, lastItem.range![1] - 1);
    this.commit({ offset: at, length: 0, text: `${this.eol}${' '.repeat(col)}- ${flowText(item)}` });
  }

  /** Replaces the value at an existing path with a flow rendering of `value`. */
  private setRaw(path: Path, value: unknown) {
    this.replaceValue(this.source.locate(path)!, flowText(value));
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
