import assert from 'node:assert/strict';
import { LineIndex, lineCol } from '../../src/core/lines';

describe('lines: offsets to 1-based line and column', () => {
  it('counts lines and columns from 1', () => {
    const text = 'ab\ncd\n';
    assert.deepEqual(lineCol(text, 0), { line: 1, column: 1 });
    assert.deepEqual(lineCol(text, 1), { line: 1, column: 2 });
    assert.deepEqual(lineCol(text, 2), { line: 1, column: 3 }, 'the line break itself is at the end of its line');
    assert.deepEqual(lineCol(text, 3), { line: 2, column: 1 });
    assert.deepEqual(lineCol(text, 6), { line: 3, column: 1 }, 'the end of a file ending in a newline is on an empty last line');
  });

  it('treats CRLF as one line break, and a lone CR as a break too (YAML 1.2)', () => {
    const text = 'a: 1\r\nb: 2\r\nc: 3\rd: 4';
    const idx = new LineIndex(text);
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.lineCol(text.indexOf('b')), { line: 2, column: 1 });
    assert.deepEqual(idx.lineCol(text.indexOf('2')), { line: 2, column: 4 });
    assert.deepEqual(idx.lineCol(text.indexOf('d')), { line: 4, column: 1 });
    // Between CR and LF: still the end of line 1, just past its last character (not one column further).
    assert.deepEqual(idx.lineCol(5), { line: 1, column: 5 });
    assert.equal(idx.lineText(2), 'b: 2');
  });

  it('gives the same lines for LF and CRLF versions of a file', () => {
    const lf = 'rampart: 1\ntitle: x\nthreats:\n  t: { title: T }\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = new LineIndex(lf).lineCol(lf.indexOf('title: T'));
    const b = new LineIndex(crlf).lineCol(crlf.indexOf('title: T'));
    assert.deepEqual(a, b);
    assert.deepEqual(a, { line: 4, column: 8 });
  });

  it('counts columns in UTF-16 code units (an emoji is two)', () => {
    const text = 'title: 🔥 x';
    assert.deepEqual(lineCol(text, text.indexOf('x')), { line: 1, column: 11 });
  });

  it('clamps offsets outside the text', () => {
    const text = 'ab\ncd';
    assert.deepEqual(lineCol(text, -5), { line: 1, column: 1 });
    assert.deepEqual(lineCol(text, 999), { line: 2, column: 3 });
    assert.deepEqual(lineCol('', 0), { line: 1, column: 1 });
  });

  it('maps back from line and column to offsets', () => {
    const text = 'ab\r\ncde\nf';
    const idx = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      if (o === 3) continue; // between CR and LF
      const { line, column } = idx.lineCol(o);
      assert.equal(idx.offsetAt(line, column), o, `offset ${o}`);
    }
    assert.equal(idx.offsetAt(2, 99), text.indexOf('\n', 4), 'clamped to the end of the line');
  });

  it('C: an offset between the CR and LF of a CRLF, or any end offset, gives a column within its line (at most length + 1)', () => {
    const text = 'a: 1\r\nbb: 22\r\n\r\nc: 3\rd\n\r\n';
    const idx = new LineIndex(text);
    for (let o = -1; o <= text.length + 1; o++) {
      const { line, column } = idx.lineCol(o);
      assert.ok(column >= 1 && column <= idx.lineText(line).length + 1, `offset ${o}: ${line}:${column} is past the end of ${JSON.stringify(idx.lineText(line))}`);
      for (let e = o; e <= text.length + 1; e++) {
        const r = idx.region({ start: o, end: e });
        assert.ok(r.endColumn <= idx.lineText(r.endLine).length + 1, `range ${o}-${e}: end ${r.endLine}:${r.endColumn}`);
        assert.ok(r.startColumn <= idx.lineText(r.startLine).length + 1, `range ${o}-${e}: start ${r.startLine}:${r.startColumn}`);
        assert.ok(r.endLine > r.startLine || r.endColumn >= r.startColumn, `range ${o}-${e} is not reversed`);
      }
    }
    // The CR of 'a: 1\r\n' is at 4, the LF at 5: both are the end of line 1, column 5.
    assert.deepEqual(idx.region({ start: 0, end: 5 }), { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 });
    assert.deepEqual(idx.region({ start: 5, end: 5 }), { startLine: 1, startColumn: 5, endLine: 1, endColumn: 5 });
  });

  it('regions have an exclusive end column and do not end on column 1 of the next line', () => {
    const text = 'key: value\nnext: 1\n';
    const idx = new LineIndex(text);
    assert.deepEqual(idx.region({ start: 5, end: 10 }), { startLine: 1, startColumn: 6, endLine: 1, endColumn: 11 });
    assert.deepEqual(idx.region({ start: 0, end: 11 }), { startLine: 1, startColumn: 1, endLine: 1, endColumn: 11 });
    assert.deepEqual(idx.region({ start: 0, end: 12 }), { startLine: 1, startColumn: 1, endLine: 2, endColumn: 2 });
    assert.deepEqual(idx.region({ start: 4, end: 4 }), { startLine: 1, startColumn: 5, endLine: 1, endColumn: 5 });
  });
});
