/**
 * Threagile import and export without losing a word (#14): includes, both risk-category keys, the output model,
 * CIA ratings, the scope texts, the direction of data on a link, out-of-scope assets, tracking statuses, and an
 * export that Threagile's schema accepts and that says what it could not write.
 */
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { exportModelWithNotes, importModel, ImportError, type ImportOptions } from '../../../src/core/interop/index';
import type { Model } from '../../../src/core/model/schema';
import { assertSchemaClean, corpusFile, corpusJson } from './corpus';
import { assertRoundTrip } from './roundtrip';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv');
// Threagile's schema names its meta-schema with https (Ajv knows draft-07 by its http address) and its own address with
// draft-04's `id`: neither is a rule for the model, so both are left out; the rest is draft-07.
const { $schema: _metaSchema, id: _address, ...threagileSchema } = corpusJson('threagile/schema.json');
const validateThreagile = new Ajv({ allErrors: true, strict: false }).compile(threagileSchema);

/** The fields Threagile requires of a technical asset that these tests do not look at (a model without them differs after a round trip: the export must write them). */
const RATED = '    encryption: none\n    confidentiality: internal\n    integrity: operational\n    availability: operational\n';

/** A minimal Threagile model: two technical assets and one link, plus `extra` YAML at the end. */
const MODEL = (extra = '') => `threagile_version: 1.0.0
title: Shop
technical_assets:
  Web:
    id: web
    type: process
${RATED}    communication_links:
      Orders:
        target: db
        protocol: jdbc-encrypted
        authentication: credentials
        authorization: technical-user
  DB:
    id: db
    type: datastore
${RATED}${extra}`;

/** The model's values as plain data (the parser gives maps without a prototype). */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

const imported = (text: string, options?: ImportOptions): Model => assertSchemaClean(importModel('threagile', text, options), 'import') as Model;

function importError(text: string, options?: ImportOptions): string {
  try {
    importModel('threagile', text, options);
  } catch (e) {
    assert.ok(e instanceof ImportError, `an ImportError, not ${(e as Error)?.stack}`);
    return e.message;
  }
  assert.fail('the import should have been refused');
}

/** A reader over in-memory files (paths relative to the imported file), recording what it was asked for. */
function reader(files: Record<string, string>) {
  const asked: string[] = [];
  const read = (path: string) => {
    asked.push(path);
    if (!Object.hasOwn(files, path)) throw new Error(`'${path}' does not exist`);
    return files[path];
  };
  return { read, asked };
}

