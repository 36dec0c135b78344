import assert from 'node:assert/strict';
import { run, service, store, subjects, suggestion } from './fixture';

const R = 'design/store-without-backup';

describe(R, () => {
  it('fires on a store of high-criticality data without backup', () => {
    const [f] = run(R, { elements: { db: store('core', { stores: ['orders'] }) } });
    assert.equal(f.stableId, 'design/store-without-backup@db');
    assert.equal(suggestion(f).threat.impact, 'major');
  });

  it('rates critical data as severe and counts data written over flows', () => {
    const [f] = run(R, { elements: { app: service('core'), db: store('core') }, flows: { w: { from: 'app', to: 'db', data: ['card'] } } });
    assert.equal(suggestion(f).threat.impact, 'severe');
  });

  it('does not fire with a backup control, on caches and queues, or on low-criticality data', () => {
    const elements = { a: store('core', { stores: ['orders'], controls: ['backup'] }), b: store('core', { kind: 'cache', stores: ['orders'] }), c: store('core', { kind: 'queue', stores: ['orders'] }), d: store('core', { stores: ['pii'] }) };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('does not count replication as a backup', () => {
    assert.deepEqual(subjects(run(R, { elements: { db: store('core', { stores: ['orders'], redundant: true }) } })), ['db']);
  });

  it('false positive (rebuildable data) is silenced by the suggested threat marked not applicable', () => {
    const threats = { 'store-without-backup@db': { title: 'x', targets: ['db'], status: 'not-applicable', justification: 'rebuilt from the event log' } };
    assert.deepEqual(run(R, { elements: { db: store('core', { stores: ['orders'] }) }, threats }), []);
  });
});
