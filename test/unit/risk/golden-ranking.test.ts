import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { rankThreats } from '../../../src/core/risk/ranking';

/**
 * Golden ranking of the example models (level, then CVSS base score, then annual loss), reviewed by hand:
 * e.g. in the web shop the critical refund abuse comes first, then the high card-testing oracle (CVSS 8.8),
 * and unrated or not-applicable threats come last. Regenerate deliberately when the examples change.
 */
const ROOT = path.resolve(__dirname, '../../..');
for (const name of ['webshop-payments', 'service-platform']) {
  describe(`ranking of examples/${name}`, () => {
    it('matches the reviewed golden file', () => {
      const a = analyze(fs.readFileSync(path.join(ROOT, `examples/${name}.threatmodel.yaml`), 'utf8'), { now: new Date('2026-11-27T00:00:00Z') });
      const got = rankThreats(a.parsed.model, a.assessments).map((t, i) => [i + 1, t.id, t.level ?? '-', t.cvss ?? '-', t.annualLoss ?? '-', t.residual].join('\t')).join('\n') + '\n';
      assert.equal(got, fs.readFileSync(path.join(ROOT, `test/unit/golden/${name}.ranking.tsv`), 'utf8'));
    });
  });
}
