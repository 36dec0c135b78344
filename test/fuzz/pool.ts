/**
 * Runs fuzzing chunks in worker threads with a watchdog: a case that does not return within `watchdogMs`
 * (an endless loop, an exponential blow-up) is stopped by terminating its worker, recorded as a hang with the
 * stage it was in, and the next chunk gets a fresh worker. Failures reach the parent as they happen, so a
 * stopped worker loses nothing but the rest of its chunk (counted as skipped).
 *
 * `fuzz` splits each property's runs into chunks of `chunk` cases, each with its own seed derived from the run
 * seed (so any failing case replays from its chunk seed and path alone), and merges the chunk reports.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { hangSignature, PROPERTIES, showSafely, type Failure, type FailureRecord, type PropertyReport } from './properties';
import type { WorkerModule } from './worker';

/** The file the worker threads run. */
export const WORKER_FILE: WorkerModule['file'] = 'worker.ts';

export interface ChunkTask {
  property: string;
  seed: number;
  numRuns: number;
  shrink: boolean;
  shrinkMs: number;
  /** Signatures not to shrink (seen before), and patterns (regular expression sources) of ones never shrunk. */
  noShrink: string[];
  noShrinkPatterns: string[];
}

export type WorkerMessage =
  | { type: 'failure'; failure: Failure; index: number }
  | { type: 'done'; report: PropertyReport }
  | { type: 'error'; message: string };

export interface ChunkReport extends PropertyReport {
  /** Cases of the chunk never run because the watchdog stopped its worker. */
  skipped: number;
}

const BOOT = `
const { workerData } = require('node:worker_threads');
require(workerData.tsx).register();
require(workerData.file);
`;

const STAGE_CHARS = 200;

/** One worker thread, restarted after the watchdog stops it. */
export class FuzzWorker {
  private worker: Worker | undefined;
  private beat = new Int32Array(new SharedArrayBuffer(8));
  private stage = new Uint16Array(new SharedArrayBuffer(STAGE_CHARS * 2));

  constructor(private readonly watchdogMs: number) {}

  private spawn(): Worker {
    this.beat = new Int32Array(new SharedArrayBuffer(8));
    this.stage = new Uint16Array(new SharedArrayBuffer(STAGE_CHARS * 2));
    const w = new Worker(BOOT, {
      eval: true,
      execArgv: [],
      workerData: { tsx: require.resolve('tsx/cjs/api'), file: join(__dirname, WORKER_FILE), heartbeat: this.beat.buffer, stage: this.stage.buffer },
      // the main thread's stack size (V8's default, about 1 MB), so that stack overflows show as they do in the CLI
      resourceLimits: { maxOldGenerationSizeMb: 3072, stackSizeMb: 1 },
    });
    w.unref();
    return w;
  }

  private stageName(): string {
    let s = '';
    for (let i = 0; i < STAGE_CHARS && this.stage[i] !== 0; i++) s += String.fromCharCode(this.stage[i]);
    return s;
  }

  /** Runs a chunk; resolves with its report even when the watchdog had to stop the worker. */
  run(task: ChunkTask): Promise<ChunkReport> {
    const w = (this.worker ??= this.spawn());
    const prop = PROPERTIES.find(p => p.name === task.property)!;
    const t0 = performance.now();
    const failures: { failure: Failure; index: number }[] = [];
    // the heartbeat counts every case this worker started (shrinking included); this chunk's start from `base`
    const base = Atomics.load(this.beat, 0);
    Atomics.store(this.beat, 1, 0);
    return new Promise<ChunkReport>(resolve => {
      let last = base;
      let since = performance.now();
      const finish = (r: ChunkReport) => {
        clearInterval(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(r);
      };
      /** The chunk's report from what the worker said before it stopped, plus the stopped case. */
      const partial = (stopped: Failure | undefined): ChunkReport => {
        const shrinking = Atomics.load(this.beat, 1) === 1;
        const started = Atomics.load(this.beat, 0) - base;
        const runs = shrinking ? task.numRuns : Math.min(task.numRuns, started);
        const bySig = new Map<string, FailureRecord>();
        const add = (f: Failure, index: number) => {
          const r = bySig.get(f.signature);
          if (r) r.count++;
          else bySig.set(f.signature, { ...f, count: 1, seed: task.seed, path: String(index) });
        };
        for (const { failure, index } of failures) add(failure, index);
        if (stopped && !shrinking) add(stopped, Math.max(0, started - 1));
        for (const r of bySig.values()) {
          r.example = showSafely(prop, fc.sample(prop.arb, { seed: r.seed, path: r.path, numRuns: 1 })[0]) + (shrinking && r.kind !== 'hang' ? '\n(not shrunk: shrinking was stopped by the watchdog)' : '');
        }
        const failed = failures.length + (stopped && !shrinking ? 1 : 0);
        return { property: task.property, seed: task.seed, runs, passed: runs - failed, failed, failures: [...bySig.values()], ms: performance.now() - t0, cpuMs: 0, shrinkMs: 0, skipped: task.numRuns - runs };
      };
      const kill = (stopped: Failure | undefined) => {
        this.worker = undefined;
        void w.terminate();
        finish(partial(stopped));
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'failure') failures.push({ failure: m.failure, index: m.index });
        else if (m.type === 'done') finish({ ...m.report, skipped: 0 });
        else kill({ property: task.property, kind: 'crash', signature: `${task.property} runner error`, message: m.message, stage: 'runner', cpuMs: 0 });
      };
      const onError = (e: Error) => {
        const stageName = this.stageName();
        kill({ property: task.property, kind: 'crash', stage: stageName, cpuMs: 0, message: `the worker died: ${e.message}`, signature: `${task.property} worker died in ${stageName.split(' ').slice(0, 2).join(' ')}: ${e.message.split('\n')[0].replace(/\d+/g, 'N')}` });
      };
      const onExit = (code: number) => onError(new Error(`exit code ${code}`));
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      const timer = setInterval(() => {
        const now = Atomics.load(this.beat, 0);
        if (now !== last) {
          last = now;
          since = performance.now();
          return;
        }
        if (performance.now() - since > this.watchdogMs) {
          const stageName = this.stageName();
          const shrinking = Atomics.load(this.beat, 1) === 1;
          kill({
            property: task.property, kind: 'hang', stage: stageName, cpuMs: this.watchdogMs,
            signature: hangSignature(task.property, stageName),
            message: `no answer after ${Math.round(this.watchdogMs / 1000)} s: the watchdog stopped the case in stage ${stageName || '?'}${shrinking ? ' (while shrinking another failure)' : ''}`,
          });
        }
      }, 100);
      w.postMessage(task);
    });
  }

