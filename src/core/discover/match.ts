/**
 * Which discovered entries a model already has: an entry matches the model's entry of the same section with the
 * same id, or the one whose `source:` names the same file and line (an id renamed by hand); a flow also matches
 * a model flow between the same two elements, whatever its id. Shared by the drift rules and the proposals.
 */
import type { Model } from '../model/schema';
import { normalizePath } from './paths';
import type { Discovered, DiscoveredSection, Discovery, SourceRef } from './types';

/** `deploy/compose.yaml:12`, as the `source:` field holds it. */
export const formatSource = (s: SourceRef) => `${s.file}:${s.line}`;

/** A `source:` value as file and line (`deploy/compose.yaml:12`); a value without a line is a file. */
export function parseSource(v: string): { file: string; line?: number } {
  const m = /^(.*):(\d+)$/.exec(v);
  return m && m[1] ? { file: m[1], line: Number(m[2]) } : { file: v };
}

const sourceKey = (file: string, line: number | undefined) => `${normalizePath(file)}:${line ?? ''}`;

type Entries = Record<string, { source?: string; from?: string; to?: string; bidirectional?: boolean }>;

export const SECTION_ORDER: readonly DiscoveredSection[] = ['boundaries', 'assets', 'elements', 'flows'];

/** For every discovered entry (`section\0id`), the id of the model entry it matches, if any. */
export function matchDiscovery(model: Model, d: Discovery): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const section of SECTION_ORDER) {
    const entries = (model[section] ?? {}) as Entries;
    const bySource = new Map<string, string>();
    for (const [id, e] of Object.entries(entries)) {
      if (typeof e?.source === 'string') {
        const p = parseSource(e.source);
        if (!bySource.has(sourceKey(p.file, p.line))) bySource.set(sourceKey(p.file, p.line), id);
      }
    }
    const pairs = new Map<string, string>();
    if (section === 'flows') {
      for (const [id, f] of Object.entries(entries)) {
        if (!f?.from || !f.to) continue;
        pairs.set(`${f.from}\u0000${f.to}`, pairs.get(`${f.from}\u0000${f.to}`) ?? id);
        if (f.bidirectional) pairs.set(`${f.to}\u0000${f.from}`, pairs.get(`${f.to}\u0000${f.from}`) ?? id);
      }
    }
    const found = d[section] as Discovered<{ from?: string; to?: string }>[];
    // An id match wins: a model entry that a discovered entry of the same id claims is never matched by its
    // source line too (lines move when a service is added above it).
    const claimed = new Set(found.filter(x => Object.hasOwn(entries, x.id)).map(x => x.id));
    for (const x of found) {
      const bySrc = bySource.get(sourceKey(x.source.file, x.source.line));
      let id: string | undefined = Object.hasOwn(entries, x.id) ? x.id : bySrc !== undefined && !claimed.has(bySrc) ? bySrc : undefined;
      if (id === undefined && section === 'flows') {
        const from = out.get(`elements\u0000${x.entry.from}`);
        const to = out.get(`elements\u0000${x.entry.to}`);
        if (from && to) id = pairs.get(`${from}\u0000${to}`);
      }
      out.set(`${section}\u0000${x.id}`, id);
    }
  }
  return out;
}

/** The model id a discovered entry matches (see `matchDiscovery`). */
export const matched = (m: ReadonlyMap<string, string | undefined>, section: DiscoveredSection, id: string) => m.get(`${section}\u0000${id}`);

/** Per section and file: the discovered ids and lines, to tell whether a file still declares a model entry. */
export function declaredByFile(d: Discovery): Map<string, { ids: Set<string>; lines: Set<number> }> {
  const out = new Map<string, { ids: Set<string>; lines: Set<number> }>();
  for (const section of SECTION_ORDER) {
    for (const x of d[section] as Discovered<unknown>[]) {
      const key = `${section}\u0000${normalizePath(x.source.file)}`;
      const e = out.get(key) ?? { ids: new Set<string>(), lines: new Set<number>() };
      e.ids.add(x.id);
      e.lines.add(x.source.line);
      out.set(key, e);
    }
  }
  return out;
}
