/**
 * Library files' text -> a `Library` (pure): each file is read with the model parser's safety settings (size cap,
 * nesting pre-scan, YAML 1.2 core schema, no custom tags, counted aliases, bounded node count), validated against
 * the library schema, and every problem is a `LibraryProblem` located in its file. Entries that fail validation
 * are left out; the rest of the file is used.
 *
 * Ids are namespaced by the library's `name`: catalog entry `acme/pg-sqli`, template `acme/postgres`, rule
 * `acme/db-without-backup`. Two entries of one section with the same namespaced id (in two files of one library,
 * or two libraries of one name) are a problem at the second. Templates are resolved through `extends` (a cycle is
 * a problem naming it, at each template in it). Conditions over the limits (CONDITION_LIMITS) are refused.
 */
import { parseAllDocuments, type Document } from 'yaml';
import type { z } from 'zod';
import { PARSE_OPTIONS, MAX_DEPTH, toPlain, type ConvertState } from '../model/parse';
import { prescan } from '../model/prescan';
import { SourceMap } from '../model/sourceMap';
import { didYouMean, unwrap, type AnySchema } from '../model/issues';
import type { Path, Range, Severity } from '../types';
import type { LibraryFile, LibraryProblem } from './types';
import {
  CONDITION_LIMITS, libraryFile as fileSchema, MAX_LIBRARY_FILE_SIZE, type CatalogThreatData, type Condition, type ElementMatch, type FlowMatch,
  type LibraryRuleData, type TemplateData, type TemplateElementData, type TemplateMitigationData,
} from './schema';
import { compileRule, type LibraryRuleDef } from './rules';
import { quote } from '../rules/design/facts';
import { clip } from '../text/clip';

/** A threat of a library's catalog. */
export interface LibraryCatalogEntry {
  /** Namespaced: `acme/pg-sqli`. */
  id: string;
  library: string;
  /** Its id within the library: `pg-sqli`. */
  key: string;
  data: CatalogThreatData;
  uri: string;
}

/** A threat a template inserts, resolved (catalog entry merged with the template's overrides). */
export interface ResolvedTemplateThreat {
  /** Suffix of the inserted threat's id (`<element>-<key>`). */
  key: string;
  /** The catalog entry it comes from, namespaced. */
  from?: string;
  title: string;
  description?: string;
  stride?: string[];
  linddun?: string[];
  cwe?: string[];
  capec?: string[];
  likelihood?: string;
  impact?: string;
  status?: string;
  /** Keys of the template's mitigations. */
  mitigations: string[];
  /** Typical mitigations of the catalog entry (titles), when the template links none. */
  typical: string[];
}

export interface LibraryTemplate {
  /** Namespaced: `acme/postgres`. */
  id: string;
  library: string;
  key: string;
  title: string;
  description?: string;
  /** The element fields, `extends` applied (the template's own override its parent's; controls and tags add up). */
  element: TemplateElementData;
  threats: ResolvedTemplateThreat[];
  mitigations: Record<string, TemplateMitigationData>;
  /** The templates it extends, nearest first. */
  extends: string[];
  uri: string;
}

export interface Library {
  /** The namespaces loaded (library names), sorted. */
  names: string[];
  catalog: LibraryCatalogEntry[];
  catalogById: ReadonlyMap<string, LibraryCatalogEntry>;
  templates: ReadonlyMap<string, LibraryTemplate>;
  /** Custom rules as design-rule definitions (the same engine as the built-in design rules). */
  rules: LibraryRuleDef[];
  problems: LibraryProblem[];
  /** The files read, with the library each declared (undefined when unreadable). */
  files: { uri: string; display: string; name?: string }[];
  /**
   * Sources the adapter could not read (a package not installed, a path outside the repository), set by the
   * language server so the model shows them (`library/unreadable`); the CLI prints them and exits 2 instead.
   */
  unreadable?: { source: string; entry?: number; message: string }[];
}

