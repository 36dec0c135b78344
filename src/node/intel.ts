/**
 * Reading threat-intelligence feeds and SBOMs from disk for the CLI and the language server (the core parses
 * and matches, src/core/intel). Never any network access: only files the user named.
 *
 * - A feed is a file (a KEV catalog, or OSV records) or a folder of OSV record files (`*.json`, not
 *   recursive, as an OSV export unpacks): the folder's records become one feed, named as the folder was given;
 *   its files that are not OSV records are skipped and counted.
 * - An SBOM is read only inside the model's folder tree (never through a link that leads out), only a regular
 *   file, within the size limit.
 * Messages name the file and what is wrong, never its content.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildIntelIndex, mergeOsv, parseFeed, parseSbom, MAX_FEED_BYTES, MAX_SBOM_BYTES, type FeedProblem, type IntelIndex, type ParsedFeed, type SbomRead } from '../core/intel/index';
import type { Model } from '../core/model/schema';

/** Files read from one feed folder, and their total size. */
export const MAX_FEED_FOLDER_FILES = 200_000;
const MAX_FEED_FOLDER_BYTES = 1024 * 1024 * 1024;

export interface FeedRead {
  name: string;
  parsed: ParsedFeed;
  /** Files of a folder that were not feeds (name: why), for a note. */
  skipped: { file: string; message: string }[];
}

const errorText = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
};

/** Reads one feed (file or folder) synchronously; `name` is how messages name it (the path as given). */
export function readFeedSync(abs: string, name: string): FeedRead {
  let st: fs.Stats;
  try { st = fs.statSync(abs); } catch (e) { return { name, parsed: { ok: false, message: errorText(e) }, skipped: [] }; }
  if (st.isDirectory()) {
    let entries: string[];
    try { entries = fs.readdirSync(abs).filter(f => f.toLowerCase().endsWith('.json')).sort(); } catch (e) { return { name, parsed: { ok: false, message: errorText(e) }, skipped: [] }; }
    const parsed: ParsedFeed[] = [];
    const skipped: FeedRead['skipped'] = [];
    let bytes = 0;
    for (const f of entries.slice(0, MAX_FEED_FOLDER_FILES)) {
      const p = path.join(abs, f);
      let fst: fs.Stats;
      try { fst = fs.statSync(p); } catch (e) { skipped.push({ file: f, message: errorText(e) }); continue; }
      if (!fst.isFile()) continue;
      if (fst.size > MAX_FEED_BYTES || bytes + fst.size > MAX_FEED_FOLDER_BYTES) { skipped.push({ file: f, message: 'is too large' }); continue; }
      bytes += fst.size;
      let text: string;
      try { text = fs.readFileSync(p, 'utf8'); } catch (e) { skipped.push({ file: f, message: errorText(e) }); continue; }
      const r = parseFeed(f, text);
      if (r.ok && r.kind === 'osv') parsed.push(r);
      else skipped.push({ file: f, message: r.ok ? 'is a KEV catalog (give it as a file of its own)' : r.message });
    }
    if (!parsed.length) return { name, parsed: { ok: false, message: `holds no OSV record file (*.json)${skipped.length ? `: ${skipped.length} file(s) skipped` : ''}` }, skipped };
    return { name, parsed: mergeOsv(name, parsed), skipped };
  }
  if (!st.isFile()) return { name, parsed: { ok: false, message: 'is not a regular file' }, skipped: [] };
  if (st.size > MAX_FEED_BYTES) return { name, parsed: { ok: false, message: `is ${st.size} bytes, over the ${MAX_FEED_BYTES / 1024 / 1024} MiB limit for a feed file` }, skipped: [] };
  let text: string;
  try { text = fs.readFileSync(abs, 'utf8'); } catch (e) { return { name, parsed: { ok: false, message: errorText(e) }, skipped: [] }; }
  return { name, parsed: parseFeed(name, text), skipped: [] };
}

/** Reads one feed (file or folder) without blocking (language server), a few files at a time in a folder. */
export async function readFeed(abs: string, name: string): Promise<FeedRead> {
  const fsp = fs.promises;
  let st: fs.Stats;
  try { st = await fsp.stat(abs); } catch (e) { return { name, parsed: { ok: false, message: errorText(e) }, skipped: [] }; }
  if (st.isDirectory()) {
    let entries: string[];
    try { entries = (await fsp.readdir(abs)).filter(f => f.toLowerCase().endsWith('.json')).sort(); } catch (e) { return { name, parsed: { ok: false, message: errorText(e) }, skipped: [] }; }
    const parsed: ParsedFeed[] = [];
    const skipped: FeedRead['skipped'] = [];
    let bytes = 0;
    const list = entries.slice(0, MAX_FEED_FOLDER_FILES);
    for (let i = 0; i < list.length; i += 16) {
      await Promise.all(list.slice(i, i + 16).map(async f => {
        const p = path.join(abs, f);
        let fst: fs.Stats;
        try { fst = await fsp.stat(p); } catch (e) { skipped.push({ file: f, message: errorText(e) }); return; }
        if (!fst.isFile()) return;
        if (fst.size > MAX_FEED_BYTES || bytes + fst.size > MAX_FEED_FOLDER_BYTES) { skipped.push({ file: f, message: 'is too large' }); return; }
        bytes += fst.size;
        let text: string;
        try { text = await fsp.readFile(p, 'utf8'); } catch (e) { skipped.push({ file: f, message: errorText(e) }); return; }
        const r = parseFeed(f, text);
        if (r.ok && r.kind === 'osv') parsed.push(r);
        else skipped.push({ file: f, message: r.ok ? 'is a KEV catalog (give it as a file of its own)' : r.message });
      }));
      await new Promise<void>(resolve => setImmediate(resolve));
    }
    if (!parsed.length) return { name, parsed: { ok: false, message: `holds no OSV record file (*.json)${skipped.length ? `: ${skipped.length} file(s) skipped` : ''}` }, skipped };
    return { name, parsed: mergeOsv(name, parsed), skipped };
  }
  if (!st.isFile()) return { name, parsed: { ok: false, message: 'is not a regular file' }, skipped: [] };
  if (st.size > MAX_FEED_BYTES) return { name, parsed: { ok: false, message: `is ${st.size} bytes, over the ${MAX_FEED_BYTES / 1024 / 1024} MiB limit for a feed file` }, skipped: [] };
  let text: string;
  try { text = await fsp.readFile(abs, 'utf8'); } catch (e) { return { name, parsed: { ok: false, message: errorText(e) }, skipped: [] }; }
  return { name, parsed: parseFeed(name, text), skipped: [] };
}

