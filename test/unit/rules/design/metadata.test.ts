import assert from 'node:assert/strict';
import { STRIDE } from '../../../../src/core/model/schema';
import { DESIGN_RULE_DEFS } from '../../../../src/core/rules/design/index';
import { RULES } from '../../../../src/core/rules/index';

describe('design rules: metadata', () => {
  it('every design rule is registered once, with complete documentation', () => {
    const registered = new Set(RULES.map(r => r.meta.id));
    const seen = new Set<string>();
    for (const { meta } of DESIGN_RULE_DEFS) {
      assert.ok(registered.has(meta.id), meta.id);
      assert.ok(!seen.has(meta.id), `${meta.id} twice`);
      seen.add(meta.id);
      assert.match(meta.id, /^design\/[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.equal(meta.category, 'design');
      assert.ok(meta.severity === 'warning' || meta.severity === 'info' || meta.severity === 'error', meta.id);
      for (const k of ['title', 'description', 'advice', 'detection', 'falsePositives'] as const) assert.ok((meta[k] ?? '').length > 15, `${meta.id} ${k}`);
      assert.ok(meta.stride?.length && meta.stride.every(s => (STRIDE as readonly string[]).includes(s)), `${meta.id} stride`);
      assert.ok(meta.cwe?.length && meta.cwe.every(c => /^CWE-\d{1,5}$/.test(c)), `${meta.id} cwe`);
      assert.ok((meta.capec ?? []).every(c => /^CAPEC-\d{1,5}$/.test(c)), `${meta.id} capec`);
    }
    assert.ok(DESIGN_RULE_DEFS.length >= 25);
  });
});
