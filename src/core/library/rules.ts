/**
 * A library's custom rule as a design-rule definition: the same engine as the built-in design rules runs it
 * (stable `acme/rule@subject` ids, reconciliation with tracked threats, the "add suggested threat" fix, obsolete
 * suggestions). Its detection evaluates the rule's `when` on every element or flow (match.ts); its message and
 * threat fill the placeholders from the subject. Nothing of the library is executed.
 */
import type { Impact, Likelihood, Linddun, Stride } from '../model/schema';
import { LIMITS } from '../model/vocabulary';
import type { DesignRuleDef, Suggestion } from '../rules/design/engine';
import { at, boundaryLabel, elements, flows, impactFor, likelihoodFor, maxClass, quote, trustOf } from '../rules/design/facts';
import type { RuleContext, RuleMeta } from '../rules/types';
import { clip } from '../text/clip';
import { describeCondition, Facts, flowAssetsBothWays, matchElement, matchFlow, missingControlsOf } from './match';
import type { LibraryRuleData } from './schema';

/** A library rule: a design-rule definition with category `library`. */
export interface LibraryRuleDef extends DesignRuleDef {
  meta: RuleMeta & { category: 'library' };
  /** The library (namespace) and the rule's id in it. */
  library: string;
  key: string;
  data: LibraryRuleData;
}

