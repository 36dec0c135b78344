import assert from 'node:assert/strict';
import { run, store, subjects } from './fixture';

const R = 'design/unencrypted-confidential-store';

describe(R, () => {
  it('reports a store of confidential data without encryption, as info', () => {
    const [f] = run(R, { elements: { crm: store('core', { stores: ['pii', 'orders'] }) } });
    assert.equal(f.stableId, 'design/unencrypted-confidential-store@crm');
    assert.equal(f.severity, 'info');
    assert.match(f.message, /`pii` \(confidential\)/);
  });

  it('leaves stores of restricted data to design/unencrypted-restricted-store', () => {
    const parts = { elements: { db: store('core', { stores: ['pii', 'card'] }) } };
    assert.deepEqual(run(R, parts), []);
    assert.equal(run('design/unencrypted-restricted-store', parts).length, 1);
  });

  it('does not fire on internal data or encrypted stores', () => {
    assert.deepEqual(run(R, { elements: { a: store('core', { stores: ['orders'] }), b: store('core', { stores: ['pii'], encrypted: true }) } }), []);
  });

  it('false positive (data over-classified) goes away when the classification is corrected', () => {
    const assets = { pii: { name: 'Display names', classification: 'internal' } };
    assert.deepEqual(subjects(run(R, { elements: { db: store('core', { stores: ['pii'] }) } })), ['db']);
    assert.deepEqual(run(R, { assets, elements: { db: store('core', { stores: ['pii'] }) } }), []);
  });
});
