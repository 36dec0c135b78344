/**
 * Plain data shared by every part of the core and every front end: findings with offset ranges, fixes as
 * data, text edits and analysis settings. Nothing here knows about VS Code.
 */
import type { Level, Linddun, Stride, ThreatStatus } from './model/schema';
import type { Discovery } from './discover/types';
import type { DiscoveryScope } from './discover/scope';
import type { Trace } from './trace/types';
import type { IntelSettings } from './intel/index';
import type { Library } from './library/load';

/** Half-open character range [start, end) into the file's text (UTF-16 offsets, as JS strings and VS Code). */
export interface Range {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const severityRank = (s: Severity) => ({ error: 3, warning: 2, info: 1 })[s];

/** A text edit every front end can apply: replace `length` characters at `offset` with `text`. */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

/** A model path, as keys and indexes from the document root: ['threats', 'token-replay', 'status']. */
export type Path = readonly (string | number)[];

/** A fix carried by a finding: what to do, as data. `computeFix` in core/edit turns it into text edits. */
export type FixSpec =
  | { kind: 'add-mitigation'; title: string; threat: string; preferred?: boolean }
  | { kind: 'accept-risk'; title: string; threat: string; status?: 'accepted' | 'transferred' }
  | {
    kind: 'add-stride-stubs'; title: string; target: string; categories: Stride[]; preferred?: boolean;
    /** Per category, the threat entry a team library's matching catalog entry gives (preferred to the built-in catalog's). */
    entries?: Partial<Record<Stride, Record<string, unknown>>>;
  }
  /** LINDDUN privacy threat stubs from the LINDDUN catalog (src/core/rules/linddun/catalog.ts), one per category. */
  | { kind: 'add-linddun-stubs'; title: string; target: string; categories: Linddun[]; preferred?: boolean }
  | { kind: 'create-element'; title: string; section: 'elements' | 'boundaries' | 'assets' | 'mitigations' | 'threats'; id: string; preferred?: boolean }
  | { kind: 'set-threat-status'; title: string; threat: string; status: ThreatStatus; preferred?: boolean }
  | { kind: 'set-mitigation-status'; title: string; mitigation: string; status: string; preferred?: boolean }
  | { kind: 'add-suggested-threat'; title: string; id: string; threat: SuggestedThreat; preferred?: boolean }
  | { kind: 'add-suggested-threats'; title: string; threats: { id: string; threat: SuggestedThreat }[]; preferred?: boolean }
  /**
   * "Add to model" for what the repository declares and the model lacks (a `discover/*` finding): the entry
   * the discovery calls `discovered` in `section`, with what it needs and its flows. Computed against the
   * discovery of the moment (`FixOptions.addDiscovered`), so it needs an adapter that has one.
   */
  /** Appends an entry to a mitigation's `evidence:` (*Link Selection as Evidence*). */
  | { kind: 'add-evidence'; title: string; mitigation: string; evidence: string; preferred?: boolean }
  /** Records a review of an element's code: `reviewed: { date, commit, by }` (*Mark Element Reviewed*). */
  | { kind: 'mark-reviewed'; title: string; element: string; date: string; commit: string; by?: string; preferred?: boolean }
  | { kind: 'add-discovered'; title: string; section: 'elements' | 'flows' | 'boundaries' | 'assets'; discovered: string; preferred?: boolean }
  | {
    kind: 'replace'; title: string; range: Range; text: string;
    /** The text the range held when the fix was made. */
    expect: string;
    /** The character just after the range then ('' at the end of the text; absent: not checked). */
    expectAfter?: string;
    preferred?: boolean;
  };

/** The pre-filled threat a design rule suggests; the fix writes it under `threats:` with its stable id. */
export interface SuggestedThreat {
  title: string;
  description?: string;
  stride: Stride[];
  /** LINDDUN categories (a team library rule's threat may name them). */
  linddun?: Linddun[];
  targets: string[];
  likelihood?: string;
  impact?: string;
  cwe?: string[];
  capec?: string[];
  /** Written as the threat's `tags` (the CVE and advisory ids of an `intel/*` finding). */
  tags?: string[];
  rule: string;
  /** "A [source] with [prerequisites] can [action], which leads to [impact] on [assets]". */
  statement?: { source?: string; prerequisites?: string; action?: string; impact?: string; assets?: string[] };
}

export interface RelatedInfo {
  message: string;
  range: Range;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Model path of the node the finding is about, when it is about one. */
  path?: Path;
  /** A stable identity for CI tools (SARIF partialFingerprints) and reconciliation: `rule@element`. */
  stableId?: string;
  related?: RelatedInfo[];
  fixes?: FixSpec[];
  /** Why a rule fired, in words (shown on hover and in text output). */
  why?: string;
}

export interface AnalysisSettings {
  /** Overrides `policy.tolerance`. */
  tolerance?: Level;
  /** Rule ids (or prefixes ending in `/`, like `stride/`) that are switched off. */
  disabledRules?: readonly string[];
  /** Per-rule severity, or 'off'. */
  severityOverrides?: Readonly<Record<string, Severity | 'off'>>;
  /** "Today" for expiry checks; defaults to the real date. */
  now?: Date;
  /** Maximum file size in bytes checked before parsing. */
  maxFileSize?: number;
  /**
   * Checks that need a file system (evidence paths): given by adapters that have one. Called only with paths
   * inside the repository (relative to the model's folder); undefined means "cannot tell".
   */
  fileExists?: (relativePath: string) => boolean | undefined;
  /**
   * The model's folder relative to the repository root (`threats`, or '' at the root), with `/`. Evidence
   * that climbs out of the repository is reported and never looked up. Unknown: the model's folder is the bound.
   */
  modelDirInRepo?: string;
  /**
   * What the repository declares (src/core/discover, computed beforehand), with paths relative to the model's
   * folder: the `discover/*` rules compare the model with it. Absent: they find nothing.
   */
  discovery?: Discovery;
  /** How much of `discovery` a model answers for (src/core/discover/scope.ts); default `all`. */
  discoveryScope?: DiscoveryScope;
  /**
   * What the code says about the model (src/core/trace: annotations, evidence files' text, git), read
   * beforehand by the adapter; the `trace/*` rules and the evidence rules use it. Absent: they cannot tell.
   */
  trace?: Trace;
  /**
   * Offline threat intelligence (src/core/intel): the feeds the user pointed at (KEV, OSV), indexed, and the
   * model's SBOMs, read beforehand by the adapter; the `intel/*` rules use them. Absent: they find nothing.
   */
  intel?: IntelSettings;
  /**
   * The team threat libraries the model uses (src/core/library, `loadLibraries` on the files the adapter found):
   * their rules run beside the built-in ones, their catalog entries join the built-in catalog.
   */
  library?: Library;
}
