/**
 * The visual editor: a `CustomTextEditorProvider` that hosts the webview of src/webview (data-flow diagram,
 * threats and mitigations tables, heat map, attack trees) over a threat-model `TextDocument`.
 *
 * The TextDocument stays the source of truth. The webview only ever receives views of the document's current
 * text (`update`), or the reason the text cannot be drawn (`error`), which the language server builds from its
 * analysis of that version (`rampart/viewModel`): the extension host never analyses. Status edits come back as
 * messages naming an id and the document version they were made on; the server turns them into the core's
 * comment-preserving edit (`rampart/statusEdit`) and the extension applies it as a `WorkspaceEdit`, so undo,
 * redo, dirty state and save work as for typing. A message made on an older version is not applied: the
 * webview gets the current view instead.
 *
 * Every inbound message is parsed with the protocol's zod schema and acted on by id only (ranges are looked up
 * by the server in its own parse). A TextDocument can be shown in several editors at once (text and visual,
 * split editors): each visual editor has its own `VisualEditorSession`.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { offsetEdit } from './authoringCommands';
import { DrawingFiles } from './drawingFiles';
import { DrawingStore } from '../shared/drawingStore';
import type { RampartServer } from './client';
import { isThreatModel } from './models';
import { SECTION } from '../shared/section';
import { FORM_SECTION_OF, KIND_OF_FORM_SECTION, parseFromWebview, type FromWebviewMessage, type ToWebviewMessage, type UpdateMessage } from '../shared/protocol';
import { viewOfUpdate, type HeldView } from '../shared/viewMessage';
import type { ViewModel } from '../core/render/viewModel';
import { EntryAtRequest, IntentEditRequest, RevealRangeRequest, StatusEditRequest, ThreatSuggestionsRequest, ViewModelRequest, type IntentEditResult } from '../shared/requests';
import { CvssScoreRequest, EntryFixRequest, EntryFormRequest } from '../shared/entryRequests';
import { LayoutRequest, LayoutStatusRequest } from '../shared/layoutRequests';
import { webviewHtml } from '../webview/html';

const VIEW_TYPE = 'rampart.visualEditor';
export const VISUAL_EDITOR_COMMANDS = {
  open: 'rampart.openVisualEditor',
  openToSide: 'rampart.openVisualEditorToSide',
  /** Registered only when the extension runs under a test runner (see `register`). */
  testHook: 'rampart.visualEditor.testHook',
} as const;

/** Delay after the last keystroke (or settings change) before the webview gets a new view. */
const UPDATE_DEBOUNCE_MS = 200;
/** Delay after the last cursor move before the webview highlights the entry under the cursor. */
const SELECT_DEBOUNCE_MS = 150;
/** While the server does not know the document yet (just opened), the view is asked again this often... */
const RETRY_MS = 250;
/** ...this many times. */
const MAX_RETRIES = 40;

/** What the test hook can ask (in-host integration tests only). */
export type TestHookRequest =
  | { op: 'posted'; uri: string }
  | { op: 'updates'; uri: string }
  | { op: 'received'; uri: string }
  | { op: 'clear'; uri: string }
  | { op: 'inject'; uri: string; message: unknown }
  /** Forgets the kept drawings held in memory (as after a restart); their files stay. */
  | { op: 'forgetDrawings'; uri: string }
  | { op: 'layoutStatus'; uri: string };

