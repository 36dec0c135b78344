/**
 * What the `discover/*` rules share: the matches of the discovery supplied in the settings against the model
 * (computed once per analysis), and where on the model a finding about a missing entry goes.
 */
import type { Model } from '../../model/schema';
import { matchDiscovery } from '../../discover/match';
import { scopeDiscovery } from '../../discover/scope';
import type { Discovery } from '../../discover/types';
import type { RuleContext } from '../types';
import type { Range } from '../../types';
import { keyRange } from '../helpers';

const cache = new WeakMap<Model, { given: Discovery; scope: string; d: Discovery | undefined; m: Map<string, string | undefined> }>();

/**
 * The part of the discovery the model answers for (`settings.discoveryScope`) and its matches, or undefined
 * when there is none (no discovery supplied, or a hand-written model beside others): the rules then find nothing.
 */
export function discoveryOf(ctx: RuleContext): { d: Discovery; m: Map<string, string | undefined> } | undefined {
  const given = ctx.settings.discovery;
  if (!given) return undefined;
  const scope = ctx.settings.discoveryScope ?? 'all';
  let hit = cache.get(ctx.model);
  if (!hit || hit.given !== given || hit.scope !== scope) {
    const d = scopeDiscovery(given, ctx.model, scope);
    hit = { given, scope, d, m: d ? matchDiscovery(ctx.model, d) : new Map() };
    cache.set(ctx.model, hit);
  }
  return hit.d ? { d: hit.d, m: hit.m } : undefined;
}

/** The key of the first of `sections` the model has (where a missing entry would go), else the top of the file. */
export function sectionRange(ctx: RuleContext, ...sections: string[]): Range {
  for (const s of sections) if (ctx.source.keyRange([s])) return keyRange(ctx, [s]);
  return ctx.source.keyRange(['rampart']) ?? ctx.source.keyRange(['title']) ?? { start: 0, end: 0 };
}
