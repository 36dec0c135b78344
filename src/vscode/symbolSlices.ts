/**
 * The outline of a very large model converted in slices. VS Code asks for every document symbol after each pause
 * in typing (breadcrumbs, sticky scroll, the Outline view); a 2,000-component model has over 7,000. The language
 * client converts each top-level symbol with all its children in one go, and a section of 2,000 elements took
 * about 30 ms of the extension host's thread in one task, on top of reading the reply. Past `LENS_WINDOW_LINES`
 * lines (the size where CodeLens is windowed too, src/vscode/lensWindow.ts), this middleware converts the same
 * reply itself and yields to the event loop every few milliseconds, so typing never waits behind the outline.
 * The symbols are the server's, unchanged: smaller documents go through the client as before.
 */
import * as vscode from 'vscode';
import { DocumentSymbolRequest, type DocumentSymbol, type LanguageClient, type Middleware, type SymbolInformation } from 'vscode-languageclient/node';
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
      const reply = await client.sendRequest(DocumentSymbolRequest.type, client.code2ProtocolConverter.asDocumentSymbolParams(document), token);
      if (!reply || token.isCancellationRequested) return undefined;
      if (reply.length && 'location' in reply[0]!) return client.protocol2CodeConverter.asSymbolInformations(reply as SymbolInformation[], token);
      return toCodeSymbols(reply as DocumentSymbol[], client.protocol2CodeConverter, token);
    },
  };

  attach(client: LanguageClient): void {
    this.client = client;
  }
}

/** The LSP symbols as VS Code's, converted in slices of at most `SLICE_MS` (undefined when cancelled meanwhile). */
export async function toCodeSymbols(symbols: readonly DocumentSymbol[], p2c: Protocol2CodeConverter, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[] | undefined> {
  const out: vscode.DocumentSymbol[] = [];
  // depth first, with an explicit stack: a symbol is attached to its parent's children in order
  const stack: { from: DocumentSymbol; into: vscode.DocumentSymbol[] }[] = [];
  for (let i = symbols.length - 1; i >= 0; i--) stack.push({ from: symbols[i]!, into: out });
  let sliceStart = performance.now();
  let n = 0;
  while (stack.length) {
    const { from, into } = stack.pop()!;
    // each symbol as the client converts one (its converters), only the walk is ours
    const s = new vscode.DocumentSymbol(from.name, from.detail ?? '', p2c.asSymbolKind(from.kind), p2c.asRange(from.range), p2c.asRange(from.selectionRange));
    const tags = p2c.asSymbolTags(from.tags);
    if (tags?.length) s.tags = tags;
    into.push(s);
    const children = from.children;
    if (children?.length) {
      for (let i = children.length - 1; i >= 0; i--) stack.push({ from: children[i]!, into: s.children });
    }
    if (++n % CHECK_EVERY === 0 && performance.now() - sliceStart > SLICE_MS) {
      await yieldTurn();
      if (token.isCancellationRequested) return undefined;
      sliceStart = performance.now();
    }
  }
  return out;
}
