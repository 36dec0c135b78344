/**
 * Modelling without writing YAML (#11): `rampart.addElement`, `rampart.addBoundary`, `rampart.addFlow`,
 * `rampart.addThreat`, `rampart.addMitigation` and `rampart.deleteEntry`. Called with `(uri, args)` by other
 * extensions and tests, they change the document with one undoable edit and return the new id (a delete: the
 * ids it removed). From the Command Palette they ask with quick picks and input boxes; a delete that would
 * leave references dangling lists them in a modal dialog and offers "Delete with References". The language server computes the edits (src/core/edit/intents.ts,
 * checked by its schema); the extension host only applies them.
 */
import * as vscode from 'vscode';
import { ELEMENT_TYPES, IMPACTS, LIKELIHOODS, STRIDE, TRUST_LEVELS } from '../core/model/vocabulary';
import { IntentEditRequest, ModelIdsRequest, type IntentEditResult, type ModelIdsResult } from '../shared/requests';
import type { RampartServer } from './client';
import { isThreatModel } from './models';

export const AUTHORING_COMMANDS = {
  addElement: 'rampart.addElement',
  addBoundary: 'rampart.addBoundary',
  addFlow: 'rampart.addFlow',
  addThreat: 'rampart.addThreat',
  addMitigation: 'rampart.addMitigation',
  deleteEntry: 'rampart.deleteEntry',
} as const;

type Kind = keyof typeof AUTHORING_COMMANDS;
const INTENT_KIND: Record<Kind, string> = {
  addElement: 'add-element', addBoundary: 'add-boundary', addFlow: 'add-flow', addThreat: 'add-threat', addMitigation: 'add-mitigation', deleteEntry: 'delete-entry',
};

/** The model a command is about: the URI it was given, else the active editor's threat model. */
async function documentOf(target: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.parse(target) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  return isThreatModel(doc) ? doc : undefined;
}

/** Edits given as offsets into `doc`'s current text (the server's intent edits), as one workspace edit. */
export function offsetEdit(doc: vscode.TextDocument, edits: readonly { offset: number; length: number; text: string }[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.text);
  return edit;
}

/** Asks the server for the intent's edits on the document's text and applies them as one edit. */
async function applyIntent(server: RampartServer, doc: vscode.TextDocument, intent: Record<string, unknown>): Promise<IntentEditResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const version = doc.version;
    const r = await server.request(IntentEditRequest, { text: doc.getText(), intent });
    if (r.refusal || !r.edits.length) return r;
    if (doc.version !== version) continue; // typed into meanwhile: compute again on the new text
    if (await vscode.workspace.applyEdit(offsetEdit(doc, r.edits))) return r;
  }
  throw new Error('The document kept changing; try again.');
}

/**
 * A delete: without `withReferences`, one that would leave references dangling is refused (from code) or, from
 * the palette, asked about in a modal dialog that lists them. The ids removed.
 */
async function deleteEntry(server: RampartServer, doc: vscode.TextDocument, fields: Record<string, unknown>, fromCode: boolean): Promise<string[] | undefined> {
  let r = await applyIntent(server, doc, { ...fields, kind: 'delete-entry' });
  if (r.refusal && r.references?.length && !fromCode) {
    const list = r.references.slice(0, 12).map(x => `• ${x.description}`).join('\n') + (r.references.length > 12 ? `\n… and ${r.references.length - 12} more` : '');
    const go = 'Delete with References';
    const answer = await vscode.window.showWarningMessage(`Delete \`${String(fields.id)}\`? ${r.references.length} reference${r.references.length === 1 ? '' : 's'} would dangle:`, { modal: true, detail: list }, go);
    if (answer !== go) return undefined;
    r = await applyIntent(server, doc, { ...fields, kind: 'delete-entry', withReferences: true });
  }
  if (r.refusal || !r.edits.length) throw new Error(r.refusal ?? 'Nothing was deleted.');
  return (r.removed ?? []).map(x => x.id);
}

// ---------------------------------------------------------------------------------------------------------
// Asking from the Command Palette

const pickOne = async <T extends string>(items: readonly T[], title: string, placeHolder: string): Promise<T | undefined> =>
  (await vscode.window.showQuickPick(items.map(label => ({ label })), { title, placeHolder }))?.label as T | undefined;

const pickId = async (entries: ModelIdsResult['elements'], title: string, placeHolder: string, optional = false): Promise<string | null | undefined> => {
  const none = { label: '(none)', id: null as string | null };
  const items = [...(optional ? [none] : []), ...entries.map(e => ({ label: e.name, description: e.id, id: e.id as string | null }))];
  if (!items.length) return undefined;
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
  return pick ? pick.id : undefined;
};

const ask = (title: string, prompt: string, value = '') =>
  vscode.window.showInputBox({ title, prompt, value, validateInput: v => (v.trim() ? undefined : 'Write something, or press Escape.') });

