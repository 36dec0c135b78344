/**
 * Shared helpers of the importers and exporters: reading untrusted JSON/YAML input, kebab-case ids that are
 * unique and valid, bounded strings, and a builder that writes a readable Rampart model with comments through
 * the `yaml` Document API (a header naming the source, and a comment on every entity where something of the
 * source could not be mapped).
 *
 * Pure: no `vscode`, no Node built-ins.
 */
import { Document, isMap, isPair, isScalar, parseDocument, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { DEFAULT_MAX_FILE_SIZE, MAX_DEPTH } from '../model/parse';
import { prescan } from '../model/prescan';
import { ID_PATTERN, LIMITS, STRIDE, THREAT_ID_PATTERN, TOP_KEYS, type Stride } from '../model/schema';

/** A problem with the input file; its message is meant for the user as it is (the CLI prints it). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export type SourceTool = 'threagile' | 'threat-dragon' | 'otm' | 'threat-composer';

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

/**
 * An export: the other tool's file as text, and what the target format cannot hold, in sentences naming what
 * and where (the CLI prints them on standard error; nothing is dropped without one).
 */
export interface ExportResult {
  text: string;
  notes: string[];
}

export interface ImportOptions {
  /**
   * Reads a file the source names (Threagile's `includes:`), by the path written in the source, relative to the
   * file being imported. The caller confines it (the CLI: to the imported file's folder tree); it throws an
   * Error whose message is for the user when it cannot or may not read it. Without it, includes are refused
   * with a message that says so.
   */
  readInclude?: (path: string) => string;
  /**
   * The size cap, in bytes, of the model the import writes: `rampart check` refuses larger files, so the import
   * refuses to write one (default {@link DEFAULT_MAX_FILE_SIZE}, the `rampart.maxFileSize` default).
   */
  maxFileSize?: number;
}

/** Input files above this size are refused before parsing. */
export const MAX_IMPORT_SIZE = 5 * 1024 * 1024;
/**
 * Source strings are read up to this many characters: every string the import writes is cut far shorter
 * (names 200, text 5,000), and a YAML alias may repeat one long string many times.
 */
export const MAX_SOURCE_STRING = 64 * 1024;
/**
 * YAML input (not JSON) with more nodes than this is refused before the YAML reader builds it (lines plus flow
 * items, as `rampart check` counts them): the reader is linear but slow, about a second per 100,000 nodes.
 */
export const MAX_IMPORT_YAML_NODES = Math.floor(MAX_IMPORT_SIZE / 10);

const TOOL_NAMES: Record<SourceTool, string> = {
  threagile: 'Threagile model',
  'threat-dragon': 'Threat Dragon model',
  otm: 'Open Threat Model (OTM) file',
  'threat-composer': 'AWS Threat Composer file',
};
/** "a Threagile model", "an Open Threat Model (OTM) file". */
export const toolName = (tool: SourceTool) => `${/^[AEIOU]/.test(TOOL_NAMES[tool]) ? 'an' : 'a'} ${TOOL_NAMES[tool]}`;
/** Where the user can split the source model, for the size messages. */
const SPLIT_HINT = 'split the source model into several smaller ones and import each';

/** Which tool wrote this data, from its top-level keys; undefined when it is none of ours. */
export function detectFormat(data: unknown): SourceTool | 'rampart' | undefined {
  if (!isObject(data)) return undefined;
  const has = (o: Record<string, unknown>, k: string) => Object.hasOwn(o, k);
  if (has(data, 'rampart')) return 'rampart';
  if (has(data, 'otmVersion')) return 'otm';
  // Threat Composer: `schema: 1` with its own sections (a workspace export holds threats and applicationInfo).
  if (has(data, 'schema') && (has(data, 'applicationInfo') || has(data, 'threats') || has(data, 'mitigations') || has(data, 'assumptions'))
    && (Array.isArray(own(data, 'threats')) || isObject(own(data, 'applicationInfo')))) return 'threat-composer';
  if (has(data, 'threagile_version') || (has(data, 'technical_assets') && (has(data, 'data_assets') || has(data, 'trust_boundaries')))) return 'threagile';
  const detail = own(data, 'detail');
  if (isObject(detail) && has(detail, 'diagrams')) return 'threat-dragon';
  return undefined;
}

/**
 * Reads JSON or YAML text (JSON is YAML, but JSON.parse is faster and stricter for .json files) and checks that
 * it is what `expected` reads. Throws ImportError with a sentence that says what to do.
 */
export function readInput(text: string, expected: SourceTool, notes: string[] = []): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') throw new ImportError(`The input is empty: expected ${toolName(expected)}.`);
  if (text.length > MAX_IMPORT_SIZE) {
    throw new ImportError(`The input is ${text.length} characters, over the ${MAX_IMPORT_SIZE}-character limit for imports; ${SPLIT_HINT}.`);
  }
  text = text.replace(/^\uFEFF/, '');
  let data: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    checkStructure(text, expected, Infinity);
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
    throw new ImportError(`This looks like ${toolName(found)}, not ${toolName(expected)}: import it with --from ${found}.`);
  }
  const what = data === null || data === undefined ? 'nothing' : Array.isArray(data) ? 'a list' : isObject(data) ? 'a map without the expected keys' : `a ${typeof data}`;
  const keys: Record<SourceTool, string> = {
    threagile: '`threagile_version` or `technical_assets`',
    'threat-dragon': '`summary` and `detail.diagrams`',
    otm: '`otmVersion`',
    'threat-composer': '`schema` with `threats` or `applicationInfo`',
  };
  throw new ImportError(`This is not ${toolName(expected)}: expected ${keys[expected]} at the top level, but the input holds ${what}.`);
}

