/**
 * Issue #9: a file under the size cap must never make parsing slow or memory-hungry, or crash the reader.
 * Scaling is asserted as a ratio within one run (linear is 4x for 4x the input; quadratic 16x), never as an
 * absolute time: the CPU time of the fastest of a few runs, the one least disturbed by other processes on a
 * loaded machine; a ratio over the bound is measured again a few times before it fails.
 */
import assert from 'node:assert/strict';
import { parseModel } from '../../../src/core/model/parse';
import { analyze } from '../../../src/core/analyze';
import { ids, scaling } from '../helpers';

const manyKeys = (n: number) => 'rampart: 1\ntitle: Keys\nelements:\n' + Array.from({ length: n }, (_, i) => `  k${i}: 1`).join('\n') + '\n';
const damagedLines = (n: number) => 'rampart: 1\ntitle: Damaged\nelements:\n' + Array.from({ length: n }, () => '  - : : ] }').join('\n') + '\n';

describe('hardening: parsing in linear time and bounded memory (#9)', () => {
  it('quadratic parse: a 24,000-key map takes at most 6x as long as a 6,000-key map', () => {
    const small = manyKeys(6_000), large = manyKeys(24_000);
    const ratio = scaling(() => analyze(small), () => analyze(large), 6);
    assert.ok(ratio <= 6, `24k/6k keys took ${ratio.toFixed(1)}x (linear is 4x)`);
  });

  it('duplicate keys are still reported on the duplicate, once, without yaml\'s quadratic check', () => {
    const text = 'rampart: 1\ntitle: Dup\nelements:\n  api: { type: process, name: A }\n  db: { type: store, name: D }\n  api: { type: process, name: B }\n';
    const dup = analyze(text).findings.filter(f => f.ruleId === 'schema/duplicate-key');
    assert.equal(dup.length, 1);
    assert.equal(text.slice(dup[0].range.start, dup[0].range.end), 'api');
    assert.equal(text.slice(0, dup[0].range.start).split('\n').length, 6);
  });

  it('a map reached twice through an alias reports its duplicate key once', () => {
    const text = 'rampart: 1\ntitle: Dup\nx-base: &b { a: 1, a: 2 }\nx-one: *b\nx-two: *b\n';
    assert.equal(analyze(text).findings.filter(f => f.ruleId === 'schema/duplicate-key').length, 1);
  });

  it('quadratic damaged regions: 6,000 broken lines take at most 6x as long as 1,500', () => {
    const small = damagedLines(1_500), large = damagedLines(6_000);
    const ratio = scaling(() => analyze(small), () => analyze(large), 6);
    assert.ok(ratio <= 6, `6,000/1,500 damaged lines took ${ratio.toFixed(1)}x (linear is 4x)`);
    assert.ok(analyze(small).findings.some(f => f.ruleId === 'schema/yaml-syntax'));
  });

  it('unbracketed nesting `- - - ...` x10000 is "nesting too deep", not a stack overflow', () => {
    for (const text of ['- '.repeat(10_000) + 'x\n', '? '.repeat(10_000) + 'x\n', 'rampart: 1\nscope:\n  in:\n' + '    - '.repeat(1) + '- '.repeat(5_000) + 'x\n']) {
      const { findings } = parseModel(text);
      assert.deepEqual(ids(findings), ['schema/nesting-too-deep'], text.slice(0, 30));
      assert.doesNotMatch(findings[0].message, /call stack/i);
    }
  });

  it('indentation nesting deeper than the limit is "nesting too deep"', () => {
    const text = 'rampart: 1\n' + Array.from({ length: 200 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' x\n';
    assert.deepEqual(ids(parseModel(text).findings), ['schema/nesting-too-deep']);
  });

  it('over 64 `[` inside a block scalar is text, not nesting, and the model is kept', () => {
    const text = 'rampart: 1\ntitle: Brackets\ndescription: |\n  ' + '['.repeat(100) + '\n  more text {{{{\nelements:\n  api: { type: process, name: API }\n';
    const r = parseModel(text);
    assert.deepEqual(ids(r.findings), []);
    assert.equal(r.model.description, '['.repeat(100) + '\nmore text {{{{\n');
    assert.ok(r.model.elements?.api);
  });

  it('brackets inside a plain or quoted scalar are text too', () => {
    for (const value of ['draft ' + '['.repeat(80), `"${'['.repeat(80)}"`, `'it''s ${'{'.repeat(80)}'`]) {
      const r = parseModel(`rampart: 1\ntitle: ${value}\n`);
      assert.deepEqual(ids(r.findings), [], value);
    }
  });

  it('real flow nesting past the limit is still refused before parsing, at the bracket', () => {
    const text = 'rampart: 1\ntitle: x\nscope: { in: ' + '['.repeat(70) + ']'.repeat(70) + ' }\n';
    const r = parseModel(text);
    assert.deepEqual(ids(r.findings), ['schema/nesting-too-deep']);
    assert.equal(r.doc, undefined);
  });

  it('a million flow items are refused before the parser builds them (memory)', () => {
    const text = 'rampart: 1\ntitle: x\nscope:\n  in: [' + Array(1_000_000).fill('a').join(',') + ']\n';
    const r = parseModel(text, { maxFileSize: 4 * 1024 * 1024 });
    assert.deepEqual(ids(r.findings), ['schema/too-large']);
    assert.equal(r.doc, undefined, 'the YAML parser never ran');
  });
});
