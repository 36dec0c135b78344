/**
 * The fidelity contract of the interop formats (#14): import a source file, export the model to the same
 * format, import that again, and the two models are the same (ids, texts, statuses, ratings, flags: every field).
 * A field the format cannot hold may differ only when the export's notes say so.
 */
import assert from 'node:assert/strict';
import { exportModelWithNotes, importModel, type ImportFormat, type ImportOptions } from '../../../src/core/interop/index';
import type { Model } from '../../../src/core/model/schema';
import { assertSchemaClean } from './corpus';

/** Paths where two values differ: `threats.t1.status: "open" != "mitigated"` (the first `max`). */
export function differences(a: unknown, b: unknown, path = '', out: string[] = [], max = 30): string[] {
  if (out.length >= max) return out;
  if (Object.is(a, b)) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences(a[k], b[k], path ? `${path}.${k}` : k, out, max);
    return out;
  }
  out.push(`${path}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`);
  return out;
}

/** Removes `path` (dots; `*` matches any key) from a copy of `value`. */
function without(value: unknown, path: string[]): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = Array.isArray(value) ? [...value] as unknown as Record<string, unknown> : { ...(value as Record<string, unknown>) };
  for (const k of Object.keys(copy)) {
    if (head !== '*' && head !== k) continue;
    if (rest.length === 0) delete copy[k];
    else copy[k] = without(copy[k], rest);
  }
  return copy;
}

export interface RoundTrip {
  first: Model;
  second: Model;
  exported: { text: string; notes: string[] };
  importNotes: string[];
}

/**
 * Runs import -> export -> import on `text`; both imports must be schema-clean. `lossy` lists paths (`threats.*.cvss`)
 * that may differ, each with a word that one of the export's notes must contain (the loss is said, not silent).
 */
export function assertRoundTrip(format: ImportFormat, text: string, label: string, lossy: Record<string, RegExp> = {}, options: ImportOptions = {}): RoundTrip {
  const imported = importModel(format, text, options);
  const first = assertSchemaClean(imported, `${label} (import)`);
  const exported = exportModelWithNotes(format, first);
  const second = assertSchemaClean(importModel(format, exported.text), `${label} (re-import)`);
  let a: unknown = first;
  let b: unknown = second;
  for (const [path, said] of Object.entries(lossy)) {
    assert.ok(exported.notes.some(n => said.test(n)), `${label}: ${path} may differ only when the export says so (${said}); notes: ${exported.notes.join(' | ') || 'none'}`);
    a = without(a, path.split('.'));
    b = without(b, path.split('.'));
  }
  assert.deepEqual(differences(a, b), [], `${label}: the re-imported model differs from the first import`);
  return { first, second, exported, importNotes: imported.notes };
}