export const EMPTY_LIBRARY: Library = { names: [], catalog: [], catalogById: new Map(), templates: new Map(), rules: [], problems: [], files: [] };

/** Library files read at most (more are a problem). */
export const MAX_LIBRARY_FILES_LOADED = 100;
const NODE_BUDGET = 200_000;
/** Problems listed per file (a broken file of a megabyte could have tens of thousands). */
const MAX_FILE_PROBLEMS = 200;
/** YAML errors reported per file (the first ones say what is wrong; the rest echo them). */
const MAX_SYNTAX_PROBLEMS = 20;

interface ReadFile {
  file: LibraryFile;
  source: SourceMap;
  name: string;
  data: Record<string, Record<string, unknown>>;
}

export function loadLibraries(files: readonly LibraryFile[]): Library {
  const problems: LibraryProblem[] = [];
  const read: ReadFile[] = [];
  const infos: Library['files'] = [];
  files.slice(0, MAX_LIBRARY_FILES_LOADED).forEach(f => {
    const r = readFile(f, problems);
    infos.push({ uri: f.uri, display: f.display, ...(r ? { name: r.name } : {}) });
    if (r) read.push(r);
  });
  for (const f of files.slice(MAX_LIBRARY_FILES_LOADED)) {
    problems.push({ uri: f.uri, display: f.display, range: { start: 0, end: Math.min(1, f.text.length) }, severity: 'error', message: `More than ${MAX_LIBRARY_FILES_LOADED} library files: this one is not read.` });
  }

  const at = (r: ReadFile, path: Path, severity: Severity, message: string, prefer: 'key' | 'value' = 'key'): void => {
    problems.push({ uri: r.file.uri, display: r.file.display, range: r.source.rangeFor(path, prefer), severity, message });
  };

  // Catalog entries, templates and rules, namespaced; a second entry with an id already taken is a problem.
  const catalogById = new Map<string, LibraryCatalogEntry>();
  const rawTemplates = new Map<string, { r: ReadFile; key: string; data: TemplateData }>();
  const rawRules: { r: ReadFile; key: string; data: LibraryRuleData }[] = [];
  const firstAt = new Map<string, string>();
  const claim = (r: ReadFile, section: string, key: string): boolean => {
    const id = `${r.name}/${key}`;
    const k = `${section}\u0000${id}`;
    const prev = firstAt.get(k);
    if (prev !== undefined) {
      at(r, [section, key], 'error', `Duplicate id \`${id}\`: ${section === 'threats' ? 'a catalog entry' : section === 'templates' ? 'a template' : 'a rule'} with this id is already defined in ${prev}; rename one of them.`);
      return false;
    }
    firstAt.set(k, r.file.display);
    return true;
  };
  for (const r of read) {
    for (const [key, data] of Object.entries(r.data.threats ?? {})) {
      if (!claim(r, 'threats', key)) continue;
      if (!checkCondition(r, ['threats', key, 'applies_to'], (data as CatalogThreatData).applies_to as Condition | undefined, at)) continue;
      const id = `${r.name}/${key}`;
      catalogById.set(id, { id, library: r.name, key, data: data as CatalogThreatData, uri: r.file.uri });
    }
    for (const [key, data] of Object.entries(r.data.templates ?? {})) {
      if (claim(r, 'templates', key)) rawTemplates.set(`${r.name}/${key}`, { r, key, data: data as TemplateData });
    }
    for (const [key, data] of Object.entries(r.data.rules ?? {})) {
      if (!claim(r, 'rules', key)) continue;
      if (!checkCondition(r, ['rules', key, 'when'], (data as LibraryRuleData).when, at)) continue;
      rawRules.push({ r, key, data: data as LibraryRuleData });
    }
  }

  const templates = resolveTemplates(rawTemplates, catalogById, at);
  const rules: LibraryRuleDef[] = [];
  for (const { r, key, data } of rawRules) {
    const { def, unknownPlaceholders } = compileRule(r.name, key, data);
    for (const p of unknownPlaceholders) at(r, ['rules', key, p.field], 'warning', `Unknown placeholder \`{${p.name}}\` in \`${p.field}\`: it is left as written. Known placeholders: ${p.known.map(k => `{${k}}`).join(' ')}.`, 'value');
    rules.push(def);
  }
  const names = [...new Set(read.map(r => r.name))].sort();
  return { names, catalog: [...catalogById.values()], catalogById, templates, rules, problems, files: infos };
}

