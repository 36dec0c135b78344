/**
 * Matching package URLs (`pkg:npm/lodash@4.17.20`, from an element's `components:` or its SBOM) with OSV
 * records: the purl's type gives the OSV ecosystem, its namespace and name the package name as OSV writes it,
 * and its version is checked against each `affected[]` entry's `versions` list and `ranges` (SEMVER and
 * ECOSYSTEM; GIT ranges name commits and are not read).
 *
 * A range is evaluated as the OSV schema says: its events sorted by version, a version is affected when the
 * last event at or below it is an `introduced` (`fixed` and `limit` end the range at their version,
 * `last_affected` just after it). Versions are compared with the `semver` package; versions that are not
 * semantic versions (Maven's `12.0`, `1.2.3.4`, Ruby's `4.0.0.beta1`, PyPI's `2.0rc1`) are compared part by
 * part, numbers as numbers, a pre-release word before the release: close to, not exactly, each ecosystem's
 * own ordering (PEP 440, Maven's ComparableVersion, dpkg).
 */
import { PackageURL } from 'packageurl-js';
import { compare as semverCompare, parse as semverParse, type SemVer } from 'semver';
import type { OsvAffected, OsvRecord, RangeEvent } from './types';

/** purl type -> OSV ecosystem (lower case; OSV's `Debian:11` is matched by the part before `:`). */
const ECOSYSTEMS: Record<string, string> = {
  npm: 'npm', pypi: 'pypi', maven: 'maven', gem: 'rubygems', golang: 'go', cargo: 'crates.io', nuget: 'nuget',
  composer: 'packagist', hex: 'hex', pub: 'pub', hackage: 'hackage', cran: 'cran', swift: 'swifturl',
  cocoapods: 'cocoapods', conan: 'conancenter', bitnami: 'bitnami', deb: 'debian', apk: 'alpine', rpm: 'red hat',
  github: 'github actions',
};
/** Ecosystems whose package names compare without case. */
const CASELESS = new Set(['pypi', 'nuget', 'npm', 'packagist', 'rubygems', 'hex', 'pub', 'cran', 'debian', 'ubuntu', 'alpine']);

export interface Purl {
  /** The purl as written. */
  text: string;
  ecosystem: string;
  /** The package name as OSV writes it (`@babel/core`, `org.example:lib`, `github.com/x/y`). */
  name: string;
  version?: string;
}

/** Reads a package URL (with the package-url reference library); undefined and why when it is not one. */
export function parsePurl(text: string): Purl | { error: string } {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(text);
  } catch (e) {
    return { error: e instanceof Error ? e.message.replace(/^Invalid purl:\s*/i, '') : 'not a package URL' };
  }
  const type = p.type.toLowerCase();
  let ecosystem = ECOSYSTEMS[type];
  if (!ecosystem) return { error: `the package type \`${type}\` has no OSV ecosystem Rampart knows` };
  const ns = p.namespace ?? '';
  if (type === 'deb' && ns.toLowerCase() === 'ubuntu') ecosystem = 'ubuntu';
  let name: string;
  if (type === 'maven') name = ns ? `${ns}:${p.name}` : p.name;
  else if (type === 'npm' || type === 'golang' || type === 'composer' || type === 'swift' || type === 'github') name = ns ? `${ns}/${p.name}` : p.name;
  else name = p.name;
  return { text, ecosystem, name, ...(p.version ? { version: p.version } : {}) };
}

/** How a package name is compared within an ecosystem (PyPI as PEP 503 normalises it). */
export function packageKey(ecosystem: string, name: string): string {
  const eco = ecosystem.split(':')[0].trim().toLowerCase();
  let n = name.trim();
  if (eco === 'pypi') n = n.replace(/[-_.]+/g, '-');
  if (CASELESS.has(eco)) n = n.toLowerCase();
  return `${eco}\u0000${n}`;
}

const semverCache = new Map<string, SemVer | null>();
function asSemver(v: string): SemVer | null {
  let hit = semverCache.get(v);
  if (hit !== undefined) return hit;
  const s = v.replace(/^v(?=\d)/, '');
  hit = semverParse(s) ?? (/^\d+(?:\.\d+)?$/.test(s) ? semverParse(s.split('.').concat(['0', '0']).slice(0, 3).join('.')) : null);
  if (semverCache.size > 10_000) semverCache.clear();
  semverCache.set(v, hit);
  return hit;
}

/** Pre-release words, ordered before the release itself (Maven, PyPI, Ruby). */
const PRE = ['dev', 'snapshot', 'alpha', 'a', 'beta', 'b', 'milestone', 'm', 'rc', 'cr', 'pre', 'preview'];
/** Words that mark the release itself or a build after it. */
const POST = ['final', 'ga', 'release', 'sp', 'post', 'p', 'patch', 'r'];

