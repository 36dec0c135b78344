import assert from 'node:assert/strict';
import { browser, run, service, store, subjects } from './fixture';

const R = 'design/unauthenticated-store-access';

describe(R, () => {
  it('fires on a store of sensitive data accessed without authentication, listing the flows', () => {
    const elements = { app: service('core'), db: store('core', { stores: ['pii'] }) };
    const [f] = run(R, { elements, flows: { w: { from: 'app', to: 'db' }, r: { from: 'db', to: 'app', authenticated: true } } });
    assert.equal(f.stableId, 'design/unauthenticated-store-access@db');
    assert.match(f.message, /on `w`/);
    assert.doesNotMatch(f.message, /`r`/);
  });

  it('fires on a store of internal data when a client is in another boundary', () => {
    assert.deepEqual(subjects(run(R, { elements: { web: service('dmz'), db: store('core', { stores: ['orders'] }) }, flows: { q: { from: 'web', to: 'db' } } })), ['db']);
  });

  it('does not fire with authentication, for internal data inside one trusted boundary, for queues, or for external writers', () => {
    const elements = {
      app: service('core'),
      a: store('core', { stores: ['pii'], controls: ['authentication'] }),
      b: store('core', { stores: ['orders'] }),
      q: store('dmz', { kind: 'queue', stores: ['pii'] }),
      c: store('dmz', { stores: ['pii'] }),
      browser,
    };
    const flows = { fa: { from: 'app', to: 'a' }, fb: { from: 'app', to: 'b' }, fq: { from: 'app', to: 'q' }, fc: { from: 'browser', to: 'c' } };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('false positive (embedded SQLite) is silenced by recording authentication on the store', () => {
    const parts = (controls: string[]) => ({ elements: { app: service('core'), lite: store('core', { stores: ['pii'], controls }) }, flows: { w: { from: 'app', to: 'lite' } } });
    assert.equal(run(R, parts([])).length, 1);
    assert.deepEqual(run(R, parts(['authentication'])), []);
  });
});