// ---- reading one file -----------------------------------------------------------------------------------------

function readFile(f: LibraryFile, problems: LibraryProblem[]): ReadFile | undefined {
  const text = f.text;
  let count = 0;
  const problem = (range: Range, message: string, severity: Severity = 'error') => {
    if (++count <= MAX_FILE_PROBLEMS) problems.push({ uri: f.uri, display: f.display, range, severity, message });
    else if (count === MAX_FILE_PROBLEMS + 1) problems.push({ uri: f.uri, display: f.display, range, severity: 'error', message: `More than ${MAX_FILE_PROBLEMS} problems in this file: the rest are not listed. Fix these first.` });
  };
  const first = { start: 0, end: Math.min(1, text.length) };
  const bytes = text.length > MAX_LIBRARY_FILE_SIZE / 4 ? new TextEncoder().encode(text).length : text.length;
  if (bytes > MAX_LIBRARY_FILE_SIZE) {
    problem(first, `The library file is ${bytes} bytes, over the ${MAX_LIBRARY_FILE_SIZE}-byte limit for library files: split it into several files.`);
    return undefined;
  }
  if (text.trim() === '') {
    problem(first, 'The library file is empty: start it with `rampart-library: 1` and a `name:`.');
    return undefined;
  }
  const binary = text.search(/[\u0000-\u0008\u000E-\u001A]|\uFFFD/);
  if (binary >= 0) {
    problem({ start: binary, end: binary + 1 }, 'This file is not text (binary data, or not UTF-8): a library is a YAML text file.');
    return undefined;
  }
  const pre = prescan(text, { maxDepth: MAX_DEPTH, maxNodes: NODE_BUDGET });
  if (pre) {
    problem({ start: pre.offset, end: Math.min(pre.offset + 1, text.length) }, pre.kind === 'too-many-nodes'
      ? 'This library file holds too many values; split it into several files.'
      : `Lists and maps nest deeper than ${MAX_DEPTH} levels here; a library never needs this.`);
    return undefined;
  }
  let docs: Document[];
  try {
    const all = parseAllDocuments(text, PARSE_OPTIONS);
    docs = Array.isArray(all) ? all : [];
  } catch (e) {
    problem(first, `The YAML could not be read (${e instanceof RangeError ? 'nesting too deep' : (e as Error).message.split('\n')[0]}).`);
    return undefined;
  }
  const doc = docs[0];
  if (!doc) {
    problem(first, 'The library file holds no YAML document.');
    return undefined;
  }
  for (const extra of docs.slice(1)) {
    const r = extra.range ?? [0, 0, 0];
    problem({ start: r[0], end: Math.max(r[0] + 1, Math.min(r[1], r[0] + 3)) }, 'Only one YAML document per library file: move this one into its own file.');
  }
  for (const e of doc.errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    const start = Math.min(e.pos[0], text.length);
    problem({ start, end: Math.max(start + 1, Math.min(e.pos[1], text.length)) }, `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}.`);
  }
  if (doc.errors.length) return undefined;
  for (const w of doc.warnings) {
    const start = Math.min(w.pos[0], text.length);
    problem({ start, end: Math.max(start + 1, Math.min(w.pos[1], text.length)) }, `YAML: ${w.message.split('\n')[0]}.`, w.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning');
  }
  const st: ConvertState = { findings: [], aliases: 0, nodes: 0, stopped: false, checked: new WeakSet() };
  let data: unknown;
  try {
    data = toPlain(doc.contents, doc, st, 0, []);
  } catch (e) {
    problem(first, `The YAML could not be read (${(e as Error).message.split('\n')[0]}).`);
    return undefined;
  }
  for (const x of st.findings) problem(x.range, x.message.replace(/threat models?/g, 'library files'), x.severity);
  if (st.stopped) return undefined;
  const source = new SourceMap(doc, text.length);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problem(source.rangeFor([], 'value'), 'A library file is a map that starts with `rampart-library: 1` and a `name:`.');
    return undefined;
  }
  const obj = data as Record<string, unknown>;
  if (!('rampart-library' in obj)) {
    problem(first, 'Add `rampart-library: 1` as the first line: it declares a Rampart team library file (format 1).');
    return undefined;
  }
  const result = fileSchema.safeParse(obj);
  const bad = new Set<string>();
  let fatal = false;
  if (!result.success) {
    for (const issue of result.error.issues) {
      for (const d of describe(issue as z.core.$ZodIssue, obj)) {
        problem(d.keyRange ? (source.keyRange(d.path) ?? source.rangeFor(d.path)) : source.rangeFor(d.path, d.path.length ? 'value' : 'key'), d.message);
      }
      const [top, entry] = issue.path as (string | number)[];
      if ((top === 'threats' || top === 'templates' || top === 'rules') && entry !== undefined) bad.add(`${top}\u0000${String(entry)}`);
      else if (top === 'rampart-library' || top === 'name' || top === undefined) fatal = true;
      // an unknown top-level key, a bad description or a section that is not a map: the rest is still read
    }
  }
  if (fatal) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const section of ['threats', 'templates', 'rules'] as const) {
    const v = obj[section];
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const kept: Record<string, unknown> = {};
    for (const [id, entry] of Object.entries(v)) if (!bad.has(`${section}\u0000${id}`)) kept[id] = entry;
    out[section] = kept;
  }
  return { file: f, source, name: obj.name as string, data: out };
}

