import assert from 'node:assert/strict';
import { browser, run, service, store, subjects } from './fixture';

const R = 'design/direct-access-to-trusted-zone';

describe(R, () => {
  it('fires when an internet client reaches a trusted-zone process directly', () => {
    const [f] = run(R, { elements: { browser, app: service('core') }, flows: { direct: { from: 'browser', to: 'app', encrypted: true, authenticated: true } } });
    assert.equal(f.stableId, 'design/direct-access-to-trusted-zone@direct');
    assert.match(f.message, /`core` \(trusted\)/);
  });

  it('sees through a load balancer in the DMZ', () => {
    const elements = { browser, lb: { type: 'process', name: 'LB', kind: 'load-balancer', boundary: 'dmz' }, app: service('core') };
    assert.deepEqual(subjects(run(R, { elements, flows: { in: { from: 'browser', to: 'lb' }, fwd: { from: 'lb', to: 'app' } } })), ['fwd']);
  });

  it('does not fire through a gateway tier or from partially trusted networks', () => {
    const elements = { browser, gw: service('dmz', { kind: 'gateway' }), app: service('core'), ops: { type: 'external', name: 'Ops', kind: 'human', boundary: 'office' }, db: store('core') };
    const flows = { in: { from: 'browser', to: 'gw' }, fwd: { from: 'gw', to: 'app' }, admin: { from: 'ops', to: 'db' } };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('false positive (outbound polling modelled backwards) disappears when the flow goes from our service out', () => {
    const partner = { type: 'external', name: 'Partner API', kind: 'third-party' };
    assert.equal(run(R, { elements: { partner, app: service('core') }, flows: { poll: { from: 'partner', to: 'app' } } }).length, 1);
    assert.deepEqual(run(R, { elements: { partner, app: service('core') }, flows: { poll: { from: 'app', to: 'partner' } } }), []);
  });
});
