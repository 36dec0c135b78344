/**
 * The bundled example models: the README, `rampart init` and other tests rely on them, and users judge the
 * product by them. Each must validate cleanly, use the whole format, and tell the story it is meant to tell
 * (which threats `rampart check` reports as the headline findings).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, type ParsedModel } from '../../src/core/model/parse';
import { buildIndex } from '../../src/core/model/index';
import { assessAll } from '../../src/core/risk/assess';
import { scoreCvss } from '../../src/core/risk/cvss';
import { analyze } from '../../src/core/analyze';
import { ELEMENT_TYPES, TOP_KEYS, type AttackNode, type Model } from '../../src/core/model/schema';

const EXAMPLES = ['webshop-payments', 'service-platform', 'starter'] as const;
/** A fixed "today", so acceptances that expire in 2027 stay valid and 2026-01-31 stays expired. */
const NOW = new Date('2026-11-27T12:00:00Z');

const dir = join(__dirname, '..', '..', 'examples');
const read = (name: string) => readFileSync(join(dir, `${name}.threatmodel.yaml`), 'utf8');
const parsed = new Map<string, ParsedModel>(EXAMPLES.map(n => [n, parseModel(read(n))]));
const modelOf = (n: string): Model => parsed.get(n)!.model;

function openAboveTolerance(name: string): string[] {
  return [...assessAll(modelOf(name), { now: NOW }).values()].filter(a => a.aboveTolerance).map(a => a.id).sort();
}

function* nodes(list: AttackNode[] | undefined): Generator<AttackNode> {
  for (const n of list ?? []) {
    yield n;
    yield* nodes(n.and);
    yield* nodes(n.or);
  }
}

