import type { Rule, RuleFinding } from '../types';
import { keyRange, quote, valueRange } from '../helpers';

const MAX_LISTED = 5;

/** An element whose code (its `code:` globs) changed in git after its last review. */
export const staleReview: Rule = {
  meta: {
    id: 'trace/stale-review',
    title: 'Code changed since the element was reviewed',
    category: 'trace',
    severity: 'warning',
    description: 'An element records `reviewed: { date, commit }` and lists its `code:` (globs relative to the model file), and git shows commits after that review commit that changed files under those globs: the model may no longer describe the code. Also reported (as info) when the review commit is not in the repository. Checked where git can be read (the CLI in a repository, the editor).',
    advice: 'Review the changes against the element, its flows and threats, then record the review (*Rampart: Mark Element Reviewed*, which writes today\'s date and HEAD).',
  },
  check(ctx) {
    const reviews = ctx.settings.trace?.reviews;
    if (!reviews) return [];
    const out: RuleFinding[] = [];
    for (const [id, e] of Object.entries(ctx.model.elements ?? {})) {
      const r = reviews[id];
      const commit = e.reviewed?.commit;
      if (!r || !commit || !e.code?.length || r.commit.toLowerCase() !== commit.toLowerCase()) continue;
      const path = ['elements', id, 'reviewed', 'commit'];
      if ('error' in r) {
        out.push({ path, range: valueRange(ctx, path), severity: 'info', stableId: `trace/stale-review@${id}`, message: `Cannot tell whether the code of ${quote(id)} changed since its review: ${r.error}.` });
        continue;
      }
      if (!r.changes.length) continue;
      const files = [...new Set(r.changes.flatMap(c => c.files))];
      const listed = r.changes.slice(0, MAX_LISTED).map(c => `${c.commit.slice(0, 7)} ${c.subject}`).join('; ');
      const more = r.changes.length > MAX_LISTED ? ` and ${r.changes.length - MAX_LISTED} more` : '';
      out.push({
        path: ['elements', id, 'reviewed'], range: keyRange(ctx, ['elements', id, 'reviewed']), stableId: `trace/stale-review@${id}`,
        message: `The code of ${quote(id)} changed in ${r.changes.length} commit${r.changes.length === 1 ? '' : 's'} since its review (${e.reviewed!.date}): ${listed}${more}. Review ${files.slice(0, MAX_LISTED).join(', ')}${files.length > MAX_LISTED ? ` and ${files.length - MAX_LISTED} more files` : ''} against the model, then mark it reviewed.`,
        why: `Files under ${e.code.map(quote).join(', ')} changed after commit ${commit}.`,
      });
    }
    return out;
  },
};
