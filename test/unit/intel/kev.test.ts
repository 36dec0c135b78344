import assert from 'node:assert/strict';
import { KevIndex, parseFeed, productWords, technologyVersion, type KevEntry } from '../../../src/core/intel/index';
import { cves, kevText, rawKev } from './helpers';

const parsed = parseFeed('kev.json', kevText());
const entries: KevEntry[] = parsed.ok && parsed.kind === 'kev' ? parsed.kev : [];
const kev = new KevIndex(entries);
/** The CVEs the catalog lists for a vendor and product, read from the JSON here. */
const listed = (vendor: string, product: (p: string) => boolean) =>
  rawKev().vulnerabilities.filter(v => v.vendorProject === vendor && product(String(v.product))).map(v => String(v.cveID)).sort();

describe('intel: matching technologies with the KEV catalog (product level)', () => {
  it('matches a vendor and product named with a version: Apache HTTP Server 2.4.49', () => {
    const expected = listed('Apache', p => p === 'HTTP Server');
    assert.ok(expected.length > 0);
    assert.deepEqual(cves(kev.match('Apache HTTP Server 2.4.49')), expected);
  });

  it('matches a product named without its vendor, in any case (`tomcat 9`), and only that vendor\'s when a vendor is named', () => {
    assert.deepEqual(cves(kev.match('tomcat 9')), listed('Apache', p => p === 'Tomcat'));
    const linux = cves(kev.match('Linux Kernel 5.10'));
    assert.deepEqual(linux, listed('Linux', p => p === 'Kernel'));
    const android = listed('Android', p => /kernel/i.test(p));
    assert.ok(android.length && android.every(c => !linux.includes(c)), 'Android kernel CVEs are not Linux kernel CVEs');
  });

  it('a product whose vendor and product share a name: git 2.40', () => {
    assert.deepEqual(cves(kev.match('git 2.40')), listed('Git', p => p === 'Git'));
  });

  it('does not match products absent from the catalog, generic words, or a word deep inside another product name', () => {
    assert.deepEqual(kev.match('nginx 1.20.1'), []);
    assert.deepEqual(kev.match('PostgreSQL 15'), []);
    assert.deepEqual(kev.match('Server'), []);
    assert.deepEqual(kev.match('Microsoft'), [], 'a vendor alone names no product');
    const telerik = listed('Telerik', p => /ASP\.NET/.test(p));
    assert.ok(telerik.length);
    assert.ok(cves(kev.match('ASP.NET Core 8')).every(c => !telerik.includes(c)));
  });

  it('knows ransomware use from the catalog, per CVE', () => {
    const raw = rawKev().vulnerabilities;
    for (const e of kev.match('Apache HTTP Server')) {
      const v = raw.find(x => x.cveID === e.cve)!;
      assert.equal(e.ransomware, v.knownRansomwareCampaignUse === 'Known', e.cve);
    }
  });

  it('normalises names: versions, punctuation and glued major versions go', () => {
    assert.deepEqual(productWords('Apache Log4j2 2.14.1'), ['apache', 'log4j']);
    assert.deepEqual(productWords('PAN-OS 10.2'), ['pan']);
    assert.equal(technologyVersion('nginx 1.20.1'), '1.20.1');
    assert.equal(technologyVersion('nginx'), undefined);
    assert.deepEqual(cves(kev.match('log4j 2.14.1')), listed('Apache', p => p === 'Log4j2'));
  });
});
