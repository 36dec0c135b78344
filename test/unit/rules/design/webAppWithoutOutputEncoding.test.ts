import assert from 'node:assert/strict';
import { api, browser, run, service, subjects, suggestion } from './fixture';

const R = 'design/web-app-without-output-encoding';
const web = (extra = {}) => service('dmz', { kind: 'web-app', ...extra });

describe(R, () => {
  it('fires on a web app that sends pages to a browser without output encoding', () => {
    const [f] = run(R, { elements: { browser, web: web() }, flows: { page: { from: 'web', to: 'browser' } } });
    assert.equal(f.stableId, 'design/web-app-without-output-encoding@web');
    assert.ok(suggestion(f).threat.cwe?.includes('CWE-79'));
  });

  it('counts a request flow from a browser, or from a user-like external without kind, as serving a browser', () => {
    const customer = { type: 'external', name: 'Customer' };
    assert.deepEqual(subjects(run(R, { elements: { browser, web: web() }, flows: { use: { from: 'browser', to: 'web' } } })), ['web']);
    assert.deepEqual(subjects(run(R, { elements: { customer, web: web() }, flows: { use: { from: 'customer', to: 'web' } } })), ['web']);
  });

  it('counts a bidirectional browser flow', () => {
    assert.deepEqual(subjects(run(R, { elements: { browser, web: web() }, flows: { use: { from: 'browser', to: 'web', bidirectional: true } } })), ['web']);
  });

  it('does not fire with output encoding, on APIs, or without a browser', () => {
    const elements = { browser, a: web({ controls: ['output-encoding'] }), b: api(), c: web(), d: service('core') };
    assert.deepEqual(run(R, { elements, flows: { x: { from: 'a', to: 'browser' }, y: { from: 'b', to: 'browser' }, z: { from: 'c', to: 'd' } } }), []);
  });

  it('false positive (framework escapes by default) is silenced by an XSS threat on the app', () => {
    const threats = { xss: { title: 'Stored XSS in comments', targets: ['web'], status: 'mitigated' } };
    assert.deepEqual(run(R, { elements: { browser, web: web() }, flows: { page: { from: 'web', to: 'browser' } }, threats }), []);
  });
});
