// End-to-end test of the visual editor in the real workbench (code-server + Debian Chromium), against the
// INSTALLED .vsix: open the webshop example, run "Rampart: Open Visual Editor to the Side" from the Command
// Palette, wait for the webview's diagram, change a threat's status in the webview and see the YAML change in
// the text editor (dirty), undo it with Ctrl+Z in the text editor, and take the README screenshots.
// Run by scripts/host/run.sh (every test/e2e/*.mjs). Env: CS_URL, WS, EXT, OUT (screenshot folder).
// Webviews are nested iframes: the workbench's `iframe.webview` holds our page in `iframe#active-frame`.
import fs from 'node:fs';
import path from 'node:path';
import { startE2E } from './lib/harness.mjs';
import { workbench } from './lib/workbench.mjs';

const MODEL = 'webshop-payments.threatmodel.yaml';
const pkg = JSON.parse(fs.readFileSync(path.join(process.env.EXT || process.cwd(), 'package.json'), 'utf8'));
if (!pkg.contributes?.customEditors?.some(c => c.viewType === 'rampart.visualEditor')) {
  console.log('SKIP visualEditor.e2e.mjs: package.json contributes no rampart.visualEditor custom editor yet');
  console.log('e2e: 0 passed, 0 failed');
  process.exit(0);
}
const THREAT = 'refund-abuse';
// 18 elements in 8 nested boundaries: laid out with ELK, whose script the webview loads only then.
const ELK_MODEL = 'service-platform.threatmodel.yaml';
fs.copyFileSync(path.join(process.env.EXT || process.cwd(), 'examples', ELK_MODEL), path.join(process.env.WS, 'visual', ELK_MODEL));
const { page, log, check, shot, fatal, finish, openWorkbench } = await startE2E('visual');

const { quickInput, tab, webview, runCommand, quickOpen } = workbench(page);
const textEditor = page.locator('.editor-instance .monaco-editor').first();

/** Switches the color theme with the theme picker (Ctrl+K Ctrl+T). */
async function colorTheme(name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  await quickInput.waitFor({ timeout: 15000 });
  await quickInput.fill(name);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first().click({ timeout: 15000 });
  await page.waitForTimeout(500);
}

/** How many visible lines of the text editor read `text` (Monaco renders spaces as no-break spaces). */
const countLines = text => page.evaluate(t => {
  const ed = document.querySelector('.editor-instance .monaco-editor');
  return [...(ed?.querySelectorAll('.view-line') ?? [])].filter(l => l.textContent.replace(/\s+/g, ' ').trim() === t).length;
}, text);
async function waitLines(text, n) {
  await page.waitForFunction(([t, k]) => {
    const ed = document.querySelector('.editor-instance .monaco-editor');
    return [...(ed?.querySelectorAll('.view-line') ?? [])].filter(l => l.textContent.replace(/\s+/g, ' ').trim() === t).length === k;
  }, [text, n], { timeout: 15000 });
}
const statusInWebview = () => webview.locator(`table.threats tr[data-id="${THREAT}"] td.status select`).evaluate(s => s.value);


