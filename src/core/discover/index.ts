/**
 * Discovery: a model drafted from what a repository already declares (issue #12). Pure core: file contents in
 * (`{ path, text }`, read by the adapters with their own excludes and size limits), a `Discovery` out. The
 * readers (compose.ts, kubernetes.ts, openapi.ts) document their mapping tables; draft.ts writes a new model,
 * drift.ts compares with an existing one (proposals for the edit intents, and the `discover/*` findings).
 *
 * Every file is untrusted: sizes, nodes, nesting, aliases, entries, `$ref` files and resolving time are
 * bounded (types.ts, DISCOVER_LIMITS), and each limit reached is a finding in the file, never an exception.
 */
import { DiscoveryBuilder } from './collect';
import { ComposeReader, isCompose } from './compose';
import { Hosts, type Reader } from './hosts';
import { isKubernetes, isKustomization, KubernetesCluster } from './kubernetes';
import { isOpenApi, OpenApiReader, RefFiles } from './openapi';
import { baseName, dirOf, joinPath, normalizePath } from './paths';
import { FindingSink, readYaml, type YamlFile } from './yaml';
import type { DiscoverFile, DiscoverOptions, Discovery } from './types';
import { arr, isObject, oneLine, str } from '../interop/common';

export type DiscoveredKind = 'compose' | 'kubernetes' | 'kustomization' | 'openapi';

/** What a file's documents are, or undefined when discovery does not read it. */
export function classifyData(path: string, docs: readonly unknown[]): DiscoveredKind | undefined {
  const first = docs.find(d => d !== null && d !== undefined);
  if (isKustomization(first) || (/^kustomization\.ya?ml$/i.test(baseName(path)) && isObject(first) && 'resources' in first)) return 'kustomization';
  if (isOpenApi(first)) return 'openapi';
  if (docs.some(d => isKubernetes(d))) return 'kubernetes';
  if (isCompose(first)) return 'compose';
  return undefined;
}

/** What a file is (for the adapters' walkers): read with the same guards, its problems dropped. */
export function classifyFile(file: DiscoverFile): DiscoveredKind | undefined {
  const y = readYaml(file, new FindingSink());
  return y ? classifyData(file.path, y.docs.map(d => d.data)) : undefined;
}

interface Read {
  file: YamlFile;
  kind: DiscoveredKind;
}

/**
 * Kustomization resource lists: a manifest in a kustomization's folder that it does not list is skipped; the
 * files it lists take its `namespace:`. Remote resources and missing files are findings (never fetched).
 */
function kustomize(read: readonly Read[], sink: FindingSink): { skip: Set<string>; namespace: Map<string, string> } {
  const skip = new Set<string>();
  const namespace = new Map<string, string>();
  const paths = new Map(read.map(r => [normalizePath(r.file.path), r]));
  for (const k of read.filter(r => r.kind === 'kustomization')) {
    const data = k.file.docs[0]?.data;
    if (!isObject(data)) continue;
    const dir = dirOf(k.file.path);
    const ns = oneLine(data.namespace, 63);
    const listed = new Set<string>();
    for (const res of [...arr(data.resources), ...arr(data.bases)].slice(0, 1000)) {
      const r = str(res);
      if (!r) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(r) || r.includes('?ref=')) {
        sink.add('discover/unresolved-resource', 'info', `The resource \`${oneLine(r, 200)}\` is remote: Rampart never fetches it, so what it declares is not in the draft.`, k.file.at(k.file.docs[0]?.doc?.contents));
        continue;
      }
      const target = joinPath(dir, r);
      const under = [...paths.keys()].filter(p => p === target || p.startsWith(`${target}/`));
      if (!under.length) sink.add('discover/unresolved-resource', 'info', `The resource \`${oneLine(r, 200)}\` is not among the files read; discover it too, or model what it declares by hand.`, k.file.at(k.file.docs[0]?.doc?.contents));
      for (const p of under) {
        listed.add(p);
        if (ns && !namespace.has(p)) namespace.set(p, ns);
      }
    }
    for (const r of read) {
      const p = normalizePath(r.file.path);
      if (r.kind !== 'kubernetes' || dirOf(p) !== normalizePath(dir) || listed.has(p)) continue;
      skip.add(p);
      sink.add('discover/skipped-file', 'info', `${baseName(p)} is not listed in the \`resources:\` of ${baseName(k.file.path)}, so it is not deployed with the others; it was skipped.`, { file: r.file.path, line: 1 });
    }
  }
  return { skip, namespace };
}

/** Everything the files declare, with stable ids and their sources, and the problems of the files. */
export async function discover(files: readonly DiscoverFile[], options: DiscoverOptions = {}): Promise<Discovery> {
  const b = new DiscoveryBuilder();
  const unique = new Map<string, DiscoverFile>();
  for (const f of files) if (!unique.has(f.path)) unique.set(f.path, f);
  const sorted = [...unique.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const read: Read[] = [];
  const foreign: string[] = [];
  for (const f of sorted) {
    b.files.add(f.path);
    const y = readYaml(f, b.sink);
    if (!y) continue;
    const kind = classifyData(f.path, y.docs.map(d => d.data));
    if (kind) read.push({ file: y, kind });
    else if (y.docs.length) foreign.push(f.path);
  }
  const { skip, namespace } = kustomize(read, b.sink);
  const cluster = new KubernetesCluster(b);
  const refs = new RefFiles(sorted, options);
  const readers: Reader[] = [];
  const apis: OpenApiReader[] = [];
  for (const r of read) {
    const p = normalizePath(r.file.path);
    if (r.kind === 'compose') {
      const c = new ComposeReader(r.file, r.file.docs[0].data as Record<string, unknown>, b);
      c.declare();
      readers.push(c);
    } else if (r.kind === 'kubernetes' && !skip.has(p)) cluster.add(r.file, namespace.get(p));
    else if (r.kind === 'openapi') apis.push(new OpenApiReader(r.file, b, refs));
  }
  for (const a of apis) await a.declare();
  // A file that is none of the three may still be part of an API description (a `$ref` read it).
  for (const p of foreign) {
    if (!refs.referenced(p)) b.sink.add('discover/not-recognized', 'info', 'This is not a Compose file, a Kubernetes manifest or an OpenAPI description; it was skipped.', { file: p, line: 1 });
  }
  readers.push(cluster, ...apis);
  const hosts = new Hosts();
  for (const r of readers) r.hosts?.(hosts);
  for (const r of readers) r.connect?.(hosts);
  for (const r of readers) r.finish?.(hosts);
  const d = b.build();
  d.findings.sort((x, y) => (x.source.file < y.source.file ? -1 : x.source.file > y.source.file ? 1 : x.source.line - y.source.line));
  return d;
}

export type { Discovery, DiscoverFile, DiscoverOptions, Discovered, DiscoveredOperation, DiscoveryFinding, SourceRef, DiscoveredSection, Origin } from './types';
export { DISCOVER_LIMITS } from './types';
export { IMAGE_CLASSES } from './images';
export { PORT_PROTOCOLS } from './urls';
export { draftModel, type DraftOptions } from './draft';
export { proposeAdditions, applyProposals, proposalClosure, addToModel, driftFindings, rebaseDiscovery, type Proposal, type ProposalStep, type AppliedProposals } from './drift';
export { formatSource, parseSource } from './match';
