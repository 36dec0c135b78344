/**
 * The extension's entry point: builds the context (output channel, analysis cache, diagnostics) and registers
 * the providers and commands. Everything it shows comes from the pure core in src/core; each provider only
 * adapts it to VS Code.
 */
import * as vscode from 'vscode';
import { AnalysisStore, isThreatModel, LANGUAGE_ID } from './analyses';
import { FindingQuickFixProvider, ModelRefactorProvider } from './codeActions';
import { RiskCodeLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { COMPLETION_TRIGGERS, ModelCompletionProvider } from './completion';
import { DiagnosticsController } from './diagnostics';
import { ModelHoverProvider } from './hover';
import { ModelDefinitionProvider, ModelReferenceProvider, ModelRenameProvider } from './navigation';
import { RiskStatusBar } from './statusBar';
import { ModelSymbolProvider } from './symbols';
import { SECTION } from './settings';
import { VisualEditorProvider } from './visualEditor';
import { registerInteropCommands } from './interopCommands';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Rampart', { log: true });
  const analyses = new AnalysisStore(log);
  const diagnostics = new DiagnosticsController(analyses, log);
  const codeLens = new RiskCodeLensProvider(analyses);
  const status = new RiskStatusBar(analyses);
  const selector: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];

  context.subscriptions.push(
    log, analyses, diagnostics, codeLens, status,
    vscode.languages.registerCodeActionsProvider(selector, new FindingQuickFixProvider(analyses), FindingQuickFixProvider.metadata),
    vscode.languages.registerCodeActionsProvider(selector, new ModelRefactorProvider(analyses), ModelRefactorProvider.metadata),
    vscode.languages.registerHoverProvider(selector, new ModelHoverProvider(analyses)),
    vscode.languages.registerCompletionItemProvider(selector, new ModelCompletionProvider(analyses), ...COMPLETION_TRIGGERS),
    vscode.languages.registerDefinitionProvider(selector, new ModelDefinitionProvider(analyses)),
    vscode.languages.registerReferenceProvider(selector, new ModelReferenceProvider(analyses)),
    vscode.languages.registerRenameProvider(selector, new ModelRenameProvider(analyses)),
    vscode.languages.registerDocumentSymbolProvider(selector, new ModelSymbolProvider(analyses), { label: 'Rampart' }),
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    ...registerCommands(diagnostics, log),
    ...VisualEditorProvider.register(context, analyses, log),
    ...registerInteropCommands(),
    diagnostics.onDidUpdate(uri => {
      codeLens.refresh();
      if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) status.update();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => status.update()),
    vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(SECTION)) codeLens.refresh(); }),
  );
  log.info(`Rampart ${context.extension.packageJSON.version ?? ''} active; ${vscode.workspace.textDocuments.filter(isThreatModel).length} model(s) open`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
