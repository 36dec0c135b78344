/** Small helpers shared by rules: locating a model path and describing entries in messages. */
import type { RuleContext } from './types';
import type { Path, Range, RelatedInfo } from '../types';
import { KIND_OF_SECTION } from '../model/index';

/**
 * The key range of an entry (`[section, id]`) from the index, which has every entry's: a rule reporting on
 * thousands of entries does not walk the document for each.
 */
function entryKeyRange(ctx: RuleContext, path: Path): Range | undefined {
  if (path.length !== 2) return undefined;
  const kind = KIND_OF_SECTION[String(path[0])];
  const r = kind ? ctx.index.byKind.get(kind)?.get(String(path[1]))?.range : undefined;
  return r && r.end > r.start ? r : undefined;
}

export const keyRange = (ctx: RuleContext, path: Path): Range => entryKeyRange(ctx, path) ?? ctx.source.keyRange(path) ?? ctx.source.rangeFor(path);
export const valueRange = (ctx: RuleContext, path: Path): Range => ctx.source.valueRange(path) ?? ctx.source.rangeFor(path);

/** Related information pointing at an entry's definition (e.g. the flow that causes a finding). */
export function relatedTo(ctx: RuleContext, path: Path, message: string): RelatedInfo[] {
  const r = entryKeyRange(ctx, path) ?? ctx.source.keyRange(path);
  return r ? [{ message, range: r }] : [];
}

export const quote = (id: string) => `\`${id}\``;
