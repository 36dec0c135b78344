/**
 * The typed message protocol between the visual editor's webview and the extension: two discriminated
 * unions on `type`, with zod schemas for both directions. The webview is untrusted input (it renders text from
 * a cloned repository), so the extension parses every inbound message with `parseFromWebview` and acts on ids
 * only: it looks the id up in its own parse of the document and never uses a range, a path or text that the
 * webview sends. `version` is the document version the webview's view was built from; the extension ignores
 * an edit whose version is not the document's current one (the user then sees the refreshed view).
 *
 * Extension -> webview:
 *   update  {version, view}            a new view model (after every debounced document change)
 *   error   {version, message, line}   the text cannot be drawn (invalid YAML): keep the last view, show this
 *   select  {kind, id}                 the cursor is in this entry: highlight its node/row
 * Webview -> extension:
 *   ready                              the webview's script runs; send the current view
 *   reveal  {kind, id, node?}          show this entry's YAML (node: a path inside an attack tree)
 *   setThreatStatus      {id, status, version}
 *   setMitigationStatus  {id, status, version}
 *   addEntry  {intent, version}        add an element, boundary, flow, threat or mitigation (the server checks
 *                                      the intent with its full schema and computes the edit)
 * Extension -> webview, after an addEntry:
 *   added   {kind, id}                 the new entry: select it once the next view has it
 *   notice  {message}                  why it was not added
 */
// zod's tree-shakable build: the extension bundles this module, and the full zod would be half its size.
import * as z from 'zod/mini';
import { isViewModel } from './viewMessage';
import { ID_PATTERN, MITIGATION_STATUSES, THREAT_ID_PATTERN, THREAT_STATUSES, type MitigationStatus, type ThreatStatus } from '../core/model/vocabulary';
import type { RevealKind, ViewModel } from '../core/render/viewModel';

export const REVEAL_KINDS = ['element', 'flow', 'boundary', 'threat', 'mitigation', 'attack_tree', 'asset'] as const satisfies readonly RevealKind[];

const version = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const entryId = z.string().check(z.minLength(1), z.maxLength(128), z.regex(ID_PATTERN));
const threatId = z.string().check(z.minLength(1), z.maxLength(128), z.regex(THREAT_ID_PATTERN));
/** A node path inside an attack tree: alternating and/or and indexes, bounded. */
const treeNodePath = z.array(z.union([z.enum(['and', 'or']), z.int().check(z.minimum(0), z.maximum(99))])).check(
  z.maxLength(64),
  z.refine(p => p.length % 2 === 0 && p.every((s, i) => (i % 2 === 0) === (typeof s === 'string')), 'a path alternates and/or and an index'),
);

export const readyMessage = z.strictObject({ type: z.literal('ready') });
export const revealMessage = z.strictObject({
  type: z.literal('reveal'),
  kind: z.enum(REVEAL_KINDS),
  id: threatId,
  node: z.optional(treeNodePath),
}).check(z.refine(m => m.kind === 'threat' || ID_PATTERN.test(m.id), 'only threat ids may use rule@element'));
export const setThreatStatusMessage = z.strictObject({
  type: z.literal('setThreatStatus'),
  id: threatId,
  status: z.enum(THREAT_STATUSES),
  version,
});
export const setMitigationStatusMessage = z.strictObject({
  type: z.literal('setMitigationStatus'),
  id: entryId,
  status: z.enum(MITIGATION_STATUSES),
  version,
});

export const INTENT_KINDS = ['add-element', 'add-boundary', 'add-flow', 'add-threat', 'add-mitigation'] as const;
/** Checked for its kind and size here; the language server checks every field (src/core/edit/intentSchema.ts). */
export const addEntryMessage = z.strictObject({
  type: z.literal('addEntry'),
  intent: z.looseObject({ kind: z.enum(INTENT_KINDS) }).check(z.refine(i => JSON.stringify(i).length <= 20_000, 'an intent is small')),
  version,
});

