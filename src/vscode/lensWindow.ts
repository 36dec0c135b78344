/**
 * CodeLens of a very large model only around what the editors show. VS Code asks for every lens of a document
 * after each pause in typing and converts all of them on the extension host's thread: a 2,000-component model
 * has over 6,000, and converting them was the host's longest task while typing (about 100 ms). Past
 * `LENS_WINDOW_LINES` lines, the client asks the server for the lenses within `MARGIN` lines of the visible ranges (`rampartLines`), and asks
 * again when scrolling leaves that window. Smaller models get every lens, as before.
 */
import * as vscode from 'vscode';
import { CodeLensRequest, type LanguageClient, type Middleware } from 'vscode-languageclient/node';
import { LENS_WINDOW_LINES } from '../shared/lensWindow';

/** Lines above and below the visible ones whose lenses are kept. */
const MARGIN = 300;

interface Span {
  from: number;
  to: number;
}

export class LensWindow implements vscode.Disposable {
  private client: LanguageClient | undefined;
  /** Per document URI: the lines whose lenses the editor has. */
  private readonly windows = new Map<string, Span>();
  private readonly subscriptions: vscode.Disposable[];

  readonly middleware: Middleware = {
    provideCodeLenses: async (document, token, next) => {
      const client = this.client;
      if (!client || document.lineCount <= LENS_WINDOW_LINES) return next(document, token);
      const seen = visibleSpan(document.uri.toString());
      const span = { from: Math.max(0, (seen?.from ?? 0) - MARGIN), to: (seen?.to ?? 0) + MARGIN };
      this.windows.set(document.uri.toString(), span);
      // the server (the one this extension bundles) sends only the lenses of these lines
      const params = { ...client.code2ProtocolConverter.asCodeLensParams(document), rampartLines: { from: span.from, to: span.to } };
      const near = await client.sendRequest(CodeLensRequest.type, params, token);
      if (!near || token.isCancellationRequested) return null;
      return client.protocol2CodeConverter.asCodeLenses(near, token);
    },
  };

  constructor() {
    this.subscriptions = [
      vscode.window.onDidChangeTextEditorVisibleRanges(e => this.scrolled(e.textEditor.document)),
      vscode.window.onDidChangeVisibleTextEditors(editors => { for (const ed of editors) this.scrolled(ed.document); }),
      vscode.workspace.onDidCloseTextDocument(doc => this.windows.delete(doc.uri.toString())),
    ];
  }

  attach(client: LanguageClient): void {
    this.client = client;
  }

  /** Asks for the lenses again when the visible lines left the window they were given for. */
  private scrolled(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    const span = this.windows.get(uri);
    const seen = visibleSpan(uri);
    if (!span || !seen || (seen.from >= span.from && seen.to <= span.to)) return;
    const feature = this.client?.getFeature(CodeLensRequest.method);
    feature?.getProvider(document)?.onDidChangeCodeLensEmitter.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The lines the editors showing `uri` have on screen, from the first to the last. */
function visibleSpan(uri: string): Span | undefined {
  let span: Span | undefined;
  for (const ed of vscode.window.visibleTextEditors) {
    if (ed.document.uri.toString() !== uri) continue;
    for (const r of ed.visibleRanges) {
      span = { from: Math.min(span?.from ?? r.start.line, r.start.line), to: Math.max(span?.to ?? r.end.line, r.end.line) };
    }
  }
  return span;
}
