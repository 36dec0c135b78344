/** Timing helpers shared by the bench scripts: medians of round-robin runs, so load hits every candidate alike. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs each function `rounds` times, round-robin (after one warm-up each), and returns the median time of each in ms.
 * Each round starts one function further on, so that every function follows every other equally often: a step
 * that comes after a full analysis pays for collecting the garbage that analysis left, and with a fixed order
 * the same function would pay it every round.
 */
export function interleaved(fns: (() => unknown)[], rounds: number): number[] {
  const times = fns.map(() => [] as number[]);
  fns.forEach(f => f()); // warm up
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (r + k) % fns.length;
      const t0 = performance.now();
      fns[i]();
      times[i].push(performance.now() - t0);
    }
  }
  return times.map(median);
}
