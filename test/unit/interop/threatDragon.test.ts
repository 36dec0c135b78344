/**
 * Threat Dragon round trips without losing a word (#14): one test per defect, each with a small Threat Dragon
 * file built here. Every export is also checked against Threat Dragon's v2 schema.
 */
import assert from 'node:assert/strict';
import { parseModel } from '../../../src/core/model/parse';
import type { Model } from '../../../src/core/model/schema';
import { assessThreat } from '../../../src/core/risk/assess';
import { ImportError, exportModelWithNotes, importModel } from '../../../src/core/interop/index';
import { assertSchemaClean, corpusFile, corpusJson } from './corpus';
import { assertRoundTrip } from './roundtrip';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true, strict: false });
const tdSchema = corpusJson('threat-dragon/schema/threat-dragon-v2.schema.json') as any;
const validateTd = ajv.compile(tdSchema);
const validateTdThreat = ajv.compile(tdSchema.properties.detail.properties.diagrams.items.properties.cells.items.properties.threats.items);

type Json = Record<string, any>;

/** A Threat Dragon v2 file with these cells (and summary/detail fields). */
function tdFile(cells: Json[], summary: Json = {}, detail: Json = {}): string {
  return JSON.stringify({
    version: '2.3.0',
    summary: { title: 'Small model', owner: '', description: '', id: 0, ...summary },
    detail: {
      contributors: [], diagramTop: 1, reviewer: '', threatTop: 0, ...detail,
      diagrams: [{ id: 0, title: 'Main', diagramType: 'STRIDE', thumbnail: '', version: '2.3.0', cells }],
    },
  });
}

const actor = (id: string, name: string, x: number, data: Json = {}) =>
  ({ id, shape: 'actor', zIndex: 1, position: { x, y: 100 }, size: { width: 160, height: 80 }, data: { type: 'tm.Actor', name, hasOpenThreats: false, ...data } });
const processCell = (id: string, name: string, x: number, data: Json = {}) =>
  ({ id, shape: 'process', zIndex: 1, position: { x, y: 100 }, size: { width: 100, height: 100 }, data: { type: 'tm.Process', name, hasOpenThreats: false, ...data } });
const store = (id: string, name: string, x: number, data: Json = {}) =>
  ({ id, shape: 'store', zIndex: 1, position: { x, y: 100 }, size: { width: 160, height: 80 }, data: { type: 'tm.Store', name, hasOpenThreats: false, ...data } });
const flow = (id: string, name: string, from: string | Json, to: string, data: Json = {}) =>
  ({ id, shape: 'flow', zIndex: 1, source: typeof from === 'string' ? { cell: from } : from, target: { cell: to }, data: { type: 'tm.Flow', name, hasOpenThreats: false, ...data } });
const threat = (id: string, title: string, fields: Json = {}) =>
  ({ id, title, status: 'Open', severity: 'Medium', type: 'Tampering', description: '', mitigation: '', modelType: 'STRIDE', ...fields });

/** Import -> export -> import must give the same model; the export must be valid Threat Dragon. */
function roundTrip(text: string, label: string) {
  const r = assertRoundTrip('threat-dragon', text, label);
  const td = JSON.parse(r.exported.text);
  assert.ok(validateTd(td), `${label}: ${JSON.stringify(validateTd.errors?.slice(0, 5))}`);
  for (const c of td.detail.diagrams[0].cells) for (const t of c.data.threats ?? []) assert.ok(validateTdThreat(t), `${label}: threat ${t.title}`);
  return { ...r, td, cells: td.detail.diagrams[0].cells as Json[] };
}

const threatsOf = (cells: Json[]) => cells.flatMap(c => (c.data.threats ?? []).map((t: Json) => ({ ...t, cell: c.id })));

