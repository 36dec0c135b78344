/**
 * Runs the in-host suite (dist/test/suite.js) in a downloaded desktop VS Code via @vscode/test-electron, for
 * machines that can reach update.code.visualstudio.com (a laptop, a hosted CI). On machines that reach only
 * npm and Debian, scripts/host/run.sh runs the same bundle in code-server's extension host instead.
 *
 *   npm run build && npx tsx test/integration/runElectron.ts [--version 1.100.0|stable|insiders]
 *
 * Under Linux without a display, wrap it in `xvfb-run -a`.
 */
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const extensionTestsPath = path.join(root, 'dist', 'test', 'suite.js');
  if (!fs.existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: run \`npm run build\` first`);
  const at = process.argv.indexOf('--version');
  const version = at > 0 ? process.argv[at + 1] : process.env.VSCODE_VERSION ?? '1.100.0'; // engines.vscode minimum
  // A throw-away copy of the fixture workspace: tests may edit and save files in it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-itest-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(tmp, 'udd')],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
