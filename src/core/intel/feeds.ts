/**
 * Reading feed files: CISA's Known Exploited Vulnerabilities catalog (JSON, as published) and OSV records (a
 * single record, an array of them, or `{ "vulns": [...] }` as the OSV API answers). The text comes from a file
 * the user named, possibly from a cloned repository: its shape is checked, sizes are bounded, entries that do
 * not have the shape are skipped (and counted), and an unusable file gets a message that names what is wrong
 * without quoting the file.
 */
import type { FeedInfo, KevEntry, OsvAffected, OsvRecord, RangeEvent } from './types';

/** Largest feed file read (KEV is about 1.3 MB; an ecosystem's OSV export is bigger). */
export const MAX_FEED_BYTES = 64 * 1024 * 1024;
/** Vulnerabilities or records kept from one feed. */
export const MAX_FEED_RECORDS = 250_000;
const MAX_AFFECTED = 1_000;
const MAX_EVENTS = 1_000;
const MAX_VERSIONS = 20_000;
const MAX_ALIASES = 100;
const MAX_CWES = 50;

export type ParsedFeed =
  | { ok: true; kind: 'kev'; info: FeedInfo; kev: KevEntry[]; skipped: number }
  | { ok: true; kind: 'osv'; info: FeedInfo; osv: OsvRecord[]; skipped: number }
  | { ok: false; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
const text = (v: unknown, max: number): string => (typeof v === 'string' ? (v.length > max ? `${v.slice(0, max - 1)}…` : v) : '');
const CVE = /^CVE-\d{4}-\d{4,19}$/;
const CWE = /^CWE-\d{1,5}$/;

/** The day of an ISO date or date-time (`2025-08-25T17:04:19Z` -> `2025-08-25`), when it is one. */
export function dayOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(v);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Where JSON.parse stopped, without the snippet of the file some engines put in the message. */
function jsonError(e: unknown, source: string): string {
  const pos = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
  if (pos === undefined) return 'is not valid JSON';
  const before = source.slice(0, Number(pos));
  const line = before.split('\n').length;
  const column = Number(pos) - before.lastIndexOf('\n');
  return `is not valid JSON (line ${line}, column ${column})`;
}

/** Parses a feed file's text; `name` is how messages name it. Never throws. */
export function parseFeed(name: string, source: string): ParsedFeed {
  if (typeof source !== 'string') return { ok: false, message: 'could not be read as text' };
  if (source.length > MAX_FEED_BYTES) return { ok: false, message: `is larger than ${MAX_FEED_BYTES / 1024 / 1024} MiB, the limit for a feed file` };
  let data: unknown;
  try {
    data = JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  } catch (e) {
    return { ok: false, message: jsonError(e, source) };
  }
  try {
    if (isRecord(data) && ('catalogVersion' in data || 'vulnerabilities' in data)) return parseKev(name, data);
    if (Array.isArray(data) || (isRecord(data) && ('affected' in data || 'vulns' in data || ('id' in data && 'modified' in data)))) return parseOsv(name, data);
  } catch (e) {
    return { ok: false, message: `could not be read (${e instanceof Error ? e.message.slice(0, 200) : 'unexpected content'})` };
  }
  return { ok: false, message: 'is neither a CISA KEV catalog (with `catalogVersion` and `vulnerabilities`) nor OSV records (objects with `id` and `affected`)' };
}

function parseKev(name: string, data: Record<string, unknown>): ParsedFeed {
  const list = data.vulnerabilities;
  if (!Array.isArray(list)) return { ok: false, message: 'looks like a KEV catalog but its `vulnerabilities` is not a list' };
  const date = dayOf(data.dateReleased);
  if (!date) return { ok: false, message: 'looks like a KEV catalog but has no valid `dateReleased` (YYYY-MM-DDTHH:mm:ssZ): without it, how current the feed is cannot be told' };
  const kev: KevEntry[] = [];
  let skipped = 0;
  for (const v of list) {
    if (kev.length >= MAX_FEED_RECORDS) { skipped++; continue; }
    const cve = isRecord(v) ? str(v.cveID, 40) : undefined;
    const vendor = isRecord(v) ? str(v.vendorProject, 200) : undefined;
    const product = isRecord(v) ? str(v.product, 200) : undefined;
    if (!isRecord(v) || !cve || !CVE.test(cve) || !vendor || !product) { skipped++; continue; }
    kev.push({
      cve, vendor, product,
      name: text(v.vulnerabilityName, 200),
      dateAdded: dayOf(v.dateAdded) ?? '',
      dueDate: dayOf(v.dueDate) ?? '',
      ransomware: typeof v.knownRansomwareCampaignUse === 'string' && v.knownRansomwareCampaignUse.trim().toLowerCase() === 'known',
      cwes: Array.isArray(v.cwes) ? v.cwes.filter((c): c is string => typeof c === 'string' && CWE.test(c)).slice(0, MAX_CWES) : [],
    });
  }
  const version = str(data.catalogVersion, 40);
  return { ok: true, kind: 'kev', info: { name, kind: 'kev', date, ...(version ? { version } : {}), count: kev.length }, kev, skipped };
}

function parseOsv(name: string, data: unknown): ParsedFeed {
  const list: unknown[] = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.vulns) ? data.vulns : [data];
  const osv: OsvRecord[] = [];
  let skipped = 0;
  let newest: string | undefined;
  for (const r of list) {
    const rec = osv.length < MAX_FEED_RECORDS ? osvRecord(r) : undefined;
    if (!rec) { skipped++; continue; }
    if (rec === WITHDRAWN) continue;
    osv.push(rec);
    const day = dayOf(rec.modified);
    if (day && (!newest || day > newest)) newest = day;
  }
  if (!osv.length && skipped) return { ok: false, message: `has no OSV record with an \`id\` and \`affected\` packages (${skipped} entr${skipped === 1 ? 'y' : 'ies'} skipped)` };
  return { ok: true, kind: 'osv', info: { name, kind: 'osv', ...(newest ? { date: newest } : {}), count: osv.length }, osv, skipped };
}