describe('interop: Threat Dragon round trips (#14)', () => {
  it('maps the severity Critical both ways (and TBA as unrated), and keeps the score', () => {
    const text = tdFile([processCell('p1', 'API', 100, { threats: [
      threat('t-crit', 'Remote code execution', { severity: 'Critical', score: '10' }),
      threat('t-tba', 'Not assessed yet', { severity: 'TBA', score: '' }),
      threat('t-cvss', 'Known CVE', { severity: 'High', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
    ] })]);
    const { first, cells, importNotes } = roundTrip(text, 'severities');
    const critical = first.threats!['remote-code-execution'];
    assert.equal(assessThreat(first, 'remote-code-execution', critical).level, 'critical', 'a Critical threat is rated critical, not unrated');
    assert.deepEqual(critical.tags, ['score:10']);
    const tba = first.threats!['not-assessed-yet'];
    assert.deepEqual([tba.likelihood, tba.impact], [undefined, undefined]);
    assert.equal(first.threats!['known-cve'].cvss, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    assert.ok(!importNotes.some(n => /TBA/.test(n)));
    const byId = new Map(threatsOf(cells).map(t => [t.id, t]));
    assert.deepEqual([byId.get('t-crit').severity, byId.get('t-crit').score], ['Critical', '10']);
    assert.deepEqual([byId.get('t-tba').severity, byId.get('t-tba').score], ['TBA', '']);
    assert.deepEqual([byId.get('t-cvss').severity, byId.get('t-cvss').score], ['High', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
  });

  it('exports threats that target no element (or no cell that is one) instead of dropping them', () => {
    const text = tdFile([
      { id: 'note', shape: 'td-text-block', zIndex: 1, position: { x: 0, y: 0 }, size: { width: 200, height: 60 }, data: { type: 'tm.Text', name: 'A note', hasOpenThreats: true,
        threats: [threat('t-note', 'Insider abuse', { description: 'Anyone inside', mitigation: 'Least privilege\n\nReview access monthly', status: 'Accepted', severity: 'High' })] } },
      processCell('p1', 'API', 100, { threats: [threat('t-api', 'Insider abuse')] }),
      flow('loose', 'Dangling', { x: 5000, y: 5000 }, 'p1', { threats: [threat('t-loose', 'Sniffing', { type: 'Information disclosure' })] }),
      { id: 'zone', shape: 'trust-boundary-box', zIndex: -1, position: { x: 50, y: 50 }, size: { width: 300, height: 300 }, data: { type: 'tm.BoundaryBox', name: 'Zone', hasOpenThreats: true,
        threats: [threat('t-zone', 'Zone breach')] } },
    ]);
    const { first, cells, exported } = roundTrip(text, 'untargeted');
    assert.equal(first.threats!['insider-abuse'].targets, undefined);
    assert.deepEqual(first.threats!['insider-abuse-2'].targets, ['api']);
    assert.equal(first.threats!.sniffing.targets, undefined);
    assert.equal(first.threats!['zone-breach'].targets, undefined, 'a threat may not target a boundary');
    const exportedThreats = threatsOf(cells);
    assert.deepEqual(exportedThreats.map(t => t.id).sort(), ['t-api', 't-loose', 't-note', 't-zone']);
    const note = exportedThreats.find(t => t.id === 't-note');
    assert.deepEqual([note.title, note.description, note.status, note.severity, note.mitigation], ['Insider abuse', 'Anyone inside', 'Accepted', 'High', 'Least privilege\n\nReview access monthly']);
    assert.equal(cells.find(c => c.id === note.cell)!.shape, 'td-text-block');

    // A Rampart threat on an asset has no cell either: it is exported, and the note says where its target went.
    const model = parseModel(`rampart: 1
title: Assets
assets:
  pii: { name: Customer data, classification: confidential }
threats:
  leak: { title: Data leak, status: open, targets: [pii] }
`).model;
    const out = exportModelWithNotes('threat-dragon', model);
    const td = JSON.parse(out.text);
    assert.ok(validateTd(td));
    assert.deepEqual(threatsOf(td.detail.diagrams[0].cells).map(t => t.title), ['Data leak']);
    assert.ok(out.notes.some(n => /Threat `leak`: target pii is not an element or flow/.test(n)), out.notes.join('\n'));
    assert.ok(exported.notes.every(n => !/not exported/.test(n)), exported.notes.join('\n'));
  });

  it('reuses the Threat Dragon cell and threat ids, and makes fresh ids stable and unique', () => {
    const text = tdFile([
      actor('a-1f9c', 'User', 0),
      processCell('p-77aa', 'API', 300, { threats: [threat('th-0001', 'Spoofed user', { type: 'Spoofing' })] }),
      flow('f-3b2e', 'Login', 'a-1f9c', 'p-77aa', { threats: [threat('th-0002', 'Replay')] }),
    ]);
    const { cells } = roundTrip(text, 'ids');
    assert.deepEqual(cells.map(c => c.id).sort(), ['a-1f9c', 'f-3b2e', 'p-77aa']);
    const login = cells.find(c => c.id === 'f-3b2e')!;
    assert.deepEqual([login.source.cell, login.target.cell], ['a-1f9c', 'p-77aa']);
    assert.deepEqual(threatsOf(cells).map(t => t.id).sort(), ['th-0001', 'th-0002']);

    // Without source ids (or with one used twice), ids are fresh, unique and the same on every export.
    const model = parseModel(`rampart: 1
title: Fresh
elements:
  a: { type: external, name: A, source_id: same }
  b: { type: process, name: B, source_id: same }
  c: { type: store, name: C }
threats:
  t: { title: T, status: open, targets: [a] }
`).model;
    const once = exportModelWithNotes('threat-dragon', model).text;
    assert.equal(exportModelWithNotes('threat-dragon', model).text, once);
    const ids = JSON.parse(once).detail.diagrams[0].cells.map((c: Json) => c.id);
    assert.equal(ids[0], 'same');
    assert.equal(new Set(ids).size, 3);
    assert.match(ids[1], /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });

  it('keeps each diagram\'s cells apart when two diagrams repeat a cell id, and says which ids it had to replace', () => {
    const diagram = (n: number, name: string) => ({
      id: n, title: `D${n}`, diagramType: 'STRIDE', thumbnail: '', version: '2.3.0', cells: [
        actor('user', 'User', 0),
        processCell('app', name, 300, { threats: [threat(`t${n}`, `Threat on ${name}`)] }),
        flow('call', `Call ${name}`, 'user', 'app'),
      ],
    });
    const text = JSON.stringify({ version: '2.3.0', summary: { title: 'Two' }, detail: { contributors: [], diagramTop: 2, reviewer: '', threatTop: 0, diagrams: [diagram(0, 'Web'), diagram(1, 'Batch')] } });
    const lossy = { 'elements.*.source_id': /Threat Dragon id "(user|app)" is also the id of another cell/, 'flows.*.source_id': /Threat Dragon id "call" is also the id of another cell/ };
    const { first, exported } = assertRoundTrip('threat-dragon', text, 'two diagrams', lossy);
    assert.deepEqual(first.threats!['threat-on-web'].targets, ['web']);
    assert.deepEqual(first.threats!['threat-on-batch'].targets, ['batch']);
    assert.deepEqual([first.flows!['call-batch'].from, first.flows!['call-batch'].to], ['user-2', 'batch']);
    assert.ok(validateTd(JSON.parse(exported.text)));
  });

  it('keeps trust boundary lines as a note, not as boundaries without members; boxes stay boundaries', () => {
    const text = tdFile([
      { id: 'line', shape: 'trust-boundary-curve', zIndex: 1, source: { x: 10, y: 10 }, target: { x: 400, y: 20 }, data: { type: 'tm.Boundary', name: 'DMZ edge', hasOpenThreats: false,
        threats: [threat('t-line', 'Crossing unchecked')] } },
      { id: 'box', shape: 'trust-boundary-box', zIndex: -1, position: { x: 0, y: 50 }, size: { width: 400, height: 300 }, data: { type: 'tm.BoundaryBox', name: 'Internal', hasOpenThreats: false } },
      processCell('p1', 'API', 100),
    ]);
    const { first, cells, importNotes } = roundTrip(text, 'lines');
    assert.deepEqual(Object.keys(first.boundaries!), ['internal']);
    assert.equal(first.elements!.api.boundary, 'internal');
    assert.ok(importNotes.some(n => /trust boundary line .*"DMZ edge" from \(10, 10\) to \(400, 20\)/.test(n)), importNotes.join('\n'));
    assert.equal(first.threats!['crossing-unchecked'].targets, undefined, 'the line\'s threat is kept, without a target');
    assert.deepEqual(cells.filter(c => c.shape.startsWith('trust-boundary')).map(c => c.id), ['box']);
  });

  it('maps outOfScope and its reason on elements and flows, and exports them back', () => {
    const text = tdFile([
      store('cfg', 'Config file', 0, { description: 'Read at start', outOfScope: true, reasonOutOfScope: 'Managed by the platform team' }),
      processCell('p1', 'API', 300),
      flow('read', 'Read config', 'cfg', 'p1', { outOfScope: true, reasonOutOfScope: 'A local file read' }),
      flow('plain', 'Call', 'p1', 'cfg', { outOfScope: false, reasonOutOfScope: '' }),
    ]);
    const { first, cells } = roundTrip(text, 'out of scope');
    assert.equal(first.elements!['config-file'].out_of_scope, true);
    assert.equal(first.elements!['config-file'].description, 'Read at start\n\nOut of scope: Managed by the platform team');
    assert.equal(first.flows!['read-config'].out_of_scope, true);
    assert.equal(first.flows!.call.out_of_scope, undefined);
    assert.equal(first.scope?.out, undefined, 'no longer in scope.out (the flag is on the entries)');
    const byId = new Map(cells.map(c => [c.id, c.data]));
    assert.deepEqual([byId.get('cfg').outOfScope, byId.get('cfg').reasonOutOfScope, byId.get('cfg').description], [true, 'Managed by the platform team', 'Read at start']);
    assert.deepEqual([byId.get('read').outOfScope, byId.get('read').reasonOutOfScope, byId.get('read').description], [true, 'A local file read', '']);
    assert.deepEqual([byId.get('plain').outOfScope, byId.get('plain').reasonOutOfScope], [false, '']);
  });

  it('round-trips every flag and field that has a Rampart field, and names what has none', () => {
    const flags = {
      actor: { providesAuthentication: true },
      process: { privilegeLevel: 'root', isWebApplication: true, handlesCardPayment: true, handlesGoodsOrServices: true },
      store: { isALog: true, storesCredentials: true, isEncrypted: true, isSigned: true, storesInventory: true },
      flow: { protocol: 'HTTPS', isEncrypted: true, isPublicNetwork: true, isBidirectional: true },
    };
    const text = tdFile([
      actor('idp', 'Identity provider', 0, flags.actor),
      processCell('web', 'Web shop', 300, { ...flags.process, threats: [
        threat('t1', 'Card skimming', { status: 'Avoided', severity: 'Low', type: 'Information disclosure', description: 'Skimmer script', mitigation: 'CSP', score: '6.1', number: 4 }),
        threat('t2', 'Linkable orders', { modelType: 'LINDDUN', type: 'Linkability', severity: 'Medium' }),
        threat('t3', 'Loss of integrity', { modelType: 'CIA', type: 'Integrity', status: 'Eliminated', severity: 'High' }),
        threat('t4', 'Not applicable', { status: 'NotApplicable', severity: 'Low', type: 'Repudiation' }),
      ] }),
      store('audit', 'Audit log', 600, flags.store),
      flow('f1', 'Checkout', 'idp', 'web', flags.flow),
    ], { title: 'Shop', owner: 'Alice', description: 'An online shop' }, { contributors: [{ name: 'Bob' }, { name: 'Carol' }], reviewer: 'Dave' });
    const { first, cells, td } = roundTrip(text, 'flags');
    const web = first.elements!['web-shop'];
    assert.deepEqual([web.kind, web.privileged, web.tags], ['web-app', true, ['handles-card-payment', 'handles-goods-or-services', 'privilege-level:root']]);
    assert.deepEqual([first.elements!['audit-log'].kind, first.elements!['audit-log'].encrypted], ['log-store', true]);
    assert.deepEqual(first.threats!['card-skimming'].tags, ['avoided', 'score:6.1']);
    assert.deepEqual(first.threats!['linkable-orders'].tags, ['LINDDUN:Linkability']);
    assert.deepEqual(first.threats!['loss-of-integrity'].stride, ['tampering']);
    assert.deepEqual(first.team?.map(m => `${m.role}:${m.name}`), ['owner:Alice', 'contributor:Bob', 'contributor:Carol', 'reviewer:Dave']);
    // Every flag comes back as it was written.
    const byId = new Map(cells.map(c => [c.id, c.data]));
    for (const [id, kind] of [['idp', 'actor'], ['web', 'process'], ['audit', 'store'], ['f1', 'flow']] as const) {
      for (const [k, v] of Object.entries(flags[kind])) assert.deepEqual(byId.get(id)[k], v, `${id}.${k}`);
    }
    const t = new Map(threatsOf(cells).map(x => [x.id, x]));
    assert.deepEqual(['status', 'severity', 'type', 'description', 'mitigation', 'score', 'modelType'].map(k => t.get('t1')[k]), ['Avoided', 'Low', 'Information disclosure', 'Skimmer script', 'CSP', '6.1', 'STRIDE']);
    assert.deepEqual([t.get('t2').modelType, t.get('t2').type], ['LINDDUN', 'Linkability']);
    assert.deepEqual([t.get('t3').modelType, t.get('t3').type, t.get('t3').status], ['CIA', 'Integrity', 'Eliminated']);
    assert.equal(t.get('t4').status, 'NotApplicable');
    assert.deepEqual([td.summary.title, td.summary.owner, td.summary.description, td.detail.reviewer, td.detail.contributors], ['Shop', 'Alice', 'An online shop', 'Dave', [{ name: 'Bob' }, { name: 'Carol' }]]);

    // What Threat Dragon cannot hold is named in the notes, with the entity it belongs to.
    const model = parseModel(`rampart: 1
title: Native
elements:
  api: { type: process, name: API, technology: nodejs, controls: [authentication] }
  db: { type: store, name: DB }
flows:
  q: { from: api, to: db, data: [pii], authenticated: true }
assets:
  pii: { name: PII, classification: confidential }
threats:
  t: { title: T, status: accepted, targets: [api], cwe: [CWE-79], accepted_by: Bob, expires: 2030-01-01 }
`).model;
    const notes = exportModelWithNotes('threat-dragon', model).notes;
    for (const said of [/Element `api`: technology, controls/, /Flow `q`: data, authenticated/, /Threat `t`: cwe, accepted_by, expires/, /assets/]) {
      assert.ok(notes.some(n => said.test(n)), `${said}: ${notes.join('\n')}`);
    }
  });

  it('tells a Threat Composer file given to --from threat-dragon to use --from threat-composer', () => {
    assert.throws(
      () => importModel('threat-dragon', corpusFile('threat-composer/reinforce2024-ex1.tc.json')),
      (e: unknown) => e instanceof ImportError && /This looks like an AWS Threat Composer file.*--from threat-composer/.test(e.message),
    );
  });

  it('exports every corpus model valid against the Threat Dragon v2 schema, with no loss to report', () => {
    for (const f of ['generic-cms.json', 'three-tier-web-app.json', 'v2-new-model.json', 'v2-threat-model.json']) {
      const first = assertSchemaClean(importModel('threat-dragon', corpusFile(`threat-dragon/${f}`)), f) as Model;
      const out = exportModelWithNotes('threat-dragon', first);
      assert.ok(validateTd(JSON.parse(out.text)), `${f}: ${JSON.stringify(validateTd.errors?.slice(0, 5))}`);
      assert.deepEqual(out.notes, [], f);
    }
  });
});
