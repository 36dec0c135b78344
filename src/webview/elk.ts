/**
 * ELK (elkjs) for Mermaid's `elk` layout, loaded only when a diagram needs it (issue #10). The build aliases
 * `elkjs/lib/elk.bundled.js`, which Mermaid's ELK layout imports, to this module
 * (scripts/mermaidFlowchartOnly.mjs) and ships elkjs as its own script, dist/webview/elk.js: the webview's
 * main script stays small, and models drawn with dagre never load the 1.5 MB of ELK.
 *
 * The script is added with the page's nonce, from the folder main.js came from, so the CSP is unchanged
 * (`script-src 'nonce-…'`; `localResourceRoots` is that folder). It defines `window.ELK` (elkjs's UMD build).
 */
interface ElkApi {
  layout(graph: unknown, options?: unknown): Promise<unknown>;
  knownLayoutOptions(): Promise<unknown>;
  knownLayoutAlgorithms(): Promise<unknown>;
  knownLayoutCategories(): Promise<unknown>;
  terminateWorker?(): void;
}
type ElkConstructor = new (options?: unknown) => ElkApi;

/** The page's own script (main.js): its nonce and folder are those of elk.js. */
function mainScript(): HTMLScriptElement | null {
  return (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[nonce][src]');
}

let loading: Promise<ElkConstructor> | undefined;

/** Loads elk.js once; later calls share the same promise (a failed load may be tried again). */
export function loadElk(): Promise<ElkConstructor> {
  const global = window as unknown as { ELK?: ElkConstructor };
  if (global.ELK) return Promise.resolve(global.ELK);
  loading ??= new Promise<ElkConstructor>((resolve, reject) => {
    const main = mainScript();
    const script = document.createElement('script');
    script.nonce = main?.nonce ?? '';
    script.src = main?.src ? new URL('elk.js', main.src).href : 'elk.js';
    script.onload = () => (global.ELK ? resolve(global.ELK) : reject(new Error('elk.js did not define ELK')));
    script.onerror = () => {
      loading = undefined;
      script.remove();
      reject(new Error('The ELK layout could not be loaded.'));
    };
    document.head.append(script);
  });
  return loading;
}

/** What Mermaid constructs: the elkjs API, loading the real ELK at the first call. */
export default class ELK implements ElkApi {
  private real: ElkApi | undefined;
  constructor(private readonly options?: unknown) {}

  private async elk(): Promise<ElkApi> {
    this.real ??= new (await loadElk())(this.options);
    return this.real;
  }

  async layout(graph: unknown, options?: unknown): Promise<unknown> { return (await this.elk()).layout(graph, options); }
  async knownLayoutOptions(): Promise<unknown> { return (await this.elk()).knownLayoutOptions(); }
  async knownLayoutAlgorithms(): Promise<unknown> { return (await this.elk()).knownLayoutAlgorithms(); }
  async knownLayoutCategories(): Promise<unknown> { return (await this.elk()).knownLayoutCategories(); }
  terminateWorker(): void { this.real?.terminateWorker?.(); }
}
