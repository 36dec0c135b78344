import assert from 'node:assert/strict';
import { run, store, subjects, suggestion } from './fixture';

const R = 'design/store-without-audit-log';

describe(R, () => {
  it('fires on a store of restricted data without audit logging', () => {
    const [f] = run(R, { elements: { cards: store('core', { stores: ['card'] }) } });
    assert.equal(f.stableId, 'design/store-without-audit-log@cards');
    assert.deepEqual(suggestion(f).threat.stride, ['repudiation']);
  });

  it('does not fire with an audit-logging or logging control, or a flow to a log store', () => {
    const elements = {
      a: store('core', { stores: ['card'], controls: ['audit-logging'] }),
      b: store('core', { stores: ['card'], controls: ['logging'] }),
      c: store('core', { stores: ['card'] }),
      logs: store('core', { kind: 'log-store' }),
    };
    assert.deepEqual(run(R, { elements, flows: { audit: { from: 'c', to: 'logs' } } }), []);
  });

  it('does not fire on confidential data, caches or queues', () => {
    const elements = { a: store('core', { stores: ['pii'] }), b: store('core', { kind: 'cache', stores: ['card'] }), c: store('core', { kind: 'queue', stores: ['card'] }) };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('false positive (auditing done by the service in front) is silenced by recording audit-logging on the store', () => {
    assert.deepEqual(subjects(run(R, { elements: { db: store('core', { stores: ['card'] }) } })), ['db']);
    assert.deepEqual(run(R, { elements: { db: store('core', { stores: ['card'], controls: ['audit-logging'] }) } }), []);
  });
});
