import type { Rule } from '../types';
import { cvssIssue } from '../../risk/cvss';
import { quote, valueRange } from '../helpers';

export const invalidCvss: Rule = {
  meta: {
    id: 'risk/invalid-cvss',
    title: 'Invalid CVSS vector',
    category: 'risk',
    severity: 'error',
    description: 'A threat\'s `cvss:` vector is not a valid CVSS 3.0, 3.1 or 4.0 vector (unknown metric, bad value, missing or repeated base metric), so it cannot be scored.',
    advice: 'Fix the vector (FIRST\'s calculators produce valid ones), e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N`.',
    why: 'A CVSS vector that does not parse has no score, so the threat silently loses the severity your team or a vendor advisory gave it. The cause is usually a typo, or a vector pasted from another CVSS version.',
    example: `
threats:
  search-sql-injection:
    title: SQL injection in the search endpoint
    stride: [tampering, information-disclosure]
    targets: [search-api]
    cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N   # each base metric once, valid values
    status: open
`,
  },
  check(ctx) {
    const out = [];
    for (const [id, t] of Object.entries(ctx.model.threats ?? {})) {
      if (t.cvss === undefined) continue;
      const issue = cvssIssue(t.cvss);
      if (!issue) continue;
      out.push({
        path: ['threats', id, 'cvss'],
        range: valueRange(ctx, ['threats', id, 'cvss']),
        stableId: `risk/invalid-cvss@${id}`,
        message: `The CVSS vector of ${quote(id)} is invalid: ${issue}.`,
      });
    }
    return out;
  },
};
