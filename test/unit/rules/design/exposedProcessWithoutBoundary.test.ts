import assert from 'node:assert/strict';
import { run, subjects } from './fixture';

const R = 'design/exposed-process-without-boundary';
const app = (extra = {}) => ({ type: 'process', name: 'App', ...extra });

describe(R, () => {
  it('fires on an internet-facing process outside any boundary', () => {
    const [f] = run(R, { elements: { app: app({ internet_facing: true }) } });
    assert.equal(f.stableId, 'design/exposed-process-without-boundary@app');
    assert.match(f.message, /internet_facing: true/);
  });

  it('fires on a process without boundary that an unbounded external entity calls', () => {
    const elements = { user: { type: 'external', name: 'User' }, app: app() };
    const [f] = run(R, { elements, flows: { use: { from: 'user', to: 'app' } } });
    assert.match(f.message, /reachable from `user`/);
    assert.equal(f.related?.length, 1);
  });

  it('does not fire on processes in a boundary or only called internally', () => {
    const elements = { a: app({ boundary: 'dmz', internet_facing: true }), b: app(), c: app() };
    assert.deepEqual(run(R, { elements, flows: { bc: { from: 'b', to: 'c' } } }), []);
  });

  it('false positive (a model without boundaries at all) reports each exposed process once', () => {
    const elements = { user: { type: 'external', name: 'User' }, a: app(), b: app() };
    assert.deepEqual(subjects(run(R, { elements, flows: { x: { from: 'user', to: 'a' }, y: { from: 'user', to: 'a' }, z: { from: 'a', to: 'b' } } })), ['a']);
  });
});
