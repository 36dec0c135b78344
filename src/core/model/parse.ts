/**
 * Text -> YAML Document (with source ranges) -> plain data -> validated, partial Model plus findings.
 *
 * The file is untrusted input (a cloned repository): the size is capped before parsing, flow nesting is
 * scanned before the parser sees it, YAML is read as 1.2 with the core schema and unique keys, custom tags
 * and `__proto__`-style keys are refused, aliases are counted, and every problem is a located finding.
 * A broken file still yields every finding it can: entries that fail validation are left out of the model,
 * the rest is analysed.
 */
import { clip } from '../text/clip';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';
import type { z } from 'zod';
import { model as modelSchema, SECTION_NAMES, type Model, type Section } from './schema';
import { SourceMap } from './sourceMap';
import { describeIssue } from './issues';
import { prescan } from './prescan';
import { fastParseDocument } from './fastYaml';
import type { AnalysisSettings, Finding, FixSpec, Path, Range } from '../types';

export { DEFAULT_MAX_FILE_SIZE } from './vocabulary';
import { DEFAULT_MAX_FILE_SIZE } from './vocabulary';
export const MAX_DEPTH = 64;
export const MAX_ALIAS_EXPANSIONS = 100;
export const MAX_NODES = 500_000;
/** Nodes the pre-scan lets through for the default size cap (a 2 MiB model of real prose has far fewer). */
export const MIN_NODE_BUDGET = 200_000;
const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map(t => CORE_TAG_PREFIX + t));
/** Keys the parser refuses (`schema/reserved-key`): an entry can never have one of them as its id. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedModel {
  text: string;
  /** The YAML document, for comment-preserving edits; undefined when the text could not be parsed at all. */
  doc: Document | undefined;
  /** Plain data as read, before validation (null-prototype objects). */
  data: unknown;
  /** The entries that validated; sections are always present (possibly empty). */
  model: Model;
  /** Whether the whole file validated against the schema. */
  valid: boolean;
  source: SourceMap;
  /** Findings of parsing and schema validation. */
  findings: Finding[];
  /** Ids present in the file whose entries failed validation (they exist, so references to them are not dangling). */
  rejected: Set<string>;
}

export function emptyModel(): Model {
  return { rampart: 1, title: '', assets: {}, boundaries: {}, elements: {}, flows: {}, threats: {}, mitigations: {}, attack_trees: {} };
}

export function finding(ruleId: string, message: string, range: Range, severity: Finding['severity'] = 'error', path?: Path): Finding {
  return { ruleId, severity, message, range, path };
}

/** Where nesting (flow brackets, or block lists and maps) first passes `limit` levels, if anywhere. */
export function scanFlowDepth(text: string, limit: number): number | undefined {
  const p = prescan(text, { maxDepth: limit, maxNodes: Infinity });
  return p?.offset;
}

/** What a file is when it is not a Rampart model, from its top-level keys. */
export function foreignFormat(data: Record<string, unknown>): string | undefined {
  if ('threagile_version' in data || ('technical_assets' in data && 'trust_boundaries' in data)) {
    return 'This is a Threagile model, not a Rampart one: convert it with `rampart import --from threagile FILE`.';
  }
  if ('otmVersion' in data) return 'This is an Open Threat Model (OTM) file: convert it with `rampart import --from otm FILE`.';
  const detail = data.detail as Record<string, unknown> | undefined;
  if ('summary' in data && detail && typeof detail === 'object' && 'diagrams' in detail) {
    return 'This is a Threat Dragon model: convert it with `rampart import --from threat-dragon FILE`.';
  }
  return undefined;
}

export interface ConvertState {
  findings: Finding[];
  aliases: number;
  nodes: number;
  stopped: boolean;
  /** Maps already checked for duplicate keys (a map reached again through an alias is not reported twice). */
  checked: WeakSet<object>;
  /** The maps and lists being converted (an alias of one of them, inside it, is a value without end). */
  open?: Set<object>;
}

/**
 * The key of a map item as plain data, or undefined (with a finding) when it is refused: not a plain scalar, a
 * reserved word, or a duplicate of a key already in `out` (reported when `report`).
 */
