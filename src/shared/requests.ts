/**
 * The custom requests of the Rampart language server (methods `rampart/*`), which the VS Code client sends for
 * what only it shows: the visual editor's view, the status bar, "Check Workspace", "Export Report" and
 * "Import Threat Models...". Both sides import these types: the server registers a handler per request
 * (src/server/handlers/visualEditor.ts, src/server/handlers/commands.ts), the client sends them
 * (src/vscode/client.ts). Positions and ranges are LSP ones (UTF-16, zero-based); every answer about an open
 * model names the document version it was computed from, and the client drops an answer for an older version.
 *
 * Nothing here knows about VS Code: any client may send them (another editor could host the same webview).
 */
import { RequestType, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { MitigationStatus, ThreatStatus } from '../core/model/schema';
import type { Level } from '../core/model/schema';
import type { RevealKind } from '../core/render/viewModel';
import type { ThreatSuggestions } from '../core/edit/suggestions';
import type { ErrorMessage, UpdateMessage } from './protocol';

export interface DocumentParams {
  /** An open model's URI, as the client synchronises it. */
  uri: string;
}

/**
 * `rampart/viewModel`: what the visual editor's webview draws for the open model's current version (the
 * `update` message), or why it cannot be drawn (`error`). Null when `uri` is not an open model on the server.
 * With `since`, the id of the view the webview holds, the update is a delta against that view when the server
 * still has it (`base` set), and the whole view otherwise.
 */
export interface ViewModelParams extends DocumentParams {
  since?: number;
}
export type ViewModelResult = UpdateMessage | ErrorMessage | null;
export const ViewModelRequest = new RequestType<ViewModelParams, ViewModelResult, void>('rampart/viewModel');

/** `rampart/entryAt`: the entry (element, flow, threat, ...) whose YAML holds `position`, for the visual editor's highlight. */
export interface EntryAtParams extends DocumentParams {
  version: number;
  position: Position;
}
export type EntryAtResult = { version: number; kind: RevealKind; id: string } | null;
export const EntryAtRequest = new RequestType<EntryAtParams, EntryAtResult, void>('rampart/entryAt');

/** `rampart/revealRange`: the range to select for an entry the webview names (by id only); no `range` when it is not in the model. */
export interface RevealRangeParams extends DocumentParams {
  kind: RevealKind;
  id: string;
  /** A node path inside an attack tree. */
  node?: ('and' | 'or' | number)[];
}
export type RevealRangeResult = { version: number; range?: Range } | null;
export const RevealRangeRequest = new RequestType<RevealRangeParams, RevealRangeResult, void>('rampart/revealRange');

/**
 * `rampart/statusEdit`: the comment-preserving edit that sets a threat's or a mitigation's status, computed on
 * the document version the webview's view was made from. `edit` is absent when nothing is to be done: the id
 * is not in that section, the status is already the one asked, or the document is no longer at `version`
 * (`stale`: the client then refreshes the view instead).
 */
export type StatusEditParams = DocumentParams & { version: number; id: string } & (
  | { section: 'threats'; status: ThreatStatus }
  | { section: 'mitigations'; status: MitigationStatus }
);
export interface StatusEditResult {
  version: number;
  stale?: boolean;
  edit?: WorkspaceEdit;
}
export const StatusEditRequest = new RequestType<StatusEditParams, StatusEditResult, void>('rampart/statusEdit');

/** `rampart/riskSummary`: the status bar's numbers for an open model. */
export interface RiskSummary {
  version: number;
  /** Threats above the tolerance (the headline findings). */
  aboveTolerance: number;
  errors: number;
  findings: number;
  tolerance: Level;
}
export const RiskSummaryRequest = new RequestType<DocumentParams, RiskSummary | null, void>('rampart/riskSummary');

/** `rampart/checkWorkspace`: analyse every model of the workspace now (open ones from their text); resolves when published. */
export interface CheckWorkspaceResult {
  /** Model files found in the workspace folders. */
  files: number;
}
export const CheckWorkspaceRequest = new RequestType<Record<string, never>, CheckWorkspaceResult, void>('rampart/checkWorkspace');

/** `rampart/report`: the Markdown report of a model, from the text the client sends (open or read from disk). */
export interface ReportParams extends DocumentParams {
  text: string;
  /** The model file as the reader knows it (relative to the workspace). */
  fileName: string;
  generator?: string;
}
export const ReportRequest = new RequestType<ReportParams, { markdown: string }, void>('rampart/report');

export type ImportFormatName = 'threagile' | 'threat-dragon' | 'otm' | 'threat-composer';
/**
 * `rampart/import`: converts another tool's file to a Rampart model. Without `format`, the server detects it:
 * `unknown` asks the client to ask the user and send it again with a format.
 */
export interface ImportParams {
  text: string;
  format?: ImportFormatName;
  /** The file's URI: a `file:` one lets the server read what the model includes (Threagile's `includes:`) beside it. */
  uri?: string;
}
export type ImportResultMessage =
  | { status: 'ok'; yaml: string; notes: string[] }
  | { status: 'unknown' }
  | { status: 'rampart' }
  | { status: 'error'; message: string };
export const ImportRequest = new RequestType<ImportParams, ImportResultMessage, void>('rampart/import');

/**
 * `rampart/intentEdit`: the edits that add an element, boundary, flow, threat or mitigation (an intent of
 * src/core/edit/intents.ts, checked by its schema) to `text`, the document's text as the client has it. The
 * edits are offsets into that text; `id` is the new entry's. `refusal` says why nothing can be done.
 */
export interface IntentEditParams {
  text: string;
  intent: unknown;
}
export interface IntentEditResult {
  edits: { offset: number; length: number; text: string }[];
  id?: string;
  refusal?: string;
  /** A delete refused because these would dangle (the user may delete with references). */
  references?: { section: string; id: string; field: string; description: string }[];
  /** What a delete removed: the entry first, then what went with it. */
  removed?: { section: string; id: string }[];
}
export const IntentEditRequest = new RequestType<IntentEditParams, IntentEditResult, void>('rampart/intentEdit');

/** `rampart/modelIds`: the ids of each section of `text` with their names, for the commands' pickers. */
export interface ModelIdsResult {
  elements: { id: string; name: string }[];
  boundaries: { id: string; name: string }[];
  flows: { id: string; name: string }[];
  threats: { id: string; name: string }[];
  assets: { id: string; name: string }[];
  mitigations: { id: string; name: string }[];
}
export const ModelIdsRequest = new RequestType<{ text: string }, ModelIdsResult, void>('rampart/modelIds');

/**
 * `rampart/threatSuggestions`: what the visual editor's statement builder offers for a new threat against
 * `target` (an element or flow id) in `text`: the STRIDE categories with their explanation, the catalog's and
 * the design rules' threats as statements, and the target's assets (src/core/edit/suggestions.ts). An unknown
 * target or a broken document gives no suggestions.
 */
export interface ThreatSuggestionsParams {
  text: string;
  target: string;
}
export type { ThreatSuggestions };
export const ThreatSuggestionsRequest = new RequestType<ThreatSuggestionsParams, ThreatSuggestions, void>('rampart/threatSuggestions');

/**
 * `rampart/modelProgress`: how far a model (its text, as the client has it) has come along the guided first
 * model (the walkthrough `rampart.firstModel`): counts of elements, threats, rated threats and treatments (a
 * mitigation, or a threat accepted or transferred), and whether `policy.tolerance` is set.
 */
export interface ModelProgress {
  elements: number;
  threats: number;
  rated: number;
  tolerance: boolean;
  treated: number;
}
export const ModelProgressRequest = new RequestType<{ text: string }, ModelProgress, void>('rampart/modelProgress');

// ---------------------------------------------------------------------------------------------------------
// Team threat libraries (#16): templates and catalog threats of the libraries a model uses (its `.rampart/`
// folders and `policy.libraries`), and the edits that insert them. `uri` locates the model (where its libraries
// are found); `text` is the document's text as the client has it, and the edits are offsets into it. The client
// applies them as one undoable edit.

/** A component template of a library, for a picker. */
export interface LibraryTemplateInfo {
  /** Namespaced: `acme/postgres`. */
  id: string;
  title: string;
  description?: string;
  library: string;
  type: string;
  kind?: string;
  technology?: string;
  threats: number;
  mitigations: number;
  /** The templates it extends, nearest first. */
  extends: string[];
}
export interface LibraryTemplatesResult {
  templates: LibraryTemplateInfo[];
  /** The libraries read (names), to tell "no library" from "no template". */
  libraries: string[];
  /** The model's boundaries, to place the component in. */
  boundaries: { id: string; name: string }[];
}
export const LibraryTemplatesRequest = new RequestType<DocumentParams & { text: string }, LibraryTemplatesResult, void>('rampart/libraryTemplates');

export interface TemplateEditParams extends DocumentParams {
  text: string;
  /** The template's namespaced id. */
  template: string;
  /** The new element's id and name (default: from the template), its boundary. */
  id?: string;
  name?: string;
  boundary?: string;
}
export interface LibraryEditResult {
  edits: { offset: number; length: number; text: string }[];
  /** The new element's id (a template). */
  id?: string;
  threats?: string[];
  mitigations?: string[];
  refusal?: string;
}
export const TemplateEditRequest = new RequestType<TemplateEditParams, LibraryEditResult, void>('rampart/templateEdit');

/** A catalog threat of a library that applies to an element or flow. */
export interface LibraryThreatInfo {
  /** Namespaced: `acme/pg-sqli`. */
  id: string;
  title: string;
  description?: string;
  stride?: string[];
  library: string;
}
export interface LibraryThreatsParams extends DocumentParams {
  text: string;
  /** An element or flow id. */
  target: string;
}
export const LibraryThreatsRequest = new RequestType<LibraryThreatsParams, { threats: LibraryThreatInfo[]; libraries: string[] }, void>('rampart/libraryThreats');

export interface LibraryThreatEditParams extends LibraryThreatsParams {
  /** The catalog entry's namespaced id. */
  entry: string;
}
export const LibraryThreatEditRequest = new RequestType<LibraryThreatEditParams, LibraryEditResult, void>('rampart/libraryThreatEdit');

/**
 * `rampart/outline`: the document symbols of an open model in a compact form, for a client that converts a very
 * large outline itself (the VS Code extension, past `LENS_WINDOW_LINES` lines). `symbols` is the JSON text of a
 * flat list in document order, one array per symbol: `[depth, kind, name, detail, startLine, startCharacter,
 * endLine, endCharacter, selectionStartLine, selectionStartCharacter, selectionEndLine, selectionEndCharacter]`,
 * with the kinds and the (clipped) details of `textDocument/documentSymbol` and LSP positions; a symbol of depth
 * d + 1 is a child of the last symbol of depth d before it. One string, not a tree of 7,000 objects: the
 * editor's side reads the reply (about a fifth of the size) without parsing it on the IPC channel's turn.
 */
export type OutlineResult = { version: number; symbols: string } | null;
export const OutlineRequest = new RequestType<DocumentParams, OutlineResult, void>('rampart/outline');
