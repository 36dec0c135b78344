/**
 * Offline threat intelligence: feeds parsed (feeds.ts) and indexed once by the adapter into an `IntelIndex`,
 * given to the analysis with the SBOMs the model names (`AnalysisSettings.intel`); the `intel/*` rules match
 * the model's elements with it. Pure: the adapters read the files (src/node/intel.ts for the CLI,
 * src/server/intel.ts for the language server).
 */
import { parseFeed, type ParsedFeed } from './feeds';
import { KevIndex } from './kev';
import { OsvIndex } from './osv';
import type { FeedInfo, FeedProblem, KevEntry, OsvRecord, SbomRead } from './types';

export * from './types';
export { parseFeed, dayOf, MAX_FEED_BYTES, type ParsedFeed } from './feeds';
export { parseSbom, MAX_SBOM_BYTES } from './sbom';
export { KevIndex, productWords, technologyVersion } from './kev';
export { OsvIndex, parsePurl, compareVersions, inRange, type Purl, type OsvMatch } from './osv';

/** The loaded feeds, indexed for matching. */
export interface IntelIndex {
  /** Every feed loaded, in the order given. */
  feeds: FeedInfo[];
  kev?: KevIndex;
  /** The KEV catalog the entries come from (the newest, when several were given). */
  kevFeed?: FeedInfo;
  osv?: OsvIndex;
  /** The feed each OSV record came from. */
  osvFeedOf: ReadonlyMap<OsvRecord, FeedInfo>;
  /** Feed files that could not be used. */
  problems: FeedProblem[];
}

/** What the analysis gets (`AnalysisSettings.intel`): the feeds, and the SBOMs of the model as read by the adapter. */
export interface IntelSettings {
  index: IntelIndex;
  /**
   * The model's SBOMs by the path its `sbom:` entries write: their purls, or why one could not be read.
   * A path missing here has not been read (yet): nothing is said about it.
   */
  sboms?: ReadonlyMap<string, SbomRead>;
}

/** Several OSV feeds read as one (a folder of record files): one name, the newest date, every record. */
export function mergeOsv(name: string, parsed: readonly ParsedFeed[]): ParsedFeed {
  const osv: OsvRecord[] = [];
  let skipped = 0;
  let date: string | undefined;
  for (const p of parsed) {
    if (!p.ok || p.kind !== 'osv') continue;
    osv.push(...p.osv);
    skipped += p.skipped;
    if (p.info.date && (!date || p.info.date > date)) date = p.info.date;
  }
  return { ok: true, kind: 'osv', info: { name, kind: 'osv', ...(date ? { date } : {}), count: osv.length }, osv, skipped };
}

/** Builds the index of parsed feeds; feeds that failed become `problems` (named by `name`). */
export function buildIntelIndex(feeds: readonly { name: string; parsed: ParsedFeed }[], problems: readonly FeedProblem[] = []): IntelIndex {
  const infos: FeedInfo[] = [];
  const kev: KevEntry[] = [];
  const osv: OsvRecord[] = [];
  const osvFeedOf = new Map<OsvRecord, FeedInfo>();
  const out: FeedProblem[] = [...problems];
  let kevFeed: FeedInfo | undefined;
  for (const { name, parsed } of feeds) {
    if (!parsed.ok) { out.push({ feed: name, message: parsed.message }); continue; }
    infos.push(parsed.info);
    if (parsed.kind === 'kev') {
      kev.push(...parsed.kev);
      if (!kevFeed || (parsed.info.date ?? '') > (kevFeed.date ?? '')) kevFeed = parsed.info;
    } else {
      for (const r of parsed.osv) { osv.push(r); osvFeedOf.set(r, parsed.info); }
    }
  }
  return {
    feeds: infos,
    ...(kevFeed ? { kev: new KevIndex(kev), kevFeed } : {}),
    ...(osv.length ? { osv: new OsvIndex(osv) } : {}),
    osvFeedOf,
    problems: out,
  };
}

/** Parses and indexes feed files given as text (tests, and adapters that read them all at once). */
export function loadFeeds(files: readonly { name: string; text: string }[]): IntelIndex {
  return buildIntelIndex(files.map(f => ({ name: f.name, parsed: parseFeed(f.name, f.text) })));
}

/** How a feed is named in messages: `CISA KEV catalog 2025.08.25 (kev.json, released 2025-08-25)`, `OSV feed osv/ (as of 2021-09-15)`. */
export function feedLabel(f: FeedInfo): string {
  if (f.kind === 'kev') return `CISA KEV catalog${f.version ? ` ${f.version}` : ''} (${f.name}${f.date ? `, released ${f.date}` : ''})`;
  return `OSV feed ${f.name}${f.date ? ` (as of ${f.date})` : ''}`;
}

/** A feed as a threat's description names it, without the file's path (a model is committed; a path is a machine's). */
export function feedSource(f: FeedInfo): string {
  if (f.kind === 'kev') return `CISA KEV catalog${f.version ? ` ${f.version}` : ''}${f.date ? ` (released ${f.date})` : ''}`;
  return `OSV${f.date ? ` (records as of ${f.date})` : ''}`;
}

/** Days from the feed's date to `now` (undefined when the feed has no date). */
export function feedAgeDays(f: FeedInfo, now: Date): number | undefined {
  if (!f.date) return undefined;
  const t = Date.parse(`${f.date}T00:00:00Z`);
  if (!Number.isFinite(t)) return undefined;
  return Math.floor((now.getTime() - t) / 86_400_000);
}
