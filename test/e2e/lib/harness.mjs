// Shared by the end-to-end tests (test/e2e/*.mjs, run by scripts/host/run.sh): the environment, Debian
// Chromium driven by playwright-core with the flags this machine needs, a `check` that counts and screenshots
// failures, and the closing `e2e: N passed, N failed` line. Not a test itself (run.sh runs test/e2e/*.mjs only).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Starts the browser on a fresh profile and returns the page and the test helpers.
 * `name` prefixes failure screenshots (`<name>-fail-N.png`).
 */
export async function startE2E(name) {
  const { CS_URL, WS } = process.env;
  const OUT = process.env.OUT || 'test-results/screenshots';
  if (!CS_URL || !WS) { console.error(`${name}: set CS_URL and WS (see scripts/host/run.sh)`); process.exit(2); }
  fs.mkdirSync(OUT, { recursive: true });
  const t0 = Date.now();
  const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-pw-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', e => log('pageerror:', e.message.slice(0, 200)));

  let passed = 0, failed = 0;
  const shot = async file => {
    const p = path.join(OUT, `${file}.png`);
    await page.screenshot({ path: p }).then(() => log('screenshot', p)).catch(() => {});
  };
  const check = async (what, fn) => {
    try { await fn(); passed++; log('PASS', what); }
    catch (e) { failed++; log('FAIL', what, '-', String(e.message).split('\n')[0]); await shot(`${name}-fail-${passed + failed}`); }
  };
  /** Records a failure that stopped the test early. */
  const fatal = async e => {
    failed++;
    log('FAIL (fatal)', String(e.message).split('\n')[0]);
    await shot(`${name}-fail-fatal`);
  };
  /** Closes the browser, prints the closing line and exits (non-zero on any failure or when nothing passed). */
  const finish = async ({ allowEmpty = false } = {}) => {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
    console.log(`e2e: ${passed} passed, ${failed} failed`);
    process.exit(failed || (!passed && !allowEmpty) ? 1 : 0);
  };
  /** Opens the workbench on the test workspace. */
  const openWorkbench = async () => {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WS)}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    log('workbench visible');
  };
  return { page, log, check, shot, fatal, finish, openWorkbench, WS, OUT, EXT: process.env.EXT || process.cwd() };
}
