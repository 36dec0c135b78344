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
 *   drawings {drawings}                the diagram's last drawings that a page of this model kept (`keepDrawing`), sent
 *                                      before the first view: a visual editor opened again draws without a layout
 *   layoutService {warm?}              the extension lays diagrams out (the language server's ELK; `warm` false: it is
 *                                      still warming up): send `layout` instead of starting a cold ELK on the page;
 *                                      sent before the first view
 *   layoutDone {id, graphJson?, error?}  the answer to `layout`: the laid-out graph, or why there is none (the page
 *                                      then lays the graph out itself)
 * Webview -> extension:
 *   ready                              the webview's script runs; send the current view
 *   reveal  {kind, id, node?}          show this entry's YAML (node: a path inside an attack tree)
 *   setThreatStatus      {id, status, version}
 *   setMitigationStatus  {id, status, version}
 *   addEntry  {intent, version}        add an element, boundary, flow, threat or mitigation (the server checks
 *                                      the intent with its full schema and computes the edit)
 *   inspect   {kind, id}               the properties panel of this entry (answered with `entry`)
 *   editEntry {intent, version}        change, rename or delete an entry (set-fields, rename-id, delete-entry)
 *   entryAction {kind, id, action, version}  apply the panel's fix number `action` (as the light bulb would)
 *   suggest   {target}                 threats to suggest against this element or flow (answered with `suggestions`)
 *   scoreVector {vector}               the live score of a CVSS vector being typed (answered with `vectorScore`)
 *   keepDrawing {key, svg}             Mermaid's markup of a new drawing, by structure key: the extension keeps the last
 *                                      few per model for the next page (the page cleans them again before use)
 *   layout {id, graphJson, layoutOptions?}  lay this ELK graph out (after `layoutService`); answered with `layoutDone`
 * Extension -> webview, after an addEntry or editEntry:
 *   added   {kind, id}                 the new entry: select it once the next view has it
 *   edited  {kind, id}                 the entry changed (its id may be new): keep it selected
 *   deleted {removed}                  these entries are gone: clear their selection
 *   confirmDelete {kind, id, message, references}  deleting would leave these references dangling: ask
 *   notice  {message}                  why it was not done
 *   entry   {version, kind, id, form}  the properties panel's content (form null: no such entry)
 *   suggestions {suggestions}          the statement builder's suggestions for a target
 *   vectorScore {vector, score?, severity?, version?, level?, problem?}  a CVSS vector's base score, or why it is not valid
 */
// zod's tree-shakable build: the extension bundles this module, and the full zod would be half its size.
import * as z from 'zod/mini';
import { isViewModel } from './viewMessage';
import { ID_PATTERN, MITIGATION_STATUSES, THREAT_ID_PATTERN, THREAT_STATUSES, type MitigationStatus, type ThreatStatus } from '../core/model/vocabulary';
import type { RevealKind, ViewModel } from '../core/render/viewModel';
import type { EntryForm } from '../core/edit/entryForm';
import { FORM_KINDS, type FormKind } from './formKinds';
import { DRAWING_KEY_MAX, DRAWING_MAX_CHARS, KEPT_DRAWINGS_PER_MODEL } from './drawingLimits';
import { LAYOUT_MAX_CHARS, LAYOUT_RESULT_MAX_CHARS } from './layoutLimits';

export { FORM_KINDS, FORM_SECTION_OF, KIND_OF_FORM_SECTION, type FormKind } from './formKinds';
import type { ThreatSuggestions } from '../core/edit/suggestions';

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

export const EDIT_KINDS = ['set-fields', 'rename-id', 'delete-entry'] as const;
export const editEntryMessage = z.strictObject({
  type: z.literal('editEntry'),
  intent: z.looseObject({ kind: z.enum(EDIT_KINDS) }).check(z.refine(i => JSON.stringify(i).length <= 20_000, 'an intent is small')),
  version,
});
export const suggestMessage = z.strictObject({ type: z.literal('suggest'), target: entryId });
export const scoreVectorMessage = z.strictObject({ type: z.literal('scoreVector'), vector: z.string().check(z.maxLength(300)) });
const keptDrawing = z.strictObject({
  key: z.string().check(z.minLength(1), z.maxLength(DRAWING_KEY_MAX)),
  svg: z.string().check(z.minLength(1), z.maxLength(DRAWING_MAX_CHARS), z.startsWith('<svg')),
});
export const keepDrawingMessage = z.strictObject({ type: z.literal('keepDrawing'), key: keptDrawing.shape.key, svg: keptDrawing.shape.svg });
export const inspectMessage = z.strictObject({ type: z.literal('inspect'), kind: z.enum(FORM_KINDS), id: threatId });
export const entryActionMessage = z.strictObject({
  type: z.literal('entryAction'), kind: z.enum(FORM_KINDS), id: threatId, action: z.int().check(z.minimum(0), z.maximum(999)), version,
});

