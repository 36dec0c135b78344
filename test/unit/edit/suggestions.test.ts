/** The statement builder's suggestions (#11): catalog and design-rule threats as Threat Composer statements. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import {
  GENERIC_PARTS, STRIDE_EXPLANATIONS, partLists, statementSentence, threatSuggestions, titleFromStatement,
  type ThreatSuggestions,
} from '../../../src/core/edit/suggestions';
import { LIMITS, STRIDE, threat, threatStatement } from '../../../src/core/model/schema';
import { CATALOG, KIND_CATALOG, STRIDE_PER_ELEMENT } from '../../../src/core/rules/stride/catalog';
import { suggestThreats } from '../../../src/server/handlers/authoring';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const examples = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.threatmodel.yaml')).map(f => ({ name: f, text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));
const SERVICE = examples.find(e => e.name === 'service-platform.threatmodel.yaml')!.text;
const WEBSHOP = examples.find(e => e.name === 'webshop-payments.threatmodel.yaml')!.text;

/** A threat entry the add-threat intent would write from a suggestion. */
const entryOf = (s: ThreatSuggestions['suggestions'][number], target: string) => ({
  title: s.title, statement: s.statement, stride: [s.stride, ...(s.alsoStride ?? [])], targets: [target], status: 'open',
  ...(s.likelihood ? { likelihood: s.likelihood } : {}), ...(s.impact ? { impact: s.impact } : {}),
});

function assertEmpty(r: ThreatSuggestions, target: string) {
  assert.equal(r.target, target);
  assert.equal(r.section, undefined);
  assert.deepEqual(r.suggestions, []);
  assert.deepEqual(r.assets, []);
  assert.equal(r.categories.length, 6);
  assert.ok(r.categories.every(c => c.applies));
}

