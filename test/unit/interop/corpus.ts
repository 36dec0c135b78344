/** Where the shared corpus of public threat models is: `../shared/corpus` beside the repository (as in CI). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { parseModel } from '../../../src/core/model/parse';
import type { ImportResult } from '../../../src/core/interop/index';

function findCorpus(): string {
  const direct = resolve(__dirname, '../../../../shared/corpus');
  if (existsSync(join(direct, 'SOURCES.md'))) return direct;
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'shared', 'corpus'), join(dir, '..', 'shared', 'corpus')]) {
      if (existsSync(join(candidate, 'SOURCES.md'))) return candidate;
    }
  }
  throw new Error(`shared/corpus not found beside the repository (looked at ${direct} and above ${__dirname})`);
}

export const CORPUS = findCorpus();
export const corpusFile = (rel: string) => readFileSync(join(CORPUS, rel), 'utf8');
export const corpusJson = (rel: string) => JSON.parse(corpusFile(rel)) as Record<string, unknown>;

/** The imported YAML analyses without any schema/* error (syntax, schema, duplicate ids, dangling references). */
export function assertSchemaClean(result: ImportResult, label: string) {
  const parsed = parseModel(result.yaml);
  assert.deepEqual(parsed.findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error').map(f => f.message), [], `${label}: parse findings`);
  const a = analyze(result.yaml, { now: new Date('2026-01-01T00:00:00Z') });
  const errors = a.findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
  assert.deepEqual(errors.map(f => `${f.ruleId}: ${f.message}`), [], `${label}: schema findings`);
  assert.equal(a.parsed.valid, true, `${label}: parsed model is valid`);
  return a.parsed.model;
}
