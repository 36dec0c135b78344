/**
 * What the `intel/*` rules share: the matches of the model's elements with the feeds in the settings
 * (`settings.intel`), computed once per analysis; which of them the model already tracks (a threat on the
 * element naming the CVE or advisory id in its tags, title or description); and the threats the fixes add.
 */
import type { Element, Impact, Likelihood, Model, Stride } from '../../model/schema';
import { LIMITS } from '../../model/vocabulary';
import type { RuleContext } from '../types';
import type { Path, Range, SuggestedThreat } from '../../types';
import { feedLabel, feedSource, parsePurl, type IntelIndex, type IntelSettings, type KevEntry, type OsvMatch, type Purl } from '../../intel/index';
import { scoreCvss } from '../../risk/cvss';
import { clip } from '../../text/clip';
import { keyRange, valueRange } from '../helpers';

/** A vulnerable package of an element: where the model names it, and the advisories about its version. */
export interface ComponentHit {
  purl: Purl;
  /** `['elements', id, 'components', i]`, or `['elements', id, 'sbom']` for a package of its SBOM. */
  where: Path;
  sbom?: string;
  matches: OsvMatch[];
  /** The advisories no threat on the element names yet. */
  untracked: OsvMatch[];
}

export interface ElementIntel {
  id: string;
  element: Element;
  kev: KevEntry[];
  untrackedKev: KevEntry[];
  components: ComponentHit[];
}

export interface IntelMatches {
  intel: IntelSettings;
  index: IntelIndex;
  elements: ElementIntel[];
  /** Whether any element names a technology, components or an SBOM (the feeds concern this model). */
  relevant: boolean;
}

const cache = new WeakMap<Model, { intel: IntelSettings; threats: unknown; elements: unknown; m: IntelMatches }>();

/** Ids that threats targeting the element name (tags, title, description, id), upper case. */
function trackedIds(ctx: RuleContext, element: string): string {
  const threats = ctx.model.threats ?? {};
  const parts: string[] = [];
  for (const tid of ctx.graph.threatsByTarget.get(element) ?? []) {
    const t = threats[tid];
    if (!t) continue;
    parts.push(tid, t.title, t.description ?? '', ...(t.tags ?? []));
  }
  return parts.join('\n').toUpperCase();
}

/** Whether the (upper-case) text names the id as a whole word: CVE-2021-4177 is not CVE-2021-41773. */
const mentions = (hay: string, id: string) => {
  const needle = id.toUpperCase();
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    if (!/[0-9A-Z]/.test(hay.charAt(i + needle.length)) && !/[0-9A-Z-]/.test(hay.charAt(i - 1))) return true;
  }
  return false;
};

/** The matches of the model with the feeds, or undefined when no feed was given. */
export function intelOf(ctx: RuleContext): IntelMatches | undefined {
  const intel = ctx.settings.intel;
  if (!intel?.index) return undefined;
  const hit = cache.get(ctx.model);
  if (hit && hit.intel === intel && hit.threats === ctx.model.threats && hit.elements === ctx.model.elements) return hit.m;
  const { index } = intel;
  const elements: ElementIntel[] = [];
  let relevant = false;
  for (const [id, element] of Object.entries(ctx.model.elements ?? {})) {
    if (!element || typeof element !== 'object') continue;
    if (element.technology || element.components?.length || element.sbom) relevant = true;
    if (element.out_of_scope) continue;
    const hay = trackedIds(ctx, id);
    const kev = element.technology && index.kev ? index.kev.match(element.technology) : [];
    const components: ComponentHit[] = [];
    if (index.osv) {
      const seen = new Set<string>();
      const check = (text: string, where: Path, sbom?: string) => {
        const p = parsePurl(text);
        if ('error' in p || !p.version) return;
        const key = `${p.ecosystem}\u0000${p.name}\u0000${p.version}`;
        if (seen.has(key)) return;
        seen.add(key);
        const matches = index.osv!.match(p);
        if (!matches.length) return;
        const untracked = matches.filter(m => ![m.record.id, ...m.record.aliases].some(x => mentions(hay, x)));
        components.push({ purl: p, where, ...(sbom ? { sbom } : {}), matches, untracked });
      };
      (element.components ?? []).forEach((c, i) => check(c, ['elements', id, 'components', i]));
      const sbom = element.sbom ? intel.sboms?.get(element.sbom) : undefined;
      if (sbom?.ok) for (const p of sbom.purls) check(p, ['elements', id, 'sbom'], element.sbom);
    }
    if (!kev.length && !components.length) continue;
    elements.push({ id, element, kev, untrackedKev: kev.filter(e => !mentions(hay, e.cve)), components });
  }
  const m = { intel, index, elements, relevant };
  cache.set(ctx.model, { intel, threats: ctx.model.threats, elements: ctx.model.elements, m });
  return m;
}

