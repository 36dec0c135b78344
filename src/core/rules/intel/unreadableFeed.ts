import type { Rule, RuleFinding } from '../types';
import { intelOf, topRange } from './context';

/** A feed file the user pointed Rampart at could not be used. */
export const unreadableFeed: Rule = {
  meta: {
    id: 'intel/unreadable-feed',
    title: 'Threat-intelligence feed could not be read',
    category: 'intel',
    severity: 'warning',
    description: 'A file of the setting `rampart.intel.files` is missing, too large, not valid JSON, or neither a CISA KEV catalog nor OSV records. Reported at the top of models whose elements name a `technology`, `components` or an `sbom`. (`rampart check --intel` stops with exit code 2 instead.)',
    advice: 'Fix the path in `rampart.intel.files` (relative to the workspace folder), or replace the file with the KEV catalog as CISA publishes it (JSON) or OSV records (JSON).',
  },
  check(ctx) {
    const m = intelOf(ctx);
    if (!m?.relevant) return [];
    const out: RuleFinding[] = [];
    for (const p of m.index.problems) {
      out.push({
        range: topRange(ctx),
        stableId: `intel/unreadable-feed@${p.feed}`,
        message: `The threat-intelligence feed ${p.feed} ${p.message}: its vulnerabilities are not checked.`,
      });
    }
    return out;
  },
};
