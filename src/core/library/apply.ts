/**
 * Applying a loaded library to a model: its rules as registered rules (built once per Library object by the
 * design-rule engine, plus `library/obsolete-suggestion`), `library/invalid` on the model when a library it uses
 * has errors, and its catalog entries matched against an element or flow (`libraryThreatsFor`), which the
 * STRIDE-stub fix and the adapters' "add threat from library" use.
 */
import type { Model, Stride } from '../model/schema';
import { LIMITS } from '../model/vocabulary';
import { ModelGraph } from '../model/index';
import { buildDesignRules } from '../rules/design/engine';
import { quote } from '../rules/design/facts';
import { fill } from '../rules/stride/catalog';
import type { Rule, RuleMeta } from '../rules/types';
import { keyRange, valueRange } from '../rules/helpers';
import { clip } from '../text/clip';
import type { Library, LibraryCatalogEntry } from './load';
import { Facts, matches, type MatchContext } from './match';

export const LIBRARY_INVALID_META: RuleMeta = {
  id: 'library/invalid',
  title: 'Team library with errors',
  category: 'library',
  severity: 'error',
  description: 'A team threat library this model uses (`.rampart/` or `policy.libraries`) has errors: the entries with errors (catalog threats, templates, rules) are left out, so its rules do not all run on this model.',
  advice: 'Open the library file named in the message and fix the problems shown there (each is located at its line).',
};

export const LIBRARY_OBSOLETE_META: RuleMeta = {
  id: 'library/obsolete-suggestion',
  title: 'Threat suggested by a library rule possibly obsolete',
  category: 'library',
  severity: 'info',
  description: 'An open threat that a team library rule suggested (it has `rule: <library>/<rule>`) no longer matches the model: the rule does not fire on its element or flow any more, the element or flow is gone, or the library no longer has the rule.',
  advice: 'Check whether the design change really removed the weakness. If so, record it (a mitigation with evidence, or `status: not-applicable` with a justification); otherwise keep the threat. Rampart never deletes threats.',
  detection: 'For each open threat whose `rule:` is in the namespace of a loaded library, the subject is taken from the id (`<library>.<rule>@<subject>`) or else from `targets`; the finding is reported when the rule suggests nothing for any of them.',
};

export const LIBRARY_UNREADABLE_META: RuleMeta = {
  id: 'library/unreadable',
  title: 'Team library that cannot be read',
  category: 'library',
  severity: 'warning',
  description: 'A team threat library this model names in `policy.libraries` (or a `.rampart/` file) cannot be read: the package is not installed, the path does not exist or leads out of the repository, or the file is too big. Its rules, catalog threats and templates are missing from the analysis.',
  advice: 'Install the package (`npm install` in the repository), fix the path (relative to the model\'s folder, inside the repository), or remove the entry.',
};

const rulesCache = new WeakMap<Library, Rule[]>();

/** The registered rules of a library: its custom rules and `library/obsolete-suggestion`, plus `library/invalid`. Cached per Library. */
export function libraryRules(library: Library): Rule[] {
  let rules = rulesCache.get(library);
  if (rules) return rules;
  const names = new Set(library.names);
  rules = [];
  if (library.rules.length || library.names.length) {
    rules.push(...buildDesignRules(library.rules, {
      meta: LIBRARY_OBSOLETE_META,
      owns: r => { const i = r.indexOf('/'); return i > 0 && names.has(r.slice(0, i)); },
      missing: r => `it was suggested by ${quote(r)}, which the library \`${r.slice(0, r.indexOf('/'))}\` no longer defines (renamed or removed)`,
    }));
  }
  rules.push(invalidRule(library));
  if (library.unreadable?.length) rules.push(unreadableRule(library.unreadable));
  rulesCache.set(library, rules);
  return rules;
}

function invalidRule(library: Library): Rule {
  return {
    meta: LIBRARY_INVALID_META,
    check(ctx) {
      const errors = library.problems.filter(p => p.severity === 'error');
      if (!errors.length) return [];
      const byFile = new Map<string, typeof errors>();
      for (const p of errors) byFile.set(p.display, [...(byFile.get(p.display) ?? []), p]);
      const range = keyRange(ctx, ['policy', 'libraries']);
      const at = ctx.model.policy?.libraries ? range : ctx.source.rangeFor([]);
      return [...byFile].map(([display, ps]) => ({
        ...(ctx.model.policy?.libraries ? { path: ['policy', 'libraries'] } : {}),
        range: at,
        stableId: `library/invalid@${display}`,
        message: clip(`The team library file ${display} has ${ps.length} error${ps.length > 1 ? 's' : ''}; the entries with errors are left out. First: ${ps[0].message}`, LIMITS.text),
        why: `${display}: ${ps.slice(0, 3).map(p => p.message).join(' ')}`.slice(0, LIMITS.text),
      }));
    },
  };
}

