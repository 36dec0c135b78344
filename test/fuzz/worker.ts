/**
 * The fuzzing worker thread: runs chunks of a property (`runProperty`) on request and reports each failure as
 * it happens, so that a watchdog in the parent can stop a case that never returns and still know everything
 * that happened before it. The heartbeat is shared memory: [cases started, phase (0 run, 1 shrink)] and the
 * name of the current stage.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hooks, PROPERTIES, runProperty } from './properties';
import type { ChunkTask, WorkerMessage } from './pool';

/** Imported (as a type) by pool.ts, so that the type check covers this file, which nothing else imports. */
export interface WorkerModule { readonly file: 'worker.ts' }

const beat = new Int32Array(workerData.heartbeat as SharedArrayBuffer);
const stageBuf = new Uint16Array(workerData.stage as SharedArrayBuffer);
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

hooks.onCase = () => Atomics.add(beat, 0, 1);
hooks.onStage = (name: string) => {
  const n = Math.min(name.length, stageBuf.length - 1);
  for (let i = 0; i < n; i++) stageBuf[i] = name.charCodeAt(i);
  stageBuf[n] = 0;
};

// `yaml` reports collection keys it stringifies as process warnings; they are noise here.
process.removeAllListeners('warning');

parentPort!.on('message', async (task: ChunkTask) => {
  const prop = PROPERTIES.find(p => p.name === task.property);
  if (!prop) {
    post({ type: 'error', message: `no property ${task.property}` });
    return;
  }
  Atomics.store(beat, 1, 0);
  let ran = 0;
  try {
    const report = await runProperty(prop, {
      seed: task.seed,
      numRuns: task.numRuns,
      shrink: sig => task.shrink && !task.noShrink.includes(sig) && !task.noShrinkPatterns.some(p => new RegExp(p).test(sig)),
      shrinkMs: task.shrinkMs,
      onCase: i => { ran = i + 1; },
      onShrink: () => Atomics.store(beat, 1, 1),
      onFailure: (failure, index) => post({ type: 'failure', failure, index }),
    });
    post({ type: 'done', report });
  } catch (e) {
    post({ type: 'error', message: `runner failed after ${ran} cases: ${(e as Error).stack ?? e}` });
  }
});