describe('interop: Threagile includes (#14)', () => {
  it('merges nested includes, each resolved relative to the file that includes it', () => {
    const { read, asked } = reader({
      'parts/assets.yaml': 'includes:\n  - ../links/risks.yaml\ndata_assets:\n  Orders:\n    id: orders\n    confidentiality: confidential\n',
      'links/risks.yaml': 'technical_assets:\n  Worker:\n    id: worker\n    type: process\nrisk_tracking:\n  some-rule@worker:\n    status: accepted\n    justification: Fine\n',
    });
    const model = imported('threagile_version: 1.0.0\ntitle: Split\nincludes:\n  - ./parts/assets.yaml\ntechnical_assets:\n  Web:\n    id: web\n    type: process\n', { readInclude: read });
    assert.deepEqual(asked, ['parts/assets.yaml', 'links/risks.yaml']);
    assert.deepEqual(Object.keys(model.elements ?? {}), ['web', 'worker']);
    assert.equal(model.assets!.orders.classification, 'confidential');
    assert.equal(model.threats!['some-rule@worker'].status, 'accepted');
  });

  it('refuses a cycle, naming the files on it', () => {
    const { read } = reader({ 'a.yaml': 'includes: [b.yaml]\n', 'b.yaml': 'includes: [a.yaml]\n' });
    assert.match(importError(MODEL('includes: [a.yaml]\n'), { readInclude: read }), /cycle: the imported file includes "a\.yaml" includes "b\.yaml" includes "a\.yaml"/);
  });

  it('refuses includes nested deeper than the limit', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`f${i}.yaml`] = `includes: [f${i + 1}.yaml]\n`;
    assert.match(importError(MODEL('includes: [f0.yaml]\n'), { readInclude: reader(files).read }), /nest deeper than 8 files/);
  });

  it('refuses absolute paths and paths above the imported file\'s folder without reading them', () => {
    for (const [path, message] of [['../secrets.yaml', /climbs above the folder of the imported file/], ['/etc/passwd', /absolute path/], ['C:\\model.yaml', /absolute path/]] as const) {
      const { read, asked } = reader({});
      assert.match(importError(MODEL(`includes: ['${path}']\n`), { readInclude: read }), message, path);
      assert.deepEqual(asked, [], `${path} is never read`);
    }
    // From inside a subfolder, one `..` is fine and two climb out.
    const { read, asked } = reader({ 'sub/part.yaml': 'includes: [../../out.yaml]\n' });
    assert.match(importError(MODEL('includes: [sub/part.yaml]\n'), { readInclude: read }), /"\.\.\/\.\.\/out\.yaml" in "sub\/part\.yaml" climbs above/);
    assert.deepEqual(asked, ['sub/part.yaml']);
  });

  it('a missing file is an ImportError naming it and the reader\'s reason', () => {
    assert.match(importError(MODEL('includes: [gone.yaml]\n'), { readInclude: reader({}).read }), /"gone\.yaml" that the imported file includes could not be read: 'gone\.yaml' does not exist/);
  });

  it('without a reader, says that the includes need the file on disk', () => {
    assert.match(importError(MODEL('includes: [more.yaml]\n')), /includes other files \(includes: more\.yaml\).*from a file on disk/);
  });

  it('an entry defined in two files is an error, as in Threagile', () => {
    const { read } = reader({ 'more.yaml': 'technical_assets:\n  Web:\n    id: web2\n    type: process\n' });
    assert.match(importError(MODEL('includes: [more.yaml]\n'), { readInclude: read }), /"Web" is defined twice in technical_assets: in the imported file and in "more\.yaml"/);
  });

  it('a model with no technical assets never imports silently as empty', () => {
    // Everything in an include that could not be read would be this: an error, not an empty model.
    assert.match(importError('threagile_version: 1.0.0\ntitle: Nothing\n'), /no technical assets, data assets, trust boundaries or risks: there is nothing to import/);
    const result = importModel('threagile', 'threagile_version: 1.0.0\ntitle: Data only\ndata_assets:\n  D:\n    id: d\n    confidentiality: public\n');
    assert.ok(result.notes.some(n => /no technical assets, so the import has no elements and no flows/.test(n)));
  });
});

