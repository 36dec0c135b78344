import assert from 'node:assert/strict';
import { api, browser, run, service, subjects } from './fixture';

const R = 'design/exposed-web-app-without-waf';
const web = (extra = {}) => service('dmz', { kind: 'web-app', ...extra });

describe(R, () => {
  it('reports an internet-facing web app without a WAF, as info', () => {
    const [f] = run(R, { elements: { browser, web: web() }, flows: { use: { from: 'browser', to: 'web' } } });
    assert.equal(f.stableId, 'design/exposed-web-app-without-waf@web');
    assert.equal(f.severity, 'info');
  });

  it('reports an internet-facing gateway without a WAF', () => {
    assert.deepEqual(subjects(run(R, { elements: { gw: service('dmz', { kind: 'gateway', internet_facing: true }) } })), ['gw']);
  });

  it('does not fire with a WAF, on APIs, or on web apps behind a WAF gateway', () => {
    const elements = { browser, a: web({ controls: ['waf'] }), b: api({ internet_facing: true }), gw: service('dmz', { kind: 'gateway', controls: ['waf'] }), c: web() };
    assert.deepEqual(run(R, { elements, flows: { x: { from: 'browser', to: 'a' }, y: { from: 'browser', to: 'gw' }, z: { from: 'gw', to: 'c' } } }), []);
  });

  it('false positive (WAF at the CDN) is silenced by modelling the CDN with the waf control', () => {
    assert.equal(run(R, { elements: { browser, web: web() }, flows: { use: { from: 'browser', to: 'web' } } }).length, 1);
    const cdn = service('dmz', { kind: 'gateway', controls: ['waf'] });
    assert.deepEqual(run(R, { elements: { browser, cdn, web: web() }, flows: { use: { from: 'browser', to: 'cdn' }, origin: { from: 'cdn', to: 'web' } } }), []);
  });
});
