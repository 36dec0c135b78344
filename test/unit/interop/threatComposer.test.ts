/**
 * AWS Threat Composer import and export (#14): every field of a Threat Composer file lands somewhere in the Rampart
 * model and comes back on export, the exports validate against Threat Composer's v1 schema, and what the format
 * cannot hold is named in the export's notes.
 */
import assert from 'node:assert/strict';
import { exportModelWithNotes, ImportError, importModel, type ImportFormat } from '../../../src/core/interop/index';
import {
  THREAT_COMPOSER_MITIGATION_STATUS_MAP, THREAT_COMPOSER_THREAT_STATUS_MAP, THREAT_COMPOSER_WILL_NOT_ACTION_TAG,
} from '../../../src/core/interop/threatComposer';
import {
  THREAT_COMPOSER_EXPORT_MITIGATION_STATUS, THREAT_COMPOSER_EXPORT_THREAT_STATUS, exportThreatComposer,
} from '../../../src/core/interop/threatComposerExport';
import { parseModel } from '../../../src/core/model/parse';
import { MITIGATION_STATUSES, THREAT_STATUSES, type Model } from '../../../src/core/model/schema';
import { assertSchemaClean, corpusFile, corpusJson } from './corpus';
import { assertRoundTrip } from './roundtrip';

// The schema declares draft 2020-12.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv2020 = require('ajv/dist/2020');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const addFormats = require('ajv-formats');
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateTc = ajv.compile(corpusJson('threat-composer/threat-composer-v1.schema.json'));
function assertValid(value: unknown, label: string) {
  assert.ok(validateTc(value), `${label}: ${JSON.stringify(validateTc.errors?.slice(0, 5), null, 2)}`);
}

const FILES = ['threat-composer/reinforce2024-ex1.tc.json', 'threat-composer/ThreatModelingForBuilders-Exercise4.tc.json'];

type Json = Record<string, any>;
const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A small Threat Composer file with one of each thing. */
function minimal(): Json {
  return {
    schema: 1,
    applicationInfo: { name: 'Parcel tracker', description: '### Parcel tracker\n\nTracks parcels.' },
    architecture: { description: 'A web app and an API.', image: 'https://example.com/arch.png' },
    dataflow: { description: 'Browser -> API -> DB.', image: 'data:image/png;base64,iVBORw0KGgo=' },
    assumptions: [
      { id: U(21), numericId: 2, displayOrder: 2, content: 'Couriers use company phones.', tags: ['Ops Team'] },
      { id: U(20), numericId: 1, displayOrder: 1, content: 'TLS everywhere.', metadata: [{ key: 'Comments', value: 'Checked in 2024.' }] },
    ],
    mitigations: [
      { id: U(11), numericId: 1, displayOrder: 1, content: 'Rate limit the tracking API', status: 'mitigationResolved', tags: ['DoS'], metadata: [{ key: 'Comments', value: 'Done in the gateway.' }] },
      { id: U(12), numericId: 2, displayOrder: 2, content: 'Sign tracking links', status: 'mitigationInProgress' },
      { id: U(13), numericId: 3, displayOrder: 3, content: 'Rewrite in Rust', status: 'mitigationResolvedWillNotAction' },
      { id: U(14), numericId: 4, displayOrder: 4, content: 'Pen test', status: 'mitigationIdentified' },
    ],
    assumptionLinks: [
      { type: 'Threat', assumptionId: U(20), linkedId: U(1) },
      { type: 'Mitigation', assumptionId: U(20), linkedId: U(12) },
    ],
    mitigationLinks: [
      { mitigationId: U(12), linkedId: U(1) },
      { mitigationId: U(11), linkedId: U(1) },
      { mitigationId: U(14), linkedId: U(3) },
    ],
    threats: [
      {
        id: U(1), numericId: 7, displayOrder: 1,
        metadata: [{ key: 'STRIDE', value: ['T', 'I'] }, { key: 'Priority', value: 'High' }, { key: 'Comments', value: 'Seen in the wild.' }],
        tags: ['Social Engineering', 'api'],
        threatSource: 'external threat actor', prerequisites: 'with a tracking number', threatAction: 'enumerate tracking links',
        threatImpact: 'address disclosure', impactedGoal: ['confidentiality'], impactedAssets: ['delivery addresses', 'parcel history'],
        statement: 'An external threat actor with a tracking number can enumerate tracking links, which leads to address disclosure, resulting in reduced confidentiality of delivery addresses and parcel history',
        status: 'threatIdentified',
      },
      {
        id: U(2), numericId: 3, displayOrder: 2, threatSource: 'courier', prerequisites: 'who has a company phone', threatAction: 'mark parcels delivered',
        impactedAssets: ['parcel history'], statement: 'A courier who has a company phone can mark parcels delivered, negatively impacting parcel history', status: 'threatResolvedNotUseful',
      },
      {
        id: U(3), numericId: 9, displayOrder: 3, threatSource: 'insider', threatAction: 'read the database', statement: 'An insider can read the database', status: 'threatResolved',
      },
    ],
  };
}

