import type { Rule } from '../types';
import { quote, valueRange } from '../helpers';
import { evidenceFile, insideRepository } from './evidencePaths';

/**
 * Evidence paths are checked only where the front end can see files (CLI, VS Code, the language server),
 * through settings.fileExists, and only inside the repository (risk/evidence-outside-repository reports the rest).
 */
export const evidenceNotFound: Rule = {
  meta: {
    id: 'risk/evidence-not-found',
    title: 'Evidence points at a file that does not exist',
    category: 'risk',
    severity: 'warning',
    description: 'An `evidence:` entry that looks like a repository path (not a URL) names a file that is not in the workspace, relative to the model file.',
    advice: 'Fix the path (it is relative to the model file), or remove the stale evidence and re-verify the mitigation.',
  },
  check(ctx) {
    const exists = ctx.settings.fileExists;
    if (!exists) return [];
    const out = [];
    for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
      for (const [i, ev] of (m.evidence ?? []).entries()) {
        const file = evidenceFile(ev);
        if (file === undefined || !insideRepository(file, ctx.settings.modelDirInRepo ?? '')) continue;
        if (exists(file) === false) {
          out.push({
            path: ['mitigations', id, 'evidence', i],
            range: valueRange(ctx, ['mitigations', id, 'evidence', i]),
            stableId: `risk/evidence-not-found@${id}#${i}`,
            message: `Evidence ${quote(file)} of ${quote(id)} does not exist (paths are relative to the model file).`,
          });
        }
      }
    }
    return out;
  },
};
