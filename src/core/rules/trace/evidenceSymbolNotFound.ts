import type { Rule, RuleFinding } from '../types';
import { quote, valueRange } from '../helpers';
import { evidenceAnchor, evidenceFile } from '../risk/evidencePaths';

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
    const texts = ctx.settings.trace?.evidence;
    if (!texts) return [];
    const out: RuleFinding[] = [];
    for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
      for (const [i, ev] of (m.evidence ?? []).entries()) {
        const a = evidenceAnchor(ev);
        const file = evidenceFile(ev);
        if (a?.kind !== 'symbol' || file === undefined) continue;
        const text = texts[file];
        if (typeof text !== 'string' || occurs(text, a.name)) continue;
        const path = ['mitigations', id, 'evidence', i];
        out.push({
          path, range: valueRange(ctx, path), stableId: `trace/evidence-symbol-not-found@${id}#${i}`,
          message: `Evidence ${quote(ev)} of ${quote(id)} names ${quote(a.name)}, which ${file} no longer mentions: point it at the code that implements the mitigation now.`,
        });
      }
    }
    return out;
  },
};

/** Whether every segment of `Class.method` occurs in the text as a whole word. */
function occurs(text: string, name: string): boolean {
  return name.split(/\.|::|#/).every(seg => new RegExp(`(^|[^\\w$])${seg.replace(/\$/g, '\\$')}(?![\\w$])`).test(text));
}
