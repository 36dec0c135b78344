/** Edit intents of the visual editor and the `rampart.add*` commands (#11): one edit each, in the file's style. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { computeIntent, idFromName, type Intent } from '../../../src/core/edit/intents';
import { parseIntent } from '../../../src/core/edit/intentSchema';
import { applyEdits } from '../../../src/core/edit/yamlEdit';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const examples = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.threatmodel.yaml')).map(f => ({ name: f, text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));

const schemaFindings = (text: string) => analyze(text).findings.filter(f => f.ruleId.startsWith('schema/')).map(f => `${f.ruleId} ${(f.path ?? []).join('.')}`);
const comments = (text: string) => text.split(/\r?\n/).filter(l => /^\s*#/.test(l));

/** Applies an intent that must succeed; checks it only inserted text, kept every comment and added no schema finding. */
function apply(text: string, intent: Intent): { text: string; id: string } {
  const r = computeIntent(text, intent);
  assert.equal(r.refusal, undefined, `${intent.kind}: ${r.refusal}`);
  assert.ok(r.id && r.edits.length > 0, `${intent.kind} makes an edit`);
  // inserts only (a new section may take over the blank lines at the end of the file)
  assert.ok(r.edits.every(e => e.length === 0 || /^\s*$/.test(text.slice(e.offset, e.offset + e.length))), `${intent.kind} only inserts: every byte of the file stays`);
  const after = applyEdits(text, r.edits);
  assert.deepEqual(comments(after).filter(c => comments(text).includes(c)), comments(text), 'comments kept');
  const before = new Set(schemaFindings(text));
  assert.deepEqual(schemaFindings(after).filter(f => !before.has(f)), [], `${intent.kind} adds no schema finding`);
  return { text: after, id: r.id };
}

