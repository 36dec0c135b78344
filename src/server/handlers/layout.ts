/**
 * `rampart/layout` and `rampart/layoutStatus` (src/shared/layoutRequests.ts): the visual editor's ELK layouts,
 * run by the server's ELK worker thread (src/server/layout/service.ts), which stays warm from one drawing to
 * the next. The graph is the webview's (built by Mermaid from the model's text): it is only checked for size
 * here and parsed as JSON in the worker; a graph ELK refuses, or a layout that runs too long, gets an error
 * answer, never a crash of the server.
 *
 * A client that draws diagrams says so (`initializationOptions.diagramLayout`); its server then warms ELK up
 * a few seconds after a model is opened, before a visual editor opened later asks (one that asks before the
 * server's ELK is warm lays its first diagram out itself).
 */
import { ResponseError, ErrorCodes, type CancellationToken } from 'vscode-languageserver/node';
import { LAYOUT_MAX_CHARS, LayoutRequest, LayoutStatusRequest, LayoutWarmNotification, type LayoutParams, type LayoutResult } from '../../shared/layoutRequests';
import { LayoutService } from '../layout/service';
import { cancelled, type ServerContext } from '../context';

/**
 * How long after the first model is opened the warm-up starts. A visual editor opened with the model (VS Code
 * restoring its tab) draws its first diagram with the page's ELK within about 1.5 s; a warm-up beside it took
 * the page's CPU on a 2-core machine (its first diagram 1.74 s instead of 1.52 s).
 */
const WARM_UP_DELAY_MS = 3000;

export function registerLayout(ctx: ServerContext, service = new LayoutService()): { warmUp(): void; dispose(): void } {
  ctx.connection.onRequest(LayoutRequest, async (params: LayoutParams, token?: CancellationToken): Promise<LayoutResult> => {
    const json = params?.graphJson;
    if (typeof json !== 'string' || !json.startsWith('{')) throw new ResponseError(ErrorCodes.InvalidParams, 'The layout request has no graph.');
    if (json.length > LAYOUT_MAX_CHARS) throw new ResponseError(ErrorCodes.InvalidParams, `The diagram is too large to lay out (${Math.round(json.length / 1000)} K characters; at most ${LAYOUT_MAX_CHARS / 1000} K).`);
    const options = params.layoutOptions && typeof params.layoutOptions === 'object' && !Array.isArray(params.layoutOptions) ? params.layoutOptions : {};
    if (token?.isCancellationRequested) throw cancelled();
    try {
      const r = await service.layout(json, options);
      return { graphJson: r.graphJson, ms: r.ms };
    } catch (e) {
      throw new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
    }
  });
  // by method name: a client may send it with no params
  ctx.connection.onRequest(LayoutStatusRequest.method, () => service.status());
  // a client that draws diagrams learns when the server's ELK is warm (it then offers it to new pages)
  service.onWarm = () => {
    if (ctx.features.diagramLayout) void ctx.connection.sendNotification(LayoutWarmNotification, {}).catch(() => {});
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    warmUp: () => {
      if (!ctx.features.diagramLayout || timer) return;
      timer = setTimeout(() => service.warmUp(), WARM_UP_DELAY_MS);
    },
    dispose: () => {
      clearTimeout(timer);
      service.dispose();
    },
  };
}
