/**
 * The timed conversions of the interop scaling test (#9), and how one is timed. `measureScaling.ts` runs them in a
 * fresh Node process, so that the heap the rest of the unit suite leaves behind does not tax the larger input
 * with collections the smaller one escapes (in the full suite that alone turned a linear 4x into 6.2x).
 */
import { exportModel, importModel, type ImportFormat } from '../../../src/core/interop/index';
import {
  modelWithBoundaries, otmInstances, otmRepeatedThreatIds, otmSameId, otmTags, threagileTags, threagileTracking,
  threatDragonGeometry, threatDragonLongLabels, threatDragonSameName,
} from './generate';

export const FACTOR = 4;
export const MAX_RATIO = 6;
const RUNS = 3;
/** Rounds at most, while the ratio is over the bound. */
const MAX_RUNS = 8;
/** Runs of the smaller input before timing (the larger one has run once too, by then). */
const WARM_UP = 1;
/** The results are not checked against the size cap here: only the time of the conversion is measured. */
export const NO_CAP = { maxFileSize: 1 << 30 };

export interface Timing { small: number; large: number; ratio: number; rounds: number }

interface Case<T> { small: T; large: T; work: (input: T) => unknown }

function importCase(format: ImportFormat, make: (n: number) => string, n: number): Case<string> {
  return { small: make(n), large: make(FACTOR * n), work: text => importModel(format, text, NO_CAP) };
}

/** Each case by its label; built lazily, one at a time, so that only one pair of inputs is alive. */
export const CASES: Record<string, () => Case<any>> = {
  'threat-dragon same name': () => importCase('threat-dragon', threatDragonSameName, 320),
  'threat-dragon geometry': () => importCase('threat-dragon', threatDragonGeometry, 480),
  'otm same id': () => importCase('otm', otmSameId, 400),
  'otm instances': () => importCase('otm', otmInstances, 600),
  'threat-dragon labels': () => importCase('threat-dragon', threatDragonLongLabels, 500),
  'otm repeated threat ids': () => importCase('otm', otmRepeatedThreatIds, 300),
  'otm tags': () => importCase('otm', otmTags, 25_000),
  'threagile tags': () => importCase('threagile', threagileTags, 25_000),
  'threagile tracking': () => importCase('threagile', threagileTracking, 400),
  'threat-dragon export': () => ({
    small: modelWithBoundaries(800), large: modelWithBoundaries(FACTOR * 800),
    work: m => exportModel('threat-dragon', m),
  }),
};

/**
 * Times `work(large)` against `FACTOR` runs of `work(small)` in one timed block, alternating, and keeps each
 * side's fastest block; the small side's time per conversion is its block over `FACTOR`. Both sides then
 * allocate about as much, so the collector's work lands on both alike: timed one conversion each, the small
 * input could run between two collections while the large one always paid for one, which alone read 5-6x for a
 * linear conversion. Time is the process's CPU time (user + system), not the wall clock, so other work on a busy
 * machine does not count; the fastest block is the least disturbed estimate. Three rounds usually settle it;
 * when the ratio is over the bound, more rounds are run (up to eight): the fastest blocks only get faster with
 * more rounds, so noise clears, while quadratic work stays over the bound (against the code before #9 these
 * cases measure 7x to 25x).
 */
export function measure<T>({ small, large, work }: Case<T>): Timing {
  const time = (input: T, times: number) => {
    const start = process.cpuUsage();
    for (let i = 0; i < times; i++) work(input);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  work(large);
  for (let i = 0; i < WARM_UP; i++) work(small);
  const a: number[] = [];
  const b: number[] = [];
  const ratio = () => Math.min(...b) / Math.max(Math.min(...a) / FACTOR, 0.001);
  while (a.length < RUNS || (ratio() > MAX_RATIO && a.length < MAX_RUNS)) {
    a.push(time(small, FACTOR));
    b.push(time(large, 1));
  }
  return { small: Math.min(...a) / FACTOR, large: Math.min(...b), ratio: ratio(), rounds: a.length };
}
