/**
 * `rampart/layout`: ELK lays a diagram's graph out in the language server, where it stays warm between
 * drawings, instead of on the visual editor's page, where every new page starts ELK cold (issue #10).
 *
 * The webview sends Mermaid's graph (only the members ELK reads: `layoutGraph`, src/webview/elk.ts) to the
 * extension as a `layout` message; the extension sends it on as this request; the server's ELK worker thread
 * (src/server/layout/) answers with the laid-out graph, which the webview copies back onto Mermaid's. Graphs
 * travel as JSON text: one string to check for size at each hop, and cheap to copy between threads.
 *
 * Nothing here knows about VS Code: any client hosting the webview may send it.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export { LAYOUT_MAX_CHARS } from './layoutLimits';

export interface LayoutParams {
  /** ELK's JSON graph, as text. */
  graphJson: string;
  /** ELK's global layout options (Mermaid passes none; its options are on the graph). */
  layoutOptions?: Record<string, string | number | boolean>;
}
export interface LayoutResult {
  /** The same graph laid out: positions and sizes of nodes, ports and labels, edge sections. */
  graphJson: string;
  /** Milliseconds ELK took in the server. */
  ms: number;
}
export const LayoutRequest = new RequestType<LayoutParams, LayoutResult, void>('rampart/layout');

/** Where the server's ELK stands: not started, warming up, warm; and how many layouts it ran. */
export interface LayoutStatus {
  state: 'off' | 'starting' | 'warming' | 'warm' | 'failed';
  warmUps: number;
  layouts: number;
  /** The ELK script it runs (its file name): `elk.js`, shipped beside the server, or elkjs's own from the sources. */
  engine?: string;
}
/** `rampart/layoutStatus`: where the server's ELK stands, for tests and the bench (which wait until it is warm). */
export const LayoutStatusRequest = new RequestType<Record<string, never>, LayoutStatus, void>('rampart/layoutStatus');

/**
 * `rampart/layoutWarm`: the server's ELK has become warm (sent to a client that draws diagrams). The client keeps
 * the flag and tells each new visual editor page (`layoutService {warm}`) without asking the server first.
 */
export const LayoutWarmNotification = new NotificationType<Record<string, never>>('rampart/layoutWarm');
