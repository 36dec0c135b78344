import assert from 'node:assert/strict';
import { api, browser, run, service, store, subjects } from './fixture';

const R = 'design/sensitive-data-unauthenticated-flow';

describe(R, () => {
  it('fires when our API sends confidential data to a browser without authentication', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { profile: { from: 'api', to: 'browser', data: ['pii'], encrypted: true } } });
    assert.equal(f.stableId, 'design/sensitive-data-unauthenticated-flow@profile');
    assert.match(f.why!, /external client/);
  });

  it('fires on the outbound direction of a bidirectional flow', () => {
    assert.deepEqual(subjects(run(R, { elements: { browser, api: api() }, flows: { session: { from: 'browser', to: 'api', bidirectional: true, data: ['pii'] } } })), ['session']);
  });

  it('fires when a trusted store hands secrets to a less trusted process', () => {
    assert.deepEqual(subjects(run(R, { elements: { db: store('core'), web: service('dmz') }, flows: { read: { from: 'db', to: 'web', data: ['api-key'] } } })), ['read']);
  });

  it('does not fire on authenticated flows, data sent by externals, or towards more trusted receivers', () => {
    const elements = { browser, api: api(), db: store('core') };
    const flows = {
      a: { from: 'api', to: 'browser', data: ['pii'], authenticated: true },
      b: { from: 'browser', to: 'api', data: ['pii'] },
      c: { from: 'api', to: 'db', data: ['pii'] },
      d: { from: 'api', to: 'browser', data: ['orders'] },
    };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('leaves pushes to another organisation\'s service to the third-party rules', () => {
    const psp = { type: 'external', name: 'PSP', kind: 'third-party' };
    assert.deepEqual(run(R, { elements: { api: api(), psp }, flows: { charge: { from: 'api', to: 'psp', protocol: 'https', data: ['card'] } } }), []);
  });

  it('false positive (authentication on the request flow) is silenced by `authentication` on the response flow', () => {
    const flows = { req: { from: 'browser', to: 'api', authenticated: true }, resp: { from: 'api', to: 'browser', data: ['pii'], controls: ['authentication'] } };
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows }), []);
  });
});