/** One open visual editor: its webview, its document and the subscriptions that keep them in step. */
class VisualEditorSession implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private selectTimer: ReturnType<typeof setTimeout> | undefined;
  /** The document version of the last view posted. */
  private viewVersion: number | undefined;
  /** The id of the view the webview holds (the last update posted since it was ready): the next is a delta to it. */
  private heldView: number | undefined;
  /** In tests only: the updates posted since the last whole view, from which `postedViews` rebuilds each view. */
  private chain: UpdateMessage[] = [];
  private readonly chainViews = new Map<UpdateMessage, ViewModel | undefined>();
  /** Bumped per view request, so an older answer is never posted after a newer one. */
  private requests = 0;
  private retries = 0;
  private lastSelect = '';
  private disposed = false;
  /** Recent messages, for the test hook only (kept short). */
  readonly posted: ToWebviewMessage[] = [];
  readonly received: FromWebviewMessage[] = [];

  constructor(
    readonly document: vscode.TextDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly server: RampartServer,
    private readonly log: vscode.LogOutputChannel,
    private readonly record: boolean,
    /** The drawings kept for the model's next page (shared by the provider's sessions), and their files. */
    private readonly kept: DrawingStore,
    private readonly keptFiles: DrawingFiles,
  ) {
    const uri = document.uri.toString();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage(raw => this.onMessage(raw)),
      vscode.workspace.onDidChangeTextDocument(e => {
        if (e.document.uri.toString() === uri && e.contentChanges.length) this.scheduleUpdate();
      }),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(SECTION, document.uri)) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeTextEditorSelection(e => {
        if (e.textEditor.document.uri.toString() === uri) this.scheduleSelect(e.textEditor);
      }),
      // With retainContextWhenHidden off, a webview shown again reloads and sends `ready`; nothing to do here
      // but catch up if an update was skipped while it was hidden.
      panel.onDidChangeViewState(() => { if (panel.visible && this.viewVersion !== document.version) this.scheduleUpdate(); }),
    );
  }

  private scheduleUpdate(delay = UPDATE_DEBOUNCE_MS): void {
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      void this.postView();
    }, delay);
  }

  private get uri(): string {
    return this.server.uri(this.document.uri);
  }

  private scheduleSelect(editor: vscode.TextEditor): void {
    if (this.selectTimer) clearTimeout(this.selectTimer);
    this.selectTimer = setTimeout(() => {
      this.selectTimer = undefined;
      void this.postSelect(editor);
    }, SELECT_DEBOUNCE_MS);
  }

  private post(message: ToWebviewMessage): void {
    if (this.disposed) return;
    if (message.type === 'update') this.heldView = message.id;
    if (this.record) this.recordPosted(message);
    void this.panel.webview.postMessage(message);
  }

  /** In tests only: keeps the message, and the updates since the last whole view (deltas are a few bytes). */
  private recordPosted(message: ToWebviewMessage): void {
    this.posted.push(message);
    if (this.posted.length > 50) this.posted.shift();
    if (message.type !== 'update') return;
    if (message.deltaJson === undefined) {
      this.chain = [];
      this.chainViews.clear();
    }
    this.chain.push(message);
  }

  /**
   * In tests only: the messages posted, each update with the whole view the webview holds after it (a delta
   * applied to the view before it) and `delta` set when it was posted as one. Parsing is done here, when a test
   * asks, so that recording costs the editor's thread nothing while a benchmark types.
   */
  postedViews(): unknown[] {
    let held: HeldView | undefined;
    for (const m of this.chain) {
      if (!this.chainViews.has(m)) this.chainViews.set(m, viewOfUpdate(m, held));
      const view = this.chainViews.get(m);
      held = view && m.id !== undefined ? { id: m.id, view } : undefined;
    }
    return this.posted.map(m => {
      const view = m.type === 'update' ? this.chainViews.get(m) : undefined;
      return view && m.type === 'update' ? { type: 'update', version: m.version, id: m.id, view, delta: m.deltaJson !== undefined } : m;
    });
  }

  /** Asks the server for the view of the document's current version (or why it cannot be drawn) and posts it. */
  async postView(force = false): Promise<void> {
    if (this.disposed) return;
    // A hidden webview has no context (retainContextWhenHidden is off): it asks again with `ready` when shown.
    if (!this.panel.visible && !force) return;
    const request = ++this.requests;
    const version = this.document.version;
    let message: ToWebviewMessage | null;
    try {
      message = await this.server.request(ViewModelRequest, { uri: this.uri, since: this.heldView });
    } catch (e) {
      if (this.disposed || request !== this.requests) return;
      if (this.document.version !== version) return; // the change that made it stale schedules the next view
      // Never leave the panel blank: say why there is no view where the diagram would be.
      this.log.error(`visual editor: no view of ${vscode.workspace.asRelativePath(this.document.uri)}: ${(e as Error)?.message ?? e}`);
      this.post({ type: 'error', version, message: `Rampart could not draw this model (${(e as Error)?.message ?? e}); see the Rampart output.`, line: 1 });
      return;
    }
    if (this.disposed || request !== this.requests) return;
    if (!message || message.version !== this.document.version) {
      // The server does not have this version yet (just opened, or the change is on its way): ask again.
      if (this.retries++ < MAX_RETRIES) this.scheduleUpdate(RETRY_MS);
      return;
    }
    this.retries = 0;
    if (message.type === 'update' && message.base !== undefined && message.base !== this.heldView) {
      // A delta against a view posted over since the request went out: ask again, against the one now held.
      this.scheduleUpdate(0);
      return;
    }
    if (message.type === 'update') this.viewVersion = message.version;
    this.post(message);
  }

  /** Highlights in the webview the entry under the text editor's cursor (when it changed). */
  private async postSelect(editor: vscode.TextEditor): Promise<void> {
    if (this.disposed || !this.panel.visible || editor.document.uri.toString() !== this.document.uri.toString()) return;
    if (this.viewVersion !== this.document.version) void this.postView();
    const version = this.document.version;
    const { line, character } = editor.selection.active;
    let entry;
    try {
      entry = await this.server.request(EntryAtRequest, { uri: this.uri, version, position: { line, character } });
    } catch {
      return;
    }
    if (!entry || this.disposed || entry.version !== this.document.version) return;
    const key = `${entry.kind}:${entry.id}`;
    if (key === this.lastSelect) return;
    this.lastSelect = key;
    this.post({ type: 'select', kind: entry.kind, id: entry.id });
  }

  /** Handles one message from the webview; resolves when its effect (edit, reveal) is done. */
  async onMessage(raw: unknown): Promise<boolean> {
    const msg = parseFromWebview(raw);
    if (!msg) {
      const type = raw && typeof raw === 'object' && typeof (raw as { type?: unknown }).type === 'string' ? String((raw as { type: string }).type).slice(0, 40) : typeof raw;
      this.log.warn(`visual editor: dropped an invalid message from the webview (type ${JSON.stringify(type)})`);
      return false;
    }
    if (this.record) {
      this.received.push(msg);
      if (this.received.length > 50) this.received.shift();
    }
    switch (msg.type) {
      case 'ready': {
        // A new page (first load, shown again, or one that could not apply a delta): it holds no view.
        this.heldView = undefined;
        this.lastSelect = '';
        this.retries = 0;
        // the drawings an earlier page of this model kept, before the view: the first one may need no layout
        await this.keptFiles.load(this.document.uri.toString());
        if (this.disposed) return true;
        // the language server lays the first diagram out once its ELK is warm (the page's own ELK until then)
        this.post({ type: 'layoutService', warm: this.server.layoutWarm });
        const drawings = this.kept.drawings(this.document.uri.toString());
        if (drawings.length) this.post({ type: 'drawings', drawings });
        await this.postView(true);
        {
          const editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === this.document.uri.toString());
          if (editor) await this.postSelect(editor);
        }
        return true;
      }
      case 'layout':
        return this.layout(msg);
      case 'keepDrawing':
        this.kept.keep(this.document.uri.toString(), { key: msg.key, svg: msg.svg });
        this.keptFiles.changed(this.document.uri.toString());
        return true;
      case 'setThreatStatus':
      case 'setMitigationStatus':
        return this.setStatus(msg);
      case 'reveal':
        return this.reveal(msg);
      case 'addEntry':
        return this.addEntry(msg);
      case 'editEntry':
        return this.editEntry(msg);
      case 'inspect':
        return this.inspect(msg);
      case 'entryAction':
        return this.entryAction(msg);
      case 'scoreVector': {
        const score = await this.server.request(CvssScoreRequest, { vector: msg.vector });
        if (!this.disposed) this.post({ type: 'vectorScore', ...score, vector: msg.vector });
        return true;
      }
      case 'suggest': {
        const suggestions = await this.server.request(ThreatSuggestionsRequest, { text: this.document.getText(), target: msg.target });
        if (!this.disposed) this.post({ type: 'suggestions', suggestions });
        return true;
      }
    }
  }

  /**
   * Asks the server until it answers for the document's current version: it may not have that version yet (a
   * visual editor just opened on its own, an edit just applied). Gives up after 20 tries or when disposed.
   */
  private async askCurrent<R extends { version: number } | null>(ask: () => Promise<R>): Promise<R> {
    let result = await ask();
    for (let i = 0; i < 20 && (!result || result.version !== this.document.version) && !this.disposed; i++) {
      await new Promise(r => setTimeout(r, RETRY_MS));
      result = await ask();
    }
    return result;
  }

  /**
   * A diagram's layout by the language server's ELK, which stays warm between drawings and pages. The graph is
   * passed on as the webview's text (checked for size by the protocol); an error goes back as text, and the
   * page then lays the graph out itself.
   */
  private async layout(msg: Extract<FromWebviewMessage, { type: 'layout' }>): Promise<boolean> {
    try {
      const r = await this.server.request(LayoutRequest, { graphJson: msg.graphJson, ...(msg.layoutOptions ? { layoutOptions: msg.layoutOptions } : {}) });
      if (!this.disposed) this.post({ type: 'layoutDone', id: msg.id, graphJson: r.graphJson });
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.warn(`visual editor: the language server could not lay the diagram out (${message.slice(0, 300)}); the page lays it out`);
      if (!this.disposed) this.post({ type: 'layoutDone', id: msg.id, error: message.slice(0, 2_000) });
      return false;
    }
  }

  /** The properties panel of an entry, from the server's analysis of the current version. */
  private async inspect(msg: Extract<FromWebviewMessage, { type: 'inspect' }>): Promise<boolean> {
    const result = await this.askCurrent(() => this.server.request(EntryFormRequest, { uri: this.uri, section: FORM_SECTION_OF[msg.kind], id: msg.id }));
    if (!result || this.disposed) return false;
    this.post({ type: 'entry', version: result.version, kind: msg.kind, id: msg.id, form: result.form ?? null });
    return !!result.form;
  }

  /** Applies one of the panel's fixes, computed by the server for exactly this version. */
  private async entryAction(msg: Extract<FromWebviewMessage, { type: 'entryAction' }>): Promise<boolean> {
    if (msg.version !== this.document.version) {
      void this.postView();
      return false;
    }
    const result = await this.server.request(EntryFixRequest, { uri: this.uri, version: msg.version, section: FORM_SECTION_OF[msg.kind], id: msg.id, action: msg.action });
    if (result.stale || !result.edit || result.version !== this.document.version) {
      if (result.stale) void this.postView();
      return false;
    }
    const edit = await this.server.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    if (this.document.version !== result.version) return false;
    return vscode.workspace.applyEdit(edit);
  }

  /** The server's edits of an intent made on the view of `version`; none (and the current view re-sent) when that view is stale. */
  private async intentOn(version: number, intent: unknown): Promise<{ text: string; result: IntentEditResult } | undefined> {
    if (version !== this.document.version) {
      void this.postView();
      return undefined;
    }
    const text = this.document.getText();
    return { text, result: await this.server.request(IntentEditRequest, { text, intent }) };
  }

  /** Applies edits computed on exactly `text` at `version`, as one undoable edit: never to another text. */
  private async applyOn(version: number, text: string, edits: IntentEditResult['edits']): Promise<boolean> {
    if (this.document.version !== version || this.document.getText() !== text) {
      void this.postView();
      return false;
    }
    return vscode.workspace.applyEdit(offsetEdit(this.document, edits));
  }

  /** Changes, renames or deletes an entry (one undoable edit); a delete that would leave references asks first. */
  private async editEntry(msg: Extract<FromWebviewMessage, { type: 'editEntry' }>): Promise<boolean> {
    const computed = await this.intentOn(msg.version, msg.intent);
    if (!computed) return false;
    const { text, result } = computed;
    const section = typeof msg.intent.section === 'string' ? msg.intent.section : '';
    const kind = KIND_OF_FORM_SECTION[section];
    const id = typeof msg.intent.id === 'string' ? msg.intent.id : '';
    if (result.refusal || !result.edits.length) {
      if (msg.intent.kind === 'delete-entry' && result.references?.length && kind) {
        this.post({ type: 'confirmDelete', kind, id, message: result.refusal ?? '', references: result.references.slice(0, 500) });
      } else if (result.refusal) {
        this.post({ type: 'notice', message: result.refusal });
      }
      return false;
    }
    if (!(await this.applyOn(msg.version, text, result.edits))) return false;
    if (msg.intent.kind === 'delete-entry') {
      const removed = (result.removed ?? [{ section, id }]).flatMap(r => (KIND_OF_FORM_SECTION[r.section] ? [{ kind: KIND_OF_FORM_SECTION[r.section]!, id: r.id }] : []));
      this.post({ type: 'deleted', removed });
    } else if (kind) {
      this.post({ type: 'edited', kind, id: result.id ?? id });
    }
    return true;
  }

  /** Adds what the webview drew or wrote (one undoable edit), then tells it the new id to select. */
  private async addEntry(msg: Extract<FromWebviewMessage, { type: 'addEntry' }>): Promise<boolean> {
    const computed = await this.intentOn(msg.version, msg.intent);
    if (!computed) return false;
    const { text, result } = computed;
    if (result.refusal || !result.id) {
      this.post({ type: 'notice', message: result.refusal ?? 'Nothing was added.' });
      return false;
    }
    const applied = await this.applyOn(msg.version, text, result.edits);
    const kind = ({ 'add-element': 'element', 'add-boundary': 'boundary', 'add-flow': 'flow', 'add-threat': 'threat', 'add-mitigation': 'mitigation' } as const)[msg.intent.kind];
    if (applied) this.post({ type: 'added', kind, id: result.id });
    return applied;
  }

  private async setStatus(msg: Extract<FromWebviewMessage, { type: 'setThreatStatus' | 'setMitigationStatus' }>): Promise<boolean> {
    if (msg.version !== this.document.version) {
      // Made on a view of an older text: never apply it blindly; show the current view instead.
      void this.postView();
      return false;
    }
    const result = await this.server.request(StatusEditRequest, msg.type === 'setThreatStatus'
      ? { uri: this.uri, version: msg.version, section: 'threats', id: msg.id, status: msg.status }
      : { uri: this.uri, version: msg.version, section: 'mitigations', id: msg.id, status: msg.status });
    if (result.stale || (result.edit && result.version !== this.document.version)) {
      void this.postView();
      return false;
    }
    if (!result.edit) return false;
    const edit = await this.server.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    // The edit is made for exactly the version it names: never apply it to another.
    if (this.document.version !== result.version) {
      void this.postView();
      return false;
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      this.log.warn(`visual editor: the status edit of ${msg.id} was not applied (the document changed meanwhile?)`);
      void this.postView();
    }
    return applied;
  }

  private async reveal(msg: Extract<FromWebviewMessage, { type: 'reveal' }>): Promise<boolean> {
    const result = await this.askCurrent(() => this.server.request(RevealRangeRequest, { uri: this.uri, kind: msg.kind, id: msg.id, node: msg.node }));
    if (!result?.range || result.version !== this.document.version) return false;
    const selection = this.server.client.protocol2CodeConverter.asRange(result.range);
    const uri = this.document.uri.toString();
    // Prefer a text editor already showing the document (visible, else a tab in some group); else open one beside.
    const visible = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === uri);
    let viewColumn = visible?.viewColumn;
    if (!viewColumn) {
      for (const group of vscode.window.tabGroups.all) {
        if (group.tabs.some(t => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri)) {
          viewColumn = group.viewColumn;
          break;
        }
      }
    }
    const editor = await vscode.window.showTextDocument(this.document, {
      viewColumn: viewColumn ?? vscode.ViewColumn.Beside,
      selection,
      // Keep the focus in the visual editor, so a user can click through rows and nodes.
      preserveFocus: true,
      preview: false,
    });
    editor.selection = new vscode.Selection(selection.start, selection.end);
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  dispose(): void {
    this.disposed = true;
    if (this.updateTimer) clearTimeout(this.updateTimer);
    if (this.selectTimer) clearTimeout(this.selectTimer);
    this.subscriptions.forEach(s => s.dispose());
    this.subscriptions.length = 0;
  }
}

