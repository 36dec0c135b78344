/**
 * Facts about the data flow that the design rules share: effective trust, encryption and authentication of a
 * flow, the data an element holds, exposure to untrusted callers. Pure functions over the rule context.
 */
import type { Asset, Classification, Control, Element, Flow, Impact, Likelihood, Trust } from '../../model/schema';
import type { RuleContext } from '../types';

export const CLASS_RANK: Record<Classification, number> = { public: 0, internal: 1, confidential: 2, restricted: 3 };
export const TRUST_RANK: Record<Trust, number> = { untrusted: 0, partial: 1, trusted: 2 };

export const quote = (id: string) => `\`${id}\``;

/** `api` (Payment API), or just `api` when the name adds nothing. */
export function describe(ctx: RuleContext, id: string): string {
  const name = ctx.model.elements?.[id]?.name ?? ctx.model.flows?.[id]?.name;
  return name && name.toLowerCase() !== id.replace(/-/g, ' ') ? `${quote(id)} (${name})` : quote(id);
}

export const nameOf = (ctx: RuleContext, id: string) => ctx.model.elements?.[id]?.name ?? ctx.model.flows?.[id]?.name ?? id;

/** A list in words: "a, b and c". */
export function words(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const hasControl = (x: Pick<Element, 'controls'> | Pick<Flow, 'controls'> | undefined, ...c: Control[]) =>
  !!x?.controls?.some(k => c.includes(k));

// ---- boundaries and trust -------------------------------------------------------------------------------

/**
 * The trust of an element's boundary. An external entity outside any boundary counts as untrusted; a process
 * or store outside any boundary has unknown trust (undefined).
 */
export function trustOf(ctx: RuleContext, id: string): Trust | undefined {
  const e = ctx.model.elements?.[id];
  if (!e) return undefined;
  const t = e.boundary ? ctx.model.boundaries?.[e.boundary]?.trust : undefined;
  if (t) return t;
  return e.type === 'external' ? 'untrusted' : undefined;
}

/** Whether the element is run by another organisation: kind third-party, or a boundary (or parent) with `ours: false`. */
export function isForeign(ctx: RuleContext, id: string): boolean {
  const e = ctx.model.elements?.[id];
  if (!e) return false;
  if (e.kind === 'third-party') return true;
  return ctx.graph.boundaryChain(e.boundary).some(b => ctx.model.boundaries?.[b]?.ours === false);
}

export function boundaryLabel(ctx: RuleContext, id: string): string {
  const e = ctx.model.elements?.[id];
  if (!e?.boundary) return 'no boundary';
  const b = ctx.model.boundaries?.[e.boundary];
  return b ? `${quote(e.boundary)} (${b.trust})` : quote(e.boundary);
}

/**
 * The trust of whoever can reach an element through `fromId`. A load balancer is transparent: traffic it
 * forwards comes from its own least-trusted caller.
 */
export function callerTrust(ctx: RuleContext, fromId: string, seen = new Set<string>()): Trust | undefined {
  const e = ctx.model.elements?.[fromId];
  if (e?.kind === 'load-balancer' && !seen.has(fromId) && seen.size < 8) {
    seen.add(fromId);
    let min: Trust | undefined = trustOf(ctx, fromId);
    for (const { peer } of inbound(ctx, fromId)) {
      const t = callerTrust(ctx, peer, seen);
      if (t !== undefined && (min === undefined || TRUST_RANK[t] < TRUST_RANK[min])) min = t;
    }
    return min;
  }
  return trustOf(ctx, fromId);
}

/** a is strictly less trusted than b (both known). */
export function lessTrusted(a: Trust | undefined, b: Trust | undefined): boolean {
  return a !== undefined && b !== undefined && TRUST_RANK[a] < TRUST_RANK[b];
}

// ---- flows -----------------------------------------------------------------------------------------------

export interface Hop {
  flowId: string;
  flow: Flow;
  /** The element at the other end. */
  peer: string;
}

/** Flows carrying data into `id` (a bidirectional flow counts both ways). */
export function inbound(ctx: RuleContext, id: string): Hop[] {
  const out: Hop[] = [];
  for (const [flowId, flow] of ctx.graph.flowsTo.get(id) ?? []) out.push({ flowId, flow, peer: flow.from });
  for (const [flowId, flow] of ctx.graph.flowsFrom.get(id) ?? []) if (flow.bidirectional) out.push({ flowId, flow, peer: flow.to });
  return out;
}

/** Flows carrying data out of `id` (a bidirectional flow counts both ways). */
export function outbound(ctx: RuleContext, id: string): Hop[] {
  const out: Hop[] = [];
  for (const [flowId, flow] of ctx.graph.flowsFrom.get(id) ?? []) out.push({ flowId, flow, peer: flow.to });
  for (const [flowId, flow] of ctx.graph.flowsTo.get(id) ?? []) if (flow.bidirectional) out.push({ flowId, flow, peer: flow.from });
  return out;
}

/** The directions data moves on a flow: [sender, receiver] pairs. */
export function directions(flow: Flow): [string, string][] {
  return flow.bidirectional ? [[flow.from, flow.to], [flow.to, flow.from]] : [[flow.from, flow.to]];
}

/** Flows whose two ends exist (a dangling end is schema/dangling-reference's finding, not a design weakness). */
/**
 * The flows whose two ends are elements, and the elements, as [id, entry] lists: made once per model (every design
 * rule walks them; 2,000 flows for each of 30 rules in a `check`). Read only. A memoised rule's context has a
 * model of its own (one that records what is read, incremental/memo.ts), so it makes its own and is recorded.
 */
const flowLists = new WeakMap<object, readonly [string, Flow][]>();
const elementLists = new WeakMap<object, readonly [string, Element][]>();
export const flows = (ctx: RuleContext): readonly [string, Flow][] => {
  let list = flowLists.get(ctx.model);
  if (!list) flowLists.set(ctx.model, (list = Object.entries(ctx.model.flows ?? {}).filter(([, f]) => !!ctx.model.elements?.[f.from] && !!ctx.model.elements?.[f.to])));
  return list;
};
export const elements = (ctx: RuleContext): readonly [string, Element][] => {
  let list = elementLists.get(ctx.model);
  if (!list) elementLists.set(ctx.model, (list = Object.entries(ctx.model.elements ?? {})));
  return list;
};

const ENCRYPTED_PROTOCOLS = new Set(['https', 'tls', 'mtls', 'ssl', 'grpcs', 'wss', 'sftp', 'ssh', 'scp', 'ftps', 'ldaps', 'smtps', 'imaps', 'pop3s', 'amqps', 'mqtts', 'ipsec', 'vpn', 'wireguard', 'rediss', 'kafka+ssl', 'sasl_ssl']);
const PLAINTEXT_PROTOCOLS = new Set(['http', 'ftp', 'telnet', 'ldap', 'ws', 'smtp', 'pop3', 'imap', 'amqp', 'mqtt', 'snmp', 'tftp', 'rsh', 'vnc', 'nfs', 'smb']);

/** 'yes' when the flow is encrypted (`encrypted: true` or an encrypting protocol), 'no' when it is known not to be, else 'unknown'. */
export function encryption(flow: Flow): 'yes' | 'no' | 'unknown' {
  if (flow.encrypted === true) return 'yes';
  if (flow.encrypted === false) return 'no';
  const p = (flow.protocol ?? '').toLowerCase();
  const tokens = p.split(/[^a-z0-9_+]+/).filter(Boolean);
  if (tokens.some(t => ENCRYPTED_PROTOCOLS.has(t)) || /\b(over|with|\+)\s*tls\b/.test(p)) return 'yes';
  if (tokens.length && PLAINTEXT_PROTOCOLS.has(tokens[0])) return 'no';
  return 'unknown';
}

/** The plaintext protocol a flow declares, for messages. */
export const protocolOf = (flow: Flow) => (flow.protocol ? ` over ${flow.protocol}` : '');

/** Whether the receiver authenticates the sender on this flow: `authenticated: true`, or an authentication/mfa control on the flow or the receiver. */
export function authenticated(ctx: RuleContext, flow: Flow, receiver: string): boolean {
  if (flow.authenticated === false) return false;
  if (flow.authenticated === true || hasControl(flow, 'authentication', 'mfa')) return true;
  return hasControl(ctx.model.elements?.[receiver], 'authentication', 'mfa');
}

/** API traffic: an HTTP-family or RPC protocol, or a receiver of kind api or gateway. */
const API_PROTOCOLS = new Set(['http', 'https', 'grpc', 'grpcs', 'graphql', 'rest', 'soap', 'json', 'jsonrpc', 'xmlrpc', 'ws', 'wss', 'websocket', 'websockets', 'openapi', 'odata']);
export function isApiFlow(ctx: RuleContext, flow: Flow, receiver: string): boolean {
  const r = ctx.model.elements?.[receiver];
  if (r?.type !== 'process') return false;
  if (r.kind === 'api' || r.kind === 'gateway') return true;
  const tokens = (flow.protocol ?? '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return tokens.some(t => API_PROTOCOLS.has(t));
}

// ---- data ------------------------------------------------------------------------------------------------

export type AssetRef = [string, Asset];

export function assets(ctx: RuleContext, ids: Iterable<string> | undefined): AssetRef[] {
  const out: AssetRef[] = [];
  const seen = new Set<string>();
  for (const id of ids ?? []) {
    const a = ctx.model.assets?.[id];
    if (a && !seen.has(id)) {
      seen.add(id);
      out.push([id, a]);
    }
  }
  return out;
}

/** The assets on a flow. */
export const flowAssets = (ctx: RuleContext, flow: Flow) => assets(ctx, flow.data);

/** What a store holds: its declared `stores`, plus the data on flows into and out of it. */
export function heldAssets(ctx: RuleContext, id: string): AssetRef[] {
  const e = ctx.model.elements?.[id];
  if (!e) return [];
  const ids = [...(e.stores ?? [])];
  if (e.type === 'store') {
    for (const h of inbound(ctx, id)) ids.push(...(h.flow.data ?? []));
    for (const h of outbound(ctx, id)) ids.push(...(h.flow.data ?? []));
  }
  return assets(ctx, ids);
}

/** What an element handles: declared `stores` and `processes`, plus the data on every flow in or out of it. */
export function handledAssets(ctx: RuleContext, id: string): AssetRef[] {
  const e = ctx.model.elements?.[id];
  if (!e) return [];
  const ids = [...(e.stores ?? []), ...(e.processes ?? [])];
  for (const h of inbound(ctx, id)) ids.push(...(h.flow.data ?? []));
  for (const h of outbound(ctx, id)) ids.push(...(h.flow.data ?? []));
  return assets(ctx, ids);
}

export const SECRET_KINDS = new Set(['credentials', 'secret', 'key']);
export const isSecret = (a: Asset) => !!a.kind && SECRET_KINDS.has(a.kind);

/** Confidential or restricted data, or credentials, secrets and keys of any classification. */
export const isSensitive = (a: Asset) => CLASS_RANK[a.classification] >= CLASS_RANK.confidential || isSecret(a);

export function maxClass(list: readonly AssetRef[]): Classification | undefined {
  let best: Classification | undefined;
  for (const [, a] of list) if (best === undefined || CLASS_RANK[a.classification] > CLASS_RANK[best]) best = a.classification;
  return best;
}

/** `card-data` (restricted), `session` (confidential) */
export const assetList = (list: readonly AssetRef[]) => words(list.map(([id, a]) => `${quote(id)} (${a.classification})`));

/** A pre-filled impact from the most sensitive data involved. */
export function impactFor(list: readonly AssetRef[], fallback: Impact = 'moderate'): Impact {
  const crit = list.map(([, a]) => a.criticality).filter(Boolean);
  if (crit.includes('critical')) return 'severe';
  const c = maxClass(list);
  if (c === 'restricted') return list.some(([, a]) => a.criticality === 'high') ? 'severe' : 'major';
  if (c === 'confidential') return 'moderate';
  if (c === 'internal') return list.some(([, a]) => isSecret(a)) ? 'moderate' : 'minor';
  if (c === 'public') return 'negligible';
  return fallback;
}

const LIKELIHOOD_SCALE: Likelihood[] = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'];

/**
 * A pre-filled likelihood from the trust of the least-trusted party involved: likely from untrusted places,
 * possible from partially trusted or foreign ones, unlikely from trusted ones. `shift` moves it along the
 * scale for weaknesses that need more than reachability (-1: an authorization flaw must still exist).
 */
export function likelihoodFor(trust: Trust | undefined, foreign = false, shift = 0): Likelihood {
  const base = trust === 'untrusted' ? 3 : trust === 'partial' || foreign || trust === undefined ? 2 : 1;
  return LIKELIHOOD_SCALE[Math.max(0, Math.min(4, base + shift))];
}

// ---- people ------------------------------------------------------------------------------------------------

const HUMAN_NAME = /\b(admin(istrator)?s?|operators?|engineers?|staff|employees?|support|developers?|analysts?|agents?|clerks?|users?|customers?|sre|dba|on-?call)\b/i;

/** A person: kind human, or an external entity without a kind whose name reads like a role (Operator, Support agent). */
export function isHuman(e: Element | undefined): boolean {
  if (!e) return false;
  if (e.kind) return e.kind === 'human';
  return e.type === 'external' && HUMAN_NAME.test(e.name);
}

/** An administrative interface: `admin: true` or kind admin-console. */
export const isAdminInterface = (e: Element | undefined) => !!e && e.type === 'process' && (e.admin === true || e.kind === 'admin-console');

/** Whether a process can be reached from an untrusted place: `internet_facing: true`, or a caller whose trust is untrusted. */
export function untrustedCallers(ctx: RuleContext, id: string): Hop[] {
  return inbound(ctx, id).filter(h => callerTrust(ctx, h.peer) === 'untrusted' || isForeign(ctx, h.peer));
}

export function isExposed(ctx: RuleContext, id: string): boolean {
  return ctx.model.elements?.[id]?.internet_facing === true || untrustedCallers(ctx, id).length > 0;
}

// ---- related entries ---------------------------------------------------------------------------------------

export const at = {
  flow: (id: string, message: string) => ({ path: ['flows', id] as const, message }),
  element: (id: string, message: string) => ({ path: ['elements', id] as const, message }),
  asset: (id: string, message: string) => ({ path: ['assets', id] as const, message }),
  boundary: (id: string | undefined, message: string) => (id ? [{ path: ['boundaries', id] as const, message }] : []),
};

/** Related entries for the assets that make a rule fire. */
export const assetLinks = (list: readonly AssetRef[], why: string) => list.map(([id, a]) => at.asset(id, `${id} is ${a.classification}${why}`));

/**
 * A load balancer, or a gateway that forwards to processes: it passes requests on, so checks such as
 * authorization and input validation belong to the processes behind it (unless it records them itself).
 */
export function isFronting(ctx: RuleContext, id: string): boolean {
  const e = ctx.model.elements?.[id];
  if (e?.kind === 'load-balancer') return true;
  return e?.kind === 'gateway' && outbound(ctx, id).some(h => ctx.model.elements?.[h.peer]?.type === 'process');
}

/** A control recorded on the flow, the receiver, or a fronting element the flow comes from. */
export function controlOnPath(ctx: RuleContext, flow: Flow, from: string, to: string, control: Control): boolean {
  return hasControl(flow, control) || hasControl(ctx.model.elements?.[to], control) || (isFronting(ctx, from) && hasControl(ctx.model.elements?.[from], control));
}
