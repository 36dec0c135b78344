/**
 * The machinery shared by the design rules. A design rule only detects: it returns suggestions (a subject
 * element or flow, why it fired, and a pre-filled threat). The engine turns them into findings with a stable
 * id (`design/<rule>@<subject>`), the "add suggested threat" fix (threat id `<rule>@<subject>`), and does the
 * reconciliation with `threats:`:
 *
 * - a suggestion is no longer reported once the model tracks it: a threat with the suggested id exists (any
 *   status), or a threat targeting the subject has `rule: design/<rule>`, shares a specific CWE or CAPEC id
 *   with the suggestion, or reads like the same weakness (the rule's `covers` words) — so a catalog stub or
 *   a hand-written threat about the same problem silences it;
 * - a tracked open threat whose rule no longer fires on its subject is reported by `design/obsolete-suggestion`.
 *
 * Every rule's raw suggestions are computed once per analysis (cached on the model object), so the obsolete
 * check and the per-element grouping see all of them.
 */
import type { Impact, Likelihood, Linddun, Model, Stride, Threat } from '../../model/schema';
import type { FixSpec, Path, Range, RelatedInfo, Severity, SuggestedThreat } from '../../types';
import { keptFindings, type Rule, type RuleContext, type RuleFinding, type RuleMeta } from '../types';
import { keyRange, relatedTo } from '../helpers';
import { quote, words } from './facts';
import { clip } from '../../text/clip';
import { LIMITS } from '../../model/vocabulary';

export type Subject = 'elements' | 'flows';

/** "A [source] with [prerequisites] can [action], which leads to [impact] on [assets]" (schema `statement`). */
export interface ThreatStatement {
  source?: string;
  prerequisites?: string;
  action?: string;
  impact?: string;
  assets?: string[];
}

export interface Suggestion {
  /** The element or flow the suggested threat is about; part of its stable id. */
  subject: string;
  section: Subject;
  /** What is wrong and what to do, in one or two sentences. */
  message: string;
  /** Which element, flow, boundary or data made the rule fire. */
  why: string;
  /** Entries that cause the finding (the flow, the asset, the boundary). */
  related?: { path: Path; message: string }[];
  threat: {
    title: string;
    description: string;
    stride?: Stride[];
    /** LINDDUN categories (library rules). */
    linddun?: Linddun[];
    likelihood: Likelihood;
    impact: Impact;
    /** Defaults to [subject]. */
    targets?: string[];
    cwe?: string[];
    capec?: string[];
    statement?: ThreatStatement;
  };
  /** Overrides the rule's severity for this finding. */
  severity?: Severity;
  /**
   * Other ids (the flows and elements around the subject) where a threat about the same weakness counts as
   * tracking this suggestion too, e.g. a phishing threat on the operator's login flow.
   */
  alsoMatches?: string[];
}

export interface DesignRuleDef {
  /** Built-in rules are `design`; the custom rules of a team library (src/core/library) are `library`. */
  meta: RuleMeta & { category: 'design' | 'library' };
  /**
   * Words that show a hand-written threat is about this weakness ("plaintext", "sniffed", ...): a threat
   * targeting the subject whose title, description or statement matches counts as tracking the suggestion.
   */
  covers?: RegExp;
  detect(ctx: RuleContext): Suggestion[];
  /** The key of its detection in the incremental analyzer's memo (default: the rule id). */
  memoKey?: string;
}

/**
 * The rule part of a suggested threat's id: `design/x` -> `x`; a library rule `acme/x` -> `acme.x` (threat ids
 * have no `/`).
 */
