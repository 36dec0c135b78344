import assert from 'node:assert/strict';
import { run, service, subjects, suggestion } from './fixture';

const R = 'design/privileged-user-phishing';
const ops = (extra = {}) => ({ type: 'external', name: 'SRE', kind: 'human', boundary: 'office', privileged: true, ...extra });

describe(R, () => {
  it('fires on a privileged human with no phishing threat', () => {
    const [f] = run(R, { elements: { ops: ops() } });
    assert.equal(f.stableId, 'design/privileged-user-phishing@ops');
    assert.ok(suggestion(f).threat.capec?.includes('CAPEC-98'));
  });

  it('fires on a human who reaches an admin interface, and on a role-named external without kind', () => {
    const elements = {
      clerk: { type: 'external', name: 'Clerk', kind: 'human', boundary: 'office' },
      console: { type: 'process', name: 'Console', kind: 'admin-console', boundary: 'core' },
      operator: { type: 'external', name: 'Night operator', boundary: 'office', admin: true },
    };
    const found = run(R, { elements, flows: { manage: { from: 'clerk', to: 'console' } } });
    assert.deepEqual(subjects(found), ['clerk', 'operator']);
    assert.equal(suggestion(found.find(f => f.stableId!.endsWith('@clerk'))!).threat.impact, 'severe');
  });

  it('does not fire on non-privileged people or privileged systems', () => {
    const elements = { user: { type: 'external', name: 'Customer', kind: 'human' }, partner: { type: 'external', name: 'Partner', kind: 'third-party', privileged: true } };
    assert.deepEqual(run(R, { elements }), []);
  });

  it('is satisfied by a phishing threat on their login flow or the system they sign in to', () => {
    const elements = { ops: ops(), api: service('core') };
    const flows = { login: { from: 'ops', to: 'api' } };
    assert.deepEqual(run(R, { elements, flows, threats: { p: { title: 'Phished SRE password used on the API', targets: ['login'], status: 'open' } } }), []);
    assert.deepEqual(run(R, { elements, flows, threats: { p: { title: 'SRE tricked into approving a push', targets: ['api'], capec: ['CAPEC-98'], status: 'open' } } }), []);
  });

  it('is satisfied by an attack tree that considers phishing', () => {
    const attack_trees = { takeover: { goal: 'Take over production', or: [{ leaf: 'Phish an operator' }, { leaf: 'Exploit the API' }] } };
    assert.deepEqual(run(R, { elements: { ops: ops() }, attack_trees }), []);
  });

  it('false positive (covered by an organisation-wide model) is silenced by the suggested id with status transferred', () => {
    const threats = { 'privileged-user-phishing@ops': { title: 'x', targets: ['ops'], status: 'not-applicable', justification: 'covered by the corporate model' } };
    assert.deepEqual(run(R, { elements: { ops: ops() }, threats }), []);
  });
});
