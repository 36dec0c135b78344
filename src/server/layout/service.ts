/**
 * ELK in a worker thread of the language server (issue #10): the visual editor's layouts run here, where ELK
 * stays warm from one drawing, and one page, to the next. On a new page ELK starts cold: its first layout of a
 * 50-element diagram took 430-700 ms there, against 100-190 ms for a warm ELK.
 *
 * - The worker runs the ELK the webview ships (dist/webview/elk.js, elkjs's worker script wrapped in a
 *   function; `elkjs/lib/elk-worker.min.js` when running from the sources), through elkjs's own in-process
 *   stand-in for a worker: the same build, the same results as on the page.
 * - Layouts run one at a time, in order; a warm-up layout never runs while a drawing's layout waits.
 * - A layout that runs past `timeoutMs` ends the worker (ELK cannot be interrupted otherwise); the next
 *   layout starts a new one. A worker that fails to start or dies fails its layouts, never the server.
 * - Graphs arrive as JSON text and leave as JSON text: the worker parses and serializes them, so the server's
 *   own thread only passes strings along.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LayoutStatus } from '../../shared/layoutRequests';
import { warmGraph } from './warmGraph';

/** The worker: loads ELK, then answers `{ id, graphJson, layoutOptions }` with `{ id, graphJson, ms }` or `{ id, error }`. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const vm = require('node:vm');
let Fake;
if (workerData.wrapped) {
  // dist/webview/elk.js: \`self.RampartElkWorker = function (module, exports) { <elkjs's worker script> }\`
  const scope = {};
  vm.runInThisContext('(function (self) {\\n' + fs.readFileSync(workerData.script, 'utf8') + '\\n})', { filename: workerData.script })(scope);
  const m = { exports: {} };
  scope.RampartElkWorker(m, m.exports);
  Fake = m.exports.Worker;
} else {
  Fake = require(workerData.script).Worker;
}
const elk = new Fake();
const waiting = new Map();
elk.onmessage = e => {
  const { id, data, error } = e.data || {};
  const w = waiting.get(id);
  if (!w) return;
  waiting.delete(id);
  if (error !== undefined) parentPort.postMessage({ id: w.id, error: String((error && error.message) || error) });
  else parentPort.postMessage({ id: w.id, graphJson: JSON.stringify(data), ms: performance.now() - w.t0 });
};
let next = 0;
elk.postMessage({ id: next++, cmd: 'register', algorithms: ['layered'] });
parentPort.on('message', m => {
  let graph;
  try { graph = JSON.parse(m.graphJson); } catch { parentPort.postMessage({ id: m.id, error: 'The graph is not JSON.' }); return; }
  const id = next++;
  waiting.set(id, { id: m.id, t0: performance.now() });
  elk.postMessage({ id, cmd: 'layout', graph, layoutOptions: m.layoutOptions || {}, options: {} });
});
`;

/** Where ELK's script is: beside the bundled server (dist/webview/elk.js), else elkjs's own (from the sources). */
export function findElkScript(): { script: string; wrapped: boolean } | undefined {
  const beside = path.join(__dirname, 'webview', 'elk.js');
  if (fs.existsSync(beside)) return { script: beside, wrapped: true };
  try {
    return { script: require.resolve('elkjs/lib/elk-worker.min.js'), wrapped: false };
  } catch {
    return undefined;
  }
}

/** Background layouts of the first drawings' own graphs (`replay`). */
const REPLAYS = 5;

/** Drawings' layouts that may wait at once (each page asks for one at a time; a few pages share the server). */
const MAX_WAITING = 16;

export interface LayoutOutcome {
  graphJson: string;
  ms: number;
}

interface Job {
  graphJson: string;
  layoutOptions: Record<string, unknown>;
  warmUp: boolean;
  resolve(r: LayoutOutcome): void;
  reject(e: Error): void;
}

export interface LayoutServiceOptions {
  /** ELK's script; found beside the server by default. */
  elk?: { script: string; wrapped: boolean };
  /** A layout running longer ends the worker (default 30 s). */
  timeoutMs?: number;
  /** Warm-up layouts (default 10: the first drawing's layout then takes 130-160 ms, against 210 ms after 5 and 660 cold). */
  warmUps?: number;
}

export class LayoutService {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private running: { job: Job; id: number; timer: ReturnType<typeof setTimeout> } | undefined;
  private nextId = 0;
  private warmUpsDone = 0;
  /** The warm-up of this worker is queued (once per worker). */
  private warmUpQueued = false;
  private layouts = 0;
  private state: LayoutStatus['state'] = 'off';
  private readonly elk: { script: string; wrapped: boolean } | undefined;
  /** A layout running longer ends the worker. */
  timeoutMs: number;
  private readonly warmUps: number;
  private disposed = false;

  constructor(options: LayoutServiceOptions = {}) {
    this.elk = options.elk ?? findElkScript();
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.warmUps = options.warmUps ?? 10;
  }

  /** Called each time ELK becomes warm (after its warm-up, or a first layout without one). */
  onWarm: () => void = () => {};

  private becomeWarm(): void {
    this.state = 'warm';
    this.onWarm();
  }

  /** Whether this server can lay graphs out at all (ELK's script is there). */
  get available(): boolean {
    return !!this.elk && !this.disposed;
  }

  status(): LayoutStatus {
    return { state: this.state, warmUps: this.warmUpsDone, layouts: this.layouts, ...(this.elk ? { engine: path.basename(this.elk.script) } : {}) };
  }

