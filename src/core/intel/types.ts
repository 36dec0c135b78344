/**
 * Offline threat intelligence as plain data: the feeds a user points Rampart at (CISA's Known Exploited
 * Vulnerabilities catalog, OSV records), parsed and indexed once by the adapter, and the SBOMs a model names.
 * Nothing here is ever downloaded: an adapter reads local files and hands the result to the analysis
 * (`AnalysisSettings.intel`).
 */

/** One entry of CISA's KEV catalog, as far as Rampart uses it (strings bounded when read). */
export interface KevEntry {
  cve: string;
  vendor: string;
  product: string;
  name: string;
  dateAdded: string;
  dueDate: string;
  /** `knownRansomwareCampaignUse: Known`. */
  ransomware: boolean;
  cwes: string[];
}

export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

/** One `affected[]` entry of an OSV record: a package and the versions of it the advisory affects. */
export interface OsvAffected {
  /** The ecosystem as written (`npm`, `PyPI`, `Debian:11`). */
  ecosystem: string;
  name: string;
  ranges: { type: 'SEMVER' | 'ECOSYSTEM'; events: RangeEvent[] }[];
  versions: string[];
  cwes: string[];
}

/** An OSV vulnerability record, as far as Rampart uses it. */
export interface OsvRecord {
  id: string;
  aliases: string[];
  summary: string;
  modified: string;
  /** A CVSS vector (`severity[].score`) or a database's word (`database_specific.severity`: HIGH). */
  severity?: string;
  cwes: string[];
  affected: OsvAffected[];
}

/** A feed as loaded: which file, what kind, and how current it is. */
export interface FeedInfo {
  /** What the user named (a path as given): shown in messages. */
  name: string;
  kind: 'kev' | 'osv';
  /** The feed's date, YYYY-MM-DD: KEV `dateReleased`, OSV the newest record's `modified`. */
  date?: string;
  /** KEV `catalogVersion`. */
  version?: string;
  /** Vulnerabilities (KEV) or records (OSV) read. */
  count: number;
}

/** A feed file that could not be used, and why (a message for the user, never the file's content). */
export interface FeedProblem {
  feed: string;
  message: string;
}

/** The components of an SBOM named by an element's `sbom:` (read by the adapter), or why it could not be read. */
export type SbomRead = { ok: true; purls: string[]; skipped: number } | { ok: false; message: string };
