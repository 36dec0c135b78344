/**
 * Property: after every edit of a random edit sequence over the example models and the test fixtures, the
 * incremental analyzer's Analysis equals a full `analyze(text, settings)` (findings with ranges, messages and
 * fixes, the model, the data, the index, the YAML nodes the server walks, the outline). Edits insert, delete
 * and replace characters and lines, delete, duplicate and move whole entries, and type a new entry character
 * by character. The run is seed-fixed; RAMPART_PROPERTY_RUNS and RAMPART_PROPERTY_SEED change it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { generateModel } from '../../../scripts/genModel';
import path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../src/core/analyze';
import { IncrementalAnalyzer } from '../../../src/core/incremental/analyzer';
import { splitModel } from '../../../src/core/incremental/split';
import { completionContextAt } from '../../../src/core/lang/cursor';
import { assertSameAnalysis } from './equal';

const ROOT = path.resolve(__dirname, '../../..');
function modelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...modelFiles(p));
    else if (e.name.endsWith('.threatmodel.yaml')) out.push(p);
  }
  return out;
}
const FILES = [...modelFiles(path.join(ROOT, 'examples')), ...modelFiles(path.join(ROOT, 'test/fixtures'))].sort();

/** The files, plus excerpts of the big ones (their first top-level items), so most runs stay small and fast. */
function baseTexts(): string[] {
  const texts: string[] = [];
  // and a model written up as teams write them (folded descriptions, statements): the bench's 0.9 MB model, small
  for (const text of [...FILES.map(f => fs.readFileSync(f, 'utf8')), generateModel(12, { prose: true })]) {
    texts.push(text);
    const split = splitModel(text);
    if (!split || text.length < 4000) continue;
    // Excerpts: a few top-level items, and a section cut down to a few entries.
    for (const n of [3, 6, 9]) {
      const items = split.items.slice(0, n);
      const end = items[items.length - 1];
      const stop = end.kind === 'whole' ? end.piece.end : end.entries[Math.min(2, end.entries.length - 1)].end;
      texts.push(text.slice(0, stop));
    }
    for (const item of split.items) {
      if (item.kind !== 'section' || item.entries.length < 3) continue;
      texts.push(text.slice(0, split.items[0].kind === 'whole' ? split.items[1]?.kind === 'whole' ? (split.items[1] as { piece: { end: number } }).piece.end : split.items[0].piece.end : 0) + item.header.text + item.entries.slice(0, 3).map(e => e.text).join(''));
    }
  }
  return texts;
}

const CHARS = ['a', 'b', 'e', 'x', '-', '_', '1', ' ', ' ', ' ', ':', ':', '\n', '\n', '#', '[', ']', '{', '}', ',', '"', "'", '&', '*', '|', '>', '!', '?', '%', '.', '\t', '\r', 'é'];
const LINES = [
  '', '# a comment', '  # indented comment', 'threats:', 'assets:', 'elements:', 'flows:', 'mitigations:', 'boundaries:',
  '  new-asset: { name: New asset, classification: public }',
  '  new-el: { type: process, name: New element }',
  '  t-new:', '    title: A new threat', '    status: open', '    stride: [spoofing, tampering]', '    targets: [api]',
  '    likelihood: likely', '    impact: severe', '    mitigations: [m-x]', '  m-x: { title: M, status: implemented }',
  '  dup:', '  x:', '    - item', '  - item', 'title: Another title', 'rampart: 1', 'rampart: 2', 'policy: { tolerance: low }',
  'unknown_top: 1', '  __proto__: {}', '  Bad_Id: { name: B, trust: trusted }', '---', '...', '%YAML 1.1', '  &anchor a: 1', '  b: *anchor',
  '    description: |', '      block text', '  "quoted": 1', '   odd-indent: 1', 'description: "unterminated', '  flow: { a: [1, 2',
  'threats: {}', 'threats: []', '    title: !!binary abc', '  2024: 1', '  true: 1', '  ~: 1', '\ttab: 1',
];
const ENTRIES = [
  '  typed: { name: Typed, classification: internal }',
  '  typed-b: { name: Zone, trust: partial }',
  '  t-typed:\n    title: Typed\n    status: open',
  '  f-typed: { from: a, to: b }',
];

