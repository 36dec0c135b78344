/**
 * The code and the model kept true to each other (#13), on the client side. The language server resolves and
 * edits (src/shared/traceRequests.ts); the extension host only shows and applies:
 *
 * - In source files (any language, not threat models): a CodeLens, a hover and go to definition on each
 *   annotation (`@mitigates`, `@threat`, `@accepts`, `@model`), from `rampart/fileAnnotations` on the editor's
 *   text. A file without any of the four keywords is never sent; answers are kept per document version, and
 *   dropped when a model changes (its text, diagnostics, tabs or file), so the lenses follow the model.
 * - "Rampart: Link Selection as Evidence...": the selected lines become an `evidence:` entry
 *   (`src/auth.ts#L10-L20`, relative to the model's folder) of a mitigation picked from the workspace's models.
 * - "Rampart: Mark Element Reviewed": records today's date and HEAD as the review of the element at the cursor.
 *
 * Both commands change the model with one undoable edit, made by the server for the model's current text and
 * applied only to that version. Called with arguments (tests, other extensions) they skip the questions, throw
 * instead of showing an error, and return what they wrote.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isScannableName, mayHoldAnnotations, ANNOTATION_LIMITS } from '../core/trace/annotations';
import {
  AddEvidenceRequest, AnnotationIdsRequest, FileAnnotationsRequest, TraceChangedNotification, MarkReviewedRequest, MitigationChoicesRequest,
  type AnnotationTarget, type ResolvedAnnotation, type TraceEditResult,
} from '../shared/traceRequests';
import { SECTION } from '../shared/section';
import type { RampartServer } from './client';
import { isThreatModel, MODEL_FILE } from './models';

export const TRACE_COMMANDS = {
  linkSelectionAsEvidence: 'rampart.linkSelectionAsEvidence',
  markElementReviewed: 'rampart.markElementReviewed',
} as const;

/** Source files of any language on disk; threat models are left to the language client. */
const SOURCE_SELECTOR: vscode.DocumentSelector = { scheme: 'file' };
/** Pause after a model changes before the lenses are asked for again (typing in a model: once it pauses). */
const REFRESH_DELAY_MS = 250;

// ---------------------------------------------------------------------------------------------------------
// Annotations in source files: CodeLens, hover, definition

/** Whether the document may hold annotations worth asking the server about (cheap: no parsing). */
function mayAnnotate(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' || isThreatModel(doc) || !isScannableName(doc.uri.path)) return false;
  if (!vscode.workspace.getConfiguration(SECTION, doc.uri).get<boolean>('trace.enabled', true)) return false;
  const text = doc.getText();
  return text.length <= ANNOTATION_LIMITS.fileSize && mayHoldAnnotations(text);
}

const NOUN: Record<ResolvedAnnotation['kind'], string> = { mitigates: 'threat', threat: 'threat', accepts: 'threat', model: 'element' };
const VERB: Record<ResolvedAnnotation['kind'], string> = { mitigates: 'mitigates', threat: 'exposed to', accepts: 'accepts', model: 'implements' };

/** `Token replay (token-replay) · high · open`. */
function describe(id: string, t: AnnotationTarget): string {
  return [`${t.title || id} (${id})`, t.level, t.status].filter(Boolean).join(' · ');
}

function lensTitle(a: ResolvedAnnotation): string {
  if (!a.target) return `⚠ unknown ${NOUN[a.kind]} \`${a.id}\``;
  let title = `${VERB[a.kind]} ${describe(a.id, a.target)}`;
  if (a.with) {
    title += a.withTarget
      ? ` — by ${a.withTarget.title || a.with}${a.withTarget.status ? ` (${a.withTarget.status})` : ''}`
      : ` — ⚠ unknown mitigation \`${a.with}\``;
  }
  return title;
}

