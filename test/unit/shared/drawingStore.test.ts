/**
 * The drawings the extension keeps for a visual editor opened again (src/shared/drawingStore.ts), and the two
 * messages that carry them (`keepDrawing` from a page, `drawings` to the next page of the same model).
 */
import assert from 'node:assert/strict';
import { DrawingStore } from '../../../src/shared/drawingStore';
import { parseFromWebview, parseToWebview } from '../../../src/shared/protocol';
import { DRAWING_MAX_CHARS } from '../../../src/shared/drawingLimits';

const svg = (n: number, fill = 'x') => `<svg>${fill.repeat(n)}</svg>`;

describe('kept drawings', () => {
  it('keeps the last three drawings of a model, newest last; the same key again moves it up', () => {
    const store = new DrawingStore();
    for (const k of ['a', 'b', 'c', 'd']) store.keep('file:///m.threatmodel.yaml', { key: k, svg: svg(10, k) });
    assert.deepEqual(store.drawings('file:///m.threatmodel.yaml').map(d => d.key), ['b', 'c', 'd']);
    store.keep('file:///m.threatmodel.yaml', { key: 'b', svg: svg(5, 'B') });
    assert.deepEqual(store.drawings('file:///m.threatmodel.yaml').map(d => d.key), ['c', 'd', 'b']);
    assert.equal(store.drawings('file:///m.threatmodel.yaml').at(-1)!.svg, svg(5, 'B'), 'the newer markup replaces the older');
    assert.deepEqual(store.drawings('file:///other.threatmodel.yaml'), [], 'per model');
  });

  it('forgets the models used least recently, and the oldest drawings when over its size', () => {
    const store = new DrawingStore(2, 3, 140); // each svg(n) is n + 11 characters
    store.keep('m1', { key: 'a', svg: svg(20) });
    store.keep('m2', { key: 'a', svg: svg(20) });
    store.keep('m1', { key: 'b', svg: svg(20) });
    store.keep('m3', { key: 'a', svg: svg(20) });
    assert.deepEqual(store.drawings('m2'), [], 'm2 was used least recently');
    assert.deepEqual(store.drawings('m1').map(d => d.key), ['a', 'b']);
    store.keep('m3', { key: 'big', svg: svg(60) });
    assert.ok(store.size <= 140, `within its size (${store.size})`);
    assert.deepEqual(store.drawings('m3').map(d => d.key), ['a', 'big'], 'the newest model keeps its drawings');
    assert.deepEqual(store.drawings('m1').map(d => d.key), ['b'], 'the oldest drawing of the least recent model goes first');
  });

  it('accepts a kept drawing only as SVG markup within its limits, in both directions', () => {
    assert.ok(parseFromWebview({ type: 'keepDrawing', key: 'm:dark/elk/10/abc', svg: svg(10) }));
    for (const bad of [
      { type: 'keepDrawing', key: '', svg: svg(1) },
      { type: 'keepDrawing', key: 'k'.repeat(201), svg: svg(1) },
      { type: 'keepDrawing', key: 'k', svg: '<script>alert(1)</script>' },
      { type: 'keepDrawing', key: 'k', svg: svg(DRAWING_MAX_CHARS) },
      { type: 'keepDrawing', key: 'k', svg: svg(1), extra: 1 },
      { type: 'keepDrawing', key: 1, svg: svg(1) },
    ]) assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad).slice(0, 80));
    assert.ok(parseToWebview({ type: 'drawings', drawings: [{ key: 'a', svg: svg(1) }, { key: 'b', svg: svg(1) }] }));
    assert.equal(parseToWebview({ type: 'drawings', drawings: ['a', 'b', 'c', 'd'].map(key => ({ key, svg: svg(1) })) }), undefined, 'at most three');
  });
});
