/**
 * `rampart/draft` (#12): a model drafted from the Compose, Kubernetes and OpenAPI files the client read (paths
 * relative to the folder the model is or will be in), or, given an existing model's text, that text with what is
 * new added (the core's proposals, applied with the edit intents). The client only finds and reads files and
 * writes the result; the server discovers.
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface DraftParams {
  files: { path: string; text: string }[];
  /** The text of the model to add to; a new model is drafted without it. */
  existing?: string;
  title?: string;
}
export interface DraftResult {
  /** The new model, or the existing one with the additions. */
  text: string;
  /** For an existing model: the additions as offset edits of its text (the rest of the file keeps its bytes). */
  edits?: { offset: number; length: number; text: string }[];
  /** Entries added (a new draft: every entry). */
  added: number;
  /** Proposals that could not be applied, with why. */
  refused: { key: string; reason: string }[];
  counts: { elements: number; flows: number; boundaries: number; assets: number; files: number };
  /** Problems of the files read (unresolved `$ref`s, limits, public operations without authentication...). */
  findings: { ruleId: string; severity: string; message: string; file: string; line: number }[];
}
export const DraftRequest = new RequestType<DraftParams, DraftResult, void>('rampart/draft');
