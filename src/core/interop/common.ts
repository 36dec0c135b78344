/**
 * Shared helpers of the importers and exporters: reading untrusted JSON/YAML input, kebab-case ids that are
 * unique and valid, bounded strings, and a builder that writes a readable Rampart model with comments through
 * the `yaml` Document API (a header naming the source, and a comment on every entity where something of the
 * source could not be mapped).
 *
 * Pure: no `vscode`, no Node built-ins.
 */
import { Document, isMap, isPair, isScalar, parseDocument, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { ID_PATTERN, LIMITS, STRIDE, THREAT_ID_PATTERN, TOP_KEYS, type Stride } from '../model/schema';

/** A problem with the input file; its message is meant for the user as it is (the CLI prints it). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export type SourceTool = 'threagile' | 'threat-dragon' | 'otm';

export interface ImportStats {
  elements: number;
  flows: number;
  threats: number;
  boundaries: number;
  assets: number;
  mitigations: number;
}

export interface ImportResult {
  /** The Rampart model as YAML text (`rampart: 1`, ...), with comments. */
  yaml: string;
  stats: ImportStats;
  /** What could not be mapped, or was mapped by a guess, in sentences (also written as comments in `yaml`). */
  notes: string[];
}

/** Input files above this size are refused before parsing. */
export const MAX_IMPORT_SIZE = 5 * 1024 * 1024;

const TOOL_NAMES: Record<SourceTool, string> = {
  threagile: 'Threagile model',
  'threat-dragon': 'Threat Dragon model',
  otm: 'Open Threat Model (OTM) file',
};

/** Which tool wrote this data, from its top-level keys; undefined when it is none of ours. */
export function detectFormat(data: unknown): SourceTool | 'rampart' | undefined {
  if (!isObject(data)) return undefined;
  if ('rampart' in data) return 'rampart';
  if ('otmVersion' in data) return 'otm';
  if ('threagile_version' in data || ('technical_assets' in data && ('data_assets' in data || 'trust_boundaries' in data))) return 'threagile';
  const detail = data.detail;
  if (isObject(detail) && 'diagrams' in detail) return 'threat-dragon';
  return undefined;
}

/**
 * Reads JSON or YAML text (JSON is YAML, but JSON.parse is faster and stricter for .json files) and checks that
 * it is what `expected` reads. Throws ImportError with a sentence that says what to do.
 */
export function readInput(text: string, expected: SourceTool, notes: string[] = []): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') throw new ImportError(`The input is empty: expected a ${TOOL_NAMES[expected]}.`);
  if (text.length > MAX_IMPORT_SIZE) {
    throw new ImportError(`The input is ${text.length} characters, over the ${MAX_IMPORT_SIZE}-character limit for imports.`);
  }
  text = text.replace(/^\uFEFF/, '');
  let data: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = parseYaml(text, expected, notes, (e as Error).message);
    }
  } else {
    data = parseYaml(text, expected, notes);
  }
  const found = detectFormat(data);
  if (found === expected) return data as Record<string, unknown>;
  if (found === 'rampart') throw new ImportError('This file is already a Rampart threat model (it has `rampart:` at the top); there is nothing to import.');
  if (found) {
    throw new ImportError(`This looks like a ${TOOL_NAMES[found]}, not a ${TOOL_NAMES[expected]}: import it with --from ${found}.`);
  }
  const what = data === null || data === undefined ? 'nothing' : Array.isArray(data) ? 'a list' : isObject(data) ? 'a map without the expected keys' : `a ${typeof data}`;
  const keys: Record<SourceTool, string> = {
    threagile: '`threagile_version` or `technical_assets`',
    'threat-dragon': '`summary` and `detail.diagrams`',
    otm: '`otmVersion`',
  };
  throw new ImportError(`This is not a ${TOOL_NAMES[expected]}: expected ${keys[expected]} at the top level, but the input holds ${what}.`);
}