/** Refuses input nested deeper than a Rampart model may be, or (YAML) with more nodes than `maxNodes`, before parsing. */
function checkStructure(text: string, expected: SourceTool, maxNodes: number): void {
  const problem = prescan(text, { maxDepth: MAX_DEPTH, maxNodes });
  if (!problem) return;
  const at = `(at character ${problem.offset})`;
  if (problem.kind === 'too-many-nodes') {
    throw new ImportError(`The input has more than ${maxNodes} YAML nodes ${at}, too many to read; ${SPLIT_HINT} (or convert it to JSON).`);
  }
  const what = problem.kind === 'flow-depth' ? 'Brackets nest' : 'Lists and maps nest';
  throw new ImportError(`${what} deeper than ${MAX_DEPTH} levels in the input ${at}; no ${TOOL_NAMES[expected]} needs that, so it is not read.`);
}

function parseYaml(text: string, expected: SourceTool, notes: string[], jsonError?: string): unknown {
  checkStructure(text, expected, MAX_IMPORT_YAML_NODES);
  const read = (t: string) => {
    try {
      // Threagile files use YAML merge keys (`<<: *anchor`); aliases are bounded when converting.
      return parseDocument(t, { merge: true, prettyErrors: false, uniqueKeys: false, customTags: [] });
    } catch (e) {
      throw new ImportError(`The input could not be read as JSON or YAML (${readFailure(e)}).`);
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
      const how = jsonError ? `JSON: ${firstLine(jsonError)}; YAML: ${readFailure(err)}` : readFailure(err);
      throw new ImportError(`The input is not valid ${jsonError ? 'JSON' : 'YAML'} for ${toolName(expected)} (${how}).`);
    }
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ImportError(`The input could not be read (${readFailure(e)}).`);
  }
}

/** A reader's error in a few words; a stack overflow is the input nesting too deeply. */
function readFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /maximum call stack/i.test(message)) return 'it nests too deeply: flatten it';
  return firstLine(message);
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

