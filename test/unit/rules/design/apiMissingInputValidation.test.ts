import assert from 'node:assert/strict';
import { api, browser, run, service, store, subjects, suggestion } from './fixture';

const R = 'design/api-missing-input-validation';

describe(R, () => {
  it('fires on an API flow from a less trusted caller without input validation', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', protocol: 'graphql' } } });
    assert.equal(f.stableId, 'design/api-missing-input-validation@call');
    assert.deepEqual(suggestion(f).threat.cwe, ['CWE-20']);
  });

  it('names SQL injection when the API writes to a database', () => {
    const elements = { browser, api: api(), db: store('core') };
    const [f] = run(R, { elements, flows: { call: { from: 'browser', to: 'api', protocol: 'https' }, q: { from: 'api', to: 'db' } } });
    assert.ok(suggestion(f).threat.cwe?.includes('CWE-89'));
    assert.ok(suggestion(f).threat.capec?.includes('CAPEC-66'));
    assert.equal(f.related?.length, 2);
  });

  it('does not fire with input validation recorded, or between equally trusted services', () => {
    const elements = { browser, a: api({ controls: ['input-validation'] }), s1: service('core'), s2: service('core') };
    assert.deepEqual(run(R, { elements, flows: { x: { from: 'browser', to: 'a', protocol: 'https' }, y: { from: 's1', to: 's2', protocol: 'https' } } }), []);
  });

  it('fires for a partner in a partially trusted boundary of another organisation', () => {
    const partner = { type: 'external', name: 'Partner', kind: 'third-party', boundary: 'vendor' };
    assert.deepEqual(subjects(run(R, { elements: { partner, api: api() }, flows: { hook: { from: 'partner', to: 'api', protocol: 'https' } } })), ['hook']);
  });

  it('a catalog tampering stub on the API (CWE-20) covers its flows', () => {
    const threats = { 'api-tampering': { title: 'Crafted input alters the behaviour of Public API', targets: ['api'], cwe: ['CWE-20', 'CWE-74'], status: 'open' } };
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api', protocol: 'https' } }, threats }), []);
  });
});
