import assert from 'node:assert/strict';
import { api, browser, run, service, subjects } from './fixture';

const R = 'design/exposed-process-without-monitoring';

describe(R, () => {
  it('reports an internet-reachable process without monitoring, as info', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { call: { from: 'browser', to: 'api' } } });
    assert.equal(f.stableId, 'design/exposed-process-without-monitoring@api');
    assert.equal(f.severity, 'info');
  });

  it('fires on `internet_facing: true`', () => {
    assert.deepEqual(subjects(run(R, { elements: { api: api({ internet_facing: true }) } })), ['api']);
  });

  it('does not fire with monitoring, or on internal processes', () => {
    const elements = { browser, a: api({ controls: ['monitoring'] }), b: service('core'), c: service('core') };
    assert.deepEqual(run(R, { elements, flows: { x: { from: 'browser', to: 'a' }, y: { from: 'b', to: 'c' } } }), []);
  });

  it('false positive (monitoring at the edge) is silenced by recording monitoring on the process', () => {
    assert.deepEqual(run(R, { elements: { api: api({ internet_facing: true, controls: ['monitoring'] }) } }), []);
  });
});
