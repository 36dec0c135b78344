/**
 * Incremental analysis: the same `Analysis` as `analyze(text, settings)`, computed after an edit from the
 * pieces of the text that changed.
 *
 * The text is split at its top-level keys and, inside the id-keyed sections (`threats:`, `elements:`, ...), at
 * their entries (split.ts). Each piece is parsed on its own, with the options of a full parse, and its YAML
 * nodes, plain data, conversion findings and (for entries) schema findings are kept for the piece's exact text.
 * After an edit only pieces whose text is new are parsed: a piece of the last text is found where it was, or
 * where the edit moved it, else by its text; the nodes of the others are moved to their new offsets, and the
 * document, data, model and findings are assembled from the pieces in file order, the way `parseModel` makes
 * them in one pass. Index, graph, assessments and rules then run on the assembled model
 * (`analyzeParsed`), as in a full analysis.
 *
 * Whenever the split could read the text differently from the parser, the analyzer falls back to a full
 * analysis: the split refused the text (tabs, anchors' indicators, directives, document markers, unusual
 * indentation, ...), a piece has a syntax error or a warning, is not exactly one `key: value` pair, holds an
 * anchor or an alias, or the whole text trips a size, nesting or node limit. Correctness first: the property
 * test (test/unit/incremental) compares every update with a full analysis.
 *
 * The YAML nodes of a piece are shared between successive analyses and moved in place: an `Analysis` returned
 * by `update` is valid until the next call (the language server keeps only the current version's).
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Pair, parseAllDocuments, Scalar, YAMLMap, type Node } from 'yaml';
import type { z } from 'zod';
import { analyze, analyzeParsed, type Analysis } from '../analyze';
import {
  buildPartialModel, DEFAULT_MAX_FILE_SIZE, expectFrom, finding, foreignFormat, MAX_DEPTH, MAX_NODES, MIN_NODE_BUDGET, PARSE_OPTIONS, plainKey, toPlain,
  type ConvertState, type ParsedModel,
} from '../model/parse';
import { describeIssue } from '../model/issues';
import { prescan } from '../model/prescan';
import { model as modelSchema, SECTION_NAMES, type Section } from '../model/schema';
import type { IndexCache } from '../model/index';
import { SourceMap, type Located } from '../model/sourceMap';
import type { AnalysisSettings, Finding, Path } from '../types';
import { cleanlySplit, splitModel, type Piece } from './split';
import { RuleMemo } from './memo';

type Issue = z.core.$ZodIssue;

/** One parsed piece: its nodes (at `placed`), and what conversion and validation made of it (offsets relative to the piece). */
interface PieceRecord {
  pair: Pair;
  doc: Document;
  /** The offset the nodes' ranges are currently relative to (0 when parsed). */
  placed: number;
  /** Where the piece's map ends, trailing comments of the entry included (relative to the piece). */
  rootEnd: number;
  /** The key as plain data, when it is one (conversion and validation were done under it). */
  key?: string;
  plain?: unknown;
  convFindings: Finding[];
  nodes: number;
  /** Entries: schema findings, and whether the entry failed validation. */
  schemaFindings: Finding[];
  invalid: boolean;
  /** Entries: a source map over the entry alone (its lookup caches survive updates; its nodes are the document's). */
  local?: SourceMap;
}

/** A document of its own around an entry, so paths from the root ([section, id, ...]) resolve to its nodes. */
function localSource(rec: PieceRecord, section: string, textLength: number): SourceMap {
  if (!rec.local) {
    const top = new YAMLMap();
    top.items.push(new Pair(new Scalar(section), rec.doc.contents));
    const local = new Document();
    local.contents = top;
    rec.local = new SourceMap(local, textLength);
  }
  return rec.local;
}

/**
 * The assembled document's source map: a path into an entry of a split section is looked up in that entry's
 * own source map, whose caches outlive the update (a fresh map of the whole document would index every
 * section again after each keystroke). Same nodes, same answers.
 */
class AssembledSourceMap extends SourceMap {
  constructor(doc: Document, textLength: number, private readonly entries: Map<string, Map<string, PieceRecord>>) {
    super(doc, textLength);
  }

  override locate(path: Path): Located | undefined {
    if (path.length >= 2) {
      const rec = this.entries.get(String(path[0]))?.get(String(path[1]));
      if (rec) return localSource(rec, String(path[0]), this.textLength).locate(path);
    }
    return super.locate(path);
  }
}

/** Statistics of the last update (for tests and logs). */
export interface UpdateStats {
  mode: 'incremental' | 'full';
  /** Why the last update was a full analysis. */
  reason?: string;
  parsedPieces: number;
  reusedPieces: number;
}