describe('interop: Threagile risk categories and the output model (#14)', () => {
  it('reads custom_risk_categories (the current list) with a critical risk, and the older map, side by side', () => {
    const model = imported(MODEL(`custom_risk_categories:
  - id: weak-crypto
    title: Weak crypto
    description: Keys are too short.
    mitigation: Use 256-bit keys.
    stride: information-disclosure
    cwe: 326
    risks_identified:
      <b>Weak crypto</b> at <b>DB</b>:
        severity: critical
        exploitation_likelihood: frequent
        exploitation_impact: very-high
        most_relevant_technical_asset: db
individual_risk_categories:
  Old style:
    id: old-style
    risks_identified:
      Old risk at Web:
        severity: elevated
        exploitation_likelihood: likely
        exploitation_impact: high
        most_relevant_technical_asset: web
`));
    const t = model.threats!['weak-crypto@db'];
    assert.equal(t.title, 'Weak crypto at DB');
    assert.deepEqual(plain([t.likelihood, t.impact, t.stride, t.cwe, t.targets]), ['almost-certain', 'severe', ['information-disclosure'], ['CWE-326'], ['db']]);
    // frequent x very-high is Threagile's "critical" already: no tag needed; the old-style risk is there too.
    assert.equal(t.tags, undefined);
    assert.equal(model.mitigations![t.mitigations![0]].title, 'Use 256-bit keys.');
    assert.equal(model.threats!['old-style@web'].likelihood, 'possible');
  });

  it('keeps a severity Threagile would not compute as a tag, and writes it back', () => {
    const text = MODEL(`custom_risk_categories:
  - id: odd
    title: Odd
    risks_identified:
      Odd at DB:
        severity: critical
        exploitation_likelihood: unlikely
        exploitation_impact: low
        data_breach_probability: probable
        most_relevant_technical_asset: db
`);
    const { first, exported } = assertRoundTrip('threagile', text, 'severity');
    assert.deepEqual(first.threats!['odd@db'].tags, ['threagile-severity-critical', 'threagile-breach-probable']);
    const risk = (parseYaml(exported.text) as any).custom_risk_categories[0].risks_identified['Odd at DB'];
    assert.deepEqual([risk.severity, risk.data_breach_probability], ['critical', 'probable']);
  });

  it('refuses Threagile\'s output parsed-model.yaml with a message that says to import the input model', () => {
    const parsed = `threagile_version: 1.0.0
title: Some Example Application
technical_assets:
    web:
        id: web
        title: Web
        type: process
        communication_links:
            - id: web>orders
              source_id: web
              target_id: db
              title: Orders
    db:
        id: db
        title: DB
        type: datastore
`;
    assert.match(importError(parsed), /parsed-model\.yaml \(its communication links are lists\).*import the model YAML that Threagile was run on instead/);
    assert.match(importError(JSON.stringify({ threagile_version: '1.0.0', technical_assets: { a: { id: 'a', type: 1 } }, data_assets: {} })), /parsed-model\.yaml \(its ratings are numbers\)/);
    assert.match(importError(MODEL('generated_risks_by_synthetic_id: {}\n')), /parsed-model\.yaml \(it has `generated_risks_by_synthetic_id`\)/);
  });
});