try {
  await openWorkbench();
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await runCommand('View: Close All Editors').catch(() => {});

  await check(`Quick Open opens ${MODEL}`, async () => {
    await quickOpen(MODEL);
    await page.locator('.statusbar-item').filter({ hasText: /^Threat Model$/ }).first().waitFor({ timeout: 15000 });
  });

  let openMs = 0;
  await check('"Rampart: Open Visual Editor to the Side" shows the diagram, the threats and the heat map', async () => {
    const t = Date.now();
    await runCommand('Rampart: Open Visual Editor to the Side');
    await page.locator('.editor-group-container').nth(1).waitFor({ timeout: 15000 });
    await webview.locator('.canvas svg g.node').first().waitFor({ timeout: 60000 });
    openMs = Date.now() - t;
    log(`diagram drawn ${openMs} ms after the command`);
    const nodes = await webview.locator('.canvas svg g.node').count();
    if (nodes < 12) throw new Error(`expected the 12 elements as nodes, got ${nodes}`);
    const rows = await webview.locator('table.threats tbody tr[data-id]').count();
    if (rows !== 14) throw new Error(`expected 14 threat rows, got ${rows}`);
    const firstRow = await webview.locator('table.threats tbody tr[data-id]').first().getAttribute('data-id');
    if (firstRow !== THREAT) throw new Error(`the critical ${THREAT} should come first, got ${firstRow}`);
    await webview.locator('table.heatmap').waitFor({ timeout: 5000 });
    // Both groups are there: the text on the left, the visual editor on the right.
    if (await tab(MODEL).count() < 2) throw new Error('expected a text tab and a visual-editor tab');
  });
  await shot('visual-side-by-side');

  await check('clicking a threat row reveals its YAML in the text editor', async () => {
    await webview.locator(`table.threats tr[data-id="${THREAT}"] td`).nth(1).click();
    // The selection of the text editor is on the line of the threat's key (the active line number's row).
    await page.waitForFunction(() => {
      const ed = document.querySelector('.editor-instance .monaco-editor');
      const active = ed?.querySelector('.margin-view-overlays .active-line-number');
      if (!active) return false;
      const top = active.getBoundingClientRect().top;
      return [...ed.querySelectorAll('.view-line')].some(l => l.textContent.trim() === 'refund-abuse:' && Math.abs(l.getBoundingClientRect().top - top) < 3);
    }, null, { timeout: 15000 });
  });

  await check('changing a status in the webview edits the YAML (dirty) and Ctrl+Z in the text undoes it', async () => {
    const before = await countLines('status: mitigated');
    const mermaidCalls = () => webview.locator('body').evaluate(() => window.__rampart.renders);
    const callsBefore = await mermaidCalls();
    await webview.locator(`table.threats tr[data-id="${THREAT}"] td.status select`).selectOption('mitigated');
    await page.locator('.tabs-container .tab.dirty').filter({ hasText: MODEL }).first().waitFor({ timeout: 15000 });
    await waitLines('status: mitigated', before + 1);
    if (await statusInWebview() !== 'mitigated') throw new Error('the webview does not show the new status');
    await shot('visual-status-changed');
    // Undo in the text editor: the text, the dirty marker and the webview all come back.
    await textEditor.locator('.view-line').filter({ hasText: 'refund-abuse:' }).first().click();
    await page.keyboard.press('Control+Z');
    await waitLines('status: mitigated', before);
    await page.locator('.tabs-container .tab.dirty').filter({ hasText: MODEL }).first().waitFor({ state: 'detached', timeout: 15000 });
    let v = await statusInWebview();
    for (let i = 0; i < 50 && v !== 'open'; i++) { await page.waitForTimeout(100); v = await statusInWebview(); }
    if (v !== 'open') throw new Error(`the webview still shows ${v} after undo`);
    // a status edit and its undo recolour the drawn diagram: Mermaid is not called again
    const callsAfter = await mermaidCalls();
    if (callsAfter !== callsBefore) throw new Error(`Mermaid drew the diagram ${callsAfter - callsBefore} more time(s) for a status edit`);
  });

  // README screenshots: the visual editor alone (text editor closed, side bar hidden), light then dark.
  await check('README screenshots of the visual editor (light and dark)', async () => {
    await runCommand('View: Close All Editors');
    await runCommand('View: Close Primary Side Bar').catch(() => {});
    await quickOpen(MODEL);
    // focus the text editor, so the palette's `editorLangId == threatmodel` commands are offered
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ timeout: 15000 });
    await page.waitForTimeout(300);
    await runCommand('Rampart: Open Visual Editor');
    await webview.locator('.canvas svg g.node').first().waitFor({ timeout: 60000 });
    // Like a user making room for the tables: drag the diagram pane's resize handle up a little, then Fit.
    const pane = await webview.locator('.diagram-pane').boundingBox();
    if (!pane) throw new Error('no diagram pane');
    await page.mouse.move(pane.x + pane.width - 3, pane.y + pane.height - 3);
    await page.mouse.down();
    await page.mouse.move(pane.x + pane.width - 3, pane.y + pane.height - 140, { steps: 8 });
    await page.mouse.up();
    for (const [theme, file] of [['Light Modern', 'visual-editor'], ['Dark Modern', 'visual-editor-dark']]) {
      await colorTheme(theme);
      await webview.locator('.canvas svg g.node').first().waitFor({ timeout: 30000 });
      await page.waitForTimeout(1000); // the webview re-renders Mermaid for the new theme
      await webview.locator('.zoom-controls button', { hasText: 'Fit' }).click();
      await page.mouse.move(1300, 105); // an empty spot of the webview's toolbar: no hover, no tooltip
      await page.waitForTimeout(600);
      await shot(file);
    }
  });

  await check('opening and closing the visual editor 20 times quickly never stalls; nested boundaries are laid out with ELK, first by the language server, then by the page\'s worker', async () => {
    await runCommand('View: Close All Editors');
    await quickOpen(ELK_MODEL);
    const t = Date.now();
    const sideGroup = page.locator('.editor-group-container').nth(1);
    for (let i = 0; i < 20; i++) {
      await page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').click({ timeout: 15000 });
      await runCommand('Rampart: Open Visual Editor to the Side');
      await sideGroup.locator('.tab').first().waitFor({ timeout: 15000 });
      await page.waitForTimeout(100 + (i % 4) * 100); // closed before, while and after its scripts load
      await sideGroup.locator('.tab .tab-actions .action-label').first().click({ timeout: 15000 });
      await sideGroup.waitFor({ state: 'detached', timeout: 15000 });
    }
    log(`20 visual editors opened and closed in ${Date.now() - t} ms`);
    await page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').click({ timeout: 15000 });
    const t2 = Date.now();
    await runCommand('Rampart: Open Visual Editor to the Side');
    await webview.locator('.canvas svg g.node').first().waitFor({ timeout: 60000 });
    log(`then the ELK diagram drawn ${Date.now() - t2} ms after the command`);
    const layout = await webview.locator('body').evaluate(() => window.__rampart?.layout);
    if (layout !== 'elk') throw new Error(`expected the ELK layout, got ${layout}`);
    // the first layout: by the language server (its ELK warmed up when the first model was opened), or by the page
    // when the server's ELK was not warm yet; then the page's worker (a Blob of elk.js's code, allowed by the CSP's
    // worker-src blob:) warms up on that graph and takes the later layouts: it runs in the real workbench
    const t3 = Date.now();
    let elk;
    do {
      elk = await webview.locator('body').evaluate(() => window.__rampart?.elk);
      if (elk?.worker === 'ready' || elk?.worker === 'refused' || elk?.worker === 'failed') break;
      await page.waitForTimeout(250);
    } while (Date.now() - t3 < 30000);
    log(`ELK: ${JSON.stringify(elk)}`);
    if (elk?.worker !== 'ready' || elk.hostErrors !== 0 || !(elk.hostLayouts + elk.pageLayouts >= 1)) {
      throw new Error(`expected a first layout by the language server (or the page) and then ELK's worker ready, got ${JSON.stringify(elk)}`);
    }
    const nodes = await webview.locator('.canvas svg g.node').count();
    if (nodes < 18) throw new Error(`expected the 18 elements as nodes, got ${nodes}`);
  });
  await shot('visual-elk');
} catch (e) {
  await fatal(e);
}
await finish();
