/**
 * What "the incremental analysis equals a full one" means: every part of an `Analysis` the server reads, and
 * the YAML nodes (kind, ranges, scalar values) that hover, outline, navigation and completion walk.
 */
import assert from 'node:assert/strict';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { Analysis } from '../../../src/core/analyze';
import { outline } from '../../../src/core/lang/outline';

type Tree = unknown;

function tree(node: unknown, ends: boolean): Tree {
  if (node === null || node === undefined) return null;
  if (isPair(node)) return { k: tree(node.key, ends), v: tree(node.value, ends) };
  const n = node as { range?: [number, number, number] };
  const r = n.range ? (ends ? [...n.range] : n.range.slice(0, 2)) : null;
  if (isScalar(node)) return { s: node.value, r, t: node.type };
  if (isMap(node)) return { m: node.items.map(i => tree(i, ends)), r, f: !!node.flow };
  if (isSeq(node)) return { q: node.items.map(i => tree(i, ends)), r, f: !!node.flow };
  return { other: String(node) };
}

export function docTree(doc: Document | undefined, ends = false): Tree {
  return doc ? tree(doc.contents, ends) : undefined;
}

/**
 * A canonical text of plain data that keeps what JSON drops: properties set to undefined, and whether an
 * object has a null prototype (the parsed data has). Equal texts: deepStrictEqual would find them equal.
 */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === undefined) return '\u0000undefined';
    if (x && typeof x === 'object' && !Array.isArray(x) && Object.getPrototypeOf(x) === null) return { '\u0000null-prototype': true, ...(x as object) };
    if (x instanceof Set) return { '\u0000set': [...x] };
    if (x instanceof Map) return { '\u0000map': [...x] };
    if (x instanceof Date) return { '\u0000date': x.toISOString() };
    return x;
  });
}

export function assertSameAnalysis(inc: Analysis, full: Analysis, label = ''): void {
  const m = (what: string) => `${label}: ${what} differs`;
  // Compared as canonical text (fast), and in detail (a readable diff) when that differs.
  const same = (a: unknown, b: unknown, what: string) => {
    if (canonical(a) !== canonical(b)) assert.deepStrictEqual(a, b, m(what));
  };
  assert.equal(inc.parsed.text, full.parsed.text, m('text'));
  same(inc.findings, full.findings, 'findings');
  same(inc.parsed.findings, full.parsed.findings, 'parse findings');
  same(inc.parsed.data, full.parsed.data, 'data');
  same(inc.parsed.model, full.parsed.model, 'model');
  assert.equal(inc.parsed.valid, full.parsed.valid, m('valid'));
  same(inc.parsed.rejected, full.parsed.rejected, 'rejected');
  assert.equal(!!inc.parsed.doc, !!full.parsed.doc, m('doc presence'));
  // Start and end of every node; not the third offset (the end with trailing comments), which nothing reads
  // and which yaml sets differently for a null value followed by comments depending on what comes after.
  same(docTree(inc.parsed.doc), docTree(full.parsed.doc), 'YAML nodes');
  same(inc.index.definitions, full.index.definitions, 'definitions');
  same(inc.index.references, full.index.references, 'references');
  same([...inc.assessments], [...full.assessments], 'assessments');
  assert.equal(inc.tolerance, full.tolerance, m('tolerance'));
  same([...inc.graph.flowsFrom, ...inc.graph.flowsTo], [...full.graph.flowsFrom, ...full.graph.flowsTo], 'graph');
  same([...inc.graph.threatsByTarget], [...full.graph.threatsByTarget], 'graph');
  same(outline(inc), outline(full), 'outline');
}
