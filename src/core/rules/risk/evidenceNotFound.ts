import { isScalar } from 'yaml';
import type { Rule } from '../types';
import { quote, valueRange } from '../helpers';
import { missingEvidence } from './evidencePaths';

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
    why: 'Evidence that points at nothing is a broken promise: the file was renamed, moved or deleted, and the control it proved may have gone with it. Noticing it when it breaks is much cheaper than learning in an audit or an incident that a verified mitigation no longer exists.',
    example: `
# this model lives in docs/: evidence paths are relative to the model file
mitigations:
  login-rate-limit:
    title: Login attempts limited per account and per IP address
    status: implemented
    evidence: [../src/auth/rateLimit.ts#L10-L42]
`,
  },
  check(ctx) {
    const out = [];
    for (const { id, index: i, file } of missingEvidence(ctx.model.mitigations, ctx.settings)) {
      const path = ['mitigations', id, 'evidence', i];
      const range = valueRange(ctx, path);
      const moved = (ctx.settings.trace?.moved?.[file] ?? []).filter(p => p !== file).slice(0, 3);
      // The fix replaces the path part of the entry (after the opening quote of a quoted one); it checks that
      // the text there is still the path, so an escaped entry gets no edit rather than a wrong one.
      const node = ctx.source.locate(path)?.node;
      const from = range.start + (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0);
      const fixes = moved.map((to, k) => ({
        kind: 'replace' as const, title: `Point the evidence at ${to}${k === 0 ? ' (where it went)' : ''}`, preferred: k === 0,
        range: { start: from, end: from + file.length }, text: to, expect: file,
      }));
      out.push({
        path, range, stableId: `risk/evidence-not-found@${id}#${i}`,
        message: `Evidence ${quote(file)} of ${quote(id)} does not exist (paths are relative to the model file)${moved.length ? `; it may be ${moved.map(quote).join(' or ')} now` : ''}.`,
        ...(fixes.length ? { fixes } : {}),
      });
    }
    return out;
  },
};