class Fallback extends Error {}

const SECTION_SET = new Set<string>(SECTION_NAMES);
const SHAPE_KEYS = Object.keys((modelSchema as unknown as { shape: Record<string, unknown> }).shape);

function shiftNode(node: unknown, delta: number): void {
  if (!node || typeof node !== 'object') return;
  if (isPair(node)) { shiftNode(node.key, delta); shiftNode(node.value, delta); return; }
  const n = node as Node;
  if (n.range) { n.range[0] += delta; n.range[1] += delta; n.range[2] += delta; }
  if (isMap(n) || isSeq(n)) for (const it of n.items) shiftNode(it, delta);
}

function hasAnchorOrAlias(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (isPair(node)) return hasAnchorOrAlias(node.key) || hasAnchorOrAlias(node.value);
  if (isAlias(node)) return true;
  if ((node as { anchor?: string }).anchor) return true;
  // An explicit tag (`!!binary abc`, `!!str`) changes what the value converts to; where a finding about it
  // goes depends on the whole document (the full analysis places it on the section), so it is left to it.
  if ((node as { tag?: string }).tag) return true;
  if (isMap(node) || isSeq(node)) return (node.items as unknown[]).some(hasAnchorOrAlias);
  return false;
}

const shiftRange = <T extends { start: number; end: number }>(r: T, d: number): T => ({ ...r, start: r.start + d, end: r.end + d });

function shiftFinding(f: Finding, d: number): Finding {
  if (d === 0) return f;
  const out: Finding = { ...f, range: shiftRange(f.range, d) };
  if (f.related) out.related = f.related.map(r => ({ ...r, range: shiftRange(r.range, d) }));
  if (f.fixes) out.fixes = f.fixes.map(x => (x.kind === 'replace' ? { ...x, range: shiftRange(x.range, d) } : x));
  return out;
}

/**
 * Entries in the order a JavaScript object enumerates their keys, which is the order one validation of the whole
 * model reports them in: keys that are array indices (`2024`) first, ascending, then the others as written.
 */
function inObjectOrder<T extends { key?: string }>(list: readonly T[]): readonly T[] {
  const isIndex = (k: string | undefined) => k !== undefined && /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
  if (!list.some(r => isIndex(r.key))) return list;
  const indices = list.filter(r => isIndex(r.key)).sort((a, b) => Number(a.key) - Number(b.key));
  return [...indices, ...list.filter(r => !isIndex(r.key))];
}

const newState = (): ConvertState => ({ findings: [], aliases: 0, nodes: 0, stopped: false, checked: new WeakSet() });

/**
 * A piece's text -> its record, or a Fallback when the piece is not one clean `key: value`.
 *
 * `follow` is the indentation that starts the next piece (an entry followed by another entry of its section): it is
 * parsed after the piece, as in the whole text. A block collection that ends with a comment line ends, for the
 * parser, where the next key starts, past that indentation; without it, the collection would end two characters
 * earlier than in a full parse.
 */
function parsePiece(piece: Piece, keyColumn: number, section: string | undefined, header: boolean, follow = ''): PieceRecord {
  let docs: Document[];
  try {
    docs = parseAllDocuments(piece.text + follow, PARSE_OPTIONS) as Document[];
  } catch {
    throw new Fallback('a piece could not be parsed');
  }
  if (!Array.isArray(docs) || docs.length !== 1) throw new Fallback('a piece is not one document');
  const doc = docs[0];
  if (doc.errors.length || doc.warnings.length) throw new Fallback('syntax error or warning');
  const root = doc.contents;
  if (!isMap(root) || root.flow || root.items.length !== 1 || !isPair(root.items[0])) throw new Fallback('a piece is not one key');
  const pair = root.items[0] as Pair;
  const k = pair.key as Node | null;
  if (!isScalar(k) || !k.range || k.range[0] !== keyColumn) throw new Fallback('a key is not where the split put it');
  if (hasAnchorOrAlias(pair)) throw new Fallback('anchors, aliases or explicit tags');
  const rec: PieceRecord = { pair, doc, placed: 0, rootEnd: root.range![2], convFindings: [], nodes: 0, schemaFindings: [], invalid: false };
  if (header) {
    if (!isScalar(pair.value) || pair.value.value !== null || String(k.value) !== section) throw new Fallback('a section header holds a value');
    return rec;
  }
  // The key as the full conversion would read it; a refused key is reported when the document is assembled.
  const probe = { findings: [] as Finding[] };
  const key = plainKey(k, Object.create(null), true, probe, []);
  if (key === undefined) return rec;
  rec.key = key;
  const st = newState();
  const path: Path = section === undefined ? [key] : [section, key];
  rec.plain = toPlain(pair.value, doc, st, path.length, path);
  if (st.stopped || st.aliases) throw new Fallback('conversion limit');
  rec.convFindings = st.findings;
  rec.nodes = st.nodes;
  if (section !== undefined) validateEntry(rec, section as Section, key, piece.text);
  return rec;
}

