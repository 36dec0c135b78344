/**
 * What the statement builder of the visual editor offers for a new threat against one element or flow (#11):
 * the STRIDE categories with a one-line explanation and whether they apply to the target (STRIDE per element),
 * the built-in catalog's threats for it (the element kind's first) and the design rules' findings on it, each as
 * a threat statement in the grammar of AWS Threat Composer, plus the assets the target stores, processes or
 * carries and short lists of statement parts for the form's suggestion lists.
 *
 * Pure and total: broken text or an unknown target gives a result with no suggestions, never an exception.
 */
import { analyze } from '../analyze';
import type { Impact, Likelihood, Model, Stride } from '../model/schema';
import { IMPACTS, LIKELIHOODS, LIMITS, STRIDE } from '../model/vocabulary';
import { ruleMeta } from '../rules/index';
import { handledAssets } from '../rules/design/facts';
import { OBSOLETE_META } from '../rules/design/engine';
import { libraryRuleMetaById, libraryThreatsFor } from '../library/apply';
import type { Library, LibraryCatalogEntry } from '../library/load';
import type { RuleContext } from '../rules/types';
import { CATALOG, KIND_CATALOG, STRIDE_PER_ELEMENT, fill, type CatalogEntry, type CatalogTarget, type ElementKind } from '../rules/stride/catalog';
import type { Finding, SuggestedThreat } from '../types';
import { clip } from '../text/clip';
import { STRIDE_EXPLANATIONS, titleFromStatement, upperFirst, type StatementParts } from './statement';

export { STRIDE_EXPLANATIONS, STATEMENT_PLACEHOLDERS, statementSentence, titleFromStatement, type SentenceOptions, type StatementParts } from './statement';

/** One threat the builder offers: clicking "Use" fills every field from it. */
export interface ThreatSuggestion {
  /** The STRIDE category the builder selects (a rule's first category when it names several). */
  stride: Stride;
  /** Every category of a design rule's suggested threat, when it names more than one. */
  alsoStride?: Stride[];
  title: string;
  statement: StatementParts & { source: string; action: string; impact: string };
  description?: string;
  likelihood?: Likelihood;
  impact?: Impact;
  cwe?: string[];
  capec?: string[];
  origin: 'catalog' | 'rule';
  /** The design rule (`design/...`) whose finding this is. */
  ruleId?: string;
  /** The stable id the rule's "add suggested threat" fix would give the threat (`<rule>@<target>`). */
  suggestedId?: string;
  /** For catalog entries: whether the entry is the element kind's rather than the generic one for its type. */
  specific?: boolean;
  /** For a team library's catalog entry: its id (`acme/pg-sqli`). */
  libraryEntry?: string;
  /** The id of a threat on this target that already covers this (same title, or the same STRIDE category). */
  existing?: string;
}

export interface StrideCategory {
  stride: Stride;
  /** Whether STRIDE per element expects this category for the target's type. */
  applies: boolean;
  /** "Spoofing: pretending to be someone or something else". */
  explanation: string;
}

export type StatementPart = 'source' | 'prerequisites' | 'action' | 'impact';

export interface ThreatSuggestions {
  target: string;
  /** Absent when the target is not an element or flow of the (valid part of the) model. */
  section?: 'elements' | 'flows';
  /** The element's type, or `flow`. */
  type?: CatalogTarget;
  kind?: string;
  name?: string;
  categories: StrideCategory[];
  /** The assets the target stores, processes or carries (declared first, then the data on its flows). */
  assets: { id: string; name: string }[];
  suggestions: ThreatSuggestion[];
  /** Distinct values for each statement part (suggestions first, then generic ones), for `<datalist>`s. */
  lists: Record<StatementPart, string[]>;
}

/** Generic statement parts that fit most targets, offered after the target's own. */
export const GENERIC_PARTS: Readonly<Record<StatementPart, readonly string[]>> = {
  source: ['An external attacker', 'An attacker on the internet', 'An authenticated user', 'A malicious insider', 'An attacker who compromises a dependency', 'An automated bot'],
  prerequisites: ['network access', 'a valid user account', 'stolen credentials', 'physical access to a device', 'a position on the network path'],
  action: ['read data they are not allowed to see', 'modify data without authorisation', 'run code with the privileges of the service', 'make the service unavailable', 'deny having performed an action'],
  impact: ['disclosure of sensitive data', 'loss of data integrity', 'loss of availability', 'financial loss', 'regulatory penalties and reputational damage'],
};

const PARTS: readonly StatementPart[] = ['source', 'prerequisites', 'action', 'impact'];
const isStride = (s: unknown): s is Stride => (STRIDE as readonly unknown[]).includes(s);
const isLikelihood = (s: unknown): s is Likelihood => (LIKELIHOODS as readonly unknown[]).includes(s);
const isImpact = (s: unknown): s is Impact => (IMPACTS as readonly unknown[]).includes(s);

