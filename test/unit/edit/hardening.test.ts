/**
 * Regression tests for the defects adversarial testing found in the fixes (issue #9): edits that reached
 * through YAML aliases and anchors, and edits that broke unusual but valid files.
 */
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { analyze } from '../../../src/core/analyze';
import { computeFix, computeFixResult } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import type { FixSpec, TextEdit } from '../../../src/core/types';

const NOW = new Date('2026-11-27T00:00:00Z');

const read = (text: string) => parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false });
const data = (text: string) => read(text).toJS({ maxAliasCount: 1000 }) as Record<string, any>;

/** The edits leave every byte outside their ranges alone, and do not overlap. */
function assertLocal(text: string, edits: readonly TextEdit[]) {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let pos = 0;
  for (const e of sorted) {
    assert.ok(e.offset >= pos && e.offset + e.length <= text.length, 'edits are inside the text and do not overlap');
    pos = e.offset + e.length;
  }
}

/**
 * Applies a fix and checks: edits stay in their ranges, the YAML has no errors, the line breaks are the
 * file's own, and applying the fix again changes nothing.
 */
function fixed(text: string, fix: FixSpec): string {
  const edits = computeFix(text, fix, { now: NOW });
  assert.notDeepEqual(edits, [], `the fix does something (refusal: ${computeFixResult(text, fix, { now: NOW }).refusal})`);
  assertLocal(text, edits);
  const after = applyEdits(text, edits);
  assert.deepEqual(read(after).errors.map(e => e.message), [], 'the result is valid YAML');
  if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'no bare LF in a CRLF file');
  assert.deepEqual(computeFix(after, fix, { now: NOW }), [], 'applying the fix twice changes nothing');
  return after;
}

/** The model is still schema-valid. */
function assertValidModel(text: string) {
  const schema = analyze(text, { now: NOW }).findings.filter(f => f.ruleId.startsWith('schema/'));
  assert.deepEqual(schema.map(f => `${f.ruleId}: ${f.message}`), [], 'the result is a valid model');
}

/** Everything except `threats.<changed>` keeps its resolved value. */
function assertOthersUnchanged(before: string, after: string, changed: string) {
  const b = data(before);
  const a = data(after);
  for (const id of Object.keys(b.threats)) if (id !== changed) assert.deepEqual(a.threats[id], b.threats[id], `threat ${id} is unchanged`);
  for (const k of Object.keys(b)) if (k !== 'threats' && k !== 'mitigations') assert.deepEqual(a[k], b[k], `${k} is unchanged`);
}

const HEAD = 'rampart: 1\ntitle: Shop\nelements:\n  api: { type: process, name: API }\n';

const ANCHORED_STATUS = `${HEAD}threats:
  t1:
    title: First
    targets: [api]
    status: &st open   # shared
  t2:
    title: Second
    targets: [api]
    status: *st
  t3:
    title: Third
    targets: [api]
    status: *st
mitigations:
  waf: { title: WAF, status: &ms proposed }
  logs: { title: Logs, status: *ms }
`;