function parseYaml(text: string, expected: SourceTool, notes: string[], jsonError?: string): unknown {
  const read = (t: string) => {
    try {
      // Threagile files use YAML merge keys (`<<: *anchor`); aliases are bounded when converting.
      return parseDocument(t, { merge: true, prettyErrors: false, uniqueKeys: false, customTags: [] });
    } catch (e) {
      throw new ImportError(`The input could not be read as JSON or YAML (${firstLine((e as Error).message)}).`);
    }
  };
  let doc = read(text);
  if (doc.errors.length > 0) {
    // Other YAML readers (PyYAML, Go) accept a multi-line quoted string whose lines are indented too little
    // (OTM's own EXAMPLE.yaml has one); retry with those lines indented, and say so.
    const relaxed = indentQuotedContinuations(text);
    const retry = relaxed !== undefined ? read(relaxed) : undefined;
    if (retry && retry.errors.length === 0) {
      doc = retry;
      notes.push('The YAML has a quoted string whose continuation lines are indented less than its key; it was read as other YAML readers read it.');
    } else {
      const err = doc.errors[0];
      const how = jsonError ? `JSON: ${firstLine(jsonError)}; YAML: ${firstLine(err.message)}` : firstLine(err.message);
      throw new ImportError(`The input is not valid ${jsonError ? 'JSON' : 'YAML'} for a ${TOOL_NAMES[expected]} (${how}).`);
    }
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ImportError(`The input could not be read (${firstLine((e as Error).message)}).`);
  }
}

/**
 * Re-indents the continuation lines of multi-line quoted scalars that are indented no deeper than their key
 * (invalid YAML 1.2 that lenient readers accept). Returns undefined when there is nothing to change.
 */