// ---- zod issues -> messages -----------------------------------------------------------------------------------

interface Described {
  path: Path;
  message: string;
  keyRange?: boolean;
}

/** The object schemas that may apply at a path of a library file (through unions, every branch). */
function objectsAt(path: Path): AnySchema[] {
  let cur: AnySchema[] = [unwrap(fileSchema as unknown as AnySchema)!];
  const expand = (xs: AnySchema[]): AnySchema[] => xs.flatMap(x => {
    const u = unwrap(x);
    if (!u) return [];
    return u._zod.def.type === 'union' ? expand(u._zod.def.options as AnySchema[]) : [u];
  });
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const s of expand(cur)) {
      const def = s._zod.def;
      if (def.type === 'object') { const v = (def.shape as Record<string, AnySchema>)[String(seg)]; if (v) next.push(v); }
      else if (def.type === 'record' && typeof seg === 'string') next.push(def.valueType as AnySchema);
      else if (def.type === 'array' && typeof seg === 'number') next.push(def.element as AnySchema);
    }
    cur = next;
    if (!cur.length) return [];
  }
  return expand(cur).filter(s => s._zod.def.type === 'object');
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg as string];
  }
  return v;
}

const field = (path: Path) => {
  const last = [...path].reverse().find(p => typeof p === 'string');
  return last === undefined ? 'the file' : `\`${clip(String(last), 60)}\``;
};
const typeWord = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : typeof v === 'string' ? `the text "${v.length > 40 ? v.slice(0, 40) + '…' : v}"` : `${typeof v} ${String(v)}`);
const EXPECTED: Record<string, string> = { object: 'a map', array: 'a list', string: 'text', number: 'a number', boolean: 'true or false', record: 'a map of id: entry' };

