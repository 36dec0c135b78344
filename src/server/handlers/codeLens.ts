/**
 * `textDocument/codeLens`: a line over each threat (`high · open · 1/2 mitigations implemented`) and each
 * element and flow (`2 open threats (1 high)`), from the core (`lenses`). Informational: the command is empty,
 * so clients show the title without running anything. Switched off with `rampart.codeLens.enabled`; clients
 * that support it are asked to refresh after each published analysis (`workspace/codeLens/refresh`).
 */
import { CodeLensRefreshRequest, type CancellationToken, type CodeLens, type CodeLensParams } from 'vscode-languageserver/node';
import { lenses } from '../../core/lang/outline';
import { snapshotFor, type ServerContext } from '../context';
import { toRange } from '../convert';

export async function codeLenses(ctx: ServerContext, params: CodeLensParams, token: CancellationToken): Promise<CodeLens[] | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  if (!snap.settings.codeLens) return [];
  return lenses(snap.analysis).map(l => ({ range: toRange(snap.doc, l.range), command: { title: l.title, command: '' } }));
}

/** Asks the client to fetch the lenses again (debounced: one refresh for a burst of publications). */
export function codeLensRefresher(ctx: ServerContext): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (!ctx.features.codeLensRefresh || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => { /* the client may have gone */ });
    }, 50);
  };
}

export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens((params, token) => codeLenses(ctx, params, token));
}
