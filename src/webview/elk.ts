/**
 * ELK (elkjs) for Mermaid's `elk` layout: a page's first layout in the language server when the extension offers
 * it warm (`layoutService`), else on the page; the later ones in a Web Worker; loaded only when a diagram needs it
 * (issue #10).
 *
 * - With the extension's layout service (`HostLayout`), the page sends Mermaid's graph, only the members ELK
 *   reads (`layoutGraph`), as JSON text (`layout`) and copies the answer (`layoutDone`) back onto Mermaid's
 *   graph. The server's ELK stays warm between pages: a new page's first layout of 50 elements takes 130-250 ms
 *   there against 430-700 ms for a cold ELK on the page, and the page's thread is free meanwhile (the visual
 *   editor builds its tables: `onLayoutWait`). The page's worker then warms up on that graph and takes the
 *   later layouts (faster for edits, see `ELK.layout`). When the extension cannot lay a graph out (no server,
 *   an error), the page does it with its own ELK, as below.
 *
 * - The build aliases `elkjs/lib/elk.bundled.js`, which Mermaid's ELK layout imports, to this module
 *   (scripts/mermaidFlowchartOnly.mjs), and ships elkjs's worker code as its own script, dist/webview/elk.js:
 *   the main script stays small, and models drawn with dagre never load ELK's 1.5 MB.
 * - elk.js is added with the page's nonce, from the folder main.js came from (`script-src 'nonce-…'`;
 *   `localResourceRoots` is that folder). It defines `RampartElkWorker`: elkjs's worker script as the body of
 *   a function. Called on the page, it gives elkjs's in-page `FakeWorker`; its source text
 *   (`Function.prototype.toString`) in a Blob gives a Worker: no fetch and no second request to the webview's
 *   resource server, only `worker-src blob:` in the CSP.
 * - A first drawing lays out on the page (`ElkClient`, for why); then the worker warms up in the background and
 *   takes every later layout, so the page keeps handling input while ELK lays a diagram out, and the layout
 *   after an edit finds ELK's code compiled.
 *
 * One ELK of each kind serves the page: Mermaid makes a `new ELK()` per drawing, and a new ELK per drawing
 * would start cold every time.
 */

import { copyLayout, layoutGraph, tuneForSize } from '../shared/layoutGraph';

/** What runs ELK's commands: a Worker, or elkjs's in-page stand-in with the same two members. */
interface ElkPort {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
type WorkerSource = (module?: { exports: unknown }, exports?: unknown) => void;
interface ElkGlobals { RampartElkWorker?: WorkerSource }

/** Where layouts run, for the test hook. */
export const elkStatus = {
  /** Where the last layout ran, and how many ran where. */
  mode: 'none' as 'none' | 'worker' | 'page' | 'host', layouts: 0, pageLayouts: 0, workerLayouts: 0, hostLayouts: 0,
  /** Whether the extension lays graphs out (`layoutService`); false again after it failed one. */
  host: false, hostErrors: 0,
  /** The worker: not started yet, starting (warming up), ready, refused (no Worker could be made) or failed. */
  worker: 'none' as 'none' | 'starting' | 'ready' | 'refused' | 'failed',
  loading: false, warmUps: 0,
  /** The worker's warm-up layouts have started and are not all done. */
  warming: false,
  /** Layouts of large graphs given fewer crossing sweeps (`tuneForSize`). */
  fewSweeps: 0,
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

/** elkjs's layout algorithms, registered first with each ELK, as elkjs's own API does. */
const ALGORITHMS = ['layered', 'stress', 'mrtree', 'radial', 'force', 'disco', 'sporeOverlap', 'sporeCompaction', 'rectpacking'];

/** Background layouts that warm ELK's code up in its worker (`ElkClient.warmUp`). */
const WARM_RUNS = 16;

interface Pending { resolve(v: unknown): void; reject(e: unknown): void; message: Record<string, unknown>; warmUp: boolean }

/** Commands to one ELK (the worker, or the page's), by id, each answered once by `{ id, data }` or `{ id, error }`. */
class Channel {
  private next = 0;
  readonly pending = new Map<number, Pending>();

  constructor(private readonly port: ElkPort) {
    port.onmessage = event => {
      const { id, data, error } = (event.data ?? {}) as { id?: number; data?: unknown; error?: unknown };
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (!p) return;
      this.pending.delete(id!);
      if (error !== undefined) p.reject(error instanceof Error ? error : new Error(String((error as { message?: unknown })?.message ?? error)));
      else p.resolve(data);
    };
    void this.send({ cmd: 'register', algorithms: ALGORITHMS }).catch(() => undefined);
  }

  send(message: Record<string, unknown>, warmUp = false): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, message, warmUp });
      try {
        try {
          this.port.postMessage({ ...message, id });
        } catch {
          // not cloneable as it is (a function or a DOM node in Mermaid's graph): send its JSON
          const plain = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
          this.pending.set(id, { resolve, reject, message: plain, warmUp });
          this.port.postMessage({ ...plain, id });
        }
      } catch (e) {
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  /** The commands still unanswered, taken away (a worker that died). */
  drain(): Pending[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }
}

/**
 * Where each layout runs. The first drawing's layout runs on the page, with elk.js's code as the browser has
 * compiled and cached it: in a new worker ELK's 1.5 MB are compiled afresh, and a first drawing took about
 * 200 ms longer there (1,458 against 1,708 ms from the webview's creation, medians of 7 pages). After that
 * layout the worker starts and warms up in the background; once it has laid a graph out, every later layout
 * goes to it, off the page's thread. Where a Worker cannot be made, or dies, the page keeps doing the layouts.
 */
class ElkClient {
  private pageChannel: Channel | undefined;
  private worker: Channel | undefined;
  private workerReady = false;

