import assert from 'node:assert/strict';
import { THREAT_ID_PATTERN } from '../../../../src/core/model/schema';
import { api, browser, model, run, service, subjects, suggestion } from './fixture';

const R = 'design/unencrypted-crossing';

describe(R, () => {
  it('fires on a flow from the internet into the DMZ with no encryption recorded', () => {
    const text = model({ elements: { browser, api: api() }, flows: { browse: { from: 'browser', to: 'api', data: ['orders'] } } });
    const [f] = run(R, text);
    assert.equal(f.stableId, 'design/unencrypted-crossing@browse');
    assert.equal(text.slice(f.range.start, f.range.end), 'browse');
    assert.match(f.message, /not recorded as encrypted/);
    const fix = suggestion(f);
    assert.equal(fix.id, 'unencrypted-crossing@browse');
    assert.match(fix.id, THREAT_ID_PATTERN);
    assert.deepEqual(fix.threat.targets, ['browse']);
    assert.equal(fix.threat.rule, R);
    assert.equal(fix.threat.likelihood, 'likely');
    assert.ok(fix.threat.cwe?.includes('CWE-319'));
  });

  it('says the flow is in clear when the protocol is plaintext', () => {
    const [f] = run(R, { elements: { browser, api: api() }, flows: { browse: { from: 'browser', to: 'api', protocol: 'http' } } });
    assert.match(f.message, /in clear over http/);
  });

  it('does not fire when the flow is encrypted or uses an encrypting protocol', () => {
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows: { a: { from: 'browser', to: 'api', encrypted: true }, b: { from: 'browser', to: 'api', protocol: 'HTTPS/1.1' } } }), []);
  });

  it('does not fire inside one boundary or between two trusted boundaries of ours', () => {
    const elements = { a: service('core'), b: service('core'), c: service('core2') };
    assert.deepEqual(run(R, { elements, flows: { ab: { from: 'a', to: 'b' }, ac: { from: 'a', to: 'c' } } }), []);
  });

  it('fires between two trusted boundaries when one belongs to another organisation', () => {
    const elements = { a: service('core'), saas: { type: 'external', name: 'SaaS', boundary: 'trusted-vendor' } };
    const boundaries = { 'trusted-vendor': { name: 'Vendor', trust: 'trusted', ours: false } };
    assert.deepEqual(subjects(run(R, { boundaries, elements, flows: { out: { from: 'a', to: 'saas' } } })), ['out']);
  });

  it('leaves flows with confidential data to design/sensitive-data-unencrypted-flow', () => {
    const parts = { elements: { browser, api: api() }, flows: { browse: { from: 'browser', to: 'api', data: ['pii'] } } };
    assert.deepEqual(run(R, parts), []);
    assert.equal(run('design/sensitive-data-unencrypted-flow', parts).length, 1);
  });

  it('false positive (VPN not in the model) is silenced by a threat about interception on the flow', () => {
    const threats = { 'vpn-tunnel': { title: 'Traffic sniffed between branch and DMZ', targets: ['browse'], status: 'mitigated' } };
    assert.deepEqual(run(R, { elements: { browser, api: api() }, flows: { browse: { from: 'browser', to: 'api' } }, threats }), []);
  });
});
