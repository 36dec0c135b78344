import assert from 'node:assert/strict';
import { browser, run, service, store, subjects, suggestion } from './fixture';

const R = 'design/single-point-of-failure';

describe(R, () => {
  it('fires on processes and stores on the path of a critical asset that are not redundant', () => {
    const elements = { browser, pay: service('dmz'), cards: store('core') };
    const found = run(R, { elements, flows: { in: { from: 'browser', to: 'pay', data: ['card'] }, save: { from: 'pay', to: 'cards', data: ['card'] } } });
    assert.deepEqual(subjects(found), ['cards', 'pay']);
    assert.deepEqual(suggestion(found[0]).threat.stride, ['denial-of-service']);
  });

  it('fires on a declared critical asset without flows', () => {
    assert.deepEqual(subjects(run(R, { elements: { db: store('core', { stores: ['card'] }) } })), ['db']);
  });

  it('does not fire on redundant elements, external entities, non-critical data, or critical secrets', () => {
    const elements = { a: store('core', { stores: ['card'], redundant: true }), b: store('core', { stores: ['orders'] }), c: service('core', { processes: ['signing-key'] }), browser: { ...browser } };
    assert.deepEqual(run(R, { elements, flows: { x: { from: 'browser', to: 'a', data: ['card'] } } }), []);
  });

  it('false positive (an outage the business accepts) is silenced by accepting the suggested threat', () => {
    const threats = { 'single-point-of-failure@db': { title: 'Outage', targets: ['db'], status: 'accepted', justification: 'restore in 4h is fine', accepted_by: 'CTO', expires: '2027-01-01', rule: R } };
    assert.deepEqual(run(R, { elements: { db: store('core', { stores: ['card'] }) }, threats }), []);
  });
});
