/**
 * "Rampart: Draft Threat Model from Workspace" (#12): finds the Compose files, Kubernetes manifests and OpenAPI
 * descriptions of a workspace folder, and has the language server draft a model from them (`rampart/draft`).
 * Without a model open, the draft is written as a new `*.threatmodel.yaml` at the folder's root and shown with
 * its diagram; with a model of that folder open, only what the model lacks is added to it, as one undoable edit.
 *
 * The extension only finds and reads: the excluded folders, a cap on files and on each file's size, and
 * cancellation are here; the parsing and its limits are the core's.
 */
import * as vscode from 'vscode';
import { DISCOVER_SKIP_DIRS, isCandidatePath } from '../core/discover/candidates';
import { DraftRequest, type DraftResult } from '../shared/discoverRequests';
import { offsetEdit } from './authoringCommands';
import type { RampartServer } from './client';
import { exists, readText } from './files';
import { isThreatModel } from './models';

export const DISCOVER_COMMAND = 'rampart.draftFromWorkspace';

/** Folders that hold dependencies, builds and tool state, never the system's own declarations (as the CLI and the server skip them). */
const EXCLUDE = `**/{${[...DISCOVER_SKIP_DIRS, '.*'].join(',')}}/**`;
const MAX_FILES = 2_000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A cheap look at the text before the server reads it: a top-level key of one of the three formats. */
const CANDIDATE = /^(?:services|apiVersion|kind|openapi|swagger|resources)\s*:|^\s*"(?:openapi|swagger|apiVersion)"\s*:/m;

export interface DraftOutcome {
  model: vscode.Uri;
  result: DraftResult;
}

/** `path` of `uri` relative to the folder `base` (both file URIs), with `/`. */
function relativeTo(base: vscode.Uri, uri: vscode.Uri): string {
  const b = base.path.endsWith('/') ? base.path : `${base.path}/`;
  return uri.path.startsWith(b) ? uri.path.slice(b.length) : uri.path;
}

async function readFiles(folder: vscode.Uri, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<{ path: string; text: string }[]> {
  progress.report({ message: 'finding Compose, Kubernetes and OpenAPI files…' });
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{yml,yaml,json}'), EXCLUDE, MAX_FILES, token);
  const files: { path: string; text: string }[] = [];
  for (const [i, uri] of uris.sort((a, b) => a.path.localeCompare(b.path)).entries()) {
    if (token.isCancellationRequested) break;
    if (!isCandidatePath(relativeTo(folder, uri))) continue;
    if (i % 50 === 0) progress.report({ message: `reading ${i + 1} of ${uris.length} files…` });
    try {
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) continue;
      const text = await readText(uri);
      if (CANDIDATE.test(text)) files.push({ path: relativeTo(folder, uri), text });
    } catch {
      // unreadable (a broken link, no permission): not part of the draft
    }
  }
  return files;
}

/** The model of `folder` to add to: the active editor's, when it is a model inside that folder. */
function openModelIn(folder: vscode.Uri): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && isThreatModel(doc) && doc.uri.path.startsWith(folder.path.endsWith('/') ? folder.path : `${folder.path}/`) ? doc : undefined;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0]?.uri;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Draft a threat model from which folder?' }))?.uri;
}

async function freeName(folder: vscode.Uri, stem: string): Promise<vscode.Uri> {
  let uri = vscode.Uri.joinPath(folder, `${stem}.threatmodel.yaml`);
  for (let n = 2; await exists(uri); n++) uri = vscode.Uri.joinPath(folder, `${stem}-${n}.threatmodel.yaml`);
  return uri;
}

/**
 * Drafts from `folder` (default: the workspace folder, asked when there are several). `target`: the model to
 * write or add to (default: the active model of the folder, else a new file at the folder's root). Called from
 * tests and other extensions with both; answers the model's URI and what was found.
 */
export async function draftFromWorkspace(server: RampartServer, folder?: vscode.Uri, target?: vscode.Uri): Promise<DraftOutcome | undefined> {
  const root = folder ?? await pickFolder();
  if (!root) {
    void vscode.window.showErrorMessage('Rampart: open a folder first; the draft is made from the files in it.');
    return undefined;
  }
  // openTextDocument answers an open document as it is; a target that does not exist yet is a new model
  const existingDoc = target ? await vscode.workspace.openTextDocument(target).then(d => d, () => undefined) : openModelIn(root);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Rampart: drafting a threat model', cancellable: true },
    async (progress, token): Promise<DraftOutcome | undefined> => {
      const base = existingDoc ? vscode.Uri.joinPath(existingDoc.uri, '..') : root;
      const files = (await readFiles(root, progress, token)).map(f => ({ ...f, path: relativeTo(base, vscode.Uri.joinPath(root, f.path)) }));
      if (token.isCancellationRequested) return undefined;
      progress.report({ message: `discovering in ${files.length} file(s)…` });
      const title = `${root.path.slice(root.path.lastIndexOf('/') + 1) || 'Workspace'} (drafted)`;
      const sent = existingDoc?.getText();
      const result = await server.request(DraftRequest, { files, title, ...(sent !== undefined ? { existing: sent } : {}) }, token);
      if (token.isCancellationRequested) return undefined;
      if (existingDoc) {
        if (result.edits?.length) {
          if (existingDoc.getText() !== sent || !(await vscode.workspace.applyEdit(offsetEdit(existingDoc, result.edits)))) {
            throw new Error('the model changed while the draft was made; run the command again.');
          }
        }
        return { model: existingDoc.uri, result };
      }
      const model = target ?? await freeName(root, 'threat-model');
      await vscode.workspace.fs.writeFile(model, new TextEncoder().encode(result.text));
      return { model, result };
    },
  ).then(r => r, (e: Error) => {
    void vscode.window.showErrorMessage(`Rampart: the draft failed: ${e.message}`);
    return undefined;
  });
  if (!outcome) return undefined;
  const { result } = outcome;
  const found = `${result.counts.elements} elements, ${result.counts.flows} flows and ${result.counts.boundaries} boundaries in ${result.counts.files} file(s)`;
  if (!result.counts.files) {
    void vscode.window.showWarningMessage('Rampart found no Compose file, Kubernetes manifest or OpenAPI description in this folder.');
  }
  if (!target || !existingDoc) {
    await vscode.window.showTextDocument(outcome.model, { preview: false });
    if (!existingDoc) await vscode.commands.executeCommand('rampart.openVisualEditorToSide');
  }
  const notes = result.findings.length ? ` ${result.findings.length} note(s) about the files are listed at the top of the model.` : '';
  void vscode.window.showInformationMessage(existingDoc
    ? `Rampart found ${found}; ${result.added} new entr${result.added === 1 ? 'y was' : 'ies were'} added to the model.${result.refused.length ? ` ${result.refused.length} could not be added.` : ''}`
    : `Rampart drafted a model from ${found}. Every entry says where it was declared (source); review it.${notes}`);
  return outcome;
}

export function registerDiscoverCommand(server: RampartServer): vscode.Disposable[] {
  return [vscode.commands.registerCommand(DISCOVER_COMMAND, (folder?: unknown, target?: unknown) =>
    draftFromWorkspace(server, folder instanceof vscode.Uri ? folder : undefined, target instanceof vscode.Uri ? target : undefined))];
}
