import assert from 'node:assert/strict';
import { browser, run, store, subjects, suggestion } from './fixture';

const R = 'design/external-writes-store';

describe(R, () => {
  it('is an error when an untrusted external writes into a store without authentication', () => {
    const [f] = run(R, { elements: { browser, bucket: store('dmz', { kind: 'file-store' }) }, flows: { upload: { from: 'browser', to: 'bucket' } } });
    assert.equal(f.stableId, 'design/external-writes-store@upload');
    assert.equal(f.severity, 'error');
    assert.deepEqual(suggestion(f).threat.stride, ['tampering']);
  });

  it('is a warning when the direct write is authenticated', () => {
    const [f] = run(R, { elements: { browser, bucket: store('dmz') }, flows: { upload: { from: 'browser', to: 'bucket', authenticated: true } } });
    assert.equal(f.severity, 'warning');
  });

  it('fires on a bidirectional flow from a store to an external entity', () => {
    assert.deepEqual(subjects(run(R, { elements: { browser, db: store('core') }, flows: { sync: { from: 'db', to: 'browser', bidirectional: true } } })), ['sync']);
  });

  it('does not fire on reads by externals or on writes by processes', () => {
    const elements = { browser, db: store('core'), app: { type: 'process', name: 'App', boundary: 'core' } };
    assert.deepEqual(run(R, { elements, flows: { read: { from: 'db', to: 'browser' }, write: { from: 'app', to: 'db' } } }), []);
  });

  it('false positive (pre-signed upload URL) is silenced by the suggested threat marked mitigated', () => {
    const threats = { 'external-writes-store@upload': { title: 'Uploads go straight to the bucket', targets: ['upload'], status: 'mitigated', rule: R } };
    assert.deepEqual(run(R, { elements: { browser, bucket: store('dmz') }, flows: { upload: { from: 'browser', to: 'bucket' } }, threats }), []);
  });
});
