import type { Rule, RuleFinding } from '../types';
import { quote, valueRange } from '../helpers';
import { lineCount } from '../risk/evidencePaths';
import { anchoredEvidence } from './anchoredEvidence';

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
    const out: RuleFinding[] = [];
    for (const { id, index, path, ev, file, anchor: a, text } of anchoredEvidence(ctx, 'lines')) {
      const lines = lineCount(text);
      if (a.start >= 1 && a.start <= a.end && a.end <= lines) continue;
      out.push({
        path, range: valueRange(ctx, path), stableId: `trace/evidence-lines-outside-file@${id}#${index}`,
        message: a.start > a.end || a.start < 1
          ? `Evidence ${quote(ev)} of ${quote(id)} has a range that ends before it starts: write it as #L${Math.min(a.start, a.end)}-L${Math.max(a.start, a.end)}.`
          : `Evidence ${quote(ev)} of ${quote(id)} points at lines ${a.start}-${a.end}, but ${file} has ${lines} line${lines === 1 ? '' : 's'}: the code moved; update the range.`,
      });
    }
    return out;
  },
};
