import assert from 'node:assert/strict';
import { run, service, subjects } from './fixture';

const R = 'design/privileged-user-without-mfa';
const ops = (extra = {}) => ({ type: 'external', name: 'SRE', kind: 'human', boundary: 'office', privileged: true, ...extra });

describe(R, () => {
  it('fires on a privileged human signing in without MFA', () => {
    const [f] = run(R, { elements: { ops: ops(), api: service('core') }, flows: { login: { from: 'ops', to: 'api' } } });
    assert.equal(f.stableId, 'design/privileged-user-without-mfa@ops');
    assert.match(f.message, /signs in to `api` without MFA/);
  });

  it('fires when one of several sign-ins lacks MFA', () => {
    const elements = { ops: ops(), a: service('core', { controls: ['mfa'] }), b: service('core') };
    const [f] = run(R, { elements, flows: { la: { from: 'ops', to: 'a' }, lb: { from: 'ops', to: 'b' } } });
    assert.deepEqual(f.related?.length, 1);
    assert.match(f.message, /`b`/);
  });

  it('does not fire with MFA on the person, on every flow, or for non-privileged people', () => {
    const elements = { a: ops({ controls: ['mfa'] }), b: ops(), c: { type: 'external', name: 'Customer', kind: 'human' }, api: service('core') };
    assert.deepEqual(run(R, { elements, flows: { lb: { from: 'b', to: 'api', controls: ['mfa'] }, lc: { from: 'c', to: 'api' } } }), []);
  });

  it('false positive (MFA at a central identity provider) is silenced by recording mfa on the person', () => {
    assert.deepEqual(subjects(run(R, { elements: { ops: ops() } })), ['ops']);
    assert.deepEqual(run(R, { elements: { ops: ops({ controls: ['mfa'] }) } }), []);
  });
});