describe('interop: Threagile details kept (#14)', () => {
  it('keeps CIA ratings and their justifications on assets and elements, with classification and criticality derived', () => {
    const model = imported(`threagile_version: 1.0.0
title: CIA
data_assets:
  Accounts:
    id: accounts
    confidentiality: strictly-confidential
    integrity: critical
    availability: important
    justification_cia_rating: Credentials.
technical_assets:
  Web:
    id: web
    type: process
    confidentiality: confidential
    integrity: mission-critical
    availability: operational
    justification_cia_rating: Front door.
`);
    assert.deepEqual(plain(model.assets!.accounts.cia), { confidentiality: 'strictly-confidential', integrity: 'critical', availability: 'important', justification: 'Credentials.' });
    assert.deepEqual([model.assets!.accounts.classification, model.assets!.accounts.criticality], ['restricted', 'high']);
    assert.deepEqual(plain(model.elements!.web.cia), { confidentiality: 'confidential', integrity: 'mission-critical', availability: 'operational', justification: 'Front door.' });
  });

  it('keeps two Threagile confidentiality levels that share one classification apart, and writes each back', () => {
    const text = `threagile_version: 1.0.0
title: Two levels
data_assets:
  Summaries:
    id: summaries
    confidentiality: restricted
    integrity: operational
    availability: operational
  Contracts:
    id: contracts
    confidentiality: confidential
    integrity: operational
    availability: operational
technical_assets:
  Web:
    id: web
    type: process
${RATED}`;
    const { first, exported } = assertRoundTrip('threagile', text, 'two levels');
    assert.equal(first.assets!.summaries.classification, first.assets!.contracts.classification);
    const out = (parseYaml(exported.text) as any).data_assets;
    assert.deepEqual([out.Summaries.confidentiality, out.Contracts.confidentiality], ['restricted', 'confidential']);
  });

  it('keeps abuse cases, security requirements and questions (with or without an answer)', () => {
    const text = MODEL(`abuse_cases:
  Ransomware: >
    Encrypt the storage.
security_requirements:
  Input Validation: Strict input validation.
questions:
  Who patches the DB?: ""
  Is the link encrypted?: Yes, TLS 1.3.
`);
    const { first } = assertRoundTrip('threagile', text, 'scope texts');
    assert.deepEqual(plain(first.scope?.abuse_cases), [{ name: 'Ransomware', description: 'Encrypt the storage.' }]);
    assert.deepEqual(plain(first.scope?.requirements), [{ name: 'Input Validation', description: 'Strict input validation.' }]);
    assert.deepEqual(plain(first.scope?.questions), [{ question: 'Who patches the DB?' }, { question: 'Is the link encrypted?', answer: 'Yes, TLS 1.3.' }]);
  });

  it('keeps what a link sends apart from what it receives', () => {
    const text = `threagile_version: 1.0.0
title: Direction
data_assets:
  Query:
    id: query
    confidentiality: internal
    integrity: important
    availability: important
  Rows:
    id: rows
    confidentiality: confidential
    integrity: critical
    availability: important
technical_assets:
  Web:
    id: web
    type: process
${RATED}    communication_links:
      Read:
        target: db
        protocol: jdbc-encrypted
        authentication: none
        authorization: none
        data_assets_sent: [query]
        data_assets_received: [rows]
  DB:
    id: db
    type: datastore
${RATED}`;
    const { first, exported } = assertRoundTrip('threagile', text, 'direction');
    assert.deepEqual([first.flows!.read.data, first.flows!.read.data_received], [['query'], ['rows']]);
    const link = (parseYaml(exported.text) as any).technical_assets.Web.communication_links.Read;
    assert.deepEqual([link.data_assets_sent, link.data_assets_received], [['query'], ['rows']]);
  });

  it('marks out-of-scope technical assets so, keeping the justification', () => {
    const text = MODEL('    out_of_scope: true\n    justification_out_of_scope: Run by the hosting provider\n');
    const { first, exported } = assertRoundTrip('threagile', text, 'out of scope');
    assert.equal(first.elements!.db.out_of_scope, true);
    assert.equal(first.elements!.web.out_of_scope, undefined);
    assert.deepEqual(plain(first.scope?.out), ['DB: Run by the hosting provider']);
    const db = (parseYaml(exported.text) as any).technical_assets.DB;
    assert.deepEqual([db.out_of_scope, db.justification_out_of_scope], [true, 'Run by the hosting provider']);
  });

  it('keeps the tracking statuses Rampart folds into open, so they go back as they were', () => {
    const statuses = ['unchecked', 'in-discussion', 'in-progress', 'accepted', 'mitigated', 'false-positive'];
    const text = MODEL(`risk_tracking:\n${statuses.map(s => `  rule-${s}@web:\n    status: ${s}\n    justification: because ${s}\n    checked_by: Ann\n`).join('')}`);
    const { first, exported } = assertRoundTrip('threagile', text, 'statuses');
    assert.deepEqual(first.threats!['rule-in-progress@web'].tags, ['threagile-in-progress']);
    assert.deepEqual(first.threats!['rule-in-discussion@web'].tags, ['threagile-in-discussion']);
    assert.equal(first.threats!['rule-in-progress@web'].status, 'open');
    const tracking = (parseYaml(exported.text) as any).risk_tracking;
    assert.deepEqual(statuses.map(s => tracking[`rule-${s}@web`].status), statuses);
    assert.equal(tracking['rule-accepted@web'].checked_by, 'Ann');
    assert.equal(tracking['rule-mitigated@web'].checked_by, 'Ann');
  });

  it('keeps the technical overview, contributors and the author\'s contact', () => {
    const text = MODEL(`author:
  name: Ann
  contact: ann@example.com
contributors:
  - name: Bob
technical_overview:
  description: Three tiers behind a load balancer.
`);
    const { first } = assertRoundTrip('threagile', text, 'team');
    assert.deepEqual(plain(first.team), [{ name: 'Ann', role: 'author', email: 'ann@example.com' }, { name: 'Bob', role: 'contributor' }]);
    assert.equal(first.scope?.architecture, 'Three tiers behind a load balancer.');
  });
});

