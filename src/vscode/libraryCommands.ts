/**
 * Team threat libraries (#16) in VS Code: "Rampart: Add Component from Template..." (`rampart.addFromTemplate`)
 * and "Rampart: Add Threat from Library..." (`rampart.addThreatFromLibrary`). The language server finds the
 * model's libraries and computes the edits (src/server/handlers/library.ts); the extension host asks with quick
 * picks and applies the edits as one undoable edit.
 *
 * Called with `(uri, args)` by other extensions and tests, they ask nothing:
 * - `rampart.addFromTemplate(uri, { template: 'acme/postgres', id?, name?, boundary? })` resolves to
 *   `{ id, threats, mitigations }` of what it inserted;
 * - `rampart.addThreatFromLibrary(uri, { entry: 'acme/pg-sqli', target: 'orders-db' })` resolves to the new threat ids.
 * A refusal then rejects with its message.
 */
import * as vscode from 'vscode';
import {
  EntryAtRequest, LibraryTemplatesRequest, LibraryThreatEditRequest, LibraryThreatsRequest, ModelIdsRequest, TemplateEditRequest,
  type LibraryEditResult,
} from '../shared/requests';
import { offsetEdit } from './authoringCommands';
import type { RampartServer } from './client';
import { isThreatModel } from './models';

export const LIBRARY_COMMANDS = {
  addFromTemplate: 'rampart.addFromTemplate',
  addThreatFromLibrary: 'rampart.addThreatFromLibrary',
} as const;

const NO_LIBRARY = 'This model uses no team library: put library files in a .rampart/ folder beside the model (or above it, up to the repository root), or name them in policy.libraries.';

async function documentOf(target: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.parse(target) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  return isThreatModel(doc) ? doc : undefined;
}

/** Asks the server for the edits on the document's current text and applies them as one edit (again if typed into meanwhile). */
async function applyLibraryEdit(doc: vscode.TextDocument, compute: (text: string) => Promise<LibraryEditResult>): Promise<LibraryEditResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const version = doc.version;
    const r = await compute(doc.getText());
    if (r.refusal || !r.edits.length) throw new Error(r.refusal ?? 'Nothing was added.');
    if (doc.version !== version) continue;
    if (await vscode.workspace.applyEdit(offsetEdit(doc, r.edits))) return r;
  }
  throw new Error('The document kept changing; try again.');
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

async function addFromTemplate(server: RampartServer, doc: vscode.TextDocument, given?: Record<string, unknown>): Promise<{ id?: string; threats: string[]; mitigations: string[] } | undefined> {
  const uri = server.uri(doc.uri);
  let fields: { template: string; id?: string; name?: string; boundary?: string };
  if (given) {
    const template = str(given.template);
    if (!template) throw new Error('Give the template id (`template`), e.g. acme/postgres.');
    fields = { template, ...(str(given.id) ? { id: str(given.id) } : {}), ...(str(given.name) ? { name: str(given.name) } : {}), ...(str(given.boundary) ? { boundary: str(given.boundary) } : {}) };
  } else {
    const title = 'Rampart: Add Component from Template';
    const r = await server.request(LibraryTemplatesRequest, { uri, text: doc.getText() });
    if (!r.libraries.length) throw new Error(NO_LIBRARY);
    if (!r.templates.length) throw new Error(`The team libraries of this model (${r.libraries.join(', ')}) have no templates.`);
    const pick = await vscode.window.showQuickPick(r.templates.map(t => ({
      label: t.title, description: t.id,
      detail: [t.type, t.kind, t.technology, `${t.threats} threat${t.threats === 1 ? '' : 's'}`, `${t.mitigations} mitigation${t.mitigations === 1 ? '' : 's'}`, t.extends.length ? `extends ${t.extends.join(' < ')}` : undefined]
        .filter(Boolean).join(' · ') + (t.description ? ` — ${t.description}` : ''),
      id: t.id,
    })), { title, placeHolder: 'Which component?', matchOnDescription: true, matchOnDetail: true });
    if (!pick) return undefined;
    const name = await vscode.window.showInputBox({ title, prompt: 'Name of the new element (empty: the template\'s)', value: '' });
    if (name === undefined) return undefined;
    let boundary: string | undefined;
    if (r.boundaries.length) {
      const none = { label: '(none)', id: undefined as string | undefined };
      const b = await vscode.window.showQuickPick([none, ...r.boundaries.map(x => ({ label: x.name, description: x.id, id: x.id as string | undefined }))], { title, placeHolder: 'Inside which trust boundary?' });
      if (!b) return undefined;
      boundary = b.id;
    }
    fields = { template: pick.id, ...(name.trim() ? { name: name.trim() } : {}), ...(boundary ? { boundary } : {}) };
  }
  const r = await applyLibraryEdit(doc, text => server.request(TemplateEditRequest, { uri, text, ...fields }));
  return { id: r.id, threats: r.threats ?? [], mitigations: r.mitigations ?? [] };
}

