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
import type { RuleContext } from './rules/types';
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
        // A rule's findings are its own fresh objects: completed in place (thousands per keystroke in the server).
        const out = f as Finding;
        out.ruleId = rule.meta.id;
        out.severity = severityFor(rule.meta.id, f.severity ?? rule.meta.severity, settings);
        findings.push(out);
      }
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId));
  return { parsed, index, graph, assessments, tolerance, findings };
}

export { ruleMeta };
