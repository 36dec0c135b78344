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
  /**
   * The client draws diagrams and asks the server to lay them out (`rampart/layout`): the server then warms its
   * layout engine up once a model is opened, so that the first diagram finds it fast.
   */
  diagramLayout?: boolean;
}