  /** Lays `graphJson` (ELK's JSON graph) out; rejects with a message for the user when it cannot. */
  layout(graphJson: string, layoutOptions: Record<string, unknown> = {}): Promise<LayoutOutcome> {
    return new Promise((resolve, reject) => {
      if (!this.available) {
        reject(new Error('The layout engine is not available in this language server.'));
        return;
      }
      if (this.queue.filter(j => !j.warmUp).length >= MAX_WAITING) {
        reject(new Error(`The layout engine is busy (${MAX_WAITING} diagrams are waiting for it).`));
        return;
      }
      // a drawing's layout goes before the warm-ups still waiting
      const at = this.queue.findIndex(j => j.warmUp);
      const job: Job = { graphJson, layoutOptions, warmUp: false, resolve, reject };
      if (at < 0) this.queue.push(job);
      else this.queue.splice(at, 0, job);
      this.pump();
    });
  }

  /**
   * Starts ELK and lays a graph of Mermaid's shape out a few times in the background, so that the first
   * drawing finds ELK's code compiled. Once per worker; the layouts a drawing asks for go first.
   */
  warmUp(): void {
    if (!this.available || this.warmUpQueued) return;
    this.warmUpQueued = true;
    // The first two on smaller graphs, which a cold ELK lays out sooner: a drawing that asks meanwhile (a visual
    // editor opened with its model) waits less behind the one running.
    const small = JSON.stringify(warmGraph(12, 2, 14));
    const medium = JSON.stringify(warmGraph(24, 3, 30));
    const full = JSON.stringify(warmGraph());
    if (this.state === 'off') this.state = 'warming';
    for (let i = 0; i < this.warmUps; i++) {
      this.queue.push({
        graphJson: i === 0 ? small : i === 1 ? medium : full, layoutOptions: {}, warmUp: true,
        resolve: () => {
          this.warmUpsDone++;
          if (this.warmUpsDone >= this.warmUps && this.state !== 'failed') this.becomeWarm();
        },
        reject: () => undefined,
      });
    }
    this.pump();
  }

  /**
   * The first drawings' graphs, laid out again in the background (`REPLAYS` in all, after the drawings waiting):
   * V8 compiles ELK's code for the objects it sees, and a drawing's own graph warms it for the next edit of
   * that drawing better than any stand-in.
   */
  private replay(job: Job): void {
    if (this.replays >= REPLAYS) return;
    this.replays++;
    this.queue.push({ graphJson: job.graphJson, layoutOptions: job.layoutOptions, warmUp: true, resolve: () => undefined, reject: () => undefined });
  }

  private replays = 0;

  dispose(): void {
    this.disposed = true;
    this.stopWorker(new Error('The language server is shutting down.'));
    for (const job of this.queue.splice(0)) job.reject(new Error('The language server is shutting down.'));
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    const worker = this.ensureWorker();
    if (!worker) {
      job.reject(new Error('The layout engine could not be started.'));
      this.pump();
      return;
    }
    const id = this.nextId++;
    const timer = setTimeout(() => {
      // ELK cannot be interrupted: the worker goes, and the next layout starts a new one
      this.stopWorker(new Error(`The layout took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped.`));
      this.pump();
    }, this.timeoutMs);
    this.running = { job, id, timer };
    worker.postMessage({ id, graphJson: job.graphJson, layoutOptions: job.layoutOptions });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    if (!this.elk) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.elk, name: 'rampart-elk' });
    } catch {
      this.state = 'failed';
      return undefined;
    }
    if (this.state === 'off' || this.state === 'failed') this.state = 'starting';
    worker.on('message', (m: { id: number; graphJson?: string; ms?: number; error?: string }) => {
      const run = this.running;
      if (!run || run.id !== m.id || this.worker !== worker) return;
      clearTimeout(run.timer);
      this.running = undefined;
      if (typeof m.graphJson === 'string') {
        if (!run.job.warmUp) {
          this.layouts++;
          if (this.state === 'starting') {
            if (this.warmUpQueued) this.state = 'warming';
            else this.becomeWarm();
          }
          this.replay(run.job);
        }
        run.job.resolve({ graphJson: m.graphJson, ms: m.ms ?? 0 });
      } else {
        run.job.reject(new Error(`ELK could not lay the diagram out: ${m.error ?? 'unknown error'}`));
      }
      this.pump();
    });
    const died = (e: Error) => {
      if (this.worker !== worker) return;
      this.state = 'failed';
      this.stopWorker(e);
      this.pump();
    };
    worker.on('error', e => died(new Error(`The layout engine failed: ${e instanceof Error ? e.message : String(e)}`)));
    worker.on('exit', code => died(new Error(`The layout engine stopped (exit code ${code}).`)));
    // the worker must not keep a server that is shutting down alive
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Ends the worker; the layout it was running fails with `reason`. Warm-ups start again with the next worker. */
  private stopWorker(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    const run = this.running;
    this.running = undefined;
    if (run) {
      clearTimeout(run.timer);
      run.job.reject(reason);
    }
    // warm-ups of the old worker warmed nothing the next one has
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].warmUp) this.queue.splice(i, 1);
    this.warmUpQueued = false;
    this.warmUpsDone = 0;
    if (this.state !== 'failed') this.state = 'off';
    void worker?.terminate();
  }
}