export const ELEMENT_PLACEHOLDERS = ['id', 'name', 'type', 'kind', 'technology', 'boundary', 'trust', 'missing', 'data', 'classification', 'rule', 'library'] as const;
export const FLOW_PLACEHOLDERS = ['id', 'name', 'from', 'to', 'protocol', 'boundary', 'missing', 'data', 'classification', 'rule', 'library'] as const;
const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** `text` with `{placeholder}`s replaced (unknown ones kept as written). Values are model text: clipped, never re-read. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (m, k: string) => (Object.prototype.hasOwnProperty.call(values, k) ? clip(values[k], LIMITS.name) : m));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileRule(library: string, key: string, data: LibraryRuleData): { def: LibraryRuleDef; unknownPlaceholders: { field: string; name: string; known: readonly string[] }[] } {
  const id = `${library}/${key}`;
  const onFlows = 'flow' in data.when;
  const known: readonly string[] = onFlows ? FLOW_PLACEHOLDERS : ELEMENT_PLACEHOLDERS;
  const unknownPlaceholders: { field: string; name: string; known: readonly string[] }[] = [];
  for (const [field, text] of [['message', data.message], ['threat', data.threat.title], ['threat', data.threat.description ?? '']] as const) {
    for (const m of text.matchAll(PLACEHOLDER)) if (!known.includes(m[1])) unknownPlaceholders.push({ field, name: m[1], known });
  }
  const detection = `Fires on ${describeCondition(data.when)} (a rule of the team library \`${library}\`).`;
  const meta: LibraryRuleDef['meta'] = {
    id,
    title: data.title,
    category: 'library',
    severity: data.severity ?? 'warning',
    description: data.description ?? `${data.title}: a rule of the team library \`${library}\`.`,
    advice: data.advice ?? 'Change the design so that the rule no longer applies, or track the risk with the suggested threat (the quick fix adds it).',
    ...(data.threat.stride?.length ? { stride: data.threat.stride as Stride[] } : {}),
    ...(data.threat.cwe?.length ? { cwe: data.threat.cwe } : {}),
    ...(data.threat.capec?.length ? { capec: data.threat.capec } : {}),
    detection,
    ...(data.why ? { why: data.why } : {}),
  };
  const covers = data.covers?.length ? new RegExp(`\\b(?:${data.covers.map(escapeRe).join('|')})\\b`, 'i') : undefined;
  const missingAsked = [...missingControlsOf('element' in data.when ? data.when.element : data.when.flow)];
  const def: LibraryRuleDef = {
    meta,
    library,
    key,
    data,
    ...(covers ? { covers } : {}),
    // The memo of the incremental analyzer keys a rule's detection by this: a changed rule is never served stale.
    memoKey: `${id}\u0000${JSON.stringify(data)}`,
    detect(ctx: RuleContext): Suggestion[] {
      const facts = new Facts(ctx);
      const out: Suggestion[] = [];
      if ('element' in data.when) {
        const m = data.when.element;
        for (const [eid, e] of elements(ctx)) {
          if (!matchElement(facts, eid, m)) continue;
          const handled = facts.assetsOf(eid);
          const missing = missingAsked.filter(c => !e.controls?.includes(c as never));
          const values: Record<string, string> = {
            id: eid, name: e.name, type: e.type, kind: e.kind ?? e.type, technology: e.technology ?? 'unknown technology',
            boundary: e.boundary ? (ctx.model.boundaries?.[e.boundary]?.name ?? e.boundary) : 'no boundary',
            trust: trustOf(ctx, eid) ?? 'unknown', missing: missing.join(', ') || 'none',
            data: handled.map(([, a]) => a.name).slice(0, 10).join(', ') || 'no data', classification: maxClass(handled) ?? 'none',
            rule: id, library,
          };
          out.push(suggestion(ctx, eid, 'elements', values, `${quote(eid)} is ${describeCondition(data.when)} (${boundaryLabel(ctx, eid)}).`, [], likelihoodFor(trustOf(ctx, eid)), impactFor(handled)));
        }
      } else {
        const m = data.when.flow;
        for (const [fid, f] of flows(ctx)) {
          if (!matchFlow(facts, fid, m)) continue;
          const carried = flowAssetsBothWays(ctx, f);
          const from = ctx.model.elements?.[f.from];
          const to = ctx.model.elements?.[f.to];
          const missing = missingAsked.filter(c => !f.controls?.includes(c as never));
          const values: Record<string, string> = {
            id: fid, name: f.name ?? fid, from: from?.name ?? f.from, to: to?.name ?? f.to, protocol: f.protocol ?? 'unknown protocol',
            boundary: `${boundaryLabel(ctx, f.from)} to ${boundaryLabel(ctx, f.to)}`, missing: missing.join(', ') || 'none',
            data: carried.map(([, a]) => a.name).slice(0, 10).join(', ') || 'no data', classification: maxClass(carried) ?? 'none',
            rule: id, library,
          };
          const related = [at.element(f.from, `${f.from} sends on ${fid}`), at.element(f.to, `${f.to} receives on ${fid}`)];
          const trust = trustOf(ctx, f.from);
          out.push(suggestion(ctx, fid, 'flows', values, `${quote(fid)} (${quote(f.from)} -> ${quote(f.to)}) is ${describeCondition(data.when)}.`, related, likelihoodFor(trust), impactFor(carried)));
        }
      }
      return out;
    },
  };

  function suggestion(_ctx: RuleContext, subject: string, section: 'elements' | 'flows', values: Record<string, string>, why: string, related: Suggestion['related'], likelihood: Likelihood, impact: Impact): Suggestion {
    const t = data.threat;
    return {
      subject,
      section,
      message: clip(fillPlaceholders(data.message, values), LIMITS.text),
      why: clip(why, LIMITS.text),
      ...(related?.length ? { related } : {}),
      threat: {
        title: fillPlaceholders(t.title, values),
        description: fillPlaceholders(t.description ?? data.message, values),
        ...(t.stride ? { stride: t.stride as Stride[] } : {}),
        ...(t.linddun?.length ? { linddun: t.linddun as Linddun[] } : {}),
        likelihood: (t.likelihood as Likelihood | undefined) ?? likelihood,
        impact: (t.impact as Impact | undefined) ?? impact,
        ...(t.cwe ? { cwe: t.cwe } : {}),
        ...(t.capec ? { capec: t.capec } : {}),
      },
    };
  }

  return { def, unknownPlaceholders };
}