/** The lenses, hovers and definitions of the annotations of open source files. */
class AnnotationFeatures implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.DefinitionProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Per document URI: the server's answer for one version of it. */
  private readonly cache = new Map<string, { version: number; answer: Promise<ResolvedAnnotation[]> }>();
  private refresh: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly server: RampartServer) {
    const isModel = (uri: vscode.Uri) => MODEL_FILE.test(uri.path);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.threatmodel.{yaml,yml}');
    this.subscriptions = [
      this.changed,
      watcher,
      vscode.workspace.onDidCloseTextDocument(doc => this.cache.delete(doc.uri.toString())),
      // A model changed: its analysis was published again (the server may skip publishing what did not change,
      // so its text, its tabs and its file on disk are followed too).
      vscode.languages.onDidChangeDiagnostics(e => { if (e.uris.some(isModel)) this.modelsChanged(); }),
      vscode.workspace.onDidChangeTextDocument(e => { if (e.contentChanges.length && isThreatModel(e.document)) this.modelsChanged(); }),
      // a model's last tab closed: the server now reads it from disk (src/vscode/liveDocuments.ts)
      vscode.window.tabGroups.onDidChangeTabs(e => {
        if ([...e.opened, ...e.closed].some(t => t.input instanceof vscode.TabInputText && isModel(t.input.uri))) this.modelsChanged();
      }),
      vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(`${SECTION}.trace`)) this.modelsChanged(); }),
      watcher.onDidCreate(() => this.modelsChanged()),
      watcher.onDidChange(() => this.modelsChanged()),
      watcher.onDidDelete(() => this.modelsChanged()),
    ];
  }

  modelsChanged(): void {
    if (this.refresh) clearTimeout(this.refresh);
    this.refresh = setTimeout(() => {
      this.refresh = undefined;
      this.cache.clear();
      this.changed.fire();
    }, REFRESH_DELAY_MS);
  }

  /** The annotations of this version of the document, resolved by the server (asked once per version). */
  annotations(doc: vscode.TextDocument): Promise<ResolvedAnnotation[]> {
    if (!mayAnnotate(doc)) return Promise.resolve([]);
    const key = doc.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === doc.version) return cached.answer;
    const answer = this.server.request(FileAnnotationsRequest, { uri: this.server.uri(doc.uri), text: doc.getText() })
      .then(r => r ?? [], () => {
        // not cached: asked again next time (the server may still be starting)
        if (this.cache.get(key)?.answer === answer) this.cache.delete(key);
        return [] as ResolvedAnnotation[];
      });
    this.cache.set(key, { version: doc.version, answer });
    return answer;
  }

  private range(r: ResolvedAnnotation['range']): vscode.Range {
    return this.server.client.protocol2CodeConverter.asRange(r);
  }

  private location(t: AnnotationTarget): vscode.Location {
    return new vscode.Location(this.server.client.protocol2CodeConverter.asUri(t.modelUri), this.range(t.range));
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const annotations = await this.annotations(doc);
    if (token.isCancellationRequested) return [];
    return annotations.map(a => {
      const range = this.range(a.range);
      const title = lensTitle(a);
      if (!a.target) return new vscode.CodeLens(range, { title, command: '', tooltip: `No threat model of this folder has the ${NOUN[a.kind]} \`${a.id}\`.` });
      const at = this.location(a.target);
      return new vscode.CodeLens(range, {
        title,
        command: 'vscode.open',
        arguments: [at.uri, { selection: at.range } satisfies vscode.TextDocumentShowOptions],
        tooltip: `Open ${a.target.section.replace(/s$/, '')} \`${a.id}\` in ${vscode.workspace.asRelativePath(at.uri)}`,
      });
    });
  }

  /** The annotation whose id (or `with` id) is at the position, and which of the two. */
  private async at(doc: vscode.TextDocument, pos: vscode.Position): Promise<{ a: ResolvedAnnotation; id: string; target?: AnnotationTarget; range: vscode.Range; isWith: boolean } | undefined> {
    for (const a of await this.annotations(doc)) {
      const range = this.range(a.range);
      if (range.contains(pos)) return { a, id: a.id, target: a.target, range, isWith: false };
      if (a.withRange && a.with) {
        const w = this.range(a.withRange);
        if (w.contains(pos)) return { a, id: a.with, target: a.withTarget, range: w, isWith: true };
      }
    }
    return undefined;
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const hit = await this.at(doc, pos);
    if (!hit || token.isCancellationRequested) return undefined;
    // Titles come from the (untrusted) model: plain text, no command links, no HTML.
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.supportHtml = false;
    const noun = hit.isWith ? 'mitigation' : NOUN[hit.a.kind];
    const t = hit.target;
    if (!t) {
      md.appendMarkdown('⚠ ').appendText(`No threat model of this folder has the ${noun} `).appendMarkdown(`\`${hit.id.replace(/`/g, '')}\``).appendText('.');
      return new vscode.Hover(md, hit.range);
    }
    md.appendMarkdown('**').appendText(t.title || hit.id).appendMarkdown(`** \`${hit.id.replace(/`/g, '')}\` · `).appendText(t.section.replace(/s$/, ''));
    const facts: string[] = [];
    if (t.level) facts.push(`Risk: **${t.level.replace(/[^\w-]/g, '')}**`);
    if (t.status) facts.push(`Status: **${t.status.replace(/[^\w-]/g, '')}**`);
    if (facts.length) md.appendMarkdown(`\n\n${facts.join(' · ')}`);
    const at = this.location(t);
    const link = at.uri.with({ fragment: `L${at.range.start.line + 1},${at.range.start.character + 1}` });
    md.appendMarkdown('\n\nDefined in [').appendText(vscode.workspace.asRelativePath(at.uri)).appendMarkdown(`](${link.toString()})`);
    return new vscode.Hover(md, hit.range);
  }

  async provideDefinition(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Location[] | undefined> {
    const hit = await this.at(doc, pos);
    if (!hit?.target || token.isCancellationRequested) return undefined;
    return [this.location(hit.target)];
  }

  dispose(): void {
    if (this.refresh) clearTimeout(this.refresh);
    for (const s of this.subscriptions) s.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Editing the model: shared steps

/** Whether a tab (of any group) shows the document: then the language server has it (src/vscode/liveDocuments.ts). */
function inTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some(g => g.tabs.some(t =>
    (t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputCustom) && t.input.uri.toString() === key));
}

/**
 * Shows the model beside (without taking the focus) unless a tab already shows it: the server edits only the
 * models that are open, and the user sees the unsaved change. True when it was not shown before.
 */
async function showModel(doc: vscode.TextDocument): Promise<boolean> {
  if (inTab(doc.uri)) return false;
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
  return true;
}

/**
 * Asks the server for an edit of the model and applies it, only to the version it was made for. The result
 * with `applied` (false: nothing to do); throws the server's refusal or when the model changed meanwhile.
 */
async function editModel(server: RampartServer, doc: vscode.TextDocument, ask: () => Promise<TraceEditResult>): Promise<TraceEditResult & { applied: boolean }> {
  const justShown = await showModel(doc);
  let version = doc.version;
  let result = await ask();
  if (result.refusal && justShown) {
    // The model was opened on the server a moment ago: ask once more in case the request overtook it.
    await new Promise(r => setTimeout(r, 300));
    version = doc.version;
    result = await ask();
  }
  if (result.refusal) throw new Error(result.refusal);
  if (!result.edit) return { ...result, applied: false };
  const named = (result.edit.documentChanges ?? []).flatMap(c => ('textDocument' in c && typeof c.textDocument.version === 'number' ? [c.textDocument.version] : []));
  const edit = await server.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (doc.version !== version || named.some(v => v !== doc.version)) {
    throw new Error('The model changed while the edit was made; run the command again.');
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The edit of the model could not be applied (it changed meanwhile?); run the command again.');
  return { ...result, applied: true };
}

/** Runs a command body: from the palette an error is shown, from code (with arguments) it is thrown. */
async function guarded<T>(fromCode: boolean, body: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await body();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (fromCode) throw new Error(message);
    void vscode.window.showErrorMessage(`Rampart: ${message}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Link Selection as Evidence

export interface LinkEvidenceArgs {
  /** The model and the mitigation (both, to skip the pick). */
  modelUri?: vscode.Uri;
  mitigation?: string;
}

/** `src/auth.ts#L10-L20` (or `#L10`): the lines of `range` in `source`, relative to the model's folder. */
export function evidenceFor(model: vscode.Uri, source: vscode.Uri, range: vscode.Range): string {
  const first = range.start.line;
  // A selection ending at the start of a line (whole lines selected) does not take that line.
  const last = range.end.line > first && range.end.character === 0 ? range.end.line - 1 : range.end.line;
  const file = path.posix.relative(path.posix.dirname(model.path), source.path);
  return `${file}#L${first + 1}${last > first ? `-L${last + 1}` : ''}`;
}

async function linkSelectionAsEvidence(server: RampartServer, args?: LinkEvidenceArgs): Promise<string | undefined> {
  const fromCode = !!args && typeof args === 'object' && !(args instanceof vscode.Uri);
  return guarded(fromCode, async () => {
    const editor = vscode.window.activeTextEditor;
    const source = editor?.document;
    if (!editor || !source || source.uri.scheme !== 'file' || isThreatModel(source)) {
      throw new Error('Select the code in a saved source file first: its lines become evidence of a mitigation.');
    }
    const range: vscode.Range = editor.selection;
    let modelUri = fromCode ? args?.modelUri : undefined;
    let mitigation = fromCode ? args?.mitigation : undefined;
    let title = mitigation;
    if (!modelUri || !mitigation) {
      const choices = await server.request(MitigationChoicesRequest, { uri: server.uri(source.uri) });
      if (!choices.length) throw new Error('The threat models of this folder have no mitigation yet: add one first (Rampart: Add Mitigation).');
      const items = choices
        .map(c => ({ choice: c, uri: server.client.protocol2CodeConverter.asUri(c.modelUri) }))
        .filter(c => (!modelUri || c.uri.toString() === modelUri.toString()) && (!mitigation || c.choice.id === mitigation))
        .map(({ choice, uri }) => ({
          label: choice.title || choice.id,
          description: [choice.id, choice.status].filter(Boolean).join(' · '),
          detail: [vscode.workspace.asRelativePath(uri), choice.threats.length ? `mitigates ${choice.threats.join(', ')}` : ''].filter(Boolean).join(' — '),
          choice, uri,
        }));
      if (!items.length) throw new Error(`No mitigation \`${mitigation ?? ''}\` in the threat models of this folder.`);
      const lines = evidenceFor(items[0]!.uri, source.uri, range).replace(/^.*#/, '');
      const picked = items.length === 1 && mitigation ? items[0] : await vscode.window.showQuickPick(items, {
        title: 'Rampart: Link Selection as Evidence',
        placeHolder: `Which mitigation do lines ${lines} of ${path.posix.basename(source.uri.path)} implement?`,
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return undefined;
      modelUri = picked.uri;
      mitigation = picked.choice.id;
      title = picked.choice.title || picked.choice.id;
    }
    if (modelUri.scheme !== source.uri.scheme || modelUri.authority !== source.uri.authority) {
      throw new Error('The model and the source file are not on the same file system.');
    }
    const model = await vscode.workspace.openTextDocument(modelUri);
    if (!isThreatModel(model)) throw new Error(`${vscode.workspace.asRelativePath(modelUri)} is not a threat model.`);
    const evidence = evidenceFor(modelUri, source.uri, range);
    const id = mitigation;
    const r = await editModel(server, model, () => server.request(AddEvidenceRequest, { modelUri: server.uri(model.uri), mitigation: id, evidence }));
    const where = vscode.workspace.asRelativePath(modelUri);
    if (!fromCode) {
      void vscode.window.showInformationMessage(r.applied
        ? `Rampart: \`${evidence}\` is now evidence of ${title} (\`${id}\`) in ${where}; save the model to keep it.`
        : `Rampart: \`${evidence}\` already is evidence of ${title} (\`${id}\`) in ${where}.`);
    }
    return evidence;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Mark Element Reviewed

export interface MarkReviewedArgs {
  uri?: vscode.Uri;
  element?: string;
  /** Who reviewed it (written as `by:`). */
  by?: string;
}

type SymbolLike = vscode.DocumentSymbol & Partial<vscode.SymbolInformation>;

/** The elements of the model, from its outline (the server's document symbols): id, name and the entry's range. */
async function elementsOf(doc: vscode.TextDocument): Promise<{ id: string; name: string; range: vscode.Range }[]> {
  const symbols = await vscode.commands.executeCommand<SymbolLike[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri) ?? [];
  const section = symbols.find(s => s.name === 'elements' && (s.children?.length ?? 0) > 0);
  if (section) return section.children.map(c => ({ id: c.name, name: c.detail ?? '', range: c.range }));
  // a flat outline (SymbolInformation only): the entries whose container is the elements section
  return symbols.filter(s => s.containerName === 'elements' && s.location).map(s => ({ id: s.name, name: '', range: s.location!.range }));
}

async function markElementReviewed(server: RampartServer, args?: MarkReviewedArgs): Promise<{ commit?: string } | undefined> {
  const fromCode = !!args && typeof args === 'object' && !(args instanceof vscode.Uri);
  const given = args instanceof vscode.Uri ? { uri: args } : fromCode ? args : undefined;
  return guarded(fromCode, async () => {
    const editor = vscode.window.activeTextEditor;
    const uri = given?.uri ?? editor?.document.uri;
    const doc = uri && await vscode.workspace.openTextDocument(uri);
    if (!doc || !isThreatModel(doc)) throw new Error('Open a threat model (*.threatmodel.yaml) first, with the cursor on an element.');
    let element = given?.element;
    if (!element) {
      const elements = await elementsOf(doc);
      if (!elements.length) throw new Error('This model has no element to review.');
      const cursor = editor?.document.uri.toString() === doc.uri.toString() ? editor.selection.active : undefined;
      element = cursor ? elements.find(e => e.range.contains(cursor))?.id : undefined;
      if (!element) {
        const picked = await vscode.window.showQuickPick(elements.map(e => ({ label: e.id, description: e.name })), {
          title: 'Rampart: Mark Element Reviewed',
          placeHolder: 'Which element\'s code was reviewed against the model?',
          matchOnDescription: true,
        });
        if (!picked) return undefined;
        element = picked.label;
      }
    }
    const id = element;
    const r = await editModel(server, doc, () => server.request(MarkReviewedRequest, { uri: server.uri(doc.uri), element: id, ...(given?.by ? { by: given.by } : {}) }));
    const at = r.commit ? ` at ${r.commit.slice(0, 7)}` : '';
    if (!fromCode) {
      void vscode.window.showInformationMessage(r.applied
        ? `Rampart: recorded the review of \`${id}\`${at}; save the model to keep it.`
        : `Rampart: the review of \`${id}\`${at} is already recorded.`);
    }
    return { ...(r.commit ? { commit: r.commit } : {}) };
  });
}

// ---------------------------------------------------------------------------------------------------------

/** Where an annotation's id is being typed: which ids fit, and the part of the id already typed. */
const ID_TYPED = /(?:^|[\s/*#;%'(!<-])@(mitigates|threat|accepts|model)\s+(?:([\w.@-]+)\s+with\s+)?([\w.@-]*)$/;

/** Completes the model's ids inside an annotation (`@mitigates tok|`, `with sho|`, `@model a|`). */
class AnnotationIdCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly server: RampartServer) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[] | undefined> {
    if (isThreatModel(doc)) return undefined;
    const before = doc.lineAt(position.line).text.slice(0, position.character);
    const m = ID_TYPED.exec(before);
    if (!m || (m[2] !== undefined && m[1] !== 'mitigates')) return undefined;
    const ids = await this.server.request(AnnotationIdsRequest, { uri: this.server.uri(doc.uri) }, token).catch(() => undefined);
    if (!ids || token.isCancellationRequested) return undefined;
    const list = m[2] !== undefined ? ids.mitigations : m[1] === 'model' ? ids.elements : ids.threats;
    const range = new vscode.Range(position.translate(0, -m[3].length), position);
    return list.map(c => {
      const item = new vscode.CompletionItem({ label: c.id, description: c.title }, m[1] === 'model' ? vscode.CompletionItemKind.Class : m[2] !== undefined ? vscode.CompletionItemKind.Event : vscode.CompletionItemKind.Issue);
      item.range = range;
      if (c.detail) item.detail = c.detail;
      return item;
    });
  }
}

export function registerTraceFeatures(server: RampartServer): vscode.Disposable[] {
  const features = new AnnotationFeatures(server);
  // The server says when annotations may resolve differently (after it processed a model's close, say).
  void server.start().then(() => server.client.onNotification(TraceChangedNotification, () => features.modelsChanged()), () => {});
  return [
    features,
    vscode.languages.registerCompletionItemProvider(SOURCE_SELECTOR, new AnnotationIdCompletion(server), ' '),
    vscode.languages.registerCodeLensProvider(SOURCE_SELECTOR, features),
    vscode.languages.registerHoverProvider(SOURCE_SELECTOR, features),
    vscode.languages.registerDefinitionProvider(SOURCE_SELECTOR, features),
    vscode.commands.registerCommand(TRACE_COMMANDS.linkSelectionAsEvidence, (args?: LinkEvidenceArgs) => linkSelectionAsEvidence(server, args)),
    vscode.commands.registerCommand(TRACE_COMMANDS.markElementReviewed, (args?: MarkReviewedArgs) => markElementReviewed(server, args)),
  ];
}