describe('interop: Threagile export (#14)', () => {
  it('the schema check is real: the corpus files pass and a broken export fails', () => {
    for (const f of ['threagile-example.yaml', 'threagile-stub.yaml']) {
      assert.ok(validateThreagile(parseYaml(corpusFile(`threagile/${f}`), { merge: true })), `${f}: ${JSON.stringify(validateThreagile.errors?.slice(0, 3))}`);
    }
    const model = imported(corpusFile('threagile/threagile-stub.yaml'));
    const out = parseYaml(exportModelWithNotes('threagile', model).text) as any;
    delete out.technical_assets['Some Technical Asset'].type;
    assert.equal(validateThreagile(out), false);
  });

  for (const file of ['threagile-example.yaml', 'threagile-stub.yaml']) {
    it(`${file}: the export is valid for Threagile's schema and names every id of the source`, () => {
      const source = parseYaml(corpusFile(`threagile/${file}`), { merge: true }) as any;
      const model = imported(corpusFile(`threagile/${file}`));
      const out = parseYaml(exportModelWithNotes('threagile', model).text) as any;
      assert.ok(validateThreagile(out), JSON.stringify(validateThreagile.errors?.slice(0, 5), null, 2));
      const ids = (section: any) => Object.values(section ?? {}).map((x: any) => x.id).sort();
      assert.deepEqual(ids(out.technical_assets), ids(source.technical_assets));
      assert.deepEqual(ids(out.data_assets), ids(source.data_assets));
      assert.deepEqual(ids(out.trust_boundaries), ids(source.trust_boundaries));
      const links = (m: any) => Object.entries(m.technical_assets).flatMap(([, a]: [string, any]) => Object.entries(a.communication_links ?? {}).map(([k, l]: [string, any]) => `${a.id}>${k}>${l.target}`)).sort();
      assert.deepEqual(links(out), links(source));
      const used = new Set([...Object.values(out.technical_assets).flatMap((a: any) => [...a.tags, ...Object.values(a.communication_links).flatMap((l: any) => l.tags)])]);
      assert.ok([...used].every(t => out.tags_available.includes(t)), 'every tag in use is in tags_available (Threagile checks it)');
    });
  }

  it('says what Threagile cannot hold, naming where', () => {
    const model = imported(MODEL());
    const extended: Model = {
      ...model,
      boundaries: { dmz: { name: 'DMZ', trust: 'partial' } },
      elements: { ...model.elements!, web: { ...model.elements!.web, boundary: 'dmz', controls: ['waf'] } },
      threats: { 'sql-injection': { title: 'SQL injection', status: 'mitigated', targets: ['web'], cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', mitigations: ['prepared'] } },
      mitigations: { prepared: { title: 'Prepared statements', status: 'implemented', evidence: ['src/db.ts'] } },
      attack_trees: { steal: { goal: 'Steal data', or: [{ leaf: 'Phish' }] } },
    };
    const { text, notes } = exportModelWithNotes('threagile', extended);
    assert.ok(validateThreagile(parseYaml(text)));
    for (const said of [/attack_trees \(steal\)/, /threats\.sql-injection: cvss is not written/, /mitigations\.prepared: evidence/, /boundaries\.dmz: its trust level partial/, /elements\.web: controls \(waf\)/]) {
      assert.ok(notes.some(n => said.test(n)), `${said}: ${notes.join(' | ')}`);
    }
    const risk = (parseYaml(text) as any).custom_risk_categories[0];
    assert.equal(risk.id, 'sql-injection');
    assert.equal(risk.mitigation, 'Prepared statements');
    // The file says it too, in a comment block at the top.
    assert.match(text, /^# Not exported \(Threagile has no place for it\), or written with a default:\n(?:#.*\n)*# - attack_trees \(steal\)/m);
  });

  it('writes YAML that a YAML 1.1 reader (Threagile\'s) reads as strings', () => {
    const model = imported(MODEL());
    const text = exportModelWithNotes('threagile', { ...model, title: 'yes', elements: { ...model.elements!, web: { ...model.elements!.web, owner: 'on' } } }).text;
    const doc = parseYaml(text, { version: '1.1' }) as any;
    assert.equal(doc.title, 'yes');
    assert.equal(doc.technical_assets.Web.owner, 'on');
  });
});
