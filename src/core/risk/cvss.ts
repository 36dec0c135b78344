/**
 * CVSS 3.0 / 3.1 / 4.0 vectors: strict validation with messages a user can act on, then base scoring with
 * the maintained `ae-cvss-calculator` library (no scoring formula is written here).
 *
 * Why this library and not `@pandatix/js-cvss`: both agree on FIRST's published examples, but over the whole
 * base-vector space js-cvss 0.4.4 gets some scores wrong (its 3.x Roundup returns 7.46 for
 * `CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N`, which must be 7.5) and rounds 4.0 scores without the
 * reference calculator's epsilon fix (8.5 instead of 8.6 for the vector of RedHatProductSecurity/
 * cvss-v4-calculator#66). ae-cvss-calculator matches the reference on both. It is lenient as a parser
 * (duplicates, a missing prefix, an unknown version are silently accepted), so the grammar below is checked
 * first, from the metric tables of the specifications.
 *
 * Decisions:
 * - `baseScore` is the score of the base metrics only, for every version (for 4.0: CVSS-B); `severity` is
 *   FIRST's qualitative rating of that score, and it is what `cvssLevel` maps to a risk level.
 *   `score` is the score of the whole vector as written (3.x: environmental, else temporal, else base;
 *   4.0: the score of the vector with its threat and environmental metrics, named by `nomenclature`).
 * - 3.x metrics may come in any order (the 3.x specifications prefer, not require, the table order);
 *   4.0 metrics must follow the specification's order, as FIRST's 4.0 calculator requires.
 * - Metric names and values are case-sensitive, as in the specifications; CVSS 2.0 is not supported.
 */
import { Cvss3P0, Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import type { Level } from '../model/schema';

export type CvssVersion = '3.0' | '3.1' | '4.0';
export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface CvssScore {
  ok: true;
  version: CvssVersion;
  vector: string;
  /** Base score (base metrics only), 0.0 to 10.0. */
  baseScore: number;
  /** FIRST's qualitative rating of the base score. */
  severity: CvssSeverity;
  /** Score of the whole vector (with temporal/threat and environmental metrics when present). */
  score: number;
  /** CVSS 4.0 nomenclature of `score`: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE. */
  nomenclature?: string;
}
export interface CvssError {
  ok: false;
  error: string;
}

type MetricTable = readonly (readonly [metric: string, values: readonly string[], mandatory: boolean])[];

const CIA3 = ['N', 'L', 'H'];
/** CVSS 3.0 and 3.1 share their metrics (Tables 12/15 of the specifications). */
const METRICS_3: MetricTable = [
  ['AV', ['N', 'A', 'L', 'P'], true], ['AC', ['L', 'H'], true], ['PR', ['N', 'L', 'H'], true],
  ['UI', ['N', 'R'], true], ['S', ['U', 'C'], true], ['C', CIA3, true], ['I', CIA3, true], ['A', CIA3, true],
  ['E', ['X', 'U', 'P', 'F', 'H'], false], ['RL', ['X', 'O', 'T', 'W', 'U'], false], ['RC', ['X', 'U', 'R', 'C'], false],
  ['CR', ['X', 'L', 'M', 'H'], false], ['IR', ['X', 'L', 'M', 'H'], false], ['AR', ['X', 'L', 'M', 'H'], false],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], false], ['MAC', ['X', 'L', 'H'], false], ['MPR', ['X', 'N', 'L', 'H'], false],
  ['MUI', ['X', 'N', 'R'], false], ['MS', ['X', 'U', 'C'], false],
  ['MC', ['X', ...CIA3], false], ['MI', ['X', ...CIA3], false], ['MA', ['X', ...CIA3], false],
];

const HLN = ['H', 'L', 'N'];
/** CVSS 4.0, in the order of Table 23 of the specification. */
const METRICS_4: MetricTable = [
  ['AV', ['N', 'A', 'L', 'P'], true], ['AC', ['L', 'H'], true], ['AT', ['N', 'P'], true],
  ['PR', ['N', 'L', 'H'], true], ['UI', ['N', 'P', 'A'], true],
  ['VC', HLN, true], ['VI', HLN, true], ['VA', HLN, true], ['SC', HLN, true], ['SI', HLN, true], ['SA', HLN, true],
  ['E', ['X', 'A', 'P', 'U'], false],
  ['CR', ['X', 'H', 'M', 'L'], false], ['IR', ['X', 'H', 'M', 'L'], false], ['AR', ['X', 'H', 'M', 'L'], false],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], false], ['MAC', ['X', 'L', 'H'], false], ['MAT', ['X', 'N', 'P'], false],
  ['MPR', ['X', 'N', 'L', 'H'], false], ['MUI', ['X', 'N', 'P', 'A'], false],
  ['MVC', ['X', ...HLN], false], ['MVI', ['X', ...HLN], false], ['MVA', ['X', ...HLN], false],
  ['MSC', ['X', ...HLN], false], ['MSI', ['X', 'S', ...HLN], false], ['MSA', ['X', 'S', ...HLN], false],
  ['S', ['X', 'N', 'P'], false], ['AU', ['X', 'N', 'Y'], false], ['R', ['X', 'A', 'U', 'I'], false],
  ['V', ['X', 'D', 'C'], false], ['RE', ['X', 'L', 'M', 'H'], false],
  ['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], false],
];

