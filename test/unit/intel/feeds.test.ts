import assert from 'node:assert/strict';
import { buildIntelIndex, loadFeeds, parseFeed } from '../../../src/core/intel/index';
import { kevText, osvFiles, osvText, rawKev } from './helpers';

describe('intel feeds: reading KEV and OSV files', () => {
  it('reads the CISA KEV catalog with its version, release day and every vulnerability', () => {
    const raw = rawKev();
    const r = parseFeed('kev.json', kevText());
    assert.ok(r.ok && r.kind === 'kev');
    assert.equal(r.info.version, raw.catalogVersion);
    assert.equal(r.info.date, raw.dateReleased.slice(0, 10));
    assert.equal(r.kev.length, raw.vulnerabilities.length);
    assert.equal(r.skipped, 0);
    const known = raw.vulnerabilities.filter(v => v.knownRansomwareCampaignUse === 'Known').length;
    assert.equal(r.kev.filter(k => k.ransomware).length, known);
  });

  it('reads single OSV records, arrays of them and the OSV API shape; the feed date is the newest `modified`', () => {
    const texts = osvFiles().map(osvText);
    const records = texts.map(t => JSON.parse(t));
    const array = parseFeed('all.json', JSON.stringify(records));
    assert.ok(array.ok && array.kind === 'osv');
    const live = records.filter(r => !r.withdrawn);
    assert.deepEqual(array.osv.map(r => r.id).sort(), live.map(r => r.id).sort(), 'withdrawn advisories are left out');
    assert.equal(array.info.date, live.map(r => String(r.modified).slice(0, 10)).sort().at(-1));
    const api = parseFeed('api.json', JSON.stringify({ vulns: records }));
    assert.ok(api.ok && api.kind === 'osv');
    assert.equal(api.osv.length, array.osv.length);
    const one = parseFeed('one.json', texts[0]);
    assert.ok(one.ok && one.kind === 'osv' && one.osv.length === 1);
  });

  it('keeps CWE ids, aliases and events of an OSV record', () => {
    const r = parseFeed('x', osvText('equals_with_patch.osv.json'));
    assert.ok(r.ok && r.kind === 'osv');
    const rec = r.osv[0];
    assert.deepEqual(rec.aliases, ['CVE-2019-10746']);
    assert.deepEqual(rec.cwes, ['CWE-88']);
    assert.equal(rec.affected[0].ranges[0].events.length, 4);
  });

  it('says what is wrong with a bad file, without quoting it and without throwing', () => {
    const secret = 'TOP-SECRET-CONTENT';
    const cases: [string, RegExp][] = [
      [`{"catalogVersion": "1", "${secret}": `, /not valid JSON/],
      [`["${secret}"`, /not valid JSON/],
      [`{"${secret}": 1}`, /neither a CISA KEV catalog .* nor OSV records/],
      ['{"catalogVersion": "1", "vulnerabilities": {}}', /`vulnerabilities` is not a list/],
      ['{"catalogVersion": "1", "dateReleased": "yesterday", "vulnerabilities": []}', /no valid `dateReleased`/],
      [`[{"id": "${secret}"}]`, /no OSV record/],
      ['', /not valid JSON/],
    ];
    for (const [text, message] of cases) {
      const r = parseFeed('bad.json', text);
      assert.equal(r.ok, false, text);
      assert.match((r as { message: string }).message, message, text);
      assert.ok(!(r as { message: string }).message.includes(secret), 'the file is not quoted');
    }
  });

  it('skips KEV entries without a CVE id, vendor or product and counts them', () => {
    const raw = rawKev();
    const broken = { ...raw, vulnerabilities: [...raw.vulnerabilities.slice(0, 3), { cveID: 'not-a-cve', vendorProject: 'x', product: 'y' }, { cveID: 'CVE-2020-0001' }, 'junk'] };
    const r = parseFeed('kev.json', JSON.stringify(broken));
    assert.ok(r.ok && r.kind === 'kev');
    assert.equal(r.kev.length, 3);
    assert.equal(r.skipped, 3);
  });

  it('an index lists the feeds it could use and the problems of the others', () => {
    const index = loadFeeds([{ name: 'kev.json', text: kevText() }, { name: 'broken.json', text: '{' }]);
    assert.deepEqual(index.feeds.map(f => f.name), ['kev.json']);
    assert.deepEqual(index.problems.map(p => p.feed), ['broken.json']);
    assert.ok(index.kev && index.kev.size > 1000);
    assert.equal(buildIntelIndex([]).kev, undefined);
  });
});
