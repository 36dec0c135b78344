/**
 * Evaluating a library condition (the match form of schema.ts) on an element or a flow. Nothing of the library is
 * executed: every field is a fixed test (equality, one-of, case-insensitive substring, set membership). A match
 * costs its number of fields times a bounded amount of work, plus the data an element handles (its flows, read
 * once per element and subject, see `Facts`); a condition is bounded (CONDITION_LIMITS), so evaluating a rule on
 * a model is linear in it.
 */
import type { Classification, Element, Flow } from '../model/schema';
import type { RuleContext } from '../rules/types';
import { authenticated, encryption, handledAssets, hasControl, isExposed, isForeign, trustOf, type AssetRef, assets } from '../rules/design/facts';
import type { Condition, ElementMatch, FlowMatch } from './schema';

/** The model side a condition reads: the rule context, or as much of it as `libraryThreatsFor` has. */
export type MatchContext = Pick<RuleContext, 'model' | 'graph'>;

const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const contains = (hay: string | undefined, needles: string[]) => {
  const h = (hay ?? '').toLowerCase();
  return needles.some(n => h.includes(n.toLowerCase()));
};

/** Per-subject data, computed once per evaluation of a rule over a model. */
export class Facts {
  private handled = new Map<string, AssetRef[]>();
  private exposed = new Map<string, boolean>();
  constructor(readonly ctx: MatchContext) {}
  assetsOf(id: string): AssetRef[] {
    let a = this.handled.get(id);
    if (!a) this.handled.set(id, (a = handledAssets(this.ctx as RuleContext, id)));
    return a;
  }
  isExposed(id: string): boolean {
    let x = this.exposed.get(id);
    if (x === undefined) this.exposed.set(id, (x = isExposed(this.ctx as RuleContext, id)));
    return x;
  }
}

function dataMatch(list: AssetRef[], m: { data_classification?: unknown; data_kind?: unknown; personal?: boolean }): boolean {
  const classes = arr(m.data_classification as Classification | Classification[] | undefined);
  if (classes.length && !list.some(([, a]) => classes.includes(a.classification))) return false;
  const kinds = arr(m.data_kind as string | string[] | undefined);
  if (kinds.length && !list.some(([, a]) => !!a.kind && kinds.includes(a.kind))) return false;
  if (m.personal !== undefined && list.some(([, a]) => a.personal === true) !== m.personal) return false;
  return true;
}

const controlsMatch = (x: Pick<Element, 'controls'>, m: { has_controls?: unknown; missing_controls?: unknown }) => {
  const has = arr(m.has_controls as string[] | string | undefined);
  if (has.length && !has.every(c => x.controls?.includes(c as never))) return false;
  const missing = arr(m.missing_controls as string[] | string | undefined);
  if (missing.length && !missing.some(c => !x.controls?.includes(c as never))) return false;
  return true;
};

export function matchElement(f: Facts, id: string, m: ElementMatch): boolean {
  const ctx = f.ctx;
  const e = ctx.model.elements?.[id];
  if (!e) return false;
  if (m.type !== undefined && !arr(m.type).includes(e.type)) return false;
  if (m.kind !== undefined && !(e.kind && arr(m.kind).includes(e.kind))) return false;
  if (m.technology !== undefined && !(e.technology && contains(e.technology, arr(m.technology)))) return false;
  if (m.name !== undefined && !contains(e.name, arr(m.name))) return false;
  if (m.id !== undefined && !arr(m.id).includes(id)) return false;
  if (m.tags !== undefined && !arr(m.tags).some(t => e.tags?.includes(t))) return false;
  if (!controlsMatch(e, m)) return false;
  if (m.boundary !== undefined) {
    const chain = ctx.graph.boundaryChain(e.boundary);
    if (!arr(m.boundary).some(b => chain.includes(b))) return false;
  }
  if (m.trust !== undefined && !arr(m.trust).includes(trustOf(ctx as RuleContext, id) ?? 'none')) return false;
  if (m.internet_facing !== undefined && (e.internet_facing === true) !== m.internet_facing) return false;
  if (m.encrypted !== undefined && (e.encrypted === true) !== m.encrypted) return false;
  if (m.privileged !== undefined && (e.privileged === true) !== m.privileged) return false;
  if (m.admin !== undefined && (e.admin === true) !== m.admin) return false;
  if (m.redundant !== undefined && (e.redundant === true) !== m.redundant) return false;
  if (m.third_party !== undefined && isForeign(ctx as RuleContext, id) !== m.third_party) return false;
  if ((m.data_classification !== undefined || m.data_kind !== undefined || m.personal !== undefined) && !dataMatch(f.assetsOf(id), m)) return false;
  if (m.exposed !== undefined && f.isExposed(id) !== m.exposed) return false;
  if (m.all && !m.all.every(x => matchElement(f, id, x))) return false;
  if (m.any && !m.any.some(x => matchElement(f, id, x))) return false;
  if (m.not && matchElement(f, id, m.not)) return false;
  return true;
}