/** The intent's arguments, asked for one by one; undefined when the user gave up. */
async function askFor(kind: Kind, ids: ModelIdsResult): Promise<Record<string, unknown> | undefined> {
  const title = `Rampart: ${{ addElement: 'Add Element', addBoundary: 'Add Trust Boundary', addFlow: 'Add Data Flow', addThreat: 'Add Threat', addMitigation: 'Add Mitigation', deleteEntry: 'Delete' }[kind]}`;
  switch (kind) {
    case 'addElement': {
      const type = await pickOne(ELEMENT_TYPES, title, 'What kind of element: an external entity, a process or a data store?');
      const name = type && await ask(title, 'Name of the element');
      if (!type || !name) return undefined;
      const boundary = ids.boundaries.length ? await pickId(ids.boundaries, title, 'Inside which trust boundary?', true) : null;
      return boundary === undefined ? undefined : { type, name, ...(boundary ? { boundary } : {}) };
    }
    case 'addBoundary': {
      const name = await ask(title, 'Name of the trust boundary');
      const trust = name && await pickOne(TRUST_LEVELS, title, 'How much is what runs inside it trusted?');
      if (!name || !trust) return undefined;
      const parent = ids.boundaries.length ? await pickId(ids.boundaries, title, 'Inside another boundary?', true) : null;
      return parent === undefined ? undefined : { name, trust, ...(parent ? { parent } : {}) };
    }
    case 'addFlow': {
      if (ids.elements.length < 1) throw new Error('Add elements first: a flow goes from one element to another.');
      const from = await pickId(ids.elements, title, 'Data flows from…');
      const to = from && await pickId(ids.elements, title, '…to');
      const protocol = to && await vscode.window.showInputBox({ title, prompt: 'Protocol (https, grpc, postgres…), or leave empty' });
      if (!from || !to || typeof protocol !== 'string') return undefined;
      return { from, to, ...(protocol.trim() ? { protocol: protocol.trim() } : {}) };
    }
    case 'addThreat': {
      const targets = [...ids.elements, ...ids.flows];
      if (!targets.length) throw new Error('Add elements or flows first: a threat is against one of them.');
      const target = await pickId(targets, title, 'A threat against…');
      const stride = target && await pickOne(STRIDE, title, 'STRIDE category');
      const name = stride && await ask(title, 'Title of the threat (what could go wrong)');
      const likelihood = name && await pickOne(LIKELIHOODS, title, 'Likelihood');
      const impact = likelihood && await pickOne(IMPACTS, title, 'Impact');
      if (!target || !stride || !name || !likelihood || !impact) return undefined;
      return { targets: [target], stride: [stride], title: name, likelihood, impact };
    }
    case 'addMitigation': {
      if (!ids.threats.length) throw new Error('Add a threat first: a mitigation answers one.');
      const threat = await pickId(ids.threats, title, 'Mitigates which threat?');
      const name = threat && await ask(title, 'Title of the mitigation');
      if (!threat || !name) return undefined;
      return { threat, title: name };
    }
    case 'deleteEntry': {
      const sections = ([['elements', 'Element'], ['flows', 'Data flow'], ['boundaries', 'Trust boundary'], ['assets', 'Asset'], ['threats', 'Threat'], ['mitigations', 'Mitigation']] as const)
        .filter(([section]) => ids[section].length > 0);
      if (!sections.length) throw new Error('There is nothing to delete in this model.');
      const section = (await vscode.window.showQuickPick(sections.map(([value, label]) => ({ label, value })), { title, placeHolder: 'Delete what?' }))?.value;
      const id = section && await pickId(ids[section], title, 'Which one?');
      return section && id ? { section, id } : undefined;
    }
  }
}

async function run(server: RampartServer, kind: Kind, target?: unknown, args?: unknown): Promise<string | string[] | undefined> {
  const fromCode = args !== undefined;
  try {
    const doc = await documentOf(target);
    if (!doc) throw new Error('Open a threat model (*.threatmodel.yaml) first.');
    const given = args && typeof args === 'object' ? args as Record<string, unknown> : undefined;
    const fields = given ?? await askFor(kind, await server.request(ModelIdsRequest, { text: doc.getText() }));
    if (!fields) return undefined;
    if (kind === 'deleteEntry') {
      const removed = await deleteEntry(server, doc, fields, fromCode);
      if (!fromCode && removed) void vscode.window.setStatusBarMessage(`Rampart: deleted ${removed.join(', ')}`, 4000);
      return removed;
    }
    const r = await applyIntent(server, doc, { ...fields, kind: INTENT_KIND[kind] });
    if (r.refusal || !r.id) throw new Error(r.refusal ?? 'Nothing was added.');
    if (!fromCode) void vscode.window.setStatusBarMessage(`Rampart: added ${r.id}`, 4000);
    return r.id;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (fromCode) throw new Error(message);
    void vscode.window.showErrorMessage(`Rampart: ${message}`);
    return undefined;
  }
}

export function registerAuthoringCommands(server: RampartServer): vscode.Disposable[] {
  return (Object.keys(AUTHORING_COMMANDS) as Kind[]).map(kind =>
    vscode.commands.registerCommand(AUTHORING_COMMANDS[kind], (target?: unknown, args?: unknown) => run(server, kind, target, args)));
}