function describe(issue: z.core.$ZodIssue, root: unknown, depth = 0): Described[] {
  const path = issue.path as (string | number)[];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const here = valueAt(root, path);
      const known = [...new Set(objectsAt(path).flatMap(s => Object.keys(s._zod.def.shape as object)))];
      return issue.keys.map(key => {
        const present = (k: string) => here !== null && typeof here === 'object' && Object.hasOwn(here, k);
        // (a key of a megabyte is not compared with every known key)
        const suggestion = key.length <= 64 ? didYouMean(key, known.filter(k => !present(k))) : undefined;
        const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : known.length ? ` Allowed keys: ${known.join(', ')}.` : '';
        return { path: [...path, key], keyRange: true, message: `Unknown key \`${clip(key, 60)}\` ${path.length ? `in ${field(path)}` : 'at the top level'}.${hint}` };
      });
    }
    case 'invalid_union': {
      // The branch that got furthest into the value says what is wrong (`when: { element: {...} }` vs `{ flow: ... }`).
      const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
      const score = (b: z.core.$ZodIssue[]) => Math.max(...b.map(i => i.path.length + (i.code === 'unrecognized_keys' ? 0.5 : 0)));
      const value = valueAt(root, path);
      const subject = ['when', 'applies_to'].includes(String(path[path.length - 1]));
      if (subject && value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).filter(k => k === 'element' || k === 'flow').length !== 1) {
        return [{ path, message: `${field(path)} names its subject: \`element:\` or \`flow:\` (exactly one of them), with a match under it, e.g. \`{ element: { type: store } }\`.` }];
      }
      const best = branches.filter(b => b.length).sort((a, b) => score(b) - score(a))[0];
      if (best && depth < 20 && score(best) > 0) return best.flatMap(i => describe({ ...i, path: [...path, ...i.path] } as z.core.$ZodIssue, root, depth + 1));
      // One value or a list of them: a single value out of the vocabulary says which values are allowed.
      const single = !Array.isArray(value) && branches.find(b => b.length === 1 && b[0].code === 'invalid_value');
      if (single && depth < 20) return describe({ ...single[0], path: [...path, ...single[0].path] } as z.core.$ZodIssue, root, depth + 1);
      return [{ path, message: `${field(path)} is not valid here${value === undefined ? '' : ` (${typeWord(value)})`}: ${issue.message}.` }];
    }
    case 'invalid_type': {
      const value = valueAt(root, path);
      if (value === undefined) return [{ path: path.slice(0, -1), keyRange: true, message: `Missing required field ${field(path)}: add it${path.length > 1 ? ` to ${field(path.slice(0, -1))}` : ''}.` }];
      return [{ path, message: `${field(path)} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${typeWord(value)}.` }];
    }
    case 'invalid_value': {
      const value = valueAt(root, path);
      const allowed = issue.values.map(v => String(v));
      if (value === undefined) return [{ path: path.slice(0, -1), keyRange: true, message: `Missing required field ${field(path)}: add it (${allowed.join(', ')}).` }];
      const suggestion = typeof value === 'string' && value.length <= 64 ? didYouMean(value, allowed) : undefined;
      return [{ path, message: `${field(path)} must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}; got ${clip(JSON.stringify(value) ?? String(value), 80)}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}` }];
    }
    case 'invalid_key': {
      const inner = (issue as { issues?: { message: string }[] }).issues?.[0]?.message ?? issue.message;
      return [{ path, keyRange: true, message: `Invalid id \`${clip(String(path[path.length - 1]), 60)}\`: ${inner}.` }];
    }
    case 'too_big':
      return [{ path, message: `${field(path)} is too long or too large: at most ${issue.maximum}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''} allowed.` }];
    case 'too_small':
      return [{ path, message: `${field(path)} ${issue.origin === 'string' ? 'must not be empty' : issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : `must be at least ${issue.minimum}`}.` }];
    default:
      return [{ path, message: `${field(path)}: ${issue.message}.` }];
  }
}

// ---- conditions over the limits --------------------------------------------------------------------------------