export const fromWebviewMessage = z.union([readyMessage, revealMessage, setThreatStatusMessage, setMitigationStatusMessage, addEntryMessage]);

export type ReadyMessage = { type: 'ready' };
export type RevealMessage = { type: 'reveal'; kind: RevealKind; id: string; node?: ('and' | 'or' | number)[] };
export type SetThreatStatusMessage = { type: 'setThreatStatus'; id: string; status: ThreatStatus; version: number };
export type SetMitigationStatusMessage = { type: 'setMitigationStatus'; id: string; status: MitigationStatus; version: number };
export type AddEntryMessage = { type: 'addEntry'; intent: { kind: (typeof INTENT_KINDS)[number] } & Record<string, unknown>; version: number };
export type FromWebviewMessage = ReadyMessage | RevealMessage | SetThreatStatusMessage | SetMitigationStatusMessage | AddEntryMessage;

/** Parses a message from the webview; undefined (and nothing done) for anything malformed. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  const r = fromWebviewMessage.safeParse(raw);
  return r.success ? (r.data as FromWebviewMessage) : undefined;
}

/**
 * A new view of the model. From the extension it carries the view serialised (`viewJson`): the host passes the
 * server's string on to the webview without parsing and re-serialising megabytes of objects on the editor's
 * thread. `view` (the same as an object) is accepted too (tests, other hosts). Exactly one of the two is set.
 */
export { viewOfUpdate } from './viewMessage';
export type UpdateMessage = { type: 'update'; version: number } & ({ view: ViewModel; viewJson?: undefined } | { viewJson: string; view?: undefined });

export type ErrorMessage = { type: 'error'; version: number; message: string; line: number; column?: number };
export type SelectMessage = { type: 'select'; kind: RevealKind; id: string };
export type AddedMessage = { type: 'added'; kind: RevealKind; id: string };
export type NoticeMessage = { type: 'notice'; message: string };
export type ToWebviewMessage = UpdateMessage | ErrorMessage | SelectMessage | AddedMessage | NoticeMessage;

/**
 * Schemas of the messages to the webview. The view model is produced by our own code, so it is checked for
 * shape only; the webview still treats every string in it as text (textContent, encoded Mermaid).
 */
export const toWebviewMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('update'), version, view: z.optional(z.custom<ViewModel>(isViewModel)), viewJson: z.optional(z.string()) })
    .check(z.refine(m => (m.view === undefined) !== (m.viewJson === undefined), 'an update carries either view or viewJson')),
  z.strictObject({ type: z.literal('error'), version, message: z.string().check(z.maxLength(10_000)), line: z.int().check(z.minimum(1)), column: z.optional(z.int().check(z.minimum(1))) }),
  z.strictObject({ type: z.literal('select'), kind: z.enum(REVEAL_KINDS), id: z.string().check(z.maxLength(128)) }),
  z.strictObject({ type: z.literal('added'), kind: z.enum(REVEAL_KINDS), id: z.string().check(z.maxLength(128)) }),
  z.strictObject({ type: z.literal('notice'), message: z.string().check(z.maxLength(2_000)) }),
]);

/** Parses a message to the webview (used by the webview's tests and defensive callers). */
export function parseToWebview(raw: unknown): ToWebviewMessage | undefined {
  const r = toWebviewMessage.safeParse(raw);
  return r.success ? (r.data as ToWebviewMessage) : undefined;
}

/** State the webview keeps across reloads with `vscode.setState` (pan/zoom, filters, focus). */
export interface WebviewState {
  zoom?: { x: number; y: number; k: number };
  focus?: { boundary: string } | { element: string };
  filters?: { status?: string; level?: string; element?: string; cell?: [number, number] };
  treesOpen?: string[];
  /** The last drawings of the data-flow diagram (sanitized SVG markup by structure key), to draw at once when shown again. */
  drawings?: { key: string; svg: string }[];
}
