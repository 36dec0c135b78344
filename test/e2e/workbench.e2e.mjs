// End-to-end UI test of the INSTALLED .vsix in a real VS Code workbench (code-server) driven through Debian
// Chromium by playwright-core. Run by scripts/host/run.sh, which starts code-server with the .vsix installed
// and a throw-away copy of test/fixtures/workspace.
// Env: CS_URL (code-server), WS (workspace folder), EXT (repo root), OUT (screenshot folder).
// Keep these few and about what a user sees; the detailed checks live in test/integration (in-host mocha).
import fs from 'node:fs';
import path from 'node:path';
import { startE2E } from './lib/harness.mjs';
import { workbench } from './lib/workbench.mjs';

const { page, log, check, shot, fatal, finish, openWorkbench, EXT } = await startE2E('workbench');
const pkg = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
const nlsFile = path.join(EXT, 'package.nls.json');
const nls = fs.existsSync(nlsFile) ? JSON.parse(fs.readFileSync(nlsFile, 'utf8')) : {};
const localized = s => (typeof s === 'string' && /^%.+%$/.test(s) ? nls[s.slice(1, -1)] ?? s : s);
const RULE = 'risk/unmitigated-above-tolerance';

const { quickInput, quickOpen } = workbench(page);
const activeEditor = page.locator('.editor-group-container.active .monaco-editor').first();


try {
  await openWorkbench();

  await check('explorer lists the fixture models', async () => {
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByText('payments.threatmodel.yaml').first().waitFor({ timeout: 30000 });
    await explorer.getByText('clean.threatmodel.yaml').first().waitFor({ timeout: 5000 });
  });

  // Give the workbench keyboard focus, then open the model with a finding.
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await check('Quick Open opens payments.threatmodel.yaml', () => quickOpen('payments.threatmodel.yaml'));

  await check('status bar shows the language mode "Threat Model"', async () => {
    await page.locator('.statusbar-item').filter({ hasText: /^Threat Model$/ }).first().waitFor({ timeout: 15000 });
  });

  await check('editor shows an error squiggle on the open high threat', async () => {
    await activeEditor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 30000 });
    // The squiggle is on the line of the threat key: the view line holding `card-skimming:` must be where
    // the decoration is drawn (same vertical position).
    // Lines move while CodeLens and decorations settle, so compare positions until they agree (or time out).
    let lineTop = 0, squiggleTops = [];
    for (const end = Date.now() + 15000; Date.now() < end; await page.waitForTimeout(250)) {
      lineTop = await activeEditor.locator('.view-line').filter({ hasText: 'card-skimming:' }).first()
        .evaluate(el => el.getBoundingClientRect().top).catch(() => 0);
      squiggleTops = await activeEditor.locator('.squiggly-error').evaluateAll(els => els.map(el => el.getBoundingClientRect().top));
      if (lineTop > 0 && squiggleTops.some(t => Math.abs(t - lineTop) < 4)) return;
    }
    throw new Error(`no error squiggle at the card-skimming line (line top ${lineTop}, squiggles at ${squiggleTops.join(', ')})`);
  });
  await check('status bar counts the threat above tolerance', async () => {
    await page.locator('.statusbar-item').filter({ hasText: /\b1 above tolerance\b/ }).first().waitFor({ timeout: 15000 });
  });
  await shot('editor');

  // Hover the squiggle: the hover carries the finding's message.
  await check('hovering the squiggle shows the finding', async () => {
    const sq = activeEditor.locator('.squiggly-error').first();
    const hover = page.locator('.monaco-hover').getByText(/card-skimming/).first();
    // A CodeLens drawn after the squiggle was measured moves it down a line: measure again and hover again.
    for (let attempt = 1; ; attempt++) {
      const box = await sq.boundingBox({ timeout: 5000 });
      if (!box) throw new Error('squiggle has no box');
      await page.mouse.move(5, 5);
      await page.mouse.move(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
      try {
        await hover.waitFor({ timeout: 6000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await page.waitForTimeout(300);
  });
  await shot('hover');
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  // Problems panel (Ctrl+Shift+M). Other models in the workspace have findings too (workspace scope), so the
  // list is narrowed with the panel's own filter box (a glob on the file) before looking for rows.
  const panel = page.locator('.markers-panel');
  const problemsFilter = page.locator('.part.panel .viewpane-filter input').first();
  const rowsFor = file => panel.locator('.monaco-list-row').filter({ hasText: file });
  async function filterProblems(text) {
    await problemsFilter.waitFor({ timeout: 15000 });
    await problemsFilter.fill(text);
    await page.waitForTimeout(600); // the filter is applied after a short delay
  }
  await page.keyboard.press('Control+Shift+M');
  await check(`Problems panel lists the ${RULE} error of card-skimming`, async () => {
    await panel.getByText(RULE).first().waitFor({ timeout: 30000 });
    await filterProblems('**/payments.threatmodel.yaml');
    await rowsFor('payments.threatmodel.yaml').first().waitFor({ timeout: 10000 });
    const row = panel.locator('.monaco-list-row').filter({ hasText: 'card-skimming' }).filter({ hasText: RULE }).first();
    await row.waitFor({ timeout: 10000 });
    await row.locator('.codicon-error, .marker-icon.error').first().waitFor({ timeout: 5000 });
  });
  await shot('problems');

  await check('a clean model gets no squiggle and no entry in Problems', async () => {
    await quickOpen('clean.threatmodel.yaml');
    await page.locator('.statusbar-item').filter({ hasText: /^Threat Model$/ }).first().waitFor({ timeout: 15000 });
    await page.waitForTimeout(2500); // analysis is debounced: let it run, then look for (the absence of) results
    await page.locator('.statusbar-item').filter({ hasText: /\bwithin tolerance\b/ }).first().waitFor({ timeout: 10000 });
    const squiggles = await activeEditor.locator('.squiggly-error, .squiggly-warning, .squiggly-info').count();
    if (squiggles) throw new Error(`${squiggles} squiggle(s) in clean.threatmodel.yaml`);
    // The same filter that showed payments' rows shows none for the clean model.
    await filterProblems('**/clean.threatmodel.yaml');
    const rows = await rowsFor('clean.threatmodel.yaml').count();
    if (rows) throw new Error(`Problems lists ${rows} row(s) for clean.threatmodel.yaml`);
    await filterProblems('**/payments.threatmodel.yaml');
    await rowsFor('payments.threatmodel.yaml').first().waitFor({ timeout: 10000 });
    await filterProblems('**/clean.threatmodel.yaml');
  });
  await shot('clean');

  // A contributed command is in the Command Palette under its category.
  // (Commands the palette shows only in some context, `menus.commandPalette[].when`, are left out.)
  const conditional = new Set((pkg.contributes?.menus?.commandPalette ?? []).filter(m => m.when).map(m => m.command));
  const commands = (pkg.contributes?.commands ?? []).filter(c => !conditional.has(c.command) && !c.enablement);
  if (!commands.length) log('SKIP Command Palette check: package.json contributes no command');
  else {
    const c = commands[0];
    const label = c.category ? `${localized(c.category)}: ${localized(c.title)}` : localized(c.title);
    await check(`Command Palette lists "${label}"`, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await quickInput.waitFor({ timeout: 15000 });
      await quickInput.fill(`>${label}`);
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first().waitFor({ timeout: 15000 });
      await shot('palette');
      await page.keyboard.press('Escape');
    });
  }
} catch (e) {
  await fatal(e);
}
await finish();
