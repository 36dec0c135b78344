import assert from 'node:assert/strict';
import { run, service, subjects } from './fixture';

const R = 'design/restricted-data-to-third-party';
const psp = { type: 'external', name: 'Payment provider', kind: 'third-party' };

describe(R, () => {
  it('fires on a third party that receives restricted data, pointing at the flows', () => {
    const [f] = run(R, { elements: { pay: service('core'), psp }, flows: { charge: { from: 'pay', to: 'psp', data: ['card'] }, ping: { from: 'pay', to: 'psp' } } });
    assert.equal(f.stableId, 'design/restricted-data-to-third-party@psp');
    assert.match(f.message, /on `charge`/);
    assert.doesNotMatch(f.message, /`ping`/);
  });

  it('fires on an element in a foreign boundary that declares restricted data', () => {
    assert.deepEqual(subjects(run(R, { elements: { saas: { type: 'process', name: 'SaaS', boundary: 'vendor', processes: ['card'] } } })), ['saas']);
  });

  it('does not fire on confidential data or on our own elements', () => {
    const elements = { pay: service('core'), psp, other: service('core') };
    assert.deepEqual(run(R, { elements, flows: { a: { from: 'pay', to: 'psp', data: ['pii'] }, b: { from: 'pay', to: 'other', data: ['card'] } } }), []);
  });

  it('false positive (end-to-end encrypted for the vendor) is silenced by a mitigated vendor threat', () => {
    const threats = { 'vendor-breach': { title: 'Card data exposed through a breach at the payment provider', targets: ['psp'], status: 'mitigated' } };
    assert.deepEqual(run(R, { elements: { pay: service('core'), psp }, flows: { charge: { from: 'pay', to: 'psp', data: ['card'] } }, threats }), []);
  });
});
