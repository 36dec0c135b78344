import type { Rule, RuleFinding } from '../types';
import { quote } from '../helpers';
import { discoveryOf, sectionRange } from './context';
import { matched } from '../../discover/match';

/** A component the repository declares (a Compose service, a Kubernetes workload, an API) that the model lacks. */
export const undeclaredComponent: Rule = {
  meta: {
    id: 'discover/undeclared-component',
    title: 'Component declared in the repository but not in the model',
    category: 'discover',
    severity: 'warning',
    description: 'A Compose service, a Kubernetes workload, an API described in an OpenAPI file, or an external host named in their configuration has no element in the threat model (matched by id, or by the `source:` of an element). Checked only with discovery (`rampart check --discover`, or the editor when it discovers the workspace).',
    advice: 'Add the element with its flows (`rampart discover -o` on the existing model lists them, and the editor offers "Add to model"), or rename the element that stands for it to its id.',
  },
  check(ctx) {
    const x = discoveryOf(ctx);
    if (!x) return [];
    const out: RuleFinding[] = [];
    for (const e of x.d.elements) {
      if (e.origin === 'implied' || matched(x.m, 'elements', e.id) !== undefined) continue;
      out.push({
        range: sectionRange(ctx, 'elements', 'boundaries'),
        stableId: `discover/undeclared-component@${e.id}`,
        message: `${e.what} in ${e.source.file} is not in the threat model: add it as ${quote(e.id)} with its flows, or record why it is out of scope.`,
        why: `${e.source.file}:${e.source.line} declares ${e.what}; no element has the id ${quote(e.id)} or \`source: ${e.source.file}:${e.source.line}\`.`,
        fixes: [{ kind: 'add-discovered', title: `Add to model: ${e.what}, with its flows`, section: 'elements', discovered: e.id, preferred: true }],
      });
    }
    return out;
  },
};
