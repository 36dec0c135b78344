/**
 * The shape of a rule: metadata first (it is the rule's documentation, in the README, hovers and SARIF),
 * then a pure `check` over the parsed model. Rules never read settings themselves: the context carries them.
 */
import type { Level, Model, Stride } from '../model/schema';
import type { SourceMap } from '../model/sourceMap';
import type { ModelGraph, ModelIndex } from '../model/index';
import type { ThreatAssessment } from '../risk/assess';
import type { AnalysisSettings, Finding, Severity } from '../types';

export type RuleCategory = 'schema' | 'risk' | 'stride' | 'design' | 'discover' | 'trace' | 'plan' | 'pasta' | 'linddun' | 'intel' | 'library';

export interface RuleMeta {
  /** Stable, namespaced id: `risk/unmitigated-above-tolerance`. */
  id: string;
  title: string;
  category: RuleCategory;
  severity: Severity;
  /** What the rule finds, in a sentence or two. */
  description: string;
  /** What to do about a finding. */
  advice: string;
  stride?: readonly Stride[];
  cwe?: readonly string[];
  capec?: readonly string[];
  /** How it decides (design rules). */
  detection?: string;
  /** When it fires but should not, and what to do then. */
  falsePositives?: string;
  /**
   * "Why does this matter?": what goes wrong in practice when the finding is ignored, in a short paragraph (the
   * README renders it under the rule reference, anchored at `ruleWhyAnchor(id)`, and hovers link to it).
   */
  why?: string;
  /** A short YAML snippet of a model that shows what the rule asks for (rendered under `why`). */
  example?: string;
}

export interface RuleContext {
  model: Model;
  source: SourceMap;
  index: ModelIndex;
  graph: ModelGraph;
  assessments: Map<string, ThreatAssessment>;
  tolerance: Level;
  now: Date;
  settings: AnalysisSettings;
  /** Ids defined in the file whose entries failed validation (not dangling, only invalid). */
  rejected: ReadonlySet<string>;
  /**
   * Optional memo of pure, range-free computations (the incremental analyzer's, src/core/incremental): runs
   * `compute` on a context that records what it reads, or returns the previous result when none of that changed.
   */
  memo?: <T>(key: string, ctx: RuleContext, compute: (ctx: RuleContext) => T) => T;
}

/** A finding as a rule returns it: rule id and severity are filled in from the metadata and settings. */
export type RuleFinding = Omit<Finding, 'ruleId' | 'severity'> & { severity?: Severity };

/**
 * Findings a rule may return again, the same object, in a later analysis of the same document (the design
 * engine keeps a suggestion's finding while nothing it is made from changed). The analysis completes such a
 * finding into a copy it keeps (one per rule finding and severity) instead of in place, so an unchanged finding
 * stays the same object from one analysis to the next and later stages can reuse what they made of it.
 */
export const keptFindings = new WeakSet<RuleFinding>();

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): RuleFinding[];
}
