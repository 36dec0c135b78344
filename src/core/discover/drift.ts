/**
 * An existing model and a Discovery: what is new (proposals the adapters insert with the edit intents), and the
 * drift findings (`discover/*`, located in the model). Entries match by id or by `source:` (see match.ts), so
 * discovering again proposes only what is new.
 *
 * A proposal is a list of steps, each an edit intent (`add-boundary`, `add-element`, `add-flow`, then
 * `set-fields` for what those intents do not take: kind, exposure, `source`, ...) or, for an asset, the
 * `create-element` fix. Applied in order with `computeIntent`/`computeFix`, each on the text the previous one
 * produced, they write the entry in the file's own style; `applyProposals` does exactly that.
 */
import { analyze } from '../analyze';
import { computeIntent, type Intent } from '../edit/intents';
import { computeFixResult, type FixResult } from '../edit/fixes';
import { applyEdits, diffEdit } from '../edit/yamlEdit';
import { parseModel } from '../model/parse';
import { RULES } from '../rules/index';
import type { AnalysisSettings, Finding, FixSpec, TextEdit } from '../types';
import { baseId, Ids } from './collect';
import { entryValue } from './draft';
import { matchDiscovery, matched, SECTION_ORDER } from './match';
import type { Discovered, DiscoveredSection, Discovery, SourceRef } from './types';

export type ProposalStep = { intent: Intent } | { fix: FixSpec };

export interface Proposal {
  /** `section/id`: what `requires` and `proposalClosure` name. */
  key: string;
  section: DiscoveredSection;
  /** The id the entry gets in the model (fresh: no entry of the model has it). */
  id: string;
  /** Its id in the discovery (what a `discover/*` finding's `stableId` names after the `@`). */
  discovered: string;
  /** The entry as it will read, references already in the model's ids. */
  value: Record<string, unknown>;
  /** What declared it, in words ("service `billing`"). */
  what: string;
  source: SourceRef;
  /** Keys of the proposals to apply first: its boundary, its assets, a flow's new ends. */
  requires: string[];
  steps: ProposalStep[];
}

const FALLBACK: Record<DiscoveredSection, string> = { boundaries: 'boundary', assets: 'asset', elements: 'element', flows: 'flow' };
const keyOf = (section: DiscoveredSection, id: string) => `${section}/${id}`;

