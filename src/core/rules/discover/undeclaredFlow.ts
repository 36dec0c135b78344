import type { Rule, RuleFinding } from '../types';
import { quote } from '../helpers';
import { discoveryOf, sectionRange } from './context';
import { matched } from '../../discover/match';

/** A connection the repository declares between two elements of the model, without a flow in the model. */
export const undeclaredFlow: Rule = {
  meta: {
    id: 'discover/undeclared-flow',
    title: 'Connection declared in the repository but not in the model',
    category: 'discover',
    severity: 'warning',
    description: 'Two elements of the model are connected in the repository (a `depends_on`, a URL or `host:port` in an environment variable, a Kubernetes Service, a published port or an Ingress) but no flow of the model joins them, in either direction for a bidirectional flow. Connections to elements the model lacks are reported as discover/undeclared-component instead.',
    advice: 'Add the flow with its protocol, authentication and encryption, or remove the connection from the configuration if it is stale.',
  },
  check(ctx) {
    const x = discoveryOf(ctx);
    if (!x) return [];
    const out: RuleFinding[] = [];
    for (const f of x.d.flows) {
      if (matched(x.m, 'flows', f.id) !== undefined) continue;
      const from = matched(x.m, 'elements', f.entry.from);
      const to = matched(x.m, 'elements', f.entry.to);
      if (from === undefined || to === undefined) continue;
      out.push({
        range: sectionRange(ctx, 'flows', 'elements'),
        stableId: `discover/undeclared-flow@${from}>${to}`,
        message: `${quote(from)} talks to ${quote(to)}${f.entry.protocol ? ` over ${f.entry.protocol}` : ''} (${f.what} in ${f.source.file}), but the threat model has no flow between them: add it.`,
        why: `${f.source.file}:${f.source.line}: ${f.what}.`,
        fixes: [{ kind: 'add-discovered', title: `Add to model: the flow from ${quote(from)} to ${quote(to)}`, section: 'flows', discovered: f.id, preferred: true }],
      });
    }
    return out;
  },
};
