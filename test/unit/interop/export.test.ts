import assert from 'node:assert/strict';
import { parseModel } from '../../../src/core/model/parse';
import type { Model } from '../../../src/core/model/schema';
import { exportModel, importModel, THREAT_DRAGON_EXPORT_STATUS, type ImportFormat } from '../../../src/core/interop/index';
import { assertSchemaClean, corpusFile, corpusJson } from './corpus';

// Both schemas are draft-07 (the Threat Dragon one declares no $schema; Ajv's default class is draft-07).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true, strict: false });
const tdSchema = corpusJson('threat-dragon/schema/threat-dragon-v2.schema.json') as any;
const validateTd = ajv.compile(tdSchema);
// The schema describes a threat's fields under the cell; Threat Dragon keeps them in `data.threats`: check those too.
const validateTdThreat = ajv.compile(tdSchema.properties.detail.properties.diagrams.items.properties.cells.items.properties.threats.items);
const validateOtm = ajv.compile(corpusJson('otm/otm_schema.json'));

function assertValid(validate: any, value: unknown, label: string) {
  assert.ok(validate(value), `${label}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

const SOURCES: [ImportFormat, string][] = [
  ['threagile', 'threagile/threagile-example.yaml'],
  ['threagile', 'threagile/threagile-stub.yaml'],
  ['threat-dragon', 'threat-dragon/v2-threat-model.json'],
  ['threat-dragon', 'threat-dragon/three-tier-web-app.json'],
  ['threat-dragon', 'threat-dragon/generic-cms.json'],
  ['threat-dragon', 'threat-dragon/v2-new-model.json'],
  ['otm', 'otm/EXAMPLE.json'],
];

const modelOf = (format: ImportFormat, file: string): Model => parseModel(importModel(format, corpusFile(file)).yaml).model;

interface Box { x: number; y: number; width: number; height: number }
const boxOf = (cell: any): Box => ({ x: cell.position.x, y: cell.position.y, width: cell.size.width, height: cell.size.height });
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const within = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('interop: Threat Dragon export', () => {
  it('the schema check is real: the corpus files pass and a broken export fails', () => {
    for (const f of ['v2-threat-model.json', 'three-tier-web-app.json', 'generic-cms.json', 'v2-new-model.json']) assertValid(validateTd, corpusJson(`threat-dragon/${f}`), f);
    const td = JSON.parse(exportModel('threat-dragon', modelOf('threat-dragon', 'threat-dragon/v2-threat-model.json')));
    delete td.detail.diagramTop;
    assert.equal(validateTd(td), false);
    assert.equal(validateTdThreat({ title: 'no status' }), false);
  });

  for (const [format, file] of SOURCES) {
    it(`${file}: valid, every element/boundary/flow a cell, nothing overlapping, boxes around their elements`, () => {
      const model = modelOf(format, file);
      const td = JSON.parse(exportModel('threat-dragon', model));
      assertValid(validateTd, td, file);
      const cells: any[] = td.detail.diagrams[0].cells;
      const byType = (t: string) => cells.filter(c => c.data.type === t);
      const elements = Object.entries(model.elements ?? {});
      const nodes = [...byType('tm.Actor'), ...byType('tm.Process'), ...byType('tm.Store')];
      assert.equal(nodes.length, elements.length);
      assert.equal(byType('tm.BoundaryBox').length, Object.keys(model.boundaries ?? {}).length);
      assert.equal(byType('tm.Flow').length, Object.keys(model.flows ?? {}).length);
      assert.equal(new Set(cells.map(c => c.id)).size, cells.length, 'cell ids are unique');

      const cellByName = new Map(nodes.map(c => [c.data.name, c]));
      const typeShape = { external: 'actor', process: 'process', store: 'store' } as const;
      for (const [, e] of elements) assert.equal(cellByName.get(e.name)?.shape, typeShape[e.type], e.name);
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) assert.ok(!overlap(boxOf(nodes[i]), boxOf(nodes[j])), `${nodes[i].data.name} overlaps ${nodes[j].data.name}`);
      }
      const boxes = new Map(byType('tm.BoundaryBox').map(c => [c.data.name, boxOf(c)]));
      for (const [, e] of elements) {
        const cell = boxOf(cellByName.get(e.name));
        for (const [id, b] of Object.entries(model.boundaries ?? {})) {
          const box = boxes.get(b.name)!;
          // An element lies inside exactly the boxes of its boundary and that boundary's ancestors.
          const ancestors = new Set<string>();
          for (let cur = e.boundary; cur && !ancestors.has(cur); cur = model.boundaries![cur]?.parent) ancestors.add(cur);
          assert.equal(within(cell, box), ancestors.has(id), `${e.name} and box ${b.name}`);
          if (!ancestors.has(id)) assert.ok(!overlap(cell, box), `${e.name} overlaps box ${b.name}`);
        }
      }
      const ids = new Set(cells.map(c => c.id));
      for (const f of byType('tm.Flow')) assert.ok(ids.has(f.source.cell) && ids.has(f.target.cell), 'flows end at cells');
      for (const c of cells) for (const t of c.data.threats ?? []) assertValid(validateTdThreat, t, `${file} threat ${t.title}`);
    });
  }

  it('maps threat statuses and severities back, and lists threats without a cell', () => {
    const model = parseModel(`rampart: 1
title: Statuses
elements:
  api: { type: process, name: API }
threats:
${Object.keys(THREAT_DRAGON_EXPORT_STATUS).map((s, i) => `  t-${s}: { title: T ${s}, status: ${s}, targets: [api], likelihood: ${['rare', 'possible', 'likely', 'almost-certain', 'unlikely'][i]}, impact: major }`).join('\n')}
  loose: { title: Nowhere, status: open }
`).model;
    const td = JSON.parse(exportModel('threat-dragon', model));
    assertValid(validateTd, td, 'statuses');
    const api = td.detail.diagrams[0].cells.find((c: any) => c.data.name === 'API');
    const byTitle = new Map<string, any>(api.data.threats.map((t: any) => [t.title, t]));
    for (const [s, word] of Object.entries(THREAT_DRAGON_EXPORT_STATUS)) assert.equal(byTitle.get(`T ${s}`).status, word);
    // almost-certain x major is critical in the default matrix: Critical, not High (#14).
    assert.deepEqual(['T open', 'T mitigated', 'T accepted', 'T transferred'].map(t => byTitle.get(t).severity), ['Medium', 'High', 'High', 'Critical']);
    assert.equal(api.data.hasOpenThreats, true);
    const text = td.detail.diagrams[0].cells.find((c: any) => c.data.type === 'tm.Text');
    assert.match(text.data.name, /- Nowhere/);
  });

  it('is deterministic (the same model gives the same file)', () => {
    const model = modelOf('threagile', 'threagile/threagile-example.yaml');
    assert.equal(exportModel('threat-dragon', model), exportModel('threat-dragon', model));
  });

  for (const file of ['v2-threat-model.json', 'three-tier-web-app.json', 'generic-cms.json', 'v2-new-model.json']) {
    it(`round trip ${file}: import, export, import keeps names, types, flows and threats`, () => {
      const first = assertSchemaClean(importModel('threat-dragon', corpusFile(`threat-dragon/${file}`)), `${file} first`) as Model;
      const exported = exportModel('threat-dragon', first);
      assertValid(validateTd, JSON.parse(exported), `${file} export`);
      const second = assertSchemaClean(importModel('threat-dragon', exported), `${file} second`) as Model;
      const summary = (m: Model) => ({
        elements: Object.values(m.elements ?? {}).map(e => `${e.type}:${e.name}`).sort(),
        boundaries: Object.values(m.boundaries ?? {}).map(b => b.name).sort(),
        membership: Object.values(m.elements ?? {}).map(e => `${e.name}@${e.boundary ? m.boundaries![e.boundary].name : '-'}`).sort(),
        flows: Object.values(m.flows ?? {}).map(f => `${m.elements![f.from].name}->${m.elements![f.to].name}`).sort(),
        threats: Object.values(m.threats ?? {}).map(t => `${t.title}|${t.status}|${t.likelihood}|${t.impact}|${t.stride}`).sort(),
      });
      const a = summary(first);
      const b = summary(second);
      assert.deepEqual(b.elements, a.elements);
      assert.deepEqual(b.flows, a.flows);
      assert.deepEqual(b.threats, a.threats);
      // Boundary lines (tm.Boundary) come back as boxes; boxes keep their members.
      assert.deepEqual(b.boundaries, a.boundaries);
      assert.deepEqual(b.membership, a.membership);
    });
  }
});

describe('interop: OTM export', () => {
  for (const [format, file] of SOURCES) {
    it(`${file}: valid against otm_schema.json with every entity`, () => {
      const model = modelOf(format, file);
      const otm = JSON.parse(exportModel('otm', model));
      assertValid(validateOtm, otm, file);
      assert.equal(otm.components.length, Object.keys(model.elements ?? {}).length);
      assert.equal(otm.dataflows.length, Object.keys(model.flows ?? {}).length);
      assert.equal(otm.threats.length, Object.keys(model.threats ?? {}).length);
      assert.equal(otm.mitigations.length, Object.keys(model.mitigations ?? {}).length);
      const zones = new Set(otm.trustZones.map((z: any) => z.id));
      for (const c of otm.components) assert.ok(zones.has(c.parent.trustZone), `${c.id} sits in a trust zone`);
    });
  }

  it('the schema check is real: a component without a parent fails', () => {
    const otm = JSON.parse(exportModel('otm', modelOf('otm', 'otm/EXAMPLE.json')));
    delete otm.components[0].parent;
    assert.equal(validateOtm(otm), false);
  });

  it('round trip EXAMPLE.json keeps elements, zones, flows, threats with their risk, status and targets', () => {
    const first = assertSchemaClean(importModel('otm', corpusFile('otm/EXAMPLE.json')), 'otm first') as Model;
    const second = assertSchemaClean(importModel('otm', exportModel('otm', first)), 'otm second') as Model;
    for (const section of ['elements', 'boundaries', 'flows', 'assets'] as const) {
      const strip = (m: Model) => JSON.parse(JSON.stringify(m[section] ?? {}, (k, v) => (k === 'source_id' ? undefined : v)));
      assert.deepEqual(strip(second), strip(first), section);
    }
    const threat = (m: Model) => Object.values(m.threats ?? {}).map(t => [t.title, t.status, t.likelihood, t.impact, t.targets, t.stride, t.cwe]);
    assert.deepEqual(threat(second), threat(first));
  });

  it('maps statuses to threat-instance states', () => {
    const model = parseModel(`rampart: 1
title: States
elements:
  api: { type: process, name: API }
  db: { type: store, name: DB, kind: database }
flows:
  q: { from: api, to: db }
mitigations:
  m: { title: Fix, status: implemented }
threats:
  a: { title: A, status: accepted, targets: [api, q], mitigations: [m] }
  b: { title: B, status: open, targets: [db] }
`).model;
    const otm = JSON.parse(exportModel('otm', model));
    assertValid(validateOtm, otm, 'states');
    const api = otm.components.find((c: any) => c.id === 'api');
    assert.deepEqual(api.threats, [{ threat: 'a', state: 'accepted', mitigations: [{ mitigation: 'm', state: 'implemented' }] }]);
    assert.equal(otm.dataflows[0].threats[0].state, 'accepted');
    assert.equal(otm.components.find((c: any) => c.id === 'db').threats[0].state, 'exposed');
    const back = assertSchemaClean(importModel('otm', JSON.stringify(otm)), 'states back') as Model;
    assert.equal(back.elements!.db.type, 'store');
    assert.equal(back.threats!.a.status, 'accepted');
    assert.equal(back.threats!.b.status, 'open');
    assert.equal(back.mitigations!.m.status, 'implemented', 'a Rampart export keeps the Rampart ids');
    assert.deepEqual(Object.keys(back.boundaries ?? {}), [], 'the zone added for elements outside every boundary is dropped again');
  });
});
