/**
 * What the code says about a model (#13), read beforehand by an adapter (the CLI, the language server) and given
 * to the analysis in `settings.trace`, as discovery is: the annotations in source comments, the text of the
 * files that evidence names, and what git knows (commits since a review, renamed files). Plain data; every path
 * is relative to the model's folder, with `/`. What an adapter could not read is absent: the rules then cannot
 * tell, and say nothing.
 */
import type { Annotation } from './annotations';

export interface ReviewChange {
  commit: string;
  /** ISO 8601 committer date. */
  date: string;
  subject: string;
  /** Files under the element's `code:` the commit touched (relative to the model's folder). */
  files: string[];
}

/** What git says about an element's code since its review commit. */
export type ReviewStatus =
  | { commit: string; changes: ReviewChange[] }
  | { commit: string; error: string };

export interface Trace {
  /** The annotations found in the repository's source files (`file` relative to the model's folder). */
  annotations: readonly Annotation[];
  /** Text of the files evidence names, by path as written (without `#...`); null: the file could not be read. */
  evidence?: Readonly<Record<string, string | null>>;
  /** Per element id: the commits since `reviewed.commit` that touched its `code:` (for that commit). */
  reviews?: Readonly<Record<string, ReviewStatus>>;
  /** Where a missing evidence file went: the paths git saw it renamed to, or files of the same name. */
  moved?: Readonly<Record<string, readonly string[]>>;
}

/** What an adapter should read for a model: the evidence files, and the reviews to ask git about. */
export interface TraceNeeds {
  evidenceFiles: string[];
  reviews: { element: string; commit: string; code: string[] }[];
}