export const flowAssetsBothWays = (ctx: MatchContext, flow: Flow) => assets(ctx as RuleContext, [...(flow.data ?? []), ...(flow.data_received ?? [])]);

export function matchFlow(f: Facts, id: string, m: FlowMatch): boolean {
  const ctx = f.ctx;
  const flow = ctx.model.flows?.[id];
  if (!flow) return false;
  if (m.protocol !== undefined && !(flow.protocol && contains(flow.protocol, arr(m.protocol)))) return false;
  if (m.name !== undefined && !contains(flow.name ?? id, arr(m.name))) return false;
  if (m.id !== undefined && !arr(m.id).includes(id)) return false;
  if (m.tags !== undefined && !arr(m.tags).some(t => flow.tags?.includes(t))) return false;
  if (!controlsMatch(flow, m)) return false;
  if (m.encrypted !== undefined && (encryption(flow) === 'yes') !== m.encrypted) return false;
  if (m.authenticated !== undefined && authenticated(ctx as RuleContext, flow, flow.to) !== m.authenticated) return false;
  if (m.authorized !== undefined) {
    const yes = flow.authorized === true || hasControl(flow, 'authorization') || (flow.authorized !== false && hasControl(ctx.model.elements?.[flow.to], 'authorization'));
    if (yes !== m.authorized) return false;
  }
  if (m.bidirectional !== undefined && (flow.bidirectional === true) !== m.bidirectional) return false;
  if (m.crosses_boundary !== undefined && ctx.graph.crossesBoundary(flow) !== m.crosses_boundary) return false;
  if ((m.data_classification !== undefined || m.data_kind !== undefined || m.personal !== undefined) && !dataMatch(flowAssetsBothWays(ctx, flow), m)) return false;
  if (m.from && !matchElement(f, flow.from, m.from)) return false;
  if (m.to && !matchElement(f, flow.to, m.to)) return false;
  if (m.all && !m.all.every(x => matchFlow(f, id, x))) return false;
  if (m.any && !m.any.some(x => matchFlow(f, id, x))) return false;
  if (m.not && matchFlow(f, id, m.not)) return false;
  return true;
}

/** Whether a condition holds on an element or flow id (an element condition never holds on a flow, and back). */
export function matches(f: Facts, c: Condition, id: string): boolean {
  return 'element' in c ? matchElement(f, id, c.element) : matchFlow(f, id, c.flow);
}

/** The controls a condition asks to be missing (for `{missing}`): those of its `missing_controls`, all levels but `not:`. */
export function missingControlsOf(m: ElementMatch | FlowMatch | undefined, out = new Set<string>()): Set<string> {
  if (!m) return out;
  for (const c of arr(m.missing_controls as string | string[] | undefined)) out.add(c);
  for (const x of [...(m.all ?? []), ...(m.any ?? [])]) missingControlsOf(x as ElementMatch, out);
  return out;
}

/** A condition in words, for a rule's `detection` and a finding's `why`. */
export function describeCondition(c: Condition): string {
  return 'element' in c ? `an element ${describeMatch(c.element)}` : `a flow ${describeMatch(c.flow)}`;
}

function describeMatch(m: ElementMatch | FlowMatch, depth = 0): string {
  if (depth > 8) return '…';
  const parts: string[] = [];
  const list = (v: unknown) => arr(v as string | string[]).join(' or ');
  for (const [k, v] of Object.entries(m)) {
    if (k === 'all') parts.push(`all of (${(v as (ElementMatch | FlowMatch)[]).map(x => describeMatch(x, depth + 1)).join('; ')})`);
    else if (k === 'any') parts.push(`any of (${(v as (ElementMatch | FlowMatch)[]).map(x => describeMatch(x, depth + 1)).join('; ')})`);
    else if (k === 'not') parts.push(`not (${describeMatch(v as ElementMatch, depth + 1)})`);
    else if (k === 'from' || k === 'to') parts.push(`${k} an element ${describeMatch(v as ElementMatch, depth + 1)}`);
    else if (k === 'technology' || k === 'name' || k === 'protocol') parts.push(`${k} containing ${arr(v as string | string[]).map(x => `"${x}"`).join(' or ')}`);
    else if (k === 'missing_controls') parts.push(`without control ${arr(v as string[]).join(' or ')}`);
    else if (k === 'has_controls') parts.push(`with control${arr(v as string[]).length > 1 ? 's' : ''} ${arr(v as string[]).join(' and ')}`);
    else if (typeof v === 'boolean') parts.push(`${v ? '' : 'not '}${k.replace(/_/g, ' ')}`);
    else parts.push(`${k.replace(/_/g, ' ')} ${list(v)}`);
  }
  return parts.length ? parts.join(', ') : '(any)';
}
