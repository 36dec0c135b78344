/**
 * The YAML editor's removals and list replacement (#11, delete and change from the visual editor): whole lines
 * in block style, one comma in flow style, `{}` / `[]` for what is left empty, aliases of removed anchors
 * written out first, CRLF kept.
 */
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyEdits, EditRefusal, YamlEditor } from '../../../src/core/edit/yamlEdit';
import type { Path } from '../../../src/core/types';

const read = (text: string) => parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false });
const data = (text: string) => read(text).toJS({ maxAliasCount: 1000 }) as unknown;

/** Runs editor operations; checks the edits reproduce the editor's text, the YAML reads without errors, and the line breaks. */
function edit(text: string, op: (ed: YamlEditor) => void): string {
  const ed = new YamlEditor(text);
  op(ed);
  const after = applyEdits(text, ed.edits());
  assert.equal(after, ed.text, 'the edits reproduce the edited text');
  assert.deepEqual(read(after).errors.map(e => e.message), [], `valid YAML:\n${after}`);
  if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'no bare LF in a CRLF file');
  return after;
}
const removeEntry = (text: string, path: Path) => edit(text, ed => ed.removeEntry(path));
const removeItem = (text: string, path: Path, i: number) => edit(text, ed => ed.removeSeqItem(path, i));
const refusal = (text: string, op: (ed: YamlEditor) => void) => {
  try {
    op(new YamlEditor(text));
  } catch (e) {
    assert.ok(e instanceof EditRefusal, `an EditRefusal, not ${String(e)}`);
    return e.message;
  }
  return assert.fail('the operation was refused');
};

const BLOCK = 'm:\n  a: 1\n  b:\n    x: [1, 2]\n    y: 2\n  c: 3\nz: 0\n';

