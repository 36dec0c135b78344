/**
 * The code and the model (#13), between the VS Code client and the language server:
 *
 * - `rampart/fileAnnotations`: the annotations (`@mitigates`, `@threat`, `@accepts`, `@model`) of a source file
 *   (its current text, saved or not), each resolved against the threat models of its workspace folder: the
 *   entry it names, with its title, risk level and status, and where it is defined. The client shows them as
 *   CodeLens and hovers, and goes from an annotation to the model.
 * - `rampart/mitigationChoices`: every mitigation of the workspace's models, for *Link Selection as Evidence*.
 * - `rampart/addEvidence`: the edit that appends an evidence entry to a mitigation of an OPEN model.
 * - `rampart/markReviewed`: the edit that records today's date and HEAD as an element's review.
 *
 * Positions are LSP positions (0-based lines, UTF-16 columns). Edits are for the version named, and the client
 * applies them only to it.
 */
import { NotificationType0, RequestType, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';

export interface FileAnnotationsParams {
  uri: string;
  /** The file's text as the editor holds it (it may be unsaved). */
  text: string;
}

/** An entry of a model that an annotation names. */
export interface AnnotationTarget {
  modelUri: string;
  /** The entry's key in the model. */
  range: Range;
  section: 'threats' | 'mitigations' | 'elements';
  title: string;
  /** A threat's residual risk level (`high`), when rated. */
  level?: string;
  status?: string;
}

export interface ResolvedAnnotation {
  kind: 'mitigates' | 'threat' | 'accepts' | 'model';
  id: string;
  with?: string;
  /** The id's range in the source file (and the `with` id's). */
  range: Range;
  withRange?: Range;
  /** The entry it names, when a model of the folder has it (absent: unknown, see trace/unknown-annotation-id). */
  target?: AnnotationTarget;
  withTarget?: AnnotationTarget;
}
export const FileAnnotationsRequest = new RequestType<FileAnnotationsParams, ResolvedAnnotation[], void>('rampart/fileAnnotations');

export interface MitigationChoice {
  modelUri: string;
  id: string;
  title: string;
  status?: string;
  /** Threats that list it. */
  threats: string[];
}
export const MitigationChoicesRequest = new RequestType<{ uri?: string }, MitigationChoice[], void>('rampart/mitigationChoices');

export interface AddEvidenceParams {
  /** An open model (the client opens it first). */
  modelUri: string;
  mitigation: string;
  /** The entry as written: `../src/auth.ts#L10-L20`, relative to the model's folder. */
  evidence: string;
}
export interface TraceEditResult {
  /** For the model's current version; absent when there is nothing to do or it was refused. */
  edit?: WorkspaceEdit;
  refusal?: string;
  /** markReviewed: the commit written. */
  commit?: string;
}
export const AddEvidenceRequest = new RequestType<AddEvidenceParams, TraceEditResult, void>('rampart/addEvidence');

export interface MarkReviewedParams {
  /** An open model. */
  uri: string;
  element: string;
  /** Who reviewed it (optional, written as `by:`). */
  by?: string;
}
export const MarkReviewedRequest = new RequestType<MarkReviewedParams, TraceEditResult, void>('rampart/markReviewed');

/** `rampart/annotationIds`: the ids an annotation in this source file may name (of the models that answer for it). */
export interface AnnotationIdChoice { id: string; title: string; detail?: string }
export interface AnnotationIds {
  threats: AnnotationIdChoice[];
  mitigations: AnnotationIdChoice[];
  elements: AnnotationIdChoice[];
}
export const AnnotationIdsRequest = new RequestType<{ uri: string }, AnnotationIds, void>('rampart/annotationIds');

/**
 * `rampart/traceChanged` (server -> client): what an annotation resolves to may have changed (a model was
 * analysed again, opened or closed, or the code's annotations changed). Sent after the server's own state
 * changed, so a client asking again gets the new answer.
 */
export const TraceChangedNotification = new NotificationType0('rampart/traceChanged');
