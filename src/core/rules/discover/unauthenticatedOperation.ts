import type { Rule, RuleFinding } from '../types';
import { keyRange, quote } from '../helpers';
import { discoveryOf, sectionRange } from './context';
import { matched } from '../../discover/match';

/** Whether a threat on the API (or a flow into it) names the operation: its `METHOD /path` or operationId. */
function named(text: string, method: string, path: string, operationId: string | undefined): boolean {
  const t = text.toLowerCase();
  return t.includes(`${method} ${path}`.toLowerCase()) || (!!operationId && t.includes(operationId.toLowerCase()));
}

/** An operation of an internet-facing API that takes no authentication, and that no threat of the model names. */
export const unauthenticatedOperation: Rule = {
  meta: {
    id: 'discover/unauthenticated-operation',
    title: 'Public API operation without authentication',
    category: 'discover',
    severity: 'warning',
    stride: ['spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-306'],
    description: 'An OpenAPI operation has no security requirement (neither its own nor the description\'s, or an empty `{}` one) and the API is internet-facing (a public server, or an element that is), and no threat on the API element or a flow into it names the operation (`GET /pets` or its operationId). In `rampart discover` output the same finding is located in the OpenAPI file.',
    advice: 'Require a security scheme on the operation, or add a threat on the API that names the operation and record the decision (accepted, with a justification, when it is public by design).',
  },
  check(ctx) {
    const x = discoveryOf(ctx);
    if (!x) return [];
    const out: RuleFinding[] = [];
    for (const op of x.d.operations) {
      if (!op.public || op.authenticated) continue;
      const api = matched(x.m, 'elements', op.api);
      if (api !== undefined) {
        const targets = new Set([api, ...(ctx.graph.flowsTo.get(api) ?? []).map(([id]) => id)]);
        const covered = (ctx.graph.threatsByTarget.get(api) ?? []).concat(...[...targets].map(t => ctx.graph.threatsByTarget.get(t) ?? []))
          .some(tid => {
            const t = ctx.model.threats?.[tid];
            const s = t?.statement;
            return !!t && named([t.title, t.description, s?.action, s?.prerequisites].filter(Boolean).join('\n'), op.method, op.path, op.operationId);
          });
        if (covered) continue;
      }
      out.push({
        range: api !== undefined ? keyRange(ctx, ['elements', api]) : sectionRange(ctx, 'elements'),
        stableId: `discover/unauthenticated-operation@${op.api}#${op.method} ${op.path}`,
        message: `\`${op.method} ${op.path}\`${op.operationId ? ` (${op.operationId})` : ''} of ${quote(api ?? op.api)} requires no authentication and the API is internet-facing (${op.source.file}:${op.source.line}): require a security scheme, or add a threat on ${quote(api ?? op.api)} that names \`${op.method} ${op.path}\` and record why it is public.`,
      });
    }
    return out;
  },
};
