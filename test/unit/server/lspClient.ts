/**
 * A minimal LSP client for the server tests: spawns `node dist/server.js --stdio`, speaks JSON-RPC through
 * vscode-languageserver's protocol connection, answers the server's requests (configuration, registration,
 * progress creation, CodeLens refresh) and records what the server pushes (diagnostics, progress).
 */
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidChangeConfigurationNotification, PublishDiagnosticsNotification, ConfigurationRequest, RegistrationRequest,
  WorkDoneProgressCreateRequest, WorkDoneProgress, CodeLensRefreshRequest, LogMessageNotification,
  type ClientCapabilities, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent, type TextEdit, type WorkspaceEdit, type ProgressToken,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

export const ROOT = path.resolve(__dirname, '../../..');
export const SERVER = path.join(ROOT, 'dist/server.js');

/** Builds dist/server.js when it is missing or older than the sources it bundles. */
export function ensureServerBuilt(): void {
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
    return t;
  };
  const sources = Math.max(...['src/server', 'src/core', 'src/shared'].map(d => newest(path.join(ROOT, d))));
  if (fs.existsSync(SERVER) && fs.statSync(SERVER).mtimeMs >= sources) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
}

/** What a VS Code-like client announces. */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true },
    codeLens: { refreshSupport: true },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, insertReplaceSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } },
      dataSupport: true, resolveSupport: { properties: ['edit'] }, isPreferredSupport: true,
    },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    rename: { prepareSupport: true },
    documentLink: { tooltipSupport: true },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** Workspace folders (absolute paths). */
  folders?: string[];
  /** The `rampart` section answered to workspace/configuration (per scopeUri: a function). */
  settings?: unknown | ((scopeUri: string | undefined) => unknown);
  /** Answer workspace/configuration only after this many milliseconds (a slow client). */
  configurationDelayMs?: number;
  initializationOptions?: unknown;
}

export const fileUri = (p: string) => URI.file(p).toString();

/** A diagnostic's message as text (a string, or the value of a MarkupContent). */
export const diagnosticText = (d: { message: string | { value: string } }) => (typeof d.message === 'string' ? d.message : d.message.value);

