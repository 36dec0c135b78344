import assert from 'node:assert/strict';
import { run, service, store, subjects, suggestion } from './fixture';

const R = 'design/unauthenticated-queue';
const queue = (boundary: string, extra = {}) => store(boundary, { kind: 'queue', ...extra });

describe(R, () => {
  it('fires on a queue that accepts unauthenticated producers from another boundary', () => {
    const elements = { web: service('dmz'), q: queue('core'), worker: service('core', { name: 'Refund worker' }) };
    const [f] = run(R, { elements, flows: { pub: { from: 'web', to: 'q' }, sub: { from: 'q', to: 'worker', authenticated: true } } });
    assert.equal(f.stableId, 'design/unauthenticated-queue@q');
    assert.match(suggestion(f).threat.title, /processed by Refund worker/);
  });

  it('fires on a queue in a partially trusted boundary', () => {
    assert.deepEqual(subjects(run(R, { elements: { a: service('dmz'), q: queue('dmz') }, flows: { pub: { from: 'a', to: 'q' } } })), ['q']);
  });

  it('does not fire with authenticated producers or inside one trusted boundary', () => {
    const elements = { a: service('dmz'), b: service('core'), q1: queue('core'), q2: queue('core'), q3: queue('core', { controls: ['authentication'] }) };
    const flows = { p1: { from: 'a', to: 'q1', authenticated: true }, p2: { from: 'b', to: 'q2' }, p3: { from: 'a', to: 'q3' } };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('false positive (private segment) disappears when producer and queue share a trusted boundary', () => {
    assert.deepEqual(subjects(run(R, { elements: { a: service('dmz'), q: queue('core') }, flows: { p: { from: 'a', to: 'q' } } })), ['q']);
    assert.deepEqual(run(R, { elements: { a: service('core'), q: queue('core') }, flows: { p: { from: 'a', to: 'q' } } }), []);
  });
});
