/**
 * Which ids a position expects, by model path: the same slots as `referenceSlots` in model/index.ts, but
 * matched on a path alone, so completion can answer for a value that is still being typed.
 */
import type { IdKind } from '../model/index';
import type { Path } from '../types';

const ELEMENT_OR_FLOW: readonly IdKind[] = ['element', 'flow'];

/** The kinds of id a value at `path` refers to, or undefined when the path is not a reference slot. */
export function referenceKindsAt(path: Path): readonly IdKind[] | undefined {
  const [section, id, field, ...rest] = path;
  if (typeof id !== 'string') return undefined;
  const item = rest.length === 1 && typeof rest[0] === 'number';
  switch (section) {
    case 'elements':
      if (field === 'boundary' && rest.length === 0) return ['boundary'];
      if ((field === 'stores' || field === 'processes') && item) return ['asset'];
      return undefined;
    case 'boundaries':
      return field === 'parent' && rest.length === 0 ? ['boundary'] : undefined;
    case 'flows':
      if ((field === 'from' || field === 'to') && rest.length === 0) return ['element'];
      if (field === 'data' && item) return ['asset'];
      return undefined;
    case 'threats':
      if (field === 'targets' && item) return ELEMENT_OR_FLOW;
      if (field === 'mitigations' && item) return ['mitigation'];
      if (field === 'statement' && rest[0] === 'assets' && rest.length === 2 && typeof rest[1] === 'number') return ['asset'];
      return undefined;
    case 'attack_trees':
      return attackTreeSlot(path.slice(2));
    default:
      return undefined;
  }
}

/** Inside an attack tree: `threat` at the root, or `(and|or) <index>` repeated, then `threat` or `tree`. */
function attackTreeSlot(rest: Path): readonly IdKind[] | undefined {
  if (rest.length === 1 && rest[0] === 'threat') return ['threat'];
  let i = 0;
  while (i + 1 < rest.length && (rest[i] === 'and' || rest[i] === 'or') && typeof rest[i + 1] === 'number') i += 2;
  if (i === 0 || i !== rest.length - 1) return undefined;
  if (rest[i] === 'threat') return ['threat'];
  if (rest[i] === 'tree') return ['attack_tree'];
  return undefined;
}

/** The entry a path is inside: `['threats', 'token-replay', ...]` -> `['threats', 'token-replay']`. */
export function entryOf(path: Path): { section: string; id: string } | undefined {
  const [section, id] = path;
  return typeof section === 'string' && typeof id === 'string' ? { section, id } : undefined;
}
