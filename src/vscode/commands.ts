/**
 * The "Rampart" commands: New Threat Model (writes the commented starter model of examples/ and opens it),
 * Check Workspace (the language server analyses every model in the workspace into the Problems panel) and
 * Show Output.
 */
import * as vscode from 'vscode';
import { STARTER_MODEL as starter } from '../core/templates';
import { CheckWorkspaceRequest } from '../shared/requests';
import type { RampartServer } from './client';
import { LANGUAGE_ID } from './models';

export const COMMANDS = {
  newThreatModel: 'rampart.newThreatModel',
  checkWorkspace: 'rampart.checkWorkspace',
  showOutput: 'rampart.showOutput',
} as const;

const DEFAULT_NAME = 'system.threatmodel.yaml';

/** Why a file name cannot hold a new model (undefined when it can). */
export function fileNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'Give the file a name.';
  if (/[\\/]/.test(name) || name.includes('..')) return 'A file name only, without folders.';
  if (!/\.threatmodel\.ya?ml$/i.test(name)) return 'Threat models are named *.threatmodel.yaml (or .yml), so that Rampart recognises them.';
  return undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the starter model into `target` (a folder, or the folder of a file; default: the first workspace
 * folder) as `name` (asked for when not given), and opens it. Without a folder, opens it as an untitled model.
 */
export async function newThreatModel(target?: vscode.Uri, name?: string): Promise<vscode.Uri | undefined> {
  let folder = target ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: starter });
    await vscode.window.showTextDocument(doc);
    return doc.uri;
  }
  if (target) {
    try {
      if ((await vscode.workspace.fs.stat(target)).type & vscode.FileType.File) folder = vscode.Uri.joinPath(target, '..');
    } catch {
      // not there yet: treat it as a folder
    }
  }
  const fileName = name ?? await vscode.window.showInputBox({
    title: 'New Threat Model',
    prompt: `File name in ${vscode.workspace.asRelativePath(folder, true)}`,
    value: DEFAULT_NAME,
    valueSelection: [0, DEFAULT_NAME.indexOf('.')],
    validateInput: v => fileNameProblem(v),
  });
  if (fileName === undefined) return undefined;
  const problem = fileNameProblem(fileName);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder, fileName);
  if (await exists(uri)) {
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(uri)} already exists; choose another name.`);
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(starter));
  await vscode.window.showTextDocument(uri);
  return uri;
}

/** Time for the client to show the diagnostics published just before the server answered. */
const SETTLE_MS = 200;

/** Asks the server to check every model now; resolves with the model count and the problems shown. */
async function checkWorkspace(server: RampartServer): Promise<{ files: number; diagnostics: number }> {
  const { files } = await server.request(CheckWorkspaceRequest, {});
  await new Promise(r => setTimeout(r, SETTLE_MS));
  return { files, diagnostics: server.diagnosticCount() };
}

export function registerCommands(server: RampartServer, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.newThreatModel, (target?: unknown, name?: unknown) =>
      newThreatModel(target instanceof vscode.Uri ? target : undefined, typeof name === 'string' ? name : undefined)),
    vscode.commands.registerCommand(COMMANDS.checkWorkspace, async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Rampart: checking threat models' },
        () => checkWorkspace(server),
      );
      log.info(`checked ${result.files} model(s): ${result.diagnostics} problem(s)`);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      void vscode.window.showInformationMessage(result.files
        ? `Rampart checked ${result.files} threat model(s): ${result.diagnostics} problem(s).`
        : 'Rampart found no *.threatmodel.yaml files in this workspace. Create one with "Rampart: New Threat Model".');
      return result;
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => log.show()),
  ];
}
