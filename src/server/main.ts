/**
 * The Rampart language server: adapts the pure core (src/core) to the Language Server Protocol. `startServer()`
 * wires a connection (stdio, node IPC, a socket or a pipe, as the process arguments say: `--stdio`,
 * `--node-ipc`, `--socket=N`, `--pipe=NAME`) to the document store and one handler module per group of
 * requests (src/server/handlers). It never imports `vscode`: any LSP client can drive it (VS Code, Neovim,
 * Helix, Zed, JetBrains with LSP4IJ), and `rampart lsp --stdio` runs it.
 *
 * Lifecycle: `initialize` reads the client's capabilities and workspace folders; `initialized` registers for
 * configuration and watched-file notifications (when the client allows dynamic registration) and starts the
 * workspace pass (diagnostics of unopened models). Settings changes re-analyse open models and run the pass
 * again; created and deleted files keep the evidence index current.
 */
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType, ProposedFeatures,
  type Connection, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { SECTION } from '../shared/settings';
import { clientFeatures, initializeResult } from './capabilities';
import type { ServerContext } from './context';
import { isThreatModel, ModelDocuments } from './documents';
import { WorkspaceDiscovery } from './discovery';
import { WorkspaceTrace } from './trace';
import { WorkspaceIntel } from './intel';
import { WorkspaceLibraries } from './library';
import { registerLibrary } from './handlers/library';
import { AnnotationDiagnostics, registerTrace } from './handlers/trace';
import { TraceChangedNotification } from '../shared/traceRequests';
import { isModelPath, uriToPath, WorkspaceFiles } from './fileIndex';
import { SettingsStore } from './settings';
import { registerCodeActions } from './handlers/codeActions';
import { codeLensRefresher, forgetLenses, registerCodeLens } from './handlers/codeLens';
import { registerCompletion } from './handlers/completion';
import { DiagnosticsPublisher } from './handlers/diagnostics';
import { registerHover } from './handlers/hover';
import { registerLinks } from './handlers/links';
import { registerNavigation } from './handlers/navigation';
import { registerSymbols } from './handlers/symbols';
import { registerCommandRequests } from './handlers/commands';
import { registerVisualEditor } from './handlers/visualEditor';
import { registerAuthoring } from './handlers/authoring';
import { registerEntryForm } from './handlers/entryForm';
import { registerDiscover } from './handlers/discover';
import { registerWalkthrough } from './handlers/walkthrough';
import { registerLayout } from './handlers/layout';

export interface ServerOptions {
  /** A connection to serve (tests, embedding); by default one is created from the process arguments. */
  connection?: Connection;
}

/** Milliseconds to wait after a burst of file or settings changes before the workspace is checked again. */
const RECHECK_DELAY_MS = 500;