export const shortId = (ruleId: string) => (ruleId.startsWith('design/') ? ruleId.slice('design/'.length) : ruleId.replace(/\//g, '.'));
export const suggestedThreatId = (ruleId: string, subject: string) => `${shortId(ruleId)}@${subject}`;

/** The same test as analyze's `isDisabled` (kept here to avoid an import cycle through the registry). */
function disabled(ctx: RuleContext, ruleId: string): boolean {
  const s = ctx.settings;
  if (s.severityOverrides?.[ruleId] === 'off') return true;
  return (s.disabledRules ?? []).some(d => d === ruleId || (d.endsWith('/') && ruleId.startsWith(d)) || (d.endsWith('*') && ruleId.startsWith(d.slice(0, -1))));
}

/** CWE and CAPEC ids too broad to say that two threats are about the same weakness. */
const GENERIC_IDS = new Set(['CWE-200', 'CWE-284', 'CWE-668', 'CWE-693', 'CAPEC-1']);

/**
 * Whether `threats:` already tracks a suggestion: a threat with the suggested id (any status), or a threat
 * targeting the subject (or one of `alsoMatches`) that names the rule (`rule:`), shares a specific CWE or
 * CAPEC id with it, or whose text matches the rule's `covers` words.
 */
export function isTracked(ctx: Pick<RuleContext, 'model' | 'graph'>, def: Pick<DesignRuleDef, 'meta' | 'covers'>, s: Pick<Suggestion, 'subject' | 'alsoMatches'>, threat?: Pick<SuggestedThreat, 'cwe' | 'capec'>): boolean {
  const threats = ctx.model.threats ?? {};
  const { meta } = def;
  if (threats[suggestedIdOf(meta.id, s)]) return true;
  const byTarget = ctx.graph.threatsByTarget;
  const candidates = s.alsoMatches?.length ? [...new Set([s.subject, ...s.alsoMatches].flatMap(x => byTarget.get(x) ?? []))] : unique(byTarget.get(s.subject) ?? []);
  if (!candidates.length) return false;
  // The answer depends only on the candidate threats' entries: unchanged since the last analysis (the same
  // objects, see memo.ts), it is the same.
  const inputs = candidates.map(tid => threats[tid]);
  const memo = trackedMemo.get(s);
  if (memo && memo.inputs.length === inputs.length && memo.inputs.every((t, i) => t === inputs[i])) return memo.tracked;
  const tracked = trackedBy(def, inputs, threat);
  trackedMemo.set(s, { inputs, tracked });
  return tracked;
}

const trackedMemo = new WeakMap<object, { inputs: unknown[]; tracked: boolean }>();

/** The suggested threat id of a suggestion, made once per suggestion object (and rule). */
const suggestedIds = new WeakMap<object, { ruleId: string; id: string }>();
function suggestedIdOf(ruleId: string, s: Pick<Suggestion, 'subject'>): string {
  const known = suggestedIds.get(s);
  if (known?.ruleId === ruleId) return known.id;
  const id = suggestedThreatId(ruleId, s.subject);
  suggestedIds.set(s, { ruleId, id });
  return id;
}

/** A list without repeats (the list itself when it has none: a target is rarely listed twice by a threat). */
function unique<T>(list: readonly T[]): readonly T[] {
  for (let i = 1; i < list.length; i++) if (list.lastIndexOf(list[i - 1]) !== i - 1) return [...new Set(list)];
  return list;
}

function trackedBy(def: Pick<DesignRuleDef, 'meta' | 'covers'>, candidates: (Threat | undefined)[], threat?: Pick<SuggestedThreat, 'cwe' | 'capec'>): boolean {
  const { meta } = def;
  const ids = new Set([...(meta.cwe ?? []), ...(meta.capec ?? []), ...(threat?.cwe ?? []), ...(threat?.capec ?? [])].filter(x => !GENERIC_IDS.has(x)));
  for (const t of candidates) {
    if (!t) continue;
    if (t.rule === meta.id) return true;
    if ([...(t.cwe ?? []), ...(t.capec ?? [])].some(x => ids.has(x))) return true;
    if (def.covers && def.covers.test([t.title, t.description ?? '', t.statement?.source ?? '', t.statement?.action ?? '', t.statement?.impact ?? ''].join('\n'))) return true;
  }
  return false;
}

interface Computed {
  /** rule id -> raw suggestions (before reconciliation), one per subject. */
  raw: Map<string, Suggestion[]>;
  /** rule id -> open (untracked) suggestions. */
  open: Map<string, Suggestion[]>;
  /** subject -> open suggestions of every enabled rule, as fixes. */
  bySubject: Map<string, { id: string; threat: SuggestedThreat }[]>;
}

type Cache = WeakMap<Model, WeakMap<object, Computed>>;

function compute(ctx: RuleContext, defs: readonly DesignRuleDef[], cache: Cache): Computed {
  let perModel = cache.get(ctx.model);
  if (!perModel) cache.set(ctx.model, (perModel = new WeakMap()));
  const hit = perModel.get(ctx.settings);
  if (hit) return hit;
  const raw = new Map<string, Suggestion[]>();
  const open = new Map<string, Suggestion[]>();
  const bySubject = new Map<string, { id: string; threat: SuggestedThreat }[]>();
  for (const def of defs) {
    if (disabled(ctx, def.meta.id)) continue;
    const seen = new Set<string>();
    const detected = ctx.memo ? ctx.memo(`detect:${def.memoKey ?? def.meta.id}`, ctx, c => def.detect(c)) : def.detect(ctx);
    // An element or flow marked out of scope gets no suggestions.
    const list = detected.filter(s => !seen.has(s.subject) && !!seen.add(s.subject) && !ctx.model[s.section]?.[s.subject]?.out_of_scope);
    raw.set(def.meta.id, list);
    const untracked = list.filter(s => !isTracked(ctx, def, s, s.threat));
    open.set(def.meta.id, untracked);
    for (const s of untracked) {
      const arr = bySubject.get(s.subject) ?? [];
      arr.push({ id: suggestedThreatId(def.meta.id, s.subject), threat: suggestedThreat(def.meta, s) });
      bySubject.set(s.subject, arr);
    }
  }
  const out = { raw, open, bySubject };
  perModel.set(ctx.settings, out);
  return out;
}

/**
 * The suggested threat of a suggestion, made once per suggestion: the language server's analyzer keeps a rule's
 * suggestions while the sections it reads are unchanged, so they are not rebuilt on every keystroke. Read only.
 */
const suggested = new WeakMap<Suggestion, SuggestedThreat>();
function suggestedThreat(meta: RuleMeta, s: Suggestion): SuggestedThreat {
  let t = suggested.get(s);
  if (!t) suggested.set(s, (t = toSuggestedThreat(meta, s)));
  return t;
}

export function toSuggestedThreat(meta: RuleMeta, s: Suggestion): SuggestedThreat {
  const t = s.threat;
  const cwe = t.cwe ?? [...(meta.cwe ?? [])];
  const capec = t.capec ?? [...(meta.capec ?? [])];
  // Titles and descriptions quote element names: kept within the schema's limits.
  return {
    title: clip(t.title, LIMITS.name),
    description: clip(t.description, LIMITS.text),
    stride: t.stride ?? [...(meta.stride ?? [])],
    ...(t.linddun?.length ? { linddun: t.linddun } : {}),
    targets: t.targets ?? [s.subject],
    likelihood: t.likelihood,
    impact: t.impact,
    ...(cwe.length ? { cwe } : {}),
    ...(capec.length ? { capec } : {}),
    rule: meta.id,
    ...(t.statement ? { statement: t.statement } : {}),
  };
}

/**
 * A suggestion's finding as last made, with what it was made from: the suggestion (kept by the language server's
 * analyzer while the sections it reads are unchanged), its group (the other open suggestions for the subject)
 * and its ranges. The index gives an unmoved entry the very same range objects (model/index.ts), so a finding
 * whose ranges are the same objects is the same finding: it is returned again, not built again (thousands per
 * keystroke; see `keptFindings`).
 */
interface Made { group: Computed['bySubject'] extends Map<string, infer G> ? G : never; range: Range; related: RelatedInfo[]; finding: RuleFinding }
const made = new WeakMap<Suggestion, Made>();

const sameGroup = (a: Made['group'], b: Made['group']) => a.length === b.length && a.every((g, i) => g.id === b[i].id && g.threat === b[i].threat);
function sameRanges(a: RelatedInfo[], b: RelatedInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].range !== b[i].range) return false;
  return true;
}