/** Depth and node count of a condition; false (with a located problem) when over CONDITION_LIMITS. */
function checkCondition(r: ReadFile, path: Path, c: Condition | undefined, at: (r: ReadFile, path: Path, s: Severity, m: string) => void): boolean {
  if (!c) return true;
  let nodes = 0;
  let deepest = 0;
  const walk = (m: ElementMatch | FlowMatch | undefined, depth: number) => {
    if (!m || nodes > CONDITION_LIMITS.nodes) return;
    deepest = Math.max(deepest, depth);
    for (const [k, v] of Object.entries(m)) {
      nodes += Array.isArray(v) && k !== 'all' && k !== 'any' ? Math.max(1, v.length) : 1;
      if (k === 'all' || k === 'any') for (const x of v as (ElementMatch | FlowMatch)[]) walk(x, depth + 1);
      else if (k === 'not' || k === 'from' || k === 'to') walk(v as ElementMatch, depth + 1);
    }
  };
  walk('element' in c ? c.element : c.flow, 1);
  if (deepest > CONDITION_LIMITS.depth || nodes > CONDITION_LIMITS.nodes) {
    const what = deepest > CONDITION_LIMITS.depth ? `nests ${deepest} levels deep (at most ${CONDITION_LIMITS.depth})` : `has more than ${CONDITION_LIMITS.nodes} fields and values`;
    at(r, path, 'error', `This condition is too expensive: it ${what}. Split it into several rules or simplify it; the ${path[0] === 'rules' ? 'rule' : 'catalog entry'} is left out.`);
    return false;
  }
  return true;
}

// ---- templates ----------------------------------------------------------------------------------------------

function resolveTemplates(
  raw: Map<string, { r: ReadFile; key: string; data: TemplateData }>,
  catalog: Map<string, LibraryCatalogEntry>,
  at: (r: ReadFile, path: Path, s: Severity, m: string, prefer?: 'key' | 'value') => void,
): Map<string, LibraryTemplate> {
  const out = new Map<string, LibraryTemplate>();
  const ns = (lib: string, ref: string) => (ref.includes('/') ? ref : `${lib}/${ref}`);
  // extends: a walk along the parent chain of each template; a chain that comes back to itself is a cycle.
  const state = new Map<string, 'open' | 'done' | 'bad'>();
  const resolve = (id: string, stack: string[]): LibraryTemplate | undefined => {
    const s = state.get(id);
    if (s === 'done') return out.get(id);
    if (s === 'bad') return undefined;
    const t = raw.get(id)!;
    if (s === 'open') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      for (const member of cycle.slice(0, -1)) {
        const m = raw.get(member)!;
        at(m.r, ['templates', m.key, 'extends'], 'error', `Templates extend each other in a cycle: ${cycle.map(quote).join(' -> ')}. Remove one \`extends\`; the templates of the cycle are left out.`, 'value');
        state.set(member, 'bad');
      }
      return undefined;
    }
    state.set(id, 'open');
    let parent: LibraryTemplate | undefined;
    if (t.data.extends) {
      const pid = ns(t.r.name, t.data.extends);
      if (!raw.has(pid)) {
        at(t.r, ['templates', t.key, 'extends'], 'error', `\`extends: ${t.data.extends}\` names no template (${pid} is not defined in the libraries read); the template is left out.`, 'value');
        state.set(id, 'bad');
        return undefined;
      }
      parent = resolve(pid, [...stack, id]);
      if (state.get(id) === 'bad') return undefined;
      if (!parent) {
        if (state.get(pid) === 'bad' && state.get(id) === 'open') {
          at(t.r, ['templates', t.key, 'extends'], 'error', `\`extends: ${t.data.extends}\`: that template is left out (see its problem), so this one is too.`, 'value');
        }
        state.set(id, 'bad');
        return undefined;
      }
    }
    const own = buildTemplate(t, catalog, ns, at);
    const element: TemplateElementData = { ...(parent?.element ?? {}), ...own.element };
    const union = (a?: string[], b?: string[]) => (a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined);
    const controls = union(parent?.element.controls, own.element.controls);
    if (controls) element.controls = controls as TemplateElementData['controls'];
    const tags = union(parent?.element.tags, own.element.tags);
    if (tags) element.tags = tags;
    const threats = [...(parent?.threats ?? []).filter(p => !own.threats.some(o => o.key === p.key)), ...own.threats];
    const tpl: LibraryTemplate = {
      id, library: t.r.name, key: t.key,
      title: t.data.title ?? parent?.title ?? t.key,
      ...(t.data.description ?? parent?.description ? { description: t.data.description ?? parent?.description } : {}),
      element, threats,
      mitigations: { ...(parent?.mitigations ?? {}), ...(t.data.mitigations ?? {}) },
      extends: parent ? [parent.id, ...parent.extends] : [],
      uri: t.r.file.uri,
    };
    out.set(id, tpl);
    state.set(id, 'done');
    return tpl;
  };
  for (const id of raw.keys()) resolve(id, []);
  return out;
}

