/**
 * `npm run fuzz [-- --runs N --seed S --jobs J --property NAME --path P --watchdog SECONDS --no-shrink]`:
 * property-based fuzzing of Rampart with fast-check (issue #9). Runs `--runs` cases (default 100,000) spread
 * over the properties of test/fuzz/properties.ts (parse, render, fix, import, export, mermaid) in worker
 * threads with a watchdog, prints the cases run per property and, for each distinct failure, its first
 * counterexample (shrunk) with the seed and path that replay it, and ends with
 * `fuzz: N passed, N failed` (cases). Exit code 1 when a case failed, 2 for usage errors.
 *
 * `--property NAME --seed S --path P` replays one case (the seed and path a failure printed) in this process.
 */
import { parseArgs } from 'node:util';
import { fuzz, type FuzzReport } from '../test/fuzz/pool';
import { formatFailure, HANG_MS, PROPERTIES, shrinkFailure, runCase, showSafely } from '../test/fuzz/properties';
import fc from 'fast-check';

/** Share of the cases per property: the slow ones (Mermaid's parser, export + reimport) get fewer. */
const WEIGHTS: Record<string, number> = { parse: 40, render: 16, fix: 22, import: 16, export: 5, mermaid: 1 };

function usage(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\nUsage: npm run fuzz -- [--runs N] [--seed S] [--jobs J] [--property NAME]... [--watchdog SECONDS] [--no-shrink]\n       npm run fuzz -- --property NAME --seed S --path P   (replay one case)\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  process.removeAllListeners('warning'); // `yaml` warns about collection keys it stringifies: noise here
  let args;
  try {
    args = parseArgs({
      options: {
        runs: { type: 'string', default: '100000' },
        seed: { type: 'string' },
        jobs: { type: 'string', default: '1' },
        property: { type: 'string', multiple: true },
        path: { type: 'string' },
        chunk: { type: 'string', default: '250' },
        watchdog: { type: 'string', default: '60' },
        'no-shrink': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (args.help) usage('fuzzing with fast-check');
  const int = (v: string | undefined, name: string, min = 0) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer >= ${min} (got '${v}')`);
    return n;
  };
  const names = args.property ?? PROPERTIES.map(p => p.name);
  for (const n of names) if (!PROPERTIES.some(p => p.name === n)) usage(`no property '${n}' (properties: ${PROPERTIES.map(p => p.name).join(', ')})`);
  const seed = args.seed !== undefined ? int(args.seed, 'seed') : Math.floor(Math.random() * 0x7fffffff);

  if (args.path !== undefined) {
    if (names.length !== 1 || args.seed === undefined) usage('--path replays one case: give --property NAME --seed S --path P');
    const prop = PROPERTIES.find(p => p.name === names[0])!;
    const c = fc.sample(prop.arb, { seed, path: args.path, numRuns: 1 })[0];
    console.log(showSafely(prop, c));
    const f = await runCase(prop, c);
    if (!f) {
      console.log(`\nfuzz: 1 passed, 0 failed`);
      return 0;
    }
    const shrunk = args['no-shrink'] ? {} : await shrinkFailure(prop, { seed, path: args.path, signature: f.signature }, 60_000);
    console.log('\n' + formatFailure({ ...f, count: 1, seed, path: args.path, ...shrunk }));
    console.log(`\nfuzz: 0 passed, 1 failed`);
    return 1;
  }

  const runs = int(args.runs, 'runs', 1);
  const total = names.reduce((n, p) => n + (WEIGHTS[p] ?? 1), 0);
  const plan = names.map(property => ({ property, runs: Math.max(1, Math.round((runs * (WEIGHTS[property] ?? 1)) / total)) }));
  const jobs = int(args.jobs, 'jobs', 1);
  console.log(`fuzz: seed ${seed}, ${plan.reduce((n, p) => n + p.runs, 0)} cases (${plan.map(p => `${p.property} ${p.runs}`).join(', ')}), ${jobs} worker(s), hang limit ${HANG_MS} ms CPU per case, watchdog ${args.watchdog} s`);
  const t0 = Date.now();
  let done = 0;
  const planned = plan.reduce((n, p) => n + p.runs, 0);
  const reports = await fuzz(plan, {
    seed,
    chunk: int(args.chunk, 'chunk', 1),
    watchdogMs: int(args.watchdog, 'watchdog', 1) * 1000,
    shrink: !args['no-shrink'],
    shrinkMs: 60_000,
    jobs,
    onChunk: r => {
      done += r.runs + r.skipped;
      const mins = (Date.now() - t0) / 60_000;
      process.stderr.write(`  ${String(done).padStart(7)}/${planned} cases, ${mins.toFixed(1)} min; ${r.property} chunk: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped after a hang` : ''}\n`);
    },
  });
  return report(reports, seed, (Date.now() - t0) / 1000);
}

function report(reports: Map<string, FuzzReport>, seed: number, seconds: number): number {
  let passed = 0;
  let failed = 0;
  console.log(`\nfuzz: seed ${seed}, ${Math.round(seconds)} s`);
  for (const r of reports.values()) {
    passed += r.passed;
    failed += r.failed;
    console.log(`${r.property.padEnd(8)} ${String(r.runs).padStart(7)} cases  ${String(r.passed).padStart(7)} passed  ${String(r.failed).padStart(6)} failed  ${String(r.failures.length).padStart(3)} distinct${r.skipped ? `  ${r.skipped} skipped (after hangs)` : ''}  ${(r.ms / Math.max(1, r.runs)).toFixed(1)} ms/case (${(r.cpuMs / Math.max(1, r.runs)).toFixed(1)} ms CPU)`);
  }
  for (const r of reports.values()) {
    if (!r.failures.length) continue;
    console.log(`\n${r.property}: ${r.failed} failing case(s), ${r.failures.length} distinct failure(s)`);
    for (const f of [...r.failures].sort((a, b) => b.count - a.count)) console.log(formatFailure(f) + '\n');
  }
  console.log(`fuzz: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(code => process.exit(code), e => {
  process.stderr.write(`fuzz: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
});
