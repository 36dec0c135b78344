/**
 * What the `discover/*` rules share: the matches of the discovery supplied in the settings against the model
 * (computed once per analysis), and where on the model a finding about a missing entry goes.
 */
import type { Model } from '../../model/schema';
import { matchDiscovery } from '../../discover/match';
import type { Discovery } from '../../discover/types';
import type { RuleContext } from '../types';
import type { Range } from '../../types';
import { keyRange } from '../helpers';

const cache = new WeakMap<Model, { d: Discovery; m: Map<string, string | undefined> }>();

/** The discovery and its matches, or undefined when no discovery was supplied (the rules then find nothing). */
export function discoveryOf(ctx: RuleContext): { d: Discovery; m: Map<string, string | undefined> } | undefined {
  const d = ctx.settings.discovery;
  if (!d) return undefined;
  const hit = cache.get(ctx.model);
  if (hit && hit.d === d) return hit;
  const fresh = { d, m: matchDiscovery(ctx.model, d) };
  cache.set(ctx.model, fresh);
  return fresh;
}

/** The key of the first of `sections` the model has (where a missing entry would go), else the top of the file. */
export function sectionRange(ctx: RuleContext, ...sections: string[]): Range {
  for (const s of sections) if (ctx.source.keyRange([s])) return keyRange(ctx, [s]);
  return ctx.source.keyRange(['rampart']) ?? ctx.source.keyRange(['title']) ?? { start: 0, end: 0 };
}
