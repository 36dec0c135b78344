// End-to-end test of the code and the model (#13) in the real workbench, against the INSTALLED .vsix: a source
// file with annotations shows a CodeLens over each one with the threat's title, level and status; an annotation
// naming an id the model lacks is underlined and listed in Problems; F12 on an annotation's id opens the model at
// the threat. Run by scripts/host/run.sh. Env: CS_URL, WS, EXT, OUT.
import fs from 'node:fs';
import path from 'node:path';
import { startE2E } from './lib/harness.mjs';
import { workbench } from './lib/workbench.mjs';

const SRC = path.join(process.env.WS, 'trace-demo', 'src', 'auth.ts');
// a second, mistyped annotation: the finding the developer should see in the source file
fs.appendFileSync(SRC, '\n// @threat token-replya\nexport const revoke = (token: string) => token;\n');

const { page, log, check, shot, fatal, finish, openWorkbench } = await startE2E('trace');
const { quickOpen, waitUntil } = workbench(page);
const editor = page.locator('.editor-group-container.active .monaco-editor').first();
const lenses = () => editor.locator('.contentWidgets .codelens-decoration, .codelens-decoration').allInnerTexts();

try {
  await openWorkbench();
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await quickOpen('auth.ts');

  await check('a CodeLens over each annotation names the threat with its level and status, and the mitigation', async () => {
    await waitUntil(async () => (await lenses()).some(t => /mitigates Token replay \(token-replay\) · high · open/.test(t)), 'the lens of the @mitigates line', 60000);
    const all = (await lenses()).map(t => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
    log(`lenses: ${all.join(' | ')}`);
    if (!all.some(t => /Short-lived tokens \(implemented\)/.test(t))) throw new Error('the mitigation named by `with` is not on the lens');
    if (!all.some(t => /unknown threat .token-replya./.test(t))) throw new Error('the mistyped annotation has no warning lens');
  });

  await check('the mistyped id is a warning in Problems, in the source file', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'trace/unknown-annotation-id' });
    // the other models of the workspace have problems of their own: show the source file's
    const filter = page.locator('.part.panel .viewpane-filter input').first();
    await filter.waitFor({ timeout: 15000 });
    await waitUntil(async () => {
      await filter.fill('');
      await filter.fill('token-replya');
      return row.first().waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, 'the unknown-id warning of auth.ts in Problems', 45000);
    log(`Problems: ${(await row.first().innerText()).replace(/\s+/g, ' ')}`);
  });
  await shot('trace-source-lens');

  await check('F12 on the annotation\'s threat id opens the model at the threat', async () => {
    await editor.locator('.view-line').filter({ hasText: '@mitigates token-replay' }).first().locator('span', { hasText: 'token-replay' }).first().click();
    await page.keyboard.press('F12');
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'app.threatmodel.yaml' }).first().waitFor({ timeout: 20000 });
    const active = page.locator('.editor-group-container.active .monaco-editor').first();
    await waitUntil(async () => (await active.locator('.view-line').allInnerTexts()).some(t => /^\s*token-replay:/.test(t.replace(/\u00a0/g, ' '))), 'the threat in view', 15000);
  });
  await shot('trace-definition');
} catch (e) {
  await fatal(e);
}
await finish();
