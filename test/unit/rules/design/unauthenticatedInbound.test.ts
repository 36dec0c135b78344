import assert from 'node:assert/strict';
import { api, browser, run, service, subjects, suggestion } from './fixture';

const R = 'design/unauthenticated-inbound';

describe(R, () => {
  it('fires on a flow from the internet into a process with no authentication recorded', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', data: ['orders'], encrypted: true } } });
    assert.equal(f.stableId, 'design/unauthenticated-inbound@call');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(suggestion(f).threat.stride, ['spoofing']);
    assert.match(f.why!, /`browser` is untrusted/);
  });

  it('reports explicit `authenticated: false` as such', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', authenticated: false } } });
    assert.match(f.message, /`authenticated: false`/);
  });

  it('does not fire when the flow or the process records authentication', () => {
    const elements = { browser, api: api(), api2: api({ controls: ['authentication'] }) };
    assert.deepEqual(run(R, { elements, flows: { a: { from: 'browser', to: 'api', authenticated: true }, b: { from: 'browser', to: 'api2' } } }), []);
  });

  it('does not fire between equally trusted boundaries or into stores', () => {
    const elements = { a: service('dmz'), b: service('dmz'), s: { type: 'store', name: 'S', boundary: 'core' }, browser };
    assert.deepEqual(run(R, { elements, flows: { ab: { from: 'a', to: 'b' }, bs: { from: 'browser', to: 's' } } }), []);
  });

  it('looks through a load balancer to the process behind it', () => {
    const elements = { browser, lb: { type: 'process', name: 'LB', kind: 'load-balancer', boundary: 'dmz' }, app: service('core') };
    assert.deepEqual(subjects(run(R, { elements, flows: { in: { from: 'browser', to: 'lb' }, fwd: { from: 'lb', to: 'app' } } })), ['fwd']);
  });

  it('false positive: an anonymous endpoint that serves only public data is not reported', () => {
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows: { shop: { from: 'browser', to: 'api', data: ['catalogue'] } } }), []);
  });
});
