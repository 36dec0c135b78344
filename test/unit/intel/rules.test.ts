import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { analyze } from '../../../src/core/analyze';
import { computeFix } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { buildIntelIndex, parseFeed, parseSbom, type IntelSettings, type SbomRead } from '../../../src/core/intel/index';
import type { Finding } from '../../../src/core/types';
import { corpusIndex, kevText, model, rawKev } from './helpers';

const NOW = new Date('2025-09-01T00:00:00Z'); // a week after the catalog's release
const intel = (sboms?: Map<string, SbomRead>): IntelSettings => ({ index: corpusIndex(), ...(sboms ? { sboms } : {}) });
const findings = (text: string, settings: IntelSettings = intel(), now = NOW) => analyze(text, { intel: settings, now }).findings.filter(f => f.ruleId.startsWith('intel/'));
const on = (text: string, f: Finding) => text.slice(f.range.start, f.range.end);
const fixOf = (f: Finding) => f.fixes!.find(x => x.kind === 'add-suggested-threat') as Extract<NonNullable<Finding['fixes']>[number], { kind: 'add-suggested-threat' }>;

const WEB = model(`  web:
    type: process
    name: Web server
    technology: Apache HTTP Server 2.4.49
  repo:
    type: process
    name: Build host
    technology: Git 2.40`);