  constructor(private readonly source: WorkerSource) {}

  private page(): Channel {
    if (!this.pageChannel) {
      const m = { exports: {} as { Worker?: new () => ElkPort } };
      this.source(m, m.exports);
      const Fake = m.exports.Worker;
      if (!Fake) throw new Error('elk.js has no in-page worker');
      this.pageChannel = new Channel(new Fake());
    }
    return this.pageChannel;
  }

  private startWorker(): void {
    if (this.worker || elkStatus.worker !== 'none') return;
    let worker: Worker;
    try {
      const url = URL.createObjectURL(new Blob([`(${this.source.toString()})();`], { type: 'text/javascript' }));
      worker = new Worker(url, { name: 'rampart-elk' });
    } catch {
      elkStatus.worker = 'refused'; // by the CSP or the sandbox: ELK stays on the page
      return;
    }
    elkStatus.worker = 'starting';
    const channel = new Channel(worker as unknown as ElkPort);
    // A worker that fails to start, or dies, hands its unanswered layouts to the page (warm-ups are dropped).
    worker.onerror = event => {
      event.preventDefault();
      worker.terminate();
      elkStatus.worker = 'failed';
      elkStatus.warming = false;
      this.worker = undefined;
      this.workerReady = false;
      for (const p of channel.drain()) {
        if (p.warmUp || p.message.cmd === 'register') p.resolve(undefined);
        else this.page().send(p.message).then(p.resolve, p.reject);
      }
    };
    this.worker = channel;
  }

  /** Whether the worker is warm (it then takes every layout, also those the extension would have done). */
  get warm(): boolean {
    return this.workerReady && !!this.worker;
  }

  /** Where commands go now: the worker once it is warm, else the page. */
  private target(): Channel {
    return (this.workerReady ? this.worker : undefined) ?? this.page();
  }

  async layout(message: Record<string, unknown>): Promise<unknown> {
    const channel = this.target();
    elkStatus.mode = channel === this.worker ? 'worker' : 'page';
    if (channel === this.worker) elkStatus.workerLayouts++;
    else elkStatus.pageLayouts++;
    return channel.send(message);
  }

  /** Whether a drawing's graph is still wanted for warming the worker up (else the caller need not copy it). */
  wantsWarmUp(): boolean {
    return this.warmRuns < WARM_RUNS && navigator.hardwareConcurrency > 1 && (elkStatus.worker === 'none' || elkStatus.worker === 'starting' || elkStatus.worker === 'ready');
  }

