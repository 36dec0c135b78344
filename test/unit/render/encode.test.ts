import assert from 'node:assert/strict';
import { decodeMermaidText, encodeMermaidText, ENCODED_CHARS, mermaidLines, mermaidString, truncate, wrapWords } from '../../../src/core/render/encode';

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

  it('wraps long labels at spaces into lines of at most the given width, never inside a word that fits', () => {
    assert.deepEqual(wrapWords('Customer-service agent', 22), ['Customer-service agent']);
    assert.equal(mermaidString('Payment service provider', 60, 22), '"Payment service<br>provider"');
    const text = 'Card vault key-encryption key held in the AWS KMS of the production account';
    const lines = wrapWords(text, 22);
    assert.ok(lines.length > 1);
    for (const l of lines) assert.ok(Array.from(l).length <= 22, `line too long: ${l}`);
    assert.equal(lines.join(' '), text, 'only spaces became line breaks');
    // Short labels and labels without a wrap width stay on one line.
    assert.equal(mermaidString('Card vault', 60, 22), '"Card vault"');
    assert.equal(mermaidString(text), `"${text}"`);
  });

  it('cuts a word longer than a line after a hyphen, slash or dot when it can, keeps a lone arrow with the next word and drops a middle dot at the break', () => {
    assert.deepEqual(wrapWords('see https://example.com/very/long/path/to/a/resource', 22), ['see', 'https://example.com/', 'very/long/path/to/a/', 'resource']);
    assert.deepEqual(wrapWords('x'.repeat(30), 22), ['x'.repeat(22), 'x'.repeat(8)]);
    assert.deepEqual(wrapWords('threat plaintext-hop · reachable', 22), ['threat plaintext-hop', 'reachable'], 'a middle dot at the break goes');
    assert.deepEqual(wrapWords('from the customer browser → payment API', 22), ['from the customer', 'browser → payment API']);
    assert.deepEqual(wrapWords('from the customer browser → the payment API', 25), ['from the customer browser', '→ the payment API']);
    assert.deepEqual(wrapWords('🔒🔒🔒 🔒🔒', 4), ['🔒🔒🔒', '🔒🔒'], 'counts code points, not UTF-16 units');
  });

  it('wraps before encoding, so a line break never splits an entity and wrapped text decodes to the original', () => {
    const evil = '";:;:;:;:;:;:;:;:; <br> %%{init}%% #quot; [x] {y} a&b|c`d`';
    for (const s of [mermaidString(evil, 200, 8), mermaidLines([evil, evil], 200, 5)]) {
      assert.equal((s.match(/"/g) ?? []).length, 2, 'only the two delimiting quotes');
      const parts = s.slice(1, -1).split('<br>');
      assert.ok(parts.length > 2, s);
      for (const part of parts) {
        const bare = part.replace(/#\d+;/g, '');
        for (const ch of ENCODED_CHARS) assert.ok(!bare.includes(ch), `${ch} left bare in ${part}`);
      }
    }
    const words = '"]); click n0 %%{init}%% #quot; [x] {y} a&b|c`d` <br> x;y:z';
    const decoded = mermaidString(words, 200, 12).slice(1, -1).split('<br>').map(p => p.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))));
    assert.ok(decoded.length > 2);
    assert.equal(decoded.join(' '), words, 'the lines hold the whole text');
  });
});
