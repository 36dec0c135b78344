/**
 * What the client can do, read once from `initialize` into flat flags, and what the server announces in
 * return. Handlers consult the flags (resolve support, snippets, Markdown, versioned edits, ...) instead of
 * walking `ClientCapabilities` themselves.
 */
import type { InitializationOptions } from '../shared/initialization';
import {
  CodeActionKind, MarkupKind, TextDocumentSyncKind,
  type ClientCapabilities, type InitializeResult, type ServerCapabilities,
} from 'vscode-languageserver/node';

export interface ClientFeatures {
  /** `workspace/configuration` (settings pulled per resource). */
  configuration: boolean;
  /** `didChangeConfiguration` can be registered dynamically (VS Code sends it only then). */
  configurationRegistration: boolean;
  /** `workspace/didChangeWatchedFiles` can be registered dynamically. */
  watchedFiles: boolean;
  workspaceFolders: boolean;
  /** `window/workDoneProgress/create`. */
  workDoneProgress: boolean;
  /** `codeAction/resolve` can fill in `edit`. */
  codeActionResolveEdit: boolean;
  /** Code action literals (not only commands). */
  codeActionLiterals: boolean;
  /** `documentChanges` in a WorkspaceEdit (versioned edits). */
  documentChanges: boolean;
  /** Completion snippets. */
  snippets: boolean;
  /** Completion items with an InsertReplaceEdit. */
  insertReplace: boolean;
  completionMarkdown: boolean;
  hoverMarkdown: boolean;
  /** DocumentSymbol[] (a tree) rather than SymbolInformation[]. */
  hierarchicalSymbols: boolean;
  /** `version` in publishDiagnostics. */
  diagnosticVersion: boolean;
  diagnosticRelatedInformation: boolean;
  diagnosticCodeDescription: boolean;
  /** Diagnostic tags (Unnecessary, Deprecated). */
  diagnosticTags: boolean;
  /** `workspace/codeLens/refresh`. */
  codeLensRefresh: boolean;
  /** Document links with a `tooltip`. */
  linkTooltip: boolean;
  /**
   * The most diagnostics the client shows per file (`initializationOptions.maxDiagnosticsPerFile`; no limit when
   * absent). VS Code shows 1,000 per file and drops the rest after converting them all on its extension host.
   */
  maxDiagnosticsPerFile: number;
  /** The client asks the server to lay diagrams out (`initializationOptions.diagramLayout`): warm ELK up early. */
  diagramLayout: boolean;
}

export function clientFeatures(c: ClientCapabilities, options?: unknown): ClientFeatures {
  const max = (options as InitializationOptions | null | undefined)?.maxDiagnosticsPerFile;
  const diagramLayout = (options as InitializationOptions | null | undefined)?.diagramLayout === true;
  const td = c.textDocument ?? {};
  const hasMarkdown = (formats: readonly string[] | undefined) => !!formats?.includes(MarkupKind.Markdown);
  return {
    configuration: !!c.workspace?.configuration,
    configurationRegistration: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    watchedFiles: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!c.workspace?.workspaceFolders,
    workDoneProgress: !!c.window?.workDoneProgress,
    codeActionResolveEdit: !!td.codeAction?.resolveSupport?.properties.includes('edit') && !!td.codeAction?.dataSupport,
    codeActionLiterals: !!td.codeAction?.codeActionLiteralSupport,
    documentChanges: !!c.workspace?.workspaceEdit?.documentChanges,
    snippets: !!td.completion?.completionItem?.snippetSupport,
    insertReplace: !!td.completion?.completionItem?.insertReplaceSupport,
    completionMarkdown: hasMarkdown(td.completion?.completionItem?.documentationFormat),
    hoverMarkdown: hasMarkdown(td.hover?.contentFormat),
    hierarchicalSymbols: !!td.documentSymbol?.hierarchicalDocumentSymbolSupport,
    diagnosticVersion: !!td.publishDiagnostics?.versionSupport,
    diagnosticRelatedInformation: !!td.publishDiagnostics?.relatedInformation,
    diagnosticCodeDescription: !!td.publishDiagnostics?.codeDescriptionSupport,
    diagnosticTags: !!td.publishDiagnostics?.tagSupport,
    codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    linkTooltip: !!td.documentLink?.tooltipSupport,
    maxDiagnosticsPerFile: typeof max === 'number' && Number.isInteger(max) && max >= 2 ? max : Infinity,
    diagramLayout,
  };
}

/** Characters that open completion on their own (after `key: `, in `[a, b]` lists). */
export const COMPLETION_TRIGGERS = [' ', '[', ','];

/** The code-action kind of the refactorings offered at the cursor without a diagnostic. */
export const REFACTOR_KIND = `${CodeActionKind.Refactor}.rampart`;

export function serverCapabilities(f: ClientFeatures): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    hoverProvider: true,
    completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
    codeActionProvider: f.codeActionLiterals
      ? { codeActionKinds: [CodeActionKind.QuickFix, REFACTOR_KIND], resolveProvider: f.codeActionResolveEdit }
      : true,
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: { label: 'Rampart' },
    codeLensProvider: { resolveProvider: true },
    documentLinkProvider: { resolveProvider: false },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}

export function initializeResult(f: ClientFeatures, version: string): InitializeResult {
  return { capabilities: serverCapabilities(f), serverInfo: { name: 'rampart', version } };
}