/** Writes `text` to `rel` under `dir`, making the folders on the way. */
export function writeIn(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

export class LspClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  readonly progress: { token: ProgressToken; value: { kind: string; message?: string; percentage?: number } }[] = [];
  readonly configurationRequests: unknown[] = [];
  readonly registrations: string[] = [];
  readonly logs: string[] = [];
  codeLensRefreshes = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly texts = new Map<string, TextDocument>();
  initializeResult!: InitializeResult;

  private constructor(readonly proc: ChildProcessWithoutNullStreams, readonly conn: ProtocolConnection, public options: StartOptions) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    proc.stderr.on('data', d => process.stderr.write(`[server] ${d}`));
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const client = new LspClient(proc, conn, options);
    conn.onNotification(PublishDiagnosticsNotification.type, p => {
      client.diagnostics.set(p.uri, [...(client.diagnostics.get(p.uri) ?? []), p]);
      client.wake();
    });
    conn.onNotification(LogMessageNotification.type, p => { client.logs.push(p.message); });
    conn.onRequest(ConfigurationRequest.type, async p => {
      client.configurationRequests.push(p);
      if (client.options.configurationDelayMs) await new Promise(r => setTimeout(r, client.options.configurationDelayMs));
      return p.items.map(i => (typeof client.options.settings === 'function' ? (client.options.settings as (s?: string) => unknown)(i.scopeUri) : client.options.settings ?? null));
    });
    conn.onRequest(RegistrationRequest.type, p => { client.registrations.push(...p.registrations.map(r => r.method)); });
    conn.onRequest(WorkDoneProgressCreateRequest.type, p => {
      conn.onProgress(WorkDoneProgress.type, p.token, value => { client.progress.push({ token: p.token, value }); client.wake(); });
    });
    conn.onRequest(CodeLensRefreshRequest.type, () => { client.codeLensRefreshes++; });
    conn.listen();
    const folders = options.folders ?? [];
    client.initializeResult = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      workspaceFolders: folders.map(f => ({ uri: fileUri(f), name: path.basename(f) })),
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `check` returns a value (re-evaluated after each notification), or rejects after `ms`. */
  waitFor<T>(check: () => T | undefined, ms = 10_000, what = 'a condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      const attempt = () => {
        const v = check();
        if (v !== undefined) { clearTimeout(timer); resolve(v); } else this.waiters.push(attempt);
      };
      attempt();
    });
  }

  /** The next diagnostics published for `uri` (after those seen so far) that satisfy `accept`. */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, ms?: number): Promise<PublishDiagnosticsParams> {
    const seen = this.diagnostics.get(uri)?.length ?? 0;
    return this.waitFor(() => this.diagnostics.get(uri)?.slice(seen).find(accept), ms, `diagnostics of ${uri}`);
  }

  /** The latest diagnostics of `uri` satisfying `accept` (already published or yet to come). */
  diagnosticsWhere(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, ms?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => { const all = this.diagnostics.get(uri); const last = all?.[all.length - 1]; return last && accept(last) ? last : undefined; }, ms, `diagnostics of ${uri}`);
  }

  text(uri: string): string {
    return this.texts.get(uri)!.getText();
  }

  document(uri: string): TextDocument {
    return this.texts.get(uri)!;
  }

  async open(uri: string, text: string, languageId = 'threatmodel'): Promise<void> {
    this.texts.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes (each relative to the text after the previous one) and applies them locally. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const doc = this.texts.get(uri)!;
    const next = TextDocument.update(doc, changes, doc.version + 1);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: next.version }, contentChanges: changes });
    return next.version;
  }

  /** Applies LSP text edits (all relative to the current text) as one incremental change. */
  applyEdits(uri: string, edits: TextEdit[]): Promise<number> {
    const doc = this.texts.get(uri)!;
    // Last edit first, so the positions of the earlier ones still hold.
    const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
    return this.change(uri, sorted.map(e => ({ range: e.range, text: e.newText })));
  }

  /** Applies a WorkspaceEdit for one document (`changes` or `documentChanges`), checking the version when given. */
  applyWorkspaceEdit(uri: string, edit: WorkspaceEdit): Promise<number> {
    if (edit.documentChanges) {
      const dc = edit.documentChanges.find(c => 'textDocument' in c && c.textDocument.uri === uri) as { textDocument: { version: number | null }; edits: TextEdit[] } | undefined;
      if (!dc) throw new Error('no edit for ' + uri);
      if (dc.textDocument.version !== null && dc.textDocument.version !== this.texts.get(uri)!.version) throw new Error(`edit for version ${dc.textDocument.version}, document at ${this.texts.get(uri)!.version}`);
      return this.applyEdits(uri, dc.edits);
    }
    return this.applyEdits(uri, edit.changes?.[uri] ?? []);
  }

  async close(uri: string): Promise<void> {
    this.texts.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async configurationChanged(settings: unknown): Promise<void> {
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>(resolve => {
      if (this.proc.exitCode !== null) resolve(this.proc.exitCode);
      else this.proc.on('exit', code => resolve(code));
    });
    try {
      await this.conn.sendRequest(ShutdownRequest.type);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      this.proc.kill();
    }
    const timer = setTimeout(() => this.proc.kill(), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.conn.dispose();
    return code;
  }
}

/** The 0-based position of the first occurrence of `needle` (plus `delta` characters) in `text`. */
export function positionOf(text: string, needle: string, delta = 0, from = 0): { line: number; character: number } {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`"${needle}" not found`);
  const doc = TextDocument.create('x:', 'x', 0, text);
  return doc.positionAt(i + delta);
}