/** The element or flow under the cursor of the document's editor, if any. */
async function targetAtCursor(server: RampartServer, doc: vscode.TextDocument): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.toString() !== doc.uri.toString()) return undefined;
  try {
    const at = await server.request(EntryAtRequest, { uri: server.uri(doc.uri), version: doc.version, position: editor.selection.active });
    return at && (at.kind === 'element' || at.kind === 'flow') ? at.id : undefined;
  } catch {
    return undefined;
  }
}

async function addThreatFromLibrary(server: RampartServer, doc: vscode.TextDocument, given?: Record<string, unknown>): Promise<string[] | undefined> {
  const uri = server.uri(doc.uri);
  let target = str(given?.target);
  let entry = str(given?.entry);
  if (!given) {
    const title = 'Rampart: Add Threat from Library';
    target = await targetAtCursor(server, doc);
    if (!target) {
      const ids = await server.request(ModelIdsRequest, { text: doc.getText() });
      const items = [...ids.elements, ...ids.flows].map(e => ({ label: e.name, description: e.id, id: e.id }));
      if (!items.length) throw new Error('Add elements or flows first: a threat is against one of them.');
      target = (await vscode.window.showQuickPick(items, { title, placeHolder: 'A threat against…', matchOnDescription: true }))?.id;
      if (!target) return undefined;
    }
    const r = await server.request(LibraryThreatsRequest, { uri, text: doc.getText(), target });
    if (!r.libraries.length) throw new Error(NO_LIBRARY);
    if (!r.threats.length) throw new Error(`No catalog threat of the team libraries (${r.libraries.join(', ')}) applies to \`${target}\`.`);
    entry = (await vscode.window.showQuickPick(r.threats.map(t => ({
      label: t.title, description: t.id, detail: [t.stride?.join(', '), t.description].filter(Boolean).join(' — '), id: t.id,
    })), { title: `${title} to ${target}`, placeHolder: 'Which threat?', matchOnDescription: true, matchOnDetail: true }))?.id;
    if (!entry) return undefined;
  }
  if (!target || !entry) throw new Error('Give the catalog entry (`entry`, e.g. acme/pg-sqli) and the element or flow (`target`).');
  const e = entry, t = target;
  const r = await applyLibraryEdit(doc, text => server.request(LibraryThreatEditRequest, { uri, text, entry: e, target: t }));
  return r.threats ?? [];
}

async function run<T>(fromCode: boolean, target: unknown, action: (doc: vscode.TextDocument) => Promise<T | undefined>, done: (r: T) => string): Promise<T | undefined> {
  try {
    const doc = await documentOf(target);
    if (!doc) throw new Error('Open a threat model (*.threatmodel.yaml) first.');
    const r = await action(doc);
    if (r !== undefined && !fromCode) void vscode.window.setStatusBarMessage(`Rampart: ${done(r)}`, 4000);
    return r;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (fromCode) throw new Error(message);
    void vscode.window.showErrorMessage(`Rampart: ${message}`);
    return undefined;
  }
}

export function registerLibraryCommands(server: RampartServer): vscode.Disposable[] {
  const argsOf = (args: unknown) => (args && typeof args === 'object' ? args as Record<string, unknown> : undefined);
  return [
    vscode.commands.registerCommand(LIBRARY_COMMANDS.addFromTemplate, (target?: unknown, args?: unknown) =>
      run(args !== undefined, target, doc => addFromTemplate(server, doc, argsOf(args)), r => `added ${r.id} with ${r.threats.length} threat(s)`)),
    vscode.commands.registerCommand(LIBRARY_COMMANDS.addThreatFromLibrary, (target?: unknown, args?: unknown) =>
      run(args !== undefined, target, doc => addThreatFromLibrary(server, doc, argsOf(args)), r => `added ${r.join(', ')}`)),
  ];
}
