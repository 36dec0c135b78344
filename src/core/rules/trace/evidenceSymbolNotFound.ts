import type { Rule, RuleFinding } from '../types';
import { quote, valueRange } from '../helpers';
import { symbolOccurs } from '../risk/evidencePaths';
import { anchoredEvidence } from './anchoredEvidence';

/** `path#verifyToken` whose file no longer mentions the symbol. */
export const evidenceSymbolNotFound: Rule = {
  meta: {
    id: 'trace/evidence-symbol-not-found',
    title: 'Evidence symbol not in its file',
    category: 'trace',
    severity: 'warning',
    description: 'An `evidence:` entry `path#name` names a function, class, method or test (`verifyToken`, `Auth.verify`, `Auth::verify`) that does not occur as a whole word in the file: it was renamed or moved. Checked where the file can be read (the CLI, the editor).',
    advice: 'Point the evidence at the new name or file, or remove it and re-verify the mitigation.',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { id, index, path, ev, file, anchor, text } of anchoredEvidence(ctx, 'symbol')) {
      if (symbolOccurs(text, anchor.name)) continue;
      out.push({
        path, range: valueRange(ctx, path), stableId: `trace/evidence-symbol-not-found@${id}#${index}`,
        message: `Evidence ${quote(ev)} of ${quote(id)} names ${quote(anchor.name)}, which ${file} no longer mentions: point it at the code that implements the mitigation now.`,
      });
    }
    return out;
  },
};