const layoutId = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
export const layoutMessage = z.strictObject({
  type: z.literal('layout'), id: layoutId,
  graphJson: z.string().check(z.minLength(2), z.maxLength(LAYOUT_MAX_CHARS), z.startsWith('{')),
  layoutOptions: z.optional(z.record(z.string().check(z.maxLength(200)), z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean()]))),
});

export const fromWebviewMessage = z.union([readyMessage, revealMessage, setThreatStatusMessage, setMitigationStatusMessage, addEntryMessage, editEntryMessage, inspectMessage, entryActionMessage, suggestMessage, scoreVectorMessage, keepDrawingMessage, layoutMessage]);

export type ReadyMessage = { type: 'ready' };
export type RevealMessage = { type: 'reveal'; kind: RevealKind; id: string; node?: ('and' | 'or' | number)[] };
export type SetThreatStatusMessage = { type: 'setThreatStatus'; id: string; status: ThreatStatus; version: number };
export type SetMitigationStatusMessage = { type: 'setMitigationStatus'; id: string; status: MitigationStatus; version: number };
export type AddEntryMessage = { type: 'addEntry'; intent: { kind: (typeof INTENT_KINDS)[number] } & Record<string, unknown>; version: number };
export type EditEntryMessage = { type: 'editEntry'; intent: { kind: (typeof EDIT_KINDS)[number] } & Record<string, unknown>; version: number };
export type InspectMessage = { type: 'inspect'; kind: FormKind; id: string };
export type EntryActionMessage = { type: 'entryAction'; kind: FormKind; id: string; action: number; version: number };
export type SuggestMessage = { type: 'suggest'; target: string };
export type ScoreVectorMessage = { type: 'scoreVector'; vector: string };
export type KeepDrawingMessage = { type: 'keepDrawing'; key: string; svg: string };
export type LayoutMessage = { type: 'layout'; id: number; graphJson: string; layoutOptions?: Record<string, string | number | boolean> };
export type FromWebviewMessage = ReadyMessage | RevealMessage | SetThreatStatusMessage | SetMitigationStatusMessage | AddEntryMessage | EditEntryMessage | InspectMessage | EntryActionMessage | SuggestMessage | ScoreVectorMessage | KeepDrawingMessage | LayoutMessage;

/** Parses a message from the webview; undefined (and nothing done) for anything malformed. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  const r = fromWebviewMessage.safeParse(raw);
  return r.success ? (r.data as FromWebviewMessage) : undefined;
}

/**
 * A new view of the model. From the extension it carries the view serialised (`viewJson`), or the changes from
 * the view `base` that the webview holds (`deltaJson`, see viewDelta.ts): the host passes the server's string on
 * to the webview without parsing and re-serialising megabytes of objects on the editor's thread. `view` (the
 * same as an object) is accepted too (tests, other hosts). Exactly one of the three is set. `id` names this
 * view for the next delta.
 */
export { viewOfUpdate } from './viewMessage';
export type UpdateMessage = { type: 'update'; version: number; id?: number }
  & ({ view: ViewModel; viewJson?: undefined; deltaJson?: undefined; base?: undefined }
    | { viewJson: string; view?: undefined; deltaJson?: undefined; base?: undefined }
    | { deltaJson: string; base: number; view?: undefined; viewJson?: undefined });

export type ErrorMessage = { type: 'error'; version: number; message: string; line: number; column?: number };
export type SelectMessage = { type: 'select'; kind: RevealKind; id: string };
export type AddedMessage = { type: 'added'; kind: RevealKind; id: string };
export type NoticeMessage = { type: 'notice'; message: string };
export type EditedMessage = { type: 'edited'; kind: RevealKind; id: string };
export type DeletedMessage = { type: 'deleted'; removed: { kind: RevealKind; id: string }[] };
export type DanglingReference = { section: string; id: string; field: string; description: string };
export type ConfirmDeleteMessage = { type: 'confirmDelete'; kind: FormKind; id: string; message: string; references: DanglingReference[] };
export type EntryMessage = { type: 'entry'; version: number; kind: FormKind; id: string; form: EntryForm | null };
export type SuggestionsMessage = { type: 'suggestions'; suggestions: ThreatSuggestions };
export type VectorScoreMessage = { type: 'vectorScore'; vector: string; score?: number; severity?: string; version?: string; level?: string; problem?: string };
export type DrawingsMessage = { type: 'drawings'; drawings: { key: string; svg: string }[] };
export type LayoutServiceMessage = { type: 'layoutService'; warm?: boolean };
export type LayoutDoneMessage = { type: 'layoutDone'; id: number; graphJson?: string; error?: string };
export type ToWebviewMessage = UpdateMessage | ErrorMessage | SelectMessage | AddedMessage | NoticeMessage | EditedMessage | DeletedMessage | ConfirmDeleteMessage | EntryMessage | SuggestionsMessage | VectorScoreMessage | DrawingsMessage | LayoutServiceMessage | LayoutDoneMessage;

