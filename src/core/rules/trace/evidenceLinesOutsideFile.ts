import type { Rule, RuleFinding } from '../types';
import { quote, valueRange } from '../helpers';
import { evidenceAnchor, evidenceFile, lineCount } from '../risk/evidencePaths';

/** `path#L10-L40` whose lines are not in the file (it is shorter, or the range is backwards). */
export const evidenceLinesOutsideFile: Rule = {
  meta: {
    id: 'trace/evidence-lines-outside-file',
    title: 'Evidence line range outside its file',
    category: 'trace',
    severity: 'warning',
    description: 'An `evidence:` entry `path#L10-L40` names lines the file does not have (it has fewer lines, or the range ends before it starts): the code it pointed at moved. Checked where the file can be read (the CLI, the editor).',
    advice: 'Open the file, find the code that implements the mitigation, and update the range (in VS Code: select it and run *Rampart: Link Selection as Evidence...*).',
  },
  check(ctx) {
    const texts = ctx.settings.trace?.evidence;
    if (!texts) return [];
    const out: RuleFinding[] = [];
    for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
      for (const [i, ev] of (m.evidence ?? []).entries()) {
        const a = evidenceAnchor(ev);
        const file = evidenceFile(ev);
        if (a?.kind !== 'lines' || file === undefined) continue;
        const text = texts[file];
        if (typeof text !== 'string') continue;
        const lines = lineCount(text);
        if (a.start >= 1 && a.start <= a.end && a.end <= lines) continue;
        const path = ['mitigations', id, 'evidence', i];
        out.push({
          path, range: valueRange(ctx, path), stableId: `trace/evidence-lines-outside-file@${id}#${i}`,
          message: a.start > a.end || a.start < 1
            ? `Evidence ${quote(ev)} of ${quote(id)} has a range that ends before it starts: write it as #L${Math.min(a.start, a.end)}-L${Math.max(a.start, a.end)}.`
            : `Evidence ${quote(ev)} of ${quote(id)} points at lines ${a.start}-${a.end}, but ${file} has ${lines} line${lines === 1 ? '' : 's'}: the code moved; update the range.`,
        });
      }
    }
    return out;
  },
};
