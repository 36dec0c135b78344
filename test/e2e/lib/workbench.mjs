// Workbench actions shared by the end-to-end tests: the Command Palette, Quick Open, and the visual editor's
// webview (nested iframes: the workbench's `iframe.webview` holds our page in `iframe#active-frame`).

/** The helpers bound to one page. */
export function workbench(page) {
  const quickInput = page.locator('.quick-input-widget input');
  const tab = name => page.locator('.tabs-container .tab').filter({ hasText: name });
  const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  /** Runs a command from the Command Palette: the row whose label is exactly `label` (not the first fuzzy match). */
  async function runCommand(label) {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    // Right after the workbench loads, the extensions' commands may not be listed yet: open the palette again.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await quickInput.waitFor({ timeout: 15000 });
      await quickInput.fill(`>${label}`);
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
      try {
        await row.click({ timeout: attempt < 3 ? 8000 : 15000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await quickInput.waitFor({ state: 'hidden', timeout: 15000 }).catch(() => {});
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its tab to be the active one. */
  async function quickOpen(name) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await quickInput.waitFor({ timeout: 15000 });
    await quickInput.fill(name);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: name }).first().waitFor({ timeout: 15000 });
  }

  /** Polls `cond` (a failing or throwing check counts as not yet) until it holds, or fails after `ms`. */
  async function waitUntil(cond, what, ms = 20000) {
    const t0 = Date.now();
    for (;;) {
      if (await cond().catch(() => false)) return;
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting: ${what}`);
      await page.waitForTimeout(150);
    }
  }

  return { quickInput, tab, webview, runCommand, quickOpen, waitUntil };
}
