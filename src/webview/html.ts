/**
 * The visual editor's HTML shell, shared by the extension (CustomTextEditorProvider) and the Chromium test so
 * that both run under the same Content Security Policy. No user text goes into this HTML: the model arrives
 * later as a message and is drawn with DOM APIs. Pure string code (no DOM, no Node), safe to import anywhere.
 */

export interface WebviewHtmlOptions {
  /** `webview.cspSource` (or the test server's origin). */
  cspSource: string;
  /** A fresh random nonce per load (letters and digits). */
  nonce: string;
  /** URI of dist/webview/main.js as the webview may load it (`asWebviewUri`). */
  scriptUri: string;
  /** URI of dist/webview/main.css. */
  styleUri: string;
  /** Document title (not shown; for accessibility). */
  title?: string;
}

/**
 * The CSP of the visual editor. Mermaid is bundled into main.js (a nonce does not carry over to dynamically
 * imported chunks) and injects `<style>` elements into its SVG, hence `'unsafe-inline'` for styles only.
 * Workers only from `blob:` URLs the page's own script makes: ELK's layout worker.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // ELK's layout worker, made from a Blob of elk.js's own code (src/webview/elk.ts)
    'worker-src blob:',
  ].join('; ');
}

/**
 * The page's first script, before the bundle (about 1 MB, 150-250 ms to load and start): it takes VS Code's API,
 * keeps the messages that arrive, and says the page is ready, so the extension reads the model and answers while
 * the bundle loads; main.ts takes the API and the kept messages (`rampartBoot`). Constant text, no user input.
 */
export const BOOT_SCRIPT = "(()=>{const api=acquireVsCodeApi(),kept=[],keep=e=>{kept.push(e)};addEventListener('message',keep);window.rampartBoot={api,take(){removeEventListener('message',keep);return kept.splice(0)}};api.postMessage({type:'ready'})})();";

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webviewHtml(o: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('webviewHtml: the nonce must be 16+ URL-safe characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(webviewCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title ?? 'Threat model')}</title>
</head>
<body>
<div id="app" aria-live="polite"><p class="loading">Loading the threat model…</p></div>
<script nonce="${escapeAttr(o.nonce)}">${BOOT_SCRIPT}</script>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
