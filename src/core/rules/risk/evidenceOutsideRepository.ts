import type { Rule } from '../types';
import { quote, valueRange } from '../helpers';
import { evidenceFile, insideRepository } from './evidencePaths';

/**
 * Evidence must live in the repository that holds the model. A path that leaves it (absolute, a UNC share,
 * `../../..`) is never looked up: a cloned repository could otherwise learn which files exist on the CI runner
 * or the developer's machine (or, on Windows, make it open an SMB connection).
 */
export const evidenceOutsideRepository: Rule = {
  meta: {
    id: 'risk/evidence-outside-repository',
    title: 'Evidence points outside the repository',
    category: 'risk',
    severity: 'warning',
    description: 'An `evidence:` path is absolute, a network share, or climbs (`../`) out of the repository that holds the model (the folder with `.git`, else the model\'s folder). Rampart does not look such paths up.',
    advice: 'Point evidence at files of this repository, relative to the model file, or use a URL for evidence kept elsewhere.',
    why: 'A model travels with its repository: reviewers, CI and the next team only have what is in it. An absolute path or a network share works on one machine only, and a path that climbs out of the repository could make a tool read files it has no business reading. Keep evidence in the repository, or link to it.',
    example: `
mitigations:
  encrypted-backups:
    title: Backups encrypted with the provider's KMS
    status: implemented
    evidence:
      - infra/db.tf#L30-L44                              # in this repository
      - https://git.example.com/ops/runbooks/backups.md  # kept elsewhere: a link
`,
  },
  check(ctx) {
    const out = [];
    const modelDir = ctx.settings.modelDirInRepo ?? '';
    for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
      for (const [i, ev] of (m.evidence ?? []).entries()) {
        const file = evidenceFile(ev);
        if (file === undefined || insideRepository(file, modelDir)) continue;
        out.push({
          path: ['mitigations', id, 'evidence', i],
          range: valueRange(ctx, ['mitigations', id, 'evidence', i]),
          stableId: `risk/evidence-outside-repository@${id}#${i}`,
          message: `Evidence ${quote(file)} of ${quote(id)} is outside the repository; Rampart does not look it up. Use a path inside the repository (relative to the model file) or a URL.`,
        });
      }
    }
    return out;
  },
};
