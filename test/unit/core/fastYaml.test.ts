/**
 * The fast YAML reader (src/core/model/fastYaml.ts, issue #17) against `yaml`'s parseDocument: on every example
 * and fixture model, the shared corpus, generated models, hand-picked constructs and random edits of them, it
 * either gives up (the caller then parses with yaml) or builds the same nodes: the same kinds, values, keys and
 * `range[0]`, `range[1]`, and only where yaml reads the text without an error or a warning.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { analyze } from '../../../src/core/analyze';
import { fastParseDocument } from '../../../src/core/model/fastYaml';
import { parseModel, PARSE_OPTIONS } from '../../../src/core/model/parse';
import { analyzeParsed } from '../../../src/core/analyze';
import { generateModel } from '../../../scripts/genModel';
import { CORPUS as CORPUS_DIR } from '../interop/corpus';

const ROOT = path.resolve(__dirname, '../../..');

function yamlFiles(dir: string, test: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p, test));
    else if (test(e.name)) out.push(p);
  }
  return out.sort();
}
const MODELS = [...yamlFiles(path.join(ROOT, 'examples'), n => n.endsWith('.threatmodel.yaml')), ...yamlFiles(path.join(ROOT, 'test/fixtures'), n => /\.ya?ml$/.test(n))];
const CORPUS = yamlFiles(CORPUS_DIR, n => /\.ya?ml$/.test(n));

const kind = (n: unknown) => (isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : String(n));

/** Where the fast reader's nodes differ from yaml's (kind, value, range start and end, items), or undefined. */
function difference(fast: unknown, ref: unknown, at: string): string | undefined {
  if (kind(fast) !== kind(ref)) return `${at}: ${kind(fast)}, yaml ${kind(ref)}`;
  const a = fast as Node, b = ref as Node;
  if (a?.range?.[0] !== b?.range?.[0] || a?.range?.[1] !== b?.range?.[1]) return `${at}: range ${JSON.stringify(a?.range)}, yaml ${JSON.stringify(b?.range)}`;
  if (isScalar(a)) return Object.is(a.value, (b as typeof a).value) ? undefined : `${at}: value ${JSON.stringify(a.value)}, yaml ${JSON.stringify((b as typeof a).value)}`;
  if (isMap(a) || isSeq(a)) {
    const x = a.items as unknown[], y = (b as typeof a).items as unknown[];
    if (x.length !== y.length) return `${at}: ${x.length} items, yaml ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      const p = x[i], q = y[i];
      if (isPair(p)) {
        if (!isPair(q)) return `${at}[${i}]: a pair, yaml not`;
        const d = difference(p.key, q.key, `${at}[${i}].key`) ?? difference(p.value, q.value, `${at}.${String((p.key as { value?: unknown })?.value)}`);
        if (d) return d;
      } else {
        const d = difference(p, q, `${at}[${i}]`);
        if (d) return d;
      }
    }
  }
  return undefined;
}

/** 'fallback' when the fast reader gives up, 'same' when it matches yaml; throws with the difference otherwise. */
function compare(text: string, what: string): 'same' | 'fallback' {
  const fast = fastParseDocument(text, PARSE_OPTIONS);
  if (!fast) return 'fallback';
  const ref = parseDocument(text, PARSE_OPTIONS);
  assert.deepEqual([...ref.errors, ...ref.warnings].map(e => e.message), [], `${what}: yaml finds errors or warnings in a text the fast reader read: ${JSON.stringify(text.slice(0, 300))}`);
  const d = difference(fast.contents, ref.contents, '$');
  assert.equal(d, undefined, `${what}: ${d}\n${JSON.stringify(text.slice(0, 400))}`);
  return 'same';
}

describe('fast YAML reader', () => {
  it('reads every example model and generated model as yaml does', () => {
    for (const f of MODELS.filter(f => f.includes(`${path.sep}examples${path.sep}`))) assert.equal(compare(fs.readFileSync(f, 'utf8'), f), 'same', `${f} is read by the fast reader`);
    for (const n of [10, 300, 2000]) assert.equal(compare(generateModel(n), `generated ${n}`), 'same');
    // written up: folded descriptions, quoted flow values, nested statements (the bench's 0.9 MB model)
    assert.equal(compare(generateModel(300, { prose: true }), 'generated 300 with prose'), 'same');
  });

  it('reads the fixtures and the shared corpus as yaml does, or leaves them to yaml', () => {
    let read = 0;
    for (const f of [...MODELS, ...CORPUS]) if (compare(fs.readFileSync(f, 'utf8'), f) === 'same') read++;
    assert.ok(read >= 10, `read ${read} of ${MODELS.length + CORPUS.length} files`);
  });

  const SAME = [
    'a: 1\nb:\n  c: x  # hi\n  d: [p, "q" ]  \n\ne: { f: g, h: [1] }\nl:\n  - m\n  - n: o\n    p: q\n# end\n',
'l:\n- a\n- b\nm: 1', "k: \"x y\"\nj: 'it''s'\n'q k': 1\n\"r\": 2\n",
    'a: -1\nb: 1.5\nc: ~\nd: true\ne: .5\nf: 5.\ng: +3\nh: 0123\ni: 1_000\nj: False\nk: NULL\nl: 12345678901234567890\n',
    'x:\n  - a: 1\n    b: [ ]\n  - {}\n', 'a: b\n\n\n# x\n', 'a: >\n  x y\n  z\n\n  w\nb: 1\n', 'a: |-\n  x\n  y\n\nb: 1', 'a: > # c\n  x\n',
    'l:\n  - |\n    x\n  - y', 'a: >\n  x\n\n\n# c\nb: 1', 'a: |\n  x\n  ', 'a: |\n  x\n    y\n\n  z\nb: 2', 'a: >\n  x\n  # not a comment\nb:\n  c: >-\n    p\n    q\n  d: 1',
    'url: http://example.com/a#b\nlist: [http://x:80/y, "a, b"]\nmap: {"k":1, l: [a, [b, c]], m: {}}\n', 'a: x # c\n# only\nb: "#not"\nc:\n  # indented\n  d: 1\n',
    'title: a, b [c] {d}\nx: -y\n1: one\ntrue: yes\n',
  ];
  it('reads block and flow collections, block scalars, quoted and plain scalars as yaml does', () => {
    for (const t of SAME) assert.equal(compare(t, 'case'), 'same', JSON.stringify(t));
  });

  const LEFT = [
    'b:\n  c: x\n  # trailing\n\nd: 1\n', 'a: &x 1\nb: *x\n', 'a:\nb: 1\n', 'a: # c\nb: 1', 'a: !!str 1\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\n---\nb: 2\n', 'a: multi\n  line\n', 'a: |+\n  x\n\nb: 1\n', 'a: |2\n    x\n',
    'a: "esc\\n"\n', 'a:\n\tb: 1\n', 'a: 1\r\nb: 2\r\n', 'a: b: c\n', '? a\n: b\n', '- a\n- b\n', '{a: 1}\n', 'a: [1,\n  2]\n', 'a: "open\n', 'a:\n  b: 1\n c: 2\n',
    'a: 0x1F\nb: 1e3\nc: .inf\n', 'a: >\n  x\n    more\n', 'a: [a, ]\n', 'a: {b}\n', '\ufeffa: 1\n', 'a:\n  - b\n  c: 1\n',
  ];
  it('leaves to yaml what it does not read (anchors, tags, directives, multi-line scalars, escapes, tabs, errors, ...)', () => {
    for (const t of LEFT) assert.equal(fastParseDocument(t, PARSE_OPTIONS), undefined, JSON.stringify(t));
  });

  it('gives `rampart check` the same analysis as yaml does', () => {
    for (const text of [...MODELS.filter(f => f.endsWith('.threatmodel.yaml')).map(f => fs.readFileSync(f, 'utf8')), generateModel(300)]) {
      const fast = analyzeParsed(parseModel(text, {}, { fastYaml: true }), {});
      const full = analyze(text, {});
      assert.deepEqual(JSON.parse(JSON.stringify(fast.findings)), JSON.parse(JSON.stringify(full.findings)));
      assert.deepEqual(JSON.parse(JSON.stringify(fast.parsed.data)), JSON.parse(JSON.stringify(full.parsed.data)));
    }
  });

  // Random edits of small texts: every text either falls back or reads exactly as yaml does.
  const CHARS = ['a', 'x', '-', '1', '.', ' ', ' ', ' ', ':', ':', '\n', '\n', '#', '[', ']', '{', '}', ',', '"', "'", '&', '*', '|', '>', '!', '?', '~', '\t', '\\'];
  const LINES = ['', '# c', '  # c', 'x:', '  y: 1', '  - z', '- z', '    w: [a, b]', '  v: >', '    folded', '  u: |-', '    kept', '  "q": 1', "  'r': x", 'k: { a: b }'];
  const base = [...SAME, ...MODELS.map(f => fs.readFileSync(f, 'utf8')).filter(t => t.length < 2500), generateModel(3)];
  const editArb = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...CHARS) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('line' as const), at: fc.nat(), text: fc.constantFrom(...LINES) }),
    fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.constantFrom(-2, -1, 1, 2) }),
  );
  type Edit = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number } | { kind: 'line'; at: number; text: string } | { kind: 'indent'; at: number; by: number };
  const apply = (t: string, e: Edit): string => {
    const at = e.at % (t.length + 1);
    if (e.kind === 'insert') return t.slice(0, at) + e.text + t.slice(at);
    if (e.kind === 'delete') return t.slice(0, at) + t.slice(at + e.length);
    const start = t.lastIndexOf('\n', at - 1) + 1;
    if (e.kind === 'line') return t.slice(0, start) + e.text + '\n' + t.slice(start);
    if (e.by > 0) return t.slice(0, start) + ' '.repeat(e.by) + t.slice(start);
    let n = 0;
    while (n < -e.by && t[start + n] === ' ') n++;
    return t.slice(0, start) + t.slice(start + n);
  };
  const RUNS = Number(process.env.RAMPART_PROPERTY_RUNS ?? 3000);
  const SEED = Number(process.env.RAMPART_PROPERTY_SEED ?? 20261130);
  it(`reads as yaml does, or leaves to yaml, after ${RUNS} random edit sequences (seed ${SEED})`, () => {
    const counts = { same: 0, fallback: 0 };
    fc.assert(fc.property(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 4 }), (which, edits) => {
      let text = base[which % base.length];
      for (const e of edits) {
        text = apply(text, e);
        counts[compare(text, `after ${JSON.stringify(edits)}`)]++;
      }
    }), { numRuns: RUNS, seed: SEED });
    // the edits must exercise the fast reader, not only the fallback
    assert.ok(counts.same > (counts.same + counts.fallback) / 4, JSON.stringify(counts));
    if (process.env.RAMPART_PROPERTY_VERBOSE) console.log(counts);
  });
});