/** Starts the language server on a connection and returns it (it is already listening). */
export function startServer(options: ServerOptions = {}): Connection {
  const connection = options.connection ?? createConnection(ProposedFeatures.all);
  let folders: WorkspaceFolder[] = [];
  const files = new WorkspaceFiles();
  /** Settings are asked per workspace folder (resource-scoped settings live there), or per file outside them. */
  const scopeOf = (uri: string) => {
    const file = uriToPath(uri);
    const root = file && files.rootOf(file);
    return (root && folders.find(f => uriToPath(f.uri) === root)?.uri) || uri;
  };
  const log = (message: string) => connection.console.log(message);
  const discovery = new WorkspaceDiscovery(files, log);
  const trace = new WorkspaceTrace(files, log);
  const intel = new WorkspaceIntel(files, log);
  const libraries = new WorkspaceLibraries(files, log);
  const ctx: ServerContext = {
    connection, files, log, discovery, trace, libraries,
    features: clientFeatures({}),
    settings: undefined as never,
    documents: undefined as never,
  };
  ctx.settings = new SettingsStore(connection, () => ctx.features.configuration, scopeOf);
  ctx.documents = new ModelDocuments(ctx.settings, files, log, discovery, trace, intel, libraries);
  const diagnostics = new DiagnosticsPublisher(ctx);
  const annotationDiagnostics = new AnnotationDiagnostics(ctx);
  const refreshLenses = codeLensRefresher(ctx);
  /** Tells the client that annotations may resolve differently now (debounced: one notification per burst). */
  let traceTimer: ReturnType<typeof setTimeout> | undefined;
  const traceChanged = () => {
    clearTimeout(traceTimer);
    traceTimer = setTimeout(() => { void connection.sendNotification(TraceChangedNotification).catch(() => {}); }, 100);
  };
  const layout = registerLayout(ctx);
  diagnostics.onPublished = uri => {
    refreshLenses(uri);
    annotationDiagnostics.schedule(); // a model's ids may have changed
    traceChanged();
  };

  let recheckTimer: ReturnType<typeof setTimeout> | undefined;
  /** Re-analyses open models now and the unopened ones after a short delay (a burst of changes runs once). */
  const recheck = () => {
    ctx.documents.invalidate();
    diagnostics.refreshOpen();
    clearTimeout(recheckTimer);
    recheckTimer = setTimeout(() => { void diagnostics.workspacePass(); }, RECHECK_DELAY_MS);
  };
  const setFolders = (next: WorkspaceFolder[]) => {
    folders = next;
    files.setRoots(folders.map(f => uriToPath(f.uri)).filter((p): p is string => !!p));
    discovery.foldersChanged();
    trace.foldersChanged();
    libraries.foldersChanged();
  };
  // A folder's Compose, Kubernetes or OpenAPI files changed what they declare: its models are checked again.
  discovery.onChanged = recheck;
  // Threat-intelligence feeds or SBOMs were (re)loaded: the models are checked again against them.
  intel.onChanged = recheck;
  // Team libraries were (re)read: the models are checked again with them; their problems go on the library files.
  libraries.onChanged = recheck;
  libraries.publish = (uri, diagnostics) => { void connection.sendDiagnostics({ uri, diagnostics }).catch(() => {}); };
  // Annotations, evidence files or git changed: the models are checked again, and the annotations against them.
  trace.onChanged = () => {
    recheck();
    annotationDiagnostics.schedule();
    traceChanged();
  };

  connection.onInitialize(params => {
    ctx.features = clientFeatures(params.capabilities, params.initializationOptions);
    const rootUri = params.rootUri ?? undefined;
    setFolders(params.workspaceFolders ?? (rootUri ? [{ uri: rootUri, name: rootUri }] : []));
    return initializeResult(ctx.features, version);
  });

  connection.onInitialized(() => {
    if (ctx.features.configurationRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    }
    if (ctx.features.watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    }
    if (ctx.features.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(e => {
        const removed = new Set(e.removed.map(f => f.uri));
        setFolders([...folders.filter(f => !removed.has(f.uri)), ...e.added]);
        ctx.settings.foldersChanged();
        recheck();
      });
    }
    void diagnostics.workspacePass();
  });

  connection.onDidChangeConfiguration(params => {
    ctx.settings.changed(params.settings);
    intel.settingsChanged();
    recheck();
  });

  connection.onDidChangeWatchedFiles(params => {
    void (async () => {
      let indexChanged = false;
      for (const change of params.changes) {
        const file = uriToPath(change.uri);
        if (!file) continue;
        if (change.type === FileChangeType.Created) { await files.fileCreated(file); indexChanged = true; }
        if (change.type === FileChangeType.Deleted) { await files.fileDeleted(file); indexChanged = true; diagnostics.deleted(file); }
        discovery.fileChanged(file);
        trace.fileChanged(file);
        intel.fileChanged(file);
        libraries.fileChanged(file);
        if (change.type === FileChangeType.Changed && isModelPath(file) && !ctx.documents.get(change.uri)) {
          const s = await ctx.settings.forUri(change.uri);
          if (s.diagnosticsScope === 'workspace' && files.rootOf(file)) void diagnostics.checkFile(file);
        }
      }
      // Evidence may have appeared or gone: models are checked again against the updated index.
      if (indexChanged) recheck();
    })();
  });

  /** Without watched-file events, a model opened or saved re-lists its folder when the listing is old. */
  const refreshIndex = (uri: string) => {
    const file = uriToPath(uri);
    if (ctx.features.watchedFiles || !file) return;
    void files.refreshIfStale(file).then(refreshed => {
      if (!refreshed) return;
      discovery.refresh(file);
      recheck();
    });
  };

  const docs = ctx.documents.documents;
  docs.onDidOpen(e => {
    if (!isThreatModel(e.document)) return;
    diagnostics.schedule(e.document.uri, 0);
    // a model is open: a client that draws diagrams gets ELK warmed up in its worker thread (once)
    layout.warmUp();
    refreshIndex(e.document.uri);
  });
  docs.onDidChangeContent(e => diagnostics.schedule(e.document.uri));
  docs.onDidSave(e => { if (isThreatModel(e.document)) refreshIndex(e.document.uri); });
  docs.onDidClose(e => {
    forgetLenses(e.document.uri);
    if (isThreatModel(e.document)) {
      void diagnostics.closed(e.document.uri);
      traceChanged(); // its annotations now resolve against the file on disk
    }
  });

  registerTrace(ctx);
  registerHover(ctx);
  registerCompletion(ctx);
  registerCodeActions(ctx);
  registerNavigation(ctx);
  registerSymbols(ctx);
  registerCodeLens(ctx);
  registerLinks(ctx);
  // Custom requests of the VS Code client (src/shared/requests.ts): the visual editor, status bar and commands.
  registerVisualEditor(ctx);
  registerAuthoring(ctx);
  registerEntryForm(ctx);
  registerDiscover(ctx);
  registerWalkthrough(ctx);
  registerLibrary(ctx);
  registerCommandRequests(ctx, diagnostics);

  connection.onShutdown(() => {
    clearTimeout(recheckTimer);
    diagnostics.dispose();
    layout.dispose();
  });

  ctx.documents.listen(connection);
  connection.listen();
  return connection;
}