function unreadableRule(sources: NonNullable<Library['unreadable']>): Rule {
  return {
    meta: LIBRARY_UNREADABLE_META,
    check(ctx) {
      const named = ctx.model.policy?.libraries;
      const seen = new Set<string>();
      const out = [];
      for (const s of sources) {
        const key = `${s.entry ?? ''}\u0000${s.source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // on the entry that names it; a `.rampart/` folder's file on `policy.libraries`, or else the document's start
        const atEntry = s.entry !== undefined && Array.isArray(named) && named[s.entry] === s.source;
        const path = atEntry ? ['policy', 'libraries', s.entry!] : named ? ['policy', 'libraries'] : undefined;
        out.push({
          ...(path ? { path } : {}),
          range: atEntry ? valueRange(ctx, path!) : named ? keyRange(ctx, ['policy', 'libraries']) : ctx.source.rangeFor([]),
          stableId: `library/unreadable@${clip(s.source, 200)}`,
          message: clip(`The team library ${quote(s.source)} cannot be read: ${s.message}. Its rules, threats and templates are left out.`, LIMITS.text),
        });
      }
      return out;
    },
  };
}

/** Every rule's metadata a library adds (for `rampart rules`, SARIF's driver, hovers): the custom rules, `library/*`. */
export function libraryRuleMeta(library: Library | undefined): RuleMeta[] {
  if (!library) return [];
  return [...library.rules.map(r => r.meta), LIBRARY_OBSOLETE_META, LIBRARY_INVALID_META, ...(library.unreadable?.length ? [LIBRARY_UNREADABLE_META] : [])];
}

/** A rule's metadata among a library's (undefined when the library has no such rule). */
export function libraryRuleMetaById(library: Library | undefined, id: string): RuleMeta | undefined {
  return libraryRuleMeta(library).find(m => m.id === id);
}

// ---- catalog ----------------------------------------------------------------------------------------------------

const graphs = new WeakMap<Model, ModelGraph>();
function matchContext(model: Model): MatchContext {
  let graph = graphs.get(model);
  if (!graph) graphs.set(model, (graph = new ModelGraph(model)));
  return { model, graph };
}

/**
 * The catalog entries of the library that apply to an element or a flow of the model (its `applies_to` holds;
 * an entry without `applies_to` applies to every element). Library order.
 */
export function libraryThreatsFor(library: Library | undefined, model: Model, id: string, ctx?: MatchContext): LibraryCatalogEntry[] {
  if (!library?.catalog.length) return [];
  const isFlow = !model.elements?.[id] && !!model.flows?.[id];
  if (!isFlow && !model.elements?.[id]) return [];
  const facts = new Facts(ctx ?? matchContext(model));
  return library.catalog.filter(e => {
    const a = e.data.applies_to;
    if (!a) return !isFlow;
    return ('flow' in a) === isFlow && matches(facts, a, id);
  });
}

/**
 * The first library entry with an `applies_to` that matches, for a STRIDE category on an element or flow (the
 * STRIDE-stub fix prefers it to the built-in catalog's).
 */
export function libraryEntryFor(library: Library | undefined, model: Model, id: string, category: Stride, ctx?: MatchContext): LibraryCatalogEntry | undefined {
  if (!library?.catalog.length) return undefined;
  return libraryThreatsFor(library, model, id, ctx).find(e => e.data.applies_to && e.data.stride?.includes(category));
}

/**
 * A threat entry (for `threats:`) from a library catalog entry on a target: `{name}` filled, typical mitigations
 * in the description, `status: open`. The id to use: `libraryThreatId`.
 */
export function libraryThreatStub(entry: LibraryCatalogEntry, target: string, name = target, stride?: Stride[]): Record<string, unknown> {
  const d = entry.data;
  const typical = d.mitigations?.length ? ` Typical mitigation: ${fill(d.mitigations[0], name)}.` : '';
  const description = `${d.description ? fill(d.description, name) : ''}${typical}`.trim();
  return {
    title: clip(fill(d.title, name), LIMITS.name),
    ...(description ? { description: clip(description, LIMITS.text) } : {}),
    ...(stride ?? d.stride ? { stride: stride ?? d.stride } : {}),
    ...(d.linddun?.length ? { linddun: d.linddun } : {}),
    targets: [target],
    ...(d.likelihood ? { likelihood: d.likelihood } : {}),
    ...(d.impact ? { impact: d.impact } : {}),
    ...(d.cwe?.length ? { cwe: d.cwe } : {}),
    ...(d.capec?.length ? { capec: d.capec } : {}),
    status: 'open',
  };
}

/** The id the "add threat from library" edit gives an entry's threat on a target: `<target>-<entry>`. */
export const libraryThreatId = (entry: LibraryCatalogEntry, target: string) => `${target}-${entry.key}`.slice(0, LIMITS.id * 2).replace(/-+$/, '');
