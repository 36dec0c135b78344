// End-to-end test of modelling without YAML (#11) in the real workbench, against the INSTALLED .vsix: from a
// file holding only `rampart: 1` and a title, build a model with the visual editor alone (3 boundaries,
// 6 elements, 6 flows, one of them drawn in connect mode, 4 threats, 3 mitigations), save it, check it with the
// CLI (no schema finding), and undo the last two actions one at a time with Ctrl+Z in the text editor. Then the
// properties panel: change a field, delete an element with its references, drop a threat on a heat-map cell.
// Run by scripts/host/run.sh (every test/e2e/*.mjs). Env: CS_URL, WS, EXT, OUT (screenshot folder).
import fs from 'node:fs';
import path from 'node:path';
import { checkWithCli } from './lib/cli.mjs';
import { startE2E } from './lib/harness.mjs';
import { workbench } from './lib/workbench.mjs';

const FILE = 'built.threatmodel.yaml';
const full = path.join(process.env.WS, 'visual', FILE);
fs.writeFileSync(full, 'rampart: 1\ntitle: Built in the visual editor\n');
const { page, log, check, shot, fatal, finish, openWorkbench } = await startE2E('authoring');
const { webview, runCommand, quickOpen, waitUntil } = workbench(page);

/** The visual editor's counts line: elements, flows and threats. */
const counts = async () => {
  const t = await webview.locator('.toolbar .counts').textContent({ timeout: 15000 });
  const n = re => Number(re.exec(t)?.[1] ?? 0);
  return { elements: n(/(\d+) elements?/), flows: n(/(\d+) flows?/), threats: n(/(\d+) threats?/) };
};
const mitigationRows = () => webview.locator('table.mitigations tbody tr[data-id]').count();

/** Opens a form with its button, fills it (`fields`: name -> value for inputs and selects), adds, waits for `done`. */
async function add(form, fields, done) {
  await webview.locator(`.authoring button[data-add="${form}"]`).click();
  for (const [name, value] of Object.entries(fields)) {
    const control = webview.locator(`.add-form [name="${name}"]`);
    if (await control.evaluate(el => el.tagName) === 'SELECT') await control.selectOption(value);
    else await control.fill(value);
  }
  await webview.locator('.add-form button[type="submit"]').click();
  await waitUntil(done, `${form} ${JSON.stringify(fields)} added`);
}

const checkSaved = () => checkWithCli(full);

const countsAre = want => async () => { const c = await counts(); return Object.entries(want).every(([k, v]) => c[k] === v); };

