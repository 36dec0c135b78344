/** Timing helpers shared by the bench scripts: medians of round-robin runs, so load hits every candidate alike. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs each function `rounds` times, round-robin (after one warm-up each), and returns the median time of each in ms. */
export function interleaved(fns: (() => unknown)[], rounds: number): number[] {
  const times = fns.map(() => [] as number[]);
  fns.forEach(f => f()); // warm up
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      f();
      times[i].push(performance.now() - t0);
    });
  }
  return times.map(median);
}
