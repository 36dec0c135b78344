/**
 * The in-host test entry (`extensionTestsPath` = dist/test/suite.js, bundled by esbuild.mjs): VS Code loads
 * this module inside its extension host and awaits `run()`. The same bundle runs in code-server's extension
 * host (scripts/host/run.sh) and in a downloaded desktop VS Code (test/integration/runElectron.ts).
 *
 * Test files (`*.itest.ts`) use mocha's BDD globals (describe/it/before/...). They are listed in ./index.ts,
 * which is required only after the `pre-require` event has installed those globals, as `mocha.loadFiles` does.
 */
// mocha stays external (esbuild.mjs): it is loaded from node_modules at run time. mocha <= 11 exports the class
// itself, mocha 12 exports { Mocha, default, ... }; only mocha 11 is known to work in the host.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mochaModule = require('mocha');
const Mocha: typeof import('mocha') = mochaModule.Mocha ?? mochaModule.default ?? mochaModule;

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.RAMPART_ITEST_TIMEOUT ?? 30000),
    grep: process.env.RAMPART_ITEST_GREP || undefined,
  });
  const file = __filename;
  // Install describe/it/... on the global object, bound to this mocha instance's root suite.
  mocha.suite.emit('pre-require', globalThis, file, mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  mocha.suite.emit('require', require('./index'), file, mocha);
  mocha.suite.emit('post-require', globalThis, file, mocha);

  // Markers let the browser-side runner (scripts/host/ext-tests.mjs) echo only the mocha output.
  console.log('### MOCHA-BEGIN');
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(failures => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        // A plain closing line that .ci/run sums up with the unit and e2e counts.
        console.log(`integration: ${passes} passed, ${failures} failed${pending ? ` (${pending} pending)` : ''}`);
        console.log('### MOCHA-END');
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (passes === 0) reject(new Error('no integration test passed or none was loaded (test/integration/index.ts)'));
        else resolve();
      });
    } catch (e) {
      console.log('### MOCHA-END');
      reject(e);
    }
  });
}
