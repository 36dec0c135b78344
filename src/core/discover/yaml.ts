/**
 * Reading discovered files safely: the same guards as the model parser (src/core/model/parse.ts) and the
 * importers. The size is capped before parsing, nesting and node counts are pre-scanned, YAML is read as 1.2
 * with the core schema and no custom tags, and aliases are bounded when converting to plain data (a YAML bomb
 * ends in `discover/too-many-aliases`). Compose's merge keys (`<<: *anchor`) are read as Compose reads them.
 * Every problem is a finding located in the file; nothing here throws.
 */
import { isMap, isPair, isScalar, parseAllDocuments, type Document, type Node, type ParseOptions, type DocumentOptions, type SchemaOptions, type YAMLMap } from 'yaml';
import { LineIndex } from '../lines';
import { prescan } from '../model/prescan';
import { DISCOVER_LIMITS, type DiscoverFile, type DiscoveryFinding, type SourceRef } from './types';

/** YAML 1.2, core schema, merge keys on (Compose files use `<<`), no custom tags, duplicate keys not reported. */
export const DISCOVER_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2', schema: 'core', merge: true, uniqueKeys: false, customTags: [], prettyErrors: false,
};

/** Collects findings up to {@link DISCOVER_LIMITS}.findings; past it, one finding counts the rest. */
export class FindingSink {
  readonly list: DiscoveryFinding[] = [];
  private dropped = 0;
  private lastSource: SourceRef | undefined;

  add(ruleId: string, severity: DiscoveryFinding['severity'], message: string, source: SourceRef): void {
    if (this.list.length >= DISCOVER_LIMITS.findings) {
      this.dropped++;
      this.lastSource = source;
      return;
    }
    this.list.push({ ruleId, severity, message, source });
  }

  done(): DiscoveryFinding[] {
    if (this.dropped) {
      this.list.push({ ruleId: 'discover/too-many-entries', severity: 'info', message: `${this.dropped} more findings were left out.`, source: this.lastSource! });
      this.dropped = 0;
    }
    return this.list;
  }
}

/** A parsed YAML document: its plain data (aliases and merge keys expanded) and the node tree for lines. */
export interface YamlDoc {
  doc: Document;
  data: unknown;
}

export interface YamlFile {
  path: string;
  text: string;
  docs: YamlDoc[];
  /** 1-based line of an offset. */
  line(offset: number): number;
  /** Where a node starts, as a source reference (line 1 without a node). */
  at(node: Node | null | undefined): SourceRef;
}

/** Size in bytes (UTF-8) when it may be over `max`, measured only when it matters. */
export function tooLarge(text: string, max: number = DISCOVER_LIMITS.fileSize): number | undefined {
  if (text.length > max) return text.length;
  const bytes = text.length > max / 4 ? new TextEncoder().encode(text).length : text.length;
  return bytes > max ? bytes : undefined;
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** The size finding for a file over the cap (shared by the readers and the adapters' walkers). */
export function sizeFinding(path: string, size: number, sink: FindingSink): void {
  sink.add('discover/file-too-large', 'warning', `The file is ${mib(size)}, over the ${mib(DISCOVER_LIMITS.fileSize)} that discovery reads; it was skipped. Split it, or model what it declares by hand.`, { file: path, line: 1 });
}

/**
 * Reads a YAML (or JSON) file, every document of it. Returns undefined, with a finding, when the file cannot be
 * read at all; a document that cannot be read is left out with a finding, the others are kept.
 */
export function readYaml(file: DiscoverFile, sink: FindingSink): YamlFile | undefined {
  const { path, text } = file;
  const first: SourceRef = { file: path, line: 1 };
  const size = tooLarge(text);
  if (size !== undefined) { sizeFinding(path, size, sink); return undefined; }
  if (/[\u0000-\u0008\u000E-\u001A]|\uFFFD/.test(text)) {
    sink.add('discover/unreadable-file', 'warning', 'The file is not text (it holds binary data, or is not UTF-8); it was skipped.', first);
    return undefined;
  }
  let index: LineIndex | undefined;
  const line = (offset: number) => (index ??= new LineIndex(text)).lineCol(offset).line;
  const problem = prescan(text, { maxDepth: DISCOVER_LIMITS.depth, maxNodes: DISCOVER_LIMITS.yamlNodes });
  if (problem) {
    const what = problem.kind === 'too-many-nodes'
      ? `holds more than ${DISCOVER_LIMITS.yamlNodes} values`
      : `nests deeper than ${DISCOVER_LIMITS.depth} levels`;
    sink.add('discover/unreadable-file', 'warning', `The file ${what}, more than discovery reads; it was skipped.`, { file: path, line: line(problem.offset) });
    return undefined;
  }
  let parsed: Document[];
  try {
    const all = parseAllDocuments(text, DISCOVER_PARSE_OPTIONS);
    parsed = Array.isArray(all) ? all : [];
  } catch (e) {
    sink.add('discover/unreadable-file', 'warning', `The YAML could not be read (${firstLine(e)}); the file was skipped.`, first);
    return undefined;
  }
  const at = (node: Node | null | undefined): SourceRef => ({ file: path, line: node?.range ? line(node.range[0]) : 1 });
  const docs: YamlDoc[] = [];
  for (const doc of parsed) {
    const err = doc.errors[0];
    if (err) {
      sink.add('discover/unreadable-file', 'warning', `YAML syntax error: ${firstLine(err)}; this document was skipped.`, { file: path, line: line(err.pos[0]) });
      continue;
    }
    try {
      docs.push({ doc, data: doc.toJS({ maxAliasCount: DISCOVER_LIMITS.aliases }) });
    } catch (e) {
      if (e instanceof ReferenceError || /alias/i.test(String((e as Error)?.message))) {
        sink.add('discover/too-many-aliases', 'warning', `The document expands its aliases (\`*name\`) more than ${DISCOVER_LIMITS.aliases} times, as a "YAML bomb" does; it was skipped.`, at(doc.contents));
      } else {
        sink.add('discover/unreadable-file', 'warning', `The YAML could not be read (${firstLine(e)}); this document was skipped.`, at(doc.contents));
      }
    }
  }
  return { path, text, docs, line, at };
}

/** The first line of an error's message, at most 200 characters. */
export function firstLine(e: unknown): string {
  const m = e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? String((e as { message: unknown }).message) : String(e);
  if (e instanceof RangeError || /call stack/i.test(m)) return 'it nests too deeply';
  return m.slice(0, 1000).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').slice(0, 200);
}

/** The value node of `key` in a map node (the first one), or undefined. */
export function child(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const p of (node as YAMLMap).items) {
    if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) return (p.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

/** The key and value nodes of a map node by key (the first of duplicates), in one pass. */
export function pairNodes(node: unknown): Map<string, { key: Node; value: Node | undefined }> {
  const out = new Map<string, { key: Node; value: Node | undefined }>();
  if (!isMap(node)) return out;
  for (const p of (node as YAMLMap).items) {
    if (isPair(p) && isScalar(p.key) && !out.has(String(p.key.value))) out.set(String(p.key.value), { key: p.key as Node, value: (p.value ?? undefined) as Node | undefined });
  }
  return out;
}

/** The key nodes of a map node by key (the first of duplicates), for lines. */
export function keyNodes(node: unknown): Map<string, Node> {
  return new Map([...pairNodes(node)].map(([k, v]) => [k, v.key]));
}
