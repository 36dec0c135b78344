/**
 * The visual editor's view sent as a delta (src/shared/viewDelta.ts, #17 P5): the webview applies it to the view
 * it holds and must get exactly the view a whole update would have given, key order included; a typed
 * character in a big model must cost bytes, not the megabytes of the view; and a delta that does not fit the
 * held view is refused (the webview then asks for the whole view), never half-applied.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../src/core/analyze';
import { buildViewModel, fatalProblem, type ViewModel } from '../../../src/core/render/viewModel';
import { applyDelta, deltaText, encodedText, encodeJson, type Encoded } from '../../../src/shared/viewDelta';
import { viewOfUpdate } from '../../../src/shared/viewMessage';
import { generateModel } from '../../../scripts/genModel';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter(n => n.endsWith('.threatmodel.yaml')).map(n => fs.readFileSync(path.join(ROOT, 'examples', n), 'utf8'));

function viewOf(text: string): ViewModel | undefined {
  const a = analyze(text);
  if (fatalProblem(a.parsed)) return undefined;
  return buildViewModel(a.parsed, { assessments: a.assessments, findings: a.findings, tolerance: a.tolerance, now: new Date('2026-11-30') }).view;
}

const enc = (v: unknown) => encodeJson(v) as Encoded;

/** What the webview ends with: `base` (as it parsed it) with the delta from `base` to `next` applied. */
function roundTrip(base: unknown, next: unknown): unknown {
  const d = deltaText(enc(base), enc(next));
  const held: unknown = JSON.parse(JSON.stringify(base));
  return d === undefined ? held : applyDelta(held, JSON.parse(d));
}

/** Equal as JSON text: the same values and the same key order. */
function assertSameJson(actual: unknown, expected: unknown, what: string): void {
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), what);
}

