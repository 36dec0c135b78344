import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { ID_PATTERN, THREAT_ID_PATTERN, type Model } from '../../../src/core/model/schema';
import {
  ImportError, importModel, THREAGILE_STATUS_MAP, THREAT_DRAGON_SEVERITY_MAP, THREAT_DRAGON_STATUS_MAP, type ImportFormat,
} from '../../../src/core/interop/index';
import { assertSchemaClean, corpusFile, corpusJson } from './corpus';

type Counts = { elements: number; flows: number; threats: number };

/** Counts read straight from the source files, independently of the importers. */
function threagileCounts(rel: string): Counts {
  const src = parseYaml(corpusFile(rel), { merge: true }) as Record<string, any>;
  const assets = Object.values(src.technical_assets ?? {}) as any[];
  const individual = Object.values(src.individual_risk_categories ?? {}).flatMap((c: any) => Object.keys(c.risks_identified ?? {}));
  return {
    elements: assets.length,
    flows: assets.reduce((n, a) => n + Object.keys(a.communication_links ?? {}).length, 0),
    // Manually identified risks plus risk-tracking entries (none of the corpus's tracking keys names an individual risk).
    threats: individual.length + Object.keys(src.risk_tracking ?? {}).length,
  };
}

function threatDragonCounts(rel: string): Counts {
  const cells = (corpusJson(rel).detail as any).diagrams.flatMap((d: any) => d.cells);
  const of = (...types: string[]) => cells.filter((c: any) => types.includes(c.data?.type));
  return {
    elements: of('tm.Actor', 'tm.Process', 'tm.Store').length,
    flows: of('tm.Flow').length,
    threats: cells.reduce((n: number, c: any) => n + (c.data?.threats?.length ?? 0), 0),
  };
}

function otmCounts(src: Record<string, any>): Counts {
  return { elements: src.components?.length ?? 0, flows: src.dataflows?.length ?? 0, threats: src.threats?.length ?? 0 };
}

const CORPUS: { format: ImportFormat; file: string; counts: () => Counts; expected: Counts }[] = [
  { format: 'threagile', file: 'threagile/threagile-example.yaml', counts: () => threagileCounts('threagile/threagile-example.yaml'), expected: { elements: 14, flows: 20, threats: 8 } },
  { format: 'threagile', file: 'threagile/threagile-stub.yaml', counts: () => threagileCounts('threagile/threagile-stub.yaml'), expected: { elements: 2, flows: 1, threats: 1 } },
  { format: 'threat-dragon', file: 'threat-dragon/v2-threat-model.json', counts: () => threatDragonCounts('threat-dragon/v2-threat-model.json'), expected: { elements: 7, flows: 10, threats: 14 } },
  { format: 'threat-dragon', file: 'threat-dragon/three-tier-web-app.json', counts: () => threatDragonCounts('threat-dragon/three-tier-web-app.json'), expected: { elements: 3, flows: 3, threats: 2 } },
  { format: 'threat-dragon', file: 'threat-dragon/generic-cms.json', counts: () => threatDragonCounts('threat-dragon/generic-cms.json'), expected: { elements: 5, flows: 5, threats: 0 } },
  { format: 'threat-dragon', file: 'threat-dragon/v2-new-model.json', counts: () => threatDragonCounts('threat-dragon/v2-new-model.json'), expected: { elements: 0, flows: 0, threats: 0 } },
  { format: 'otm', file: 'otm/EXAMPLE.json', counts: () => otmCounts(corpusJson('otm/EXAMPLE.json')), expected: { elements: 4, flows: 2, threats: 1 } },
  // EXAMPLE.yaml is the same model; PyYAML-style lenient reading is needed for its code snippet.
  { format: 'otm', file: 'otm/EXAMPLE.yaml', counts: () => otmCounts(corpusJson('otm/EXAMPLE.json')), expected: { elements: 4, flows: 2, threats: 1 } },
];

const SECTIONS = ['assets', 'boundaries', 'elements', 'flows', 'threats', 'mitigations'] as const;

