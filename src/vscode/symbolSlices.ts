/**
 * The outline of a very large model converted in slices. VS Code asks for every document symbol after each pause
 * in typing (breadcrumbs, sticky scroll, the Outline view); a 2,000-component model has over 7,000. The language
 * client converts each top-level symbol with all its children in one go, and a section of 2,000 elements took
 * about 30 ms of the extension host's thread in one task, on top of reading the reply. Past `LENS_WINDOW_LINES`
 * lines (the size where CodeLens is windowed too, src/vscode/lensWindow.ts), this middleware asks the server for
 * the same symbols in a compact form (`rampart/outline`: one JSON text, about a fifth of the 1.6 MB the
 * standard reply takes, read without building 7,000 objects on the IPC channel's turn), builds VS Code's symbols
 * itself and yields to the event loop every few milliseconds, so typing never waits behind the outline.
 * Smaller documents go through the client as before.
 */
import * as vscode from 'vscode';
import type { LanguageClient, Middleware, SymbolKind } from 'vscode-languageclient/node';
import { OutlineRequest } from '../shared/requests';
import { LENS_WINDOW_LINES } from '../shared/lensWindow';

type Protocol2CodeConverter = LanguageClient['protocol2CodeConverter'];

/** The longest stretch of conversion before the event loop gets a turn. */
const SLICE_MS = 4;
/** Symbols converted between two looks at the clock. */
const CHECK_EVERY = 64;

const yieldTurn = () => new Promise<void>(resolve => setImmediate(resolve));

export class SymbolSlices {
  private client: LanguageClient | undefined;

  readonly middleware: Middleware = {
    provideDocumentSymbols: async (document, token, next) => {
      const client = this.client;
      if (!client || document.lineCount <= LENS_WINDOW_LINES) return next(document, token);
      const reply = await client.sendRequest(OutlineRequest, { uri: client.code2ProtocolConverter.asUri(document.uri) }, token);
      if (!reply || token.isCancellationRequested) return undefined;
      return fromCompact(reply.symbols, client.protocol2CodeConverter, token);
    },
  };

  attach(client: LanguageClient): void {
    this.client = client;
  }
}

type CompactSymbol = [depth: number, kind: number, name: string, detail: string, ...positions: number[]];

/**
 * The compact outline (`rampart/outline`) as VS Code's symbols, built in slices of at most `SLICE_MS` (undefined
 * when cancelled meanwhile). The kinds go through the language client's converter, as for `documentSymbol`.
 */
export async function fromCompact(json: string, p2c: Protocol2CodeConverter, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[] | undefined> {
  let rows: CompactSymbol[];
  try {
    rows = JSON.parse(json) as CompactSymbol[];
  } catch {
    return undefined;
  }
  const out: vscode.DocumentSymbol[] = [];
  // parents[d] is the last symbol of depth d: a symbol of depth d + 1 goes into its children
  const parents: vscode.DocumentSymbol[] = [];
  // Entries have no children. VS Code's host copies `children` when it is there, an empty list included, and
  // serializes the copy to the window with a replacer called for every key: without it, a 7,000-symbol outline
  // is about a tenth cheaper to send (VS Code's own converter gives its API callers `[]` again).
  const leaves: vscode.DocumentSymbol[] = [];
  let sliceStart = performance.now();
  for (let i = 0; i < rows.length; i++) {
    const [depth, kind, name, detail, sl, sc, el, ec, ssl, ssc, sel, sec] = rows[i]!;
    const s = new vscode.DocumentSymbol(name, detail, p2c.asSymbolKind(kind as SymbolKind), new vscode.Range(sl!, sc!, el!, ec!), new vscode.Range(ssl!, ssc!, sel!, sec!));
    const into = depth === 0 ? out : parents[depth - 1]?.children;
    if (!into) return undefined; // not a tree: nothing rather than a wrong outline
    into.push(s);
    parents[depth] = s;
    parents.length = depth + 1;
    if (depth > 0) leaves.push(s);
    if ((i + 1) % CHECK_EVERY === 0 && performance.now() - sliceStart > SLICE_MS) {
      await yieldTurn();
      if (token.isCancellationRequested) return undefined;
      sliceStart = performance.now();
    }
  }
  for (const s of leaves) if (s.children.length === 0) (s as { children?: vscode.DocumentSymbol[] }).children = undefined;
  return out;
}