function toFinding(ctx: RuleContext, meta: RuleMeta, s: Suggestion, c: Computed): RuleFinding {
  const group = c.bySubject.get(s.subject) ?? [];
  const range = keyRange(ctx, [s.section, s.subject]);
  const related: RelatedInfo[] = [];
  for (const r of s.related ?? []) related.push(...relatedTo(ctx, r.path, r.message));
  // Kept for the next analysis only in the language server's (`memo`).
  const last = ctx.memo ? made.get(s) : undefined;
  if (last && last.range === range && sameGroup(last.group, group) && sameRanges(last.related, related)) return last.finding;
  const id = suggestedIdOf(meta.id, s);
  const threat = suggestedThreat(meta, s);
  const fixes: FixSpec[] = [{ kind: 'add-suggested-threat', title: `Add suggested threat ${id}`, id, threat, preferred: true }];
  if (group.length > 1) {
    const subject = s.subject;
    fixes.push({ kind: 'add-suggested-threats', title: `Add all ${group.length} suggested threats for ${subject}`, threats: group });
  }
  const others = group.filter(g => g.id !== id).map(g => quote(g.id));
  const finding: RuleFinding = {
    path: [s.section, s.subject],
    range,
    stableId: `${meta.id}@${s.subject}`,
    message: s.message,
    why: others.length ? `${s.why} (also suggested for ${quote(s.subject)}: ${words(others)})` : s.why,
    related,
    fixes,
    ...(s.severity ? { severity: s.severity } : {}),
  };
  if (ctx.memo) {
    made.set(s, { group, range, related, finding });
    keptFindings.add(finding);
  }
  return finding;
}

