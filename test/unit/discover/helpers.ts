/** Shared by the discovery tests: corpus files as discovery input, and the schema check of a draft. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { CORPUS, corpusFile } from '../interop/corpus';
import type { DiscoverFile } from '../../../src/core/discover/index';

export const DISCOVER_DIR = join(CORPUS, 'discover');

/** Corpus files under discover/<dir>, read at test time, with paths relative to discover/. */
export function corpusSet(dir: string): DiscoverFile[] {
  return readdirSync(join(DISCOVER_DIR, dir)).sort().map(name => ({ path: `${dir}/${name}`, text: corpusFile(`discover/${dir}/${name}`) }));
}

/** The draft analyses without any schema/* finding and validates. */
export function assertDraftClean(yaml: string, label: string) {
  const a = analyze(yaml, { now: new Date('2026-01-01T00:00:00Z') });
  assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('schema/')).map(f => `${f.ruleId}: ${f.message}`), [], `${label}: schema findings`);
  assert.equal(a.parsed.valid, true, `${label}: valid`);
  return a;
}

/** A summary of what a discovery holds, for deepEqual. */
export const counts = (d: { elements: unknown[]; flows: unknown[]; boundaries: unknown[]; assets: unknown[]; findings: unknown[] }) =>
  ({ elements: d.elements.length, flows: d.flows.length, boundaries: d.boundaries.length, assets: d.assets.length, findings: d.findings.length });