export function indentQuotedContinuations(text: string): string | undefined {
  const lines = text.split('\n');
  const indentOf = (l: string) => l.length - l.trimStart().length;
  let quote: string | undefined;
  let parentIndent = 0;
  let changed = false;
  let prevIndent = 0;
  /** Index just past the closing quote in `s` from `from`, or -1 when the string stays open. */
  const closes = (s: string, from: number, q: string): number => {
    for (let i = from; i < s.length; i++) {
      if (q === '"' && s[i] === '\\') { i++; continue; }
      if (s[i] === q) {
        if (q === "'" && s[i + 1] === "'") { i++; continue; }
        return i + 1;
      }
    }
    return -1;
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (quote) {
      if (line.trim() !== '' && indentOf(line) <= parentIndent) {
        lines[n] = ' '.repeat(parentIndent + 2 - indentOf(line)) + line;
        changed = true;
      }
      if (closes(lines[n], 0, quote) >= 0) quote = undefined;
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^(\s*)(?:- +)?(?:[^'"#\s][^#]*?:[ \t]+)?(['"])/.exec(line);
    if (m) {
      const start = m[0].length;
      if (closes(line, start, m[2]) < 0) {
        quote = m[2];
        const ownLine = /^\s*['"]/.test(line);
        parentIndent = ownLine ? prevIndent : indentOf(line);
      }
    }
    prevIndent = indentOf(line);
  }
  return changed ? lines.join('\n') : undefined;
}

const firstLine = (s: string) => s.split('\n')[0].slice(0, 300);

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The value as a trimmed string, or undefined for anything that is not a non-empty string/number/boolean. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Own entries of a map, skipping nothing: keys are read as data, never used as object keys unchecked. */
export function entries(v: unknown): [string, unknown][] {
  return isObject(v) ? Object.entries(v) : [];
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

// ---- bounded strings ----

/** A one-line name within the schema's limit, or undefined when empty. */
export function oneLine(v: unknown, max: number = LIMITS.name): string | undefined {
  const s = str(v)?.replace(/\s+/g, ' ').trim();
  if (!s) return undefined;
  return s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s;
}

/** Free text within the schema's limit, or undefined when empty. */
export function longText(v: unknown, max: number = LIMITS.text): string | undefined {
  const s = str(v)?.replace(/\r\n?/g, '\n');
  if (!s) return undefined;
  return s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s;
}

/** Text from HTML-ish sources (Threagile titles use <b>): tags removed, entities decoded, one line. */
export function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// ---- ids ----

/** kebab-case: lowercase ASCII letters and digits joined by single dashes, at most `max` characters. */
export function slugify(v: string, max: number = LIMITS.id): string {
  const s = v
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const dash = cut.lastIndexOf('-');
  return (dash > max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}

/** Hands out unique ids within one section: `api`, `api-2`, `api-3`. */
export class IdAllocator {
  /** JavaScript-reserved keys are refused by the parser, so they are never handed out. */
  private readonly used = new Set<string>(['constructor', 'prototype', 'proto']);
  constructor(private readonly pattern: RegExp = ID_PATTERN, private readonly max: number = LIMITS.id) {}

  /** A fresh id from `base` (already kebab-case or slugified here), or from `fallback` when `base` is empty. */
  take(base: string | undefined, fallback: string): string {
    let id = base && this.pattern.test(base) && base.length <= this.max ? base : slugify(base ?? '', this.max);
    if (!id) id = slugify(fallback, this.max) || 'item';
    if (!this.used.has(id)) {
      this.used.add(id);
      return id;
    }
    for (let n = 2; ; n++) {
      const suffix = `-${n}`;
      const candidate = (id.length + suffix.length > this.max ? id.slice(0, this.max - suffix.length).replace(/[-.@]+$/, '') : id) + suffix;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }

  has(id: string): boolean {
    return this.used.has(id);
  }
}

/** A threat id from a source key such as Threagile's `ldap-injection@*@ldap-auth-server@*`: `*` becomes `any`. */
export function threatIdFrom(key: string): string {
  const parts = key.split('@').map(p => (p.trim() === '*' ? 'any' : slugify(p.split('.').map(q => slugify(q)).filter(Boolean).join('.'), LIMITS.id)))
    .map(p => p.replace(/[^a-z0-9.-]+/g, '-'))
    .map(p => p.replace(/(^[-.]+|[-.]+$)/g, '').replace(/[-.]{2,}/g, '-'))
    .filter(Boolean);
  const id = parts.join('@');
  return THREAT_ID_PATTERN.test(id) && id.length <= LIMITS.id * 2 ? id : slugify(key);
}

export const threatIdAllocator = () => new IdAllocator(THREAT_ID_PATTERN, LIMITS.id * 2);

// ---- vocabularies shared by the mappers ----

/** STRIDE category from a source's word ("Information disclosure", "Elevation of Privilege", "DoS", ...). */
export function strideFrom(word: unknown): Stride | undefined {
  const w = str(word)?.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
  if (!w) return undefined;
  const table: Record<string, Stride> = {
    spoofing: 'spoofing', tampering: 'tampering', repudiation: 'repudiation',
    'information disclosure': 'information-disclosure', 'info disclosure': 'information-disclosure',
    'denial of service': 'denial-of-service', dos: 'denial-of-service',
    'elevation of privilege': 'elevation-of-privilege', 'elevation of privileges': 'elevation-of-privilege',
  };
  return table[w] ?? (STRIDE as readonly string[]).find(s => s === w.replace(/ /g, '-')) as Stride | undefined;
}

/** STRIDE category as words for other tools ("Information disclosure"). */
export function strideWords(s: Stride): string {
  const w = s.replace(/-/g, ' ');
  return w.charAt(0).toUpperCase() + w.slice(1);
}

// ---- the model builder ----

type Entry = Record<string, unknown>;
const SECTIONS = ['assets', 'boundaries', 'elements', 'flows', 'threats', 'mitigations'] as const;
type SectionName = (typeof SECTIONS)[number];

/**
 * Collects a Rampart model and the comments that go with it, then writes YAML through the Document API so the
 * comments sit above the entries they are about.
 */
export class ModelBuilder {
  readonly top: Entry = { rampart: 1 };
  readonly sections: Record<SectionName, Map<string, Entry>> = {
    assets: new Map(), boundaries: new Map(), elements: new Map(), flows: new Map(), threats: new Map(), mitigations: new Map(),
  };
  private readonly header: string[] = [];
  private readonly entryComments = new Map<string, string[]>();
  private readonly sectionComments = new Map<string, string[]>();
  readonly notes: string[] = [];
  /** Elements, flows and boundaries share one namespace (a threat target may be any of them). */
  private readonly nodeIds = new IdAllocator();
  readonly ids = {
    assets: new IdAllocator(), boundaries: this.nodeIds, elements: this.nodeIds, flows: this.nodeIds,
    threats: threatIdAllocator(), mitigations: new IdAllocator(),
  };

  constructor(headerLines: string[]) {
    this.header.push(...headerLines);
  }

  add(section: SectionName, id: string, entry: Entry): void {
    this.sections[section].set(id, clean(entry));
  }

  /** A comment above one entry (several calls add lines). */
  commentEntry(section: SectionName, id: string, line: string): void {
    const key = `${section}\u0000${id}`;
    const list = this.entryComments.get(key) ?? [];
    list.push(line);
    this.entryComments.set(key, list);
  }

  /** A comment above a whole section (or a top-level key). */
  commentSection(section: string, line: string): void {
    const list = this.sectionComments.get(section) ?? [];
    list.push(line);
    this.sectionComments.set(section, list);
  }

  /** A note for the user: returned in `notes` and written in the header. */
  note(line: string): void {
    if (!this.notes.includes(line)) this.notes.push(line);
  }

  stats(): ImportStats {
    return {
      elements: this.sections.elements.size,
      flows: this.sections.flows.size,
      threats: this.sections.threats.size,
      boundaries: this.sections.boundaries.size,
      assets: this.sections.assets.size,
      mitigations: this.sections.mitigations.size,
    };
  }

  toYaml(): string {
    const data: Entry = {};
    for (const k of TOP_KEYS) {
      if ((SECTIONS as readonly string[]).includes(k)) {
        const m = this.sections[k as SectionName];
        if (m.size > 0) data[k] = Object.fromEntries(m);
      } else if (this.top[k] !== undefined) {
        data[k] = this.top[k];
      }
    }
    const doc = new Document(data, { version: '1.2', aliasDuplicateObjects: false });
    const head = [...this.header];
    if (this.notes.length > 0) {
      head.push('', 'Not mapped, or mapped by a rule of thumb (review these):');
      for (const n of this.notes) head.push(`- ${n}`);
    }
    doc.commentBefore = commentText(head);
    const root = doc.contents as YAMLMap;
    for (const [section, lines] of this.sectionComments) {
      const pair = pairOf(root, section);
      if (pair) (pair.key as Scalar).commentBefore = commentText(lines);
    }
    for (const [key, lines] of this.entryComments) {
      const [section, id] = key.split('\u0000');
      const map = pairOf(root, section)?.value;
      const pair = isMap(map) ? pairOf(map, id) : undefined;
      if (pair) (pair.key as Scalar).commentBefore = commentText(lines);
    }
    return doc.toString({ lineWidth: 0, indent: 2 });
  }
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find(p => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** Comment lines as the `yaml` package wants them (it adds `#`): one space after `#`, no line breaks inside. */
function commentText(lines: string[]): string {
  return lines
    .flatMap(l => l.split(/\r\n|[\r\n\u0085\u2028\u2029]/))
    .map(l => (l === '' ? '' : ' ' + l.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')))
    .join('\n');
}

/** Drops undefined values and empty lists so the YAML stays short. */
function clean(entry: Entry): Entry {
  const out: Entry = {};
  for (const [k, v] of Object.entries(entry)) {
    if (v === undefined || k === 'source_id') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  if (entry.source_id !== undefined) out.source_id = entry.source_id; // always last
  return out;
}

/** Unique values, in first-seen order, at most `LIMITS.list` of them. */
export function uniq<T>(values: Iterable<T | undefined>): T[] {
  const out: T[] = [];
  for (const v of values) if (v !== undefined && !out.includes(v)) out.push(v);
  return out.slice(0, LIMITS.list);
}

/** Tags as the schema wants them (kebab-ish, at most 64 characters). */
export function tagsFrom(values: unknown): string[] {
  return uniq(arr(values).map(v => (str(v) ? slugify(str(v)!) : undefined)).filter(t => t !== ''));
}

/** A deterministic UUID-shaped id from a string (exports stay stable across runs, so diffs stay small). */
export function stableUuid(seed: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193, h3 = 0x9e3779b9, h4 = 0x85ebca6b;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2d);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
  }
  const hex = [h1, h2, h3, h4].map(h => (h >>> 0).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
