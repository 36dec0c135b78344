/**
 * The properties panel's requests (#11): `rampart/entryForm`, the fields, findings and fixes of one entry of an
 * open model (src/core/edit/entryForm.ts), `rampart/entryFix`, the edit of one of those fixes, and
 * `rampart/cvssScore`, the live score of a CVSS vector as it is typed (the scoring library stays out of the
 * webview's bundle). Both answer
 * from the open model's cached analysis and name the version they were computed from; the client applies an
 * edit only to that version.
 */
import { RequestType, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { EntryForm, FormSection } from '../core/edit/entryForm';
import type { DocumentParams } from './requests';

export interface EntryFormParams extends DocumentParams {
  section: FormSection;
  id: string;
}
export type EntryFormResult = { version: number; form?: EntryForm } | null;
export const EntryFormRequest = new RequestType<EntryFormParams, EntryFormResult, void>('rampart/entryForm');

export interface EntryFixParams extends EntryFormParams {
  version: number;
  /** Index into the form's `actions`, as computed for `version`. */
  action: number;
}
export interface EntryFixResult {
  version: number;
  stale?: boolean;
  edit?: WorkspaceEdit;
}
export const EntryFixRequest = new RequestType<EntryFixParams, EntryFixResult, void>('rampart/entryFix');

/** `rampart/cvssScore`: a vector's base score and rating, or why it is not a valid vector. */
export type CvssScoreResult = { vector: string; score?: number; severity?: string; version?: string; level?: string; problem?: string };
export const CvssScoreRequest = new RequestType<{ vector: string }, CvssScoreResult, void>('rampart/cvssScore');