/** The categories for a target type (every category, `applies` per STRIDE per element); all apply when the type is unknown. */
export function strideCategories(type?: CatalogTarget): StrideCategory[] {
  const applicable = type ? STRIDE_PER_ELEMENT[type] : STRIDE;
  return STRIDE.map(stride => ({ stride, applies: applicable.includes(stride), explanation: STRIDE_EXPLANATIONS[stride] }));
}

/** Distinct non-empty values in order. */
function distinct(values: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = v?.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

/** The statement part lists for `<datalist>`s: the suggestions' own parts, then the generic ones. */
export function partLists(suggestions: readonly Pick<ThreatSuggestion, 'statement'>[]): Record<StatementPart, string[]> {
  const out = {} as Record<StatementPart, string[]>;
  for (const p of PARTS) out[p] = distinct([...suggestions.map(s => s.statement[p]), ...GENERIC_PARTS[p]]);
  return out;
}

export const sourceSuggestions = (s: ThreatSuggestions) => s.lists.source;
export const prerequisiteSuggestions = (s: ThreatSuggestions) => s.lists.prerequisites;
export const actionSuggestions = (s: ThreatSuggestions) => s.lists.action;
export const impactSuggestions = (s: ThreatSuggestions) => s.lists.impact;

function empty(target: string): ThreatSuggestions {
  return { target, categories: strideCategories(), assets: [], suggestions: [], lists: partLists([]) };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A catalog entry for a named target, with the target's assets as the impacted assets (`lowerName`: a name that may start a title in lower case). */
function fromCatalog(stride: Stride, c: CatalogEntry, name: string, assets: string[], specific: boolean, lowerName: boolean): ThreatSuggestion {
  const st = c.statement;
  const title = fill(c.title, name);
  return {
    stride,
    title: clip(lowerName ? upperFirst(title) : title, LIMITS.name),
    statement: { source: fill(st.source, name), prerequisites: fill(st.prerequisites, name), action: fill(st.action, name), impact: fill(st.impact, name), ...(assets.length ? { assets } : {}) },
    description: `${fill(c.description, name)} Typical mitigation: ${fill(c.mitigations[0], name)}.`,
    cwe: [...c.cwe],
    capec: [...c.capec],
    origin: 'catalog',
    specific,
  };
}

const firstSentence = (s: string) => (s.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? s).replace(/[.!?]$/, '');

/** A team library's catalog entry that applies to the target, as a builder suggestion (one per STRIDE category it names first). */
function fromLibrary(e: LibraryCatalogEntry, name: string, assets: string[]): ThreatSuggestion | undefined {
  const d = e.data;
  const strides = (d.stride ?? []).filter(isStride);
  if (!strides.length) return undefined;
  const title = clip(fill(d.title, name), LIMITS.name);
  const typical = d.mitigations?.length ? ` Typical mitigation: ${fill(d.mitigations[0], name)}.` : '';
  const description = `${d.description ? fill(d.description, name) : ''}${typical}`.trim();
  return {
    stride: strides[0],
    ...(strides.length > 1 ? { alsoStride: strides.slice(1) } : {}),
    title,
    statement: { source: 'An attacker', action: lowerFirst(title), impact: lowerFirst(firstSentence(d.description ? fill(d.description, name) : title)), ...(assets.length ? { assets } : {}) },
    ...(description ? { description: clip(description, LIMITS.text) } : {}),
    ...(isLikelihood(d.likelihood) ? { likelihood: d.likelihood } : {}),
    ...(isImpact(d.impact) ? { impact: d.impact } : {}),
    ...(d.cwe?.length ? { cwe: [...d.cwe] } : {}),
    ...(d.capec?.length ? { capec: [...d.capec] } : {}),
    origin: 'catalog',
    specific: true,
    libraryEntry: e.id,
  };
}

/** The threat a design finding suggests (its "add suggested threat" fix), as a builder suggestion. */
function fromFinding(f: Finding, name: string, assets: string[], library?: Library): ThreatSuggestion | undefined {
  const fix = f.fixes?.find((x): x is Extract<typeof x, { kind: 'add-suggested-threat' }> => x.kind === 'add-suggested-threat');
  const meta = ruleMeta(f.ruleId) ?? libraryRuleMetaById(library, f.ruleId);
  const t: Partial<SuggestedThreat> = fix?.threat ?? {};
  const strides = (t.stride?.length ? t.stride : [...(meta?.stride ?? [])]).filter(isStride);
  const stride = strides[0];
  if (!stride) return undefined;
  const ruleTitle = meta?.title ?? f.ruleId;
  // A rule without a statement: one from its metadata and message.
  const st = t.statement ?? {};
  const statement = {
    source: st.source?.trim() || 'An attacker',
    ...(st.prerequisites?.trim() ? { prerequisites: st.prerequisites.trim() } : {}),
    action: st.action?.trim() || `exploit the weakness "${lowerFirst(ruleTitle)}" in ${name}`,
    impact: st.impact?.trim() || lowerFirst(firstSentence(meta?.description ?? f.message)),
    ...(st.assets?.length ? { assets: [...st.assets] } : assets.length ? { assets } : {}),
  };
  return {
    stride,
    ...(strides.length > 1 ? { alsoStride: strides.slice(1) } : {}),
    title: t.title?.trim() || titleFromStatement(statement) || ruleTitle,
    statement,
    ...(t.description ? { description: t.description } : {}),
    ...(isLikelihood(t.likelihood) ? { likelihood: t.likelihood } : {}),
    ...(isImpact(t.impact) ? { impact: t.impact } : {}),
    ...(t.cwe?.length ? { cwe: [...t.cwe] } : {}),
    ...(t.capec?.length ? { capec: [...t.capec] } : {}),
    origin: 'rule',
    ruleId: f.ruleId,
    ...(fix ? { suggestedId: fix.id } : {}),
  };
}

/** Whether a design finding is about the target: its subject, or a target of the threat it suggests. */
function isAbout(f: Finding, section: string, target: string): boolean {
  if (f.path?.[0] === section && f.path?.[1] === target) return true;
  return !!f.fixes?.some(x => x.kind === 'add-suggested-threat' && x.threat.targets.includes(target));
}

/** A threat on the target that already covers a suggestion: one with the same title, else one in the same STRIDE category. */
function existingThreat(model: Model, onTarget: readonly string[], s: ThreatSuggestion): string | undefined {
  const threats = model.threats ?? {};
  const title = s.title.toLowerCase();
  return onTarget.find(id => threats[id]?.title?.trim().toLowerCase() === title)
    ?? onTarget.find(id => threats[id]?.stride?.includes(s.stride));
}

/**
 * The builder's suggestions for a new threat against `target` (an element or flow id) in the model `text`:
 * catalog threats for the element kind, then the design rules' findings on the target, then the catalog's
 * threats for its type, each with the target's name filled in.
 */
export function threatSuggestions(text: string, target: string, library?: Library): ThreatSuggestions {
  const id = typeof target === 'string' ? target : '';
  if (typeof text !== 'string' || !id) return empty(id);
  try {
    return compute(text, id, library);
  } catch {
    return empty(id);
  }
}

function compute(text: string, target: string, library?: Library): ThreatSuggestions {
  const analysis = analyze(text, library ? { library } : {});
  const model = analysis.parsed.model;
  const element = Object.hasOwn(model.elements ?? {}, target) ? model.elements![target] : undefined;
  const flow = !element && Object.hasOwn(model.flows ?? {}, target) ? model.flows![target] : undefined;
  if (!element && !flow) return empty(target);
  const section = element ? 'elements' : 'flows';
  const type: CatalogTarget = element ? element.type : 'flow';
  const kind = element?.kind;
  // An unnamed flow is named by its ends, which reads better in a sentence than its id.
  const generated = !element && !flow?.name;
  const endName = (id: string) => model.elements?.[id]?.name ?? id;
  const name = element?.name ?? flow?.name ?? `the flow from ${endName(flow!.from)} to ${endName(flow!.to)}`;

  const ctx = { model, graph: analysis.graph } as RuleContext;
  const assetRefs = element ? handledAssets(ctx, target) : (flow?.data ?? []).filter((a, i, all) => model.assets?.[a] && all.indexOf(a) === i).map(a => [a, model.assets![a]] as const);
  const assets = assetRefs.map(([id, a]) => ({ id, name: a.name ?? id }));
  const assetIds = assets.map(a => a.id);

  const specific = kind ? KIND_CATALOG[kind as ElementKind] ?? {} : {};
  const byKind = STRIDE.filter(c => specific[c]).map(c => fromCatalog(c, specific[c]!, name, assetIds, true, generated));
  // A team library's entries that apply to the target come first, its rules' findings with the design rules'.
  const byLibrary = library ? libraryThreatsFor(library, model, target, ctx).map(e => fromLibrary(e, name, assetIds)).filter((s): s is ThreatSuggestion => !!s) : [];
  const libraryRule = new Set(library?.rules.map(r => r.meta.id) ?? []);
  const byRule = analysis.findings
    .filter(f => ((f.ruleId.startsWith('design/') && f.ruleId !== OBSOLETE_META.id) || libraryRule.has(f.ruleId)) && isAbout(f, section, target))
    .map(f => fromFinding(f, name, assetIds, library))
    .filter((s): s is ThreatSuggestion => !!s);
  const generic = STRIDE.filter(c => CATALOG[type][c]).map(c => fromCatalog(c, CATALOG[type][c]!, name, assetIds, false, generated));

  const onTarget = analysis.graph.threatsByTarget.get(target) ?? [];
  const suggestions = [...byLibrary, ...byKind, ...byRule, ...generic].map(s => {
    const existing = s.origin === 'catalog' ? existingThreat(model, onTarget, s) : undefined;
    return existing ? { ...s, existing } : s;
  });
  return {
    target, section, type, ...(kind ? { kind } : {}), name,
    categories: strideCategories(type), assets, suggestions, lists: partLists(suggestions),
  };
}
