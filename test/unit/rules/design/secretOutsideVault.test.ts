import assert from 'node:assert/strict';
import { run, service, store, subjects, suggestion } from './fixture';

const R = 'design/secret-outside-vault';

describe(R, () => {
  it('fires on a database holding a secret', () => {
    const [f] = run(R, { elements: { config: store('core', { stores: ['api-key'] }) } });
    assert.equal(f.stableId, 'design/secret-outside-vault@config');
    assert.match(f.message, /vault or secret manager/);
    assert.match(suggestion(f).threat.title, /stolen from/);
  });

  it('talks about hashing when the store holds only credentials', () => {
    const [f] = run(R, { elements: { users: store('core') , app: service('core') }, flows: { login: { from: 'app', to: 'users', data: ['passwords'] } } });
    assert.match(f.message, /salted slow hashes/);
  });

  it('does not fire on vaults, stores with secrets management, caches, log stores, or stores without secrets', () => {
    const elements = {
      v: store('core', { kind: 'vault', stores: ['signing-key'] }),
      m: store('core', { stores: ['signing-key'], controls: ['secrets-management'] }),
      c: store('core', { kind: 'cache', stores: ['passwords'] }),
      d: store('core', { stores: ['pii'] }),
      l: store('core', { kind: 'log-store', stores: ['api-key'] }),
    };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('false positive (hashed passwords) is silenced by a threat about the hashing on the store', () => {
    const threats = { 'weak-hashes': { title: 'Password hashes cracked after a database leak', targets: ['users'], status: 'mitigated' } };
    assert.deepEqual(subjects(run(R, { elements: { users: store('core', { stores: ['passwords'] }) } })), ['users']);
    assert.deepEqual(run(R, { elements: { users: store('core', { stores: ['passwords'] }) }, threats }), []);
  });
});