/**
 * Schemas of the messages to the webview. The view model is produced by our own code, so it is checked for
 * shape only; the webview still treats every string in it as text (textContent, encoded Mermaid).
 */
export const toWebviewMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('update'), version, id: z.optional(version), view: z.optional(z.custom<ViewModel>(isViewModel)), viewJson: z.optional(z.string()),
    deltaJson: z.optional(z.string()), base: z.optional(version),
  })
    .check(z.refine(m => [m.view, m.viewJson, m.deltaJson].filter(p => p !== undefined).length === 1, 'an update carries one of view, viewJson and deltaJson'))
    .check(z.refine(m => (m.deltaJson === undefined) === (m.base === undefined), 'a delta names the view it applies to (base), and only a delta does')),
  z.strictObject({ type: z.literal('error'), version, message: z.string().check(z.maxLength(10_000)), line: z.int().check(z.minimum(1)), column: z.optional(z.int().check(z.minimum(1))) }),
  z.strictObject({ type: z.literal('select'), kind: z.enum(REVEAL_KINDS), id: z.string().check(z.maxLength(128)) }),
  z.strictObject({ type: z.literal('added'), kind: z.enum(REVEAL_KINDS), id: z.string().check(z.maxLength(128)) }),
  z.strictObject({ type: z.literal('notice'), message: z.string().check(z.maxLength(2_000)) }),
  z.strictObject({ type: z.literal('edited'), kind: z.enum(REVEAL_KINDS), id: z.string().check(z.maxLength(128)) }),
  z.strictObject({ type: z.literal('deleted'), removed: z.array(z.strictObject({ kind: z.enum(REVEAL_KINDS), id: z.string().check(z.maxLength(128)) })).check(z.maxLength(10_000)) }),
  z.strictObject({
    type: z.literal('confirmDelete'), kind: z.enum(FORM_KINDS), id: z.string().check(z.maxLength(128)), message: z.string().check(z.maxLength(2_000)),
    references: z.array(z.strictObject({ section: z.string(), id: z.string(), field: z.string(), description: z.string().check(z.maxLength(2_000)) })).check(z.maxLength(10_000)),
  }),
  z.strictObject({
    type: z.literal('entry'), version, kind: z.enum(FORM_KINDS), id: z.string().check(z.maxLength(128)),
    form: z.nullable(z.custom<EntryForm>(f => !!f && typeof f === 'object' && Array.isArray((f as EntryForm).fields) && Array.isArray((f as EntryForm).actions))),
  }),
  z.strictObject({
    type: z.literal('vectorScore'), vector: z.string().check(z.maxLength(300)), score: z.optional(z.number()), severity: z.optional(z.string().check(z.maxLength(20))),
    version: z.optional(z.string().check(z.maxLength(10))), level: z.optional(z.string().check(z.maxLength(20))), problem: z.optional(z.string().check(z.maxLength(2_000))),
  }),
  z.strictObject({ type: z.literal('drawings'), drawings: z.array(keptDrawing).check(z.maxLength(KEPT_DRAWINGS_PER_MODEL)) }),
  z.strictObject({ type: z.literal('layoutService'), warm: z.optional(z.boolean()) }),
  z.strictObject({
    type: z.literal('layoutDone'), id: layoutId,
    graphJson: z.optional(z.string().check(z.maxLength(LAYOUT_RESULT_MAX_CHARS), z.startsWith('{'))), error: z.optional(z.string().check(z.maxLength(2_000))),
  }).check(z.refine(m => (m.graphJson === undefined) !== (m.error === undefined), 'a layout answer carries the graph or an error')),
  z.strictObject({
    type: z.literal('suggestions'),
    suggestions: z.custom<ThreatSuggestions>(s => !!s && typeof s === 'object' && typeof (s as ThreatSuggestions).target === 'string' && Array.isArray((s as ThreatSuggestions).suggestions)),
  }),
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
