import type { Rule } from '../types';
import { keyRange } from '../helpers';

/** Threat targets and diagram nodes share one namespace: elements, flows and boundaries. */
const SHARED = ['elements', 'flows', 'boundaries'] as const;

export const duplicateId: Rule = {
  meta: {
    id: 'schema/duplicate-id',
    title: 'The same id names two different entries',
    category: 'schema',
    severity: 'error',
    description: 'Elements, flows and boundaries share one namespace (a threat target may be an element or a flow), so an id may be used by only one of them.',
    advice: 'Rename one of the entries (rename updates every reference).',
  },
  check(ctx) {
    const first = new Map<string, string>();
    const out = [];
    for (const section of SHARED) {
      for (const id of Object.keys(ctx.model[section] ?? {})) {
        const prev = first.get(id);
        if (prev) {
          out.push({
            path: [section, id],
            range: keyRange(ctx, [section, id]),
            stableId: `schema/duplicate-id@${section}.${id}`,
            message: `The id \`${id}\` is already used in \`${prev}:\`; ids of elements, flows and boundaries must be unique across all three. Rename one.`,
            related: [{ message: `first defined in ${prev}`, range: keyRange(ctx, [prev, id]) }],
          });
        } else first.set(id, section);
      }
    }
    return out;
  },
};