/** The ids a section of the file holds (valid entries or not), as the intents see them. */
function idsIn(data: unknown, sections: readonly string[]): string[] {
  if (!data || typeof data !== 'object') return [];
  return sections.flatMap(s => {
    const m = (data as Record<string, unknown>)[s];
    return m && typeof m === 'object' && !Array.isArray(m) ? Object.keys(m) : [];
  });
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as Record<string, string | number | boolean | string[]>;

/** The steps that write `value` as entry `id` of `section`. */
function stepsFor(section: DiscoveredSection, id: string, v: Record<string, unknown>): ProposalStep[] {
  const rest = (keys: string[]) => defined(Object.fromEntries(keys.map(k => [k, v[k]])));
  let first: ProposalStep;
  let more: Record<string, string | number | boolean | string[]>;
  if (section === 'boundaries') {
    first = { intent: defined({ kind: 'add-boundary', name: v.name, trust: v.trust, parent: v.parent }) as Intent };
    more = rest(['ours', 'description', 'source']);
  } else if (section === 'elements') {
    first = { intent: defined({ kind: 'add-element', type: v.type, name: v.name, boundary: v.boundary, technology: v.technology }) as Intent };
    more = rest(['kind', 'internet_facing', 'stores', 'processes', 'controls', 'tags', 'description', 'source']);
  } else if (section === 'flows') {
    first = { intent: defined({ kind: 'add-flow', from: v.from, to: v.to, protocol: v.protocol, authenticated: v.authenticated, encrypted: v.encrypted }) as Intent };
    more = rest(['controls', 'tags', 'description', 'source']);
  } else {
    first = { fix: { kind: 'create-element', title: `Add asset ${id}`, section: 'assets', id } };
    more = rest(['name', 'classification', 'kind', 'description', 'source']);
  }
  return Object.keys(more).length ? [first, { intent: { kind: 'set-fields', section, id, set: more } }] : [first];
}

/**
 * What `discovery` declares that the model in `existingModelText` lacks, in the order to apply it (boundaries,
 * assets, elements, flows). Entries the model has (by id or `source:`) are not proposed, so a model drafted
 * from the same files gets no proposal. Flows are proposed when both ends are in the model or proposed.
 */
export function proposeAdditions(existingModelText: string, discovery: Discovery): Proposal[] {
  const parsed = parseModel(existingModelText);
  const m = matchDiscovery(parsed.model, discovery);
  const nodeIds = new Ids(idsIn(parsed.data, ['elements', 'flows', 'boundaries']));
  const assetIds = new Ids(idsIn(parsed.data, ['assets']));
  /** discovered `section\0id` -> { id in the model, key of its proposal when it is new }. */
  const target = new Map<string, { id: string; key?: string }>();
  const refOf = (section: DiscoveredSection, id: string | undefined) => (id === undefined ? undefined : target.get(`${section}\u0000${id}`));
  const out: Proposal[] = [];
  for (const section of SECTION_ORDER) {
    for (const x of discovery[section] as Discovered<Record<string, unknown>>[]) {
      const have = matched(m, section, x.id);
      if (have !== undefined) { target.set(`${section}\u0000${x.id}`, { id: have }); continue; }
      const v = entryValue(x);
      const requires: string[] = [];
      const ref = (s: DiscoveredSection, field: string) => {
        if (typeof v[field] !== 'string') return true;
        const r = refOf(s, v[field] as string);
        if (!r) return false;
        v[field] = r.id;
        if (r.key) requires.push(r.key);
        return true;
      };
      if (section === 'boundaries' && !ref('boundaries', 'parent')) delete v.parent;
      if (section === 'elements') {
        if (!ref('boundaries', 'boundary')) delete v.boundary;
        for (const list of ['stores', 'processes']) {
          if (!Array.isArray(v[list])) continue;
          v[list] = (v[list] as string[]).map(a => refOf('assets', a)).filter(r => r !== undefined).map(r => { if (r!.key) requires.push(r!.key); return r!.id; });
        }
      }
      if (section === 'flows' && (!ref('elements', 'from') || !ref('elements', 'to'))) continue;
      const name = section === 'flows' ? `${v.from}-to-${v.to}` : String(v.name);
      const id = (section === 'assets' ? assetIds : nodeIds).take(baseId(name, FALLBACK[section]));
      const key = keyOf(section, id);
      target.set(`${section}\u0000${x.id}`, { id, key });
      out.push({ key, section, id, discovered: x.id, value: v, what: x.what, source: x.source, requires: [...new Set(requires)], steps: stepsFor(section, id, v) });
    }
  }
  return out;
}

/**
 * The proposals "Add to model" applies for one of them (`key`, e.g. `elements/billing`): what it requires
 * (recursively), itself, and the flows to and from it whose other end is in the model or in that set.
 */
export function proposalClosure(proposals: readonly Proposal[], key: string): Proposal[] {
  const byKey = new Map(proposals.map(p => [p.key, p]));
  const set = new Set<string>();
  const need = (k: string) => {
    if (set.has(k) || !byKey.has(k)) return;
    set.add(k);
    for (const r of byKey.get(k)!.requires) need(r);
  };
  need(key);
  const [section, id] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
  if (section === 'elements') {
    for (const p of proposals) {
      if (p.section !== 'flows' || (p.value.from !== id && p.value.to !== id)) continue;
      if (p.requires.every(r => set.has(r))) set.add(p.key);
    }
  }
  return proposals.filter(p => set.has(p.key));
}

export interface AppliedProposals {
  /** The model text with the proposals applied. */
  text: string;
  /** One edit from the original text to `text` (none when nothing was added). */
  edits: TextEdit[];
  /** Keys of the proposals applied. */
  added: string[];
  /** Proposals that could not be applied, and why (one they require failed, or an intent was refused). */
  refused: { key: string; reason: string }[];
}

/** Replaces planned ids by the ids the intents gave (the same unless the file changed since the proposals). */
function remap(step: ProposalStep, rename: ReadonlyMap<string, string>): ProposalStep {
  if (!('intent' in step) || !rename.size) return step;
  const r = (v: unknown) => (typeof v === 'string' ? rename.get(v) ?? v : v);
  const i = { ...step.intent } as Record<string, unknown>;
  for (const k of ['from', 'to', 'boundary', 'parent', 'id']) if (k in i) i[k] = r(i[k]);
  if (i.kind === 'set-fields') {
    const set = { ...(i.set as Record<string, unknown>) };
    for (const k of ['stores', 'processes']) if (Array.isArray(set[k])) set[k] = (set[k] as unknown[]).map(r);
    i.set = set;
  }
  return { intent: i as Intent };
}

/** Applies proposals in order with `computeIntent` and `computeFix`; never throws. */
export function applyProposals(text: string, proposals: readonly Proposal[]): AppliedProposals {
  let cur = text;
  const rename = new Map<string, string>();
  const failed = new Set<string>();
  const added: string[] = [];
  const refused: AppliedProposals['refused'] = [];
  for (const p of proposals) {
    const missing = p.requires.find(r => failed.has(r));
    let reason = missing ? `it needs ${missing}, which could not be added` : undefined;
    let next = cur;
    for (const step of reason ? [] : p.steps) {
      const s = remap(step, rename);
      if ('intent' in s) {
        const r = computeIntent(next, s.intent);
        if (r.refusal) { reason = r.refusal; break; }
        next = applyEdits(next, r.edits);
        if (s.intent.kind.startsWith('add-') && r.id && r.id !== p.id) rename.set(p.id, r.id);
      } else {
        const r = computeFixResult(next, s.fix);
        if (r.refusal) { reason = r.refusal; break; }
        next = applyEdits(next, r.edits);
      }
    }
    if (reason) { failed.add(p.key); refused.push({ key: p.key, reason }); continue; }
    cur = next;
    added.push(p.key);
  }
  return { text: cur, edits: diffEdit(text, cur), added, refused };
}

/**
 * "Add to model" (the `add-discovered` fix of a `discover/*` finding) on the current text: the proposal for the
 * discovered entry with what it requires and, for an element, its flows to entries of the model, as one edit.
 * Nothing to do when the model has it already (the fix is idempotent); refused, with the reason, when the
 * entry cannot be written or the discovery no longer declares it.
 */
export function addToModel(text: string, fix: Extract<FixSpec, { kind: 'add-discovered' }>, discovery: Discovery | undefined): FixResult {
  if (!discovery) return { edits: [], refusal: 'The repository has not been discovered yet (or discovery is off: rampart.discover.enabled); try again in a moment.' };
  const declared = (discovery[fix.section] as Discovered<unknown>[] | undefined)?.some(x => x.id === fix.discovered);
  if (!declared) return { edits: [], refusal: `The repository no longer declares ${fix.discovered}; nothing to add.` };
  const proposals = proposeAdditions(text, discovery);
  const p = proposals.find(x => x.section === fix.section && x.discovered === fix.discovered);
  if (!p) return { edits: [] }; // the model has it (by id or source) or cannot place it (a flow without its ends)
  const applied = applyProposals(text, proposalClosure(proposals, p.key));
  const refused = applied.refused.find(r => r.key === p.key);
  return refused ? { edits: [], refusal: `${p.what} cannot be added: ${refused.reason}` } : { edits: applied.edits };
}

const NOT_DISCOVER = RULES.map(r => r.meta.id).filter(id => !id.startsWith('discover/'));

/** The `discover/*` findings of a model against a discovery (located in the model text). */
export function driftFindings(existingModelText: string, discovery: Discovery, settings: AnalysisSettings = {}): Finding[] {
  const a = analyze(existingModelText, { ...settings, discovery, disabledRules: [...(settings.disabledRules ?? []), ...NOT_DISCOVER] });
  return a.findings.filter(f => f.ruleId.startsWith('discover/'));
}

/** The same discovery with every path passed through `map` (to make paths relative to another model's folder). */
export function rebaseDiscovery(d: Discovery, map: (path: string) => string): Discovery {
  const src = <T extends { source: SourceRef }>(x: T): T => ({ ...x, source: { ...x.source, file: map(x.source.file) } });
  return {
    files: d.files.map(map),
    boundaries: d.boundaries.map(src),
    assets: d.assets.map(src),
    elements: d.elements.map(src),
    flows: d.flows.map(src),
    operations: d.operations.map(src),
    findings: d.findings.map(src),
  };
}