  /**
   * After a drawing: the worker lays that graph out again in the background, up to WARM_RUNS times in all, one
   * at a time and only while no drawing waits for it. ELK's code gets fast only after many layouts (V8 compiles
   * it as it runs; a 50-element graph in a worker: 400-560, 250-380, 180-250 ms for the first three, 110-150 ms
   * after five, 80-105 ms after fifteen). With 16 rather than 5, adding a flow to the 50-element model took
   * 278-306 ms instead of 354-440 (bench medians, alternating builds). Not on a single core, where it would
   * compete with the page.
   */
  warmUp(graph: unknown): void {
    if (!this.wantsWarmUp()) return;
    this.startWorker();
    this.warmGraph = graph;
    this.warmNext();
  }

  private warmGraph: unknown;
  private warmRuns = 0;

  private warmNext(): void {
    const worker = this.worker;
    // one at a time, and never while a drawing's layout waits (the registration aside)
    if (!worker || this.warmRuns >= WARM_RUNS || [...worker.pending.values()].some(p => p.message.cmd !== 'register')) return;
    this.warmRuns++;
    elkStatus.warmUps = this.warmRuns;
    elkStatus.warming = true;
    void worker.send({ cmd: 'layout', graph: this.warmGraph, layoutOptions: {}, options: {} }, true).then(() => {
      if (this.worker === worker) {
        this.workerReady = true;
        elkStatus.worker = 'ready';
      }
      if (this.warmRuns >= WARM_RUNS) elkStatus.warming = false;
      this.warmNext();
    }, () => { elkStatus.warming = false; });
  }

  /** The page's ELK, made ready before a first layout needs it. */
  preparePage(): void {
    this.page();
  }

  meta(cmd: string): Promise<unknown> {
    return this.target().send({ cmd });
  }
}

/** Milliseconds the page waits for the extension's layout before laying the graph out itself. */
const HOST_LAYOUT_TIMEOUT_MS = 45_000;

/** The extension's layout service: `layout` messages out, `layoutDone` answers in, by id. */
class HostLayout {
  private next = 1;
  private readonly pending = new Map<number, { resolve(graph: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly post: (m: { type: 'layout'; id: number; graphJson: string; layoutOptions?: Record<string, string | number | boolean> }) => void) {}

  layout(graph: unknown, layoutOptions: unknown): Promise<unknown> {
    const id = this.next++;
    const graphJson = JSON.stringify(layoutGraph(graph));
    const options = layoutOptions && typeof layoutOptions === 'object' && Object.keys(layoutOptions).length ? layoutOptions as Record<string, string | number | boolean> : undefined;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('The extension did not lay the diagram out in time.'));
      }, HOST_LAYOUT_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.post({ type: 'layout', id, graphJson, ...(options ? { layoutOptions: options } : {}) });
    });
  }

  done(m: { id?: unknown; graphJson?: unknown; error?: unknown }): void {
    const p = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    if (!p) return;
    this.pending.delete(m.id as number);
    clearTimeout(p.timer);
    if (typeof m.graphJson === 'string') {
      try {
        p.resolve(JSON.parse(m.graphJson));
        return;
      } catch {
        p.reject(new Error('The extension answered with an unreadable layout.'));
        return;
      }
    }
    p.reject(new Error(typeof m.error === 'string' ? m.error : 'The extension could not lay the diagram out.'));
  }
}

let host: HostLayout | undefined;

/**
 * The extension lays diagrams out (`layoutService`) with the language server's ELK: layouts go to it until the
 * page's own worker is warm. Only when the server's ELK is warm already: a visual editor opened as the server
 * starts would wait behind its warm-up, and the page's ELK is sooner then.
 */
export function useHostLayout(post: ConstructorParameters<typeof HostLayout>[0], warm: boolean): void {
  if (!warm) return;
  host ??= new HostLayout(post);
  elkStatus.host = true;
}

/** The extension's answer to a `layout` message. */
export function hostLayoutDone(m: { id?: unknown; graphJson?: unknown; error?: unknown }): void {
  host?.done(m);
}

let waitHook: () => void = () => {};

