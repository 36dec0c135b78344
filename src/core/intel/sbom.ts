/**
 * Reading a CycloneDX JSON SBOM (an element's `sbom:`) for the package URLs of its components, nested ones
 * included. The file comes from the repository: bounded in size, components and depth; a file that is not a
 * CycloneDX JSON document gets a message that does not quote it.
 */
import type { SbomRead } from './types';

export const MAX_SBOM_BYTES = 32 * 1024 * 1024;
const MAX_COMPONENTS = 50_000;
const MAX_DEPTH = 32;

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The purls of a CycloneDX JSON SBOM's components (`skipped`: components without a purl). Never throws. */
export function parseSbom(source: string): SbomRead {
  if (typeof source !== 'string') return { ok: false, message: 'could not be read as text' };
  if (source.length > MAX_SBOM_BYTES) return { ok: false, message: `is larger than ${MAX_SBOM_BYTES / 1024 / 1024} MiB, the limit for an SBOM` };
  let data: unknown;
  try {
    data = JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  } catch {
    return { ok: false, message: 'is not valid JSON (Rampart reads CycloneDX JSON SBOMs)' };
  }
  if (!isRecord(data) || data.bomFormat !== 'CycloneDX') return { ok: false, message: 'is not a CycloneDX JSON SBOM (`"bomFormat": "CycloneDX"`)' };
  const purls = new Set<string>();
  let skipped = 0;
  let seen = 0;
  const walk = (list: unknown, depth: number) => {
    if (!Array.isArray(list) || depth > MAX_DEPTH) return;
    for (const c of list) {
      if (++seen > MAX_COMPONENTS) return;
      if (!isRecord(c)) continue;
      if (typeof c.purl === 'string' && c.purl.startsWith('pkg:') && c.purl.length <= 1000) purls.add(c.purl);
      else skipped++;
      walk(c.components, depth + 1);
    }
  };
  walk(data.components, 0);
  return { ok: true, purls: [...purls], skipped };
}
