/**
 * What a client may put in `initializationOptions` when it starts `rampart lsp` (anything else there is ignored).
 * The VS Code extension sends VS Code's own limits; other editors may send the same.
 */
export interface InitializationOptions {
  /**
   * The most diagnostics the client shows per file: the server then sends the most severe (one fewer) and a
   * last one saying how many more there are. No limit when absent.
   */
  maxDiagnosticsPerFile?: number;
}
