/**
 * Which part of a workspace's discovery a model answers for. A repository may hold several models (one per
 * service of a monorepo, examples, tests) and many Compose files and manifests; a model is not told about
 * every one of them:
 *
 * - `all`: the whole discovery (the CLI, given the paths to discover; the editor, for the only model of a
 *   workspace folder).
 * - `sources`: only the folders its entries' `source:` name (where it was drafted from). A model without any
 *   `source:` gets no drift: it was written by hand, beside others, and nothing says which files it models.
 */
import type { Model } from '../model/schema';
import { parseSource, SECTION_ORDER } from './match';
import { dirOf, normalizePath } from './paths';
import type { Discovery } from './types';

export type DiscoveryScope = 'all' | 'sources';

/** The folders (normalized, relative to the model) the entries' `source:` name; empty when none has one. */
export function sourceFolders(model: Model): string[] {
  const out = new Set<string>();
  for (const section of SECTION_ORDER) {
    for (const e of Object.values((model[section] ?? {}) as Record<string, { source?: unknown }>)) {
      if (typeof e?.source === 'string' && e.source) out.add(dirOf(normalizePath(parseSource(e.source).file)));
    }
  }
  return [...out].sort();
}

const under = (file: string, dir: string) => dir === '.' ? !file.startsWith('../') && file !== '..' : file === dir || file.startsWith(`${dir}/`);

/** The discovery a model answers for under `scope` (see the module comment); undefined: none at all. */
export function scopeDiscovery(d: Discovery, model: Model, scope: DiscoveryScope = 'all'): Discovery | undefined {
  if (scope === 'all') return d;
  const dirs = sourceFolders(model);
  if (!dirs.length) return undefined;
  const keep = (file: string) => { const f = normalizePath(file); return dirs.some(dir => under(f, dir)); };
  return {
    files: d.files.filter(keep),
    boundaries: d.boundaries.filter(x => keep(x.source.file)),
    assets: d.assets.filter(x => keep(x.source.file)),
    elements: d.elements.filter(x => keep(x.source.file)),
    flows: d.flows.filter(x => keep(x.source.file)),
    operations: d.operations.filter(x => keep(x.source.file)),
    findings: d.findings.filter(x => keep(x.source.file)),
  };
}
