/**
 * Which open models the language server treats as open ("live"): those shown in a tab (text, diff, or the
 * visual editor) and untitled ones. VS Code keeps a document open for minutes after its last tab closes (and
 * a document an extension opened without showing it), so `didClose` would come late: a closed model would
 * keep the diagnostics of its unsaved text, and with `rampart.diagnostics.scope: openFiles` would keep them at
 * all. So, when a model's last tab closes, the server is told the document closed (it then publishes what is
 * saved on disk, or nothing), and when a tab shows it again, that it opened with its current text. The
 * client's own open/change/close notifications for such a hidden document are held back by `middleware`.
 */
import * as vscode from 'vscode';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, type LanguageClient, type Middleware } from 'vscode-languageclient/node';
import { isThreatModel } from './models';

/** The URIs a tab shows (both sides of a diff; the visual editor's model). */
function tabUris(tab: vscode.Tab): vscode.Uri[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return [input.uri];
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  return [];
}

function inTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some(g => g.tabs.some(t => tabUris(t).some(u => u.toString() === key)));
}

export class LiveDocuments implements vscode.Disposable {
  /** Open documents the server was told are closed (no tab shows them). */
  private readonly hidden = new Set<string>();
  private client: LanguageClient | undefined;
  private readonly subscription: vscode.Disposable;

  readonly middleware: Middleware = {
    didOpen: (doc, next) => {
      this.hidden.delete(doc.uri.toString());
      return next(doc);
    },
    didChange: (e, next) => (this.hidden.has(e.document.uri.toString()) ? Promise.resolve() : next(e)),
    didSave: (doc, next) => (this.hidden.has(doc.uri.toString()) ? Promise.resolve() : next(doc)),
    didClose: (doc, next) => (this.hidden.delete(doc.uri.toString()) ? Promise.resolve() : next(doc)),
  };

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.window.tabGroups.onDidChangeTabs(e => this.tabsChanged(e));
  }

  /** Starts acting once the client runs (notifications before that would be refused). */
  attach(client: LanguageClient): void {
    this.client = client;
  }

  private document(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === key);
    return doc && !doc.isClosed && isThreatModel(doc) && !doc.isUntitled ? doc : undefined;
  }

  private tabsChanged(e: vscode.TabChangeEvent): void {
    const client = this.client;
    if (!client?.isRunning()) return;
    for (const tab of e.opened) {
      for (const uri of tabUris(tab)) {
        const key = uri.toString();
        const doc = this.document(uri);
        if (!doc || !this.hidden.delete(key)) continue;
        client.sendNotification(DidOpenTextDocumentNotification.type, client.code2ProtocolConverter.asOpenTextDocumentParams(doc))
          .catch(err => this.log.warn(`could not reopen ${key} on the language server: ${err}`));
      }
    }
    for (const tab of e.closed) {
      for (const uri of tabUris(tab)) {
        const key = uri.toString();
        const doc = this.document(uri);
        if (!doc || this.hidden.has(key) || inTab(uri) || !vscode.languages.match(client.clientOptions.documentSelector as vscode.DocumentSelector, doc)) continue;
        this.hidden.add(key);
        client.sendNotification(DidCloseTextDocumentNotification.type, client.code2ProtocolConverter.asCloseTextDocumentParams(doc))
          .catch(err => this.log.warn(`could not close ${key} on the language server: ${err}`));
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
