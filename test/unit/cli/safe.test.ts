import assert from 'node:assert/strict';
import { documentSafe, escapeControls, jsonSafe, terminalSafe } from '../../../src/core/text/safe';
import { RAW_UNSAFE, RAW_UNSAFE_IN_DOCUMENT } from './run';

describe('terminalSafe: untrusted text as one inert line (issue #9 A)', () => {
  it('A: escapes line breaks, ESC, C1 controls, DEL, bidi overrides and line separators visibly', () => {
    assert.equal(terminalSafe('a\nb\r\nc\td'), 'a\\nb\\r\\nc\\td');
    assert.equal(terminalSafe('x\x1b[2Jy\x1b]8;;https://evil\x07z'), 'x\\x1b[2Jy\\x1b]8;;https://evil\\x07z');
    assert.equal(terminalSafe('\u009b31m \u0085 \x7f \0'), '\\x9b31m \\x85 \\x7f \\x00');
    assert.equal(terminalSafe('abc\u202edcba\u2066\u2069\u200e\u200f\u061c'), 'abc\\u202edcba\\u2066\\u2069\\u200e\\u200f\\u061c');
    assert.equal(terminalSafe('p\u2028q\u2029r'), 'p\\u2028q\\u2029r');
    assert.equal(terminalSafe('lone \ud800 high, lone \udc00 low, pair 🔥'), 'lone \\ud800 high, lone \\udc00 low, pair 🔥');
  });

  it('A: leaves ordinary text alone (accents, CJK, emoji with joiners, backslashes, colons)', () => {
    for (const s of ['Zahlungsdienst für Kärtchen', '支付服务', '👩‍💻 dev', 'C:\\Users\\me\\model.yaml', 'a::b', 'key: value']) assert.equal(terminalSafe(s), s);
    assert.equal(terminalSafe(undefined), '');
    assert.equal(terminalSafe(42), '42');
  });

  it('A: the result is always one line without raw control or bidi characters, and escaping is idempotent', () => {
    let all = '';
    for (let c = 0; c < 0x100; c++) all += String.fromCharCode(c);
    all += '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029';
    const safe = terminalSafe(all);
    assert.doesNotMatch(safe, RAW_UNSAFE);
    assert.ok(!safe.includes('\n'));
    assert.equal(terminalSafe(safe), safe);
  });

  it('A: a legacy workflow command (`##[error]`, honoured anywhere in a line by the Actions runner) is broken up', () => {
    assert.equal(terminalSafe('id ##[error]forged'), 'id ##\\[error]forged');
    assert.equal(escapeControls('##[x]'), '##[x]', 'escapeControls only escapes characters');
  });

  it('A: documentSafe keeps a document\'s lines and tabs but escapes the rest, and no line can start a workflow command', () => {
    const doc = '# Title\n\tindented\n::error::x\n   ::warning file=a::y\nsee ##[error]z\nESC\x1b[31m and \u202e\r\n';
    const safe = documentSafe(doc);
    assert.equal(safe, '# Title\n\tindented\n\\::error::x\n   \\::warning file=a::y\nsee ##\\[error]z\nESC\\x1b[31m and \\u202e\\r\n');
    assert.doesNotMatch(safe, RAW_UNSAFE_IN_DOCUMENT);
    assert.ok(safe.split('\n').every(l => !l.trimStart().startsWith('::')));
  });

  it('B: jsonSafe escapes what JSON.stringify leaves raw, without changing the parsed value', () => {
    const value = { s: 'a\u202eb\u0085c\u2028d\x7f ##[error]x', n: [1, '\u009b'] };
    const json = JSON.stringify(value, null, 2);
    const safe = jsonSafe(json);
    assert.doesNotMatch(safe, RAW_UNSAFE_IN_DOCUMENT);
    assert.ok(!safe.includes('##['));
    assert.deepEqual(JSON.parse(safe), value);
  });
});