type Edit =
  | { kind: 'insert'; pos: number; text: string }
  | { kind: 'delete'; pos: number; len: number }
  | { kind: 'replace'; pos: number; len: number; text: string }
  | { kind: 'insert-line'; line: number; text: string }
  | { kind: 'delete-line'; line: number }
  | { kind: 'entry'; entry: number; op: 'delete' | 'duplicate' | 'move'; to: number }
  | { kind: 'type'; line: number; text: string };

const chars = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 4 }).map(a => a.join(''));
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), text: chars }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 24 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 6 }), text: chars }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert-line' as const), line: fc.nat(), text: fc.constantFrom(...LINES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('entry' as const), entry: fc.nat(), op: fc.constantFrom('delete' as const, 'duplicate' as const, 'move' as const), to: fc.nat() }) },
);
const typeArb: fc.Arbitrary<Edit> = fc.record({ kind: fc.constant('type' as const), line: fc.nat(), text: fc.constantFrom(...ENTRIES) });

const lineStarts = (text: string) => { const s = [0]; for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) s.push(i + 1); return s; };

/** Applies an edit; calls `step` with the text after each keystroke-sized change (typing calls it per character). */
function apply(text: string, e: Edit, step: (t: string, cursor: number) => void): string {
  const n = text.length;
  const at = (p: number) => (n ? p % (n + 1) : 0);
  let cursor = 0;
  switch (e.kind) {
    case 'insert': { const p = at(e.pos); text = text.slice(0, p) + e.text + text.slice(p); cursor = p + e.text.length; break; }
    case 'delete': { const p = at(e.pos); text = text.slice(0, p) + text.slice(p + e.len); cursor = p; break; }
    case 'replace': { const p = at(e.pos); text = text.slice(0, p) + e.text + text.slice(p + e.len); cursor = p + e.text.length; break; }
    case 'insert-line': { const ls = lineStarts(text); const p = ls[e.line % ls.length]; text = text.slice(0, p) + e.text + '\n' + text.slice(p); cursor = p + e.text.length; break; }
    case 'delete-line': {
      const ls = lineStarts(text); const i = e.line % ls.length; const end = i + 1 < ls.length ? ls[i + 1] : n;
      text = text.slice(0, ls[i]) + text.slice(end); cursor = ls[i]; break;
    }
    case 'entry': {
      const split = splitModel(text);
      const entries = split ? split.items.flatMap(it => (it.kind === 'section' ? it.entries : [])) : [];
      if (!entries.length) return text;
      const x = entries[e.entry % entries.length];
      const without = text.slice(0, x.start) + text.slice(x.end);
      if (e.op === 'delete') text = without;
      else if (e.op === 'duplicate') text = text.slice(0, x.end) + x.text + text.slice(x.end);
      else { const t = entries[e.to % entries.length]; const p = t.start > x.start ? t.start - x.text.length : t.start; text = without.slice(0, p) + x.text + without.slice(p); }
      cursor = x.start;
      break;
    }
    case 'type': {
      // A new line opened before an entry (or at the end), then the entry typed on it.
      const split = splitModel(text);
      const starts = split ? [...split.items.flatMap(it => (it.kind === 'section' ? it.entries.map(x => x.start) : [])), text.length] : lineStarts(text);
      let p = starts[e.line % starts.length];
      if (p === text.length && !text.endsWith('\n')) { text += '\n'; p++; }
      text = text.slice(0, p) + '\n' + text.slice(p);
      step(text, p);
      for (const c of e.text) { text = text.slice(0, p) + c + text.slice(p); p++; step(text, p); }
      return text;
    }
  }
  step(text, Math.min(cursor, text.length));
  return text;
}

const SETTINGS = { now: new Date('2026-03-01T00:00:00Z') };

