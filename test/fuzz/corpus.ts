/**
 * The texts the fuzzer mutates, read where they live (never copied):
 * - Rampart models: `examples/*.threatmodel.yaml` and `test/fixtures/**\/*.threatmodel.yaml` of this repository;
 * - foreign models: `shared/corpus/{threagile,threat-dragon,otm}/` beside the repository (as in CI; the
 *   `RAMPART_CORPUS` environment variable names another place). Without that folder the foreign seeds are
 *   an empty list and the import properties run on exported generated models only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ImportFormat } from '../../src/core/interop/index';

export const REPO = resolve(__dirname, '../..');

export interface SeedText {
  /** Where it came from, for reports (repository-relative, or `corpus/...`). */
  name: string;
  text: string;
}

export interface ForeignSeed extends SeedText {
  format: ImportFormat;
}

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

const MODEL_FILE = /\.threatmodel\.ya?ml$/;

/** The example and fixture models of the repository. */
export function rampartSeeds(): SeedText[] {
  const files = [...walk(join(REPO, 'examples'), f => MODEL_FILE.test(f)), ...walk(join(REPO, 'test', 'fixtures'), f => MODEL_FILE.test(f))];
  // The visual-editor fixture is a copy of an example: keep one of equal texts.
  const seen = new Set<string>();
  const out: SeedText[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ name: relative(REPO, f).split('\\').join('/'), text });
  }
  return out;
}

/** `shared/corpus` beside the repository or above it, or `RAMPART_CORPUS`; undefined when absent. */
export function findCorpus(): string | undefined {
  const env = process.env.RAMPART_CORPUS;
  if (env && existsSync(join(env, 'SOURCES.md'))) return env;
  for (let dir = REPO; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'shared', 'corpus'), join(dir, '..', 'shared', 'corpus')]) {
      if (existsSync(join(candidate, 'SOURCES.md'))) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  return existsSync('/work/shared/corpus/SOURCES.md') ? '/work/shared/corpus' : undefined;
}

/** The foreign models of the shared corpus with the importer that reads each (schemas are left out). */
export function foreignSeeds(): ForeignSeed[] {
  const root = findCorpus();
  if (!root) return [];
  const pick = (folder: string, format: ImportFormat, keep: (f: string) => boolean): ForeignSeed[] =>
    walk(join(root, folder), f => keep(f) && !/schema/i.test(f.slice(join(root, folder).length)))
      .map(f => ({ name: 'corpus/' + relative(root, f).split('\\').join('/'), text: readFileSync(f, 'utf8'), format }));
  return [
    ...pick('threagile', 'threagile', f => /\.ya?ml$/.test(f)),
    ...pick('threat-dragon', 'threat-dragon', f => /\.json$/.test(f)),
    ...pick('otm', 'otm', f => /\.(json|ya?ml)$/.test(f)),
  ];
}

/** The OASIS SARIF 2.1.0 JSON Schema from `shared/schemas` (as the SARIF unit test finds it), if present. */
export function findSarifSchema(): string | undefined {
  for (let dir = REPO; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'shared', 'schemas', 'sarif-schema-2.1.0.json'), join(dir, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json')]) {
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
