/** The properties panel's form (#11): fields from the schema with the entry's values, findings with their fixes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { entryForm, FORM_SECTIONS } from '../../../src/core/edit/entryForm';
import { computeFix } from '../../../src/core/edit/fixes';
import { SECTIONS } from '../../../src/core/model/schema';
import { cvssScore } from '../../../src/server/handlers/entryForm';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const examples = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.threatmodel.yaml')).map(f => ({ name: f, text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));

describe('entry form (properties panel, #11)', () => {
  for (const ex of examples) {
    it(`${ex.name}: every entry's form shows its values, choices of the model's ids, and fixes that apply`, () => {
      const a = analyze(ex.text);
      const model = a.parsed.model as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
      let forms = 0;
      for (const section of FORM_SECTIONS) {
        for (const [id, entry] of Object.entries(model[section] ?? {})) {
          const form = entryForm(a, section, id);
          assert.ok(form, `${section}.${id} has a form`);
          forms++;
          const keys = Object.keys((SECTIONS[section] as unknown as { shape: Record<string, unknown> }).shape);
          for (const f of form.fields) {
            const [top, inner] = f.key.split('.');
            assert.ok(keys.includes(top), `${f.key} is a field of ${section}`);
            const value = inner ? (entry[top] as Record<string, unknown> | undefined)?.[inner] : entry[top];
            assert.deepEqual(f.value, value, `${section}.${id}.${f.key} shows the entry's value`);
            if (f.control === 'select' && f.value !== undefined && f.key !== 'boundary' && f.key !== 'parent' && f.key !== 'from' && f.key !== 'to') {
              assert.ok(f.options!.some(o => o.value === f.value), `${f.key}: the current value is a choice`);
            }
          }
          assert.deepEqual(form.fields.filter(f => f.required).map(f => f.key).sort(),
            keys.filter(k => !(SECTIONS[section] as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape[k].safeParse(undefined).success).sort(), 'required as in the schema');
          for (const action of form.actions) {
            assert.ok(computeFix(ex.text, action.fix).length > 0, `${section}.${id}: "${action.title}" makes an edit`);
          }
        }
      }
      assert.ok(forms > 10);
    });
  }

  it('controls by type: enums as selects with explanations, booleans three-way, lists as chips, references as the model\'s ids', () => {
    const text = 'rampart: 1\ntitle: t\nboundaries:\n  dmz: { name: DMZ, trust: partial }\n  core: { name: Core, trust: trusted, parent: dmz }\nassets:\n  cards: { name: Cards, classification: restricted }\nelements:\n  api: { type: process, name: API, boundary: core, tags: [pci], internet_facing: true }\n  db: { type: store, name: DB, stores: [cards] }\nflows:\n  q: { from: api, to: db, data: [cards] }\nthreats:\n  t1:\n    title: Dump\n    targets: [db]\n    statement: { source: an insider, action: copy the table }\n    likelihood: likely\n    impact: major\n    status: open\n';
    const a = analyze(text);
    const el = entryForm(a, 'elements', 'api')!;
    const field = (k: string) => el.fields.find(f => f.key === k)!;
    assert.equal(field('type').control, 'select');
    assert.match(field('type').options!.find(o => o.value === 'process')!.hint!, /code you run/);
    assert.equal(field('internet_facing').control, 'toggle');
    assert.equal(field('internet_facing').value, true);
    assert.equal(field('privileged').value, undefined, 'unset stays unset');
    assert.deepEqual([field('tags').control, field('tags').value], ['chips', ['pci']]);
    assert.deepEqual(field('boundary').options!.map(o => o.value), ['dmz', 'core']);
    assert.deepEqual([field('stores').control, field('stores').options!.map(o => o.value)], ['multi', ['cards']]);
    assert.equal(field('controls').control, 'multi', 'a list of an enum is a multi-select');
    assert.ok(!el.fields.some(f => f.key === 'source_id'), 'importer ids are not shown');
    assert.deepEqual(el.fields.slice(0, 3).map(f => f.key), ['name', 'type', 'kind'], 'the fields a person sets first come first');
    const b = entryForm(a, 'boundaries', 'core')!;
    assert.deepEqual(b.fields.find(f => f.key === 'parent')!.options!.map(o => o.value), ['dmz'], 'a boundary cannot be its own parent');
    const fl = entryForm(a, 'flows', 'q')!;
    assert.deepEqual(fl.fields.find(f => f.key === 'from')!.options!.map(o => o.value), ['api', 'db']);
    const t = entryForm(a, 'threats', 't1')!;
    assert.equal(t.fields.find(f => f.key === 'statement.source')!.value, 'an insider', 'the statement, one level in');
    assert.equal(t.fields.find(f => f.key === 'expires')!.control, 'date');
    assert.equal(t.fields.find(f => f.key === 'description')!.control, 'textarea');
    assert.deepEqual(t.fields.find(f => f.key === 'targets')!.options!.map(o => o.label), ['API (element)', 'DB (element)', 'q (flow)']);
    assert.ok(t.actions.some(x => x.fix.kind === 'add-mitigation'), 'an open threat offers "add a mitigation"');
    assert.ok(t.findings.some(f => f.ruleId.startsWith('risk/')), 'its finding is shown');
  });

  it('no form for an id the section does not have, or an inherited key', () => {
    const a = analyze('rampart: 1\ntitle: t\nelements:\n  api: { type: process, name: API }\n');
    assert.equal(entryForm(a, 'elements', 'nope'), undefined);
    assert.equal(entryForm(a, 'flows', 'api'), undefined);
    assert.equal(entryForm(a, 'elements', 'constructor'), undefined);
    assert.equal(entryForm(a, 'elements', '__proto__'), undefined);
  });

  it('scores a CVSS vector for the panel as it is typed, or says why it is not valid', () => {
    assert.deepEqual(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical', version: '3.1', level: 'critical' });
    assert.match(cvssScore('CVSS:3.1/AV:Q').problem ?? '', /AV/);
    assert.ok(cvssScore(42).problem);
    assert.ok(cvssScore('x'.repeat(301)).problem);
  });
});
