import assert from 'node:assert/strict';
import { api, browser, run, service, subjects, suggestion } from './fixture';

const R = 'design/api-missing-rate-limiting';

describe(R, () => {
  it('fires on an API flow from the internet without rate limiting', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', protocol: 'https' } } });
    assert.equal(f.stableId, 'design/api-missing-rate-limiting@call');
    assert.deepEqual(suggestion(f).threat.stride, ['denial-of-service']);
  });

  it('adds credential stuffing when the flow carries credentials', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { login: { from: 'browser', to: 'api', protocol: 'https', data: ['passwords'] } } });
    const t = suggestion(f).threat;
    assert.match(t.title, /Credential stuffing/);
    assert.ok(t.stride.includes('spoofing'));
    assert.ok(t.cwe?.includes('CWE-307'));
  });

  it('does not fire with rate limiting on the flow, the API or the gateway in front', () => {
    const elements = { browser, a: api(), b: api({ controls: ['rate-limiting'] }), gw: { type: 'process', name: 'GW', kind: 'gateway', boundary: 'dmz', controls: ['rate-limiting'] }, c: service('core') };
    const flows = { x: { from: 'browser', to: 'a', controls: ['rate-limiting'] }, y: { from: 'browser', to: 'b' }, z: { from: 'browser', to: 'gw' }, w: { from: 'gw', to: 'c', protocol: 'https' } };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('reports the flow behind a load balancer once, not the load balancer', () => {
    const elements = { browser, lb: { type: 'process', name: 'LB', kind: 'load-balancer', boundary: 'dmz' }, app: service('dmz') };
    assert.deepEqual(subjects(run(R, { elements, flows: { in: { from: 'browser', to: 'lb', protocol: 'https' }, fwd: { from: 'lb', to: 'app', protocol: 'http' } } })), ['fwd']);
  });

  it('false positive: authenticated partners in a partially trusted boundary are not reported', () => {
    const partner = { type: 'external', name: 'Partner', kind: 'third-party', boundary: 'vendor' };
    assert.deepEqual(run(R, { elements: { partner, api: api() }, flows: { hook: { from: 'partner', to: 'api', protocol: 'https', authenticated: true } } }), []);
  });
});
