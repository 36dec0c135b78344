import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { ALL_RULE_META } from '../../../src/core/rules/index';
import { JSON_ITEMS, SarifLogBuilder, cweTag, findingKeys, jsonPieces, pascalCase, ruleDescriptor, sarifText, toSarif, type SarifInput } from '../../../src/core/render/sarif';
import type { Finding } from '../../../src/core/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv-draft-04');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const addFormats = require('ajv-formats');

/** The shared SARIF schema: `shared/schemas` next to the repository (../shared in CI) or inside an ancestor. */
function findSchema(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'shared', 'schemas', 'sarif-schema-2.1.0.json'), join(dir, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json')]) {
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) throw new Error('shared/schemas/sarif-schema-2.1.0.json not found above ' + __dirname);
  }
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(findSchema(), 'utf8')));

function assertValid(log: unknown) {
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
}

const NOW = new Date('2026-11-01T00:00:00Z');

/** Findings of every severity: unknown key (error), above tolerance (error), expired acceptance (warning),
 * mitigated but not implemented (warning), STRIDE coverage (info), with related locations. */
const MODEL = `rampart: 1
title: SARIF fixture
policy: { tolerance: medium }
elements:
  browser: { type: external, name: Browser }
  api: { type: process, name: API, colour: blue }
  db: { type: store, name: DB }
flows:
  query: { from: api, to: db, protocol: postgres }
threats:
  sqli:
    title: SQL injection
    stride: [tampering]
    targets: [api, query]
    likelihood: likely
    impact: major
    status: open
  old-risk:
    title: Accepted long ago
    stride: [information-disclosure]
    targets: [db]
    likelihood: likely
    impact: major
    status: accepted
    justification: legacy
    accepted_by: CISO
    expires: 2025-01-01
  claimed:
    title: Claimed fixed
    targets: [api]
    likelihood: possible
    impact: minor
    status: mitigated
    mitigations: [waf]
mitigations:
  waf: { title: Put a WAF in front, status: planned }
`;

const opts = { toolVersion: '0.1.0', informationUri: 'https://example.invalid/rampart' };
const input = (text: string, uri = 'models/app.threatmodel.yaml'): SarifInput => ({ uri, text, analysis: analyze(text, { now: NOW }) });
type Log = { runs: { tool: { driver: { rules: { id: string; name: string; properties: { tags: string[]; precision: string; 'security-severity'?: string } }[] } }; results: Record<string, any>[] }[] };

