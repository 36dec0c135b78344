import assert from 'node:assert/strict';
import { api, browser, run, service, subjects, suggestion } from './fixture';

const R = 'design/sensitive-data-unencrypted-flow';

describe(R, () => {
  it('fires on confidential data crossing a boundary without recorded encryption', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { signup: { from: 'browser', to: 'api', data: ['pii', 'orders'] } } });
    assert.equal(f.stableId, 'design/sensitive-data-unencrypted-flow@signup');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /`pii` \(confidential\)/);
    assert.doesNotMatch(f.message, /`orders`/);
    assert.equal(suggestion(f).threat.impact, 'moderate');
  });

  it('is an error when restricted data goes in clear to the internet', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { pay: { from: 'browser', to: 'api', protocol: 'http', data: ['card'] } } });
    assert.equal(f.severity, 'error');
    assert.equal(suggestion(f).threat.impact, 'severe');
  });

  it('fires on restricted data or secrets inside one boundary, but not on confidential data there', () => {
    const elements = { a: service('core'), b: service('core') };
    const flows = { key: { from: 'a', to: 'b', data: ['api-key'] }, card: { from: 'a', to: 'b', data: ['card'] }, profile: { from: 'a', to: 'b', data: ['pii'] } };
    assert.deepEqual(subjects(run(R, { elements, flows })), ['card', 'key']);
  });

  it('fires on explicitly unencrypted confidential data inside one boundary', () => {
    const elements = { a: service('core'), b: service('core') };
    assert.deepEqual(subjects(run(R, { elements, flows: { profile: { from: 'a', to: 'b', data: ['pii'], encrypted: false } } })), ['profile']);
  });

  it('does not fire on encrypted flows or on flows without sensitive data', () => {
    const flows = { a: { from: 'browser', to: 'api', data: ['card'], protocol: 'grpc+tls' }, b: { from: 'browser', to: 'api', data: ['orders'] } };
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows }), []);
  });

  it('false positive (mesh mTLS) is silenced by an accepted threat that names the weakness', () => {
    const threats = { 'mesh-plaintext': { title: 'Plaintext gRPC between services until the mesh ships', targets: ['card'], status: 'accepted', justification: 'x', accepted_by: 'y', expires: '2027-01-01' } };
    const elements = { a: service('core'), b: service('core') };
    assert.deepEqual(run(R, { elements, flows: { card: { from: 'a', to: 'b', data: ['card'] } }, threats }), []);
  });
});
