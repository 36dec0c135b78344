/**
 * ELK (elkjs) for Mermaid's `elk` layout, in a Web Worker, loaded only when a diagram needs it (issue #10).
 *
 * - The build aliases `elkjs/lib/elk.bundled.js`, which Mermaid's ELK layout imports, to this module
 *   (scripts/mermaidFlowchartOnly.mjs), and ships elkjs's worker code as its own script, dist/webview/elk.js:
 *   the main script stays small, and models drawn with dagre never load ELK's 1.5 MB.
 * - elk.js is added with the page's nonce, from the folder main.js came from (`script-src 'nonce-…'`;
 *   `localResourceRoots` is that folder). It defines `RampartElkWorker`: elkjs's worker script as the body of
 *   a function. Its source text (`Function.prototype.toString`) becomes a Blob, and the Blob a Worker: no
 *   fetch and no second request to the webview's resource server, only `worker-src blob:` in the CSP.
 * - The layout then runs off the page's thread: the page keeps handling input while ELK lays a diagram out
 *   (100-500 ms for 50 elements), and ELK's start-up (`prewarmElk`) overlaps Mermaid reading the text and
 *   measuring the labels. A first drawing takes as long as with ELK on the page (same medians within noise);
 *   later ones are faster, as the worker warms ELK's code up in the background (`ElkClient.warmUp`).
 * - Where a Worker cannot be made or dies (a host whose CSP or sandbox refuses blob workers), the same code
 *   runs on the page, as elkjs's own bundled build does (its `FakeWorker`).
 *
 * One worker serves the page: Mermaid makes a `new ELK()` per drawing, and a worker per drawing would start ELK
 * cold every time.
 */

/** What runs ELK's commands: a Worker, or elkjs's in-page stand-in with the same two members. */
interface ElkPort {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
type WorkerSource = (module?: { exports: unknown }, exports?: unknown) => void;
interface ElkGlobals { RampartElkWorker?: WorkerSource }

/** Where layouts run, for the test hook: not yet, in a worker, or on the page. */
export const elkStatus = {
  mode: 'none' as 'none' | 'worker' | 'page', layouts: 0, warmed: false, warmUps: 0,
  /** The last layout's round trip, in milliseconds. */
  lastLayoutMs: undefined as number | undefined,
};

/** The page's own script (main.js): its nonce and folder are those of elk.js. */
function mainScript(): HTMLScriptElement | null {
  return (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[nonce][src]');
}

let loading: Promise<WorkerSource> | undefined;

/** Loads elk.js once; later calls share the same promise (a failed load may be tried again). */
export function loadElk(): Promise<WorkerSource> {
  const global = window as unknown as ElkGlobals;
  if (global.RampartElkWorker) return Promise.resolve(global.RampartElkWorker);
  loading ??= new Promise<WorkerSource>((resolve, reject) => {
    const main = mainScript();
    const script = document.createElement('script');
    script.nonce = main?.nonce ?? '';
    script.src = main?.src ? new URL('elk.js', main.src).href : 'elk.js';
    script.onload = () => (global.RampartElkWorker ? resolve(global.RampartElkWorker) : reject(new Error('elk.js did not define its worker')));
    script.onerror = () => {
      loading = undefined;
      script.remove();
      reject(new Error('The ELK layout could not be loaded.'));
    };
    document.head.append(script);
  });
  return loading;
}

/** elkjs's layout algorithms, registered with the worker first, as elkjs's own API does. */
const ALGORITHMS = ['layered', 'stress', 'mrtree', 'radial', 'force', 'disco', 'sporeOverlap', 'sporeCompaction', 'rectpacking'];

/** Background layouts that warm ELK's code up in its worker (`ElkClient.warmUp`). */
const WARM_RUNS = 5;

/** Commands to ELK by id, each answered once by `{ id, data }` or `{ id, error }`. */
class ElkClient {
  private next = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; message: Record<string, unknown> }>();
  private port: ElkPort;

  constructor(private readonly source: WorkerSource) {
    this.port = this.startWorker() ?? this.startOnPage();
  }

  private startWorker(): ElkPort | undefined {
    let worker: Worker;
    try {
      const url = URL.createObjectURL(new Blob([`(${this.source.toString()})();`], { type: 'text/javascript' }));
      worker = new Worker(url, { name: 'rampart-elk' });
    } catch {
      return undefined; // refused (CSP, sandbox): ELK runs on the page
    }
    // A worker that fails to start, or dies, hands its unanswered commands to the page.
    worker.onerror = event => {
      event.preventDefault();
      worker.terminate();
      if (this.port === (worker as unknown as ElkPort)) this.fallBack();
    };
    elkStatus.mode = 'worker';
    return worker as unknown as ElkPort;
  }

  private startOnPage(): ElkPort {
    const m = { exports: {} as { Worker?: new () => ElkPort } };
    this.source(m, m.exports);
    const Fake = m.exports.Worker;
    if (!Fake) throw new Error('elk.js has no in-page worker');
    elkStatus.mode = 'page';
    return this.attach(new Fake());
  }

  private fallBack(): void {
    this.port = this.startOnPage();
    this.port.postMessage({ id: this.next++, cmd: 'register', algorithms: ALGORITHMS });
    for (const [id, p] of this.pending) {
      if (p.message.cmd === 'register') this.pending.delete(id);
      else this.port.postMessage({ ...p.message, id });
    }
  }

  private attach(port: ElkPort): ElkPort {
    port.onmessage = event => {
      const { id, data, error } = (event.data ?? {}) as { id?: number; data?: unknown; error?: unknown };
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (!p) return;
      this.pending.delete(id!);
      if (error !== undefined) p.reject(error instanceof Error ? error : new Error(String((error as { message?: unknown })?.message ?? error)));
      else p.resolve(data);
    };
    return port;
  }

  start(): void {
    this.attach(this.port);
    void this.send({ cmd: 'register', algorithms: ALGORITHMS }).catch(() => undefined);
  }

  /**
   * ELK's code gets fast only after a few layouts (V8 compiles it as it runs): in its worker, the first layouts
   * of a 50-element graph took 430, 310, 200, 170 and 130 ms, then about 95 ms. So after a drawing, the worker
   * lays that graph out again in the background, up to WARM_RUNS times in all, one at a time and only while no
   * drawing waits for it (a new drawing's layout waits for one warm-up at most). Never on the page's thread,
   * and not on a single core.
   */
  warmUp(graph: unknown): void {
    this.warmGraph = graph;
    this.warmNext();
  }

  private warmGraph: unknown;
  private warmRuns = 0;

  private warmNext(): void {
    if (this.warmRuns >= WARM_RUNS || this.pending.size > 0 || elkStatus.mode !== 'worker' || !(navigator.hardwareConcurrency > 1)) return;
    this.warmRuns++;
    elkStatus.warmUps = this.warmRuns;
    void this.send({ cmd: 'layout', graph: this.warmGraph, layoutOptions: {}, options: {} }).then(() => this.warmNext(), () => undefined);
  }

  send(message: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, message });
      try {
        this.port.postMessage({ ...message, id });
      } catch {
        // not cloneable as it is (a function or a DOM node in Mermaid's graph): send its JSON
        const plain = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
        this.pending.set(id, { resolve, reject, message: plain });
        this.port.postMessage({ ...plain, id });
      }
    });
  }
}

