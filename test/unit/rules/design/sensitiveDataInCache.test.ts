import assert from 'node:assert/strict';
import { run, service, store, subjects } from './fixture';

const R = 'design/sensitive-data-in-cache';
const cache = (extra = {}) => store('core', { kind: 'cache', ...extra });

describe(R, () => {
  it('fires on a cache of session credentials without authentication or encryption', () => {
    const [f] = run(R, { elements: { app: service('core'), redis: cache() }, flows: { set: { from: 'app', to: 'redis', data: ['passwords'] } } });
    assert.equal(f.stableId, 'design/sensitive-data-in-cache@redis');
    assert.match(f.message, /authentication and encryption/);
  });

  it('fires when only one of authentication and encryption is recorded', () => {
    const [f] = run(R, { elements: { redis: cache({ stores: ['card'], encrypted: true }) } });
    assert.match(f.message, /without recorded authentication:/);
  });

  it('does not fire with both, or on caches of internal or confidential data', () => {
    const elements = { a: cache({ stores: ['card'], encrypted: true, controls: ['authentication'] }), b: cache({ stores: ['orders', 'pii'] }) };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('false positive (process-local cache) is silenced by a threat about the cache', () => {
    const threats = { local: { title: 'In-process cache of tokens is lost on restart', targets: ['redis'], status: 'not-applicable', justification: 'local' } };
    assert.deepEqual(subjects(run(R, { elements: { redis: cache({ stores: ['card'] }) } })), ['redis']);
    assert.deepEqual(run(R, { elements: { redis: cache({ stores: ['card'] }) }, threats }), []);
  });
});