const firstLine = (s: string) => s.slice(0, 1000).split('\n')[0].slice(0, 300);

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `map[key]` when `key` is the map's own property, else undefined: keys read from the input (`constructor`,
 * `__proto__`, `toString`) never reach Object.prototype.
 */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string | undefined): T | undefined {
  return map !== undefined && key !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * The value as a trimmed string (at most {@link MAX_SOURCE_STRING} characters), or undefined for anything that is
 * not a non-empty string/number/boolean. Never calls the value's own `toString`. Control characters and U+FFFD
 * (the mark of text that was not UTF-8) are dropped: a model holding them would be refused as binary.
 */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    // Characters that make a model file read as binary (`rampart check` refuses it) are dropped.
    const s = (v.length > MAX_SOURCE_STRING ? v.slice(0, MAX_SOURCE_STRING) : v).replace(/[\u0000-\u0008\u000E-\u001A\uFFFD]/g, '').trim();
    return s === '' ? undefined : s;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Source text for a comment or note: as it is, cut to `max` characters (undefined when empty). */
export function clip(v: unknown, max = 500): string | undefined {
  const s = str(v);
  return s !== undefined && s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s;
}

/** Values of a source list for a comment: the first `max` as text, then how many more. */
export function listText(values: unknown, max = 20): string {
  const list = arr(values);
  const shown = list.slice(0, max).map(v => clip(v, 100) ?? (v === null || v === undefined ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : typeof v));
  return shown.join(', ') + (list.length > max ? ` and ${list.length - max} more` : '');
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

/**
 * Text from HTML-ish sources (Threagile titles use <b>): tags removed, entities decoded, at most
 * {@link MAX_SOURCE_STRING} characters. A tag holds no `<`, so `<<<<...` costs one step per character.
 */
export function stripTags(s: string): string {
  return s.slice(0, MAX_SOURCE_STRING).replace(/<[^<>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
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

/**
 * Hands out unique ids within one section: `api`, `api-2`, `api-3`. Linear in the number of ids handed out:
 * for each stem it remembers the next number to try, so a thousand entries named "API" do not each count up
 * from 2 (every number passed over is taken, and the set of taken ids only grows, so the ids are the same).
 */
export class IdAllocator {
  /** JavaScript-reserved keys are refused by the parser, so they are never handed out. */
  private readonly used = new Set<string>(['constructor', 'prototype', 'proto']);
  /**
   * Stem and number of digits -> the next number to try: `${stem}-${m}` is taken for every m of that many digits
   * (from 2 for one digit) below it. Long ids are cut to make room for the suffix, so the stem depends on the
   * number of digits, and each range of digits has its own counter.
   */
  private readonly next = new Map<string, number>();
  constructor(private readonly pattern: RegExp = ID_PATTERN, private readonly max: number = LIMITS.id) {}

  /** A fresh id from `base` (already kebab-case or slugified here), or from `fallback` when `base` is empty. */
  take(base: string | undefined, fallback: string): string {
    let id = base && base.length <= this.max && this.pattern.test(base) ? base : slugify(base ?? '', this.max);
    if (!id) id = slugify(fallback, this.max) || 'item';
    if (!this.used.has(id)) {
      this.used.add(id);
      return id;
    }
    for (let n = 2; ; n++) {
      const suffix = `-${n}`;
      const stem = id.length + suffix.length > this.max ? id.slice(0, this.max - suffix.length).replace(/[-.@]+$/, '') : id;
      const key = `${stem}\u0000${suffix.length}`;
      // n is the first number of its digit range here, or the counter itself: never past it.
      const from = this.next.get(key) ?? n;
      if (from > n) {
        n = from - 1;
        continue;
      }
      const candidate = stem + suffix;
      this.next.set(key, n + 1);
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
  const table: Readonly<Record<string, Stride>> = {
    spoofing: 'spoofing', tampering: 'tampering', repudiation: 'repudiation',
    'information disclosure': 'information-disclosure', 'info disclosure': 'information-disclosure',
    'denial of service': 'denial-of-service', dos: 'denial-of-service',
    'elevation of privilege': 'elevation-of-privilege', 'elevation of privileges': 'elevation-of-privilege',
  };
  return own(table, w) ?? (STRIDE as readonly string[]).find(s => s === w.replace(/ /g, '-')) as Stride | undefined;
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
 *
 * It refuses (ImportError) to build what `rampart check` would refuse: a section with more than
 * `LIMITS.entries` entries, or a file over the size cap. The size is checked on the written YAML, and also
 * while collecting, on a lower bound of it (the text of the entries and comments), so that an input which
 * multiplies into a huge model stops early instead of doing all the work first.
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
  private readonly noted = new Set<string>();
  /** Elements, flows and boundaries share one namespace (a threat target may be any of them). */
  private readonly nodeIds = new IdAllocator();
  readonly ids = {
    assets: new IdAllocator(), boundaries: this.nodeIds, elements: this.nodeIds, flows: this.nodeIds,
    threats: threatIdAllocator(), mitigations: new IdAllocator(),
  };
  readonly maxFileSize: number;
  /** A lower bound of the written YAML's size in bytes: the characters of entries, comments and notes. */
  private minBytes = 0;
  private readonly entryBytes = new Map<string, number>();

  constructor(private readonly tool: SourceTool, headerLines: string[], options: ImportOptions = {}) {
    this.header.push(...headerLines);
    const max = options.maxFileSize;
    this.maxFileSize = typeof max === 'number' && max > 0 ? max : DEFAULT_MAX_FILE_SIZE;
    for (const l of headerLines) this.grow(l.length);
  }

  /** Refuses at once when the source has more entries for `section` than a model may hold. */
  expect(section: SectionName, count: number): void {
    if (count > LIMITS.entries) throw this.tooMany(section, `${count}`);
  }

  add(section: SectionName, id: string, entry: Entry): void {
    const map = this.sections[section];
    if (!map.has(id) && map.size >= LIMITS.entries) throw this.tooMany(section, `more than ${LIMITS.entries}`);
    const cleaned = clean(entry);
    map.set(id, cleaned);
    const key = `${section}\u0000${id}`;
    const bytes = id.length + textLength(cleaned);
    this.grow(bytes - (this.entryBytes.get(key) ?? 0));
    this.entryBytes.set(key, bytes);
  }

  /** A comment above one entry (several calls add lines). */
  commentEntry(section: SectionName, id: string, line: string): void {
    const key = `${section}\u0000${id}`;
    const list = this.entryComments.get(key);
    if (list) list.push(line);
    else this.entryComments.set(key, [line]);
    this.grow(line.length);
  }

  /** A comment above a whole section (or a top-level key). */
  commentSection(section: string, line: string): void {
    const list = this.sectionComments.get(section);
    if (list) list.push(line);
    else this.sectionComments.set(section, [line]);
    this.grow(line.length);
  }

  /** A note for the user: returned in `notes` and written in the header. */
  note(line: string): void {
    if (this.noted.has(line)) return;
    this.noted.add(line);
    this.notes.push(line);
    this.grow(line.length);
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

  /** The result of the import: the YAML (within the size cap), the counts and the notes. */
  result(): ImportResult {
    return { yaml: this.toYaml(), stats: this.stats(), notes: this.notes };
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
    const rootKeys = pairsByKey(root);
    for (const [section, lines] of this.sectionComments) {
      const pair = rootKeys.get(section);
      if (pair) (pair.key as Scalar).commentBefore = commentText(lines);
    }
    const sectionKeys = new Map<string, Map<string, Pair>>();
    for (const [key, lines] of this.entryComments) {
      const [section, id] = key.split('\u0000');
      let pairs = sectionKeys.get(section);
      if (!pairs) {
        const map = rootKeys.get(section)?.value;
        pairs = isMap(map) ? pairsByKey(map) : new Map();
        sectionKeys.set(section, pairs);
      }
      const pair = pairs.get(id);
      if (pair) (pair.key as Scalar).commentBefore = commentText(lines);
    }
    const yaml = doc.toString({ lineWidth: 0, indent: 2 });
    const bytes = yaml.length > this.maxFileSize / 4 ? new TextEncoder().encode(yaml).length : yaml.length;
    if (bytes > this.maxFileSize) throw this.tooLarge(`would be ${bytes} bytes`);
    return yaml;
  }

  private grow(by: number): void {
    this.minBytes += by;
    if (this.minBytes > this.maxFileSize) throw this.tooLarge(`would be more than ${this.maxFileSize} bytes`);
  }

  private tooMany(section: SectionName, count: string): ImportError {
    return new ImportError(
      `The import would give ${count} ${section}, over the ${LIMITS.entries} that one section of a Rampart model may hold ` +
      `(\`rampart check\` refuses more); ${SPLIT_HINT} (the ${TOOL_NAMES[this.tool]} has too many for one model).`,
    );
  }

  private tooLarge(what: string): ImportError {
    return new ImportError(
      `The imported model ${what}, over the ${this.maxFileSize}-byte limit for a Rampart threat model ` +
      `(\`rampart check\` refuses larger files); ${SPLIT_HINT} (or raise rampart.maxFileSize).`,
    );
  }
}

/** The pairs of a map by their scalar key (one pass, instead of a search per key). */
export function pairsByKey(map: YAMLMap): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const p of map.items) {
    if (isPair(p) && isScalar(p.key) && typeof p.key.value === 'string' && !out.has(p.key.value)) out.set(p.key.value, p as Pair);
  }
  return out;
}

/** The characters of the strings in a value (a lower bound of its size when written as YAML). */
function textLength(v: unknown, depth = 0): number {
  if (typeof v === 'string') return v.length;
  if (depth > 8 || v === null || typeof v !== 'object') return 0;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += textLength(x, depth + 1);
  else for (const [k, x] of Object.entries(v)) n += k.length + textLength(x, depth + 1);
  return n;
}

/** Comment lines as the `yaml` package wants them (it adds `#`): one space after `#`, no line breaks inside. */
export function commentText(lines: string[]): string {
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

/** Unique values, in first-seen order, at most `LIMITS.list` of them (it stops reading there). */
export function uniq<T>(values: Iterable<T | undefined>): T[] {
  const seen = new Set<T>();
  for (const v of values) {
    if (v === undefined) continue;
    seen.add(v);
    if (seen.size >= LIMITS.list) break;
  }
  return [...seen];
}

/** Tags as the schema wants them (kebab-ish, at most 64 characters): the first `LIMITS.list` distinct ones. */
export function tagsFrom(values: unknown): string[] {
  function* tags() {
    for (const v of arr(values)) {
      const s = str(v);
      const t = s === undefined ? undefined : slugify(s);
      if (t) yield t;
    }
  }
  return uniq(tags());
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