function parts(v: string): (number | string)[] {
  return (v.replace(/^v(?=\d)/i, '').toLowerCase().match(/\d+|[a-z]+/g) ?? []).map(p => (/^\d/.test(p) ? Number(p) : p));
}

function partRank(p: number | string | undefined): number {
  if (p === undefined) return 0; // the end of the version
  if (typeof p === 'number') return 2;
  if (POST.includes(p)) return 1;
  return -1; // a pre-release word, or another word
}

/** Compares two versions: semver when both are, else part by part. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const sa = asSemver(a);
  const sb = asSemver(b);
  if (sa && sb) return semverCompare(sa, sb);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'string' && typeof y === 'string') {
      const ix = PRE.indexOf(x);
      const iy = PRE.indexOf(y);
      if (ix >= 0 && iy >= 0) return ix < iy ? -1 : 1;
      const rx = partRank(x);
      const ry = partRank(y);
      if (rx !== ry) return rx < ry ? -1 : 1;
      return x < y ? -1 : 1;
    }
    // a number against a word or the end; a word against the end
    const rx = x === undefined && typeof y === 'number' ? 0 : partRank(x);
    const ry = y === undefined && typeof x === 'number' ? 0 : partRank(y);
    if (rx !== ry) return rx < ry ? -1 : 1;
  }
  return 0;
}

const eventVersion = (e: RangeEvent) => ('introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit);

/** Whether `version` is in a range (OSV's evaluation), and the first fixed version above it when there is one. */
export function inRange(version: string, events: readonly RangeEvent[]): { affected: boolean; fixed?: string } {
  const key = (e: RangeEvent) => eventVersion(e);
  const sorted = [...events].sort((x, y) => {
    const vx = key(x);
    const vy = key(y);
    if (vx === '0') return vy === '0' ? 0 : -1;
    if (vy === '0') return 1;
    return compareVersions(vx, vy);
  });
  let affected = false;
  for (const e of sorted) {
    const v = key(e);
    if ('introduced' in e) {
      if (v === '0' || compareVersions(version, v) >= 0) affected = true;
    } else if ('fixed' in e || 'limit' in e) {
      if (compareVersions(version, v) >= 0) affected = false;
    } else if (compareVersions(version, v) > 0) {
      affected = false;
    }
  }
  if (!affected) return { affected };
  const fixed = sorted.find((e): e is { fixed: string } => 'fixed' in e && compareVersions(e.fixed, version) > 0);
  return fixed ? { affected, fixed: fixed.fixed } : { affected };
}

/** Whether one `affected[]` entry covers the version: its `versions` list, or one of its ranges. */
export function affects(a: OsvAffected, version: string): { affected: boolean; fixed?: string } {
  const bare = version.replace(/^v(?=\d)/, '');
  if (a.versions.some(v => v === version || v.replace(/^v(?=\d)/, '') === bare)) {
    const fixed = a.ranges.flatMap(r => inRange(version, r.events).fixed ?? []);
    return fixed.length ? { affected: true, fixed: fixed[0] } : { affected: true };
  }
  for (const r of a.ranges) {
    const res = inRange(version, r.events);
    if (res.affected) return res;
  }
  return { affected: false };
}

export interface OsvMatch {
  record: OsvRecord;
  /** The first fixed version above the component's, when the record names one. */
  fixed?: string;
}

/** The OSV records of one or more feeds, indexed by ecosystem and package name. */
export class OsvIndex {
  private readonly byPackage = new Map<string, { record: OsvRecord; affected: OsvAffected }[]>();
  readonly size: number;

  constructor(records: readonly OsvRecord[]) {
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      for (const affected of record.affected) {
        const k = packageKey(affected.ecosystem, affected.name);
        const list = this.byPackage.get(k);
        if (list) list.push({ record, affected });
        else this.byPackage.set(k, [{ record, affected }]);
      }
    }
    this.size = seen.size;
  }

  /** The records that affect the purl's version (none when the purl has no version). */
  match(purl: Purl): OsvMatch[] {
    if (!purl.version) return [];
    const out = new Map<string, OsvMatch>();
    for (const { record, affected } of this.byPackage.get(packageKey(purl.ecosystem, purl.name)) ?? []) {
      if (out.has(record.id)) continue;
      const r = affects(affected, purl.version);
      if (r.affected) out.set(record.id, { record, ...(r.fixed ? { fixed: r.fixed } : {}) });
    }
    return [...out.values()].sort((a, b) => a.record.id.localeCompare(b.record.id));
  }
}
