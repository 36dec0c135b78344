/**
 * The language client: starts the Rampart language server (dist/server.js, node IPC) for threat models and
 * leaves every language feature to it: diagnostics (Problems panel), quick fixes and refactorings, hover,
 * completion, go to definition, references, rename, outline, CodeLens and evidence links. The extension host
 * never analyses a model: what the status bar, the commands and the visual editor need comes from the server
 * by the custom requests of src/shared/requests.ts (`RampartServer.request`).
 *
 * The `rampart` settings are synchronised (the server pulls them per folder with `workspace/configuration`
 * and is told when they change). Which open documents count as open is decided by tabs (src/vscode/liveDocuments.ts).
 */
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, State, TransportKind, type LanguageClientOptions, type RequestType, type ServerOptions } from 'vscode-languageclient/node';
import { LayoutWarmNotification } from '../shared/layoutRequests';
import type { InitializationOptions } from '../shared/initialization';
import { SECTION } from '../shared/section';
import { LensWindow } from './lensWindow';
import { LiveDocuments } from './liveDocuments';
import { SymbolSlices } from './symbolSlices';
import { MODEL_SELECTOR } from './models';

const CLIENT_ID = 'rampart';
const CLIENT_NAME = 'Rampart Language Server';

/** The running language server, as the rest of the extension sees it. */
/** VS Code's own limit (ExtHostDiagnostics). */
const VSCODE_MAX_DIAGNOSTICS_PER_FILE = 1000;

export class RampartServer implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly live: LiveDocuments;
  private readonly lenses = new LensWindow();
  private readonly symbols = new SymbolSlices();
  private started: Promise<void> | undefined;
  /** The server's ELK is warm (`rampart/layoutWarm`): a new visual editor's first layout goes to it. */
  layoutWarm = false;

  constructor(context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc },
    };
    this.live = new LiveDocuments(log);
    const clientOptions: LanguageClientOptions = {
      documentSelector: MODEL_SELECTOR,
      synchronize: { configurationSection: SECTION },
      diagnosticCollectionName: CLIENT_ID,
      outputChannel: log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // Hovers render text from the (untrusted) model file: no command links, no HTML.
      markdown: { isTrusted: false, supportHtml: false },
      middleware: { ...this.live.middleware, ...this.lenses.middleware, ...this.symbols.middleware },
      // VS Code shows at most 1,000 diagnostics per file and drops the rest only after converting them all on
      // this thread: the server sends the 1,000 it would show (the most severe), the last saying how many more.
      initializationOptions: { maxDiagnosticsPerFile: VSCODE_MAX_DIAGNOSTICS_PER_FILE, diagramLayout: true } satisfies InitializationOptions,
    };
    this.client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  }

  /** Starts the server process (once); requests wait for it. */
  start(): Promise<void> {
    this.started ??= this.client.start().then(
      () => {
        this.live.attach(this.client);
        this.lenses.attach(this.client);
        this.symbols.attach(this.client);
        this.client.onNotification(LayoutWarmNotification, () => { this.layoutWarm = true; });
        // a restarted server's ELK starts cold again
        this.client.onDidChangeState(e => { if (e.newState !== State.Running) this.layoutWarm = false; });
      },
      (e: unknown) => {
        this.log.error(`the Rampart language server did not start: ${(e as Error)?.stack ?? e}`);
        throw e;
      },
    );
    return this.started;
  }

  /** Sends a custom request (src/shared/requests.ts) once the server runs. */
  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    await this.start();
    return this.client.sendRequest(type, params as never, token);
  }

  /** A URI as the server knows it. */
  uri(uri: vscode.Uri): string {
    return this.client.code2ProtocolConverter.asUri(uri);
  }

  /** The count of diagnostics the server published, over every model. */
  diagnosticCount(): number {
    let n = 0;
    this.client.diagnostics?.forEach((_uri, ds) => { n += ds.length; });
    return n;
  }

  async stop(): Promise<void> {
    if (this.client.isRunning()) await this.client.stop(2000);
  }

  dispose(): void {
    this.live.dispose();
    this.lenses.dispose();
    void this.stop().catch(() => { /* already gone */ });
  }
}