/**
 * What the page does while a graph is laid out off its thread (by the extension, or in the worker): the visual
 * editor builds its tables meanwhile. Runs at most once per layout, never fails one.
 */
export function onLayoutWait(fn: () => void): void {
  waitHook = fn;
}

/** Forgets `fn` as the wait's work, unless another has replaced it since. */
export function endLayoutWait(fn: () => void): void {
  if (waitHook === fn) waitHook = () => {};
}

function whileWaiting(): void {
  try {
    waitHook();
  } catch {
    // the page's own work while it waits never fails a layout
  }
}

let client: ElkClient | undefined;
let clientLoading: Promise<ElkClient> | undefined;

function elkClient(): Promise<ElkClient> {
  if (client) return Promise.resolve(client);
  clientLoading ??= loadElk().then(source => {
    client ??= new ElkClient(source);
    return client;
  }, e => {
    clientLoading = undefined;
    throw e;
  });
  return clientLoading;
}

/**
 * Loads elk.js as soon as a diagram is known to need ELK, while the page builds its tables and Mermaid reads the
 * text; the page's ELK is initialised when the page's thread is next free.
 */
export function prewarmElk(): void {
  if (elkStatus.loading || elkStatus.host) return;
  elkStatus.loading = true;
  void elkClient().then(c => setTimeout(() => c.preparePage(), 0), () => { elkStatus.loading = false; });
}

/** What Mermaid constructs (elkjs's API): every instance sends to the page's one ELK client. */
export default class ELK {
  constructor(_options?: unknown) {}

  async layout(graph: unknown, options?: { layoutOptions?: unknown; logging?: boolean; measureExecutionTime?: boolean }): Promise<unknown> {
    if (tuneForSize(graph)) elkStatus.fewSweeps++;
    if (host && elkStatus.host && !client?.warm) {
      const t0 = performance.now();
      try {
        const pending = host.layout(graph, options?.layoutOptions);
        whileWaiting();
        const out = await pending;
        elkStatus.mode = 'host';
        elkStatus.hostLayouts++;
        elkStatus.layouts++;
        elkStatus.lastLayoutMs = performance.now() - t0;
        copyLayout(graph, out);
        // The page's own worker warms up on this graph in the background and takes the later layouts: with
        // no round trip through the extension, and Chromium's V8 running ELK faster than the server's Node, a
        // warm worker laid an edit's graph out in 180-210 ms where the server took 220-320 (medians, 2 cores).
        if (navigator.hardwareConcurrency > 1) {
          const warm = out;
          setTimeout(() => { void elkClient().then(c => c.warmUp(warm), () => undefined); }, 0);
        }
        return graph;
      } catch {
        // no server, or it failed this graph: the page lays this one and the later ones out itself
        elkStatus.host = false;
        elkStatus.hostErrors++;
      }
    }
    const c = await elkClient();
    const t0 = performance.now();
    const pending = c.layout({ cmd: 'layout', graph, layoutOptions: options?.layoutOptions ?? {}, options: { logging: !!options?.logging, measureExecutionTime: !!options?.measureExecutionTime } });
    if (elkStatus.mode === 'worker') whileWaiting();
    const out = await pending;
    elkStatus.layouts++;
    elkStatus.lastLayoutMs = performance.now() - t0;
    copyLayout(graph, out);
    // the worker starts (21 ms of the page's thread for its Blob) after Mermaid has finished this drawing; the
    // page's ELK laid out Mermaid's own graph, which Mermaid goes on changing: the worker gets a copy
    if (c.wantsWarmUp()) {
      const warm = out === graph ? JSON.parse(JSON.stringify(graph)) as unknown : out;
      setTimeout(() => c.warmUp(warm), 0);
    }
    return graph;
  }
  knownLayoutOptions(): Promise<unknown> { return elkClient().then(c => c.meta('optionsMeta')); }
  knownLayoutAlgorithms(): Promise<unknown> { return elkClient().then(c => c.meta('algorithmsMeta')); }
  knownLayoutCategories(): Promise<unknown> { return elkClient().then(c => c.meta('categoriesMeta')); }
  /** ELK is the page's, shared by every drawing: it is not Mermaid's to end. */
  terminateWorker(): void {}
}