/** Where a finding about a model path goes: its value (the `technology:` or the list item), else its key. */
export function rangeOf(ctx: RuleContext, path: Path): Range {
  return ctx.source.valueRange(path) ?? keyRange(ctx, path);
}

/** The top of the model (its `rampart:` line), for findings about the feeds themselves. */
export function topRange(ctx: RuleContext): Range {
  return ctx.source.keyRange(['rampart']) ?? ctx.source.keyRange(['title']) ?? { start: 0, end: 0 };
}

export { valueRange };

/** A list for a message: the first `max` items, then how many more. */
export function capped(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** STRIDE categories a vulnerability's words and CWE ids suggest (elevation of privilege when they say nothing). */
export function strideOf(text: string, cwes: readonly string[]): Stride[] {
  const t = `${text} ${cwes.join(' ')}`.toLowerCase();
  const out = new Set<Stride>();
  if (/code execution|command injection|code injection|os command|deserializ|privilege|overflow|use-after-free|memory corruption|out-of-bounds write|type confusion|arbitrary code|backdoor|untrusted control sphere|authorization|access control|permission|cwe-(?:94|77|78|502|269|250|787|416|120|122|862|863|285|829)\b/.test(t)) out.add('elevation-of-privilege');
  if (/authentication bypass|improper authentication|missing authentication|spoof|credential|session fixation|cross-site request|csrf|open redirect|cwe-(?:287|288|290|294|306|352|601|798)\b/.test(t)) out.add('spoofing');
  if (/information disclosure|exposure|traversal|disclos|leak|read arbitrary|weak pseudo-random|cwe-(?:200|22|23|36|338|532|918)\b/.test(t)) out.add('information-disclosure');
  if (/denial[- ]of[- ]service|resource consumption|infinite|exhaust|cwe-(?:400|770|835|674)\b/.test(t)) out.add('denial-of-service');
  if (/injection|cross-site scripting|xss|prototype pollution|tamper|sql|link following|cwe-(?:79|89|88|91|1321|59|611)\b/.test(t)) out.add('tampering');
  if (!out.size) out.add('elevation-of-privilege');
  return [...out];
}

/** The impact an advisory's severity suggests (a CVSS vector is scored; a word such as HIGH is read). */
export function impactOf(severity: string | undefined): { impact: Impact; label?: string } {
  if (!severity) return { impact: 'moderate' };
  let word = severity.toLowerCase();
  let label = word;
  if (severity.startsWith('CVSS:')) {
    const s = scoreCvss(severity);
    if (!s.ok) return { impact: 'moderate' };
    word = s.severity;
    label = `${s.severity} ${s.baseScore.toFixed(1)}`;
  }
  const impact: Impact = word === 'critical' ? 'severe' : word === 'high' ? 'major' : word === 'low' || word === 'none' ? 'minor' : 'moderate';
  return { impact, label };
}

/** Known exploitation raises a threat's likelihood: ransomware use makes it almost certain. */
export const exploitedLikelihood = (ransomware: boolean): Likelihood => (ransomware ? 'almost-certain' : 'likely');

/** The first free threat id `<base>`, `<base>-2`, ... (an earlier finding's threat keeps its id). */
export function freeThreatId(ctx: RuleContext, base: string): string {
  const threats = ctx.model.threats ?? {};
  const b = base.slice(0, LIMITS.id * 2 - 4).replace(/-+$/, '');
  if (!Object.hasOwn(threats, b)) return b;
  for (let n = 2; n < 1000; n++) if (!Object.hasOwn(threats, `${b}-${n}`)) return `${b}-${n}`;
  return `${b}-1000`;
}

/** A kebab-case slug of a package name for threat ids (`@babel/core` -> babel-core). */
export function slug(s: string, max = 40): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'package';
}

/** Tags for a threat: ids of at most 64 characters (the schema's bound), without duplicates. */
export const tagsOf = (ids: readonly string[]) => [...new Set(ids.filter(x => x.length <= LIMITS.id && /^[\w.:-]+$/.test(x)))].slice(0, LIMITS.list);

/** A suggested threat, clipped to the schema's limits. */
export function threat(t: Omit<SuggestedThreat, 'title' | 'description'> & { title: string; description: string }): SuggestedThreat {
  return { ...t, title: clip(t.title, LIMITS.name), description: clip(t.description, LIMITS.text), ...(t.cwe ? { cwe: t.cwe.slice(0, 50) } : {}) };
}

export { feedLabel, feedSource };