const SECTION_SCHEMAS = (modelSchema as unknown as { shape: Record<string, z.ZodType> }).shape;

/** Schema findings of one entry, as a full validation reports them (ranges relative to the piece). */
function validateEntry(rec: PieceRecord, section: Section, id: string, text: string): void {
  const input: Record<string, unknown> = Object.create(null);
  input[id] = rec.plain;
  const result = SECTION_SCHEMAS[section].safeParse(input);
  if (result.success) return;
  rec.invalid = true;
  const source = localSource(rec, section, text.length);
  const root: Record<string, unknown> = Object.create(null);
  root[section] = input;
  for (const raw of result.error.issues) {
    const issue = { ...raw, path: [section, ...raw.path] } as Issue;
    for (const described of describeIssue(issue, root, source)) {
      for (const fx of described.fixes ?? []) if (fx.kind === 'replace') expectFrom(fx, text);
      rec.schemaFindings.push(described);
    }
  }
}

/** A piece of the text and its record: the pieces of the last text are the ones the next update looks into. */
interface Held {
  start: number;
  text: string;
  kind: string;
  section: string | undefined;
  keyColumn: number;
  /** The indentation of the next piece, parsed after this one (`parsePiece`). */
  follow: string;
  rec: PieceRecord | undefined;
  /** Claimed by a piece of the new text (a record serves one piece: its nodes are moved in place). */
  taken: boolean;
}

export class IncrementalAnalyzer {
  private held: Held[] = [];
  private heldLength = 0;
  /** Results of rule computations that only depend on unchanged sections (design rules' detection). */
  private readonly rules = new RuleMemo();
  /** Where each entry's id and references are (its nodes, moved with the entry): see `buildIndex`. */
  private indexCache: IndexCache = new WeakMap();
  private last: { text: string; settingsKey: unknown; analysis: Analysis } | undefined;
  stats: UpdateStats = { mode: 'full', parsedPieces: 0, reusedPieces: 0 };

  /** The analysis of `text`, equal to `analyze(text, settings)`. */
  update(text: string, settings: AnalysisSettings = {}): Analysis {
    if (this.last && this.last.text === text && this.last.settingsKey === settings) return this.last.analysis;
    let analysis: Analysis;
    try {
      analysis = this.incremental(text, settings);
    } catch (e) {
      if (!(e instanceof Fallback)) throw e;
      this.held = [];
      this.rules.clear();
      this.indexCache = new WeakMap();
      this.stats = { mode: 'full', reason: e.message, parsedPieces: 0, reusedPieces: 0 };
      analysis = analyze(text, settings);
    }
    this.last = { text, settingsKey: settings, analysis };
    return analysis;
  }

  /** Forgets every cached piece. */
  reset(): void {
    this.held = [];
    this.rules.clear();
    this.indexCache = new WeakMap();
    this.last = undefined;
  }