export function plainKey(k: Node | null, out: Record<string, unknown>, report: boolean, st: Pick<ConvertState, 'findings'>, path: Path): string | undefined {
  if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number' && typeof k.value !== 'boolean')) {
    const r = (k as Node | null)?.range;
    st.findings.push(finding('schema/invalid-key', 'Keys must be plain strings; complex or null keys are not allowed.', r ? { start: r[0], end: r[1] } : { start: 0, end: 1 }, 'error', path));
    return undefined;
  }
  const key = String(k.value);
  if (RESERVED_KEYS.has(key)) {
    const r = k.range!;
    st.findings.push(finding('schema/reserved-key', `"${key}" is a reserved word in JavaScript and cannot be used as a key; rename it.`, { start: r[0], end: r[1] }, 'error', [...path, key]));
    return undefined;
  }
  if (key in out) {
    // Duplicate keys are found here, in one pass: yaml's own uniqueKeys check compares every key with
    // every other (quadratic: a 40,000-key map took half a minute).
    if (report) {
      const r = k.range!;
      st.findings.push(finding('schema/duplicate-key', YAML_MESSAGES.DUPLICATE_KEY, { start: r[0], end: Math.max(r[0] + 1, r[1]) }, 'error', [...path, key]));
    }
    return undefined;
  }
  return key;
}

/** YAML AST -> plain data with null-prototype objects, bounded depth, alias count and node count. */
export function toPlain(node: unknown, doc: Document, st: ConvertState, depth: number, path: Path): unknown {
  if (st.stopped) return undefined;
  if (++st.nodes > MAX_NODES) {
    st.stopped = true;
    st.findings.push(finding('schema/too-large', `The document expands to more than ${MAX_NODES} nodes; split the model or remove aliases.`, { start: 0, end: 1 }));
    return undefined;
  }
  if (depth > MAX_DEPTH) {
    const r = (node as Node)?.range;
    st.findings.push(finding('schema/nesting-too-deep', `Nesting deeper than ${MAX_DEPTH} levels is not a threat model; flatten this value.`, r ? { start: r[0], end: r[1] } : { start: 0, end: 1 }, 'error', path));
    st.stopped = true;
    return undefined;
  }
  if (node === null || node === undefined) return null;
  const n = node as Node;
  if (n.tag && !CORE_TAGS.has(n.tag)) {
    const r = n.range!;
    const tag = n.tag.startsWith(CORE_TAG_PREFIX) ? '!!' + n.tag.slice(CORE_TAG_PREFIX.length) : n.tag;
    st.findings.push(finding('schema/unsupported-tag', `The tag ${tag} is not supported: threat models use plain YAML values (strings, numbers, booleans, lists and maps); remove the tag.`, { start: r[0], end: r[1] }, 'error', path));
    return undefined;
  }
  if (isAlias(n)) {
    if (++st.aliases > MAX_ALIAS_EXPANSIONS) {
      const r = n.range!;
      st.findings.push(finding('schema/alias-limit', `More than ${MAX_ALIAS_EXPANSIONS} alias expansions: write the values out instead of using *aliases.`, { start: r[0], end: r[1] }, 'error', path));
      st.stopped = true;
      return undefined;
    }
    const target = n.resolve(doc);
    if (target && st.open?.has(target)) {
      // `and: &l [ {or: *l} ]`: left out with its own finding; the rest of the file is still read
      const r = n.range!;
      st.findings.push(finding('schema/nesting-too-deep', `The alias *${clip(n.source, 40)} stands for a value it is itself part of, which would nest without end; write the value out instead.`, { start: r[0], end: r[1] }, 'error', path));
      return undefined;
    }
    return toPlain(target, doc, st, depth + 1, path);
  }
  if (isScalar(n)) return n.value;
  if (isMap(n)) {
    const out: Record<string, unknown> = Object.create(null);
    const report = !st.checked.has(n);
    st.checked.add(n);
    const open = (st.open ??= new Set());
    open.add(n);
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const key = plainKey(item.key as Node | null, out, report, st, path);
      if (key === undefined) continue;
      out[key] = toPlain(item.value, doc, st, depth + 1, [...path, key]);
    }
    open.delete(n);
    return out;
  }
  if (isSeq(n)) {
    const open = (st.open ??= new Set());
    open.add(n);
    const out = n.items.map((item, i) => toPlain(item, doc, st, depth + 1, [...path, i]));
    open.delete(n);
    return out;
  }
  return undefined;
}

/**
 * A replace fix remembers the characters it was made from and the one after them: applied once, a
 * replacement that shortens (`likelihood:` of `likelihood:: x` -> `likelihood`) leaves the range holding the
 * old characters again, and only what follows tells the result from the original.
 */