/** Without the null prototypes of the parsed model, for deepEqual. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
const importTc = (source: Json | string) => importModel('threat-composer', typeof source === 'string' ? source : JSON.stringify(source));
const modelOf = (source: Json | string): Model => assertSchemaClean(importTc(source), 'import') as Model;
const exportOf = (model: Model): Json => JSON.parse(exportThreatComposer(model).text);

function importError(format: ImportFormat, text: string): string {
  try {
    importModel(format, text);
  } catch (e) {
    assert.ok(e instanceof ImportError, `expected an ImportError, got ${(e as Error)?.stack ?? String(e)}`);
    return e.message;
  }
  assert.fail('the import succeeded');
}

describe('interop: Threat Composer import', () => {
  it('maps the application, architecture and data flow, and says the images and the missing elements are not kept', () => {
    const result = importTc(minimal());
    const m = modelOf(minimal());
    assert.equal(m.title, 'Parcel tracker');
    assert.equal(m.description, '### Parcel tracker\n\nTracks parcels.');
    assert.equal(m.scope?.architecture, 'A web app and an API.');
    assert.equal(m.scope?.dataflow, 'Browser -> API -> DB.');
    assert.ok(result.notes.some(n => /architecture diagram image \(a URL\) was not kept/.test(n)), result.notes.join('\n'));
    assert.ok(result.notes.some(n => /dataflow diagram image \(\d+ characters of image data\) was not kept/.test(n)));
    assert.match(result.yaml, /# Threat Composer architecture diagram: https:\/\/example\.com\/arch\.png/);
    assert.ok(result.notes.some(n => /no elements, flows or trust boundaries/.test(n) && /rampart discover/.test(n) && /visual editor/.test(n)));
    assert.equal(Object.keys(m.elements ?? {}).length, 0);
    assert.equal(Object.keys(m.flows ?? {}).length, 0);
  });

  it('maps a threat: id from numericId, source_id, title from the statement, statement parts, assets, goal, STRIDE, priority, tags, comments', () => {
    const result = importTc(minimal());
    const m = modelOf(minimal());
    assert.deepEqual(Object.keys(m.threats ?? {}), ['t-7', 't-3', 't-9'], 'ids from numericId, in display order');
    const t = m.threats!['t-7'];
    assert.equal(t.source_id, U(1));
    assert.equal(t.title, minimal().threats[0].statement);
    assert.deepEqual(plain(t.statement), {
      source: 'external threat actor', prerequisites: 'a tracking number', action: 'enumerate tracking links', impact: 'address disclosure',
      assets: ['delivery-addresses', 'parcel-history'],
    });
    assert.deepEqual(plain(m.assets), {
      'delivery-addresses': { name: 'delivery addresses', classification: 'internal' },
      'parcel-history': { name: 'parcel history', classification: 'internal' },
    });
    assert.equal(t.description, 'Seen in the wild.\n\nImpacted goal: confidentiality');
    assert.deepEqual(t.stride, ['tampering', 'information-disclosure']);
    assert.equal(t.priority, 'high');
    // Tags stay as Threat Composer wrote them (any text up to 64 characters).
    assert.deepEqual(t.tags, ['Social Engineering', 'api']);
    assert.doesNotMatch(result.yaml, /# Threat Composer tags as written/);
    assert.deepEqual(t.mitigations, ['m-2', 'm-1'], 'in the order of the links');
    // A prerequisite that opens with its own connecting word is kept as written.
    assert.equal(m.threats!['t-3'].statement?.prerequisites, 'who has a company phone');
  });

  it('maps the statuses of threats and mitigations per the exported maps', () => {
    const m = modelOf(minimal());
    assert.deepEqual(THREAT_COMPOSER_THREAT_STATUS_MAP, { threatIdentified: 'open', threatResolved: 'mitigated', threatResolvedNotUseful: 'not-applicable' });
    assert.deepEqual([m.threats!['t-7'].status, m.threats!['t-3'].status, m.threats!['t-9'].status], ['open', 'not-applicable', 'mitigated']);
    assert.deepEqual(Object.values(m.mitigations ?? {}).map(x => x.status), ['implemented', 'in-progress', 'proposed', 'proposed']);
    assert.equal(THREAT_COMPOSER_MITIGATION_STATUS_MAP.mitigationResolvedWillNotAction, 'proposed');
    assert.deepEqual(m.mitigations!['m-3'].tags, [THREAT_COMPOSER_WILL_NOT_ACTION_TAG]);
    assert.equal(m.mitigations!['m-1'].description, 'Done in the gateway.');
    assert.deepEqual(m.mitigations!['m-1'].tags, ['DoS']);
    assert.equal(m.mitigations!['m-1'].source_id, U(11));
  });

  it('a resolved threat without an implemented mitigation is mitigated, schema-clean, and the note names the warning check will give', () => {
    const result = importTc(minimal());
    assert.ok(result.notes.some(n => /t-9/.test(n) && /risk\/mitigated-not-implemented/.test(n)), result.notes.join('\n'));
    // t-7 links an implemented mitigation, but is open; t-9 links only a proposed one.
    assert.ok(!result.notes.some(n => /mitigated-not-implemented/.test(n) && /t-7/.test(n)));
  });

  it('maps assumptions with their links, tags and comments, in display order', () => {
    const m = modelOf(minimal());
    assert.deepEqual(plain(m.scope?.assumptions), [
      { text: 'TLS everywhere.\n\nComments: Checked in 2024.', threats: ['t-7'], mitigations: ['m-2'], source_id: U(20) },
      { text: 'Couriers use company phones.', tags: ['Ops Team'], source_id: U(21) },
    ]);
  });

  it('a statement longer than a title that its parts do not compose opens the description, and the export writes it back whole', () => {
    const src = minimal();
    const long = `A custom sentence ${'about a very long chain of events '.repeat(8)}that ends here`;
    src.threats[2].statement = long;
    const m = modelOf(src);
    const t = m.threats!['t-9'];
    assert.equal(t.title.length, 200);
    assert.ok(t.title.endsWith('…'));
    assert.equal(t.description, long);
    const out = exportOf(m);
    assert.equal(out.threats.find((x: Json) => x.id === U(3)).statement, long);
    assert.equal(out.threats.find((x: Json) => x.id === U(3)).metadata, undefined, 'the statement is not written as a comment');
  });

  it('links to entries that are not in the file are left out with a note', () => {
    const src = minimal();
    src.mitigationLinks.push({ mitigationId: U(11), linkedId: U(99) });
    src.assumptionLinks.push({ type: 'Threat', assumptionId: U(21), linkedId: U(98) });
    const result = importTc(src);
    assert.ok(result.notes.some(n => /^2 Threat Composer links name/.test(n)), result.notes.join('\n'));
    assertSchemaClean(result, 'dangling links');
  });

  it('entries without ids or numbers get deterministic ones, which survive the round trip', () => {
    const src = minimal();
    delete src.threats[1].id;
    delete src.threats[1].numericId;
    src.threats[2].numericId = 7; // repeats t-7's number
    src.mitigations[0].id = 'not-a-uuid';
    src.mitigationLinks[1].mitigationId = 'not-a-uuid';
    const result = importTc(src);
    const m = modelOf(src);
    assert.deepEqual(Object.keys(m.threats ?? {}), ['t-7', 't-8', 't-9']);
    assert.match(m.threats!['t-8'].source_id!, /^[0-9a-f-]{36}$/);
    assert.match(m.mitigations!['m-1'].source_id!, /^[0-9a-f-]{36}$/);
    assert.ok(result.notes.some(n => /numericId/.test(n)));
    assert.ok(result.notes.some(n => /no UUID id/.test(n)));
    assert.equal(importTc(src).yaml, result.yaml, 'the same input gives the same model');
    // The link of the mitigation whose id was replaced still holds.
    assert.ok(m.threats!['t-7'].mitigations?.includes('m-1'));
    assertRoundTrip('threat-composer', JSON.stringify(src), 'renumbered');
  });

  it('the minimal file makes the round trip, and the export gives back what Threat Composer wrote', () => {
    assertRoundTrip('threat-composer', JSON.stringify(minimal()), 'minimal');
    const src = minimal();
    const out = exportOf(modelOf(src));
    assertValid(out, 'minimal export');
    const byId = (list: Json[]) => new Map<string, Json>(list.map(x => [x.id, x]));
    const threats = byId(out.threats);
    for (const t of src.threats) {
      const o = threats.get(t.id)!;
      for (const k of ['numericId', 'threatSource', 'prerequisites', 'threatAction', 'threatImpact', 'impactedGoal', 'impactedAssets', 'statement', 'status']) {
        assert.deepEqual(o[k], t[k], `threat ${t.numericId} ${k}`);
      }
    }
    assert.deepEqual(threats.get(U(1))!.metadata, [{ key: 'Priority', value: 'High' }, { key: 'STRIDE', value: ['T', 'I'] }, { key: 'Comments', value: 'Seen in the wild.' }]);
    const mitigations = byId(out.mitigations);
    for (const x of src.mitigations) {
      const o = mitigations.get(x.id)!;
      assert.deepEqual([o.content, o.status, o.numericId], [x.content, x.status, x.numericId]);
    }
    assert.equal(mitigations.get(U(13))!.tags, undefined, 'the will-not-action tag becomes the status again');
    assert.deepEqual(out.mitigationLinks.map((l: Json) => `${l.mitigationId}>${l.linkedId}`).sort(), src.mitigationLinks.map((l: Json) => `${l.mitigationId}>${l.linkedId}`).sort());
    assert.deepEqual(out.assumptionLinks, src.assumptionLinks);
    assert.deepEqual(out.assumptions.map((a: Json) => [a.id, a.numericId, a.content, a.metadata]), [
      [U(20), 1, 'TLS everywhere.', [{ key: 'Comments', value: 'Checked in 2024.' }]],
      [U(21), 2, 'Couriers use company phones.', undefined],
    ]);
    assert.deepEqual(out.applicationInfo, src.applicationInfo);
    assert.deepEqual(out.architecture, { description: src.architecture.description });
  });

  for (const file of FILES) {
    it(`${file}: schema-clean with every threat, mitigation and assumption and every link that names them`, () => {
      const src = corpusJson(file) as Json;
      const m = modelOf(corpusFile(file));
      const threats = Object.values(m.threats ?? {});
      assert.deepEqual(threats.map(t => t.source_id).sort(), src.threats.map((t: Json) => t.id).sort());
      assert.deepEqual(Object.values(m.mitigations ?? {}).map(x => x.source_id).sort(), src.mitigations.map((x: Json) => x.id).sort());
      const assumptions = (m.scope?.assumptions ?? []) as { source_id?: string; threats?: string[]; mitigations?: string[] }[];
      assert.deepEqual(assumptions.map(a => a.source_id).sort(), src.assumptions.map((a: Json) => a.id).sort());
      const threatIds = new Set(src.threats.map((t: Json) => t.id));
      const mitigationIds = new Set(src.mitigations.map((x: Json) => x.id));
      const resolvable = src.mitigationLinks.filter((l: Json) => threatIds.has(l.linkedId) && mitigationIds.has(l.mitigationId)).length;
      assert.equal(threats.reduce((n, t) => n + (t.mitigations?.length ?? 0), 0), resolvable);
      const assumptionIds = new Set(src.assumptions.map((a: Json) => a.id));
      const aLinks = src.assumptionLinks.filter((l: Json) => assumptionIds.has(l.assumptionId) && (threatIds.has(l.linkedId) || mitigationIds.has(l.linkedId))).length;
      const toAssumptions = src.mitigationLinks.filter((l: Json) => assumptionIds.has(l.linkedId)).length;
      assert.equal(assumptions.reduce((n, a) => n + (a.threats?.length ?? 0) + (a.mitigations?.length ?? 0), 0), aLinks + toAssumptions);
      // STRIDE and priority of every threat that has them.
      for (const t of src.threats) {
        const r = threats.find(x => x.source_id === t.id)!;
        const meta = new Map((t.metadata ?? []).map((x: Json) => [x.key, x.value]));
        assert.equal(r.stride?.length ?? 0, (meta.get('STRIDE') as string[] | undefined)?.length ?? 0, `${t.numericId} STRIDE`);
        assert.equal(r.priority, (meta.get('Priority') as string | undefined)?.toLowerCase(), `${t.numericId} priority`);
      }
    });

    it(`${file}: the export validates against Threat Composer's schema`, () => {
      const exported = exportModelWithNotes('threat-composer', modelOf(corpusFile(file)));
      assertValid(JSON.parse(exported.text), file);
      assert.equal(exportModelWithNotes('threat-composer', modelOf(corpusFile(file))).text, exported.text, 'deterministic');
    });
  }

  it('the schema check is real: the corpus files pass and a broken export fails', () => {
    for (const f of FILES) assertValid(corpusJson(f), f);
    const out = exportOf(modelOf(minimal()));
    out.threats[0].status = 'open';
    out.mitigationLinks[0].linkedId = 't-7';
    assert.equal(validateTc(out), false);
  });

  it('the reinforce2024 file: the links to deleted threats are named in a note', () => {
    const result = importTc(corpusFile(FILES[0]));
    assert.ok(result.notes.some(n => /^14 Threat Composer links name/.test(n)), result.notes.join('\n'));
  });
});

describe('interop: Threat Composer export', () => {
  const rampart = (yaml: string) => {
    const parsed = parseModel(yaml);
    assert.equal(parsed.valid, true, JSON.stringify(parsed.findings));
    return parsed.model;
  };
  const withElements = rampart(`rampart: 1
title: Shop
version: "2"
scope:
  in: [checkout]
  assumptions:
    - Payments go through the PSP.
    - text: The CDN is trusted.
      threats: [sql-injection]
      mitigations: [prepared]
boundaries:
  dmz: { name: DMZ, trust: partial }
elements:
  web: { type: process, name: Web, boundary: dmz }
  db: { type: store, name: DB }
flows:
  web-db: { from: web, to: db, name: queries }
assets:
  orders: { name: Orders, classification: confidential }
threats:
  sql-injection:
    title: SQL injection in search
    statement: { source: An attacker, prerequisites: network access, action: send crafted search terms, impact: disclosure of orders, assets: [orders] }
    stride: [tampering]
    targets: [web]
    likelihood: likely
    impact: major
    cwe: [CWE-89]
    status: accepted
    justification: Low traffic.
    accepted_by: CISO
    expires: 2030-01-01
    mitigations: [prepared]
mitigations:
  prepared: { title: Prepared statements, status: verified, evidence: [src/db.ts] }
`);

  it('an export of a model with elements and flows validates, and its notes name what was left out and where', () => {
    const { text, notes } = exportThreatComposer(withElements);
    const out = JSON.parse(text);
    assertValid(out, 'with elements');
    const said = (re: RegExp) => assert.ok(notes.some(n => re.test(n)), `${re}: ${notes.join('\n')}`);
    said(/no elements: the 2 elements of the model \(web, db\)/);
    said(/no flows: the one flow of the model \(web-db\)/);
    said(/no boundaries: the one boundary of the model \(dmz\) was not written/);
    said(/targets of sql-injection/);
    said(/likelihood or impact rating: those of sql-injection/);
    said(/CWE or CAPEC references: those of sql-injection/);
    said(/sql-injection \(accepted\) were written as resolved/);
    said(/justification, acceptance or expiry: those of sql-injection/);
    said(/evidence of prepared/);
    said(/prepared \(verified\)/);
    said(/classification, criticality and other details of orders/);
    said(/sql-injection -> T-1/);
    said(/no model version/);
    said(/scope\.in and scope\.out/);
    said(/threats without one got their risk level's \(sql-injection High\)/);
    assert.deepEqual(out.threats[0].metadata, [{ key: 'Priority', value: 'High' }, { key: 'STRIDE', value: ['T'] }]);
    assert.equal(out.threats[0].prerequisites, 'with network access');
    assert.equal(out.threats[0].statement, 'SQL injection in search', 'a title that is not the composed sentence is the statement');
    assert.deepEqual(out.threats[0].impactedAssets, ['Orders']);
    assert.deepEqual(out.assumptionLinks.map((l: Json) => l.type), ['Threat', 'Mitigation']);
    assert.equal(out.assumptions.length, 2);
  });

  it('the export of a model with elements imports again without a crash, schema-clean', () => {
    const { text } = exportThreatComposer(withElements);
    const m = assertSchemaClean(importModel('threat-composer', text), 'reimport') as Model;
    assert.equal(m.threats!['t-1'].title, 'SQL injection in search');
    assert.equal(m.threats!['t-1'].statement?.prerequisites, 'network access');
    assert.equal(m.threats!['t-1'].priority, 'high');
    assert.deepEqual(m.threats!['t-1'].mitigations, ['m-1']);
    assert.equal(m.mitigations!['m-1'].status, 'implemented');
  });

  it('fresh ids are UUIDs that stay the same from one export to the next', () => {
    const a = JSON.parse(exportThreatComposer(withElements).text);
    const b = JSON.parse(exportThreatComposer(withElements).text);
    assert.match(a.threats[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(a, b);
  });

  it('every Rampart status has a Threat Composer status', () => {
    for (const s of THREAT_STATUSES) assert.ok(THREAT_COMPOSER_EXPORT_THREAT_STATUS[s], s);
    for (const s of MITIGATION_STATUSES) assert.ok(THREAT_COMPOSER_EXPORT_MITIGATION_STATUS[s], s);
  });

  it('texts longer than Threat Composer holds are cut with a note, and the file still validates', () => {
    const m = rampart(`rampart: 1
title: Long
threats:
  t-1:
    title: Long one
    description: ${'x'.repeat(1500)}
    statement: { source: ${'y'.repeat(300)} }
    tags: [${'z'.repeat(40)}]
    status: open
`);
    const { text, notes } = exportThreatComposer(m);
    assertValid(JSON.parse(text), 'long');
    assert.ok(notes.some(n => /comments hold at most 1000 characters; the descriptions of t-1/.test(n)), notes.join('\n'));
    assert.ok(notes.some(n => /the threat source was cut on t-1/.test(n)));
    assert.ok(notes.some(n => /tags hold at most 30 characters; longer tags were cut on t-1/.test(n)));
  });
});

describe('interop: Threat Composer input errors', () => {
  it('a Threat Dragon file given to --from threat-composer, and a Threat Composer file given to --from threat-dragon, say which to use', () => {
    assert.match(importError('threat-composer', corpusFile('threat-dragon/v2-threat-model.json')), /looks like a Threat Dragon model, not an AWS Threat Composer file: import it with --from threat-dragon/);
    assert.match(importError('threat-dragon', corpusFile(FILES[1])), /looks like an AWS Threat Composer file, not a Threat Dragon model: import it with --from threat-composer/);
    assert.match(importError('otm', JSON.stringify(minimal())), /--from threat-composer/);
  });

  it('bad JSON, other JSON and an empty file are ImportErrors that say what was expected', () => {
    assert.match(importError('threat-composer', '{"schema": 1, "threats": ['), /not valid JSON/);
    assert.match(importError('threat-composer', '{"name": "x"}'), /not an AWS Threat Composer file: expected `schema` with `threats` or `applicationInfo`/);
    assert.match(importError('threat-composer', ''), /empty/);
  });

  it('more threats or assumptions than a model may hold are refused with the limit', () => {
    const many = (n: number, make: (i: number) => Json) => Array.from({ length: n }, (_, i) => make(i));
    assert.match(importError('threat-composer', JSON.stringify({ schema: 1, threats: many(5001, i => ({ id: U(i), numericId: i + 1 })) })), /5001 threats, over the 5000/);
    assert.match(importError('threat-composer', JSON.stringify({ schema: 1, threats: [], assumptions: many(501, i => ({ id: U(i), numericId: i + 1, content: 'a' })) })), /501 assumptions, over the 500/);
  });

  it('hostile values give an ImportError or a clean model, never a crash, and no prototype pollution', () => {
    const hostile: unknown[] = [null, 0, -1, 1.5, 1e300, true, '', 'constructor', '__proto__', 'x'.repeat(70_000), [], [null, 1, {}], {}];
    const source = corpusJson(FILES[1]) as Json;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length > 0 && !(path[0] === 'architecture' || path[0] === 'dataflow')) paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(source, []);
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 40; n++) {
      const path = paths[Math.floor(random() * paths.length)];
      const value = hostile[Math.floor(random() * hostile.length)];
      const copy = JSON.parse(JSON.stringify(source)) as Json;
      let holder: any = copy;
      for (const key of path.slice(0, -1)) holder = holder[key];
      holder[path[path.length - 1]] = value;
      if (n % 2 && holder && typeof holder === 'object' && !Array.isArray(holder)) Object.defineProperty(holder, '__proto__', { value, enumerable: true });
      const label = `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`;
      let yaml: string;
      try {
        yaml = importModel('threat-composer', JSON.stringify(copy)).yaml;
      } catch (e) {
        assert.ok(e instanceof ImportError, `${label}: ${(e as Error)?.stack ?? String(e)}`);
        continue;
      }
      const model = assertSchemaClean({ yaml, stats: {} as any, notes: [] }, label) as Model;
      assertValid(exportOf(model), `${label} (export)`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