  async close() {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

export interface FuzzOptions {
  seed: number;
  /** Cases per chunk (each chunk has its own seed). */
  chunk: number;
  watchdogMs: number;
  shrink: boolean;
  shrinkMs: number;
  /** Worker threads running chunks side by side. */
  jobs: number;
  /** Patterns of signatures never shrunk (known failures). */
  noShrink?: readonly RegExp[];
  onChunk?: (r: ChunkReport) => void;
}

export interface FuzzReport extends ChunkReport {
  chunks: number;
}

/** The seed of chunk `k` of a property: a hash of the run seed, the property and `k` (31 bits). */
export function chunkSeed(seed: number, property: string, k: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${property}#${k}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h & 0x7fffffff;
}

/** Runs every property's cases in chunks on `jobs` workers and merges the chunk reports per property. */
export async function fuzz(plan: readonly { property: string; runs: number }[], opts: FuzzOptions): Promise<Map<string, FuzzReport>> {
  const tasks: ChunkTask[] = [];
  // round-robin over the properties, so that an interrupted run has tried each of them
  const left = plan.map(p => ({ ...p, k: 0, remaining: p.runs }));
  while (left.some(p => p.remaining > 0)) {
    for (const p of left) {
      if (p.remaining <= 0) continue;
      const n = Math.min(opts.chunk, p.remaining);
      tasks.push({ property: p.property, seed: chunkSeed(opts.seed, p.property, p.k++), numRuns: n, shrink: opts.shrink, shrinkMs: opts.shrinkMs, noShrink: [], noShrinkPatterns: (opts.noShrink ?? []).map(r => r.source) });
      p.remaining -= n;
    }
  }
  const reports = new Map<string, FuzzReport>(plan.map(p => [p.property, { property: p.property, seed: opts.seed, runs: 0, passed: 0, failed: 0, failures: [], ms: 0, cpuMs: 0, shrinkMs: 0, skipped: 0, chunks: 0 }]));
  const seen = new Set<string>();
  const workers = Array.from({ length: Math.max(1, opts.jobs) }, () => new FuzzWorker(opts.watchdogMs));
  let next = 0;
  await Promise.all(workers.map(async w => {
    while (next < tasks.length) {
      const task = tasks[next++];
      task.noShrink = [...seen];
      const r = await w.run({ ...task, shrink: task.shrink });
      const agg = reports.get(r.property)!;
      agg.runs += r.runs;
      agg.passed += r.passed;
      agg.failed += r.failed;
      agg.skipped += r.skipped;
      agg.ms += r.ms;
      agg.shrinkMs += r.shrinkMs;
      agg.cpuMs += r.cpuMs;
      agg.chunks++;
      for (const f of r.failures) {
        seen.add(f.signature);
        const prev = agg.failures.find(x => x.signature === f.signature);
        if (prev) prev.count += f.count;
        else agg.failures.push(f);
      }
      opts.onChunk?.(r);
    }
    await w.close();
  }));
  return reports;
}
