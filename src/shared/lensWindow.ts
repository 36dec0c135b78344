/** CodeLens of documents with more lines than this come only for the lines around the visible ones (src/vscode/lensWindow.ts). */
export const LENS_WINDOW_LINES = 5_000;
