/** The intel corpus (../shared/corpus/intel) and a model builder for the `intel/*` tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from '../interop/corpus';
import { buildIntelIndex, mergeOsv, parseFeed, type IntelIndex, type KevEntry } from '../../../src/core/intel/index';

export const INTEL = join(CORPUS, 'intel');
export const KEV_FILE = join(INTEL, 'known_exploited_vulnerabilities.json');
export const OSV_DIR = join(INTEL, 'osv');
export const kevText = () => readFileSync(KEV_FILE, 'utf8');
export const osvText = (f: string) => readFileSync(join(OSV_DIR, f), 'utf8');
export const osvFiles = () => readdirSync(OSV_DIR).filter(f => f.endsWith('.osv.json')).sort();

/** The KEV catalog's entries as the JSON has them (read here, independently of the parser under test). */
export function rawKev(): { catalogVersion: string; dateReleased: string; vulnerabilities: Record<string, unknown>[] } {
  return JSON.parse(kevText());
}

let cached: IntelIndex | undefined;
/** The KEV catalog and every OSV example record, indexed as an adapter would. */
export function corpusIndex(): IntelIndex {
  cached ??= buildIntelIndex([
    { name: 'kev.json', parsed: parseFeed('kev.json', kevText()) },
    { name: 'osv/', parsed: mergeOsv('osv/', osvFiles().map(f => parseFeed(f, osvText(f)))) },
  ]);
  return cached;
}

/** A model whose elements are given as YAML lines under `elements:` (indented by four spaces each). */
export function model(elements: string, extra = ''): string {
  return `rampart: 1\ntitle: Shop\nelements:\n${elements}\n${extra}`;
}

export const cves = (entries: readonly KevEntry[]) => entries.map(e => e.cve).sort();