const WITHDRAWN = Symbol('withdrawn');

function osvRecord(r: unknown): OsvRecord | typeof WITHDRAWN | undefined {
  if (!isRecord(r)) return undefined;
  const id = str(r.id, 100);
  if (!id || !Array.isArray(r.affected)) return undefined;
  // A withdrawn advisory no longer says anything is affected.
  if (r.withdrawn !== undefined && r.withdrawn !== null) return WITHDRAWN;
  const affected: OsvAffected[] = [];
  for (const a of r.affected.slice(0, MAX_AFFECTED)) {
    if (!isRecord(a) || !isRecord(a.package)) continue;
    const ecosystem = str(a.package.ecosystem, 100);
    const pkgName = str(a.package.name, 300);
    if (!ecosystem || !pkgName) continue;
    const ranges: OsvAffected['ranges'] = [];
    if (Array.isArray(a.ranges)) {
      for (const range of a.ranges.slice(0, MAX_AFFECTED)) {
        // GIT ranges name commits, which a package version cannot be compared with.
        if (!isRecord(range) || (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') || !Array.isArray(range.events)) continue;
        const events: RangeEvent[] = [];
        for (const e of range.events.slice(0, MAX_EVENTS)) {
          if (!isRecord(e)) continue;
          const introduced = str(e.introduced, 100);
          const fixed = str(e.fixed, 100);
          const last = str(e.last_affected, 100);
          const limit = str(e.limit, 100);
          if (introduced) events.push({ introduced });
          else if (fixed) events.push({ fixed });
          else if (last) events.push({ last_affected: last });
          else if (limit) events.push({ limit });
        }
        if (events.length) ranges.push({ type: range.type, events });
      }
    }
    const versions = Array.isArray(a.versions) ? a.versions.slice(0, MAX_VERSIONS).filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100) : [];
    const ds = isRecord(a.database_specific) ? a.database_specific : {};
    const cwes = Array.isArray(ds.cwes) ? ds.cwes.map(c => (isRecord(c) ? c.cweId : c)).filter((c): c is string => typeof c === 'string' && CWE.test(c)).slice(0, MAX_CWES) : [];
    affected.push({ ecosystem, name: pkgName, ranges, versions, cwes });
  }
  if (!affected.length) return undefined;
  const aliases = Array.isArray(r.aliases) ? r.aliases.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 100).slice(0, MAX_ALIASES) : [];
  const ds = isRecord(r.database_specific) ? r.database_specific : {};
  const topCwes = Array.isArray(ds.cwe_ids) ? ds.cwe_ids.filter((c): c is string => typeof c === 'string' && CWE.test(c)) : [];
  let severity: string | undefined;
  if (Array.isArray(r.severity)) {
    const s = r.severity.find(x => isRecord(x) && typeof x.score === 'string' && /^CVSS_V[34]$/.test(String(x.type)));
    if (isRecord(s)) severity = str(s.score, 300);
  }
  severity ??= str(ds.severity, 20);
  return {
    id, aliases,
    summary: text(r.summary, 300) || text(r.details, 300).split('\n')[0],
    modified: typeof r.modified === 'string' ? r.modified.slice(0, 40) : '',
    ...(severity ? { severity } : {}),
    cwes: [...new Set([...topCwes, ...affected.flatMap(a => a.cwes)])].slice(0, MAX_CWES),
    affected,
  };
}
