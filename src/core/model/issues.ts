/**
 * Turns zod issues into findings with precise ranges and messages that say what to do, including "did you
 * mean" suggestions for misspelt keys and enum values.
 */
import type { z } from 'zod';
import { model as modelSchema } from './schema';
import type { SourceMap } from './sourceMap';
import type { Finding, Path } from '../types';

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a small edit distance, if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase().replace(/_/g, '-');
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase().replace(/_/g, '-'));
    if (d < bestD) { bestD = d; best = c; }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestD <= limit ? best : undefined;
}

/** A zod schema as its definition is read here (`_zod.def`). */
export type AnySchema = { _zod: { def: Record<string, unknown> } };

/** The schema inside optional, nullable, default, readonly, lazy and pipe wrappers. */
export function unwrap(s: AnySchema | undefined): AnySchema | undefined {
  for (let i = 0; s && i < 10; i++) {
    const def = s._zod.def;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') s = def.innerType as AnySchema;
    else if (def.type === 'lazy') s = (def.getter as () => AnySchema)();
    else if (def.type === 'pipe') s = def.in as AnySchema;
    else return s;
  }
  return s;
}

/** The schema that applies at a model path (object shape, record value, array element), if known. */
export function schemaAt(path: Path): AnySchema | undefined {
  let s: AnySchema | undefined = unwrap(modelSchema as unknown as AnySchema);
  for (const seg of path) {
    if (!s) return undefined;
    const def = s._zod.def;
    if (def.type === 'object') s = unwrap((def.shape as Record<string, AnySchema>)[String(seg)]);
    else if (def.type === 'record') s = unwrap(def.valueType as AnySchema);
    else if (def.type === 'array') s = unwrap(def.element as AnySchema);
    else return undefined;
  }
  return s;
}

/** Keys allowed in the object at `path`. */
export function knownKeysAt(path: Path): string[] {
  const s = schemaAt(path);
  if (s?._zod.def.type !== 'object') return [];
  return Object.keys(s._zod.def.shape as object);
}

/** Enum values allowed at `path`. */
export function enumValuesAt(path: Path): string[] {
  const s = schemaAt(path);
  const def = s?._zod.def;
  if (def?.type === 'enum') return Object.values(def.entries as Record<string, string>);
  return [];
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg as string];
  }
  return v;
}

const fieldName = (path: Path) => {
  const last = [...path].reverse().find(p => typeof p === 'string');
  return last === undefined ? 'the document' : `\`${String(last)}\``;
};

const typeWord = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : typeof v === 'string' ? `the text "${v.length > 40 ? v.slice(0, 40) + '…' : v}"` : `${typeof v} ${String(v)}`);
const expectedWord: Record<string, string> = { object: 'a map', array: 'a list', string: 'text', number: 'a number', boolean: 'true or false', record: 'a map of id: entry' };

/**
 * The findings of one zod issue: one per unknown key (each at its own key, with its own "did you mean"), so
 * a key is reported whatever else is wrong in its map; one for any other issue.
 */
export function describeIssue(issue: z.core.$ZodIssue, root: unknown, source: SourceMap): Finding[] {
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 1) return issue.keys.map(k => describeOne({ ...issue, keys: [k] }, root, source));
  return [describeOne(issue, root, source)];
}

function describeOne(issue: z.core.$ZodIssue, root: unknown, source: SourceMap): Finding {
  const path = issue.path as (string | number)[];
  const base = (ruleId: string, message: string, range = source.rangeFor(path, 'value')): Finding =>
    ({ ruleId, severity: 'error', message, range, path });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys;
      const known = knownKeysAt(path);
      const key = keys[0];
      // Never suggest a key the map already has: the rename would make a duplicate key.
      const here = valueAt(root, path);
      const present = (k: string) => here !== null && typeof here === 'object' && Object.hasOwn(here, k);
      const suggestion = didYouMean(key, known.filter(k => !present(k)));
      const where = path.length ? `in ${fieldName(path)}` : 'at the top level';
      const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : known.length ? ` Allowed keys: ${known.join(', ')}.` : '';
      const f = base('schema/unknown-key', `Unknown key \`${key}\` ${where}.${hint}`, source.keyRange([...path, key]) ?? source.rangeFor(path));
      f.path = [...path, key];
      if (suggestion) {
        const r = source.keyRange([...path, key]);
        if (r) f.fixes = [{ kind: 'replace', title: `Rename to \`${suggestion}\``, range: r, text: suggestion, expect: key, preferred: true }];
      }
      return f;
    }
    case 'invalid_type': {
      const value = valueAt(root, path);
      if (value === undefined) {
        const field = fieldName(path);
        const parent = path.length > 1 ? ` to ${fieldName(path.slice(0, -1))}` : '';
        return base('schema/missing-field', `Missing required field ${field}: add it${parent}.`, source.rangeFor(path.slice(0, -1), 'key'));
      }
      const expected = expectedWord[issue.expected] ?? issue.expected;
      return base('schema/invalid-type', `${fieldName(path)} must be ${expected}, not ${typeWord(value)}.`);
    }
    case 'invalid_value': {
      const value = valueAt(root, path);
      const allowed = issue.values.map(v => String(v));
      if (value === undefined) {
        return base('schema/missing-field', `Missing required field ${fieldName(path)}: add it (one of ${allowed.join(', ')}).`, source.rangeFor(path.slice(0, -1), 'key'));
      }
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      const f = base('schema/invalid-value', `${fieldName(path)} must be one of ${allowed.join(', ')}; ${value === undefined ? 'it is missing' : `got ${JSON.stringify(value)}`}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`);
      if (suggestion) f.fixes = [{ kind: 'replace', title: `Change to \`${suggestion}\``, range: f.range, text: suggestion, expect: '', preferred: true }];
      return f;
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = (issue as { issues?: { message: string }[] }).issues?.[0]?.message ?? issue.message;
      return base('schema/invalid-id', `Invalid id \`${key}\`: ${inner}.`, source.keyRange(path) ?? source.rangeFor(path));
    }
    case 'too_big': {
      const what = issue.origin === 'string' ? `at most ${issue.maximum} characters` : issue.origin === 'array' ? `at most ${issue.maximum} items` : `at most ${issue.maximum}`;
      return base('schema/too-long', `${fieldName(path)} is too long or too large: ${what} allowed.`);
    }
    case 'too_small': {
      const what = issue.origin === 'string' ? 'must not be empty' : issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : `must be at least ${issue.minimum}`;
      return base('schema/invalid-value', `${fieldName(path)} ${what}.`);
    }
    case 'invalid_format':
      return base('schema/invalid-value', `${fieldName(path)}: ${issue.message}.`);
    default:
      return base('schema/invalid-value', `${fieldName(path)}: ${issue.message}.`);
  }
}