describe('YamlEditor.removeEntry', () => {
  for (const eol of ['\n', '\r\n']) {
    const t = (s: string) => s.replace(/\n/g, eol);
    const tag = eol === '\n' ? 'LF' : 'CRLF';

    it(`block map (${tag}): the first, a middle, the last entry go with their whole lines`, () => {
      assert.equal(removeEntry(t(BLOCK), ['m', 'a']), t('m:\n  b:\n    x: [1, 2]\n    y: 2\n  c: 3\nz: 0\n'));
      assert.equal(removeEntry(t(BLOCK), ['m', 'b']), t('m:\n  a: 1\n  c: 3\nz: 0\n'));
      assert.equal(removeEntry(t(BLOCK), ['m', 'c']), t('m:\n  a: 1\n  b:\n    x: [1, 2]\n    y: 2\nz: 0\n'));
      assert.equal(removeEntry(t(BLOCK), ['z']), t('m:\n  a: 1\n  b:\n    x: [1, 2]\n    y: 2\n  c: 3\n'));
    });

    it(`block map (${tag}): the only entry leaves \`{}\`, after the colon, before a comment on the key's line`, () => {
      assert.equal(removeEntry(t('m:  # the map\n  a: 1\nz: 0\n'), ['m', 'a']), t('m: {}  # the map\nz: 0\n'));
      assert.equal(removeEntry(t('m:\n  # only a\n  a: 1\nz: 0\n'), ['m', 'a']), t('m: {}\n  # only a\nz: 0\n'));
    });

    it(`flow map (${tag}): first, middle, last and only pair with one comma`, () => {
      const f = t('e: { a: 1, b: [x, y], c: 3 }\n');
      assert.equal(removeEntry(f, ['e', 'a']), t('e: { b: [x, y], c: 3 }\n'));
      assert.equal(removeEntry(f, ['e', 'b']), t('e: { a: 1, c: 3 }\n'));
      assert.equal(removeEntry(f, ['e', 'c']), t('e: { a: 1, b: [x, y] }\n'));
      assert.equal(removeEntry(t('e: { a: 1 }\n'), ['e', 'a']), t('e: {}\n'));
      assert.equal(removeEntry(t('e: {a: 1, b: 2,}\n'), ['e', 'b']), t('e: {a: 1, }\n'));
      assert.equal(removeEntry(t('e: {a: 1,}\n'), ['e', 'a']), t('e: {}\n'));
    });
  }

  it('keeps comment lines above the entry and after it at its own column; takes those indented under it', () => {
    const text = 'm:\n  # about a\n  a:\n    x: 1\n    # still a\n  # about b\n  b: 2   # on b\n  c: 3\n';
    assert.equal(removeEntry(text, ['m', 'a']), 'm:\n  # about a\n  # about b\n  b: 2   # on b\n  c: 3\n');
    assert.equal(removeEntry(text, ['m', 'b']), 'm:\n  # about a\n  a:\n    x: 1\n    # still a\n  # about b\n  c: 3\n');
  });

  it('removes a block scalar value and an entry at the end of a file without a final line break', () => {
    assert.equal(removeEntry('m:\n  a: |\n    line 1\n    line 2\n  b: 2\n', ['m', 'a']), 'm:\n  b: 2\n');
    assert.equal(removeEntry('m:\n  a: 1\n  b: 2', ['m', 'b']), 'm:\n  a: 1\n');
  });

  it('a multi-line flow map keeps a comment between its pairs', () => {
    const text = 'e: {\n  a: 1,  # one\n  b: 2\n}\n';
    const after = removeEntry(text, ['e', 'b']);
    assert.match(after, /# one/);
    assert.deepEqual(data(after), { e: { a: 1 } });
    assert.deepEqual(data(removeEntry(text, ['e', 'a'])), { e: { b: 2 } });
    const list = 'k: [a,  # one\n  b]\n';
    assert.equal(removeItem(list, ['k'], 1), 'k: [a  # one\n  ]\n');
    assert.equal(removeItem(list, ['k'], 0), 'k: [  # one\n  b]\n');
  });

  it('is nothing for an absent entry', () => {
    const ed = new YamlEditor(BLOCK);
    ed.removeEntry(['m', 'nope']);
    ed.removeEntry(['nope', 'a']);
    assert.deepEqual(ed.edits(), []);
  });

  it('writes out an alias elsewhere of an anchor in the removed entry, and the anchor goes', () => {
    const text = 'm:\n  a: &base { type: process, name: A }\n  b: *base\n  c: 1\n';
    const after = removeEntry(text, ['m', 'a']);
    assert.deepEqual(data(after), { m: { b: { type: 'process', name: 'A' }, c: 1 } });
    assert.doesNotMatch(after, /&base|\*base/);
    // an anchor deeper inside, used from another section
    const deep = 'm:\n  a:\n    tags: &t [x, y]\n  b: 1\nn:\n  u: *t\n';
    assert.deepEqual(data(removeEntry(deep, ['m', 'a'])), { m: { b: 1 }, n: { u: ['x', 'y'] } });
    // aliases inside the removed entry need nothing
    const inner = 'm:\n  a:\n    p: &p 1\n    q: *p\n  b: 2\n';
    assert.equal(removeEntry(inner, ['m', 'a']), 'm:\n  b: 2\n');
  });

  it('writes out the aliases of an anchored map before removing from it, and reaches through an alias on the way', () => {
    const shared = 'm: &m\n  a: 1\n  b: 2\nn: *m\n';
    assert.deepEqual(data(removeEntry(shared, ['m', 'a'])), { m: { b: 2 }, n: { a: 1, b: 2 } });
    const via = 'base: &b { a: 1, b: 2 }\nn: *b\n';
    assert.deepEqual(data(removeEntry(via, ['n', 'a'])), { base: { a: 1, b: 2 }, n: { b: 2 } });
  });

  it('refuses cleanly: an alias of the removed anchor used as a key, a key on the line of a list dash', () => {
    assert.match(refusal('m:\n  a: &k x\n  b: 1\nn:\n  *k : 2\n', ed => ed.removeEntry(['m', 'a'])), /used as a key/);
    assert.match(refusal('l:\n  - a: 1\n    b: 2\n', ed => ed.removeEntry(['l', 0, 'a'])), /shares its line/);
    // the second key of that map is on its own line
    assert.equal(removeEntry('l:\n  - a: 1\n    b: 2\n', ['l', 0, 'b']), 'l:\n  - a: 1\n');
  });
});

describe('YamlEditor.removeSeqItem', () => {
  for (const eol of ['\n', '\r\n']) {
    const t = (s: string) => s.replace(/\n/g, eol);
    const tag = eol === '\n' ? 'LF' : 'CRLF';

    it(`block list (${tag}): first, middle, last; the only item leaves \`[]\``, () => {
      const l = t('k:\n  - a\n  - b: 1\n    c: 2\n  - d\nz: 0\n');
      assert.equal(removeItem(l, ['k'], 0), t('k:\n  - b: 1\n    c: 2\n  - d\nz: 0\n'));
      assert.equal(removeItem(l, ['k'], 1), t('k:\n  - a\n  - d\nz: 0\n'));
      assert.equal(removeItem(l, ['k'], 2), t('k:\n  - a\n  - b: 1\n    c: 2\nz: 0\n'));
      assert.equal(removeItem(t('k:   # list\n  - a\nz: 0\n'), ['k'], 0), t('k: []   # list\nz: 0\n'));
      assert.equal(removeItem(t('k:\n- a\nz: 0\n'), ['k'], 0), t('k: []\nz: 0\n'));
    });

    it(`flow list (${tag}): first, middle, last, only`, () => {
      const l = t('k: [a, b, c]\n');
      assert.equal(removeItem(l, ['k'], 0), t('k: [b, c]\n'));
      assert.equal(removeItem(l, ['k'], 1), t('k: [a, c]\n'));
      assert.equal(removeItem(l, ['k'], 2), t('k: [a, b]\n'));
      assert.equal(removeItem(t('k: [ a ]\n'), ['k'], 0), t('k: []\n'));
      assert.equal(removeItem(t('k: [a, {x: 1}]  # two\n'), ['k'], 1), t('k: [a]  # two\n'));
    });
  }

  it('an item with an anchor and a tag goes with them; an alias of it elsewhere is written out', () => {
    assert.deepEqual(data(removeItem('k:\n  - &my-anchor one\n  - two\nz: *my-anchor\n', ['k'], 0)), { k: ['two'], z: 'one' });
    assert.equal(removeItem('k: [&a x, !!str y]\n', ['k'], 1), 'k: [&a x]\n');
    assert.equal(removeItem('k: [&a x, y]\n', ['k'], 0), 'k: [y]\n');
  });

  it('removes the later item first without disturbing the earlier ones (indices stay valid)', () => {
    const after = edit('k: [a, b, c, d]\n', ed => {
      ed.removeSeqItem(['k'], 3);
      ed.removeSeqItem(['k'], 1);
    });
    assert.equal(after, 'k: [a, c]\n');
  });

  it('refuses an index that is not there and a list nested on a dash line', () => {
    assert.match(refusal('k: [a]\n', ed => ed.removeSeqItem(['k'], 3)), /has no item 4/);
    assert.match(refusal('k:\n  - - a\n    - b\n', ed => ed.removeSeqItem(['k', 0], 0)), /shares its line|dash/);
  });
});

describe('YamlEditor.setList and replaceRanges', () => {
  it('changes only the items that differ, in the list\'s own style; the same list is no edit', () => {
    const ed = new YamlEditor('k: [a, b, c]  # note\n');
    ed.setList(['k'], ['a', 'b', 'c']);
    assert.deepEqual(ed.edits(), []);
    assert.equal(edit('k: [a, b, c]  # note\n', e => e.setList(['k'], ['a', 'c', 'd'])), 'k: [a, c, d]  # note\n');
    assert.equal(edit('k:\n  - a  # first\n  - b\n', e => e.setList(['k'], ['a', 'x'])), 'k:\n  - a  # first\n  - x\n');
    assert.equal(edit('k:\n  - a\n  - b\n', e => e.setList(['k'], [])), 'k: []\n');
  });

  it('writes a reordered list anew (a block list stays block), a missing one as a flow list', () => {
    assert.equal(edit('k:\n  - a\n  - b\nz: 0\n', e => e.setList(['k'], ['b', 'a'])), 'k:\n  - b\n  - a\nz: 0\n');
    assert.equal(edit('k: [a, b]\n', e => e.setList(['k'], ['b', 'a'])), 'k: [b, a]\n');
    assert.equal(edit('m:\n  x: 1\n', e => e.setList(['m', 'k'], ['a', 'b'])), 'm:\n  x: 1\n  k: [a, b]\n');
    assert.equal(edit('m:\n  k: a\n', e => e.setList(['m', 'k'], ['a', 'b'])), 'm:\n  k: [a, b]\n');
  });

  it('replaceRanges applies edits made on the current text at once, and refuses overlapping ones', () => {
    const ed = new YamlEditor('a: x\nb: [x, y]\n');
    ed.replaceRanges([{ offset: 3, length: 1, text: 'zz' }, { offset: 9, length: 1, text: 'zz' }]);
    assert.equal(applyEdits('a: x\nb: [x, y]\n', ed.edits()), 'a: zz\nb: [zz, y]\n');
    assert.throws(() => new YamlEditor('abc').replaceRanges([{ offset: 0, length: 2, text: '' }, { offset: 1, length: 1, text: '' }]), EditRefusal);
  });
});