describe('edit intents (visual authoring, #11)', () => {
  it('builds a complete model from `rampart: 1` alone: 3 boundaries, 6 elements, 6 flows, 4 threats, 3 mitigations', () => {
    let t = 'rampart: 1\ntitle: Built without typing YAML\n';
    const step = (i: Intent) => {
      const r = apply(t, i);
      t = r.text;
      return r.id;
    };
    const internet = step({ kind: 'add-boundary', name: 'Internet', trust: 'untrusted' });
    const dmz = step({ kind: 'add-boundary', name: 'DMZ', trust: 'partial' });
    const core = step({ kind: 'add-boundary', name: 'Core network', trust: 'trusted', parent: dmz });
    const browser = step({ kind: 'add-element', type: 'external', name: 'Customer browser', boundary: internet });
    const gw = step({ kind: 'add-element', type: 'process', name: 'API gateway', boundary: dmz, technology: 'nginx' });
    const api = step({ kind: 'add-element', type: 'process', name: 'Orders API', boundary: core });
    const db = step({ kind: 'add-element', type: 'store', name: 'Orders DB', boundary: core });
    const worker = step({ kind: 'add-element', type: 'process', name: 'Mailer', boundary: core });
    const smtp = step({ kind: 'add-element', type: 'external', name: 'Mail relay' });
    assert.deepEqual([internet, dmz, core, browser, gw, api, db, worker, smtp], ['internet', 'dmz', 'core-network', 'customer-browser', 'api-gateway', 'orders-api', 'orders-db', 'mailer', 'mail-relay']);
    const flows = [
      step({ kind: 'add-flow', from: browser, to: gw, protocol: 'https', encrypted: true, authenticated: true }),
      step({ kind: 'add-flow', from: gw, to: api, protocol: 'http', encrypted: false }),
      step({ kind: 'add-flow', from: api, to: db, protocol: 'postgres', encrypted: true }),
      step({ kind: 'add-flow', from: api, to: worker, name: 'Order events', protocol: 'amqp' }),
      step({ kind: 'add-flow', from: worker, to: smtp, protocol: 'smtp', bidirectional: false }),
      step({ kind: 'add-flow', from: db, to: api, name: 'Order reads', protocol: 'postgres', encrypted: true }),
    ];
    assert.equal(new Set(flows).size, 6);
    const threats = [
      step({ kind: 'add-threat', targets: [gw], stride: ['spoofing'], title: 'Stolen tokens replayed', likelihood: 'likely', impact: 'major' }),
      step({ kind: 'add-threat', targets: [flows[1]], stride: ['information-disclosure'], statement: { source: 'an attacker in the DMZ', action: 'read orders in transit', impact: 'a data breach' }, likelihood: 'possible', impact: 'severe' }),
      step({ kind: 'add-threat', targets: [db], stride: ['tampering'], title: 'Orders changed in the database', likelihood: 'unlikely', impact: 'major' }),
      step({ kind: 'add-threat', targets: [gw], stride: ['spoofing'], title: 'Credential stuffing', likelihood: 'likely', impact: 'moderate' }),
    ];
    assert.equal(new Set(threats).size, 4, `threat ids are unique: ${threats}`);
    step({ kind: 'add-mitigation', threat: threats[0], title: 'Short-lived tokens', status: 'implemented' });
    step({ kind: 'add-mitigation', threat: threats[1], title: 'TLS between gateway and API' });
    step({ kind: 'add-mitigation', threat: threats[3], title: 'Rate limiting and MFA' });
    const model = analyze(t).parsed.model;
    assert.equal(Object.keys(model.boundaries ?? {}).length, 3);
    assert.equal(Object.keys(model.elements ?? {}).length, 6);
    assert.equal(Object.keys(model.flows ?? {}).length, 6);
    assert.equal(Object.keys(model.threats ?? {}).length, 4);
    assert.equal(Object.keys(model.mitigations ?? {}).length, 3);
    assert.equal(model.boundaries?.['core-network']?.parent, 'dmz');
    assert.deepEqual(model.threats?.[threats[0]]?.mitigations, ['short-lived-tokens']);
    assert.equal(model.threats?.[threats[1]]?.title, 'An attacker in the DMZ can read orders in transit, which leads to a data breach');
    assert.deepEqual(schemaFindings(t), []);
  });

  for (const ex of examples) {
    for (const crlf of [false, true]) {
      it(`adds to ${ex.name}${crlf ? ' (CRLF)' : ''}: bytes and comments kept, line endings kept, no new schema finding`, () => {
        let t = crlf ? ex.text.replace(/\r?\n/g, '\r\n') : ex.text;
        const model = analyze(t).parsed.model;
        const [a, b] = Object.keys(model.elements ?? {});
        const boundary = Object.keys(model.boundaries ?? {})[0];
        if (!a || !b) return;
        const el = apply(t, { kind: 'add-element', type: 'process', name: 'Audit service', boundary });
        t = el.text;
        t = apply(t, { kind: 'add-flow', from: a, to: el.id, protocol: 'https', encrypted: true }).text;
        const th = apply(t, { kind: 'add-threat', targets: [el.id], stride: ['repudiation'], title: 'Audit entries deleted', likelihood: 'possible', impact: 'moderate' });
        t = apply(th.text, { kind: 'add-mitigation', threat: th.id, title: 'Append-only audit log' }).text;
        if (crlf) assert.ok(!/[^\r]\n/.test(t), 'every line still ends in CRLF');
        const m = analyze(t).parsed.model;
        assert.equal(m.elements?.[el.id]?.boundary, boundary);
        assert.deepEqual(m.threats?.[th.id]?.mitigations, ['append-only-audit-log']);
      });
    }
  }

  it('writes a new entry on one line when its section is written so (`id: { ... }`)', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n  web: { type: process, name: Web }  # the front\n  db: { type: store, name: DB }\nflows:\n  q: { from: web, to: db }\n';
    const r = apply(text, { kind: 'add-element', type: 'external', name: 'Partner', technology: 'REST' });
    assert.match(r.text, /\n {2}db: \{ type: store, name: DB \}\n {2}partner: \{ type: external, name: Partner, technology: REST \}\nflows:/);
    const f = apply(r.text, { kind: 'add-flow', from: 'partner', to: 'web', data: [], protocol: 'https' });
    assert.match(f.text, /\n {2}partner-to-web: \{ from: partner, to: web, protocol: https \}\n/);
  });

  it('gives ids that no element, flow or boundary has (they share ids), from the name', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n  web: { type: process, name: Web }\nflows:\n  api: { from: web, to: web }\n';
    assert.equal(computeIntent(text, { kind: 'add-element', type: 'process', name: 'API' }).id, 'api-2');
    assert.equal(computeIntent(text, { kind: 'add-boundary', name: 'Web', trust: 'trusted' }).id, 'web-2');
    assert.equal(idFromName('Zahlungs-Dienst (Köln)', 'x'), 'zahlungs-dienst-koln');
    assert.equal(idFromName('constructor', 'element'), 'element');
    assert.equal(idFromName('!!!', 'element'), 'element');
  });

  it('refuses with a reason: unknown ends, boundaries, threats, missing names; never throws on a broken file', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n  web: { type: process, name: Web }\nthreats:\n  t1: { title: T, status: open }\n';
    const refusal = (i: Intent) => computeIntent(text, i).refusal ?? '';
    assert.match(refusal({ kind: 'add-flow', from: 'web', to: 'nope' }), /no element `nope`/);
    assert.match(refusal({ kind: 'add-element', type: 'process', name: 'X', boundary: 'zone' }), /no boundary `zone`/);
    assert.match(refusal({ kind: 'add-element', type: 'process', name: '  ' }), /needs a name/);
    assert.match(refusal({ kind: 'add-mitigation', threat: 'nope', title: 'M' }), /no threat `nope`/);
    assert.match(refusal({ kind: 'add-threat', targets: ['web'] }), /title or a statement/);
    const broken = computeIntent('rampart: 1\nelements: [unclosed\n', { kind: 'add-element', type: 'process', name: 'A' });
    assert.deepEqual(broken.edits, []);
    assert.ok(broken.refusal);
  });

  it('checks intents from outside (commands, the webview) field by field: unknown keys, bad enums and ids are refused', () => {
    assert.ok('intent' in parseIntent({ kind: 'add-flow', from: 'web', to: 'db', encrypted: true }));
    const problem = (raw: unknown) => {
      const r = parseIntent(raw);
      return 'problem' in r ? r.problem : '';
    };
    assert.match(problem({ kind: 'add-element', type: 'robot', name: 'R2' }), /^type: /);
    assert.match(problem({ kind: 'add-element', type: 'process', name: 'A', onclick: 'x' }), /onclick|Unrecognized/i);
    assert.match(problem({ kind: 'add-flow', from: '../etc', to: 'db' }), /^from: ids are kebab-case/);
    assert.match(problem({ kind: 'add-threat', targets: [] }), /^targets/);
    assert.match(problem({ kind: 'delete-everything' }), /kind|Invalid/i);
    assert.match(problem({ kind: 'add-element', type: 'process', name: '   ' }), /^name/);
  });
});
