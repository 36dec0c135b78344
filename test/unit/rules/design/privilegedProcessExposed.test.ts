import assert from 'node:assert/strict';
import { api, browser, run, service, subjects, suggestion } from './fixture';

const R = 'design/privileged-process-exposed';

describe(R, () => {
  it('fires on a privileged process that untrusted callers reach', () => {
    const [f] = run(R, { elements: { browser, api: api({ privileged: true }) }, flows: { call: { from: 'browser', to: 'api' } } });
    assert.equal(f.stableId, 'design/privileged-process-exposed@api');
    assert.deepEqual(suggestion(f).threat.stride, ['elevation-of-privilege']);
    assert.equal(suggestion(f).threat.impact, 'severe');
  });

  it('fires on `internet_facing: true`', () => {
    assert.deepEqual(subjects(run(R, { elements: { agent: api({ privileged: true, internet_facing: true }) } })), ['agent']);
  });

  it('does not fire on internal privileged processes, unprivileged exposed ones, or admin interfaces', () => {
    const elements = { browser, a: service('core', { privileged: true }), b: api(), c: api({ privileged: true, admin: true }) };
    assert.deepEqual(run(R, { elements, flows: { x: { from: 'browser', to: 'b' }, y: { from: 'browser', to: 'c' } } }), []);
  });

  it('false positive (drops privileges after start-up) is silenced by `privileged: false`', () => {
    assert.deepEqual(run(R, { elements: { agent: api({ privileged: false, internet_facing: true }) } }), []);
  });
});
