import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { computeFix } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import type { FixSpec } from '../../../src/core/types';

const NOW = new Date('2026-11-27T00:00:00Z');

/** Applies a fix, checks it is idempotent and that the result still parses without schema errors. */
function apply(text: string, fix: FixSpec): string {
  const after = applyEdits(text, computeFix(text, fix, { now: NOW }));
  assert.deepEqual(computeFix(after, fix, { now: NOW }), [], 'applying the fix twice changes nothing');
  const schemaErrors = analyze(after, { now: NOW }).findings.filter(f => f.ruleId.startsWith('schema/'));
  assert.deepEqual(schemaErrors.map(f => f.message), [], 'the result is a valid model');
  return after;
}

const MODEL = `rampart: 1
title: Shop   # the shop
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }   # public API
  db: { type: store, name: Orders DB }
threats:
  # the headline risk
  sql-injection:
    title: SQL injection in the search endpoint
    stride: [tampering]
    targets: [api]
    likelihood: likely
    impact: major
    status: open   # nobody fixed it yet
mitigations:
  waf:
    title: Web application firewall
    status: proposed
# end of file comment
`;

describe('fixes: comment-preserving, idempotent edits', () => {
  it('add-mitigation adds a stub under mitigations and links it from the threat', () => {
    const after = apply(MODEL, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    assert.match(after, /  mitigate-sql-injection:\n    title: 'TODO: mitigate "SQL injection in the search endpoint"'\n    status: proposed\n# end of file comment/);
    assert.match(after, /status: open   # nobody fixed it yet\n    mitigations: \[mitigate-sql-injection\]\n/);
    // everything else is byte for byte the same
    assert.equal(after.replace(/\n    mitigations: \[mitigate-sql-injection\]/, '').replace(/\n  mitigate-sql-injection:\n.*\n.*status: proposed/, ''), MODEL);
    // the headline finding is gone once the stub is implemented; while proposed it stays
    const a = analyze(after, { now: NOW });
    assert.ok(a.findings.some(f => f.ruleId === 'risk/unmitigated-above-tolerance'));
  });

  it('add-mitigation appends to an existing block list and to a flow list', () => {
    const block = MODEL.replace('    status: open   # nobody fixed it yet\n', '    status: open   # nobody fixed it yet\n    mitigations:\n      - waf\n');
    const a1 = apply(block, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    assert.match(a1, /    mitigations:\n      - waf\n      - mitigate-sql-injection\n/);
    const flow = MODEL.replace('    status: open   # nobody fixed it yet\n', '    status: open   # nobody fixed it yet\n    mitigations: [waf]  # only the WAF\n');
    const a2 = apply(flow, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    assert.match(a2, /    mitigations: \[waf, mitigate-sql-injection\]  # only the WAF\n/);
  });

  it('add-mitigation creates the mitigations section when there is none', () => {
    const noSection = MODEL.replace(/mitigations:\n  waf:\n    title: Web application firewall\n    status: proposed\n/, '');
    const after = apply(noSection, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    assert.match(after, /\nmitigations:\n  mitigate-sql-injection:\n    title: .*\n    status: proposed\n$/);
  });

  it('add-mitigation fills an empty section, keeping the comment on its line', () => {
    const empty = MODEL.replace(/mitigations:\n  waf:\n    title: Web application firewall\n    status: proposed\n/, 'mitigations:   # none yet\n');
    const after = apply(empty, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    assert.match(after, /\nmitigations:   # none yet\n  mitigate-sql-injection:\n    title: .*\n    status: proposed\n# end of file comment\n$/);
    const nul = MODEL.replace(/mitigations:\n  waf:\n    title: Web application firewall\n    status: proposed\n/, 'mitigations: null\n');
    assert.match(apply(nul, { kind: 'add-mitigation', title: '', threat: 'sql-injection' }), /\nmitigations: ?\n  mitigate-sql-injection:\n/);
  });

  it('fills `key:` entries that have no value yet, right after the colon, keeping their comments', () => {
    const noLinks = MODEL.replace('    status: open   # nobody fixed it yet\n', '    status: open   # nobody fixed it yet\n    mitigations:   # none yet\n');
    const a1 = apply(noLinks, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    const text = MODEL.replace('    status: open   # nobody fixed it yet\n', '    status: open   # nobody fixed it yet\n    justification:   # later\n');
    assert.match(a1, /\n    mitigations: \[mitigate-sql-injection\]   # none yet\n/);
    const a2 = apply(text, { kind: 'accept-risk', title: '', threat: 'sql-injection' });
    assert.match(a2, /\n    justification: "TODO: why this risk is acceptable"   # later\n/);
  });

  it('accept-risk sets the status and adds justification, owner and expiry placeholders', () => {
    const after = apply(MODEL, { kind: 'accept-risk', title: '', threat: 'sql-injection' });
    assert.match(after, /    status: accepted   # nobody fixed it yet\n    justification: "TODO: why this risk is acceptable"\n    accepted_by: TODO\n    expires: 2027-02-25\n/);
    const a = analyze(after, { now: NOW });
    assert.ok(!a.findings.some(f => f.ruleId === 'risk/unmitigated-above-tolerance'), 'accepted: no longer the headline');
    assert.ok(a.findings.some(f => f.ruleId === 'risk/acceptance-without-justification'), 'TODO placeholders still need filling in');
  });

  it('add-stride-stubs adds catalog-based threats for the missing categories only', () => {
    const after = apply(MODEL, { kind: 'add-stride-stubs', title: '', target: 'db', categories: ['tampering', 'information-disclosure'] });
    assert.match(after, /  db-tampering:\n    title: Data in Orders DB is modified without authorisation\n/);
    assert.match(after, /  db-disclosure:\n    title: Data in Orders DB is read by unauthorised parties\n[\s\S]*?    stride: \[information-disclosure\]\n    targets: \[db\]\n/);
    const a = analyze(after, { now: NOW });
    const cov = a.findings.find(f => f.ruleId === 'stride/coverage' && f.path?.[1] === 'db');
    assert.ok(cov && !/tampering|information-disclosure/.test(cov.message.split('for ')[1]));
  });

  it('create-element adds a missing referenced element', () => {
    const text = MODEL.replace('    targets: [api]', '    targets: [api, search-index]');
    const a = analyze(text, { now: NOW });
    const f = a.findings.find(x => x.ruleId === 'schema/dangling-reference');
    assert.ok(f);
    const fix = f.fixes!.find(x => x.kind === 'create-element')!;
    const after = apply(text, fix);
    assert.match(after, /  db: \{ type: store, name: Orders DB \}\n  search-index:\n    type: process\n    name: Search Index\n/);
  });

  it('set-threat-status changes only the value, keeping the comment', () => {
    const after = apply(MODEL, { kind: 'set-threat-status', title: '', threat: 'sql-injection', status: 'mitigated' });
    assert.equal(after, MODEL.replace('status: open   # nobody', 'status: mitigated   # nobody'));
  });

  it('works on CRLF files and keeps CRLF', () => {
    const crlf = MODEL.replace(/\n/g, '\r\n');
    const after = apply(crlf, { kind: 'add-mitigation', title: '', threat: 'sql-injection' });
    assert.ok(!/[^\r]\n/.test(after), 'no bare LF introduced');
    assert.equal(after.replace(/\r\n/g, '\n'), apply(MODEL, { kind: 'add-mitigation', title: '', threat: 'sql-injection' }));
  });

  it('works on flow-map threats', () => {
    const text = 'rampart: 1\ntitle: t\nelements:\n  api: { type: process, name: API }\nthreats:\n  t1: { title: Bad, targets: [api], likelihood: likely, impact: major, status: open }  # inline\n';
    const after = apply(text, { kind: 'add-mitigation', title: '', threat: 't1' });
    assert.match(after, /  t1: \{ title: Bad, targets: \[api\], likelihood: likely, impact: major, status: open, mitigations: \[mitigate-t1\] \}  # inline\n/);
  });

  it('a "did you mean" fix renames a misspelt key', () => {
    const text = 'rampart: 1\ntitle: t\nelements:\n  api: { type: process, name: API, boundry: dmz }\nboundaries:\n  dmz: { name: DMZ, trust: partial }\n';
    const f = analyze(text).findings.find(x => x.ruleId === 'schema/unknown-key')!;
    const after = apply(text, f.fixes![0]);
    assert.match(after, /boundary: dmz/);
  });
});
