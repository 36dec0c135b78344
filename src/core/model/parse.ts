/**
 * Text -> YAML Document (with source ranges) -> plain data -> validated, partial Model plus findings.
 *
 * The file is untrusted input (a cloned repository): the size is capped before parsing, flow nesting is
 * scanned before the parser sees it, YAML is read as 1.2 with the core schema and unique keys, custom tags
 * and `__proto__`-style keys are refused, aliases are counted, and every problem is a located finding.
 * A broken file still yields every finding it can: entries that fail validation are left out of the model,
 * the rest is analysed.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { model as modelSchema, SECTION_NAMES, type Model, type Section } from './schema';
import { SourceMap } from './sourceMap';
import { describeIssue } from './issues';
import type { AnalysisSettings, Finding, Path, Range } from '../types';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIAS_EXPANSIONS = 100;
const MAX_NODES = 500_000;
const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map(t => CORE_TAG_PREFIX + t));
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

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

function finding(ruleId: string, message: string, range: Range, severity: Finding['severity'] = 'error', path?: Path): Finding {
  return { ruleId, severity, message, range, path };
}

/** The deepest `[`/`{` nesting, ignoring quoted strings and comments; returns the offset where `limit` is passed. */
export function scanFlowDepth(text: string, limit: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (prev === undefined || ' \t\n[{,:-'.includes(prev)) quote = c;
    } else if (c === '#') {
      const prev = text[i - 1];
      if (prev === undefined || prev === ' ' || prev === '\t' || prev === '\n') {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl;
      }
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** What a file is when it is not a Rampart model, from its top-level keys. */
function foreignFormat(data: Record<string, unknown>): string | undefined {
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

interface ConvertState {
  findings: Finding[];
  aliases: number;
  nodes: number;
  stopped: boolean;
}

/** YAML AST -> plain data with null-prototype objects, bounded depth, alias count and node count. */
function toPlain(node: unknown, doc: Document, st: ConvertState, depth: number, path: Path): unknown {
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
    return toPlain(target, doc, st, depth + 1, path);
  }
  if (isScalar(n)) return n.value;
  if (isMap(n)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const k = item.key as Node | null;
      if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number' && typeof k.value !== 'boolean')) {
        const r = (k as Node | null)?.range;
        st.findings.push(finding('schema/invalid-key', 'Keys must be plain strings; complex or null keys are not allowed.', r ? { start: r[0], end: r[1] } : { start: 0, end: 1 }, 'error', path));
        continue;
      }
      const key = String(k.value);
      if (RESERVED_KEYS.has(key)) {
        const r = k.range!;
        st.findings.push(finding('schema/reserved-key', `"${key}" is a reserved word in JavaScript and cannot be used as a key; rename it.`, { start: r[0], end: r[1] }, 'error', [...path, key]));
        continue;
      }
      if (key in out) continue; // duplicate: reported by the parser (uniqueKeys)
      out[key] = toPlain(item.value, doc, st, depth + 1, [...path, key]);
    }
    return out;
  }
  if (isSeq(n)) return n.items.map((item, i) => toPlain(item, doc, st, depth + 1, [...path, i]));
  return undefined;
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'Duplicate key: each key (and each id) may appear only once in a map; rename or merge the entries.',
  TAB_AS_INDENT: 'Tabs are not allowed for indentation in YAML; indent with spaces.',
  MULTIPLE_DOCS: 'Only one YAML document per file.',
};

/** The offset of the last bracket of `open` kind left unclosed before `end`, if any. */
function unclosedBracket(text: string, end: number): number | undefined {
  const stack: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = undefined; else if (c === '\n') quote = undefined; continue; }
    if (c === '"' || c === "'") { if (i === 0 || ' [{,:'.includes(text[i - 1])) quote = c; }
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) { const nl = text.indexOf('\n', i); i = nl < 0 ? end : nl; }
    else if (c === '{' || c === '[') stack.push(i);
    else if ((c === '}' || c === ']') && stack.length) stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : undefined;
}