let client: ElkClient | undefined;
let clientLoading: Promise<ElkClient> | undefined;

function elkClient(): Promise<ElkClient> {
  if (client) return Promise.resolve(client);
  clientLoading ??= loadElk().then(source => {
    client ??= new ElkClient(source);
    client.start();
    return client;
  }, e => {
    clientLoading = undefined;
    throw e;
  });
  return clientLoading;
}

/**
 * Copies a laid-out graph that came back from the worker onto the graph Mermaid passed (positions, sizes, edge
 * sections), so Mermaid sees its own objects laid out, as with elkjs's in-page build. ELK keeps the order of
 * `children`, `edges`, `labels` and `ports`.
 */
export function copyLayout(into: unknown, from: unknown): void {
  if (!into || !from || typeof into !== 'object' || typeof from !== 'object' || into === from) return;
  if (Array.isArray(into) && Array.isArray(from)) {
    for (let i = 0; i < from.length; i++) {
      const f = from[i] as unknown;
      if (i < into.length && into[i] && typeof into[i] === 'object' && f && typeof f === 'object') copyLayout(into[i], f);
      else into[i] = f;
    }
    return;
  }
  const target = into as Record<string, unknown>;
  for (const [key, value] of Object.entries(from as Record<string, unknown>)) {
    if (key === '__proto__') continue;
    const held = target[key];
    if (held && typeof held === 'object' && value && typeof value === 'object') copyLayout(held, value);
    else target[key] = value;
  }
}

/**
 * Starts ELK's worker as soon as a diagram is known to need ELK, so that its start-up (1.5 MB of code parsed,
 * its classes initialised) overlaps the page's own work. Returns once the worker exists: elk.js has to run on
 * the page for that, and a script added to the page only runs when the page's thread is free, so the caller
 * awaits this before Mermaid's long synchronous part. Laying a small graph out as well, to compile ELK's code
 * before the first real layout, was measured and dropped: the first layout of a 50-element graph took as long
 * (466 and 519 ms, first drawings 1,681 and 1,670 ms, medians of 5 pages).
 */
export function prewarmElk(): Promise<void> {
  if (!elkStatus.warmed) {
    elkStatus.warmed = true;
    warming = elkClient().then(() => undefined, () => { elkStatus.warmed = false; });
  }
  return warming ?? Promise.resolve();
}
let warming: Promise<void> | undefined;

/** What Mermaid constructs (elkjs's API): every instance sends to the page's one ELK worker. */
export default class ELK {
  constructor(_options?: unknown) {}

  async layout(graph: unknown, options?: { layoutOptions?: unknown; logging?: boolean; measureExecutionTime?: boolean }): Promise<unknown> {
    const c = await elkClient();
    const t0 = performance.now();
    const out = await c.send({ cmd: 'layout', graph, layoutOptions: options?.layoutOptions ?? {}, options: { logging: !!options?.logging, measureExecutionTime: !!options?.measureExecutionTime } });
    elkStatus.layouts++;
    elkStatus.lastLayoutMs = performance.now() - t0;
    copyLayout(graph, out);
    c.warmUp(out);
    return graph;
  }
  knownLayoutOptions(): Promise<unknown> { return elkClient().then(c => c.send({ cmd: 'optionsMeta' })); }
  knownLayoutAlgorithms(): Promise<unknown> { return elkClient().then(c => c.send({ cmd: 'algorithmsMeta' })); }
  knownLayoutCategories(): Promise<unknown> { return elkClient().then(c => c.send({ cmd: 'categoriesMeta' })); }
  /** The worker is the page's, shared by every drawing: it is not Mermaid's to end. */
  terminateWorker(): void {}
}
