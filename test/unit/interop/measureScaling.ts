/**
 * Runs the interop scaling cases (scalingCases.ts) in this fresh process and prints their timings as JSON; the
 * labels given as arguments only, when there are any.
 */
import { CASES, measure, type Timing } from './scalingCases';

const only = process.argv.slice(2);
const results: Record<string, Timing> = {};
for (const [label, make] of Object.entries(CASES)) if (!only.length || only.includes(label)) results[label] = measure(make());
process.stdout.write(JSON.stringify(results));