describe('incremental analysis equals a full analysis', function () {
  this.timeout(300_000);
  const texts = baseTexts();

  it('on the example models and fixtures as they are', () => {
    for (const text of texts) {
      const a = new IncrementalAnalyzer();
      assertSameAnalysis(a.update(text, SETTINGS), analyze(text, SETTINGS), 'base');
      assert.equal(a.stats.mode, 'incremental', `a base text fell back: ${a.stats.reason}`);
    }
  });

  it('an entry that ends with a commented-out list item, before another entry of its section', () => {
    // The parser ends such a list where the next key starts, past its indentation: a piece parsed alone must too.
    const text = 'rampart: 1\ntitle: T\nmitigations:\n  a:\n    title: A\n    status: implemented\n    evidence:\n      - src/a.ts\n      #- src/old.ts\n  b:\n    title: B\n    status: planned\n';
    const a = new IncrementalAnalyzer();
    a.update(text, SETTINGS);
    const edited = text.replace('title: B', 'title: Bx');
    assertSameAnalysis(a.update(edited, SETTINGS), analyze(edited, SETTINGS), 'after an edit of the next entry');
    assert.equal(a.stats.mode, 'incremental', `fell back: ${a.stats.reason}`);
    const uncommented = edited.replace('#- src/old.ts', '- src/old.ts');
    assertSameAnalysis(a.update(uncommented, SETTINGS), analyze(uncommented, SETTINGS), 'after the item is uncommented');
  });

  const runs = Number(process.env.RAMPART_PROPERTY_RUNS ?? 2000);
  const seed = Number(process.env.RAMPART_PROPERTY_SEED ?? 20261129);
  // Most sequences run on the small texts (excerpts and fixtures), one in forty on the larger ones.
  const sequences = (name: string, pool: string[], numRuns: number, runSeed: number, typingToo: boolean) => it(`${name}: after every edit of ${numRuns} random edit sequences (seed ${runSeed})`, () => {
    const counts = { sequences: 0, edits: 0, incremental: 0, full: 0, completions: 0 };
    const reasons = new Map<string, number>();
    const check = (a: IncrementalAnalyzer, text: string, cursor: number, trail: string) => {
      const inc = a.update(text, SETTINGS);
      counts.edits++;
      // Completion where the edit was made, and somewhere else: parsing the entry alone reads as the whole text.
      // (every fifth update also somewhere else in the file)
      for (const offset of counts.edits % 5 ? [cursor] : [cursor, (text.length * 7919 + counts.edits) % (text.length + 1)]) {
        const local = completionContextAt(text, offset, inc.parsed);
        if (local) counts.completions++;
        assert.deepStrictEqual(local, completionContextAt(text, offset), `${trail}: completion context at ${offset}`);
      }
      if (a.stats.mode === 'incremental') counts.incremental++; else { counts.full++; reasons.set(a.stats.reason ?? '', (reasons.get(a.stats.reason ?? '') ?? 0) + 1); }
      assertSameAnalysis(inc, analyze(text, SETTINGS), trail);
    };
    const tiny = pool.filter(t => t.length <= 1500);
    fc.assert(
      fc.property(
        fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 4 }), fc.tuple(fc.nat(49), typeArb).map(([n, t]) => (n === 0 ? t : null)),
        (which, edits, typing) => {
          counts.sequences++;
          if (!typingToo) typing = null;
          const from = typing && tiny.length ? tiny : pool;
          let text = from[which % from.length];
          const a = new IncrementalAnalyzer();
          a.update(text, SETTINGS);
          const trail: string[] = [];
          for (const e of typing ? [...edits.slice(0, 1), typing] : edits) {
            trail.push(JSON.stringify(e));
            text = apply(text, e, (t, cursor) => check(a, t, cursor, trail.join(' then ')));
          }
        },
      ),
      { numRuns, seed: runSeed },
    );
    assert.ok(counts.sequences >= numRuns);
    if (process.env.RAMPART_PROPERTY_VERBOSE) console.log(reasons);
    // The edits must exercise the incremental path, not only the fallback.
    assert.ok(counts.incremental > counts.edits / 3, `only ${counts.incremental} of ${counts.edits} updates were incremental`);
    console.log(`      ${counts.sequences} sequences, ${counts.edits} updates compared (${counts.incremental} incremental, ${counts.full} full), ${counts.completions} completion contexts`);
  });
  const bigRuns = Math.ceil(runs / 40);
  if (process.env.RAMPART_PROPERTY_VERBOSE) console.log(texts.map(t => t.length).sort((a, b) => a - b).join(' '));
  sequences('small texts', texts.filter(t => t.length <= 3000), runs - bigRuns, seed, true);
  sequences('whole examples', texts.filter(t => t.length > 3000), bigRuns, seed + 1, false);
});