describe('example models', () => {
  for (const name of EXAMPLES) {
    describe(name, () => {
      const p = () => parsed.get(name)!;

      it('parses with no findings at all', () => {
        assert.deepEqual(p().findings.map(f => `${f.ruleId}: ${f.message}`), []);
        assert.equal(p().valid, true);
      });

      it('uses every top-level section of the format', () => {
        const data = p().data as Record<string, unknown>;
        // `pasta:` belongs to one methodology (PASTA); the others are every model's.
        for (const key of TOP_KEYS.filter(k => k !== 'pasta')) assert.ok(key in data, `${name} has no ${key}:`);
        const m = modelOf(name);
        for (const section of ['assets', 'boundaries', 'elements', 'flows', 'threats', 'mitigations', 'attack_trees'] as const) {
          assert.ok(Object.keys(m[section] ?? {}).length > 0, `${name}: ${section} is empty`);
        }
        assert.ok(m.policy?.tolerance && m.policy.currency, 'policy has tolerance and currency');
        assert.ok(m.team && m.team.length > 0 && m.scope?.in && m.scope.out && m.scope.assumptions);
      });

      it('every reference points at an entry that exists', () => {
        const index = buildIndex(p());
        const dangling = index.references.filter(r => !index.lookup(r.id, r.kinds)).map(r => `${r.path.join('.')} -> ${r.id}`);
        assert.deepEqual(dangling, []);
        assert.ok(index.references.length > 20, 'the model is wired together by references');
      });

      it('has all three element types, nested boundaries, and classified, valued assets', () => {
        const m = modelOf(name);
        const types = new Set(Object.values(m.elements ?? {}).map(e => e.type));
        assert.deepEqual([...types].sort(), [...ELEMENT_TYPES].sort());
        assert.ok(Object.values(m.boundaries ?? {}).some(b => b.parent), 'some boundary is nested');
        assert.ok(Object.values(m.assets ?? {}).some(a => a.value !== undefined));
        assert.ok(Object.values(m.flows ?? {}).every(f => f.protocol && f.encrypted !== undefined && f.authenticated !== undefined),
          'every flow says its protocol and whether it is encrypted and authenticated');
      });

      it('every CVSS vector is a complete, valid CVSS 3.1 or 4.0 base vector', () => {
        for (const [id, t] of Object.entries(modelOf(name).threats ?? {})) {
          if (!t.cvss) continue;
          const score = scoreCvss(t.cvss);
          assert.ok(score.ok, `${id}: ${t.cvss}: ${score.ok ? '' : score.error}`);
          assert.ok(['3.1', '4.0'].includes(score.version) && score.baseScore > 0, `${id}: ${t.cvss} scores ${score.baseScore}`);
        }
      });

      it('threats are rated and accepted threats carry justification, owner, expiry and ticket', () => {
        for (const [id, t] of Object.entries(modelOf(name).threats ?? {})) {
          assert.ok(t.stride && t.stride.length > 0 && t.targets && t.targets.length > 0, `${id} has stride and targets`);
          if (t.status === 'not-applicable') {
            assert.ok(t.justification, `${id} says why it does not apply`);
            continue;
          }
          assert.ok(t.likelihood && t.impact, `${id} is rated`);
          if (t.status === 'accepted' || t.status === 'transferred') {
            assert.ok(t.justification && t.accepted_by && t.expires && t.ticket, `${id} acceptance is complete`);
          }
        }
        for (const [id, mit] of Object.entries(modelOf(name).mitigations ?? {})) {
          if (mit.status === 'implemented' || mit.status === 'verified') assert.ok(mit.evidence?.length, `${id} has evidence`);
        }
      });

      it('has an attack tree that nests and/or and uses threats as leaves', () => {
        const trees = Object.values(modelOf(name).attack_trees ?? {});
        const all = trees.flatMap(t => [...nodes(t.and), ...nodes(t.or)]);
        assert.ok(all.some(n => n.threat), 'a threat leaf');
        assert.ok(all.some(n => n.leaf), 'a free-text leaf');
        assert.ok(all.some(n => n.and) || all.some(n => n.or), 'a nested and/or');
      });
    });
  }

  describe('across the examples', () => {
    const threats = EXAMPLES.flatMap(n => Object.values(modelOf(n).threats ?? {}));

    it('shows every threat status, with a CVSS 3.1 and a 4.0 vector, CWE and CAPEC ids and annual rates', () => {
      const statuses = new Set(threats.map(t => t.status));
      for (const s of ['open', 'mitigated', 'accepted', 'transferred', 'not-applicable'] as const) assert.ok(statuses.has(s), `a ${s} threat`);
      assert.ok(threats.some(t => t.cvss?.startsWith('CVSS:3.1/')));
      assert.ok(threats.some(t => t.cvss?.startsWith('CVSS:4.0/')));
      assert.ok(threats.some(t => t.cwe?.length) && threats.some(t => t.capec?.length) && threats.some(t => t.annual_rate !== undefined));
    });
  });

  describe('the stories they tell (on 2026-11-27)', () => {
    it('webshop: the open skimming, refund and card-testing risks, the mitigated-on-paper key leak and the expired acceptance are the headline', () => {
      assert.deepEqual(openAboveTolerance('webshop-payments'),
        ['card-testing', 'checkout-skimming', 'psp-key-leak', 'refund-abuse', 'session-cache-plaintext']);
      const a = assessAll(modelOf('webshop-payments'), { now: NOW });
      assert.equal(a.get('refund-abuse')?.level, 'critical');
      assert.equal(a.get('session-cache-plaintext')?.residual, 'expired');
      assert.equal(modelOf('webshop-payments').threats?.['psp-key-leak']?.status, 'mitigated', 'marked mitigated although its mitigation is only planned');
      assert.equal(a.get('psp-key-leak')?.residual, 'open');
      assert.equal(a.get('stolen-card-fraud')?.residual, 'transferred');
      assert.equal(a.get('fraud-grpc-plaintext')?.residual, 'accepted');
      assert.equal(a.get('vault-data-theft')?.residual, 'mitigated');
    });

    it('service platform: CI poisoning (critical), admin-console SSRF and standing operator access lead', () => {
      assert.deepEqual(openAboveTolerance('service-platform'),
        ['admin-console-ssrf', 'ci-pipeline-poisoning', 'console-session-lifetime', 'operator-standing-access', 'poison-message-outage']);
      const a = assessAll(modelOf('service-platform'), { now: NOW });
      assert.equal(a.get('ci-pipeline-poisoning')?.level, 'critical');
      assert.equal(a.get('console-session-lifetime')?.residual, 'expired');
      assert.equal(a.get('gateway-ddos')?.residual, 'transferred');
    });

    it('starter: nothing above tolerance, and the only findings are STRIDE coverage gaps', () => {
      assert.deepEqual(openAboveTolerance('starter'), []);
      const result = analyze(read('starter'), { now: NOW });
      const other = result.findings.filter(f => !f.ruleId.startsWith('stride/')).map(f => `${f.ruleId}: ${f.message}`);
      assert.deepEqual(other, []);
      assert.ok(result.findings.length > 0, 'the starter leaves STRIDE gaps for the newcomer to fill');
      assert.equal(Object.keys(modelOf('starter').elements ?? {}).length, 5);
    });
  });
});
