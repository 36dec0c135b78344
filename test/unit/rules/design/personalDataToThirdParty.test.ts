import assert from 'node:assert/strict';
import { run, service, subjects, suggestion } from './fixture';

const R = 'design/personal-data-to-third-party';
const vendor = { type: 'external', name: 'Mail vendor', kind: 'third-party' };

describe(R, () => {
  it('fires when personal data flows to a third-party element', () => {
    const [f] = run(R, { elements: { app: service('core'), mail: vendor }, flows: { send: { from: 'app', to: 'mail', data: ['pii', 'orders'], encrypted: true } } });
    assert.equal(f.stableId, 'design/personal-data-to-third-party@send');
    assert.match(f.message, /`pii`/);
    assert.doesNotMatch(f.message, /`orders`/);
    assert.deepEqual(suggestion(f).threat.cwe, ['CWE-359']);
  });

  it('fires when the receiver is in a boundary (or under one) with `ours: false`', () => {
    const boundaries = { 'vendor-eu': { name: 'Vendor EU region', trust: 'partial', parent: 'vendor' } };
    const elements = { app: service('core'), crm: { type: 'process', name: 'SaaS CRM', boundary: 'vendor-eu' } };
    assert.deepEqual(subjects(run(R, { boundaries, elements, flows: { sync: { from: 'app', to: 'crm', data: ['pii'] } } })), ['sync']);
  });

  it('does not fire on non-personal data, flows inside the organisation, or flows from the third party to us', () => {
    const elements = { app: service('core'), db: service('core'), mail: vendor };
    const flows = { a: { from: 'app', to: 'mail', data: ['orders'] }, b: { from: 'app', to: 'db', data: ['pii'] }, c: { from: 'mail', to: 'app', data: ['pii'] } };
    assert.deepEqual(run(R, { elements, flows }), []);
  });

  it('false positive (covered by a processing agreement) is silenced by a threat that names it', () => {
    const threats = { dpa: { title: 'Mail vendor processes customer personal data under our DPA', targets: ['send'], status: 'transferred', justification: 'DPA signed', accepted_by: 'DPO', expires: '2027-01-01' } };
    assert.deepEqual(run(R, { elements: { app: service('core'), mail: vendor }, flows: { send: { from: 'app', to: 'mail', data: ['pii'] } }, threats }), []);
  });
});
