/** Limits of the diagram drawings a visual editor page hands the extension to keep (`keepDrawing`, drawingStore.ts). */

/** How many drawings the extension keeps per model for its next page. */
export const KEPT_DRAWINGS_PER_MODEL = 3;
/** A drawing's structure key (webview/restyle.ts `drawingKey`). */
export const DRAWING_KEY_MAX = 200;
/** Mermaid's markup of a drawing (a 50-element drawing is about 200,000 characters, a focused 300-element view 300,000). */
export const DRAWING_MAX_CHARS = 2_000_000;
