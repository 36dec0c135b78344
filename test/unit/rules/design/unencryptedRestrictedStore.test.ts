import assert from 'node:assert/strict';
import { run, service, store, subjects, suggestion } from './fixture';

const R = 'design/unencrypted-restricted-store';

describe(R, () => {
  it('fires on a store that declares restricted data and no encryption', () => {
    const [f] = run(R, { elements: { vaultish: store('core', { stores: ['card'] }) } });
    assert.equal(f.stableId, 'design/unencrypted-restricted-store@vaultish');
    assert.match(f.message, /without recorded encryption at rest/);
    assert.deepEqual(suggestion(f).threat.stride, ['information-disclosure']);
  });

  it('fires on restricted data that reaches the store over a flow, and reports `encrypted: false`', () => {
    const [f] = run(R, { elements: { app: service('core'), db: store('core', { encrypted: false }) }, flows: { w: { from: 'app', to: 'db', data: ['card'] } } });
    assert.match(f.message, /`encrypted: false`/);
  });

  it('does not fire on encrypted stores, vaults, caches, or stores of confidential data', () => {
    const elements = {
      a: store('core', { stores: ['card'], encrypted: true }),
      b: store('core', { stores: ['card'], controls: ['encryption-at-rest'] }),
      c: store('core', { stores: ['card'], kind: 'vault' }),
      d: store('core', { stores: ['card'], kind: 'cache' }),
      e: store('core', { stores: ['pii'] }),
    };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('false positive (platform encryption by default) is silenced by recording `encrypted: true`', () => {
    assert.deepEqual(subjects(run(R, { elements: { rds: store('core', { stores: ['card'] }) } })), ['rds']);
    assert.deepEqual(run(R, { elements: { rds: store('core', { stores: ['card'], encrypted: true }) } }), []);
  });
});
