// Runs the in-host mocha suite (dist/test/suite.js, from test/integration/) INSIDE code-server's Node extension
// host, with the real `vscode` API. How: the VS Code web workbench reads `payload` from its URL
// (extensionDevelopmentPath / extensionTestsPath as vscode-remote:// URIs = paths on the code-server machine)
// and, when the test module's run() settles, calls window.codeAutomationExit(code), the hook @vscode/test-web
// uses. Extension-host console output reaches the page console; the mocha part is echoed here.
// Env: CS_URL (code-server), WS (workspace folder), EXT (extension folder), TESTS (default EXT/dist/test/suite.js),
//      TIMEOUT_MS (default 300000), CHROMIUM (default /usr/bin/chromium), VERBOSE=1 to echo every console line.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';

const CS_URL = process.env.CS_URL;
const WS = process.env.WS;
const EXT = process.env.EXT;
if (!CS_URL || !WS || !EXT) { console.error('ext-tests.mjs: set CS_URL, WS and EXT (see scripts/host/run.sh)'); process.exit(2); }
const TESTS = process.env.TESTS || path.join(EXT, 'dist/test/suite.js');
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 300000);
if (!fs.existsSync(TESTS)) { console.error(`ext-tests.mjs: ${TESTS} is missing (npm run build bundles test/integration/suite.ts)`); process.exit(2); }

const remote = p => `vscode-remote://${new URL(CS_URL).host}${p}`;
const payload = JSON.stringify([['extensionDevelopmentPath', remote(EXT)], ['extensionTestsPath', remote(TESTS)]]);
const url = `${CS_URL}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(payload)}`;

const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-pw-'));
const ctx = await chromium.launchPersistentContext(udd, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = ctx.pages()[0] || await ctx.newPage();
let inMocha = false, sawMocha = false;
const other = [];   // non-mocha console lines, shown when the run fails before mocha starts
page.on('console', async m => {
  let vals;
  try { vals = await Promise.all(m.args().map(a => a.jsonValue())); } catch { vals = [m.text()]; }
  if (typeof vals[0] === 'string' && vals[0].startsWith('%c')) vals = vals.slice(2); // drop '%c INFO', 'color: …'
  const line = util.format(...vals);
  if (line.includes('### MOCHA-BEGIN')) { inMocha = sawMocha = true; return; }
  if (line.includes('### MOCHA-END')) { inMocha = false; return; }
  if (inMocha || process.env.VERBOSE) console.log(line);
  else { other.push(line); if (other.length > 60) other.shift(); }
});
page.on('pageerror', e => other.push(`pageerror: ${e.message.slice(0, 300)}`));
const code = await new Promise(async resolve => {
  const timer = setTimeout(() => { console.log(`TIMEOUT: no codeAutomationExit after ${TIMEOUT_MS} ms`); resolve(124); }, TIMEOUT_MS);
  await page.exposeFunction('codeAutomationExit', c => { clearTimeout(timer); resolve(c); });
  await page.goto(url);
});
await new Promise(r => setTimeout(r, 300)); // let the last console events flush
if (code !== 0 && !sawMocha) {
  console.log('--- workbench console (last lines; the suite did not start) ---');
  for (const l of other) console.log(l);
}
console.log(`extension-host tests exit code: ${code}`);
await ctx.close();
fs.rmSync(udd, { recursive: true, force: true });
process.exit(code);
