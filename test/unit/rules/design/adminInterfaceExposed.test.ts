import assert from 'node:assert/strict';
import { run, subjects, suggestion } from './fixture';

const R = 'design/admin-interface-exposed';
const admin = { type: 'external', name: 'Admin', kind: 'human', boundary: 'internet' };
const console_ = (extra = {}) => ({ type: 'process', name: 'Admin console', kind: 'admin-console', boundary: 'core', ...extra });

describe(R, () => {
  it('is an error when an admin console takes unauthenticated traffic from the internet', () => {
    const [f] = run(R, { elements: { admin, console: console_() }, flows: { manage: { from: 'admin', to: 'console' } } });
    assert.equal(f.stableId, 'design/admin-interface-exposed@console');
    assert.equal(f.severity, 'error');
    assert.equal(suggestion(f).threat.likelihood, 'likely');
  });

  it('is a warning when the exposed admin interface authenticates', () => {
    const [f] = run(R, { elements: { admin, panel: { type: 'process', name: 'Panel', admin: true, boundary: 'dmz', controls: ['authentication', 'mfa'] } }, flows: { manage: { from: 'admin', to: 'panel' } } });
    assert.equal(f.severity, 'warning');
  });

  it('fires on `internet_facing: true` without any modelled caller', () => {
    assert.deepEqual(subjects(run(R, { elements: { console: console_({ internet_facing: true }) } })), ['console']);
  });

  it('does not fire when operators come from a partially trusted network (VPN, office)', () => {
    const ops = { type: 'external', name: 'Operator', kind: 'human', boundary: 'office' };
    assert.deepEqual(run(R, { elements: { ops, console: console_() }, flows: { manage: { from: 'ops', to: 'console' } } }), []);
  });

  it('false positive (VPN not modelled) disappears once the VPN is a boundary', () => {
    const boundaries = { vpn: { name: 'VPN', trust: 'partial', parent: 'internet' } };
    const ops = { ...admin, boundary: 'vpn' };
    assert.deepEqual(run(R, { boundaries, elements: { ops, console: console_() }, flows: { manage: { from: 'ops', to: 'console' } } }), []);
  });
});
