/**
 * The core's entry point: text + settings -> parsed model, index, assessments and every finding, sorted by
 * position. Pure: the same input gives the same output in the CLI, the extension and the tests.
 */
import { parseModel, type ParsedModel } from './model/parse';
import { buildIndex, ModelGraph, type IndexCache, type ModelIndex } from './model/index';
import { assessAll, type ThreatAssessment } from './risk/assess';
import { toleranceOf } from './risk/matrix';
import { RULES, ruleMeta } from './rules/index';
import { libraryRules } from './library/apply';
import { keptFindings, type RuleContext, type RuleFinding } from './rules/types';
import type { AnalysisSettings, Finding, Severity } from './types';
import type { Level } from './model/schema';

export interface Analysis {
  parsed: ParsedModel;
  index: ModelIndex;
  graph: ModelGraph;
  assessments: Map<string, ThreatAssessment>;
  tolerance: Level;
  findings: Finding[];
}

/** Whether a rule id is switched off by `disabledRules` (exact ids, or prefixes such as `stride/`). */
export function isDisabled(ruleId: string, settings: AnalysisSettings): boolean {
  if (settings.severityOverrides?.[ruleId] === 'off') return true;
  return (settings.disabledRules ?? []).some(d => d === ruleId || (d.endsWith('/') && ruleId.startsWith(d)) || (d.endsWith('*') && ruleId.startsWith(d.slice(0, -1))));
}

function severityFor(ruleId: string, fallback: Severity, settings: AnalysisSettings): Severity {
  const o = settings.severityOverrides?.[ruleId];
  return o && o !== 'off' ? o : fallback;
}

/** A kept rule finding, completed: the same object while its rule id and severity are the same (see `keptFindings`). */
const completions = new WeakMap<RuleFinding, Finding>();
function completed(f: RuleFinding, ruleId: string, severity: Severity): Finding {
  const done = completions.get(f);
  if (done && done.ruleId === ruleId && done.severity === severity) return done;
  const out: Finding = { ...f, ruleId, severity };
  completions.set(f, out);
  lastingFindings.add(out);
  return out;
}

/**
 * Findings that may come back, the same object, in the next analysis of the document (completed kept findings):
 * worth remembering what is made of them (the language server's diagnostics); the others are new each time.
 */
export const lastingFindings = new WeakSet<Finding>();

export function analyze(text: string, settings: AnalysisSettings = {}): Analysis {
  return analyzeParsed(parseModel(text, settings), settings);
}

/**
 * The analysis of a model already parsed (by `parseModel`, or assembled from cached entries by the
 * incremental analyzer, src/core/incremental): index, graph, assessments and every rule's findings.
 */
export function analyzeParsed(parsed: ParsedModel, settings: AnalysisSettings = {}, memo?: RuleContext['memo'], indexCache?: IndexCache): Analysis {
  const index = buildIndex(parsed, indexCache);
  const graph = new ModelGraph(parsed.model);
  const now = settings.now ?? new Date();
  const tolerance = toleranceOf(parsed.model, settings.tolerance);
  const assessments = assessAll(parsed.model, { tolerance, now });
  const ctx: RuleContext = { model: parsed.model, source: parsed.source, index, graph, assessments, tolerance, now, settings, rejected: parsed.rejected };
  if (memo) ctx.memo = memo;

  const findings: Finding[] = [];
  for (const f of parsed.findings) {
    if (isDisabled(f.ruleId, settings)) continue;
    findings.push({ ...f, severity: severityFor(f.ruleId, f.severity, settings) });
  }
  // A document that could not be read at all has no model to analyse further.
  if (parsed.doc && parsed.data && typeof parsed.data === 'object') {
    for (const rule of settings.library ? [...RULES, ...libraryRules(settings.library)] : RULES) {
      if (isDisabled(rule.meta.id, settings)) continue;
      let produced;
      try {
        produced = rule.check(ctx);
      } catch (e) {
        findings.push({ ruleId: 'internal/rule-failed', severity: 'warning', message: `Rule ${rule.meta.id} failed on this model (${(e as Error).message}); please report it.`, range: { start: 0, end: 0 } });
        continue;
      }
      for (const f of produced) {
        const severity = severityFor(rule.meta.id, f.severity ?? rule.meta.severity, settings);
        if (keptFindings.has(f)) { findings.push(completed(f, rule.meta.id, severity)); continue; }
        // A rule's other findings are its own fresh objects: completed in place (thousands per keystroke in the server).
        const out = f as Finding;
        out.ruleId = rule.meta.id;
        out.severity = severity;
        findings.push(out);
      }
    }
  }
  return { parsed, index, graph, assessments, tolerance, findings: byPosition(findings) };
}

/**
 * Findings sorted by position, then rule id (`localeCompare`), in a stable sort: the order of one
 * `sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId))`.
 * The keys are read once into typed arrays and the positions sorted there: thousands of findings per keystroke in
 * the language server, whose objects a comparator would otherwise visit again at every comparison.
 */
export function byPosition(findings: Finding[]): Finding[] {
  const n = findings.length;
  const ids = [...new Set(findings.map(f => f.ruleId))].sort((a, b) => a.localeCompare(b));
  const rank = new Map(ids.map((id, i) => [id, i]));
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const rule = new Int32Array(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const f = findings[i];
    start[i] = f.range.start;
    end[i] = f.range.end;
    rule[i] = rank.get(f.ruleId)!;
    order[i] = i;
  }
  order.sort((a, b) => start[a] - start[b] || end[a] - end[b] || rule[a] - rule[b]);
  return order.map(i => findings[i]);
}

export { ruleMeta };