describe('interop: importing every corpus model', () => {
  for (const c of CORPUS) {
    it(`${c.file}: schema-clean, same counts as the source, ids kebab-case, source ids kept`, () => {
      const result = importModel(c.format, corpusFile(c.file));
      const model = assertSchemaClean(result, c.file) as Model;
      const source = c.counts();
      assert.deepEqual(source, c.expected, 'the source counts (sanity check of the test itself)');
      const got = { elements: Object.keys(model.elements ?? {}).length, flows: Object.keys(model.flows ?? {}).length, threats: Object.keys(model.threats ?? {}).length };
      assert.deepEqual(got, source);
      assert.deepEqual({ elements: result.stats.elements, flows: result.stats.flows, threats: result.stats.threats }, source);
      for (const section of SECTIONS) {
        const entries = Object.entries((model[section] ?? {}) as Record<string, { source_id?: string }>);
        assert.equal(entries.length, result.stats[section], `stats.${section}`);
        for (const [id, entry] of entries) {
          assert.match(id, section === 'threats' ? THREAT_ID_PATTERN : ID_PATTERN, `${section}.${id}`);
          if (section === 'elements' || section === 'flows' || section === 'threats') assert.ok(entry.source_id, `${section}.${id} has a source_id`);
        }
      }
      assert.match(result.yaml, /^# Imported from /, 'a header comment names the source tool');
      assert.match(result.yaml, /^rampart: 1$/m);
    });
  }
});

describe('interop: Threagile import', () => {
  const result = importModel('threagile', corpusFile('threagile/threagile-example.yaml'));
  const model = assertSchemaClean(result, 'threagile-example') as Model;

  it('maps asset types, boundaries (innermost, nested) and confidentiality', () => {
    assert.equal(model.elements!['customer-client'].type, 'external');
    assert.equal(model.elements!['sql-database'].type, 'store');
    assert.equal(model.elements!['erp-system'].type, 'process');
    assert.equal(model.elements!['apache-webserver'].boundary, 'web-dmz');
    assert.equal(model.elements!['load-balancer'].boundary, 'application-network');
    assert.equal(model.boundaries!['web-dmz'].parent, 'application-network');
    assert.equal(model.assets!['customer-accounts'].classification, 'restricted'); // strictly-confidential
    assert.equal(model.assets!['contract-summaries'].classification, 'confidential'); // restricted
    assert.equal(model.assets!['client-application-code'].classification, 'public');
    // `<<: *customer-contracts` merge keys are resolved: integrity critical comes from the anchor.
    assert.equal(model.assets!['customer-operational-data'].criticality, 'high');
    assert.deepEqual(model.elements!['sql-database'].stores, ['customer-accounts', 'customer-operational-data', 'internal-business-data']);
    // out_of_scope assets are marked so, and listed in scope.out with Threagile's justification (#14: it was only a comment).
    assert.equal(model.elements!['customer-client'].out_of_scope, true);
    assert.ok(model.scope?.out?.includes('Customer Web Client: Owned and managed by end-user customer'), 'out_of_scope assets are listed in scope.out');
  });

  it('maps communication links with protocol, encryption and authentication', () => {
    const traffic = model.flows!['customer-traffic'];
    assert.deepEqual([traffic.from, traffic.to, traffic.protocol, traffic.encrypted, traffic.authenticated], ['customer-client', 'load-balancer', 'https', true, true]);
    assert.equal(model.flows!['web-application-traffic'].encrypted, false); // http
    assert.equal(model.flows!['cms-content-traffic'].authenticated, false); // authentication: none
    assert.equal(traffic.source_id, 'customer-client>customer-traffic');
  });

  it('imports risk tracking as threats with mapped status, justification and acceptance', () => {
    const accepted = model.threats!['untrusted-deserialization@erp-system'];
    assert.equal(accepted.status, 'accepted');
    assert.equal(accepted.justification, 'Risk accepted as tolerable');
    assert.equal(accepted.accepted_by, 'John Doe');
    assert.equal(accepted.ticket, 'XYZ-1234');
    assert.deepEqual(accepted.targets, ['erp-system']);
    const wildcard = model.threats!['ldap-injection@any@ldap-auth-server@any'];
    assert.equal(wildcard.status, 'mitigated');
    assert.equal(wildcard.source_id, 'ldap-injection@*@ldap-auth-server@*');
    assert.deepEqual(wildcard.targets, ['ldap-auth-server']);
    // A mitigated tracking entry gets an implemented mitigation, so Rampart also counts it as mitigated.
    assert.equal(model.mitigations![wildcard.mitigations![0]].status, 'implemented');
    assert.equal(model.threats!['dos-risky-access-across-trust-boundary@any@any@any'].status, 'open'); // in-progress
  });

  it('imports individual risks with likelihood, impact, STRIDE and CWE', () => {
    const t = model.threats!['something-strange@sql-database'];
    assert.equal(t.title, 'Example Individual Risk at Database');
    assert.deepEqual([t.likelihood, t.impact, t.stride, t.cwe], ['possible', 'moderate', ['repudiation'], ['CWE-693']]);
    assert.equal(model.threats!['something-strange@contract-file-server'].likelihood, 'almost-certain'); // frequent
  });

  it('says what it left out, in the notes and as comments', () => {
    assert.ok(result.notes.some(n => /shared runtimes/.test(n)));
    assert.match(result.yaml, /Threagile derives most of its risks at run time/);
    assert.match(result.yaml, /# Threagile type network-cloud-security-group; tags some-erp;/);
  });

  it('maps every risk_tracking status as documented', () => {
    const statuses = Object.keys(THREAGILE_STATUS_MAP);
    const text = `threagile_version: 1.0.0
title: Statuses
technical_assets:
  App:
    id: app
    type: process
    communication_links:
      DB Access:
        target: app
        protocol: jdbc-encrypted
risk_tracking:
${statuses.map(s => `  rule-${s}@app:\n    status: ${s}\n    justification: because ${s}`).join('\n')}
  unencrypted-communication@app>db-access:
    status: unchecked
`;
    const m = assertSchemaClean(importModel('threagile', text), 'statuses') as Model;
    for (const s of statuses) assert.equal(m.threats![`rule-${s}@app`].status, THREAGILE_STATUS_MAP[s], s);
    assert.equal(THREAGILE_STATUS_MAP['false-positive'], 'not-applicable');
    assert.equal(m.threats!['rule-accepted@app'].accepted_by, undefined, 'no checked_by in the source: nothing invented');
    assert.deepEqual(m.threats!['unencrypted-communication@app-db-access'].targets, ['db-access'], 'a link id targets the flow');
    assert.equal(m.flows!['db-access'].encrypted, true);
  });
});

describe('interop: Threat Dragon import', () => {
  it('maps types, severities, statuses and mitigation text', () => {
    const result = importModel('threat-dragon', corpusFile('threat-dragon/v2-threat-model.json'));
    const model = assertSchemaClean(result, 'v2-threat-model') as Model;
    assert.equal(model.elements!['browser'].type, 'external');
    assert.equal(model.elements!['message-queue'].type, 'store');
    assert.equal(model.elements!['background-worker-process'].name, 'Background Worker Process'); // line break in the label
    const unauthorised = model.threats!['unauthorised-access'];
    assert.deepEqual([unauthorised.status, unauthorised.likelihood, unauthorised.impact, unauthorised.stride], ['mitigated', 'likely', 'major', ['information-disclosure']]);
    assert.equal(model.mitigations![unauthorised.mitigations![0]].status, 'implemented');
    const secrecy = model.threats!['message-secrecy']; // Low, Open
    assert.deepEqual([secrecy.status, secrecy.likelihood, secrecy.impact], ['open', 'unlikely', 'minor']);
    assert.equal(model.mitigations![secrecy.mitigations![0]].status, 'proposed');
    assert.equal(model.flows!['web-response'].protocol, 'HTTP/S');
    assert.equal(model.flows!['web-response'].encrypted, true);
  });

  it('attaches a loose flow end to the element next to it, and says so', () => {
    const result = importModel('threat-dragon', corpusFile('threat-dragon/v2-threat-model.json'));
    const model = assertSchemaClean(result, 'v2-threat-model') as Model;
    assert.equal(model.flows!['web-request'].from, 'browser');
    assert.match(result.yaml, /# The source end was a loose point in Threat Dragon, next to "Browser"/);
  });

  it('places elements in the smallest boundary box around them', () => {
    const model = assertSchemaClean(importModel('threat-dragon', corpusFile('threat-dragon/three-tier-web-app.json')), 'three-tier') as Model;
    assert.equal(model.elements!['web-ui'].boundary, 'internet');
    assert.equal(model.elements!['web-service'].boundary, 'public-cloud');
    assert.equal(model.elements!['postgressql'].boundary, 'public-cloud');
    const cms = assertSchemaClean(importModel('threat-dragon', corpusFile('threat-dragon/generic-cms.json')), 'generic-cms') as Model;
    assert.equal(cms.elements!['admin'].boundary, undefined);
    assert.equal(cms.elements!['web-server'].boundary, 'internet');
  });

  it('maps every documented status and severity, nested boxes, and unknown words with a comment', () => {
    const statuses = Object.keys(THREAT_DRAGON_STATUS_MAP);
    const threats = statuses.map((s, i) => ({ id: `t${i}`, title: `Threat ${s}`, status: s, severity: ['High', 'Medium', 'Low'][i % 3], type: 'Tampering', description: '', mitigation: 'Do something' }));
    threats.push({ id: 'tx', title: 'Odd one', status: 'Pending', severity: 'Extreme', type: 'Privacy', description: '', mitigation: '' });
    const td = {
      version: '2.3.0',
      summary: { title: 'Statuses', owner: 'Owner', description: '', id: 0 },
      detail: {
        contributors: [], reviewer: '', diagramTop: 1, threatTop: 0,
        diagrams: [{ id: 0, title: 'D', diagramType: 'STRIDE', thumbnail: '', version: '2.3.0', cells: [
          { id: 'outer', shape: 'trust-boundary-box', zIndex: -1, position: { x: 0, y: 0 }, size: { width: 800, height: 600 }, data: { type: 'tm.BoundaryBox', name: 'Corp network', hasOpenThreats: false } },
          { id: 'inner', shape: 'trust-boundary-box', zIndex: -1, position: { x: 50, y: 50 }, size: { width: 300, height: 300 }, data: { type: 'tm.BoundaryBox', name: 'Secure zone', hasOpenThreats: false } },
          { id: 'p1', shape: 'process', zIndex: 1, position: { x: 100, y: 100 }, size: { width: 100, height: 100 }, data: { type: 'tm.Process', name: 'Worker', threats, hasOpenThreats: true } },
          { id: 'a1', shape: 'actor', zIndex: 1, position: { x: 500, y: 100 }, size: { width: 150, height: 80 }, data: { type: 'tm.Actor', name: 'Admin', hasOpenThreats: false } },
          { id: 'f1', shape: 'flow', zIndex: 1, source: { cell: 'a1' }, target: { cell: 'p1' }, data: { type: 'tm.Flow', name: '', hasOpenThreats: false } },
          { id: 'f2', shape: 'flow', zIndex: 1, source: { x: 2000, y: 2000 }, target: { cell: 'p1' }, data: { type: 'tm.Flow', name: 'Dangling', hasOpenThreats: false } },
        ] }],
      },
    };
    const result = importModel('threat-dragon', JSON.stringify(td));
    const model = assertSchemaClean(result, 'statuses') as Model;
    const byTitle = new Map(Object.values(model.threats!).map(t => [t.title, t]));
    for (const s of statuses) assert.equal(byTitle.get(`Threat ${s}`)!.status, THREAT_DRAGON_STATUS_MAP[s], s);
    assert.equal(THREAT_DRAGON_STATUS_MAP.Avoided, 'mitigated');
    assert.equal(THREAT_DRAGON_STATUS_MAP.Eliminated, 'mitigated');
    assert.deepEqual({ likelihood: byTitle.get('Threat NotApplicable')!.likelihood, impact: byTitle.get('Threat NotApplicable')!.impact }, THREAT_DRAGON_SEVERITY_MAP.High);
    assert.match(result.yaml, /# Threat Dragon status Avoided: imported as mitigated\./);
    const odd = byTitle.get('Odd one')!;
    assert.deepEqual([odd.status, odd.likelihood, odd.stride], ['open', undefined, undefined]);
    assert.match(result.yaml, /# Threat Dragon status "Pending" is unknown; imported as open\./);
    assert.equal(model.elements!['worker'].boundary, 'secure-zone');
    assert.equal(model.elements!['admin'].boundary, 'corp-network');
    assert.equal(model.boundaries!['secure-zone'].parent, 'corp-network');
    assert.equal(Object.keys(model.flows!).length, 1, 'the flow with a far loose end is left out');
    assert.ok(result.notes.some(n => /"Dangling" is not attached/.test(n)));
  });
});

describe('interop: Threat Dragon v1 import', () => {
  it('reads the v1 layout (diagramJson cells, properties on the cell, labels on flows)', () => {
    const v1 = {
      summary: { title: 'Legacy model', owner: 'Someone' },
      detail: { contributors: [{ name: 'A' }], diagrams: [{ title: 'Main', id: 0, diagramType: 'STRIDE', diagramJson: { cells: [
        { type: 'tm.Actor', id: 'u', position: { x: 0, y: 0 }, size: { width: 100, height: 60 }, attrs: { text: { text: 'User' } }, threats: [] },
        { type: 'tm.Process', id: 'p', position: { x: 300, y: 0 }, size: { width: 100, height: 100 }, attrs: { text: { text: 'Web app' } },
          threats: [{ title: 'Session hijack', status: 'Open', severity: 'High', type: 'Spoofing', description: 'd', mitigation: '' }] },
        { type: 'tm.Flow', id: 'f', source: { id: 'u' }, target: { id: 'p' }, labels: [{ attrs: { text: { text: 'Login' } } }], protocol: 'HTTPS', isEncrypted: true },
      ] } }] },
    };
    const model = assertSchemaClean(importModel('threat-dragon', JSON.stringify(v1)), 'v1') as Model;
    assert.deepEqual(Object.values(model.elements!).map(e => `${e.type}:${e.name}`), ['external:User', 'process:Web app']);
    assert.deepEqual({ ...model.flows!['login'] }, { from: 'user', to: 'web-app', name: 'Login', protocol: 'HTTPS', encrypted: true, source_id: 'f' });
    assert.deepEqual(model.threats!['session-hijack'].targets, ['web-app']);
    assert.deepEqual(model.team?.map(m => ({ ...m })), [{ name: 'Someone', role: 'owner' }, { name: 'A', role: 'contributor' }]);
  });
});

describe('interop: OTM import', () => {
  const result = importModel('otm', corpusFile('otm/EXAMPLE.json'));
  const model = assertSchemaClean(result, 'EXAMPLE.json') as Model;

  it('maps trust zones, components, dataflows and code representations', () => {
    assert.equal(model.boundaries!['internet'].trust, 'untrusted'); // trustRating 20
    assert.equal(model.boundaries!['private'].trust, 'trusted'); // trustRating 100
    assert.equal(model.elements!['web-client'].type, 'external');
    assert.equal(model.elements!['customer-database'].type, 'store');
    assert.equal(model.elements!['web-service'].boundary, 'private');
    assert.deepEqual(model.elements!['class-customerdatabase'].code, ['src/main/otm-file/OTMClass.java']);
    assert.deepEqual(model.flows!['cc-store-in-db'].data, ['cc-data']);
    assert.equal(model.assets!['cc-data'].classification, 'restricted');
    assert.equal(model.assets!['public-info'].classification, 'public');
  });

  it('maps threat risk percentages to the documented buckets, instances to targets and mitigations', () => {
    const t = model.threats!['threat-1'];
    assert.deepEqual([t.likelihood, t.impact, t.status], ['possible', 'severe', 'open']); // 50, 100, state exposed
    assert.deepEqual(t.targets, ['web-service', 'cc-store-in-db']);
    assert.deepEqual(t.stride, ['spoofing', 'tampering']);
    assert.deepEqual(t.cwe, ['CWE-79', 'CWE-787']);
    assert.deepEqual(t.mitigations, ['this-is-the-name-of-mitigation-1']);
    // Instance states implemented and required: the least advanced one wins.
    assert.equal(model.mitigations!['this-is-the-name-of-mitigation-1'].status, 'proposed');
    assert.match(result.yaml, /# OTM risk reduction: 50%/);
    assert.ok(result.notes.some(n => /representations/.test(n)));
  });

  it('reads EXAMPLE.yaml (a quoted string indented too little) like EXAMPLE.json, with a note', () => {
    const y = importModel('otm', corpusFile('otm/EXAMPLE.yaml'));
    const m = assertSchemaClean(y, 'EXAMPLE.yaml') as Model;
    assert.deepEqual(m, model);
    assert.ok(y.notes.some(n => /indented less than its key/.test(n)));
  });
});

describe('interop: ids, bounds and bad input', () => {
  it('slugifies names into unique, valid, non-reserved ids', () => {
    const otm = {
      otmVersion: '0.2.0', project: { name: 'Ids', id: 'ids' },
      trustZones: [{ id: 'z', name: 'Zone', risk: { trustRating: 50 } }],
      components: [
        { id: 'Ünïcödé Sérvice!', name: 'A', type: 'service', parent: { trustZone: 'z' } },
        { id: 'unicode-service', name: 'B', type: 'service', parent: { trustZone: 'z' } },
        { id: 'constructor', name: 'C', type: 'service', parent: { trustZone: 'z' } },
        { id: '***', name: 'x'.repeat(400), type: 'service', parent: { trustZone: 'z' } },
      ],
      threats: [{ id: 'T1', name: 'Spoofing / the <API> — "quoted"', risk: { likelihood: 0, impact: 100 } }],
    };
    const model = assertSchemaClean(importModel('otm', JSON.stringify(otm)), 'ids') as Model;
    const ids = Object.keys(model.elements!);
    assert.deepEqual(ids.slice(0, 3), ['unicode-service', 'unicode-service-2', 'constructor-2']);
    assert.match(ids[3], /^x{1,64}$/, 'an id that slugifies to nothing falls back to the name, cut to 64 characters');
    assert.equal(model.elements!['unicode-service'].source_id, 'Ünïcödé Sérvice!');
    assert.equal(model.elements![ids[3]].name.length, 200);
    assert.deepEqual(Object.keys(model.threats!), ['spoofing-the-api-quoted']);
    assert.equal(model.threats!['spoofing-the-api-quoted'].likelihood, 'rare');
  });

  it('throws ImportError with a clear message for input that is not the named format', () => {
    const cases: [ImportFormat, string, RegExp][] = [
      ['otm', '{ "this is": not json', /not valid JSON/],
      ['threagile', 'key: [unclosed', /not valid YAML/],
      ['otm', '', /empty/],
      ['threat-dragon', '- a\n- list\n', /holds a list/],
      ['otm', corpusFile('threat-dragon/generic-cms.json'), /Threat Dragon model.*--from threat-dragon/],
      ['threat-dragon', corpusFile('threagile/threagile-stub.yaml'), /Threagile model.*--from threagile/],
      ['threagile', 'rampart: 1\ntitle: Already ours\n', /already a Rampart threat model/],
      ['threat-dragon', '{"hello": "world"}', /expected `summary` and `detail.diagrams`/],
    ];
    for (const [format, text, message] of cases) {
      assert.throws(() => importModel(format, text), (e: unknown) => e instanceof ImportError && message.test(e.message), `${format}: ${text.slice(0, 30)}`);
    }
  });

  it('survives malformed but recognisable input without crashing', () => {
    const inputs: [ImportFormat, unknown][] = [
      ['threat-dragon', { summary: 'x', detail: { diagrams: [null, 1, { cells: 'no' }, { cells: [null, { id: 5 }, { id: 'a', data: { type: 'tm.Process', threats: 'x' } }, { id: 'f', data: { type: 'tm.Flow' }, source: 3, target: {} }] }] } }],
      ['otm', { otmVersion: 1, project: null, components: [{}, { id: 'a', parent: { component: 'a' } }], dataflows: [{ id: 'd', source: 'a', destination: 'zzz' }], threats: [{ id: 't', risk: 'high', categories: 'x' }] }],
      ['threagile', { threagile_version: '1', technical_assets: { A: null, B: { id: 'b', communication_links: { L: { target: 'b' }, M: 'x' } } }, risk_tracking: { 'x@*': null, 'y@b': { status: 'weird' } }, trust_boundaries: { T: { id: 't', trust_boundaries_nested: ['t'] } } }],
    ];
    for (const [format, data] of inputs) {
      const result = importModel(format, JSON.stringify(data));
      assertSchemaClean(result, format);
    }
  });

  it('never lets source text break out of a YAML comment', () => {
    const td = {
      summary: { title: 'T' }, detail: { diagrams: [{ cells: [
        { id: 'p', data: { type: 'tm.Process', name: 'P', privilegeLevel: 'root\nevil: true\r\u2028# x', threats: [] } },
      ] }] },
    };
    const result = importModel('threat-dragon', JSON.stringify(td));
    const model = assertSchemaClean(result, 'comment') as Model;
    assert.equal((model as Record<string, unknown>).evil, undefined);
    assert.deepEqual(Object.keys(model.elements!), ['p']);
  });
});