function buildTemplate(
  t: { r: ReadFile; key: string; data: TemplateData },
  catalog: Map<string, LibraryCatalogEntry>,
  ns: (lib: string, ref: string) => string,
  at: (r: ReadFile, path: Path, s: Severity, m: string, prefer?: 'key' | 'value') => void,
): { element: TemplateElementData; threats: ResolvedTemplateThreat[] } {
  const threats: ResolvedTemplateThreat[] = [];
  const mitigationKeys = new Set(Object.keys(t.data.mitigations ?? {}));
  (t.data.threats ?? []).forEach((item, i) => {
    const spec = typeof item === 'string' ? { ref: item } : item;
    let entry: LibraryCatalogEntry | undefined;
    if (spec.ref) {
      entry = catalog.get(ns(t.r.name, spec.ref));
      if (!entry) {
        at(t.r, ['templates', t.key, 'threats', i], 'error', `\`${spec.ref}\` is not a catalog entry of the libraries read (\`threats:\` of library ${t.r.name}, or \`lib/id\`); this threat of the template is left out.`, 'value');
        return;
      }
    }
    const links = (spec as { mitigations?: string[] }).mitigations ?? [];
    const unknown = links.filter(m => !mitigationKeys.has(m));
    if (unknown.length) at(t.r, ['templates', t.key, 'threats', i, 'mitigations'], 'error', `${unknown.map(quote).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in this template's \`mitigations:\`; the link is left out.`, 'value');
    const s = spec as Exclude<TemplateData['threats'], undefined>[number] & object;
    const d = entry?.data;
    const key = (typeof s === 'object' && 'id' in s && s.id) || entry?.key || `threat-${i + 1}`;
    const pick = <K extends string>(k: K): unknown => (s as Record<string, unknown>)[k] ?? (d as Record<string, unknown> | undefined)?.[k];
    threats.push({
      key,
      ...(entry ? { from: entry.id } : {}),
      title: pick('title') as string,
      ...(pick('description') !== undefined ? { description: pick('description') as string } : {}),
      ...(pick('stride') ? { stride: pick('stride') as string[] } : {}),
      ...(pick('linddun') ? { linddun: pick('linddun') as string[] } : {}),
      ...(pick('cwe') ? { cwe: pick('cwe') as string[] } : {}),
      ...(pick('capec') ? { capec: pick('capec') as string[] } : {}),
      ...(pick('likelihood') ? { likelihood: pick('likelihood') as string } : {}),
      ...(pick('impact') ? { impact: pick('impact') as string } : {}),
      ...((s as { status?: string }).status ? { status: (s as { status?: string }).status } : {}),
      mitigations: links.filter(m => mitigationKeys.has(m)),
      typical: d?.mitigations ?? [],
    });
  });
  return { element: t.data.element ?? {}, threats };
}
