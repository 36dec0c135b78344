import assert from 'node:assert/strict';
import { api, browser, run, service, subjects, suggestion } from './fixture';

const R = 'design/api-missing-authorization';
const gateway = (extra = {}) => ({ type: 'process', name: 'Gateway', kind: 'gateway', boundary: 'dmz', ...extra });

describe(R, () => {
  it('fires on an HTTPS flow from a browser into an API with no authorization recorded', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', protocol: 'https', authenticated: true, data: ['orders'] } } });
    assert.equal(f.stableId, 'design/api-missing-authorization@call');
    assert.equal(f.severity, 'warning');
    assert.ok(suggestion(f).threat.cwe?.includes('CWE-862'));
    assert.equal(suggestion(f).threat.likelihood, 'possible');
  });

  it('is an error with explicit `authorized: false` from an untrusted caller', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', authorized: false } } });
    assert.equal(f.severity, 'error');
  });

  it('does not fire when authorization is recorded on the flow, the API, or the gateway in front', () => {
    const elements = { browser, a: api(), b: api({ controls: ['authorization'] }), gw: gateway({ controls: ['authorization'] }), c: service('core') };
    const flows = { x: { from: 'browser', to: 'a', authorized: true }, y: { from: 'browser', to: 'b' }, z: { from: 'browser', to: 'gw', protocol: 'https' }, w: { from: 'gw', to: 'c', protocol: 'grpc' } };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('reports the service behind a forwarding gateway, not the gateway', () => {
    const elements = { browser, gw: gateway(), orders: service('core') };
    const flows = { in: { from: 'browser', to: 'gw', protocol: 'https' }, fwd: { from: 'gw', to: 'orders', protocol: 'https' } };
    assert.deepEqual(subjects(run(R, { elements, flows })), ['fwd']);
  });

  it('does not fire on internal calls between equally trusted services, or on non-API protocols', () => {
    const elements = { a: service('core'), b: service('core'), browser, c: { type: 'process', name: 'Batch', kind: 'worker', boundary: 'dmz' } };
    assert.deepEqual(run(R, { elements, flows: { ab: { from: 'a', to: 'b', protocol: 'grpc' }, sftp: { from: 'browser', to: 'c', protocol: 'sftp' } } }), []);
  });

  it('false positive (public read-only API) is not reported when its data is public and anonymous', () => {
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows: { list: { from: 'browser', to: 'api', protocol: 'https', data: ['catalogue'] } } }), []);
  });

  it('an authorization threat on the API itself covers its flows', () => {
    const threats = { idor: { title: 'Customers read other customers\' orders by changing the id', targets: ['api'], status: 'open' } };
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', protocol: 'https' } }, threats }), []);
  });
});