const TABLES: Record<CvssVersion, MetricTable> = { '3.0': METRICS_3, '3.1': METRICS_3, '4.0': METRICS_4 };
const PREFIX = /^CVSS:(\d+\.\d+)\//;

const list = (xs: readonly string[]) => xs.join(', ');

/** Parses and checks a vector against its version's grammar; the metrics in the order written. */
function validate(vector: string): { version: CvssVersion; metrics: Map<string, string> } | { error: string } {
  if (typeof vector !== 'string' || vector.trim() === '') return { error: 'the CVSS vector is empty' };
  if (vector !== vector.trim()) return { error: 'the CVSS vector has leading or trailing spaces' };
  const m = PREFIX.exec(vector);
  if (!m) {
    if (/^\(?AV:[LAN]\/AC:[HML]\/Au:/.test(vector)) return { error: 'CVSS 2.0 vectors are not supported: write a CVSS:3.1/ or CVSS:4.0/ vector' };
    return { error: 'a CVSS vector starts with CVSS:3.1/ or CVSS:4.0/ (or CVSS:3.0/), e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };
  }
  const version = m[1];
  if (version !== '3.0' && version !== '3.1' && version !== '4.0') {
    return { error: `CVSS version ${version} is not supported: use 3.1 or 4.0 (or 3.0)` };
  }
  const table = TABLES[version];
  const byName = new Map(table.map(([name, values], i) => [name, { values, i }]));
  const metrics = new Map<string, string>();
  let lastIndex = -1;
  let lastName = '';
  for (const part of vector.slice(m[0].length).split('/')) {
    if (part === '') return { error: 'the CVSS vector has an empty part (a doubled or trailing "/")' };
    const kv = /^([^:]+):([^:]+)$/.exec(part);
    if (!kv) return { error: `"${part}" is not a metric: write NAME:VALUE, e.g. AV:N` };
    const [, name, value] = kv;
    const def = byName.get(name);
    if (!def) {
      const hint = byName.has(name.toUpperCase()) ? ` (metric names are upper case: ${name.toUpperCase()})` : '';
      return { error: `unknown CVSS ${version} metric ${name}${hint}` };
    }
    if (metrics.has(name)) return { error: `metric ${name} appears twice in the CVSS vector` };
    if (!def.values.includes(value)) {
      return { error: `${value} is not a value of CVSS ${version} metric ${name}: use one of ${list(def.values)}` };
    }
    if (version === '4.0' && def.i < lastIndex) {
      return { error: `in a CVSS 4.0 vector ${name} must come before ${lastName}: write the metrics in the specification's order (AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA, then E, CR, IR, AR, M..., supplemental)` };
    }
    lastIndex = def.i;
    lastName = name;
    metrics.set(name, value);
  }
  const missing = table.filter(([name, , mandatory]) => mandatory && !metrics.has(name)).map(([name]) => name);
  if (missing.length > 0) {
    return { error: `the CVSS ${version} vector lacks the base metric${missing.length > 1 ? 's' : ''} ${list(missing)}` };
  }
  return { version, metrics };
}

/** FIRST's qualitative severity rating scale (same for 3.x and 4.0). */
export function cvssSeverity(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

const cache = new Map<string, CvssScore | CvssError>();
const CACHE_LIMIT = 1000;

/** Validates a CVSS 3.0/3.1/4.0 vector and scores it; the result says why when the vector is invalid. */
export function scoreCvss(vector: string): CvssScore | CvssError {
  const hit = cache.get(vector);
  if (hit) return hit;
  const result = compute(vector);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(vector, result);
  return result;
}

function compute(vector: string): CvssScore | CvssError {
  const checked = validate(vector);
  if ('error' in checked) return { ok: false, error: checked.error };
  const { version } = checked;
  try {
    if (version === '4.0') {
      const v = new Cvss4P0(vector);
      const s = v.calculateScores();
      const baseScore = s.baseMetricsOnly;
      if (typeof baseScore !== 'number' || !Number.isFinite(baseScore)) return { ok: false, error: 'the CVSS 4.0 vector could not be scored' };
      const defined = [...checked.metrics].filter(([, val]) => val !== 'X').map(([k]) => k);
      const threat = defined.includes('E');
      const env = defined.some(k => k === 'CR' || k === 'IR' || k === 'AR' || k.startsWith('M'));
      return {
        ok: true, version, vector, baseScore, severity: cvssSeverity(baseScore),
        score: s.overall, nomenclature: `CVSS-B${threat ? 'T' : ''}${env ? 'E' : ''}`,
      };
    }
    const v = version === '3.1' ? new Cvss3P1(vector) : new Cvss3P0(vector);
    const s = v.calculateScores();
    const baseScore = s.base;
    if (typeof baseScore !== 'number' || !Number.isFinite(baseScore)) return { ok: false, error: `the CVSS ${version} vector could not be scored` };
    return { ok: true, version, vector, baseScore, severity: cvssSeverity(baseScore), score: s.overall };
  } catch (e) {
    return { ok: false, error: `the CVSS ${version} vector could not be scored (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** The validation message for a vector, or undefined when it is valid (for the `risk/invalid-cvss` rule). */
export function cvssIssue(vector: string): string | undefined {
  const r = scoreCvss(vector);
  return r.ok ? undefined : r.error;
}

/** The risk level a CVSS score stands for: its qualitative severity, with `none` counted as low. */
export function cvssLevel(score: CvssScore): Level {
  return score.severity === 'none' ? 'low' : score.severity;
}