export function expectFrom(fx: Extract<FixSpec, { kind: 'replace' }>, text: string): void {
  fx.expect = text.slice(fx.range.start, fx.range.end);
  fx.expectAfter = text.slice(fx.range.end, fx.range.end + 1);
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'Duplicate key: each key (and each id) may appear only once in a map; rename or merge the entries.',
  TAB_AS_INDENT: 'Tabs are not allowed for indentation in YAML; indent with spaces.',
  MULTIPLE_DOCS: 'Only one YAML document per file.',
};

/** A nesting the pre-scan did not see (the parser ran out of stack): said plainly, never as a stack trace. */
function tooDeep(text: string): Finding {
  return finding('schema/nesting-too-deep', `Lists and maps nest deeper than the YAML reader can follow; a threat model never needs more than ${MAX_DEPTH} levels. Flatten the values.`, { start: 0, end: Math.min(1, text.length) });
}

/**
 * The last bracket left unclosed before an offset, for errors that say a flow collection never ends. The
 * scanner moves forward only, so asking for every error of a file (in order) costs one pass, not one each.
 */
class BracketScanner {
  private i = 0;
  private readonly stack: number[] = [];
  private quote: string | undefined;

  constructor(private readonly text: string) {}

  unclosedBefore(end: number): number | undefined {
    if (end < this.i) { this.i = 0; this.stack.length = 0; this.quote = undefined; }
    const text = this.text;
    for (; this.i < end; this.i++) {
      const i = this.i;
      const c = text[i];
      if (this.quote) { if (c === this.quote || c === '\n') this.quote = undefined; continue; }
      if (c === '"' || c === "'") { if (i === 0 || ' [{,:'.includes(text[i - 1])) this.quote = c; }
      else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) { const nl = text.indexOf('\n', i); this.i = (nl < 0 || nl > end ? end : nl) - 1; }
      else if (c === '{' || c === '[') this.stack.push(i);
      else if ((c === '}' || c === ']') && this.stack.length) this.stack.pop();
    }
    return this.stack.length ? this.stack[this.stack.length - 1] : undefined;
  }
}

function yamlErrorFinding(e: { code: string; message: string; pos: [number, number] }, text: string, severity: Finding['severity'], brackets: BracketScanner): Finding {
  const textLength = text.length;
  if (/end with a [}\]]|must be sufficiently indented and end/.test(e.message)) {
    const open = brackets.unclosedBefore(Math.min(e.pos[0], textLength));
    if (open !== undefined) {
      const close = text[open] === '{' ? '}' : ']';
      return finding('schema/yaml-syntax', `YAML syntax error: this \`${text[open]}\` is never closed; add the matching \`${close}\`.`, { start: open, end: open + 1 }, severity);
    }
  }
  const start = Math.min(e.pos[0], textLength);
  const end = Math.max(start + 1, Math.min(e.pos[1], textLength));
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const message = YAML_MESSAGES[e.code] ?? `YAML syntax error: ${first}. Fix the YAML at this position.`;
  const ruleId = e.code === 'DUPLICATE_KEY' ? 'schema/duplicate-key' : e.code === 'TAG_RESOLVE_FAILED' ? 'schema/unsupported-tag' : 'schema/yaml-syntax';
  return finding(ruleId, message, { start, end: Math.min(end, Math.max(textLength, start)) }, severity);
}

/** The options every parse of a model uses (the incremental analyzer parses entries with the same). */
export const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = { version: '1.2', schema: 'core', uniqueKeys: false, customTags: [], strict: true, prettyErrors: false };

export interface ParseModelOptions {
  /**
   * Read the text with the fast reader first (src/core/model/fastYaml.ts: the same values and ranges, falling back
   * to \`yaml\` for anything outside its subset). Its document has no comments: for a one-shot analysis (the
   * CLI), never for a text that is edited through \`doc\`.
   */
  fastYaml?: boolean;
}