describe('SARIF output', () => {
  const analysis = analyze(MODEL, { now: NOW });
  const log = toSarif([{ uri: 'models/app.threatmodel.yaml', text: MODEL, analysis }], opts) as unknown as Log;
  const run = log.runs[0];

  it('the fixture has findings of every severity', () => {
    const sev = new Set(analysis.findings.map(f => f.severity));
    assert.deepEqual([...sev].sort(), ['error', 'info', 'warning']);
    assert.ok(analysis.findings.some(f => f.related?.length), 'some finding has related locations');
  });

  it('validates against the OASIS SARIF 2.1.0 schema', () => {
    assertValid(log);
    assertValid(toSarif([], opts));
    assertValid(toSarif([input(MODEL), input('rampart: 1\ntitle: [broken\n', 'b.threatmodel.yaml'), input('', 'empty.threatmodel.yaml')], { ...opts, category: 'rampart', srcRoot: 'file:///repo' }));
  });

  it('lists every rule with tags, CWE tags, precision and help', () => {
    const rules = run.tool.driver.rules;
    assert.deepEqual(rules.map(r => r.id), ALL_RULE_META.map(m => m.id));
    for (const r of rules) {
      assert.match(r.name, /^[A-Z][A-Za-z0-9]*$/);
      assert.ok(['very-high', 'high', 'medium'].includes(r.properties.precision));
    }
    const headline = rules.find(r => r.id === 'risk/unmitigated-above-tolerance')!;
    assert.ok(headline.properties.tags.includes('security'));
    assert.ok(headline.properties.tags.includes('risk'));
    assert.equal(headline.properties['security-severity'], '8.0');
    for (const m of ALL_RULE_META.filter(x => x.cwe?.length)) {
      const tag = `external/cwe/cwe-${Number(m.cwe![0].slice(4))}`;
      assert.ok(rules.find(r => r.id === m.id)!.properties.tags.includes(tag), tag);
    }
    const design = ruleDescriptor({
      id: 'design/x', title: 'Unauthenticated flow', category: 'design', severity: 'warning', description: 'd', advice: 'a',
      stride: ['spoofing'], cwe: ['CWE-306', 'CWE-0287'], capec: ['CAPEC-115'],
    }) as { properties: { tags: string[]; 'security-severity': string }; help: { markdown: string } };
    assert.deepEqual(design.properties.tags, ['security', 'design', 'spoofing', 'external/cwe/cwe-306', 'external/cwe/cwe-287']);
    assert.equal(design.properties['security-severity'], '5.0');
    assert.match(design.help.markdown, /\[CWE-306\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/306\.html\)/);
    assert.match(design.help.markdown, /What to do:\*\* a/);
    assert.equal(cweTag('CWE-79'), 'external/cwe/cwe-79');
    assert.equal(cweTag('79'), undefined);
    const stride = rules.find(r => r.id === 'stride/coverage')!;
    assert.ok(stride.properties.tags.includes('stride'));
    const schema = rules.find(r => r.id === 'schema/unknown-key')!;
    assert.ok(!schema.properties.tags.includes('security'), 'schema problems are not security alerts');
    assert.equal(schema.properties['security-severity'], undefined);
  });

  it('locates each result on the YAML range, 1-based, with rule index, level and fingerprint', () => {
    const lines = MODEL.split('\n');
    const byRule = (id: string) => run.results.filter(r => r.ruleId === id);
    const unknown = byRule('schema/unknown-key')[0];
    assert.ok(unknown, 'unknown key reported');
    assert.equal(unknown.level, 'error');
    const region = unknown.locations[0].physicalLocation.region;
    assert.equal(lines[region.startLine - 1].slice(region.startColumn - 1, region.endColumn - 1), 'colour');
    assert.deepEqual(unknown.locations[0].physicalLocation.artifactLocation, { uri: 'models/app.threatmodel.yaml', uriBaseId: '%SRCROOT%' });

    const headline = byRule('risk/unmitigated-above-tolerance').find(r => r.partialFingerprints['rampart/v1'].endsWith('@sqli'))!;
    assert.equal(headline.level, 'error');
    assert.equal(run.tool.driver.rules[headline.ruleIndex].id, 'risk/unmitigated-above-tolerance');
    const hr = headline.locations[0].physicalLocation.region;
    assert.equal(lines[hr.startLine - 1].trim(), 'sqli:');
    assert.ok(headline.relatedLocations.length > 0);
    for (const rl of headline.relatedLocations) assert.ok(rl.message.text && rl.physicalLocation.region.startLine > 0);

    assert.equal(byRule('risk/expired-acceptance')[0].level, 'warning');
    assert.ok(run.results.some(r => r.level === 'note' && r.ruleId === 'stride/coverage'));
    assert.equal(run.results.length, analysis.findings.length);
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  });

  it('fingerprints are stable across runs and across an unrelated edit that shifts lines', () => {
    const fp = (text: string) => {
      const l = toSarif([input(text)], opts) as unknown as Log;
      return new Map(l.runs[0].results.map(r => [r.partialFingerprints['rampart/v1'] as string, r.locations[0].physicalLocation.region.startLine as number]));
    };
    const a = fp(MODEL);
    const b = fp(MODEL);
    assert.deepEqual([...a.keys()], [...b.keys()]);
    const shifted = MODEL.replace('title: SARIF fixture\n', 'title: SARIF fixture\n# a comment\ndescription: >\n  A longer\n  description.\n');
    const c = fp(shifted);
    assert.deepEqual([...c.keys()].sort(), [...a.keys()].sort(), 'same alerts');
    const key = [...a.keys()].find(k => k.endsWith('@sqli'))!;
    assert.equal(c.get(key), a.get(key)! + 4, 'the alert moved down with its line');
    assert.equal(new Set(a.keys()).size, a.size, 'fingerprints are unique within a file');
  });

  it('keys findings without stable id by rule and path, never by line or message', () => {
    const f = (over: Partial<Finding>): Finding => ({ ruleId: 'schema/x', severity: 'error', message: 'm', range: { start: 0, end: 1 }, ...over });
    assert.deepEqual(findingKeys([
      f({ stableId: 'risk/a@t' }), f({ path: ['threats', 't', 'status'] }), f({ message: 'one' }), f({ message: 'two', range: { start: 50, end: 60 } }), f({ stableId: 'risk/a@t' }),
    ]), ['risk/a@t', 'schema/x@threats.t.status', 'schema/x', 'schema/x#2', 'risk/a@t#2']);
  });

  it('documents a rule id missing from the registry instead of pointing at a wrong rule', () => {
    const l = toSarif([{ uri: 'a.yaml', text: 'x', analysis: { findings: [{ ruleId: 'internal/rule-failed', severity: 'warning', message: 'boom', range: { start: 0, end: 0 } }] } }], opts) as unknown as Log;
    const r = l.runs[0].results[0];
    assert.equal(l.runs[0].tool.driver.rules[r.ruleIndex].id, 'internal/rule-failed');
    assertValid(l);
  });

  it('every example model gives a valid log with unique fingerprints per file', () => {
    const dir = join(__dirname, '..', '..', '..', 'examples');
    const files = readdirSync(dir).filter(n => n.endsWith('.threatmodel.yaml'));
    assert.ok(files.length > 0);
    const l = toSarif(files.map(f => input(readFileSync(join(dir, f), 'utf8'), `examples/${f}`)), opts) as unknown as Log;
    assertValid(l);
    for (const f of files) {
      const fps = l.runs[0].results.filter(r => r.locations[0].physicalLocation.artifactLocation.uri === `examples/${f}`).map(r => r.partialFingerprints['rampart/v1']);
      assert.equal(new Set(fps).size, fps.length, f);
    }
  });

  it('encodes paths as URI references', () => {
    const l = toSarif([input(MODEL, 'my models\\app #1.threatmodel.yaml')], opts) as unknown as Log;
    assert.equal(l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20models/app%20%231.threatmodel.yaml');
    assertValid(l);
  });

  it('B: message.text never carries Markdown link syntax, bidi overrides or control characters from user text', () => {
    const evil = `rampart: 1
title: Links
elements:
  api: { type: process, name: "[click me](javascript:alert(1)) \\u202eevil\\e[31m \\\\[x](1)" }
  "a\\n[y](2)": { type: process, name: Y }
`;
    const l = toSarif([input(evil)], opts) as unknown as Log;
    assertValid(l);
    const texts = l.runs[0].results.flatMap(r => [r.message.text as string, ...((r.relatedLocations ?? []) as { message: { text: string } }[]).map(x => x.message.text)]);
    assert.ok(texts.some(t => t.includes('click me')), 'the name is quoted by some message');
    /** A `[` or `]` that is not escaped by a backslash (a backslash escapes the next character). */
    const unescapedBracket = (t: string) => { for (let i = 0; i < t.length; i++) { if (t[i] === '\\') i++; else if (t[i] === '[' || t[i] === ']') return true; } return false; };
    for (const t of texts) {
      assert.ok(!unescapedBracket(t), t);
      assert.doesNotMatch(t, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/, t);
    }
    assert.ok(texts.some(t => t.includes('\\[click me\\](javascript:alert(1))')), 'brackets are escaped with a backslash');
    assert.ok(texts.some(t => t.includes('\\\\u202eevil\\\\x1b\\[31m')), 'bidi and ESC are visible escapes (their backslash escaped too)');
    assert.equal(sarifText('a\\[b]\nc'), 'a\\\\\\[b\\]\\\\nc');
    assert.equal(sarifText('plain `id` text'), 'plain `id` text');
  });

  it('C: a region that ends between the CR and LF of a CRLF ends within its line', () => {
    const text = 'rampart: 1\r\ntitle: x\r\n';
    const cr = text.indexOf('\r');
    const l = toSarif([{ uri: 'a.yaml', text, analysis: { findings: [
      { ruleId: 'schema/x', severity: 'error', message: 'm', range: { start: 0, end: cr + 1 } },
      { ruleId: 'schema/x', severity: 'error', message: 'm', range: { start: cr + 1, end: cr + 1 } },
      { ruleId: 'schema/x', severity: 'error', message: 'm', range: { start: 12, end: text.length - 1 } },
    ] } }], opts) as unknown as Log;
    const regions = l.runs[0].results.map(r => r.locations[0].physicalLocation.region);
    assert.deepEqual(regions[0], { startLine: 1, startColumn: 1, endLine: 1, endColumn: 11 });
    assert.deepEqual(regions[1], { startLine: 1, startColumn: 11, endLine: 1, endColumn: 11 });
    assert.deepEqual(regions[2], { startLine: 2, startColumn: 1, endLine: 2, endColumn: 9 });
    assertValid(l);
  });

  it('G: the log written piece by piece is exactly the JSON text of the whole log', () => {
    const builder = new SarifLogBuilder({ ...opts, category: 'rampart/', srcRoot: 'file:///repo/' });
    assert.equal([...builder.pieces()].join(''), JSON.stringify(builder.log(), null, 2), 'no results');
    for (const [i, text] of [MODEL, 'rampart: 1\ntitle: [broken\n', '', MODEL.replace(/\n/g, '\r\n')].entries()) builder.add(input(text, `m${i}.threatmodel.yaml`));
    builder.add({ uri: 'x.yaml', text: 'x', analysis: { findings: [{ ruleId: 'internal/rule-failed', severity: 'warning', message: 'boom', range: { start: 0, end: 0 } }] } });
    const whole = builder.log();
    assert.equal([...builder.pieces()].join(''), JSON.stringify(whole, null, 2));
    assertValid(whole);
    const value = { a: 1, list: JSON_ITEMS, z: { deep: [1, 2] } };
    const items = [{ x: [1, { y: 'two\nlines' }] }, 'str', [], {}, null];
    assert.equal([...jsonPieces(value, items.map(x => JSON.stringify(x)))].join(''), JSON.stringify({ ...value, list: items }, null, 2));
    assert.equal([...jsonPieces(value, [])].join(''), JSON.stringify({ ...value, list: [] }, null, 2));
  });

  it('names rules in PascalCase', () => {
    assert.equal(pascalCase('Unmitigated threat above tolerance', 'risk/x'), 'UnmitigatedThreatAboveTolerance');
    assert.equal(pascalCase('', 'risk/expired-acceptance'), 'RiskExpiredAcceptance');
  });
});