try {
  await openWorkbench();
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await runCommand('View: Close All Editors').catch(() => {});

  await check('the visual editor opens on a model with nothing in it, with the buttons to add to it', async () => {
    await quickOpen(FILE);
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ timeout: 15000 });
    await runCommand('Rampart: Open Visual Editor to the Side');
    await webview.locator('.authoring button[data-add="element"]').waitFor({ timeout: 60000 });
    const c = await counts();
    if (c.elements !== 0) throw new Error(`expected an empty model, got ${JSON.stringify(c)}`);
  });

  await check('three boundaries and six elements, from the forms', async () => {
    await add('boundary', { name: 'Internet', trust: 'untrusted' }, async () => (await webview.locator('.add-form').count()) === 0);
    await add('boundary', { name: 'DMZ', trust: 'partial' }, async () => (await webview.locator('.add-form').count()) === 0);
    await add('boundary', { name: 'Core network', trust: 'trusted', parent: 'dmz' }, async () => (await webview.locator('.add-form').count()) === 0);
    const elements = [
      { type: 'external', name: 'Customer browser', boundary: 'internet' },
      { type: 'process', name: 'API gateway', boundary: 'dmz' },
      { type: 'process', name: 'Orders API', boundary: 'core-network' },
      { type: 'store', name: 'Orders DB', boundary: 'core-network' },
      { type: 'process', name: 'Mailer', boundary: 'core-network' },
      { type: 'external', name: 'Mail relay' },
    ];
    for (const [i, e] of elements.entries()) await add('element', e, countsAre({ elements: i + 1 }));
    await webview.locator('.canvas svg g.node').nth(5).waitFor({ timeout: 30000 });
  });
  await shot('authoring-elements');

  await check('six flows: the first drawn in connect mode (click the source node, then the target), the others from the form', async () => {
    // the view follows the last element added: Fit shows them all, like a user about to draw between two
    await webview.locator('.zoom-controls button', { hasText: 'Fit' }).click();
    await webview.locator('.authoring button[data-add="flow"]').click();
    await webview.locator('.canvas g.node', { hasText: 'Customer browser' }).click();
    await webview.locator('.canvas g.node', { hasText: 'API gateway' }).click();
    const from = await webview.locator('.add-form select[name="from"]').inputValue();
    const to = await webview.locator('.add-form select[name="to"]').inputValue();
    if (from !== 'customer-browser' || to !== 'api-gateway') throw new Error(`connect mode filled ${from} -> ${to}`);
    await webview.locator('.add-form input[name="protocol"]').fill('https');
    await webview.locator('.add-form input[name="encrypted"]').check();
    await webview.locator('.add-form button[type="submit"]').click();
    await waitUntil(countsAre({ flows: 1 }), 'the drawn flow');
    const flows = [
      { from: 'api-gateway', to: 'orders-api', protocol: 'http' },
      { from: 'orders-api', to: 'orders-db', protocol: 'postgres' },
      { from: 'orders-api', to: 'mailer', protocol: 'amqp' },
      { from: 'mailer', to: 'mail-relay', protocol: 'smtp' },
      { from: 'orders-db', to: 'orders-api', protocol: 'postgres' },
    ];
    for (const [i, f] of flows.entries()) await add('flow', f, countsAre({ flows: i + 2 }));
  });
  await shot('authoring-flows');

  await check('four threats and three mitigations, from the forms', async () => {
    const threats = [
      { target: 'api-gateway', stride: 'spoofing', title: 'Stolen session tokens replayed', likelihood: 'likely', impact: 'major' },
      { target: 'orders-db', stride: 'tampering', title: 'Orders changed in the database', likelihood: 'unlikely', impact: 'major' },
      { target: 'mailer', stride: 'information-disclosure', title: 'Order details mailed to the wrong customer', likelihood: 'possible', impact: 'moderate' },
      { target: 'orders-api', stride: 'denial-of-service', title: 'Order API flooded', likelihood: 'possible', impact: 'major' },
    ];
    for (const [i, t] of threats.entries()) await add('threat', t, countsAre({ threats: i + 1 }));
    const ids = await webview.locator('table.threats tbody tr[data-id]').evaluateAll(rows => rows.map(r => r.getAttribute('data-id')));
    const mitigations = [['api-gateway-spoofing', 'Short-lived tokens'], ['orders-db-tampering', 'Database audit log'], ['orders-api-denial-of-service', 'Rate limiting']];
    for (const [i, [threat, title]] of mitigations.entries()) {
      if (!ids.includes(threat)) throw new Error(`no threat ${threat} among ${ids}`);
      await add('mitigation', { threat, title }, async () => (await mitigationRows()) === i + 1);
    }
  });
  await shot('authoring-complete');

  await check('the saved file checks with `rampart check`: no schema finding, and every entry is there', async () => {
    await page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    await waitUntil(async () => /Short-lived tokens/.test(fs.readFileSync(full, 'utf8')) && (await page.locator('.tabs-container .tab.dirty').count()) === 0, 'the save');
    const findings = checkSaved();
    const text = fs.readFileSync(full, 'utf8');
    for (const id of ['internet:', 'core-network:', 'customer-browser:', 'mail-relay:', 'customer-browser-to-api-gateway:', 'api-gateway-spoofing:', 'rate-limiting:']) {
      if (!text.includes(`  ${id}`)) throw new Error(`${id} missing from the saved file`);
    }
    log(`saved model: ${text.split('\n').length} lines, ${findings.length} findings, none about the format`);
  });

  await check('Ctrl+Z in the text editor undoes one action at a time: the last mitigation, then the one before', async () => {
    await page.keyboard.press('Control+Z');
    await waitUntil(async () => (await mitigationRows()) === 2, 'the first undo');
    await page.keyboard.press('Control+Z');
    await waitUntil(async () => (await mitigationRows()) === 1, 'the second undo');
    const c = await counts();
    if (c.threats !== 4 || c.flows !== 6 || c.elements !== 6) throw new Error(`undo went too far: ${JSON.stringify(c)}`);
  });
  await shot('authoring-undone');

  await check('the properties panel: click a node, change a field, Save: one edit of the text', async () => {
    await webview.locator('.zoom-controls button', { hasText: 'Fit' }).click();
    await webview.locator('.canvas g.node', { hasText: 'Orders API' }).click();
    await webview.locator('.inspector input[name="technology"]').waitFor({ timeout: 30000 });
    const boundary = await webview.locator('.inspector select[name="boundary"]').inputValue();
    if (boundary !== 'core-network') throw new Error(`the panel shows boundary ${boundary}`);
    await webview.locator('.inspector input[name="technology"]').fill('Go 1.23');
    await webview.locator('.inspector select[name="internet_facing"]').selectOption('false');
    await shot('authoring-properties');
    await webview.locator('.inspector button[type="submit"]').click();
    await waitUntil(async () => (await webview.locator('.inspector.dirty').count()) === 0 && (await webview.locator('.inspector input[name="technology"]').inputValue()) === 'Go 1.23', 'the saved field');
  });

  await check('delete from the panel: the references are listed, "Delete with references" removes the element, its flows and its only threat', async () => {
    await webview.locator('.inspector button.close').click();
    await webview.locator('.canvas g.node', { hasText: 'Mailer' }).click();
    await webview.locator('.inspector button.delete').click();
    await webview.locator('.inspector .confirm li').first().waitFor({ timeout: 30000 });
    const listed = await webview.locator('.inspector .confirm li').allTextContents();
    if (!listed.some(t => /flow/.test(t)) || !listed.some(t => /threat/.test(t))) throw new Error(`references listed: ${listed.join(' | ')}`);
    await shot('authoring-delete-confirm');
    await webview.locator('.inspector .confirm button.danger').click();
    await waitUntil(countsAre({ elements: 5, flows: 4, threats: 3 }), 'the delete with references');
    if (!(await webview.locator('.inspector').isHidden())) throw new Error('the panel of the deleted element stayed open');
  });

  await check('a threat row dropped on a heat-map cell takes its likelihood and impact', async () => {
    const row = webview.locator('table.threats tbody tr[data-id="orders-db-tampering"]');
    await row.dragTo(webview.locator('.heatmap td.cell[data-cell="4,4"]'));
    await waitUntil(async () => /almost certain/i.test(await webview.locator('.heatmap td.cell[data-cell="4,4"]').getAttribute('title') ?? '') &&
      (await webview.locator('.heatmap td.cell[data-cell="4,4"]').getAttribute('data-total')) === '1', 'the threat in its new cell');
  });

  await check('saved after the panel edits: `rampart check` finds no schema error and no dangling reference', async () => {
    await page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    await waitUntil(async () => /Go 1\.23/.test(fs.readFileSync(full, 'utf8')) && (await page.locator('.tabs-container .tab.dirty').count()) === 0, 'the save');
    const text = fs.readFileSync(full, 'utf8');
    if (/\bmailer\b/.test(text)) throw new Error('a reference to the deleted mailer is left');
    if (!/technology: Go 1\.23/.test(text) || !/internet_facing: false/.test(text)) throw new Error('the panel edits are not in the file');
    checkSaved();
  });
  await shot('authoring-edited');
} catch (e) {
  await fatal(e);
}
await finish();