describe('threat statement suggestions (#11)', () => {
  describe('every element and flow of every example', () => {
    for (const ex of examples) {
      it(ex.name, () => {
        const { model } = analyze(ex.text).parsed;
        const targets = [...Object.keys(model.elements ?? {}), ...Object.keys(model.flows ?? {})];
        assert.ok(targets.length > 3, 'the example has elements and flows');
        for (const t of targets) {
          const element = model.elements?.[t];
          const r = threatSuggestions(ex.text, t);
          const type = element ? element.type : 'flow';
          const name = element?.name ?? model.flows?.[t]?.name ?? t;
          assert.equal(r.target, t);
          assert.equal(r.section, element ? 'elements' : 'flows', t);
          assert.equal(r.type, type);
          assert.equal(r.kind, element?.kind);
          assert.ok(r.name && r.name.length > 0, t);
          if (element || model.flows?.[t]?.name) assert.equal(r.name, name);
          // categories: all six, in order, applies per STRIDE per element, each with its explanation
          assert.deepEqual(r.categories.map(c => c.stride), [...STRIDE]);
          assert.deepEqual(r.categories.filter(c => c.applies).map(c => c.stride), [...STRIDE_PER_ELEMENT[type]]);
          for (const c of r.categories) assert.equal(c.explanation, STRIDE_EXPLANATIONS[c.stride]);
          // assets: what it stores, processes or carries, each an asset of the model
          for (const a of r.assets) assert.ok(model.assets?.[a.id], `${t}: ${a.id}`);
          for (const a of element?.stores ?? []) if (model.assets?.[a]) assert.ok(r.assets.some(x => x.id === a), `${t} stores ${a}`);
          for (const a of model.flows?.[t]?.data ?? []) if (model.assets?.[a]) assert.ok(r.assets.some(x => x.id === a), `${t} carries ${a}`);
          // one suggestion at least per category that applies, from the catalog
          for (const c of STRIDE_PER_ELEMENT[type]) assert.ok(r.suggestions.some(s => s.stride === c && s.origin === 'catalog'), `${t} ${c}`);
          for (const s of r.suggestions) {
            const all = JSON.stringify(s);
            assert.doesNotMatch(all, /\{name\}/, `${t}: ${s.title}`);
            if (s.origin === 'catalog') assert.ok(all.includes(r.name!), `${t}: the name is filled in: ${s.title}`);
            assert.ok(s.title.length > 5 && s.title.length <= LIMITS.name, s.title);
            assert.ok(s.statement.source && s.statement.action && s.statement.impact, s.title);
            for (const a of s.statement.assets ?? []) assert.ok(model.assets?.[a], `${t}: ${a}`);
            assert.ok(threatStatement.safeParse(s.statement).success, s.title);
            assert.ok(threat.safeParse(entryOf(s, t)).success, `${t}: ${s.title} makes a valid threat`);
            if (s.existing) assert.ok(model.threats?.[s.existing]?.targets?.includes(t), `${t}: existing ${s.existing} targets it`);
            assert.match(statementSentence(s.statement), /^[A-Z].* can .*, which leads to .*\.$/);
          }
          // the lists for the datalists hold every suggestion's parts
          for (const s of r.suggestions) {
            assert.ok(r.lists.source.includes(s.statement.source));
            assert.ok(r.lists.action.includes(s.statement.action));
          }
        }
      });
    }
  });

  it('puts the element kind\'s catalog threats first, then design findings, then the generic ones', () => {
    const r = threatSuggestions(SERVICE, 'operator');
    assert.equal(r.kind, 'human');
    const order = r.suggestions.map(s => (s.origin === 'rule' ? 'rule' : s.specific ? 'kind' : 'generic'));
    assert.deepEqual(order, [...order].sort((a, b) => ['kind', 'rule', 'generic'].indexOf(a) - ['kind', 'rule', 'generic'].indexOf(b)));
    assert.equal(order[0], 'kind');
    assert.equal(r.suggestions[0].title, 'Platform operator is phished and their account is used by an attacker');
    assert.deepEqual(r.suggestions[0].statement, {
      source: 'An external attacker', prerequisites: 'the contact details of Platform operator',
      action: 'phish Platform operator for credentials or an MFA approval and sign in as them', impact: 'the attacker acting with the access of Platform operator',
      assets: r.assets.map(a => a.id),
    });
    // every kind-specific entry of the catalog is offered, before any generic one
    assert.equal(order.filter(o => o === 'kind').length, Object.keys(KIND_CATALOG.human!).length);
    assert.equal(order.filter(o => o === 'generic').length, Object.keys(CATALOG.external).length);
    // an element without a kind gets the generic entries only
    const plain = threatSuggestions('rampart: 1\ntitle: T\nelements:\n  api: { type: process, name: Orders API }\n', 'api');
    assert.ok(plain.suggestions.every(s => s.origin === 'catalog' && !s.specific));
    assert.equal(plain.suggestions.length, 6);
    assert.equal(plain.suggestions.find(s => s.stride === 'tampering')!.statement.action, 'submit crafted input that Orders API does not validate');
  });

  it('includes the design rules\' findings on the target, with their statement, likelihood and impact', () => {
    const r = threatSuggestions(SERVICE, 'operator');
    const rules = r.suggestions.filter(s => s.origin === 'rule');
    assert.deepEqual(rules.map(s => s.ruleId).sort(), ['design/privileged-user-phishing', 'design/privileged-user-without-mfa']);
    const mfa = rules.find(s => s.ruleId === 'design/privileged-user-without-mfa')!;
    assert.equal(mfa.stride, 'spoofing');
    assert.deepEqual(mfa.alsoStride, ['elevation-of-privilege']);
    assert.equal(mfa.suggestedId, 'privileged-user-without-mfa@operator');
    assert.ok(mfa.likelihood && mfa.impact);
    assert.match(mfa.statement.action, /sign in as Platform operator/);
    // on a flow too
    const flow = threatSuggestions(SERVICE, 'gateway-auth');
    assert.deepEqual(flow.suggestions.filter(s => s.origin === 'rule').map(s => s.ruleId).sort(), ['design/api-missing-authorization', 'design/api-missing-input-validation']);
    // every design finding of every example is offered on its subject
    for (const ex of examples) {
      for (const f of analyze(ex.text).findings.filter(x => x.ruleId.startsWith('design/') && x.path)) {
        const subject = String(f.path![1]);
        assert.ok(threatSuggestions(ex.text, subject).suggestions.some(s => s.ruleId === f.ruleId), `${ex.name}: ${f.ruleId} on ${subject}`);
      }
    }
  });

  it('names the threat that already covers a catalog suggestion', () => {
    const r = threatSuggestions(WEBSHOP, 'storefront');
    const spoofing = r.suggestions.filter(s => s.stride === 'spoofing');
    assert.ok(spoofing.length >= 2);
    for (const s of spoofing) assert.equal(s.existing, 'session-hijack');
    // a threat with the same title wins over one that merely shares the category
    const text = `rampart: 1
title: T
elements:
  api: { type: process, name: API }
threats:
  other: { title: Something else, stride: [tampering], targets: [api], status: open }
  same: { title: Crafted input alters the behaviour of API, stride: [repudiation], targets: [api], status: open }
`;
    const t = threatSuggestions(text, 'api');
    assert.equal(t.suggestions.find(s => s.stride === 'tampering')!.existing, 'same');
    assert.equal(t.suggestions.find(s => s.stride === 'spoofing')!.existing, undefined);
    assert.equal(t.suggestions.find(s => s.stride === 'repudiation')!.existing, 'same');
  });

  it('describes an unnamed flow by its ends', () => {
    const text = `rampart: 1
title: T
assets:
  orders: { name: Orders, classification: confidential }
elements:
  web: { type: external, name: Browser }
  api: { type: process, name: Orders API }
flows:
  place: { from: web, to: api, data: [orders, orders] }
`;
    const r = threatSuggestions(text, 'place');
    assert.equal(r.name, 'the flow from Browser to Orders API');
    assert.deepEqual(r.assets, [{ id: 'orders', name: 'Orders' }]);
    assert.equal(r.suggestions.find(s => s.stride === 'denial-of-service')!.title, 'The flow from Browser to Orders API is interrupted');
    assert.deepEqual(r.suggestions[0].statement.assets, ['orders']);
  });

  it('never throws: broken text, unknown or odd targets and bad arguments give no suggestions', () => {
    for (const text of ['', '   ', 'not: [yaml', '\u0000\u0001binary', 'rampart: 1\nelements: [1, 2]\n', 'rampart: 1\nelements:\n  api: { type: nonsense }\n', 'x'.repeat(3_000_000)]) {
      assertEmpty(threatSuggestions(text, 'api'), 'api');
    }
    for (const target of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'threats']) assertEmpty(threatSuggestions(SERVICE, target), target);
    assertEmpty(threatSuggestions(undefined as unknown as string, 'api'), 'api');
    assertEmpty(threatSuggestions(SERVICE, undefined as unknown as string), '');
    assertEmpty(threatSuggestions(SERVICE, 42 as unknown as string), '');
    // every prefix of an example: whatever the parser makes of it
    for (let end = 0; end < SERVICE.length; end += 997) {
      const r = threatSuggestions(SERVICE.slice(0, end), 'operator');
      assert.ok(Array.isArray(r.suggestions));
    }
  });

  it('answers the rampart/threatSuggestions request, also for missing parameters', () => {
    assert.equal(suggestThreats({ text: SERVICE, target: 'operator' }).name, 'Platform operator');
    assertEmpty(suggestThreats(undefined as never), '');
    assertEmpty(suggestThreats({ text: 3, target: 'operator' } as never), 'operator');
  });

  describe('sentence and title', () => {
    const s = { source: 'an attacker in the DMZ', prerequisites: 'network access', action: 'read orders in transit', impact: 'a data breach', assets: ['orders', 'cards'] };

    it('writes the Threat Composer sentence', () => {
      assert.equal(statementSentence(s), 'An attacker in the DMZ with network access can read orders in transit, which leads to a data breach, negatively impacting orders and cards.');
      assert.equal(statementSentence(s, { assetName: id => ({ orders: 'Order history' })[id] }), 'An attacker in the DMZ with network access can read orders in transit, which leads to a data breach, negatively impacting Order history and cards.');
      assert.equal(statementSentence({ ...s, assets: ['a', 'b', 'c'] }).endsWith('negatively impacting a, b and c.'), true);
      assert.equal(statementSentence({ source: ' An insider ', action: 'delete records.  ', impact: 'data loss.' }), 'An insider can delete records, which leads to data loss.');
      assert.equal(statementSentence({}), '');
      assert.equal(statementSentence(undefined), '');
      assert.equal(statementSentence({ assets: ['x'] }), '');
    });

    it('shows placeholders for the missing parts in the preview', () => {
      assert.equal(statementSentence({}, { placeholders: true }), '[threat source] can [threat action], which leads to [threat impact].');
      assert.equal(statementSentence({ action: 'read it' }, { placeholders: true }), '[threat source] can read it, which leads to [threat impact].');
      assert.equal(statementSentence({ source: 'a bot', assets: ['x'] }, { placeholders: true }), 'A bot can [threat action], which leads to [threat impact], negatively impacting x.');
    });

    it('writes a title from the statement, as the add-threat intent does', () => {
      assert.equal(titleFromStatement({ source: 'an attacker in the DMZ', action: 'read orders in transit', impact: 'a data breach' }), 'An attacker in the DMZ can read orders in transit, which leads to a data breach');
      assert.equal(titleFromStatement(s), 'An attacker in the DMZ with network access can read orders in transit, which leads to a data breach');
      assert.equal(titleFromStatement({ source: 'an attacker with a stolen cookie', action: 'replay the session', impact: 'orders placed in the victim\'s name' }), 'An attacker with a stolen cookie can replay the session, which leads to orders placed in the victim\'s name');
      assert.equal(titleFromStatement({ source: 'a bot' }), 'A bot');
      assert.equal(titleFromStatement({}), '');
      assert.equal(titleFromStatement(undefined), '');
    });

    it('keeps a title from a long statement within the schema limit: prerequisites go first, then the impact', () => {
      const long = 'x'.repeat(80);
      const t1 = titleFromStatement({ source: 'An attacker', prerequisites: long, action: 'read the data', impact: long });
      assert.equal(t1, `An attacker can read the data, which leads to ${long}`);
      const t2 = titleFromStatement({ source: 'An attacker', prerequisites: long, action: `read ${long}`, impact: `${long} ${long}` });
      assert.equal(t2, `An attacker can read ${long}`);
      const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
      const t3 = titleFromStatement({ source: 'An attacker', action: words, impact: 'loss' });
      assert.ok(t3.length <= LIMITS.name && t3.endsWith('…') && !/\s…$/.test(t3), t3);
      assert.ok(threat.safeParse({ title: t3, status: 'open' }).success);
      const t4 = titleFromStatement({ source: 'y'.repeat(500), action: 'a', impact: 'b' });
      assert.ok(t4.length <= LIMITS.name, String(t4.length));
    });
  });

  it('offers datalist entries: the suggestions\' parts first, then generic ones, without duplicates', () => {
    const lists = partLists([{ statement: { source: 'An external attacker', action: 'x', impact: 'y' } }, { statement: { source: 'an external attacker', action: 'x', impact: 'z', prerequisites: 'p' } }]);
    assert.equal(lists.source[0], 'An external attacker');
    assert.equal(lists.source.filter(v => v.toLowerCase() === 'an external attacker').length, 1);
    assert.deepEqual(lists.impact.slice(0, 2), ['y', 'z']);
    assert.deepEqual(lists.prerequisites, ['p', ...GENERIC_PARTS.prerequisites]);
  });

  it('every catalog entry has a complete statement in the grammar', () => {
    const all = [...Object.entries(CATALOG), ...Object.entries(KIND_CATALOG)].flatMap(([k, m]) => Object.entries(m ?? {}).map(([c, e]) => ({ at: `${k}/${c}`, e: e! })));
    assert.ok(all.length >= 42, String(all.length));
    const seen = new Set<string>();
    for (const { at, e } of all) {
      const st = e.statement;
      for (const part of ['source', 'prerequisites', 'action', 'impact'] as const) {
        const v = st?.[part];
        assert.ok(typeof v === 'string' && v.trim().length >= 4, `${at}: ${part}`);
        assert.equal(v, v.trim(), `${at}: ${part} is trimmed`);
        assert.doesNotMatch(v, /[.;:]$/, `${at}: ${part} has no final punctuation (the sentence adds it)`);
        assert.doesNotMatch(v.replace(/\{name\}/g, ''), /[{}]/, `${at}: ${part} has only {name} slots`);
      }
      assert.match(st.source, /^(\{name\}|[A-Z])/, `${at}: the source starts the sentence`);
      assert.doesNotMatch(st.prerequisites, /^with\b/i, `${at}: "with" is added by the sentence`);
      assert.doesNotMatch(st.action, /^(can|to)\b|^[A-Z]/, `${at}: the action is a verb phrase after "can"`);
      assert.doesNotMatch(st.impact, /^(which|leads)\b/i, `${at}: "which leads to" is added by the sentence`);
      const sentence = statementSentence(st);
      assert.ok(!seen.has(sentence), `${at}: statements are specific per entry`);
      seen.add(sentence);
    }
  });
});