describe('fixes: hardening against aliases, anchors and unusual files (issue #9)', () => {
  describe('an edit never reaches through an alias or an anchor', () => {
    it('accept-risk on a threat whose status is an anchor does not accept the threats that alias it', () => {
      const after = fixed(ANCHORED_STATUS, { kind: 'accept-risk', title: '', threat: 't1' });
      assert.equal(data(after).threats.t1.status, 'accepted');
      assertOthersUnchanged(ANCHORED_STATUS, after, 't1');
      assert.equal(data(after).threats.t2.status, 'open');
      assert.equal(data(after).threats.t3.status, 'open');
      assertValidModel(after);
    });

    it('set-threat-status on an anchored status leaves the aliasing threats as they were', () => {
      const after = fixed(ANCHORED_STATUS, { kind: 'set-threat-status', title: '', threat: 't1', status: 'mitigated' });
      assert.equal(data(after).threats.t1.status, 'mitigated');
      assertOthersUnchanged(ANCHORED_STATUS, after, 't1');
      assert.match(after, /    status: &st mitigated   # shared\n/, 'the comment stays');
    });

    it('set-threat-status on a status that is an alias replaces only that alias, never the anchor', () => {
      const after = fixed(ANCHORED_STATUS, { kind: 'set-threat-status', title: '', threat: 't2', status: 'mitigated' });
      assert.equal(data(after).threats.t2.status, 'mitigated');
      assertOthersUnchanged(ANCHORED_STATUS, after, 't2');
      assert.equal(after, ANCHORED_STATUS.replace('title: Second\n    targets: [api]\n    status: *st', 'title: Second\n    targets: [api]\n    status: mitigated'));
    });

    it('set-threat-status to the value an alias already has changes nothing', () => {
      assert.deepEqual(computeFix(ANCHORED_STATUS, { kind: 'set-threat-status', title: '', threat: 't2', status: 'open' }), []);
    });

    it('set-mitigation-status through an anchor or an alias changes only that mitigation', () => {
      for (const [id, other] of [['waf', 'logs'], ['logs', 'waf']]) {
        const after = fixed(ANCHORED_STATUS, { kind: 'set-mitigation-status', title: '', mitigation: id, status: 'implemented' });
        assert.equal(data(after).mitigations[id].status, 'implemented');
        assert.equal(data(after).mitigations[other].status, 'proposed', `${other} keeps its status`);
        assert.deepEqual(data(after).threats, data(ANCHORED_STATUS).threats);
      }
    });

    it('accept-risk on a threat that is an alias of another threat writes it out and leaves the other alone', () => {
      const text = `${HEAD}threats:
  t1: &base
    title: Shared
    targets: [api]
    status: open
  t2: *base
`;
      const a1 = fixed(text, { kind: 'accept-risk', title: '', threat: 't2' });
      assert.equal(data(a1).threats.t2.status, 'accepted');
      assertOthersUnchanged(text, a1, 't2');
      assertValidModel(a1);
      const a2 = fixed(text, { kind: 'accept-risk', title: '', threat: 't1' });
      assert.equal(data(a2).threats.t1.status, 'accepted');
      assertOthersUnchanged(text, a2, 't1');
      assertValidModel(a2);
    });

    it('add-mitigation on a threat whose mitigations list is an alias materialises the list instead of replacing it', () => {
      const text = `${HEAD}threats:
  t1:
    title: First
    targets: [api]
    status: open
    mitigations: &m [waf]
  t2:
    title: Second
    targets: [api]
    status: open
    mitigations: *m
mitigations:
  waf: { title: WAF, status: proposed }
`;
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't2' });
      assert.deepEqual(data(after).threats.t2.mitigations, ['waf', 'mitigate-t2'], 'the shared items are kept');
      assertOthersUnchanged(text, after, 't2');
      assertValidModel(after);
    });

    it('add-mitigation on a threat whose anchored mitigations list is aliased elsewhere does not add it there', () => {
      const text = `${HEAD}threats:
  t1:
    title: First
    targets: [api]
    status: open
    mitigations: &m
      - waf
  t2:
    title: Second
    targets: [api]
    status: open
    mitigations: *m
mitigations:
  waf: { title: WAF, status: proposed }
`;
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.deepEqual(data(after).threats.t1.mitigations, ['waf', 'mitigate-t1']);
      assertOthersUnchanged(text, after, 't1');
      assertValidModel(after);
    });

    it('add-mitigation with `mitigations: *m` as the section adds the stub to the section, not as an unknown key', () => {
      const text = `${HEAD}threats:
  t1:
    title: First
    targets: [api]
    notes: &m
      waf: { title: WAF, status: proposed }
mitigations: *m
`;
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't1' });
      const d = data(after);
      assert.deepEqual(Object.keys(d).sort(), Object.keys(data(text)).sort(), 'no new top-level key');
      assert.deepEqual(Object.keys(d.mitigations), ['waf', 'mitigate-t1']);
      assert.deepEqual(d.threats.t1.notes, data(text).threats.t1.notes, 'the anchored map is unchanged');
      assert.deepEqual(d.threats.t1.mitigations, ['mitigate-t1']);
    });

    it('an alias used as a key is refused with a reason, not edited', () => {
      const text = `${HEAD}threats:
  t1:
    title: First
    status: &st open
  t2:
    title: Second
    ? *st
    : x
`;
      const r = computeFixResult(text, { kind: 'set-threat-status', title: '', threat: 't1', status: 'mitigated' });
      assert.deepEqual(r.edits, []);
      assert.match(r.refusal ?? '', /alias \*st is used as a key/);
    });
  });

  describe('fixes that broke the file', () => {
    const T1 = `${HEAD}threats:\n  t1:\n    title: First\n    targets: [api]\n    status: open\n`;

    it('a trailing comma in a flow list (`[m1,]`) does not become `[m1,, x]`', () => {
      const text = `${T1}    mitigations: [waf,]\nmitigations:\n  waf: { title: WAF, status: proposed }\n`;
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.deepEqual(data(after).threats.t1.mitigations, ['waf', 'mitigate-t1']);
      assert.match(after, /    mitigations: \[waf, mitigate-t1,\]\n/);
      assertValidModel(after);
    });

    it('a flow list holding only a comment gets the item before the comment', () => {
      const text = `${T1}    mitigations: [   # none yet\n    ]\n`;
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.deepEqual(data(after).threats.t1.mitigations, ['mitigate-t1']);
      assert.match(after, /# none yet/);
      assertValidModel(after);
      const tight = `${T1}    mitigations: [# none yet\n    ]\n`;
      assert.deepEqual(data(fixed(tight, { kind: 'add-mitigation', title: '', threat: 't1' })).threats.t1.mitigations, ['mitigate-t1']);
    });

    it('a block list holding only a comment (an empty dash) gets its first item on that dash, not a null before it', () => {
      const dash = `${T1}    mitigations:\n      - # none yet\n`;
      const a0 = fixed(dash, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.deepEqual(data(a0).threats.t1.mitigations, ['mitigate-t1']);
      assert.match(a0, /\n      - mitigate-t1 # none yet\n/);
      assertValidModel(a0);
      const bare = `${T1}    mitigations:\n    -\n    likelihood: rare\n`;
      assert.deepEqual(data(fixed(bare, { kind: 'add-mitigation', title: '', threat: 't1' })).threats.t1.mitigations, ['mitigate-t1']);
      // an explicit null is data, not a placeholder: it stays
      const explicit = `${T1}    mitigations:\n      - ~\n`;
      assert.deepEqual(data(fixed(explicit, { kind: 'add-mitigation', title: '', threat: 't1' })).threats.t1.mitigations, [null, 'mitigate-t1']);
    });

    it('a list or section holding only a comment gets its first item', () => {
      const list = `${T1}    mitigations:\n      # - waf, once we have one\n`;
      const a1 = fixed(list, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.deepEqual(data(a1).threats.t1.mitigations, ['mitigate-t1']);
      assert.match(a1, /# - waf, once we have one/);
      assertValidModel(a1);
      const section = `rampart: 1\ntitle: Shop\nelements:\n  # none yet\nthreats:\n  t1:\n    title: First\n    targets: [api]\n    status: open\n`;
      const a2 = fixed(section, { kind: 'create-element', title: '', section: 'elements', id: 'api' });
      assert.deepEqual(Object.keys(data(a2).elements), ['api']);
      assert.match(a2, /# none yet/);
      assertValidModel(a2);
      const flowMap = `${T1}mitigations: {   # none yet\n}\n`;
      const a3 = fixed(flowMap, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.deepEqual(Object.keys(data(a3).mitigations), ['mitigate-t1']);
    });

    it('a new field after a field that is empty but for a comment stays in its own threat, not the next one', () => {
      const text = `${T1}    mitigations:   # none yet\n  t2:\n    title: Second\n    targets: [api]\n    status: open\n`;
      const after = fixed(text, { kind: 'accept-risk', title: '', threat: 't1' });
      assert.equal(data(after).threats.t1.status, 'accepted');
      assert.equal(data(after).threats.t1.accepted_by, 'TODO');
      assertOthersUnchanged(text, after, 't1');
      assert.match(after, /    mitigations:   # none yet\n    justification: .*\n    accepted_by: TODO\n    expires: 2027-02-25\n  t2:\n/);
      // and a new threat after it goes into threats, not into t1
      const fix: FixSpec = { kind: 'add-suggested-threat', title: '', id: 'api-dos', threat: { title: 'Flood', stride: ['denial-of-service'], targets: ['api'], rule: 'r' } };
      const a2 = fixed(`  ${T1.replace(/\n(?=.)/g, '\n  ')}      mitigations:   # none yet\n  mitigations: {}\n`, fix);
      assert.deepEqual(Object.keys(data(a2).threats), ['t1', 'api-dos']);
    });

    it('a file ending in a document end marker (`...`) gets a new section before the marker, in the same document', () => {
      const text = `${T1}# trailing comment\n...\n`;
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.match(after, /\n\.\.\.\n$/, 'the marker stays last');
      assert.deepEqual(Object.keys(data(after).mitigations), ['mitigate-t1']);
      assertValidModel(after);
      // and a second document (`---`) is not where the section goes either
      const two = `${T1}---\nother: document\n`;
      const a2 = applyEdits(two, computeFix(two, { kind: 'add-mitigation', title: '', threat: 't1' }, { now: NOW }));
      assert.deepEqual(Object.keys(data(a2).mitigations), ['mitigate-t1']);
    });

    it('a top-level map indented by two spaces gets new sections at the same column', () => {
      const text = T1.split('\n').map(l => (l ? '  ' + l : l)).join('\n');
      const after = fixed(text, { kind: 'add-mitigation', title: '', threat: 't1' });
      assert.match(after, /\n  mitigations:\n    mitigate-t1:\n      title: .*\n      status: proposed\n$/);
      assert.deepEqual(data(after).threats.t1.mitigations, ['mitigate-t1']);
      assertValidModel(after);
    });

    it('accept-risk on an expired acceptance renews it: a new expiry, and a fresh justification and signature to give', () => {
      const text = `${T1.replace('status: open', 'status: accepted')}    justification: Low traffic this year   # reviewed\n    accepted_by: Dana Lee\n    expires: 2026-01-31\n`;
      const before = analyze(text, { now: NOW }).findings;
      assert.ok(before.some(f => f.ruleId === 'risk/expired-acceptance'));
      const after = fixed(text, { kind: 'accept-risk', title: '', threat: 't1' });
      const t = data(after).threats.t1;
      assert.equal(t.status, 'accepted');
      assert.equal(t.expires, '2027-02-25');
      assert.match(t.justification, /^TODO: .*2026-01-31/);
      assert.equal(t.accepted_by, 'TODO');
      assert.match(after, /   # reviewed\n/, 'the comment stays');
      const a = analyze(after, { now: NOW }).findings;
      assert.ok(!a.some(f => f.ruleId === 'risk/expired-acceptance'), 'no longer expired');
      assert.ok(a.some(f => f.ruleId === 'risk/acceptance-without-justification'), 'someone has to justify and sign it again');
      // an acceptance that has not expired yet is left alone
      const current = text.replace('2026-01-31', '2027-01-31');
      assert.deepEqual(computeFix(current, { kind: 'accept-risk', title: '', threat: 't1' }, { now: NOW }), []);
    });

    it('CRLF files keep CRLF through alias, anchor, document-marker and renewal edits', () => {
      const crlf = (s: string) => s.replace(/\n/g, '\r\n');
      fixed(crlf(ANCHORED_STATUS), { kind: 'accept-risk', title: '', threat: 't1' });
      fixed(crlf(ANCHORED_STATUS), { kind: 'set-threat-status', title: '', threat: 't2', status: 'mitigated' });
      fixed(crlf(`${T1}...\n`), { kind: 'add-mitigation', title: '', threat: 't1' });
      fixed(crlf(`${T1.replace('status: open', 'status: accepted')}    expires: 2026-01-31\n`), { kind: 'accept-risk', title: '', threat: 't1' });
    });
  });

  describe('computeFix never throws', () => {
    const FIXES: FixSpec[] = [
      { kind: 'add-mitigation', title: '', threat: 't1' },
      { kind: 'accept-risk', title: '', threat: 't1' },
      { kind: 'add-stride-stubs', title: '', target: 'api', categories: ['spoofing', 'tampering'] },
      { kind: 'create-element', title: '', section: 'elements', id: 'a--b-' },
      { kind: 'set-threat-status', title: '', threat: 't1', status: 'mitigated' },
      { kind: 'set-mitigation-status', title: '', mitigation: 'waf', status: 'implemented' },
      { kind: 'add-suggested-threat', title: '', id: 'new', threat: { title: 'A, b: c', stride: ['spoofing'], targets: ['api'], rule: 'r' } },
      { kind: 'replace', title: '', range: { start: 5, end: 2 }, text: 'x', expect: '' },
    ];
    const TEXTS = [
      '', '\n', '---\n', '...\n', '# only a comment\n', 'just a string\n', '- a\n- b\n', '[1, 2]\n', '{}\n',
      'threats: [t1, t2]\n', 'threats:\n  t1: oops\n', 'threats:\n  t1: [a, b]\n', 'threats:\n  t1:\n    mitigations: {a: 1}\n',
      'threats:\n  t1:\n    mitigations:\n      -\n', 'threats: { t1: { status, title: x } }\n', 'threats:\n  t1: { title: x, }\n',
      'threats:\n  t1:\n    title: x\n    status: *nowhere\n', 'a: &x [*x]\n', 'threats: &t\n  t1: { title: x }\nmitigations: *t\n',
      'threats:\n  t1:\n    title: |\n      text\n\n', 'threats:\n  t1:\n    description: |+\n      kept\n\n\n', 'threats:\n\tt1: x\n',
      'threats:\n  t1:\n    title: [unclosed\n', '%YAML 1.1\n---\nthreats: {}\n', 'rampart: 1\r\nthreats:\r\n  t1:\r\n    title: x\r\n',
      'threats:\n  ? [complex]\n  : x\n  t1: { title: x }\n', '"threats": {"t1": {"title": "x"}}', 'threats:\n  t1:\n    status: !!str open\n',
      `a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: [*d, *d]\nthreats:\n  t1: {title: x}\n`,
    ];
    it('returns edits that keep the YAML valid and settle in one step, or nothing with a reason', () => {
      for (const text of TEXTS) {
        for (const fix of FIXES) {
          const where = `${fix.kind} on ${JSON.stringify(text)}`;
          let r: ReturnType<typeof computeFixResult> | undefined;
          assert.doesNotThrow(() => { r = computeFixResult(text, fix, { now: NOW }); }, where);
          assertLocal(text, r!.edits);
          if (!r!.edits.length) continue;
          const after = applyEdits(text, r!.edits);
          const errors = (t: string) => read(t).errors.map(e => e.code).sort();
          for (const code of errors(after)) assert.ok(errors(text).includes(code), `${where}: no new YAML error (${code})`);
          assert.deepEqual(computeFix(after, fix, { now: NOW }), [], `${where}: idempotent`);
        }
      }
    });

    it('explains a refusal: a threat that is not a map', () => {
      const r = computeFixResult('rampart: 1\ntitle: t\nthreats:\n  t1: oops\n', { kind: 'add-mitigation', title: '', threat: 't1' }, { now: NOW });
      assert.deepEqual(r.edits, []);
      assert.match(r.refusal ?? '', /threats\.t1 is a single value, not a map/);
      assert.equal(computeFixResult(ANCHORED_STATUS, { kind: 'set-threat-status', title: '', threat: 't2', status: 'open' }).refusal, undefined, 'nothing to do is not a refusal');
    });
  });
});

describe('expired acceptance: the finding offers to renew it (#9)', () => {
  it('"Renew the acceptance" writes a new expiry and asks for a fresh justification and sign-off', () => {
    const text = 'rampart: 1\ntitle: Renew\nelements:\n  api: { type: process, name: API }\nthreats:\n  t1:\n    title: Old risk\n    targets: [api]\n    likelihood: likely\n    impact: major\n    status: accepted\n    justification: Fine last year\n    accepted_by: Dana\n    expires: 2020-01-01\n';
    const now = new Date('2026-11-29T00:00:00Z');
    const f = analyze(text, { now }).findings.find(x => x.ruleId === 'risk/expired-acceptance')!;
    const renew = f.fixes!.find(x => x.kind === 'accept-risk')!;
    assert.match(renew.title, /^Renew the acceptance of t1/);
    const after = applyEdits(text, computeFix(text, renew, { now, acceptanceDays: 30 }));
    assert.match(after, /expires: 2026-12-29/);
    assert.doesNotMatch(after, /Fine last year/);
    assert.match(after, /accepted_by: TODO/);
    assert.ok(!analyze(after, { now }).findings.some(x => x.ruleId === 'risk/expired-acceptance'));
  });
});