export function parseModel(text: string, settings: Pick<AnalysisSettings, 'maxFileSize'> = {}, options: ParseModelOptions = {}): ParsedModel {
  const maxSize = settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const failed = (f: Finding[]): ParsedModel => ({ text, doc: undefined, data: undefined, model: emptyModel(), valid: false, source: new SourceMap(undefined, text.length), findings: f, rejected: new Set() });

  // 1. Checks before the parser sees the text.
  const bytes = text.length > maxSize / 4 ? new TextEncoder().encode(text).length : text.length;
  if (bytes > maxSize) {
    return failed([finding('schema/file-too-large', `The file is ${bytes} bytes, over the ${maxSize}-byte limit for threat models; split the model into several files (or raise rampart.maxFileSize).`, { start: 0, end: Math.min(1, text.length) })]);
  }
  if (text.trim() === '') {
    return failed([finding('schema/empty-file', 'The file is empty: start with `rampart: 1` and a `title:` (or run "Rampart: New Threat Model" / `rampart init`).', { start: 0, end: Math.min(1, text.length) })]);
  }
  const binary = text.search(/[\u0000-\u0008\u000E-\u001A]|\uFFFD/);
  if (binary >= 0) {
    return failed([finding('schema/not-a-threat-model', 'This file is not text: it holds binary data (or is not UTF-8). A threat model is a YAML text file; check that the right file was named.', { start: binary, end: binary + 1 })]);
  }
  const problem = prescan(text, { maxDepth: MAX_DEPTH, maxNodes: Math.max(MIN_NODE_BUDGET, Math.floor(maxSize / 10)) });
  if (problem) {
    const at = { start: problem.offset, end: Math.min(problem.offset + 1, text.length) };
    if (problem.kind === 'too-many-nodes') {
      return failed([finding('schema/too-large', 'This file holds too many values for a threat model (hundreds of thousands of list items or lines); split the model into several files.', at)]);
    }
    const what = problem.kind === 'flow-depth' ? 'Brackets nest' : 'Lists and maps nest';
    return failed([finding('schema/nesting-too-deep', `${what} deeper than ${MAX_DEPTH} levels here; a threat model never needs this. Flatten the value.`, at)]);
  }

  // 2. Parse.
  const findings: Finding[] = [];
  let docs: Document[];
  try {
    const fast = options.fastYaml ? fastParseDocument(text, PARSE_OPTIONS) : undefined;
    const all = fast ? [fast] : parseAllDocuments(text, PARSE_OPTIONS);
    docs = Array.isArray(all) ? all : [];
  } catch (e) {
    if (e instanceof RangeError) return failed([tooDeep(text)]);
    return failed([finding('schema/yaml-syntax', `The YAML could not be read (${(e as Error).message.split('\n')[0]}); fix the syntax.`, { start: 0, end: Math.min(1, text.length) })]);
  }
  const doc = docs[0];
  if (!doc) return failed([finding('schema/empty-file', 'The file holds no YAML document: start with `rampart: 1` and a `title:`.', { start: 0, end: Math.min(1, text.length) })]);
  for (const extra of docs.slice(1)) {
    const r = extra.range ?? [0, 0, 0];
    findings.push(finding('schema/multiple-documents', 'Only one YAML document per file: move this document into its own *.threatmodel.yaml file, or remove the `---` separator.', { start: r[0], end: Math.max(r[0] + 1, Math.min(r[1], r[0] + 3)) }));
  }
  const source = new SourceMap(doc, text.length);
  if (doc.errors.some(e => /call stack size/i.test(e.message))) return failed([tooDeep(text)]);
  const brackets = new BracketScanner(text);
  for (const e of doc.errors) findings.push(yamlErrorFinding(e, text, 'error', brackets));
  for (const w of doc.warnings) findings.push(yamlErrorFinding(w, text, w.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning', brackets));
  const directive = /^%YAML[ \t]+(\S+)/m.exec(text);
  if (directive && directive[1] !== '1.2') {
    findings.push(finding('schema/yaml-version', `This file declares YAML ${directive[1]}; Rampart reads threat models as YAML 1.2 (where yes/no/on/off are strings). Remove the %YAML directive or make it %YAML 1.2.`, { start: directive.index, end: directive.index + directive[0].length }));
  }

  // 3. Plain data.
  const st: ConvertState = { findings, aliases: 0, nodes: 0, stopped: false, checked: new WeakSet() };
  let data: unknown;
  try {
    data = toPlain(doc.contents, doc, st, 0, []);
  } catch (e) {
    if (e instanceof RangeError) return failed([tooDeep(text)]);
    findings.push(finding('schema/yaml-syntax', `The YAML could not be read (${(e as Error).message.split('\n')[0]}).`, { start: 0, end: Math.min(1, text.length) }));
    data = undefined;
  }

  const base = { text, doc, data, source, rejected: new Set<string>() };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = data === null || data === undefined ? 'nothing' : Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    if (!findings.some(f => f.severity === 'error')) {
      findings.push(finding('schema/not-a-threat-model', `A threat model is a map with \`rampart: 1\` at the top, but this file holds ${what}.`, source.rangeFor([], 'value')));
    }
    return { ...base, model: emptyModel(), valid: false, findings };
  }
  const obj = data as Record<string, unknown>;

  // 4. Version and foreign formats.
  if (!('rampart' in obj)) {
    const foreign = foreignFormat(obj);
    findings.push(finding(foreign ? 'schema/not-a-threat-model' : 'schema/missing-version', foreign ?? 'Add `rampart: 1` as the first line: it declares the format version of this threat model.', source.rangeFor([], 'value')));
    if (foreign) return { ...base, model: emptyModel(), valid: false, findings };
  } else if (obj.rampart !== 1) {
    findings.push(finding('schema/unsupported-version', `Format version ${JSON.stringify(obj.rampart)} is not supported: this Rampart reads \`rampart: 1\`.`, source.rangeFor(['rampart'], 'value'), 'error', ['rampart']));
  }

  // 5. Schema validation: every issue becomes a located finding; failing entries are left out of the model.
  const result = modelSchema.safeParse(obj);
  const badEntries = new Set<string>();
  const badTop = new Set<string>();
  const damaged = damagedRegions(text, doc.errors.map(e => e.pos[0]));
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.path.length === 1 && issue.path[0] === 'rampart' && 'rampart' in obj) continue; // reported above
      if (issue.path.length === 0 && issue.code === 'invalid_type') continue;
      if (issue.code === 'invalid_type' && issue.path[0] === 'rampart' && !('rampart' in obj)) continue;
      for (const described of describeIssue(issue as z.core.$ZodIssue, obj, source)) {
        // A replace fix expects exactly the characters it was made from (a quoted key includes its quotes).
        for (const fx of described.fixes ?? []) if (fx.kind === 'replace') expectFrom(fx, text);
        // Schema complaints inside text the YAML parser could not read are echoes of the syntax error.
        if (!damaged(described.range.start)) findings.push(described);
      }
      const [top, entry] = issue.path as (string | number)[];
      if (typeof top === 'string' && (SECTION_NAMES as string[]).includes(top) && entry !== undefined) badEntries.add(`${top}\u0000${String(entry)}`);
      else if (typeof top === 'string') badTop.add(top);
      for (const k of (issue as { keys?: string[] }).keys ?? []) if (issue.path.length === 0) badTop.add(k);
    }
  }
  const model = buildPartialModel(obj, badEntries, badTop);
  for (const key of badEntries) base.rejected.add(key.split('\u0000')[1]);
  return { ...base, model, valid: result.success && findings.every(f => f.severity !== 'error'), findings };
}

