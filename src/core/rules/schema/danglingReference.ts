import type { Rule } from '../types';
import { didYouMean } from '../../model/issues';
import { SECTION_OF } from '../../model/index';
import { RESERVED_KEYS } from '../../model/parse';
import type { FixSpec } from '../../types';

const SHARED_IDS = ['element', 'flow', 'boundary'] as const;
const WORD = { asset: 'asset', boundary: 'boundary', element: 'element', flow: 'flow', threat: 'threat', mitigation: 'mitigation', attack_tree: 'attack tree' } as const;

export const danglingReference: Rule = {
  meta: {
    id: 'schema/dangling-reference',
    title: 'Reference to an id that does not exist',
    category: 'schema',
    severity: 'error',
    description: 'A flow end, boundary parent, asset, threat target, mitigation or attack-tree leaf names an id that is not defined in the model.',
    advice: 'Fix the spelling, or create the missing entry (the quick fix adds a stub).',
  },
  check(ctx) {
    const out = [];
    // A reference reached through an alias (`api: *e0`) is the entry's too, whether or not the entry holding
    // the anchor is in the model (it may sit under a reserved or unknown key): reported at the alias.
    const all = [...ctx.index.references.map(ref => ({ ref, alias: false })), ...ctx.index.aliased.map(ref => ({ ref, alias: true }))];
    for (const { ref, alias } of all) {
      if (ctx.index.lookup(ref.id, ref.kinds) || ctx.rejected.has(ref.id)) continue;
      const kinds = ref.kinds.map(k => WORD[k]).join(' or ');
      const candidates = ref.kinds.flatMap(k => [...(ctx.index.byKind.get(k)?.keys() ?? [])]);
      const suggestion = didYouMean(ref.id, candidates);
      const fixes: FixSpec[] = [];
      // At an alias the range is not the id's: no replacement there (the id is written at the anchor).
      if (suggestion && !alias) fixes.push({ kind: 'replace', title: `Change to \`${suggestion}\``, range: ref.range, text: suggestion, expect: ref.id, preferred: true });
      // A reserved word (`constructor`) is never an id: the parser refuses such a key wherever it is (an entry
      // of that name is reported as `schema/reserved-key`), so the entry cannot be created, only renamed.
      const reserved = RESERVED_KEYS.has(ref.id);
      // Elements, flows and boundaries share their ids: a flow `api` leaves no room for an element `api`.
      const takenBy = (SHARED_IDS as readonly string[]).includes(ref.kinds[0]) ? SHARED_IDS.find(k => ctx.index.lookup(ref.id, [k])) : undefined;
      const section = SECTION_OF[ref.kinds[0]];
      if (!reserved && !takenBy && (section === 'elements' || section === 'boundaries' || section === 'assets' || section === 'mitigations' || section === 'threats')) {
        fixes.push({ kind: 'create-element', title: `Create ${WORD[ref.kinds[0]]} \`${ref.id}\``, section, id: ref.id, preferred: !suggestion || alias });
      }
      const taken = takenBy ? ` \`${ref.id}\` is the id of ${/^[aeiou]/.test(WORD[takenBy]) ? 'an' : 'a'} ${WORD[takenBy]}, and elements, flows and boundaries share their ids: rename one of them.` : '';
      const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
      const via = alias ? ` (The reference is \`${ref.path.slice(2).join('.')}\` of the value this alias refers to: it is written at the anchor.)` : '';
      out.push({
        path: ref.path,
        range: ref.range,
        stableId: `schema/dangling-reference@${ref.path.join('.')}`,
        message: reserved
          ? `\`${ref.id}\` is a reserved word and cannot be the id of ${/^[aeiou]/.test(kinds) ? 'an' : 'a'} ${kinds}.${hint} Give the entry another id and refer to that.${via}`
          : taken
            ? `Unknown ${kinds} \`${ref.id}\`.${taken}${hint}${via}`
            : `Unknown ${kinds} \`${ref.id}\`.${hint} Define it under \`${ref.kinds.map(k => SECTION_OF[k]).join('` or `')}:\` or fix the reference.${via}`,
        fixes,
      });
    }
    return out;
  },
};
