// End-to-end: a developer fixes the headline finding with the keyboard only, in the real workbench with the
// installed .vsix: cursor on the threat, Ctrl+. opens the quick fixes, arrow keys pick "Accept the risk",
// Enter applies it; the error squiggle and the Problems entry go away, the YAML gains the acceptance fields
// (comments kept), and Ctrl+Z brings the finding back. Env as in workbench.e2e.mjs (run by scripts/host/run.sh).
import fs from 'node:fs';
import path from 'node:path';
import { startE2E } from './lib/harness.mjs';
import { workbench } from './lib/workbench.mjs';

const FILE = 'payments.threatmodel.yaml';
const RULE = 'risk/unmitigated-above-tolerance';
const { page, check, shot, fatal, finish, openWorkbench, WS } = await startE2E('quickfix');
const { quickInput, quickOpen, waitUntil } = workbench(page);
const editor = page.locator('.editor-group-container.active .monaco-editor').first();
const errorSquiggleOnThreat = async () => {
  const lineTop = await editor.locator('.view-line').filter({ hasText: 'card-skimming:' }).first().evaluate(el => el.getBoundingClientRect().top);
  const tops = await editor.locator('.squiggly-error').evaluateAll(els => els.map(el => el.getBoundingClientRect().top));
  return tops.some(t => Math.abs(t - lineTop) < 4);
};
const editorText = async () => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');

try {
  await openWorkbench();
  await page.locator('.explorer-folders-view').getByText(FILE).first().waitFor({ timeout: 30000 });
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await quickOpen(FILE);

  await check('the headline error is shown on the threat', () => waitUntil(errorSquiggleOnThreat, 'error squiggle on card-skimming', 30000));

  await check('Ctrl+. on the threat offers the fixes; the keyboard applies "Accept the risk"', async () => {
    // Go to the threat's line with Ctrl+G, then open the quick fixes with Ctrl+.
    const lineNo = (await fs.promises.readFile(path.join(WS, FILE), 'utf8')).split('\n').findIndex(l => l.startsWith('  card-skimming:')) + 1;
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ timeout: 10000 });
    await quickInput.fill(`:${lineNo}:4`);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.getByText(/Add a mitigation for card-skimming/).first().waitFor({ timeout: 15000 });
    await shot('quickfix-menu');
    // Walk down with the arrow keys until "Accept the risk" is focused, then press Enter.
    for (let i = 0; i < 12; i++) {
      const focused = await menu.locator('.monaco-list-row.focused').first().innerText().catch(() => '');
      if (/Accept the risk of card-skimming/.test(focused)) break;
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(120);
    }
    const focused = await menu.locator('.monaco-list-row.focused').first().innerText();
    if (!/Accept the risk of card-skimming/.test(focused)) throw new Error(`could not focus "Accept the risk" (focused: ${focused})`);
    await page.keyboard.press('Enter');
    await waitUntil(async () => /status: accepted/.test(await editorText()) && /justification: "TODO/.test(await editorText()), 'acceptance fields in the YAML');
  });

  await check('the error squiggle goes away after the fix', () => waitUntil(async () => !(await errorSquiggleOnThreat()), 'no error squiggle on card-skimming'));

  await check(`Problems no longer lists ${RULE} for the file`, async () => {
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    const filter = page.locator('.part.panel .viewpane-filter input').first();
    await filter.waitFor({ timeout: 15000 });
    await filter.fill(`**/${FILE}`);
    await page.waitForTimeout(800);
    await waitUntil(async () => (await panel.locator('.monaco-list-row').filter({ hasText: RULE }).count()) === 0, 'the headline row to disappear');
    // what remains is the reminder that the acceptance still needs a real justification
    await panel.locator('.monaco-list-row').filter({ hasText: 'risk/acceptance-without-justification' }).first().waitFor({ timeout: 15000 });
  });
  await shot('quickfix-applied');

  await check('Ctrl+Z in the editor undoes the fix and the finding returns', async () => {
    await editor.click({ position: { x: 300, y: 100 } });
    await page.keyboard.press('Control+Z');
    await waitUntil(async () => !/status: accepted/.test(await editorText()), 'status back to open');
    await waitUntil(errorSquiggleOnThreat, 'error squiggle back');
  });
} catch (e) {
  await fatal(e);
}
await finish();
