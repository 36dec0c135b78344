// End-to-end test of drafting a model from the repository (#12) in the real workbench, against the INSTALLED
// .vsix: a workspace with a real Compose file and a real OpenAPI description (from ../shared/corpus/discover),
// "Rampart: Draft Threat Model from Workspace" from the Command Palette writes a model and shows its diagram;
// the installed CLI checks it without a schema error; a service added to the Compose file on disk shows up as a
// drift finding in Problems, and its "Add to model" quick fix adds it to the model and the diagram. Run by scripts/host/run.sh. Env: CS_URL, WS, EXT, OUT.
import fs from 'node:fs';
import path from 'node:path';
import { checkWithCli } from './lib/cli.mjs';
import { startE2E } from './lib/harness.mjs';
import { workbench } from './lib/workbench.mjs';

const CORPUS = path.resolve('../shared/corpus/discover');
const compose = path.join(process.env.WS, 'deploy', 'compose.yaml');
fs.mkdirSync(path.dirname(compose), { recursive: true });
fs.copyFileSync(path.join(CORPUS, 'compose/nextcloud-redis-mariadb.compose.yaml'), compose);
fs.mkdirSync(path.join(process.env.WS, 'api'), { recursive: true });
fs.copyFileSync(path.join(CORPUS, 'openapi/petstore-expanded.yaml'), path.join(process.env.WS, 'api', 'openapi.yaml'));
const model = path.join(process.env.WS, 'threat-model.threatmodel.yaml');

const { page, log, check, shot, fatal, finish, openWorkbench } = await startE2E('discover');
const { webview, runCommand, waitUntil, quickInput } = workbench(page);
const nodes = () => webview.locator('.canvas svg g.node').count();
const elementCount = async () => Number(/(\d+) elements?/.exec(await webview.locator('.toolbar .counts').textContent({ timeout: 15000 }))?.[1] ?? 0);

try {
  await openWorkbench();
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await runCommand('View: Close All Editors').catch(() => {});

  let drafted = 0;
  await check('"Draft Threat Model from Workspace" writes a model from the Compose file and the OpenAPI description, and shows its diagram', async () => {
    await runCommand('Rampart: Draft Threat Model from Workspace');
    await waitUntil(async () => fs.existsSync(model), 'the drafted model on disk', 60000);
    await webview.locator('.canvas svg g.node').first().waitFor({ timeout: 60000 });
    drafted = await elementCount();
    const text = fs.readFileSync(model, 'utf8');
    for (const id of ['nc:', 'redis:', 'db:']) if (!text.includes(`\n  ${id}`)) throw new Error(`${id} is not in the draft`);
    if (!/source: deploy\/compose\.yaml:\d+/.test(text)) throw new Error('the entries do not say where they come from');
    if (drafted < 4 || (await nodes()) < 4) throw new Error(`only ${drafted} elements drafted`);
    log(`drafted ${drafted} elements; ${text.split('\n').length} lines`);
  });
  await webview.locator('.zoom-controls button', { hasText: 'Fit' }).click().catch(() => {});
  await shot('discover-draft');

  await check('the installed CLI checks the draft: no schema finding, the design rules fire on what was found', async () => {
    const findings = checkWithCli(model);
    if (!findings.some(f => String(f.ruleId).startsWith('design/'))) throw new Error('no design finding on the draft');
  });

  await check('a service added to the Compose file: the model shows the drift finding, "Add to model" adds it, and the diagram shows it', async () => {
    const text = fs.readFileSync(compose, 'utf8');
    if (!/^services:\n/m.test(text)) throw new Error('no `services:` line in the Compose file');
    // saved by another tool (git pull, another editor): the language server hears it from the file watcher
    fs.writeFileSync(compose, text.replace(/^services:\n/m, 'services:\n  billing:\n    image: ghcr.io/acme/billing:2\n    environment:\n      NEXTCLOUD_URL: http://nc:80/\n'));
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    // the other models of the workspace have their own problems: show the ones that name the new service
    const filter = page.locator('.part.panel .viewpane-filter input').first();
    await filter.waitFor({ timeout: 15000 });
    const row = panel.locator('.monaco-list-row').filter({ hasText: 'discover/undeclared-component' }).filter({ hasText: 'billing' });
    // the filter is applied after a delay and not always re-applied as markers arrive: type it again until the row shows
    await waitUntil(async () => {
      await filter.fill('');
      await filter.fill('billing');
      return row.first().waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, 'the drift finding of the new service in Problems', 60000);
    log(`Problems: ${(await row.first().innerText()).replace(/\s+/g, ' ')}`);
    await shot('discover-drift');
    // the finding sits on `elements:`; the quick fix from the keyboard, as a developer applies it
    const lineNo = fs.readFileSync(model, 'utf8').split('\n').findIndex(l => l.startsWith('elements:')) + 1;
    await page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ timeout: 10000 });
    await quickInput.fill(`:${lineNo}:1`);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    const wanted = /Add to model: service .billing./;
    await menu.locator('.monaco-list-row').filter({ hasText: wanted }).first().waitFor({ timeout: 15000 });
    await shot('discover-add-to-model');
    for (let i = 0; i < 8 && !wanted.test(await menu.locator('.monaco-list-row.focused').first().innerText().catch(() => '')); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(120);
    }
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await elementCount()) === drafted + 1, 'the new service in the visual editor', 60000);
    await webview.locator('.canvas g.node', { hasText: 'billing' }).first().waitFor({ timeout: 30000 });
    await waitUntil(async () => (await row.count()) === 0, 'the drift finding to go away', 30000);
  });
  await shot('discover-added');
} catch (e) {
  await fatal(e);
}
await finish();
