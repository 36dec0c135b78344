import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { completionContextAt, nodeAt, wordAt } from '../../../src/core/lang/cursor';
import { referenceKindsAt } from '../../../src/core/lang/slots';

/** Splits `text` at its `|` marker: [text without the marker, offset of the marker]. */
export function at(marked: string): [string, number] {
  const i = marked.indexOf('|');
  assert.ok(i >= 0, 'the test text has a | cursor marker');
  return [marked.slice(0, i) + marked.slice(i + 1), i];
}

const ctx = (marked: string) => completionContextAt(...at(marked));

describe('lang/cursor: completion context', () => {
  it('a bare word on its own line is a key of the map above it', () => {
    const c = ctx('threats:\n  t1:\n    title: x\n    sta|\nmitigations: {}\n');
    assert.equal(c?.role, 'key');
    assert.deepEqual(c?.path, ['threats', 't1']);
    assert.equal(c?.prefix, 'sta');
    assert.deepEqual(c?.siblings, ['title']);
  });

  it('an empty, indented line is a key at that indentation', () => {
    assert.deepEqual(ctx('threats:\n  t1:\n    title: x\n    |\n  t2:\n    title: y\n')?.path, ['threats', 't1']);
    assert.deepEqual(ctx('threats:\n  t1:\n    title: x\n  |')?.path, ['threats']);
    assert.deepEqual(ctx('threats:\n  t1:\n    title: x\n|')?.path, []);
  });

  it('after `key: ` is that key\'s value, also when the space is missing', () => {
    const c = ctx('threats:\n  t1:\n    status: |\n');
    assert.equal(c?.role, 'value');
    assert.deepEqual(c?.path, ['threats', 't1', 'status']);
    assert.equal(c?.needsSpace, false);
    const d = ctx('threats:\n  t1:\n    status:|\n');
    assert.deepEqual(d?.path, ['threats', 't1', 'status']);
    assert.equal(d?.needsSpace, true);
  });

  it('inside a flow list is an item, with the other items as siblings, even when unclosed', () => {
    const c = ctx('threats:\n  t1:\n    targets: [api, |]\n');
    assert.deepEqual(c?.path, ['threats', 't1', 'targets', 1]);
    assert.deepEqual(c?.siblings, ['api']);
    assert.equal(c?.inFlow, true);
    assert.deepEqual(ctx('threats:\n  t1:\n    targets: [api, |\n    status: open\n')?.path, ['threats', 't1', 'targets', 1]);
  });

  it('inside a flow map: value after `key: `, key otherwise', () => {
    assert.deepEqual(ctx('elements:\n  a: { type: ext| }\n')?.path, ['elements', 'a', 'type']);
    const k = ctx('elements:\n  a: { type: external, bou| }\n');
    assert.equal(k?.role, 'key');
    assert.deepEqual(k?.path, ['elements', 'a']);
    assert.deepEqual(ctx('elements:\n  a: { type: external, boundary: |, name: x }\n')?.path, ['elements', 'a', 'boundary']);
  });

  it('a block list item, and a value alone on the line below its key', () => {
    assert.deepEqual(ctx('threats:\n  t1:\n    targets:\n      - |\n    status: open\n')?.path, ['threats', 't1', 'targets', 0]);
    const c = ctx('threats:\n  t1:\n    targets:\n      |\n    status: open\n');
    assert.deepEqual(c?.path, ['threats', 't1', 'targets']);
    assert.equal(c?.ownLine, true);
  });

  it('the word range covers the rest of the word after the cursor', () => {
    const [text, off] = at('  status: mit|igated\n');
    const w = wordAt(text, off);
    assert.equal(text.slice(w.insert.start, w.insert.end), 'mit');
    assert.equal(text.slice(w.replace.start, w.replace.end), 'mitigated');
  });

  it('nothing inside a comment', () => {
    assert.equal(ctx('threats:\n  t1:\n    title: x   # a note |\n'), undefined);
  });
});

describe('lang/cursor: node at an offset', () => {
  const text = 'threats:\n  t1:\n    targets: [api, "db"]\n    status: open\n';
  const doc = parseDocument(text);
  it('finds keys, values and list items with their paths', () => {
    assert.deepEqual(nodeAt(doc, text.indexOf('t1') + 1), { path: ['threats', 't1'], role: 'key', range: { start: 11, end: 13 }, value: 't1' });
    assert.deepEqual(nodeAt(doc, text.indexOf('db'))?.path, ['threats', 't1', 'targets', 1]);
    assert.deepEqual(nodeAt(doc, text.indexOf('open') + 4)?.path, ['threats', 't1', 'status']);
    assert.equal(nodeAt(doc, text.indexOf('open') + 4)?.role, 'value');
  });
});

describe('lang/slots: reference kinds by path', () => {
  it('knows every reference slot', () => {
    assert.deepEqual(referenceKindsAt(['elements', 'a', 'boundary']), ['boundary']);
    assert.deepEqual(referenceKindsAt(['elements', 'a', 'stores', 0]), ['asset']);
    assert.deepEqual(referenceKindsAt(['flows', 'f', 'from']), ['element']);
    assert.deepEqual(referenceKindsAt(['flows', 'f', 'data', 2]), ['asset']);
    assert.deepEqual(referenceKindsAt(['threats', 't', 'targets', 0]), ['element', 'flow']);
    assert.deepEqual(referenceKindsAt(['threats', 't', 'mitigations', 0]), ['mitigation']);
    assert.deepEqual(referenceKindsAt(['threats', 't', 'statement', 'assets', 0]), ['asset']);
    assert.deepEqual(referenceKindsAt(['boundaries', 'b', 'parent']), ['boundary']);
    assert.deepEqual(referenceKindsAt(['attack_trees', 'x', 'threat']), ['threat']);
    assert.deepEqual(referenceKindsAt(['attack_trees', 'x', 'or', 0, 'and', 1, 'threat']), ['threat']);
    assert.deepEqual(referenceKindsAt(['attack_trees', 'x', 'or', 3, 'tree']), ['attack_tree']);
  });
  it('and nothing else', () => {
    assert.equal(referenceKindsAt(['threats', 't', 'targets']), undefined);
    assert.equal(referenceKindsAt(['threats', 't', 'title']), undefined);
    assert.equal(referenceKindsAt(['attack_trees', 'x', 'or', 0, 'leaf']), undefined);
    assert.equal(referenceKindsAt(['elements', 'a', 'name']), undefined);
  });
});