describe('intel rules', () => {
  it('says nothing without feeds', () => {
    assert.deepEqual(analyze(WEB, { now: NOW }).findings.filter(f => f.ruleId.startsWith('intel/')), []);
  });

  it('intel/known-exploited: on the technology line, naming the CVEs, ransomware use and due dates', () => {
    const raw = rawKev().vulnerabilities.filter(v => v.vendorProject === 'Apache' && v.product === 'HTTP Server');
    const [f] = findings(WEB).filter(x => x.ruleId === 'intel/known-exploited' && x.path?.[1] === 'web');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(on(WEB, f), 'Apache HTTP Server 2.4.49');
    for (const v of raw) assert.ok(f.message.includes(String(v.cveID)), String(v.cveID));
    assert.ok(raw.some(v => v.knownRansomwareCampaignUse === 'Known'));
    assert.match(f.message, /ransomware campaigns/);
    assert.match(f.message, /check your version \(2\.4\.49\)/i);
    assert.match(f.message, /CISA KEV catalog 2025\.08\.25 \(kev\.json, released 2025-08-25\)/, 'the feed and its date');
    const dues = raw.map(v => String(v.dueDate)).sort();
    assert.ok(f.message.includes(dues[0]) && f.message.includes(dues.at(-1)!));
  });

  it('likelihood is almost certain with known ransomware use, likely without', () => {
    const fs = findings(WEB).filter(x => x.ruleId === 'intel/known-exploited');
    const web = fixOf(fs.find(x => x.path?.[1] === 'web')!).threat;
    const git = fixOf(fs.find(x => x.path?.[1] === 'repo')!).threat;
    const gitRaw = rawKev().vulnerabilities.filter(v => v.vendorProject === 'Git');
    assert.ok(gitRaw.every(v => v.knownRansomwareCampaignUse !== 'Known'));
    assert.equal(web.likelihood, 'almost-certain');
    assert.equal(git.likelihood, 'likely');
    assert.match(fs.find(x => x.path?.[1] === 'repo')!.message, /none is known to be used in ransomware/);
  });

  it('the fix adds a threat on the element with the CVE ids as tags, the CWE ids and the raised likelihood; the finding then goes', () => {
    const f = findings(WEB).find(x => x.ruleId === 'intel/known-exploited' && x.path?.[1] === 'web')!;
    const fix = fixOf(f);
    const after = applyEdits(WEB, computeFix(WEB, fix));
    const t = parse(after).threats[fix.id];
    const raw = rawKev().vulnerabilities.filter(v => v.vendorProject === 'Apache' && v.product === 'HTTP Server');
    assert.deepEqual(t.targets, ['web']);
    for (const v of raw) assert.ok(t.tags.includes(v.cveID), String(v.cveID));
    const cwes = [...new Set(raw.flatMap(v => (v.cwes as string[]) ?? []))];
    assert.ok(cwes.length);
    assert.deepEqual([...t.cwe].sort(), cwes.sort());
    assert.equal(t.likelihood, 'almost-certain');
    assert.equal(t.status, 'open');
    assert.equal(t.rule, 'intel/known-exploited');
    const a = analyze(after, { intel: intel(), now: NOW });
    assert.equal(a.parsed.valid, true);
    assert.deepEqual(a.findings.filter(x => x.ruleId.startsWith('schema/')).map(x => x.message), []);
    assert.equal(a.findings.filter(x => x.ruleId === 'intel/known-exploited' && x.path?.[1] === 'web').length, 0);
    assert.deepEqual(computeFix(after, fix), [], 'applied twice, it does nothing');
  });

  it('a hand-written threat naming the CVEs tracks them; an element out of scope is not checked', () => {
    const cve = rawKev().vulnerabilities.filter(v => v.vendorProject === 'Git').map(v => String(v.cveID));
    const tracked = model(`  repo:
    type: process
    name: Build host
    technology: Git 2.40
  old:
    type: process
    name: Old
    technology: Git 2.40
    out_of_scope: true`, `threats:
  git-rce:
    title: Git on the build host (${cve.join(', ')})
    targets: [repo]
    status: open
`);
    assert.deepEqual(findings(tracked).filter(x => x.ruleId === 'intel/known-exploited'), []);
    // a CVE id that only starts like one of them tracks nothing
    const prefix = tracked.replace(`(${cve.join(', ')})`, `(${cve[0].slice(0, -1)})`);
    const [f] = findings(prefix).filter(x => x.ruleId === 'intel/known-exploited');
    assert.ok(f && f.message.includes(cve[0]));
  });

  it('intel/vulnerable-component: components and SBOM packages, with advisory, alias, fixed version and feed date', () => {
    const sbom = parseSbom(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [
      { name: 'i18next', purl: 'pkg:npm/i18next@1.10.2' },
      { name: 'outer', components: [{ name: 'shiba', purl: 'pkg:npm/shiba@1.0.0' }] },
      { name: 'safe', purl: 'pkg:npm/i18next@1.10.3' },
    ] }));
    const text = model(`  api:
    type: process
    name: API
    components: [pkg:npm/mixin-deep@1.3.1, pkg:npm/mixin-deep@1.3.2]
    sbom: sbom/api.cdx.json`);
    const fs = findings(text, intel(new Map([['sbom/api.cdx.json', sbom]]))).filter(x => x.ruleId === 'intel/vulnerable-component');
    assert.deepEqual(fs.map(x => on(text, x)), ['pkg:npm/mixin-deep@1.3.1', 'sbom/api.cdx.json', 'sbom/api.cdx.json']);
    const mixin = fs[0];
    assert.match(mixin.message, /GHSA-fhjf-83wg-r2j9 \(CVE-2019-10746, fixed in 1\.3\.2\)/);
    assert.match(mixin.message, /OSV feed osv\/ \(as of \d{4}-\d{2}-\d{2}\)/);
    assert.match(fs[1].message, /i18next@1\.10\.2.*from its SBOM/);
    assert.match(fs[2].message, /shiba@1\.0\.0.*No fixed version/);
    const t = fixOf(mixin).threat;
    assert.deepEqual(t.tags, ['vulnerable-component', 'GHSA-fhjf-83wg-r2j9', 'CVE-2019-10746']);
    assert.deepEqual(t.cwe, ['CWE-88']);
    assert.equal(t.likelihood, 'possible');
    const after = applyEdits(text, computeFix(text, fixOf(mixin)));
    assert.equal(findings(after, intel(new Map([['sbom/api.cdx.json', sbom]]))).filter(x => x.ruleId === 'intel/vulnerable-component').length, 2);
  });

  it('intel/stale-feed: a feed more than 30 days older than the analysis date, with its date', () => {
    const kevOnly = { index: buildIntelIndex([{ name: 'kev.json', parsed: parseFeed('kev.json', kevText()) }]) };
    const released = new Date(`${rawKev().dateReleased.slice(0, 10)}T00:00:00Z`);
    const days = (n: number) => new Date(released.getTime() + n * 86_400_000);
    assert.equal(findings(WEB, kevOnly, days(30)).filter(x => x.ruleId === 'intel/stale-feed').length, 0);
    const [stale] = findings(WEB, kevOnly, days(31)).filter(x => x.ruleId === 'intel/stale-feed');
    assert.ok(stale);
    assert.equal(on(WEB, stale), 'rampart');
    assert.match(stale.message, /31 days old/);
    assert.ok(stale.message.includes(rawKev().dateReleased.slice(0, 10)));
    // a model whose elements name no technology, components or SBOM is not told about the feeds
    assert.equal(findings(model('  a: { type: process, name: A }'), kevOnly, days(100)).length, 0);
  });

  it('a feed that could not be read, and an SBOM that could not be, get a clear finding', () => {
    const index = buildIntelIndex([{ name: 'feeds/kev.json', parsed: parseFeed('feeds/kev.json', '{"catalogVersion": "x"') }]);
    const text = model(`  api:
    type: process
    name: API
    technology: Tomcat 9
    sbom: ../outside.json`);
    const fs = findings(text, { index, sboms: new Map([['../outside.json', { ok: false, message: "is outside the model's folder; only files inside it are read" }]]) });
    const feed = fs.find(x => x.ruleId === 'intel/unreadable-feed')!;
    assert.match(feed.message, /feeds\/kev\.json is not valid JSON/);
    const sbom = fs.find(x => x.ruleId === 'intel/unreadable-sbom')!;
    assert.equal(on(text, sbom), '../outside.json');
    assert.match(sbom.message, /outside the model's folder/);
    assert.match(parseSbom('{"bomFormat": "SPDX"}').ok ? '' : (parseSbom('{"bomFormat": "SPDX"}') as { message: string }).message, /not a CycloneDX JSON SBOM/);
  });
});
