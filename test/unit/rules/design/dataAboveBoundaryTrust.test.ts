import assert from 'node:assert/strict';
import { run, service, store, subjects, suggestion } from './fixture';

const R = 'design/data-above-boundary-trust';

describe(R, () => {
  it('fires on a DMZ store holding confidential data', () => {
    const [f] = run(R, { elements: { sessions: store('dmz', { stores: ['pii'] }) } });
    assert.equal(f.stableId, 'design/data-above-boundary-trust@sessions');
    assert.match(f.message, /at most internal data/);
    assert.equal(f.related?.length, 2);
    assert.equal(suggestion(f).threat.likelihood, 'possible');
  });

  it('fires on internal data stored in an untrusted boundary, including a process that declares `stores`', () => {
    const elements = { app: { type: 'process', name: 'Mobile app', kind: 'mobile-app', boundary: 'internet', stores: ['telemetry'] }, db: service('core'), s: store('internet') };
    const flows = { up: { from: 'db', to: 's', data: ['orders'] } };
    assert.deepEqual(subjects(run(R, { elements, flows })), ['app', 's']);
  });

  it('does not fire in trusted boundaries, on processes without `stores`, on elements without boundary, or on third parties', () => {
    const elements = {
      a: store('core', { stores: ['card'] }),
      b: service('dmz', { processes: ['card'] }),
      c: { type: 'store', name: 'Unplaced', stores: ['card'] },
      d: { type: 'store', name: 'Vendor store', boundary: 'vendor', stores: ['card'] },
    };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('false positive (a short-lived buffer) is silenced by the suggested threat, whatever its status', () => {
    const threats = { 'data-above-boundary-trust@buffer': { title: 'Buffer', targets: ['buffer'], status: 'not-applicable', justification: 'seconds only' } };
    assert.deepEqual(run(R, { elements: { buffer: store('dmz', { stores: ['pii'] }) }, threats }), []);
  });
});