function yamlErrorFinding(e: { code: string; message: string; pos: [number, number] }, text: string, severity: Finding['severity']): Finding {
  const textLength = text.length;
  if (/end with a [}\]]|must be sufficiently indented and end/.test(e.message)) {
    const open = unclosedBracket(text, Math.min(e.pos[0], textLength));
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

export function parseModel(text: string, settings: Pick<AnalysisSettings, 'maxFileSize'> = {}): ParsedModel {
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
  const deep = scanFlowDepth(text, MAX_DEPTH);
  if (deep !== undefined) {
    return failed([finding('schema/nesting-too-deep', `Brackets nest deeper than ${MAX_DEPTH} levels here; a threat model never needs this. Flatten the value.`, { start: deep, end: deep + 1 })]);
  }

  // 2. Parse.
  const findings: Finding[] = [];
  let docs: Document[];
  try {
    const all = parseAllDocuments(text, { version: '1.2', schema: 'core', uniqueKeys: true, customTags: [], strict: true, prettyErrors: false });
    docs = Array.isArray(all) ? all : [];
  } catch (e) {
    return failed([finding('schema/yaml-syntax', `The YAML could not be read (${(e as Error).message.split('\n')[0]}); fix the syntax.`, { start: 0, end: Math.min(1, text.length) })]);
  }
  const doc = docs[0];
  if (!doc) return failed([finding('schema/empty-file', 'The file holds no YAML document: start with `rampart: 1` and a `title:`.', { start: 0, end: Math.min(1, text.length) })]);
  for (const extra of docs.slice(1)) {
    const r = extra.range ?? [0, 0, 0];
    findings.push(finding('schema/multiple-documents', 'Only one YAML document per file: move this document into its own *.threatmodel.yaml file, or remove the `---` separator.', { start: r[0], end: Math.max(r[0] + 1, Math.min(r[1], r[0] + 3)) }));
  }
  const source = new SourceMap(doc, text.length);
  for (const e of doc.errors) findings.push(yamlErrorFinding(e, text, 'error'));
  for (const w of doc.warnings) findings.push(yamlErrorFinding(w, text, w.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning'));
  const directive = /^%YAML[ \t]+(\S+)/m.exec(text);
  if (directive && directive[1] !== '1.2') {
    findings.push(finding('schema/yaml-version', `This file declares YAML ${directive[1]}; Rampart reads threat models as YAML 1.2 (where yes/no/on/off are strings). Remove the %YAML directive or make it %YAML 1.2.`, { start: directive.index, end: directive.index + directive[0].length }));
  }

  // 3. Plain data.
  const st: ConvertState = { findings, aliases: 0, nodes: 0, stopped: false };
  let data: unknown;
  try {
    data = toPlain(doc.contents, doc, st, 0, []);
  } catch (e) {
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
      const described = describeIssue(issue as z.core.$ZodIssue, obj, source);
      for (const fx of described.fixes ?? []) if (fx.kind === 'replace' && !fx.expect) fx.expect = text.slice(fx.range.start, fx.range.end);
      // Schema complaints inside text the YAML parser could not read are echoes of the syntax error.
      if (!damaged.some(([s, e]) => described.range.start >= s && described.range.start < e)) findings.push(described);
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

/** From the line before each syntax error to the next top-level key: the text a syntax error damages. */
function damagedRegions(text: string, errorOffsets: number[]): [number, number][] {
  return errorOffsets.map(off => {
    const lineStart = text.lastIndexOf('\n', Math.max(0, off - 1)) + 1;
    const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
    const next = /\n[^\s#]/g;
    next.lastIndex = off;
    const m = next.exec(text);
    return [prevStart, m ? m.index + 1 : text.length + 1] as [number, number];
  });
}

function buildPartialModel(obj: Record<string, unknown>, badEntries: Set<string>, badTop: Set<string>): Model {
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
