/** Test helpers: line of a finding, and a tiny valid model to start from. */
import type { Finding } from '../../src/core/types';

export const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
export const findingLine = (text: string, f: Finding) => lineOf(text, f.range.start);
export const ids = (fs: Finding[]) => fs.map(f => f.ruleId);

export const MINIMAL = `rampart: 1
title: Minimal
elements:
  api: { type: process, name: API }
`;

/** CPU time (user + system, microseconds) of the fastest of `runs` calls: the one least disturbed by other processes. */
function fastest(f: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    best = Math.min(best, d.user + d.system);
  }
  return best;
}

/** The CPU-time ratio of `large` to `small`, re-measured (up to 4 times) while it is over `bound`. */
export function scaling(small: () => void, large: () => void, bound: number): number {
  small();
  let ratio = Infinity;
  for (let attempt = 0; attempt < 4 && ratio > bound; attempt++) ratio = fastest(large) / fastest(small);
  return ratio;
}
