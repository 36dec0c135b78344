import assert from 'node:assert/strict';
import { OsvIndex, compareVersions, inRange, parseFeed, parsePurl, type OsvRecord, type Purl } from '../../../src/core/intel/index';
import { osvText } from './helpers';

function index(...files: string[]): OsvIndex {
  const records: OsvRecord[] = [];
  for (const f of files) {
    const r = parseFeed(f, osvText(f));
    if (r.ok && r.kind === 'osv') records.push(...r.osv);
  }
  return new OsvIndex(records);
}
const purl = (s: string) => parsePurl(s) as Purl;
const ids = (idx: OsvIndex, p: string) => idx.match(purl(p)).map(m => m.record.id);
const fixedOf = (idx: OsvIndex, p: string) => idx.match(purl(p))[0]?.fixed;

describe('intel: matching package URLs with OSV records', () => {
  it('SEMVER range with `introduced: 0` and `fixed`: below the fix is affected, the fix itself is not', () => {
    const idx = index('less_than_equals_with_patch.osv.json');
    const id = JSON.parse(osvText('less_than_equals_with_patch.osv.json')).id;
    assert.deepEqual(ids(idx, 'pkg:npm/i18next@1.10.2'), [id]);
    assert.equal(fixedOf(idx, 'pkg:npm/i18next@1.10.2'), '1.10.3');
    assert.deepEqual(ids(idx, 'pkg:npm/i18next@1.10.3'), [], 'the fixed version');
    assert.deepEqual(ids(idx, 'pkg:npm/i18next@2.0.0'), []);
    assert.deepEqual(ids(idx, 'pkg:npm/i18next'), [], 'no version: nothing can be said');
    assert.deepEqual(ids(idx, 'pkg:npm/other@1.0.0'), []);
  });

  it('two ranges in one range list (events out of order): 1.x below 1.3.2 and 2.0.0 are affected', () => {
    const idx = index('equals_with_patch.osv.json');
    for (const [v, affected, fixed] of [['1.3.1', true, '1.3.2'], ['1.3.2', false], ['1.5.0', false], ['2.0.0', true, '2.0.1'], ['2.0.1', false]] as const) {
      const m = idx.match(purl(`pkg:npm/mixin-deep@${v}`));
      assert.equal(m.length === 1, affected, v);
      if (affected) assert.equal(m[0].fixed, fixed, v);
    }
  });

  it('a pre-release `introduced` (2.1.1-0) and `fixed` 3.0.0 (semver ordering)', () => {
    const idx = index('npm_greater_than.osv.json');
    assert.equal(ids(idx, 'pkg:npm/jquery@2.1.0').length, 0);
    assert.equal(ids(idx, 'pkg:npm/jquery@2.1.1').length, 1);
    assert.equal(ids(idx, 'pkg:npm/jquery@3.0.0-rc1').length, 1, 'a pre-release of the fix is still affected');
    assert.equal(ids(idx, 'pkg:npm/jquery@3.0.0').length, 0);
  });

  it('no fix: every version from `introduced` on is affected, with no fixed version', () => {
    const idx = index('greater_than_equals_no_patch.osv.json', 'less_than_equals_no_patch.osv.json');
    assert.equal(ids(idx, 'pkg:npm/marky-markdown@99.0.0').length, 1);
    const m = idx.match(purl('pkg:npm/shiba@1.0.0'));
    assert.equal(m.length, 1);
    assert.equal(m[0].fixed, undefined);
  });

  it('a `versions` list: only the listed version is affected', () => {
    const idx = index('equals_no_patch.osv.json');
    assert.equal(ids(idx, 'pkg:gem/paranoid2@1.1.6').length, 1);
    assert.equal(ids(idx, 'pkg:gem/paranoid2@1.1.5').length, 0);
  });

  it('ECOSYSTEM ranges of Maven (two-part 12.0) and RubyGems; Maven names are group:artifact', () => {
    const idx = index('maven_greater_than.osv.json', 'full_ranges.osv.json', 'multiple_ranges_in_package.osv.json');
    const xwiki = (v: string) => ids(idx, `pkg:maven/org.xwiki.commons/xwiki-commons-core@${v}`).length;
    assert.deepEqual(['11.6.0', '11.6.1', '11.10.13', '12.0', '12.6.6', '12.6.7', '12.9', '12.10.1', '12.10.2', '13.0'].map(xwiki), [0, 1, 0, 1, 1, 0, 0, 1, 0, 0]);
    assert.equal(ids(idx, 'pkg:maven/com.typesafe.akka/akka-actor_2.12@2.5.15').length, 1);
    assert.equal(ids(idx, 'pkg:maven/com.typesafe.akka/akka-actor_2.11@2.5.16').length, 0);
    assert.equal(ids(idx, 'pkg:gem/passenger@3.0.20').length, 1);
    assert.equal(ids(idx, 'pkg:gem/passenger@3.0.21').length, 0);
    assert.equal(ids(idx, 'pkg:gem/passenger@4.0.4').length, 1);
  });

  it('PyPI names are compared as PEP 503 normalises them', () => {
    const idx = index('pypi_normalize.osv.json');
    assert.equal(ids(idx, 'pkg:pypi/Products.PluggableAuthService@2.6.0').length, 1);
    assert.equal(ids(idx, 'pkg:pypi/products_pluggableauthservice@2.6.0').length, 1);
    assert.equal(ids(idx, 'pkg:pypi/products-pluggableauthservice@2.6.1').length, 0);
  });

  it('a withdrawn advisory affects nothing', () => {
    const idx = index('withdrawn.osv.json');
    assert.equal(idx.size, 0);
    assert.equal(ids(idx, 'pkg:gem/activesupport@4.1.0').length, 0);
  });

  it('`last_affected` includes its own version and ends the range after it; `limit` ends it', () => {
    const events = [{ introduced: '1.0.0' }, { last_affected: '1.4.2' }];
    assert.equal(inRange('0.9.0', events).affected, false);
    assert.equal(inRange('1.0.0', events).affected, true);
    assert.equal(inRange('1.4.2', events).affected, true);
    assert.equal(inRange('1.4.3', events).affected, false);
    assert.equal(inRange('1.5.0', [{ introduced: '0' }, { limit: '1.5.0' }]).affected, false);
    assert.equal(inRange('1.4.9', [{ introduced: '0' }, { limit: '1.5.0' }]).affected, true);
  });

  it('orders versions that are not semver part by part, a pre-release word before the release', () => {
    assert.ok(compareVersions('12.0', '12.6.7') < 0);
    assert.ok(compareVersions('1.2.3.4', '1.2.3.10') < 0);
    assert.ok(compareVersions('4.0.0.beta1', '4.0.0') < 0);
    assert.ok(compareVersions('2.0rc1', '2.0') < 0);
    assert.ok(compareVersions('1.0.Final', '1.0.1') < 0);
    assert.equal(compareVersions('v1.2.3', '1.2.3'), 0);
  });

  it('reads package URLs with the package-url library, and says why one cannot be used', () => {
    assert.deepEqual(parsePurl('pkg:npm/%40babel/core@7.0.0'), { text: 'pkg:npm/%40babel/core@7.0.0', ecosystem: 'npm', name: '@babel/core', version: '7.0.0' });
    assert.equal((parsePurl('pkg:golang/github.com/gin-gonic/gin@v1.9.0') as Purl).name, 'github.com/gin-gonic/gin');
    assert.ok('error' in parsePurl('pkg:npm/'));
    assert.match((parsePurl('pkg:unknowntype/x@1') as { error: string }).error, /no OSV ecosystem/);
  });
});