  private incremental(text: string, settings: AnalysisSettings): Analysis {
    // 1. The checks a full parse makes before parsing: any of them failing is a full analysis's business.
    const maxSize = settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const bytes = text.length > maxSize / 4 ? new TextEncoder().encode(text).length : text.length;
    if (bytes > maxSize || text.trim() === '' || text.search(/[\u0000-\u0008\u000E-\u001A]|\uFFFD/) >= 0) throw new Fallback('pre-parse check');
    if (prescan(text, { maxDepth: MAX_DEPTH, maxNodes: Math.max(MIN_NODE_BUDGET, Math.floor(maxSize / 10)) })) throw new Fallback('pre-scan limit');
    const split = splitModel(text);
    if (!split) throw new Fallback('the text cannot be split safely');

    // 2. Pieces: reused by exact text, or parsed. A piece of the last text is looked for where it was (before the
    // edit) or where the edit moved it (after it); only the others are looked up by text among the pieces left.
    const before = this.held;
    const delta = text.length - this.heldLength;
    const byStart = new Map<number, Held>();
    for (const h of before) byStart.set(h.start, h);
    const wanted: { piece: Piece; held: Held }[] = [];
    const fits = (h: Held | undefined, w: Held) => !!h && !h.taken && h.kind === w.kind && h.section === w.section && h.keyColumn === w.keyColumn && h.follow === w.follow && h.text === w.text;
    const want = (piece: Piece, kind: string, keyColumn: number, section: string | undefined, follow = ''): Held => {
      const w: Held = { start: piece.start, text: piece.text, kind, section, keyColumn, follow, rec: undefined, taken: false };
      let h = byStart.get(piece.start);
      if (!fits(h, w)) h = byStart.get(piece.start - delta);
      if (fits(h, w)) { h!.taken = true; w.rec = h!.rec; }
      wanted.push({ piece, held: w });
      return w;
    };
    const plan = split.items.map(it => it.kind === 'whole'
      ? { kind: 'whole' as const, piece: it.piece, held: want(it.piece, 'w', 0, undefined) }
      : { kind: 'section' as const, section: it.section as Section, header: { piece: it.header, held: want(it.header, 'h', 0, it.section) }, entries: it.entries.map((p, i) => ({ piece: p, held: want(p, 'e', it.indent, it.section, i + 1 < it.entries.length ? ' '.repeat(it.indent) : '') })) });
    const textKey = (h: Held) => `${h.kind}\u0000${h.section ?? ''}\u0000${h.keyColumn}\u0000${h.follow}\u0000${h.text}`;
    let left: Map<string, Held[]> | undefined;
    let parsedPieces = 0;
    let reusedPieces = 0;
    for (const { piece, held: w } of wanted) {
      if (w.rec) { reusedPieces++; continue; }
      if (!left) {
        left = new Map();
        for (const h of before) if (!h.taken) { const k = textKey(h); const l = left.get(k); if (l) l.push(h); else left.set(k, [h]); }
      }
      const h = left.get(textKey(w))?.find(x => !x.taken);
      if (h) { h.taken = true; w.rec = h.rec; reusedPieces++; continue; }
      w.rec = parsePiece(piece, w.keyColumn, w.section, w.kind === 'h', w.follow);
      parsedPieces++;
    }
    // Every piece has its record: moved to where the piece now starts.
    const take = (piece: Piece, held: Held): PieceRecord => {
      const rec = held.rec!;
      if (rec.placed !== piece.start) { shiftNode(rec.pair, piece.start - rec.placed); rec.placed = piece.start; }
      return rec;
    };
    type Item =
      | { kind: 'whole'; piece: Piece; rec: PieceRecord }
      | { kind: 'section'; section: Section; header: PieceRecord; entries: { piece: Piece; rec: PieceRecord }[] };
    const items: Item[] = plan.map(it => it.kind === 'whole'
      ? { kind: 'whole', piece: it.piece, rec: take(it.piece, it.held) }
      : { kind: 'section', section: it.section, header: take(it.header.piece, it.header.held), entries: it.entries.map(e => ({ piece: e.piece, rec: take(e.piece, e.held) })) });
    this.held = wanted.map(w => w.held);
    this.heldLength = text.length;
    this.stats = { mode: 'incremental', parsedPieces, reusedPieces };

    // 3. The document, assembled from the pieces' nodes.
    const doc = new Document();
    const top = new YAMLMap();
    for (const item of items) {
      if (item.kind === 'whole') { top.items.push(item.rec.pair); continue; }
      const map = new YAMLMap();
      for (const e of item.entries) map.items.push(e.rec.pair);
      const first = item.entries[0].rec.pair.key as Node;
      const last = item.entries[item.entries.length - 1].rec.pair;
      const lastRec = item.entries[item.entries.length - 1].rec;
      map.range = [first.range![0], endOf(last), lastRec.placed + lastRec.rootEnd];
      top.items.push(new Pair(item.header.pair.key, map));
    }
    const firstKey = top.items[0].key as Node;
    const topEnd = endOf(top.items[top.items.length - 1] as Pair);
    top.range = [firstKey.range![0], topEnd, topEnd];
    doc.contents = top;
    const byId = new Map<string, Map<string, PieceRecord>>();
    const source = new AssembledSourceMap(doc, text.length, byId);

    // 4. Plain data and conversion findings, in the order of a one-pass conversion.
    const findings: Finding[] = [];
    const st = { findings };
    const data: Record<string, unknown> = Object.create(null);
    let nodes = 1;
    const splitEntries = new Map<string, PieceRecord[]>();
    for (const item of items) {
      const keyNode = (item.kind === 'whole' ? item.rec.pair.key : item.header.pair.key) as Node;
      const key = plainKey(keyNode, data, true, st, []);
      if (key === undefined) continue;
      if (item.kind === 'whole') {
        data[key] = item.rec.plain;
        nodes += item.rec.nodes;
        for (const f of item.rec.convFindings) findings.push(shiftFinding(f, item.piece.start));
        continue;
      }
      nodes++;
      const section: Record<string, unknown> = Object.create(null);
      const accepted: PieceRecord[] = [];
      for (const e of item.entries) {
        const id = plainKey(e.rec.pair.key as Node, section, true, st, [key]);
        if (id === undefined) continue;
        section[id] = e.rec.plain;
        nodes += e.rec.nodes;
        accepted.push(e.rec);
        for (const f of e.rec.convFindings) findings.push(shiftFinding(f, e.piece.start));
      }
      data[key] = section;
      splitEntries.set(key, accepted);
      byId.set(key, new Map(accepted.map(r => [r.key!, r])));
    }
    if (nodes > MAX_NODES / 2) throw new Fallback('node limit');
    const obj = data;
    const base = { text, doc, data, source, rejected: new Set<string>() };

    // 5. Version and foreign formats (as parseModel).
    if (!('rampart' in obj)) {
      const foreign = foreignFormat(obj);
      findings.push(finding(foreign ? 'schema/not-a-threat-model' : 'schema/missing-version', foreign ?? 'Add `rampart: 1` as the first line: it declares the format version of this threat model.', source.rangeFor([], 'value')));
      if (foreign) throw new Fallback('a foreign format');
    } else if (obj.rampart !== 1) {
      findings.push(finding('schema/unsupported-version', `Format version ${JSON.stringify(obj.rampart)} is not supported: this Rampart reads \`rampart: 1\`.`, source.rangeFor(['rampart'], 'value'), 'error', ['rampart']));
    }

    // 6. Validation: the top level without the split sections, then each entry's cached findings, in the
    // order of one validation of the whole model (shape order, entries in file order, unknown keys last).
    const skeleton: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(obj)) skeleton[k] = splitEntries.has(k) ? Object.create(null) : obj[k];
    for (const [k, list] of splitEntries) if (list.length > 5000) throw new Fallback('too many entries');
    const result = modelSchema.safeParse(skeleton);
    let success = result.success;
    const topIssues = result.success ? [] : result.error.issues;
    const badEntries = new Set<string>();
    const badTop = new Set<string>();
    const pieceStart = new Map<PieceRecord, number>();
    for (const item of items) if (item.kind === 'section') for (const e of item.entries) pieceStart.set(e.rec, e.piece.start);
    const topIssue = (issue: Issue) => {
      if (issue.path.length === 1 && issue.path[0] === 'rampart' && 'rampart' in obj) return;
      if (issue.path.length === 0 && issue.code === 'invalid_type') return;
      if (issue.code === 'invalid_type' && issue.path[0] === 'rampart' && !('rampart' in obj)) return;
      for (const described of describeIssue(issue, obj, source)) {
        for (const fx of described.fixes ?? []) if (fx.kind === 'replace') expectFrom(fx, text);
        findings.push(described);
      }
      const [t, entry] = issue.path as (string | number)[];
      if (typeof t === 'string' && SECTION_SET.has(t) && entry !== undefined) badEntries.add(`${t}\u0000${String(entry)}`);
      else if (typeof t === 'string') badTop.add(t);
      for (const k of (issue as { keys?: string[] }).keys ?? []) if (issue.path.length === 0) badTop.add(k);
    };
    const done = new Set<Issue>();
    for (const key of SHAPE_KEYS) {
      for (const issue of topIssues) if (issue.path[0] === key) { done.add(issue); topIssue(issue); }
      for (const rec of inObjectOrder(splitEntries.get(key) ?? [])) {
        if (!rec.invalid) continue;
        success = false;
        const d = pieceStart.get(rec)!;
        for (const f of rec.schemaFindings) findings.push(shiftFinding(f, d));
        badEntries.add(`${key}\u0000${rec.key}`);
      }
    }
    for (const issue of topIssues) if (!done.has(issue)) topIssue(issue);

    const model = buildPartialModel(obj, badEntries, badTop);
    for (const key of badEntries) base.rejected.add(key.split('\u0000')[1]);
    const parsed: ParsedModel = { ...base, model, valid: success && findings.every(f => f.severity !== 'error'), findings };
    cleanlySplit.add(parsed);
    this.rules.next(model);
    return analyzeParsed(parsed, settings, this.rules.memo, this.indexCache);
  }
}

/** Where a pair ends, as the enclosing block map's range says. */
function endOf(pair: Pair): number {
  const v = pair.value as Node | null;
  if (v?.range) return v.range[2];
  return (pair.key as Node).range![2];
}