describe('view deltas (viewDelta.ts)', () => {
  it('cuts a view into parts whose text is JSON.stringify of the view, for every example and a generated model', () => {
    for (const text of [...EXAMPLES, generateModel(40)]) {
      const view = viewOf(text)!;
      assert.equal(encodedText(enc(view)), JSON.stringify(view));
    }
    // what JSON.stringify leaves out or turns to null, and toJSON
    const odd = { a: undefined, b: [undefined, 1, () => 1], c: new Date(0), d: { e: { f: { g: { h: 1 } } }, u: undefined }, '__proto__x': null };
    assert.equal(encodedText(enc(odd)), JSON.stringify(odd));
  });

  it('turns a one-character edit of a threat title in a 2,000-component model into a delta of a few hundred bytes', () => {
    const text = generateModel(2000);
    const title = /^ {4}title: (.+)$/m.exec(text.slice(text.indexOf('\nthreats:')))!;
    const at = text.indexOf('\nthreats:') + title.index + title[0].length;
    const edited = text.slice(0, at) + 'x' + text.slice(at);
    const before = viewOf(text)!, after = viewOf(edited)!;
    const d = deltaText(enc(before), enc(after))!;
    const full = JSON.stringify(after).length;
    assert.ok(full > 1_000_000, `the view is ${full} characters`);
    assert.ok(d.length < 2_000, `the delta is ${d.length} characters: ${d.slice(0, 500)}`);
    assertSameJson(applyDelta(JSON.parse(JSON.stringify(before)), JSON.parse(d)), after, 'the edited view');
    assert.ok(JSON.parse(d).o.threats, 'the threats changed');
  });

  it('keeps the held objects for the parts that did not change', () => {
    const row = (id: number) => ({ id, title: `Threat number ${id} of a long enough list` });
    const base = { title: 'a', rows: [row(1), row(2), row(3)], graph: { nodes: [{ id: 'n' }] } };
    const held = JSON.parse(JSON.stringify(base)) as typeof base;
    const next = applyDelta(held, JSON.parse(deltaText(enc(base), enc({ ...base, rows: [row(1), row(9), row(3)] }))!)) as typeof base;
    assert.equal(next.graph, held.graph);
    assert.equal(next.rows[0], held.rows[0]);
    assert.equal(next.rows[2], held.rows[2]);
    assert.deepEqual(next.rows[1], row(9));
    // a short array costs less sent whole than as runs
    assert.deepEqual(JSON.parse(deltaText(enc([1, 2, 3]), enc([1, 9, 3]))!), { v: [1, 9, 3] });
    assert.equal(deltaText(enc(base), enc(JSON.parse(JSON.stringify(base)))), undefined, 'no change, no delta');
  });

  it('refuses a delta that does not fit the held view, and a key named __proto__ stays a key', () => {
    const held = { rows: [1, 2, 3], o: { a: 1 } };
    for (const bad of [
      null, 7, [], {}, { a: 1 }, { a: [[0, 4]] }, { o: { rows: { a: [[-1, 1]] } } }, { o: { rows: { a: [[2, 2]] } } }, { o: { rows: { a: [[0, 0]] } } },
      { o: { rows: { a: [[0.5, 1]] } } }, { o: { rows: { a: ['x'] } } }, { o: { rows: { o: {} } } }, { o: { o: { a: [] } } }, { o: {}, k: ['missing'] }, { o: {}, k: [1] },
    ]) {
      assert.throws(() => applyDelta(held, bad), Error, JSON.stringify(bad));
    }
    const withProto = JSON.parse('{"m":{"__proto__":1,"x":2}}') as unknown;
    const next = JSON.parse('{"m":{"__proto__":3,"x":2}}') as unknown;
    const out = roundTrip(withProto, next) as { m: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(out.m), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(out.m, '__proto__')?.value, 3);
    assertSameJson(out, next, '__proto__ as a key');
  });

  it('a delta for another view than the one held gives no view (the webview asks for the whole one)', () => {
    const view = viewOf(EXAMPLES[0])!;
    const d = deltaText(enc(view), enc({ ...view, title: 'New' }))!;
    assert.equal(viewOfUpdate({ deltaJson: d, base: 1 }, { id: 2, view })?.title, undefined);
    assert.equal(viewOfUpdate({ deltaJson: d, base: 1 })?.title, undefined);
    assert.equal(viewOfUpdate({ deltaJson: d, base: 2 }, { id: 2, view })?.title, 'New');
    assert.equal(viewOfUpdate({ deltaJson: '{"o":{"threats":{"a":[[0,100000]]}}}', base: 2 }, { id: 2, view }), undefined);
  });

  const RUNS = Number(process.env.RAMPART_PROPERTY_RUNS ?? 300);
  const SEED = Number(process.env.RAMPART_PROPERTY_SEED ?? 20261130);

  it(`gives the new value exactly, on random JSON values and random changes of them (${RUNS} runs, seed ${SEED})`, () => {
    /** `value` with the change the numbers pick: replace, delete, insert, move or duplicate somewhere inside it. */
    function mutate(value: unknown, picks: number[], fresh: unknown): unknown {
      const pick = picks.shift() ?? 0;
      if (Array.isArray(value)) {
        const out = [...value];
        const i = out.length ? pick % out.length : 0;
        switch (pick % 5) {
          case 0: out.splice(i, 0, fresh); break;
          case 1: out.splice(i, 1); break;
          case 2: if (out.length) out.push(out[i]); break;
          case 3: if (out.length) out.unshift(out.splice(i, 1)[0]); break;
          default: if (out.length) out[i] = mutate(out[i], picks, fresh);
        }
        return out;
      }
      if (value !== null && typeof value === 'object') {
        const keys = Object.keys(value);
        const out: Record<string, unknown> = {};
        const k = keys.length ? keys[pick % keys.length] : 'k';
        switch (pick % 4) {
          case 0: Object.assign(out, value); out[`new${pick}`] = fresh; break;
          case 1: for (const key of keys) if (key !== k) out[key] = (value as Record<string, unknown>)[key]; break;
          case 2: for (const key of [...keys].reverse()) out[key] = (value as Record<string, unknown>)[key]; break;
          default: Object.assign(out, value); out[k] = mutate((value as Record<string, unknown>)[k], picks, fresh);
        }
        return out;
      }
      return fresh;
    }
    const json = fc.jsonValue({ maxDepth: 5 }).map(v => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(fc.property(json, fc.array(fc.array(fc.nat(50), { maxLength: 6 }), { minLength: 1, maxLength: 5 }), json, (base, changes, fresh) => {
      let next = base;
      for (const picks of changes) next = mutate(next, [...picks], fresh);
      assertSameJson(roundTrip(base, next), next, 'changed value');
      assertSameJson(roundTrip(base, fresh), fresh, 'unrelated value');
    }), { numRuns: RUNS * 3, seed: SEED });
  });

  it(`gives the new view exactly after random edits of the examples and a generated model (${RUNS} runs, seed ${SEED})`, () => {
    const texts = [...EXAMPLES, generateModel(30)];
    const views = new Map<string, ViewModel | undefined>();
    const view = (t: string) => {
      if (!views.has(t)) views.set(t, viewOf(t));
      return views.get(t);
    };
    type Edit = { kind: 'delete' | 'duplicate' | 'swap' | 'type' | 'status'; line: number; text: string };
    const edit = fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'swap', 'type', 'status'), line: fc.nat(), text: fc.constantFrom('x', ' y', 'Z9', ': ', '-') }) as fc.Arbitrary<Edit>;
    const apply = (t: string, e: Edit): string => {
      const lines = t.split('\n');
      const i = e.line % lines.length;
      if (e.kind === 'delete') lines.splice(i, 1);
      else if (e.kind === 'duplicate') lines.splice(i, 0, lines[i]);
      else if (e.kind === 'swap' && i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
      else if (e.kind === 'type') lines[i] += e.text;
      else if (e.kind === 'status') lines[i] = lines[i].replace(/status: (open|mitigated|planned|implemented)/, (_, s: string) => `status: ${s === 'open' ? 'mitigated' : s === 'planned' ? 'implemented' : 'open'}`);
      return lines.join('\n');
    };
    let compared = 0;
    fc.assert(fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), (which, edits) => {
      const text = texts[which % texts.length];
      const before = view(text);
      let after = text;
      for (const e of edits) after = apply(after, e);
      const next = viewOf(after);
      if (!before || !next) return;
      compared++;
      assertSameJson(roundTrip(before, next), next, `after ${JSON.stringify(edits)}`);
    }), { numRuns: RUNS, seed: SEED });
    assert.ok(compared > RUNS / 2, `${compared} of ${RUNS} edits gave two views to compare`);
  });
});
