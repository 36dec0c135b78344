/**
 * The extension's entry point: builds the context (output channel, language client) and registers what only
 * VS Code has: the visual editor, the commands and the status bar. Every language feature (diagnostics, quick
 * fixes, hover, completion, navigation, rename, outline, CodeLens) comes from the Rampart language server
 * (src/server, dist/server.js) through the client; activation starts the server process and analyses nothing.
 */
import * as vscode from 'vscode';
import { RampartServer } from './client';
import { registerCommands } from './commands';
import { registerAuthoringCommands } from './authoringCommands';
import { registerDiscoverCommand } from './discoverCommand';
import { registerInteropCommands } from './interopCommands';
import { registerLibraryCommands } from './libraryCommands';
import { isThreatModel } from './models';
import { RiskStatusBar } from './statusBar';
import { registerTraceFeatures } from './traceFeatures';
import { VisualEditorProvider } from './visualEditor';
import { registerWalkthrough } from './walkthrough';

let server: RampartServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Rampart', { log: true });
  server = new RampartServer(context, log);
  context.subscriptions.push(
    log, server,
    new RiskStatusBar(server),
    ...registerCommands(server, log),
    ...VisualEditorProvider.register(context, server, log),
    ...registerInteropCommands(server),
    ...registerAuthoringCommands(server),
    ...registerLibraryCommands(server),
    ...registerDiscoverCommand(server),
    ...registerTraceFeatures(server),
    ...registerWalkthrough(context, server),
  );
  server.start().catch(() => { /* logged by start() */ });
  log.info(`Rampart ${context.extension.packageJSON.version ?? ''} active; ${vscode.workspace.textDocuments.filter(isThreatModel).length} model(s) open`);
}

export function deactivate(): Promise<void> | undefined {
  const s = server;
  server = undefined;
  return s?.stop();
}
