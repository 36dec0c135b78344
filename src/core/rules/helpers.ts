/** Small helpers shared by rules: locating a model path and describing entries in messages. */
import type { RuleContext } from './types';
import type { Path, Range, RelatedInfo } from '../types';

export const keyRange = (ctx: RuleContext, path: Path): Range => ctx.source.keyRange(path) ?? ctx.source.rangeFor(path);
export const valueRange = (ctx: RuleContext, path: Path): Range => ctx.source.valueRange(path) ?? ctx.source.rangeFor(path);

/** Related information pointing at an entry's definition (e.g. the flow that causes a finding). */
export function relatedTo(ctx: RuleContext, path: Path, message: string): RelatedInfo[] {
  const r = ctx.source.keyRange(path);
  return r ? [{ message, range: r }] : [];
}

export const quote = (id: string) => `\`${id}\``;