/** Which tracked threats the obsolete-suggestion rule of a set of definitions answers for. */
export interface ObsoleteOptions {
  meta: RuleMeta;
  /** Whether a threat's `rule:` belongs to this set of rules (default: `design/...`). */
  owns: (ruleId: string) => boolean;
  /** Why a threat's rule is not found (default: not a design rule of this version of Rampart). */
  missing: (ruleId: string) => string;
}

/** Builds the registered rules from the definitions, plus `design/obsolete-suggestion` (or `obsolete.meta`). */
export function buildDesignRules(defs: readonly DesignRuleDef[], obsolete?: ObsoleteOptions): Rule[] {
  const obsoleteMeta = obsolete?.meta ?? OBSOLETE_META;
  const owns = obsolete?.owns ?? ((r: string) => r.startsWith('design/'));
  const cache: Cache = new WeakMap();
  const rules: Rule[] = defs.map(def => ({
    meta: def.meta,
    check(ctx) {
      const c = compute(ctx, defs, cache);
      return (c.open.get(def.meta.id) ?? []).map(s => toFinding(ctx, def.meta, s, c));
    },
  }));
  const byId = new Map(defs.map(d => [d.meta.id, d]));
  rules.push({
    meta: obsoleteMeta,
    check(ctx) {
      const c = compute(ctx, defs, cache);
      const out: RuleFinding[] = [];
      for (const [tid, t] of Object.entries(ctx.model.threats ?? {}) as [string, Threat][]) {
        if (t.status !== 'open' || !t.rule || !owns(t.rule) || t.rule === obsoleteMeta.id) continue;
        const ruleId = t.rule;
        const def = byId.get(ruleId);
        if (def && disabled(ctx, ruleId)) continue;
        const prefix = `${shortId(ruleId)}@`;
        const subjects = tid.startsWith(prefix) ? [tid.slice(prefix.length)] : (t.targets ?? []);
        if (!subjects.length) continue;
        let reason: string;
        if (!def) {
          reason = obsolete ? obsolete.missing(ruleId) : `it was suggested by ${quote(t.rule)}, which is not a design rule of this version of Rampart (renamed or removed)`;
        } else {
          const firing = new Set((c.raw.get(ruleId) ?? []).map(s => s.subject));
          if (subjects.some(s => firing.has(s))) continue;
          const gone = subjects.filter(s => !ctx.model.elements?.[s] && !ctx.model.flows?.[s]);
          reason = gone.length === subjects.length
            ? `${words(gone.map(quote))} no longer ${gone.length > 1 ? 'exist' : 'exists'} in the model`
            : `${quote(ruleId)} no longer finds this weakness on ${words(subjects.map(quote))}`;
        }
        out.push({
          path: ['threats', tid],
          range: keyRange(ctx, ['threats', tid]),
          stableId: `${obsoleteMeta.id}@${tid}`,
          message: `Suggested threat ${quote(tid)} may be obsolete: ${reason}. If the design changed to remove the weakness, link the change as a mitigation or mark the threat not applicable with a justification; it is never deleted automatically.`,
          why: `${quote(tid)} has \`rule: ${t.rule}\` and is open, but ${reason}.`,
          fixes: [{ kind: 'set-threat-status', title: `Mark ${tid} as not applicable`, threat: tid, status: 'not-applicable' }],
        });
      }
      return out;
    },
  });
  return rules;
}

export const OBSOLETE_META: RuleMeta = {
  id: 'design/obsolete-suggestion',
  title: 'Suggested threat possibly obsolete',
  category: 'design',
  severity: 'info',
  description: 'An open threat that a design rule suggested (it has `rule: design/...`) no longer matches the model: the rule does not fire on its element or flow any more, the element or flow is gone, or the rule no longer exists.',
  advice: 'Check whether the design change really removed the weakness. If so, record it (a mitigation with evidence, or `status: not-applicable` with a justification); otherwise keep the threat. Rampart never deletes threats.',
  detection: 'For each threat with `rule: design/<rule>` and `status: open`, the subject is taken from the id (`<rule>@<subject>`) or else from `targets`; the finding is reported when the rule, run on the current model, suggests nothing for any of those subjects. Threats of disabled rules and closed threats (mitigated, accepted, transferred, not applicable) are left alone.',
  falsePositives: 'A rule may stop firing because an attribute was removed or mistyped rather than because the weakness was fixed; check the diff of the element or flow.',
};
