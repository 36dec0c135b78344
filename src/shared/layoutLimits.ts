/**
 * Limits of the visual editor's layout requests (`layout` / `layoutDone` messages, `rampart/layout`), in their
 * own module: the webview imports them without the language server protocol's code.
 */

/** The largest graph (JSON characters) the webview may send and the server lays out: a 300-node diagram is ~150 K. */
export const LAYOUT_MAX_CHARS = 4_000_000;
/** The laid-out graph carries positions and edge sections besides: the answer may be this much larger. */
export const LAYOUT_RESULT_MAX_CHARS = 3 * LAYOUT_MAX_CHARS;
