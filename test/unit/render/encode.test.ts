import assert from 'node:assert/strict';
import { decodeMermaidText, encodeMermaidText, ENCODED_CHARS, mermaidLines, mermaidString, truncate } from '../../../src/core/render/encode';

describe('render/encode', () => {
  it('encodes every Mermaid-significant character as a numeric entity', () => {
    const s = mermaidString('a"b#c%d;e:f|g[h]i{j}k<l>m&n`o\\p@q$r~s^t');
    assert.equal(s.slice(0, 1), '"');
    assert.equal(s.slice(-1), '"');
    const body = s.slice(1, -1);
    // Outside the entities themselves, none of the special characters remains.
    const bare = body.replace(/#\d+;/g, '');
    for (const ch of ENCODED_CHARS) assert.ok(!bare.includes(ch), `${ch} left unencoded in ${body}`);
    assert.equal(decodeMermaidText(body), 'a"b#c%d;e:f|g[h]i{j}k<l>m&n`o\\p@q$r~s^t');
  });

  it('keeps ordinary text, other scripts and emoji as they are (so Mermaid measures labels right)', () => {
    assert.equal(mermaidString('Payment API (v2), café – 決済 🔒'), '"Payment API (v2), café – 決済 🔒"');
  });

  it('turns line breaks into spaces and drops control and bidi-override characters', () => {
    assert.equal(encodeMermaidText('a\nb\r\n\tc\u0000d\u202Ee\u200Bf'), 'a b cdef');
  });

  it('never produces an empty string literal', () => {
    assert.equal(mermaidString(''), '" "');
    assert.equal(mermaidString(undefined), '" "');
    assert.equal(mermaidLines([undefined, '  ']), '" "');
  });

  it('truncates long labels by code points with an ellipsis', () => {
    assert.equal(truncate('abcdefghij', 5), 'abcd…');
    assert.equal(truncate('🔒🔒🔒', 2), '🔒…');
    assert.equal(truncate('short', 10), 'short');
    assert.equal(decodeMermaidText(mermaidString('x'.repeat(500)).slice(1, -1)).length, 80);
  });

  it('joins lines with <br> while the lines themselves cannot contain markup', () => {
    const s = mermaidLines(['one', '<br>two', undefined, 'three']);
    assert.equal(s, '"one<br>#60;br#62;two<br>three"');
  });

  it('an injection label stays one inert string', () => {
    const evil = '"]); click n0 call alert(1) %%{init: {"securityLevel":"loose"}}%% <img src=x onerror=alert(1)>\nclassDef x fill:#f00';
    const s = mermaidString(evil, 1000);
    assert.equal((s.match(/"/g) ?? []).length, 2, 'only the two delimiting quotes');
    assert.ok(!/%%|<|>|\]|\n/.test(s), s);
    assert.equal(decodeMermaidText(s.slice(1, -1)), evil.replace(/\n/g, ' '));
  });
});