/**
 * Registers the visual editor (viewType `rampart.visualEditor`) and the commands that open it, like Markdown's
 * preview: "Open Visual Editor" in the active group and "Open Visual Editor to the Side".
 */
export class VisualEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = VIEW_TYPE;
  private readonly sessions = new Set<VisualEditorSession>();
  /** Drawings kept per model by its pages, for the next page (a visual editor closed and opened again), and on disk. */
  private readonly kept = new DrawingStore();
  private readonly keptFiles: DrawingFiles;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: RampartServer,
    private readonly log: vscode.LogOutputChannel,
    private readonly testMode: boolean,
  ) {
    this.keptFiles = new DrawingFiles(context.storageUri && vscode.Uri.joinPath(context.storageUri, 'drawings'), this.kept, log);
  }

  /** `server` is the running language server (views and edits come from it); `log` the extension's output channel. */
  static register(context: vscode.ExtensionContext, server: RampartServer, log: vscode.LogOutputChannel): vscode.Disposable[] {
    const disposables: vscode.Disposable[] = [];
    const testMode = context.extensionMode === vscode.ExtensionMode.Test || !!process.env.RAMPART_TEST;
    const provider = new VisualEditorProvider(context, server, log, testMode);
    disposables.push(
      provider.keptFiles,
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
        // The webview reloads when shown again (it asks for the view with `ready`): no hidden memory cost.
        webviewOptions: { retainContextWhenHidden: false, enableFindWidget: false },
        supportsMultipleEditorsPerDocument: true,
      }),
      vscode.commands.registerCommand(VISUAL_EDITOR_COMMANDS.open, (uri?: unknown) => openVisualEditor(uri, vscode.ViewColumn.Active)),
      vscode.commands.registerCommand(VISUAL_EDITOR_COMMANDS.openToSide, (uri?: unknown) => openVisualEditor(uri, vscode.ViewColumn.Beside)),
    );
    if (testMode) disposables.push(vscode.commands.registerCommand(VISUAL_EDITOR_COMMANDS.testHook, (req: TestHookRequest) => provider.testHook(req)));
    return disposables;
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const root = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    const webview = panel.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [root] };
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')).toString(),
      title: 'Rampart Visual Editor',
    });
    const session = new VisualEditorSession(document, panel, this.server, this.log, this.testMode, this.kept, this.keptFiles);
    this.sessions.add(session);
    panel.onDidDispose(() => {
      session.dispose();
      this.sessions.delete(session);
    });
  }

  /** In-host tests: what the webview of a document was sent / sent back, and injecting a webview message. */
  private async testHook(req: TestHookRequest): Promise<unknown> {
    const sessions = [...this.sessions].filter(s => s.document.uri.toString() === req?.uri);
    switch (req?.op) {
      case 'posted':
        return JSON.parse(JSON.stringify(sessions.flatMap(s => s.postedViews())));
      case 'updates':
        // how many views were posted (without rebuilding them: the P5 bench waits for the first before typing)
        return sessions.reduce((n, s) => n + s.posted.filter(m => m.type === 'update').length, 0);
      case 'received':
        return JSON.parse(JSON.stringify(sessions.flatMap(s => s.received)));
      case 'clear':
        for (const s of sessions) {
          s.posted.length = 0;
          s.received.length = 0;
        }
        return sessions.length;
      case 'inject':
        if (!sessions.length) throw new Error(`no visual editor is open for ${req.uri}`);
        return sessions[0].onMessage(req.message);
      case 'forgetDrawings':
        this.kept.forget();
        this.keptFiles.forget();
        return true;
      case 'layoutStatus':
        // where the language server's ELK stands (a test waits until it is warm)
        return this.server.request(LayoutStatusRequest, {});
      default:
        return undefined;
    }
  }
}

/** Opens the visual editor for `target` (a URI from a menu), else for the active text editor's model. */
async function openVisualEditor(target: unknown, viewColumn: vscode.ViewColumn): Promise<void> {
  let uri = target instanceof vscode.Uri ? target : undefined;
  if (!uri) {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isThreatModel(doc)) uri = doc.uri;
  }
  if (!uri) {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    // A text tab whose editor is not focused, or the visual editor itself (then the command reveals it).
    if ((input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) && /\.threatmodel\.ya?ml$/i.test(input.uri.path)) uri = input.uri;
  }
  if (!uri) {
    void vscode.window.showInformationMessage('Open a threat model (*.threatmodel.yaml) first, then run this command again.');
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { viewColumn, preserveFocus: false });
}