/** Reads and indexes feeds (CLI): paths relative to `cwd`; the problems are in `index.problems`. */
export function loadFeedsSync(paths: readonly string[], cwd: string): { index: IntelIndex; reads: FeedRead[] } {
  const reads = paths.map(p => readFeedSync(path.resolve(cwd, p), p));
  return { index: buildIntelIndex(reads), reads };
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** Where an SBOM path of a model resolves, or why it is not read (absolute, outside the model's folder). */
function sbomTarget(modelFile: string, relative: string): { root: string; target: string } | { message: string } {
  const root = path.dirname(path.resolve(modelFile));
  if (path.isAbsolute(relative) || /^[a-z]:/i.test(relative) || relative.includes('\0')) return { message: 'is not a path relative to the model file' };
  const target = path.resolve(root, relative);
  if (!within(target, root) || target === root) return { message: `is outside the model's folder; only files inside it are read` };
  return { root, target };
}

/** Reads one SBOM of a model synchronously (CLI), confined to the model's folder tree. */
export function readSbomSync(modelFile: string, relative: string): SbomRead {
  const t = sbomTarget(modelFile, relative);
  if ('message' in t) return { ok: false, message: t.message };
  let real: string;
  let realRoot: string;
  try { realRoot = fs.realpathSync(t.root); real = fs.realpathSync(t.target); } catch { return { ok: false, message: 'does not exist' }; }
  if (!within(real, realRoot) || real === realRoot) return { ok: false, message: `is outside the model's folder (a link leads out); only files inside it are read` };
  let st: fs.Stats;
  try { st = fs.statSync(real); } catch (e) { return { ok: false, message: errorText(e) }; }
  if (!st.isFile()) return { ok: false, message: 'is not a file' };
  if (st.size > MAX_SBOM_BYTES) return { ok: false, message: `is ${st.size} bytes, over the ${MAX_SBOM_BYTES / 1024 / 1024} MiB limit for an SBOM` };
  try { return parseSbom(fs.readFileSync(real, 'utf8')); } catch (e) { return { ok: false, message: errorText(e) }; }
}

/** Reads one SBOM of a model (language server), confined to the model's folder tree; with its mtime for caching. */
export async function readSbom(modelFile: string, relative: string): Promise<{ read: SbomRead; mtimeMs?: number; size?: number }> {
  const t = sbomTarget(modelFile, relative);
  if ('message' in t) return { read: { ok: false, message: t.message } };
  const fsp = fs.promises;
  let real: string;
  let realRoot: string;
  try { realRoot = await fsp.realpath(t.root); real = await fsp.realpath(t.target); } catch { return { read: { ok: false, message: 'does not exist' } }; }
  if (!within(real, realRoot) || real === realRoot) return { read: { ok: false, message: `is outside the model's folder (a link leads out); only files inside it are read` } };
  let st: fs.Stats;
  try { st = await fsp.stat(real); } catch (e) { return { read: { ok: false, message: errorText(e) } }; }
  if (!st.isFile()) return { read: { ok: false, message: 'is not a file' }, mtimeMs: st.mtimeMs };
  if (st.size > MAX_SBOM_BYTES) return { read: { ok: false, message: `is ${st.size} bytes, over the ${MAX_SBOM_BYTES / 1024 / 1024} MiB limit for an SBOM` }, mtimeMs: st.mtimeMs, size: st.size };
  try { return { read: parseSbom(await fsp.readFile(real, 'utf8')), mtimeMs: st.mtimeMs, size: st.size }; } catch (e) { return { read: { ok: false, message: errorText(e) } }; }
}

/** The `sbom:` paths a model names (at most 1,000). */
export function sbomPaths(model: Model | undefined): string[] {
  const out = new Set<string>();
  for (const e of Object.values(model?.elements ?? {})) {
    if (e && typeof e === 'object' && typeof e.sbom === 'string' && !e.out_of_scope) out.add(e.sbom);
    if (out.size >= 1000) break;
  }
  return [...out];
}

/** The SBOMs of a model read synchronously (CLI), by path as written. */
export function readSbomsSync(modelFile: string, model: Model | undefined): Map<string, SbomRead> {
  return new Map(sbomPaths(model).map(p => [p, readSbomSync(modelFile, p)]));
}

export type { FeedProblem };