/**
 * From the line before each syntax error to the next top-level key: the text a syntax error damages. Returns
 * a membership test. One pass over the text finds every top-level line; each error then takes a binary search
 * (scanning from every error to the end of the file made 10,000 broken lines take seconds).
 */
function damagedRegions(text: string, errorOffsets: number[]): (offset: number) => boolean {
  if (!errorOffsets.length) return () => false;
  const topLevel: number[] = []; // offsets of lines that start with neither space nor `#`
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    const c = text.charCodeAt(nl + 1);
    if (nl + 1 < text.length && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 35 && c !== 12 && c !== 11) topLevel.push(nl + 1);
  }
  const firstAfter = (off: number) => { // the first top-level line start > off
    let lo = 0, hi = topLevel.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (topLevel[mid] > off) hi = mid; else lo = mid + 1; }
    return lo < topLevel.length ? topLevel[lo] : text.length + 1;
  };
  const regions = errorOffsets.map(off => {
    const lineStart = text.lastIndexOf('\n', Math.max(0, off - 1)) + 1;
    const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
    return [prevStart, firstAfter(off)] as [number, number];
  }).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of regions) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return offset => {
    let lo = 0, hi = merged.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (merged[mid][0] <= offset) lo = mid + 1; else hi = mid; }
    return lo > 0 && offset < merged[lo - 1][1];
  };
}

export function buildPartialModel(obj: Record<string, unknown>, badEntries: Set<string>, badTop: Set<string>): Model {
  const m = emptyModel() as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    if (badTop.has(k)) continue;
    if ((SECTION_NAMES as string[]).includes(k)) {
      const section: Record<string, unknown> = {};
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [id, entry] of Object.entries(v)) if (!badEntries.has(`${k}\u0000${id}`)) section[id] = entry;
      }
      m[k as Section] = section;
    } else {
      m[k] = v;
    }
  }
  if (typeof m.title !== 'string') m.title = '';
  m.rampart = 1;
  return m as Model;
}
