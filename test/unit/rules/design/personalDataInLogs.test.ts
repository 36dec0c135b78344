import assert from 'node:assert/strict';
import { run, service, store, subjects, suggestion } from './fixture';

const R = 'design/personal-data-in-logs';
const logs = (extra = {}) => store('core', { kind: 'log-store', ...extra });

describe(R, () => {
  it('fires when personal data is written to a log store', () => {
    const [f] = run(R, { elements: { app: service('core'), logs: logs() }, flows: { ship: { from: 'app', to: 'logs', data: ['pii', 'telemetry'] } } });
    assert.equal(f.stableId, 'design/personal-data-in-logs@logs');
    assert.match(f.message, /`pii` \(personal\)/);
    assert.doesNotMatch(f.message, /telemetry/);
    assert.deepEqual(suggestion(f).threat.cwe, ['CWE-532']);
  });

  it('fires on secrets declared in a log store, rating the impact major', () => {
    const [f] = run(R, { elements: { logs: logs({ stores: ['api-key'] }) } });
    assert.equal(suggestion(f).threat.impact, 'major');
  });

  it('does not fire on non-personal internal data or on other stores', () => {
    const elements = { app: service('core'), logs: logs(), db: store('core') };
    assert.deepEqual(run(R, { elements, flows: { a: { from: 'app', to: 'logs', data: ['telemetry'] }, b: { from: 'app', to: 'db', data: ['pii'] } } }), []);
  });

  it('false positive (audit logs must hold user ids) is silenced by an accepted threat about the logs', () => {
    const threats = { 'audit-pii': { title: 'User ids kept in the audit logs for a year', targets: ['logs'], status: 'accepted', justification: 'legal', accepted_by: 'DPO', expires: '2027-01-01' } };
    assert.deepEqual(subjects(run(R, { elements: { logs: logs({ stores: ['pii'] }) } })), ['logs']);
    assert.deepEqual(run(R, { elements: { logs: logs({ stores: ['pii'] }) }, threats }), []);
  });
});
