/** Runs the interop scaling cases (scalingCases.ts) in this fresh process and prints their timings as JSON. */
import { CASES, measure, type Timing } from './scalingCases';

const results: Record<string, Timing> = {};
for (const [label, make] of Object.entries(CASES)) results[label] = measure(make());
process.stdout.write(JSON.stringify(results));
