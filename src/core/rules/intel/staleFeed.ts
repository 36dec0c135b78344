import type { Rule, RuleFinding } from '../types';
import { feedAgeDays, feedLabel } from '../../intel/index';
import { intelOf, topRange } from './context';

/** Days after which a feed is reported as stale. */
export const STALE_FEED_DAYS = 30;

/** A feed the analysis used is older than 30 days: vulnerabilities published since are missing from it. */
export const staleFeed: Rule = {
  meta: {
    id: 'intel/stale-feed',
    title: 'Threat-intelligence feed older than 30 days',
    category: 'intel',
    severity: 'warning',
    description: `A feed given to the analysis (\`--intel\`, \`rampart.intel.files\`) is more than ${STALE_FEED_DAYS} days older than the analysis date: the KEV catalog's \`dateReleased\`, or the newest \`modified\` of an OSV feed's records. Reported on models whose elements name a \`technology\`, \`components\` or an \`sbom\`, at the top of the file.`,
    advice: 'Download a current copy of the feed (CISA publishes the KEV catalog as JSON; OSV offers exports per ecosystem) and point Rampart at it. Rampart never downloads feeds itself.',
    why: 'CISA adds vulnerabilities to the KEV catalog every week and new advisories appear daily: an old copy stays silent about exactly the vulnerabilities attackers have just started to use, and a clean check against it says nothing about today.',
    example: `
# rampart check --intel feeds/known_exploited_vulnerabilities.json --intel feeds/osv/
elements:
  web: { type: process, name: Web server, technology: Apache Tomcat 9.0.30 }
`,
  },
  check(ctx) {
    const m = intelOf(ctx);
    if (!m?.relevant) return [];
    const out: RuleFinding[] = [];
    for (const f of m.index.feeds) {
      const age = feedAgeDays(f, ctx.now);
      if (age === undefined || age <= STALE_FEED_DAYS) continue;
      out.push({
        range: topRange(ctx),
        stableId: `intel/stale-feed@${f.name}`,
        message: `The ${feedLabel(f)} is ${age} days old: its date, ${f.date}, is more than ${STALE_FEED_DAYS} days before ${ctx.now.toISOString().slice(0, 10)}, so vulnerabilities published since are missing from it. Download a current copy.`,
      });
    }
    return out;
  },
};
