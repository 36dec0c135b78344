// The visual editor's webview in real headless Chromium, under the extension's own HTML and CSP.
//
//   node test/webview/webview.test.mjs            run the tests, write screenshots, print "N passed, N failed"
//   node test/webview/webview.test.mjs --bench    also time the first diagram for 10/50/150-element models
//   node test/webview/webview.test.mjs --dist     use dist/webview/main.{js,css} from `npm run build`
//
// The page is served from a local http origin with webviewHtml() (the same function the extension uses), a
// stand-in acquireVsCodeApi records posted messages, and updates are built by viewModel.ts from fixture
// models. Exports: runWebviewTests(), timeToFirstDiagram(sizes) for the lead's `npm test` / `npm run bench`.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { tsImport } from 'tsx/esm/api';
import { PAYMENTS_YAML, INJECTION_YAML, INVALID_YAML, EVIL_TEXT, generatedModel } from '../../scripts/webview-fixture.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'test-results');
const SHOTS = path.join(OUT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// A webview has no browser window around it. Chromium's headless mode opens a whole window per context, and in
// each it preloads the address bar's pop-up (a WebUI page of its own: 300-400 ms of a renderer's thread, traced),
// which on two cores landed in the middle of every timed page load, ours and the reference's alike: off.
// Chromium keeps only the last --disable-features, so Playwright's own list (1.65, chromiumSwitches.ts) is repeated.
const CHROMIUM_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup', 'PreloadTopChromeWebUI',
];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  `--disable-features=${CHROMIUM_DISABLED_FEATURES.join(',')}`];

const core = {
  parse: await tsImport(pathToFileURL(path.join(ROOT, 'src/core/model/parse.ts')).href, import.meta.url),
  vm: await tsImport(pathToFileURL(path.join(ROOT, 'src/core/render/viewModel.ts')).href, import.meta.url),
  html: await tsImport(pathToFileURL(path.join(ROOT, 'src/webview/html.ts')).href, import.meta.url),
  protocol: await tsImport(pathToFileURL(path.join(ROOT, 'src/shared/protocol.ts')).href, import.meta.url),
  mermaid: await tsImport(pathToFileURL(path.join(ROOT, 'src/core/render/mermaid.ts')).href, import.meta.url),
  analyze: await tsImport(pathToFileURL(path.join(ROOT, 'src/core/analyze.ts')).href, import.meta.url),
  entryForm: await tsImport(pathToFileURL(path.join(ROOT, 'src/core/edit/entryForm.ts')).href, import.meta.url),
  suggestions: await tsImport(pathToFileURL(path.join(ROOT, 'src/core/edit/suggestions.ts')).href, import.meta.url),
  delta: await tsImport(pathToFileURL(path.join(ROOT, 'src/shared/viewDelta.ts')).href, import.meta.url),
  genModel: await tsImport(pathToFileURL(path.join(ROOT, 'scripts/genModel.ts')).href, import.meta.url),
};
const warm = await tsImport(pathToFileURL(path.join(ROOT, 'src/server/layout/warmGraph.ts')).href, import.meta.url);

/** The update message the extension would post for `yaml` (validated with the protocol's own schema). */
export function updateFor(yaml, version = 1, opts = {}) {
  const parsed = core.parse.parseModel(yaml);
  const { view } = core.vm.buildViewModel(parsed, { now: new Date('2026-01-15T00:00:00Z'), ...opts });
  const msg = JSON.parse(JSON.stringify({ type: 'update', version, view }));
  if (!core.protocol.parseToWebview(msg)) throw new Error('update message does not match the protocol');
  return msg;
}

/** Builds the webview bundle exactly as esbuild.mjs does (iife, browser, es2022, css), minified. */
async function buildBundle(useDist) {
  if (useDist) return { dir: path.join(ROOT, 'dist/webview') };
  const dir = path.join(OUT, 'webview-dist');
  const t0 = performance.now();
  const { elkScript, mermaidFlowchartOnly } = await import('../../scripts/mermaidFlowchartOnly.mjs');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/webview/main.ts')], outdir: dir, bundle: true, minify: true, sourcemap: false,
    platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'css' }, logLevel: 'warning', plugins: [mermaidFlowchartOnly],
  });
  fs.writeFileSync(path.join(dir, 'elk.js'), await elkScript());
  return { dir, buildMs: performance.now() - t0 };
}

/** Draws `window.__refText` on load; `__refRender(text)` draws another text and returns the milliseconds it took. */
const REFERENCE_SCRIPT = `
mermaid.initialize({ startOnLoad: false });
let n = 0;
const out = document.getElementById('out');
window.__refRender = async text => {
  const t0 = performance.now();
  const { svg } = await mermaid.render('ref' + (++n), text);
  out.innerHTML = svg;
  out.getBoundingClientRect();
  return performance.now() - t0;
};
window.__refRender(window.__refText).then(() => { window.__refDoneAt = performance.now(); }, e => { window.__refError = String(e); });
`;

/** Serves the HTML shell (fresh nonce per load) and the bundle from 127.0.0.1. */
async function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = crypto.randomBytes(18).toString('base64url');
      // `scriptDelay`: the bundle served that much later (a page whose script loads slowly)
      const delay = Number(url.searchParams.get('scriptDelay') ?? 0);
      const body = core.html.webviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/main.js${delay ? `?delay=${delay}` : ''}`, styleUri: `${origin}/main.css`, title: 'Test' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
      return;
    }
    if (url.pathname === '/reference.html') {
      // The benchmark's reference: the full mermaid package with its default settings on a bare page.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body><div id="out"></div><script src="/mermaid-full.js"></script><script src="/reference.js"></script></body></html>');
      return;
    }
    if (url.pathname === '/mermaid-full.js' || url.pathname === '/reference.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      if (url.pathname === '/reference.js') res.end(REFERENCE_SCRIPT);
      else fs.createReadStream(path.join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js')).pipe(res);
      return;
    }
    const file = { '/main.js': 'main.js', '/main.css': 'main.css', '/elk.js': 'elk.js' }[url.pathname];
    if (!file || !fs.existsSync(path.join(dir, file))) {
      res.writeHead(404);
      res.end();
      return;
    }
    const send = () => {
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
      fs.createReadStream(path.join(dir, file)).pipe(res);
    };
    const delay = Math.min(Number(url.searchParams.get('delay') ?? 0), 5000);
    if (delay > 0) setTimeout(send, delay);
    else send();
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

const DARK_VARS = {
  '--vscode-editor-background': '#1e1e1e', '--vscode-foreground': '#cccccc', '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  '--vscode-font-size': '13px', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-focusBorder': '#007fd4', '--vscode-panel-border': '#80808059',
  '--vscode-dropdown-background': '#3c3c3c', '--vscode-dropdown-foreground': '#f0f0f0', '--vscode-button-secondaryBackground': '#3a3d41',
  '--vscode-button-secondaryForeground': '#ffffff', '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-editor-font-family': 'Menlo, Consolas, "DejaVu Sans Mono", monospace',
};
const LIGHT_VARS = {
  ...DARK_VARS, '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171',
  '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#cce6ff',
  '--vscode-list-activeSelectionForeground': '#000000', '--vscode-panel-border': '#e5e5e5',
};

const HC_VARS = {
  ...DARK_VARS, '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffff',
  '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518', '--vscode-dropdown-background': '#000000',
  '--vscode-dropdown-border': '#6fc3df', '--vscode-panel-border': '#6fc3df',
};
const themeVars = theme => (theme.includes('high-contrast') ? HC_VARS : theme.includes('light') ? LIGHT_VARS : DARK_VARS);

/** What VS Code's webview host provides before our script runs: the API, theme variables and body class. */
function hostScript({ theme, vars, state, autoUpdate, layoutHost, layoutWarm }) {
  window.__posted = [];
  window.__states = [];
  window.__csp = [];
  let st = state;
  window.acquireVsCodeApi = () => ({
    postMessage: m => {
      window.__posted.push(JSON.parse(JSON.stringify(m)));
      // like the extension: the language server's layouts offered first (`layoutHost`), then the model as soon as
      // the webview says it is ready (after the kept drawings, if given a list)
      if (m.type === 'ready' && (autoUpdate || layoutHost)) {
        setTimeout(() => {
          if (layoutHost) window.postMessage({ type: 'layoutService', warm: layoutWarm }, '*');
          for (const x of [].concat(autoUpdate ?? [])) window.postMessage(x, '*');
        }, 0);
      }
      // like the extension: a layout goes to the language server (`__rampartLayout`, the harness's binding)
      if (layoutHost && m.type === 'layout') {
        window.__rampartLayout(m.graphJson, m.layoutOptions ?? null).then(
          graphJson => window.postMessage({ type: 'layoutDone', id: m.id, graphJson }, '*'),
          e => window.postMessage({ type: 'layoutDone', id: m.id, error: String(e?.message ?? e) }, '*'));
      }
    },
    getState: () => st,
    setState: s => { st = s; window.__states.push(s); },
  });
  // The words of every SVG text, lines joined by spaces: what a reader sees.
  window.__svgText = svg => [...svg.querySelectorAll('text')].map(t => {
    const leaves = [...t.querySelectorAll('tspan')].filter(x => !x.querySelector('tspan'));
    return (leaves.length ? leaves.map(x => x.textContent) : [t.textContent]).join(' ').replace(/\s+/g, ' ').trim();
  }).join(' | ');
  // Any CSS colour (rgb(), color(srgb …), a variable's value) as [r, g, b, a] 0..255, read back from a canvas.
  window.__rgb = css => {
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    const x = c.getContext('2d', { willReadFrequently: true });
    x.clearRect(0, 0, 1, 1);
    x.fillStyle = '#000000';
    x.fillStyle = css;
    x.fillRect(0, 0, 1, 1);
    return [...x.getImageData(0, 0, 1, 1).data];
  };
  document.addEventListener('securitypolicyviolation', e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  // Like VS Code's host: theme variables on <html>, the theme class on <body>, before our script runs.
  let varsSet = false;
  const apply = obs => {
    if (!varsSet && document.documentElement) {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      varsSet = true;
    }
    if (document.body) {
      document.body.classList.add(theme);
      obs?.disconnect();
      return true;
    }
    return false;
  };
  if (!apply()) new MutationObserver((_, obs) => apply(obs)).observe(document, { childList: true, subtree: true });
}

class Harness {
  constructor(browser, origin) {
    this.browser = browser;
    this.origin = origin;
  }

  /**
   * `layoutServer`: a language server (LayoutServer) that lays the page's diagrams out, as the extension has the
   * language server do (`layoutService`, `layout`, `layoutDone`).
   */
  async open({ theme = 'vscode-dark', state, width = 1280, height = 900, autoUpdate, init, layoutServer, scriptDelay } = {}) {
    const context = await this.browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    if (layoutServer) await page.exposeBinding('__rampartLayout', (_source, graphJson, layoutOptions) => layoutServer.layout(graphJson, layoutOptions));
    // as the extension does: whether the server's ELK is warm, asked when the page is ready
    const layoutWarm = layoutServer ? (layoutServer.status ? (await layoutServer.status()).state === 'warm' : true) : false;
    const log = { requests: [], dialogs: [], errors: [], console: [] };
    page.on('request', r => log.requests.push(r.url()));
    page.on('dialog', d => { log.dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', e => log.errors.push(e.message));
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') log.console.push(m.text()); });
    await page.addInitScript(hostScript, { theme, vars: themeVars(theme), state, autoUpdate, layoutHost: !!layoutServer, layoutWarm });
    if (init) await page.addInitScript(init); // a script of the test's own, before the page's
    const t0 = Date.now();
    await page.goto(`${this.origin}/${scriptDelay ? `?scriptDelay=${scriptDelay}` : ''}`);
    // ready (said by the page's first script), and the bundle has run (it takes the messages from then on)
    await page.waitForFunction(() => window.__posted?.some(m => m.type === 'ready') && window.__rampart !== undefined, null, { timeout: 30_000 });
    const loadMs = Date.now() - t0;
    return { page, context, log, loadMs };
  }
}

/**
 * Posts a message to the webview and returns once its listeners have run: window.postMessage delivers in a later
 * task, so a check made right after could run first on a busy machine. A second message (a string, which the
 * webview ignores) is delivered after the first, in order; its arrival says the first was handled.
 */
async function post(page, msg) {
  await page.evaluate(m => new Promise(resolve => {
    const token = `__delivered_${Math.random()}`;
    const onMessage = e => {
      if (e.data !== token) return;
      window.removeEventListener('message', onMessage);
      resolve();
    };
    window.addEventListener('message', onMessage);
    window.postMessage(m, '*');
    window.postMessage(token, '*');
  }), msg);
}

/** Posts an update and waits until the webview has drawn it (diagram, fallback or unchanged). */
export async function update(page, msg) {
  const before = await page.evaluate(() => window.__rampart.updates);
  await post(page, msg);
  await page.waitForFunction(n => window.__rampart.updates > n, before, { timeout: 60_000 });
}

const posted = page => page.evaluate(() => window.__posted);
const clearPosted = page => page.evaluate(() => { window.__posted.length = 0; });

// -------------------------------------------------------------------------------------------------------------
// Tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function eq(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

/** Nothing but our own origin (and data: URLs) was requested, no dialog, no CSP violation, no page error. */
async function assertClean(page, log, origin) {
  const foreign = log.requests.filter(u => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith(`blob:${origin}/`));
  eq(foreign, [], 'requests outside the webview origin');
  eq(log.dialogs, [], 'dialogs opened');
  eq(await page.evaluate(() => window.__csp), [], 'CSP violations');
  eq(log.errors, [], 'page errors');
}

/** WCAG contrast ratio of two [r, g, b] colours. */
function contrast(a, b) {
  const lum = c => {
    const [r, g, bl] = c.slice(0, 3).map(v => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
const sameRgb = (a, b) => a.slice(0, 3).every((v, i) => Math.abs(v - b[i]) <= 2);

const LEVEL_RANK = { critical: 3, high: 2, medium: 1, low: 0, '': -1 };

test('payments model: nodes, clusters, edges, table, heat map, clicks and statuses', async (h, ctx) => {
  const { page, log } = await h.open();
  const msg = updateFor(PAYMENTS_YAML, 7);
  const v = msg.view;
  await update(page, msg);
  const svg = await page.evaluate(() => {
    const s = document.querySelector('.canvas svg');
    const ids = [...s.querySelectorAll('g.node')].map(g => /-flowchart-([a-z]+\d+)-\d+$/.exec(g.id)?.[1]);
    return {
      nodes: ids.filter(i => /^n\d+$/.test(i)).length,
      clusters: s.querySelectorAll('g.cluster').length,
      edges: s.querySelectorAll('path.flowchart-link').length,
      edgeLabels: [...s.querySelectorAll('g.edgeLabel')].map(g => g.textContent).filter(Boolean).length,
      text: window.__svgText(s),
    };
  });
  eq(svg.nodes, v.elements.length, 'one node per element');
  eq(svg.clusters, v.boundaries.length, 'one cluster per boundary');
  eq(svg.edges, v.flows.length, 'one edge per flow');
  assert(svg.text.includes('Customer browser') && svg.text.includes('Internet · untrusted'), `labels drawn as text: ${svg.text.slice(0, 300)}`);
  assert(svg.text.includes('🔒 https') && svg.text.includes('⚠ unencrypted · no auth'), `flow markers drawn: ${svg.text}`);
  assert(!/&#\d+;/.test(svg.text), 'no undecoded entity left in the SVG text');

  // Node colour: the Payment API carries an open critical threat.
  const apiClass = await page.evaluate(id => [...document.querySelectorAll('.canvas g.node')].find(g => g.id.includes(`-flowchart-${id}-`))?.getAttribute('class'), v.diagram.nodeIds.api);
  assert(/\bcritical\b/.test(apiClass), `Payment API styled critical (class=${apiClass})`);

  // Table: one row per threat, sorted by level.
  const rows = await page.$$eval('table.threats tbody tr', trs => trs.map(tr => ({ id: tr.dataset.id, level: tr.dataset.level })));
  eq(rows.length, v.threats.length, 'one row per threat');
  for (let i = 1; i < rows.length; i++) assert(LEVEL_RANK[rows[i - 1].level] >= LEVEL_RANK[rows[i].level], `rows sorted by risk (${rows.map(r => r.level)})`);
  eq(rows[0].id, 'plaintext-hop', 'the critical threat comes first');

  // Heat map: cell counts match the threats.
  const cells = await page.$$eval('table.heatmap td[data-cell]', tds => tds.map(td => [td.dataset.cell, Number(td.dataset.open), Number(td.dataset.total)]));
  eq(cells.length, 25, '5x5 heat map');
  const L = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'];
  const I = ['negligible', 'minor', 'moderate', 'major', 'severe'];
  const expectTotal = {};
  const expectOpen = {};
  for (const t of v.threats) {
    if (t.status === 'not-applicable' || !t.likelihood) continue;
    const k = `${L.indexOf(t.likelihood)},${I.indexOf(t.impact)}`;
    expectTotal[k] = (expectTotal[k] ?? 0) + 1;
    if (t.open) expectOpen[k] = (expectOpen[k] ?? 0) + 1;
  }
  for (const [k, open, total] of cells) {
    eq([open, total], [expectOpen[k] ?? 0, expectTotal[k] ?? 0], `heat-map cell ${k}`);
  }
  eq(cells.find(c => c[0] === '4,4')?.slice(1), [1, 1], 'almost-certain x severe holds the plaintext hop');

  // Clicking a heat-map cell filters the table; clicking again clears it.
  await page.click('table.heatmap td[data-cell="3,3"]');
  const filtered = await page.$$eval('table.threats tbody tr', trs => trs.map(tr => tr.dataset.id));
  eq(filtered, ['token-replay'], 'likely x major filters to the token replay');
  await page.click('table.heatmap td[data-cell="3,3"]');
  eq((await page.$$('table.threats tbody tr')).length, v.threats.length, 'second click clears the filter');

  // Level filter.
  await page.selectOption('select[aria-label="Filter by level"]', 'high');
  eq(await page.$$eval('table.threats tbody tr', trs => trs.map(tr => tr.dataset.level)), ['high', 'high', 'high'], 'level filter');
  await page.click('text=Clear filters');

  // Clicking a row posts reveal; the row is selected and its target nodes are marked.
  await clearPosted(page);
  await page.click('table.threats tbody tr[data-id="token-replay"] td:nth-child(2)');
  eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'threat', id: 'token-replay' }], 'row click reveals the threat');
  assert(await page.$('table.threats tr.selected[data-id="token-replay"]'), 'row selected');
  assert(await page.$('.canvas g.node.rampart-target'), 'target node highlighted');

  // Changing a status posts setThreatStatus with the document version (and no reveal).
  await clearPosted(page);
  await page.selectOption('tr[data-id="token-replay"] select', 'mitigated');
  eq(await posted(page), [{ type: 'setThreatStatus', id: 'token-replay', status: 'mitigated', version: 7 }], 'status change');
  await clearPosted(page);
  await page.selectOption('table.mitigations tr[data-id="short-lived-tokens"] select', 'implemented');
  eq(await posted(page), [{ type: 'setMitigationStatus', id: 'short-lived-tokens', status: 'implemented', version: 7 }], 'mitigation status change');
  for (const m of await posted(page)) assert(core.protocol.parseFromWebview(m), `posted message passes the protocol: ${JSON.stringify(m)}`);

  // Clicking a node posts reveal for the element.
  await clearPosted(page);
  await page.click(`.canvas g.node[id*="-flowchart-${v.diagram.nodeIds.vault}-"]`);
  eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'element', id: 'vault' }], 'node click reveals the element');
  // Clicking an edge label reveals the flow.
  await clearPosted(page);
  await page.click(`.canvas g.edgeLabel:has([data-id="${v.diagram.edgeIds.forward}"])`);
  eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'flow', id: 'forward' }], 'edge label click reveals the flow');

  // An inbound select highlights the node and the row.
  await post(page, { type: 'select', kind: 'element', id: 'worker' });
  await page.waitForSelector(`.canvas g.node.rampart-selected[id*="-flowchart-${v.diagram.nodeIds.worker}-"]`, { timeout: 5000 });
  await post(page, { type: 'select', kind: 'threat', id: 'vault-dump' });
  await page.waitForSelector('table.threats tr.selected[data-id="vault-dump"]', { timeout: 5000 });

  // Attack tree drawn, with its threat leaves styled.
  const tree = await page.evaluate(() => {
    const d = document.querySelector('.trees details');
    return { open: d?.open, nodes: d?.querySelectorAll('svg g.node').length, blocked: d?.querySelectorAll('svg g.node.blocked').length, badge: d?.querySelector('summary .badge')?.textContent };
  });
  eq(tree, { open: true, nodes: 6, blocked: 1, badge: 'reachable' }, 'attack tree');
  await clearPosted(page);
  await page.click('.trees g.node.blocked');
  eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'threat', id: 'vault-dump' }], 'tree leaf reveals its threat');

  await page.click('.diagram-pane button[title="Fit to window"]');
  await page.screenshot({ path: path.join(SHOTS, 'webview-payments-dark.png'), fullPage: true });
  await assertClean(page, log, h.origin);
  ctx.timings.payments = await page.evaluate(() => window.__rampart.timings);
});

test('light theme, theme switch re-renders, pan & zoom state is kept', async h => {
  const { page, log } = await h.open({ theme: 'vscode-light' });
  await update(page, updateFor(PAYMENTS_YAML));
  const fillLight = await page.evaluate(() => getComputedStyle(document.querySelector('.canvas g.node:not(.critical):not(.high):not(.low) rect, .canvas g.node:not(.critical):not(.high):not(.low) path')).fill);
  await page.screenshot({ path: path.join(SHOTS, 'webview-payments-light.png'), fullPage: true });
  const renders = await page.evaluate(() => window.__rampart.renders);
  await page.evaluate(() => { document.body.classList.remove('vscode-light'); document.body.classList.add('vscode-dark'); });
  await page.waitForFunction(n => window.__rampart.renders > n, renders, { timeout: 30_000 });
  const fillDark = await page.evaluate(() => getComputedStyle(document.querySelector('.canvas g.node:not(.critical):not(.high):not(.low) rect, .canvas g.node:not(.critical):not(.high):not(.low) path')).fill);
  assert(fillLight !== fillDark, `node fill follows the theme (${fillLight} vs ${fillDark})`);

  // Wheel zoom and drag pan are saved with setState.
  const box = await page.locator('.viewport').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  const last = await page.evaluate(() => window.__states.at(-1));
  assert(last?.zoom && last.zoom.k > 1, `zoom saved (${JSON.stringify(last?.zoom)})`);
  const transform = await page.$eval('.canvas', c => c.style.transform);
  const k = Number(/scale\(([\d.e-]+)\)/.exec(transform)?.[1]);
  assert(Math.abs(k - last.zoom.k) < 1e-4, `transform applied (${transform} vs ${last.zoom.k})`);
  await assertClean(page, log, h.origin);

  // A reload restores the saved zoom instead of fitting.
  const again = await h.open({ state: last });
  await update(again.page, updateFor(PAYMENTS_YAML));
  eq(await again.page.$eval('.canvas', c => c.style.transform), transform, 'zoom restored from getState');
  await again.context.close();
});

test('injection model renders inert text: no dialog, no script, no request, no CSP violation', async h => {
  const { page, log } = await h.open();
  await page.exposeFunction('__pwnedCheck', () => undefined);
  const msg = updateFor(INJECTION_YAML);
  await update(page, msg);
  const r = await page.evaluate(() => {
    const svg = document.querySelector('.canvas svg');
    return {
      hasSvg: !!svg,
      nodes: svg ? [...svg.querySelectorAll('g.node')].length : 0,
      text: svg ? window.__svgText(svg) : '',
      active: document.querySelectorAll('img, iframe, foreignObject, object, embed, a[href], [onerror], [onclick], [onload]').length,
      scripts: [...document.querySelectorAll('script')].map(x => x.src ? new URL(x.src).pathname : x.textContent),
      clickable: document.querySelectorAll('.canvas g.clickable').length,
      title: document.querySelector('h1')?.textContent,
      rowTitle: document.querySelector('table.threats tbody tr td:nth-child(2) div')?.textContent,
    };
  });
  assert(r.hasSvg, 'the injection model is still drawn');
  eq(r.nodes, msg.view.elements.length, 'one node per element, no injected nodes');
  eq(r.active, 0, 'no active element in the page');
  eq(r.scripts, [core.html.BOOT_SCRIPT, '/main.js'], 'only our own script elements (the boot script, the bundle)');
  eq(r.clickable, 0, 'no Mermaid click binding');
  // Mermaid wraps long words anywhere, so compare without white space.
  const seen = r.text.replace(/\s+/g, '');
  for (const part of ['"]);clickn0callalert(1)%%{init:', '<imgsrc=xonerror=alert(1)>', '%%{init:{"theme":"forest"}}%%', '`**md**`$$\\alpha$$<br>\\nend', 'javascript:alert(3)', 'classDefxfill:#f00', '</text><foreignObject><iframe']) {
    assert(seen.includes(part), `payload shown as text in the diagram: ${part} not in ${r.text}`);
  }
  assert(!/&#\d+;|&(quot|lt|gt|amp);/.test(r.text), `no undecoded entity left: ${r.text}`);
  eq(r.title, EVIL_TEXT, 'title shown as text');
  eq(r.rowTitle, EVIL_TEXT, 'threat title shown as text');
  await page.evaluate(() => document.querySelector('.trees details')?.setAttribute('open', ''));
  await page.waitForSelector('.trees details svg', { timeout: 30_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'webview-injection.png'), fullPage: true });
  await assertClean(page, log, h.origin);
});

test('invalid YAML keeps the last good diagram and names the first error with its line', async h => {
  const { page, log } = await h.open();
  await update(page, updateFor(PAYMENTS_YAML, 1));
  const parsed = core.parse.parseModel(INVALID_YAML);
  const fatal = core.vm.fatalProblem(parsed);
  assert(fatal, 'the broken file is fatal');
  await post(page, { type: 'error', version: 2, message: fatal.message, line: fatal.line });
  await page.waitForSelector('.banner.error:not([hidden])');
  const banner = await page.$eval('.banner.error', b => b.textContent);
  assert(banner.includes(`Line ${fatal.line}`) && banner.includes('never closed'), `banner names the error: ${banner}`);
  assert(await page.$('.canvas svg g.node'), 'last good diagram kept');
  await page.screenshot({ path: path.join(SHOTS, 'webview-error.png') });
  await update(page, updateFor(PAYMENTS_YAML, 3));
  assert(await page.$('.banner.error[hidden]'), 'banner cleared by the next update');
  await assertClean(page, log, h.origin);
});

test('never a blank panel: Mermaid failure shows the elements and flows as text', async h => {
  const { page, log } = await h.open();
  const msg = updateFor(PAYMENTS_YAML);
  msg.view.diagram.text = 'flowchart LR\n  n0["broken\n';
  await update(page, msg);
  const fb = await page.$eval('.diagram-pane .fallback', f => f.textContent);
  assert(fb.includes('could not be drawn') && fb.includes('Card vault') && fb.includes('Customer browser → API gateway'), `fallback lists elements and flows: ${fb.slice(0, 200)}`);
  // An empty model gets a hint, not an empty box.
  const { page: p2, context } = await h.open();
  await post(p2, updateFor('rampart: 1\ntitle: Empty\n'));
  await p2.waitForSelector('.diagram-pane .fallback');
  assert((await p2.$eval('.diagram-pane .fallback', f => f.textContent)).includes('No elements yet'), 'empty model hint');
  await context.close();
  await assertClean(page, log, h.origin);
});

test('ELK is loaded only for a diagram laid out with it, once, under the CSP; its first layout on the page, the next in its worker', async (h) => {
  const { page, log } = await h.open();
  const elkRequests = () => log.requests.filter(r => new URL(r).pathname === '/elk.js').length;
  await update(page, updateFor(PAYMENTS_YAML));
  eq(await page.evaluate(() => window.__rampart.layout), 'dagre', 'the payments model is laid out with dagre');
  eq(elkRequests(), 0, 'a dagre diagram loads no ELK');
  assert(await page.evaluate(() => !window.RampartElkWorker), 'no ELK in the page');
  await update(page, updateFor(generatedModel(40)));
  eq(await page.evaluate(() => window.__rampart.layout), 'elk', 'a 40-element model is laid out with ELK');
  assert(await page.$('.canvas svg'), 'the ELK diagram is drawn');
  // the first layout ran on the page; then ELK's worker warms up in the background and takes the next one
  await page.waitForFunction(() => window.__rampart.elk.worker === 'ready', null, { timeout: 60_000 });
  await update(page, updateFor(generatedModel(44)));
  eq(elkRequests(), 1, 'elk.js is fetched once');
  const elk = await page.evaluate(() => ({ ...window.__rampart.elk }));
  eq([elk.pageLayouts, elk.workerLayouts, elk.mode], [1, 1, 'worker'], 'the first layout on the page, the second in the worker');
  await assertClean(page, log, h.origin);
});

test('a large threats table shows the riskiest 200 rows, more on request, and grows to a threat selected past them', async (h) => {
  const msg = updateFor(generatedModel(900));
  const order = msg.view.threats.map(t => t.id);
  eq(order.length, 450, 'the model has 450 threats');
  const rowIds = page => page.$$eval('table.threats tbody tr', trs => trs.map(tr => tr.dataset.id));
  const more = page => page.$eval('.more-rows[data-for="threats"]', d => ({ hidden: d.hidden, text: d.textContent, buttons: [...d.querySelectorAll('button')].map(b => b.textContent) }));
  const { page, log, context } = await h.open({ width: 1400, height: 900 });
  await update(page, msg);
  eq(await rowIds(page), order.slice(0, 200), 'the first 200 rows, riskiest first');
  const m1 = await more(page);
  assert(!m1.hidden && m1.text.includes('Showing the 200 riskiest of 450 threats'), `says how many are shown: ${m1.text}`);
  eq(m1.buttons, ['Show 200 more', 'Show all 450'], 'two ways to see more');
  await page.locator('.more-rows[data-for="threats"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'webview-more-threats.png') });
  await page.click('.more-rows[data-for="threats"] button:first-of-type');
  eq((await rowIds(page)).length, 400, '200 more rows');
  eq((await more(page)).buttons, ['Show 50 more'], 'the last 50');
  await page.click('.more-rows[data-for="threats"] button');
  eq(await rowIds(page), order, 'every threat, in order');
  assert((await more(page)).hidden, 'nothing more to show');
  // the heading still counts every threat
  eq(await page.$eval('.tables > h2:first-child .sub', x => x.textContent), '450', 'the heading counts 450');
  await assertClean(page, log, h.origin);
  await context.close();
  // a threat revealed from the text (the cursor on it) past the first 200: its row is shown, selected and in view
  const second = await h.open({ width: 1400, height: 900 });
  await update(second.page, msg);
  const last = order[order.length - 1];
  await post(second.page, { type: 'select', kind: 'threat', id: last });
  await second.page.waitForSelector(`table.threats tr.selected[data-id="${last}"]`);
  eq((await rowIds(second.page)).length, 450, 'the table grew to the selected threat');
  assert(await second.page.$eval(`tr[data-id="${last}"]`, tr => { const r = tr.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }), 'scrolled into view');
  await assertClean(second.page, second.log, h.origin);
  await second.context.close();
});

test('the mitigations table and the plan page their rows too, and grow to a mitigation selected past them', async (h) => {
  const msg = updateFor(core.genModel.generateModel(900));
  const mits = msg.view.mitigations.map(m => m.id);
  const steps = (msg.view.plan?.rows ?? []).map(r => r.id);
  assert(mits.length > 200, `over 200 mitigations (${mits.length})`);
  const ids = (page, table) => page.$$eval(`table.${table} tbody tr`, trs => trs.map(tr => tr.dataset.id));
  const { page, log, context } = await h.open({ width: 1400, height: 900 });
  await update(page, msg);
  eq(await ids(page, 'mitigations'), mits.slice(0, 200), 'the first 200 mitigations');
  const line = await page.$$eval('.more-rows', ds => ds.filter(d => !d.hidden).map(d => d.textContent));
  assert(line.some(t => t.startsWith(`Showing 200 of ${mits.length} mitigations.`)), `says how many mitigations are shown: ${line}`);
  if (steps.length > 200) {
    eq(await ids(page, 'plan'), steps.slice(0, 200), 'the first 200 steps of the plan');
    assert(line.some(t => t.startsWith(`Showing the first 200 of ${steps.length} mitigations to do.`)), `says how many steps are shown: ${line}`);
  } else eq(await ids(page, 'plan'), steps, 'every step of the plan');
  // the last mitigation, revealed from the text: both tables grow to it, and its row is selected
  const last = mits[mits.length - 1];
  await post(page, { type: 'select', kind: 'mitigation', id: last });
  await page.waitForSelector(`table.mitigations tr.selected[data-id="${last}"]`);
  eq((await ids(page, 'mitigations')).length, Math.min(mits.length, Math.ceil(mits.length / 200) * 200), 'the mitigations table grew to it');
  if (steps.includes(last)) assert(await page.$(`table.plan tr.selected[data-id="${last}"]`), 'and the plan, where it is a step');
  await assertClean(page, log, h.origin);
  await context.close();
});

test('line hops (arcs where edges cross) up to 120 edges; past that they are left out', async (h) => {
  const hops = async msg => {
    const { page, log, context } = await h.open({ width: 1400, height: 900 });
    await update(page, msg);
    const r = await page.evaluate(() => {
      const paths = [...document.querySelectorAll('.canvas svg path.flowchart-link')];
      return { edges: paths.length, arcs: paths.filter(p => /[Aa]/.test(p.getAttribute('d') ?? '')).length };
    });
    await assertClean(page, log, h.origin);
    await context.close();
    return r;
  };
  const small = await hops(updateFor(generatedModel(50)));
  assert(small.edges === 64 && small.arcs > 10, `64 edges, with hops: ${JSON.stringify(small)}`);
  const large = updateFor(core.genModel.generateModel(2000));
  assert(large.view.diagram.stats.edges > 120, `the focused view of 2,000 components has over 120 edges (${large.view.diagram.stats.edges})`);
  const big = await hops(large);
  eq(big, { edges: large.view.diagram.stats.edges, arcs: 0 }, 'no hops past 120 edges');
});

/** Each node's id (without the page's prefix) and position, and each edge's path, in drawing order. */
async function drawnGeometry(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.canvas svg');
    const strip = id => (id ?? '').replace(/^rampart-[a-z0-9]+-m\d+-/, '');
    return {
      nodes: [...svg.querySelectorAll('g.node')].map(g => `${strip(g.id)} ${g.getAttribute('transform')}`),
      edges: [...svg.querySelectorAll('path.flowchart-link')].map(p => p.getAttribute('d')),
    };
  });
}

test('ELK without a worker: refused or dying, every layout runs on the page, and the drawings are the same', async (h) => {
  const first = updateFor(generatedModel(30), 1);
  const second = updateFor(generatedModel(30).replace('\nthreats:\n', '\n  extra: { from: el-3, to: el-20, protocol: amqp, encrypted: true }\nthreats:\n'), 2);
  const drawn = {};
  for (const mode of ['worker', 'refused', 'dies']) {
    const { page, log, context } = await h.open();
    if (mode === 'refused') await page.evaluate(() => { window.Worker = function () { throw new DOMException('refused by the test', 'SecurityError'); }; });
    // a worker that starts and fails before answering (as when its script cannot run)
    if (mode === 'dies') await page.evaluate(() => { window.Worker = class { constructor() { setTimeout(() => this.onerror?.({ preventDefault() {} }), 30); } postMessage() {} terminate() {} }; });
    await update(page, first);
    eq(await page.evaluate(() => window.__rampart.layout), 'elk', `${mode}: laid out with ELK`);
    const want = { worker: 'ready', refused: 'refused', dies: 'failed' }[mode];
    await page.waitForFunction(w => window.__rampart.elk.worker === w, want, { timeout: 60_000 });
    await update(page, second);
    const elk = await page.evaluate(() => ({ ...window.__rampart.elk }));
    eq([elk.pageLayouts, elk.workerLayouts], mode === 'worker' ? [1, 1] : [2, 0], `${mode}: where the two layouts ran`);
    if (mode === 'worker') {
      // the worker lays the graph out again in the background, sixteen times in all, to compile ELK's code
      await page.waitForFunction(() => window.__rampart.elk.warmUps === 16 && !window.__rampart.elk.warming, null, { timeout: 60_000 });
      await page.waitForTimeout(300);
      eq(await page.evaluate(() => [window.__rampart.elk.warmUps, window.__rampart.elk.warming]), [16, false], 'no more warm-ups than sixteen, and then none under way');
    }
    drawn[mode] = await drawnGeometry(page);
    assert(drawn[mode].nodes.length === 30 && drawn[mode].edges.length > 20, `${mode}: the diagram is drawn (${drawn[mode].nodes.length} nodes, ${drawn[mode].edges.length} edges)`);
    await assertClean(page, log, h.origin);
    await context.close();
  }
  // the worker's layout, copied onto Mermaid's graph, positions everything as ELK on the page does
  eq(drawn.refused, drawn.worker, 'the same drawing with ELK on the page');
  eq(drawn.dies, drawn.worker, 'the same drawing after the worker died');
});

test('the page says it is ready before its script has loaded, and handles the messages that came meanwhile, in order', async (h) => {
  const first = updateFor(PAYMENTS_YAML, 1);
  const second = updateFor(PAYMENTS_YAML.replace(/^title: .*$/m, 'title: Payments, second view'), 2);
  // the extension answers at once; the bundle arrives 400 ms later
  const { page, log, context } = await h.open({
    autoUpdate: [first, second], scriptDelay: 400,
    init: () => { window.addEventListener('message', () => { window.__firstMessageAt ??= performance.now(); }); },
  });
  // (the first view's drawing gives way to the second's)
  await page.waitForFunction(() => window.__rampart.updates >= 1, null, { timeout: 60_000 });
  const r = await page.evaluate(() => ({
    scriptAt: window.__rampart.timings.scriptStartAt, messageAt: window.__firstMessageAt,
    ready: window.__posted.filter(m => m.type === 'ready').length, title: document.querySelector('h1')?.textContent,
    svg: !!document.querySelector('.canvas svg'),
  }));
  assert(r.messageAt < r.scriptAt, `the extension's answer came before the bundle ran (${Math.round(r.messageAt)} < ${Math.round(r.scriptAt)} ms)`);
  eq(r.ready, 1, 'ready said once, by the first script');
  eq([r.title, r.svg], ['Payments, second view', true], 'both views handled, in the order they came: the second one shown');
  await assertClean(page, log, h.origin);
  await context.close();
});

test('a redrawing takes the boxes of labels measured before from the measurement cache, and draws what a fresh page draws', async (h) => {
  const yaml = generatedModel(16);
  const edited = yaml.replace('\nthreats:\n', '\n  extra: { from: el-2, to: el-11, protocol: amqp, encrypted: true }\nthreats:\n');
  // Mermaid's markup of the last drawing, as the page hands it to the extension; ids carry the page and the drawing
  // (handed over a second after the drawing: the first drawing's, if still waiting, is dropped for the newer one)
  const lastMarkup = async page => {
    const kept = () => window.__posted.filter(m => m.type === 'keepDrawing').length;
    const before = await page.evaluate(kept);
    await page.waitForFunction(n => window.__posted.filter(m => m.type === 'keepDrawing').length > n, before, { timeout: 10_000 });
    return (await posted(page)).filter(m => m.type === 'keepDrawing').at(-1).svg.replace(/rampart-[a-z0-9]+-m\d+/g, 'ID');
  };
  const a = await h.open();
  await update(a.page, updateFor(yaml, 1));
  const first = await a.page.evaluate(() => ({ ...window.__rampart.measure }));
  // within one drawing the flows' labels repeat ("🔒 https"): measured once each
  assert(first.misses > 0 && first.hits > 0, `the first drawing measures, and takes repeated labels from the cache (${JSON.stringify(first)})`);
  await update(a.page, updateFor(edited, 2));
  const second = await a.page.evaluate(() => ({ ...window.__rampart.measure, renders: window.__rampart.renders }));
  eq(second.renders, 2, 'Mermaid drew the edit');
  // only what is new: the new flow's label ("🔒 amqp": its text, its box, its text in the box) and the frames of
  // the two boundaries (the new layout resized them)
  assert(second.misses - first.misses <= 5, `the redrawing measured only what is new (${second.misses - first.misses} boxes)`);
  assert(second.hits - first.hits >= 16, `the redrawing took its nodes' and labels' boxes from the cache (${second.hits - first.hits})`);
  const cached = await lastMarkup(a.page);
  await assertClean(a.page, a.log, h.origin);
  await a.context.close();
  // a page that never drew the model measures everything: the same markup, box for box
  const b = await h.open();
  await update(b.page, updateFor(edited, 1));
  const fresh = await lastMarkup(b.page);
  assert(cached && fresh, 'both pages kept their drawing');
  eq(cached, fresh, 'the same drawing with boxes from the cache as with boxes measured');
  await b.context.close();
});

/** Per element: the computed fill of its node's shape; per flow: the computed stroke of its edge ([r, g, b, a]). */
async function diagramColours(page, diagram) {
  return page.evaluate(({ nodeIds, edgeIds }) => {
    const svg = document.querySelector('.canvas svg');
    const nodes = {};
    for (const [el, mid] of Object.entries(nodeIds)) {
      const g = [...svg.querySelectorAll('g.node')].find(x => new RegExp(`-flowchart-${mid}-\\d+$`).test(x.id));
      const shape = g?.querySelector('.label-container path') ?? g?.querySelector('.label-container');
      nodes[el] = shape ? window.__rgb(getComputedStyle(shape).fill) : null;
    }
    const flows = {};
    for (const [fl, eid] of Object.entries(edgeIds)) {
      const p = svg.querySelector(`path.flowchart-link[data-id="${eid}"]`);
      flows[fl] = p ? window.__rgb(getComputedStyle(p).stroke) : null;
    }
    return { nodes, flows };
  }, diagram);
}

const diagramCounters = page => page.evaluate(() => ({ renders: window.__rampart.renders, restyles: window.__rampart.restyles, cacheHits: window.__rampart.cacheHits }));
const hexRgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)).concat(255);
const NODE_FILL = { critical: '#b71c1c', high: '#e65100', medium: '#f9a825', low: '#2e7d32' };
const EDGE_STROKE = { critical: '#d32f2f', high: '#ef6c00', medium: '#f9a825', low: '#43a047' };

/** Every node and edge shows the colour of its own risk level in `view` (or no risk colour). */
function checkRiskColours(colours, view, label) {
  const levelColours = new Set(Object.values(NODE_FILL).map(c => hexRgb(c).join()));
  for (const [el, rgb] of Object.entries(colours.nodes)) {
    const level = view.graph.risk[el];
    if (level) eq(rgb, hexRgb(NODE_FILL[level]), `${label}: fill of ${el} (${level})`);
    else assert(!levelColours.has(rgb.join()), `${label}: ${el} has no risk, yet a risk colour ${rgb}`);
  }
  for (const [fl, rgb] of Object.entries(colours.flows)) {
    const level = view.graph.risk[fl];
    if (level) eq(rgb, hexRgb(EDGE_STROKE[level]), `${label}: stroke of flow ${fl} (${level})`);
  }
}

test('a status edit recolours the drawn diagram without Mermaid; a new flow draws again; undo draws from the kept drawing', async (h) => {
  const { page, log, context } = await h.open();
  const first = updateFor(PAYMENTS_YAML, 1);
  await update(page, first);
  const c0 = await diagramCounters(page);
  eq(c0, { renders: 1, restyles: 0, cacheHits: 0 }, 'first update: one Mermaid call');
  checkRiskColours(await diagramColours(page, first.view.diagram), first.view, 'first drawing');

  // Marking two threats not applicable changes the colour of gateway, api and the forward flow, not the structure.
  const mitigatedYaml = PAYMENTS_YAML.replace(/(token-replay:[\s\S]*?status: )open/, '$1not-applicable').replace(/(plaintext-hop:[\s\S]*?status: )open/, '$1not-applicable');
  const mitigated = updateFor(mitigatedYaml, 2);
  eq(mitigated.view.diagram.text, first.view.diagram.text, 'a status edit leaves the Mermaid text alone');
  const changed = Object.keys(first.view.graph.risk).concat(Object.keys(mitigated.view.graph.risk)).filter(k => first.view.graph.risk[k] !== mitigated.view.graph.risk[k]);
  assert(changed.includes('gateway') && changed.includes('forward'), `the edit changes colours (changed: ${changed})`);
  await update(page, mitigated);
  eq(await diagramCounters(page), { renders: 1, restyles: 1, cacheHits: 0 }, 'status edit: recoloured, no Mermaid call');
  checkRiskColours(await diagramColours(page, mitigated.view.diagram), mitigated.view, 'after the status edit');

  // A new flow is a new structure: Mermaid draws again.
  const withFlow = updateFor(mitigatedYaml.replace('  batch: {', '  refund: { from: api, to: acquirer, protocol: https, encrypted: true }\n  batch: {'), 3);
  // While Mermaid lays it out, the new flow shows at once on the current picture (recorded as it is added).
  await page.evaluate(() => {
    window.__provisional = [];
    new MutationObserver(records => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        for (const g of [n, ...n.querySelectorAll('*')].filter(x => x.classList?.contains('provisional-flow'))) {
          window.__provisional.push({ from: g.getAttribute('data-from'), to: g.getAttribute('data-to'), label: g.querySelector('text')?.textContent ?? '', d: g.querySelector('path')?.getAttribute('d') ?? '', marker: g.querySelector('path')?.getAttribute('marker-end') ?? '', inSvg: !!g.closest('.canvas svg') });
        }
      }
    }).observe(document.querySelector('.canvas'), { childList: true, subtree: true });
  });
  await update(page, withFlow);
  const c2 = await diagramCounters(page);
  eq([c2.renders, c2.cacheHits], [2, 0], 'a new flow: one more Mermaid call');
  eq(await page.evaluate(() => document.querySelectorAll('.canvas path.flowchart-link').length), withFlow.view.diagram.stats.edges, 'the new edge is drawn');
  const prov = await page.evaluate(() => window.__provisional);
  eq(prov.map(p => [p.from, p.to]), [[withFlow.view.diagram.nodeIds.api, withFlow.view.diagram.nodeIds.acquirer]], 'the new flow was shown provisionally, from api to acquirer');
  assert(/https/.test(prov[0].label) && /^M[\d.-]+,[\d.-]+ L[\d.-]+,[\d.-]+$/.test(prov[0].d) && /^url\(#.*pointEnd\)$/.test(prov[0].marker) && prov[0].inSvg, `a labelled arrow on the picture: ${JSON.stringify(prov[0])}`);
  eq(await page.evaluate(() => [window.__rampart.provisional, document.querySelectorAll('.canvas .provisional-flow').length]), [1, 0], 'Mermaid\'s drawing replaced it');

  // Undo: the structure drawn before comes from the kept drawing, in the colours of now.
  await update(page, updateFor(PAYMENTS_YAML, 4));
  eq(await diagramCounters(page), { renders: 2, restyles: 1, cacheHits: 1 }, 'undo: drawn from the kept drawing');
  eq(await page.evaluate(() => window.__rampart.provisional), 1, 'a removed flow is not drawn provisionally');
  checkRiskColours(await diagramColours(page, first.view.diagram), first.view, 'after undo');
  await assertClean(page, log, h.origin);

  // VS Code reloads a hidden webview from its state: the drawing is kept there, so no layout at all.
  const saved = (await page.evaluate(() => window.__states)).at(-1);
  assert(saved?.drawings?.length >= 1, 'the state keeps drawings');
  await context.close();
  const again = await h.open({ state: saved });
  await update(again.page, mitigated);
  eq(await diagramCounters(again.page), { renders: 0, restyles: 0, cacheHits: 1 }, 'shown again: no Mermaid call');
  eq(await again.page.evaluate(() => document.querySelectorAll('.canvas g.node').length), mitigated.view.elements.length, 'every node drawn');
  checkRiskColours(await diagramColours(again.page, mitigated.view.diagram), mitigated.view, 'shown again');
  await assertClean(again.page, again.log, h.origin);
  await again.context.close();
});

test('an update sent as a delta applies to the view held; one made for another view asks for the whole view', async (h) => {
  const { page, log } = await h.open();
  const first = updateFor(PAYMENTS_YAML, 1);
  await update(page, { type: 'update', version: 1, id: 11, viewJson: JSON.stringify(first.view) });
  const retitled = updateFor(PAYMENTS_YAML.replace('title: Stolen session token replayed', 'title: Session token replayed'), 2);
  const deltaJson = core.delta.deltaText(core.delta.encodeJson(first.view), core.delta.encodeJson(retitled.view));
  assert(deltaJson && deltaJson.length * 5 < JSON.stringify(retitled.view).length, `a small delta: ${deltaJson?.length} characters`);
  const delta = { type: 'update', version: 2, id: 12, base: 11, deltaJson };
  assert(core.protocol.parseToWebview(delta), 'the delta message passes the protocol');
  await clearPosted(page);
  await update(page, delta);
  const rowText = () => page.evaluate(() => document.querySelector('tr[data-id="token-replay"]')?.textContent ?? '');
  assert((await rowText()).includes('Session token replayed against the payment API') && !(await rowText()).includes('Stolen'), `the new title in its row: ${await rowText()}`);
  eq(await diagramCounters(page), { renders: 1, restyles: 0, cacheHits: 0 }, 'a title edit leaves the diagram as drawn');
  eq(await posted(page), [], 'nothing asked');
  // The same delta again: made for view 11, the page holds 12. It is not applied, and the page asks for the whole view.
  const updates = await page.evaluate(() => window.__rampart.updates);
  await post(page, { ...delta, version: 3, id: 13 });
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'), null, { timeout: 10_000 });
  eq(await page.evaluate(() => window.__rampart.updates), updates, 'no update drawn from a delta for another view');
  assert((await rowText()).includes('Session token replayed'), 'the view held is kept');
  await assertClean(page, log, h.origin);
  await page.context().close();
});

test('out-of-scope elements and flows are drawn greyed; marking one out of scope only recolours', async (h) => {
  const { page, log } = await h.open();
  const first = updateFor(PAYMENTS_YAML, 1);
  await update(page, first);
  const outYaml = PAYMENTS_YAML
    .replace('worker: { type: process, name: Settlement worker, boundary: core }', 'worker: { type: process, name: Settlement worker, boundary: core, out_of_scope: true }')
    .replace('batch: { from: vault, to: worker, name: nightly batch, data: [card-data], encrypted: true }', 'batch: { from: vault, to: worker, name: nightly batch, data: [card-data], encrypted: true, out_of_scope: true }');
  assert(outYaml !== PAYMENTS_YAML && outYaml.split('out_of_scope').length === 3, 'the fixture has the worker and the batch flow');
  const out = updateFor(outYaml, 2);
  eq(out.view.diagram.text, first.view.diagram.text, 'out of scope changes no structure');
  await update(page, out);
  eq(await diagramCounters(page), { renders: 1, restyles: 1, cacheHits: 0 }, 'marked out of scope: recoloured, no Mermaid call');
  const colours = await diagramColours(page, out.view.diagram);
  const grey = hexRgb('#9e9e9e');
  assert(sameRgb(colours.nodes.worker, grey), `the worker is grey (${colours.nodes.worker})`);
  assert(sameRgb(colours.flows.batch, grey), `the batch flow is grey (${colours.flows.batch})`);
  assert(!sameRgb(colours.nodes.api, grey) && !sameRgb(colours.flows.forward, grey), 'the rest keeps its colours');
  const opacity = await page.evaluate(mid => {
    const g = [...document.querySelectorAll('.canvas g.node')].find(x => new RegExp(`-flowchart-${mid}-\\d+$`).test(x.id));
    return Number(getComputedStyle(g).opacity);
  }, out.view.diagram.nodeIds.worker);
  assert(opacity < 0.8, `the worker is faded (opacity ${opacity})`);
  await page.screenshot({ path: path.join(SHOTS, 'webview-out-of-scope.png'), fullPage: true });
  await assertClean(page, log, h.origin);
});

test('a drawing in the state that is not a clean SVG is cleaned or ignored, never run', async (h) => {
  const first = updateFor(PAYMENTS_YAML, 1);
  // Keys as the page computes them are unknown here: tamper with a real state instead.
  const { page, context } = await h.open();
  await update(page, first);
  const saved = (await page.evaluate(() => window.__states)).at(-1);
  await context.close();
  const evil = saved.drawings.map(d => ({ key: d.key, svg: d.svg.replace('<g', '<script>window.__pwned = 1</script><g onclick="window.__pwned = 2"') }));
  const broken = saved.drawings.map(d => ({ key: d.key, svg: '<svg><g></svg' }));
  // elements DOMPurify drops (with Mermaid's strict settings) that sanitizeSvg alone would keep: every drawing
  // entering the page passes both (svgFromMarkup), a fresh one as well as a kept one
  const animated = saved.drawings.map(d => ({ key: d.key, svg: d.svg.replace('<g', '<set attributeName="fill" to="red"/><animate attributeName="opacity" values="0;1" dur="1s"/><g') }));
  for (const [label, drawings] of [['script and handler', evil], ['animation', animated], ['broken markup', broken], ['wrong types', [{ key: 1, svg: {} }, null, 'x']]]) {
    const again = await h.open({ state: { ...saved, drawings } });
    await update(again.page, first);
    const r = await again.page.evaluate(() => ({ pwned: window.__pwned, scripts: document.querySelectorAll('.canvas script').length, handlers: document.querySelectorAll('.canvas [onclick]').length, animations: document.querySelectorAll('.canvas set, .canvas animate').length, nodes: document.querySelectorAll('.canvas g.node').length }));
    eq([r.pwned, r.scripts, r.handlers, r.animations], [undefined, 0, 0, 0], `${label}: nothing active`);
    eq(r.nodes, first.view.elements.length, `${label}: the diagram is drawn`);
    await again.context.close();
  }
});

test('a visual editor opened again draws the drawing its last page kept with the extension: no Mermaid call, no layout', async (h) => {
  const msg = updateFor(generatedModel(30));
  const a = await h.open();
  await update(a.page, msg);
  eq(await a.page.evaluate(() => window.__rampart.layout), 'elk', 'laid out with ELK');
  // the page hands its new drawing to the extension a second later, once
  await a.page.waitForFunction(() => window.__posted.some(m => m.type === 'keepDrawing'), null, { timeout: 10_000 });
  await a.page.waitForTimeout(1500);
  const kept = (await posted(a.page)).filter(m => m.type === 'keepDrawing');
  eq(kept.length, 1, 'one drawing sent');
  assert(core.protocol.parseFromWebview(kept[0]), 'a message the extension accepts');
  const before = await drawnGeometry(a.page);
  await assertClean(a.page, a.log, h.origin);
  await a.context.close();

  // the extension sends it to the next page before the first view
  const b = await h.open();
  await post(b.page, core.protocol.parseToWebview({ type: 'drawings', drawings: [{ key: kept[0].key, svg: kept[0].svg }] }));
  await update(b.page, msg);
  eq(await b.page.evaluate(() => ({ renders: window.__rampart.renders, cacheHits: window.__rampart.cacheHits, layouts: window.__rampart.elk.layouts })), { renders: 0, cacheHits: 1, layouts: 0 }, 'drawn from the kept drawing');
  eq(await drawnGeometry(b.page), before, 'the same picture');
  await assertClean(b.page, b.log, h.origin);
  await b.context.close();

  // a kept drawing with a script or a handler is cleaned like one from the page's own state; another structure's is not used
  const evil = kept[0].svg.replace('<g', '<script>window.__pwned = 1</script><g onclick="window.__pwned = 2"');
  const c = await h.open();
  await post(c.page, { type: 'drawings', drawings: [{ key: kept[0].key, svg: evil }] });
  await update(c.page, msg);
  const r = await c.page.evaluate(() => ({ pwned: window.__pwned, scripts: document.querySelectorAll('.canvas script').length, handlers: document.querySelectorAll('.canvas [onclick]').length, nodes: document.querySelectorAll('.canvas g.node').length }));
  eq([r.pwned, r.scripts, r.handlers, r.nodes], [undefined, 0, 0, 30], 'nothing active, the diagram drawn');
  const other = updateFor(generatedModel(30).replace('\nthreats:\n', '\n  extra: { from: el-3, to: el-20, protocol: amqp }\nthreats:\n'), 2);
  await update(c.page, other);
  eq(await c.page.evaluate(() => window.__rampart.renders), 1, 'another structure is drawn by Mermaid');
  await c.context.close();
});

test('the extension lays the first diagram out (the language server\'s warm ELK): only ELK\'s members sent, the answer drawn; the page\'s worker takes the later layouts', async (h) => {
  const server = await startLayoutServer();
  try {
    const msg = updateFor(generatedModel(30));
    const { page, log, context } = await h.open({ autoUpdate: msg, layoutServer: server });
    await page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    const sent = (await posted(page)).filter(m => m.type === 'layout');
    eq(sent.length, 1, 'one layout asked of the extension');
    assert(core.protocol.parseFromWebview(sent[0]), 'a message the extension accepts');
    const graph = JSON.parse(sent[0].graphJson);
    // the root options are those the server warms ELK up with: a Mermaid upgrade that changes them shows here
    eq(graph.layoutOptions, warm.MERMAID_ROOT_OPTIONS, "Mermaid's root options, as the server's warm-up uses them");
    for (const own of ['cssClasses', 'labelStyle', 'shape', '"label"', 'domId']) assert(!sent[0].graphJson.includes(own), `Mermaid's ${own} stays on the page`);
    const r = await page.evaluate(() => ({
      mode: window.__rampart.elk.mode, host: window.__rampart.elk.hostLayouts, page: window.__rampart.elk.pageLayouts, nodes: document.querySelectorAll('.canvas g.node').length,
      rows: document.querySelectorAll('table.threats tbody tr').length,
      // elk.js: not before the first drawing (the worker's warm-up loads it after)
      elkBefore: performance.getEntriesByType('resource').some(e => e.name.endsWith('/elk.js') && e.startTime < window.__rampart.timings.firstDiagramAt),
    }));
    eq([r.mode, r.host, r.page, r.nodes, r.elkBefore], ['host', 1, 0, 30, false], 'laid out by the extension, every element drawn, elk.js not loaded for it');
    assert(r.rows > 0, 'the threat table is built (while the page waited for the layout, or, on two cores, right after the diagram)');
    eq(server.layouts, 1, 'the server laid it out');
    const hostBoxes = await drawnGeometry(page);
    // the page's worker warms up on that graph in the background and lays the next structure out
    await page.waitForFunction(() => window.__rampart.elk.worker === 'ready', null, { timeout: 60_000 });
    await update(page, updateFor(generatedModel(30).replace('\nthreats:\n', '\n  extra: { from: el-3, to: el-20, protocol: amqp }\nthreats:\n'), 2));
    eq(await page.evaluate(() => [window.__rampart.elk.mode, window.__rampart.elk.hostLayouts]), ['worker', 1], 'the edit laid out by the warm worker');
    eq(server.layouts, 1, 'not by the server');
    await assertClean(page, log, h.origin);
    await context.close();
    // the same structure drawn from ELK on the page: the same boxes
    const b = await h.open({ autoUpdate: msg });
    await b.page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    eq(await b.page.evaluate(() => window.__rampart.elk.mode), 'page');
    eq(await drawnGeometry(b.page), hostBoxes, 'the same picture as ELK on the page draws');
    await b.context.close();
  } finally {
    await server.stop();
  }
});

test('a large diagram is laid out with fewer crossing sweeps, the same wherever ELK runs; a small one with ELK\'s default', async (h) => {
  const server = await startLayoutServer();
  try {
    const large = updateFor(generatedModel(300));
    assert(large.view.diagram.stats.edges >= 60, `the 300-element view has ${large.view.diagram.stats.edges} flows`);
    const a = await h.open({ autoUpdate: large, layoutServer: server });
    await a.page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    const sent = (await posted(a.page)).filter(m => m.type === 'layout');
    eq(sent.length, 1, 'one layout asked of the extension');
    const { layoutOptions } = JSON.parse(sent[0].graphJson);
    eq(layoutOptions['elk.layered.thoroughness'], '3', 'three sweeps for the large graph');
    eq({ ...layoutOptions, 'elk.layered.thoroughness': undefined }, { ...warm.MERMAID_ROOT_OPTIONS, 'elk.layered.thoroughness': undefined }, "Mermaid's other options unchanged");
    eq(await a.page.evaluate(() => [window.__rampart.elk.mode, window.__rampart.elk.fewSweeps]), ['host', 1]);
    const hostBoxes = await drawnGeometry(a.page);
    assert(hostBoxes.edges.length >= 60, 'every flow drawn');
    await assertClean(a.page, a.log, h.origin);
    await a.context.close();
    // ELK on the page: the same options, the same picture
    const b = await h.open({ autoUpdate: large });
    await b.page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    eq(await b.page.evaluate(() => [window.__rampart.elk.mode, window.__rampart.elk.fewSweeps]), ['page', 1]);
    eq(await drawnGeometry(b.page), hostBoxes, 'the same picture as the server\'s ELK draws');
    await b.context.close();
    // a 30-element diagram: ELK's default sweeps
    const c = await h.open({ autoUpdate: updateFor(generatedModel(30)), layoutServer: server });
    await c.page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    const small = (await posted(c.page)).filter(m => m.type === 'layout');
    eq(small.length, 1);
    assert(!('elk.layered.thoroughness' in JSON.parse(small[0].graphJson).layoutOptions), 'no sweep count for a small graph');
    eq(await c.page.evaluate(() => window.__rampart.elk.fewSweeps), 0);
    await c.context.close();
  } finally {
    await server.stop();
  }
});

test('while Mermaid draws, its scratch drawing is measured but never shown: nothing flashes at the bottom of the panel', async (h) => {
  const server = await startLayoutServer();
  try {
    // looked at when the page asks for the layout (Mermaid's drawing is in the page then, unfinished)
    const init = `(() => {
      const acquire = window.acquireVsCodeApi;
      window.acquireVsCodeApi = () => {
        const api = acquire();
        const post = api.postMessage.bind(api);
        api.postMessage = m => {
          if (m?.type === 'layout' && !window.__scratch) {
            const scratch = document.querySelector('body > div[id^="drampart-"]');
            const r = scratch?.getBoundingClientRect();
            const label = scratch?.querySelector('g.node text');
            window.__scratch = scratch ? {
              visibility: getComputedStyle(scratch).visibility, nodes: scratch.querySelectorAll('g.node').length,
              onScreen: r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight,
              measured: label ? label.getBBox().width > 0 : false,
              pageHeight: document.documentElement.scrollHeight,
              contentHeight: Math.ceil(document.getElementById('app').getBoundingClientRect().bottom + scrollY),
            } : { missing: true };
          }
          return post(m);
        };
        return api;
      };
    })()`;
    const opened = await h.open({ autoUpdate: updateFor(generatedModel(300)), layoutServer: server, init });
    const { page } = opened;
    await page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    const seen = await page.evaluate(() => window.__scratch);
    assert(seen && !seen.missing, `Mermaid's scratch drawing was in the page when the layout was asked (${JSON.stringify(seen)})`);
    eq([seen.visibility, seen.onScreen, seen.measured], ['hidden', false, true], 'hidden and off the screen, its labels still measured');
    assert(seen.nodes > 0, 'with its nodes drawn');
    assert(seen.pageHeight <= Math.max(seen.contentHeight, await page.evaluate(() => innerHeight)) + 1, `the page no taller than its content (${JSON.stringify(seen)})`);
    eq(await page.evaluate(() => document.querySelectorAll('body > div[id^="drampart-"]').length), 0, 'gone once drawn');
    assert(await page.evaluate(() => document.querySelectorAll('.canvas svg g.node').length) > 0, 'the diagram drawn');
    await assertClean(page, opened.log, h.origin);
    await opened.context.close();
  } finally {
    await server.stop();
  }
});

test('while the server\'s ELK is still warming up, the page lays its first diagram out itself', async (h) => {
  const server = await startLayoutServer({ warm: false });
  try {
    const { page, log, context } = await h.open({ autoUpdate: updateFor(generatedModel(30)), layoutServer: server });
    await page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
    eq((await posted(page)).filter(m => m.type === 'layout').length, 0, 'no layout asked of the extension');
    eq(await page.evaluate(() => [window.__rampart.elk.mode, window.__rampart.elk.pageLayouts, document.querySelectorAll('.canvas g.node').length]), ['page', 1, 30], 'laid out on the page');
    await assertClean(page, log, h.origin);
    await context.close();
  } finally {
    await server.stop();
  }
});

test('every flow keeps its arrowhead gap: its dashes fit its outline, also after a line hop', async (h) => {
  const { page, log, context } = await h.open();
  await update(page, updateFor(generatedModel(50)));
  // Mermaid leaves a gap for the arrowhead with `stroke-dasharray: 0 S L E`, L the outline's length less S and E:
  // after a hop (an arc, longer than the straight line it replaces) L must be measured on the new outline
  const hops = await page.evaluate(() => [...document.querySelectorAll('.canvas path.flowchart-link')].map(p => ({
    arcs: (p.getAttribute('d').match(/A/g) || []).length,
    dash: /stroke-dasharray\s*:\s*0\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(p.getAttribute('style') || '')?.slice(1).map(Number),
    len: p.getTotalLength(),
  })).filter(x => x.arcs && x.dash));
  assert(hops.length >= 5, `flows hop over others (${hops.length})`);
  for (const x of hops) assert(Math.abs(x.dash[1] - (x.len - x.dash[0] - x.dash[2])) < 0.5, `the dashes fit the outline: ${JSON.stringify(x)}`);
  // and every other flow (its length measured by the build's rewrite outside the document: the same number)
  // (a dashed flow, `0 S 2 2 ... 2 E`, has as many dashes as fit in its length)
  const all = await page.evaluate(() => [...document.querySelectorAll('.canvas path.flowchart-link')].map(p => ({
    dash: /stroke-dasharray\s*:\s*([\d.\s]+)/.exec(p.getAttribute('style') || '')?.[1].trim().split(/\s+/).map(Number),
    len: p.getTotalLength(),
  })));
  assert(all.length >= 60 && all.every(x => x.dash?.length >= 4), 'every flow has its gaps');
  assert(all.some(x => x.dash.length > 4), 'dashed flows among them');
  for (const x of all) {
    const total = x.dash.reduce((a, b) => a + b, 0);
    if (x.dash.length === 4) assert(Math.abs(total - x.len) < 0.5, `the gaps fit the outline: ${JSON.stringify(x)}`);
    else assert(total <= x.len + 0.5 && total > x.len - 4.5, `the dashes fill the outline: ${x.dash.length} numbers, ${total} of ${x.len}`);
  }
  await assertClean(page, log, h.origin);
  await context.close();
});

test('when the extension cannot lay a diagram out, the page lays it out with its own ELK', async (h) => {
  const failing = { layout: async () => { throw new Error('the language server is not running'); } };
  const msg = updateFor(generatedModel(30));
  const { page, log, context } = await h.open({ autoUpdate: msg, layoutServer: failing });
  await page.waitForFunction(() => window.__rampart.updates > 0, null, { timeout: 60_000 });
  const r = await page.evaluate(() => ({ mode: window.__rampart.elk.mode, errors: window.__rampart.elk.hostErrors, nodes: document.querySelectorAll('.canvas g.node').length, fallback: !!document.querySelector('.fallback') }));
  eq(r, { mode: 'page', errors: 1, nodes: 30, fallback: false }, 'drawn by the page\'s ELK');
  assert(log.requests.some(u => u.endsWith('/elk.js')), 'elk.js loaded then');
  await assertClean(page, log, h.origin);
  await context.close();
});

test('large model: focused view with collapsed boundaries, click a group to expand it', async (h, ctx) => {
  const { page, log } = await h.open();
  const msg = updateFor(generatedModel(150));
  assert(msg.view.diagram.focused, 'the generator focuses a 150-element model');
  await update(page, msg);
  const note = await page.$eval('.banner.info', b => (b.hidden ? '' : b.textContent));
  assert(note.includes('too large'), `note shown: ${note}`);
  const groups = await page.$$eval('.canvas g.node', gs => gs.filter(g => /-flowchart-g\d+-/.test(g.id)).length);
  eq(groups, Object.keys(msg.view.diagram.groups).length, 'collapsed groups drawn');
  await page.screenshot({ path: path.join(SHOTS, 'webview-large-focused.png') });
  const renders = await page.evaluate(() => window.__rampart.renders);
  await page.click('.canvas g.node[id*="-flowchart-g0-"]');
  await page.waitForFunction(n => window.__rampart.renders > n, renders, { timeout: 60_000 });
  const last = await page.evaluate(() => window.__states.at(-1));
  assert(last?.focus?.boundary, `focus saved (${JSON.stringify(last?.focus)})`);
  assert(await page.$('.toolbar button:not([hidden])'), 'overview button shown');
  const svgOk = await page.evaluate(() => !!document.querySelector('.canvas svg g.node'));
  assert(svgOk, 'refocused diagram drawn');
  await assertClean(page, log, h.origin);
  ctx.timings.large = await page.evaluate(() => window.__rampart.timings);
});

test('the search box finds any element of a 300-element model by name, focusing the diagram on it when hidden', async h => {
  const { page, log } = await h.open();
  const msg = updateFor(generatedModel(300));
  assert(msg.view.diagram.focused, 'a 300-element model is drawn focused');
  await update(page, msg);
  const hidden = Object.entries(msg.view.diagram.nodeIds).find(([, mid]) => !mid.startsWith('n'))?.[0];
  assert(hidden, 'some element is hidden in a collapsed group');
  const name = msg.view.elements.find(e => e.id === hidden).name;
  eq(await page.$$eval('#rampart-element-names option', os => os.length), 300, 'every element is suggested');
  await clearPosted(page);
  const renders = await page.evaluate(() => window.__rampart.renders);
  await page.fill('input.find', name.toLowerCase());
  await page.press('input.find', 'Enter');
  await page.waitForFunction(n => window.__rampart.renders > n && document.querySelector('.canvas g.node.rampart-selected'), renders, { timeout: 60_000 });
  const found = await page.evaluate(() => {
    const g = document.querySelector('.canvas g.node.rampart-selected');
    const box = g.getBoundingClientRect();
    const vp = document.querySelector('.viewport').getBoundingClientRect();
    return { text: window.__svgText(g), inView: box.left >= vp.left && box.right <= vp.right && box.top >= vp.top && box.bottom <= vp.bottom, focus: window.__states.at(-1)?.focus };
  });
  eq(found.text, name, 'the found element is drawn and selected');
  assert(found.inView, 'the found element is in view');
  eq(found.focus, { element: hidden }, 'the view is focused on it');
  eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'element', id: hidden }], 'the text editor reveals it');
  await page.screenshot({ path: path.join(SHOTS, 'webview-search.png') });
  // An element already drawn is selected without drawing again; a miss says so.
  const again = await page.evaluate(() => window.__rampart.renders);
  await page.fill('input.find', hidden);
  await page.press('input.find', 'Enter');
  await page.waitForTimeout(100);
  eq(await page.evaluate(() => window.__rampart.renders), again, 'no drawing for an element in view');
  await page.fill('input.find', 'no such component');
  await page.press('input.find', 'Enter');
  eq(await page.$eval('.find-miss', e => e.textContent), 'No element matches', 'a miss is said');
  await assertClean(page, log, h.origin);
});

test('adding to the model: element form, connect mode for a flow, keyboard path for a threat; the new entry is selected', async h => {
  const { page, log } = await h.open();
  const first = updateFor(PAYMENTS_YAML, 3);
  await update(page, first);
  const intents = async () => (await posted(page)).filter(m => m.type === 'addEntry');
  // An element, from the form.
  await clearPosted(page);
  await page.click('.authoring button[data-add="element"]');
  await page.selectOption('.add-form select[name="type"]', 'store');
  await page.fill('.add-form input[name="name"]', 'Audit log');
  await page.selectOption('.add-form select[name="boundary"]', 'core');
  await page.click('.add-form button[type="submit"]');
  eq(await intents(), [{ type: 'addEntry', intent: { kind: 'add-element', type: 'store', name: 'Audit log', boundary: 'core' }, version: 3 }], 'element intent');
  await page.screenshot({ path: path.join(SHOTS, 'webview-add-element.png') });
  // The extension answers with the id, then the new view: the element is selected and revealed in the text.
  await clearPosted(page);
  await post(page, { type: 'added', kind: 'element', id: 'audit-log' });
  eq(await page.$('.add-form'), null, 'the form closes');
  const withLog = PAYMENTS_YAML.replace('flows:\n', '  audit-log: { type: store, name: Audit log, boundary: core }\nflows:\n');
  await update(page, updateFor(withLog, 4));
  const sel = await page.evaluate(() => window.__svgText(document.querySelector('.canvas g.node.rampart-selected')));
  eq(sel, 'Audit log', 'the new element is selected in the diagram');
  eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'element', id: 'audit-log' }], 'and revealed in the text');

  // A flow in connect mode: click the source node, then the target; the form comes filled in.
  await clearPosted(page);
  await page.click('.authoring button[data-add="flow"]');
  assert(await page.$eval('.authoring .banner.connect', b => !b.hidden && /Click the element the data comes from/.test(b.textContent)), 'connect mode says what to do');
  const ids = updateFor(withLog, 4).view.diagram.nodeIds;
  const nodeOf = async el => `.canvas g.node[id*="-flowchart-${ids[el]}-"]`;
  await page.click(await nodeOf('worker'));
  await page.click(await nodeOf('audit-log'));
  eq(await page.$eval('.add-form select[name="from"]', s => s.value), 'worker', 'from the first click');
  eq(await page.$eval('.add-form select[name="to"]', s => s.value), 'audit-log', 'to the second click');
  await page.fill('.add-form input[name="protocol"]', 'syslog');
  await page.check('.add-form input[name="encrypted"]');
  await page.press('.add-form input[name="protocol"]', 'Enter');
  eq((await intents()).map(m => m.intent), [{ kind: 'add-flow', from: 'worker', to: 'audit-log', protocol: 'syslog', encrypted: true }], 'flow intent: ticked boxes only (unticked is unknown, not false)');
  eq((await posted(page)).filter(m => m.type === 'reveal'), [], 'connect-mode clicks do not jump to the text');

  // A threat by keyboard alone: Tab to the button, Enter, type, Enter.
  await clearPosted(page);
  await page.focus('.authoring button[data-add="threat"]');
  await page.keyboard.press('Enter');
  await page.focus('.add-form input[name="title"]');
  await page.keyboard.type('Log entries forged');
  await page.keyboard.press('Enter');
  const threat = (await intents())[0]?.intent;
  eq([threat?.kind, threat?.title, threat?.stride, threat?.targets?.length], ['add-threat', 'Log entries forged', ['spoofing'], 1], 'threat intent');
  // A refusal is said in the form; Escape closes it.
  await post(page, { type: 'notice', message: 'There is no element `x`.' });
  eq(await page.$eval('.add-form .form-error', e => e.textContent), 'There is no element `x`.', 'the refusal is shown');
  await page.keyboard.press('Escape');
  eq(await page.$('.add-form'), null, 'Escape closes the form');
  // An open form's lists follow the model: a boundary added meanwhile is offered, what was typed stays.
  await page.click('.authoring button[data-add="element"]');
  await page.fill('.add-form input[name="name"]', 'Ledger');
  await update(page, updateFor(withLog.replace('boundaries:\n', 'boundaries:\n  vault-zone: { name: Vault zone, trust: trusted }\n'), 5));
  await page.selectOption('.add-form select[name="boundary"]', 'vault-zone');
  eq(await page.$eval('.add-form input[name="name"]', i => i.value), 'Ledger', 'the typed name stays');
  await assertClean(page, log, h.origin);
});

/** The `entry` message the extension sends for an entry of `yaml` (the server's form, computed by the core). */
function entryFor(yaml, version, kind, id) {
  const section = { element: 'elements', flow: 'flows', boundary: 'boundaries', asset: 'assets', threat: 'threats', mitigation: 'mitigations' }[kind];
  const form = core.entryForm.entryForm(core.analyze.analyze(yaml, { now: new Date('2026-01-15T00:00:00Z') }), section, id) ?? null;
  const msg = { type: 'entry', version, kind, id, form };
  if (!core.protocol.parseToWebview(msg)) throw new Error('entry message does not match the protocol');
  return msg;
}

test('properties panel: fields from the schema, only changed fields saved, fixes as buttons, delete asks about references, heat-map drop', async h => {
  const { page, log } = await h.open();
  await update(page, updateFor(PAYMENTS_YAML, 3));
  const edits = async () => (await posted(page)).filter(m => m.type === 'editEntry' || m.type === 'entryAction');
  // A click on a node opens its panel: the webview asks for the entry's form.
  await clearPosted(page);
  const ids = updateFor(PAYMENTS_YAML, 3).view.diagram.nodeIds;
  await page.click(`.canvas g.node[id*="-flowchart-${ids.gateway}-"]`);
  eq((await posted(page)).filter(m => m.type === 'inspect'), [{ type: 'inspect', kind: 'element', id: 'gateway' }], 'a click asks for the form');
  assert(await page.$eval('.inspector', e => !e.hidden), 'the panel opens');
  await post(page, entryFor(PAYMENTS_YAML, 3, 'element', 'gateway'));
  await page.waitForSelector('.inspector form.props');
  eq(await page.$eval('.inspector header strong', e => e.textContent), 'API gateway', 'the panel names the entry');
  eq(await page.$eval('.inspector input[name="name"]', i => i.value), 'API gateway', 'name field');
  eq(await page.$eval('.inspector select[name="boundary"]', s => s.value), 'dmz', 'boundary is a choice of the boundaries');
  eq(await page.$eval('.inspector select[name="type"]', s => [...s.options].map(o => o.value)), ['external', 'process', 'store'], 'an enum is a select');
  eq(await page.$eval('.inspector select[name="internet_facing"]', s => [s.value, [...s.options].map(o => o.text)]), ['', ['not stated', 'yes', 'no']], 'a boolean has three ways: unset is not "no"');
  await page.screenshot({ path: path.join(SHOTS, 'webview-properties.png') });
  // Only what the user changed is sent, with the id following the name where it was derived from it.
  await clearPosted(page);
  await page.fill('.inspector input[name="technology"]', 'nginx');
  await page.selectOption('.inspector select[name="internet_facing"]', 'true');
  await page.selectOption('.inspector select[name="boundary"]', 'core');
  await page.click('.inspector button[type="submit"]');
  eq(await edits(), [{ type: 'editEntry', version: 3, intent: { kind: 'set-fields', section: 'elements', id: 'gateway', set: { technology: 'nginx', internet_facing: true, boundary: 'core' }, followName: true } }], 'set-fields with the changed fields only');
  // A refusal shows in the panel and keeps what was typed.
  await post(page, { type: 'notice', message: 'There is no boundary `x`.' });
  eq(await page.$eval('.inspector .form-error', e => e.textContent), 'There is no boundary `x`.', 'the refusal is shown in the panel');
  eq(await page.$eval('.inspector input[name="technology"]', i => i.value), 'nginx', 'the typed value stays');
  // The fixes of the entry's findings are buttons; one sends the action's index for this version.
  if (!(await page.$eval('.inspector .findings-box', d => d.open))) await page.click('.inspector .findings-box > summary');
  const fixes = await page.$$eval('.inspector button.fix', bs => bs.map(b => b.textContent));
  const form = entryFor(PAYMENTS_YAML, 3, 'element', 'gateway').form;
  eq(fixes, form.actions.filter(a => a.finding !== undefined).map(a => a.title), 'the findings\' fixes are offered as buttons');
  assert(fixes.length > 0, 'the gateway has a finding with a fix');
  await clearPosted(page);
  await page.click('.inspector button.fix');
  eq((await edits()).map(m => [m.type, m.kind, m.id, m.version]), [['entryAction', 'element', 'gateway', 3]], 'a fix button applies that fix');

  // Delete: references are listed first; "Delete with references" sends the second intent; the panel closes.
  await clearPosted(page);
  await page.click('.inspector button.delete');
  eq((await edits()).map(m => m.intent), [{ kind: 'delete-entry', section: 'elements', id: 'gateway' }], 'delete asks without references first');
  await post(page, {
    type: 'confirmDelete', kind: 'element', id: 'gateway', message: '3 references would dangle.',
    references: [
      { section: 'flows', id: 'checkout', field: 'to', description: 'flow `checkout` goes to it' },
      { section: 'flows', id: 'forward', field: 'from', description: 'flow `forward` starts at it' },
      { section: 'threats', id: 'token-replay', field: 'targets', description: 'threat `token-replay` targets it' },
    ],
  });
  eq(await page.$$eval('.inspector .confirm li', l => l.map(x => x.textContent)), ['flow `checkout` goes to it', 'flow `forward` starts at it', 'threat `token-replay` targets it'], 'every reference is listed');
  await page.screenshot({ path: path.join(SHOTS, 'webview-delete-confirm.png') });
  await clearPosted(page);
  await page.keyboard.press('Enter'); // the focused "Delete with references"
  eq((await edits()).map(m => m.intent), [{ kind: 'delete-entry', section: 'elements', id: 'gateway', withReferences: true }], 'then with references');
  await post(page, { type: 'deleted', removed: [{ kind: 'element', id: 'gateway' }, { kind: 'flow', id: 'checkout' }] });
  assert(await page.$eval('.inspector', e => e.hidden), 'the panel of a deleted entry closes');
  eq(await page.$$eval('.canvas .rampart-selected', l => l.length), 0, 'and nothing stays selected');

  // Keyboard: Enter on a threat row opens its panel; accepting the risk asks for the acceptance fields; Escape closes.
  await page.focus('table.threats tbody tr[data-id="token-replay"]');
  await page.keyboard.press('Enter');
  await post(page, entryFor(PAYMENTS_YAML, 3, 'threat', 'token-replay'));
  await page.waitForSelector('.inspector select[name="likelihood"]');
  eq(await page.$eval('.inspector .note.acceptance', e => e.hidden), true, 'no acceptance note while open');
  await page.selectOption('.inspector select[name="status"]', 'accepted');
  eq(await page.$eval('.inspector .note.acceptance', e => e.hidden), false, 'accepting asks for justification, owner, expiry');
  eq(await page.$$eval('.inspector .field.needed [name]', l => l.map(x => x.getAttribute('name'))), ['justification', 'accepted_by', 'expires'], 'and shows those fields');
  // A CVSS vector is scored as it is typed (by the server: the scoring library is not in the webview).
  if (!(await page.$eval('.inspector form.props details', d => d.open))) await page.click('.inspector form.props details > summary');
  await clearPosted(page);
  await page.fill('.inspector input[name="cvss"]', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'scoreVector'));
  eq((await posted(page)).filter(m => m.type === 'scoreVector'), [{ type: 'scoreVector', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], 'the vector is sent once typing pauses');
  await post(page, { type: 'vectorScore', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical', version: '3.1', level: 'critical' });
  eq(await page.$eval('.inspector .cvss-score', e => e.textContent), 'CVSS 3.1 base score 9.8 (critical): critical risk', 'the live score');
  await page.fill('.inspector input[name="cvss"]', 'CVSS:3.1/AV:Q');
  await post(page, { type: 'vectorScore', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical', version: '3.1', level: 'critical' });
  eq(await page.$eval('.inspector .cvss-score', e => e.textContent), '', 'a score for a vector no longer typed is not shown');
  await post(page, { type: 'vectorScore', vector: 'CVSS:3.1/AV:Q', problem: 'AV:Q is not a value of AV' });
  eq(await page.$eval('.inspector .cvss-score.problem', e => e.textContent), 'AV:Q is not a value of AV', 'or why the vector is not valid');
  await page.focus('.inspector select[name="likelihood"]');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  assert(await page.$eval('.inspector', e => e.hidden), 'Escape closes the panel');

  // A threat row dropped on a heat-map cell takes the cell's likelihood and impact.
  await clearPosted(page);
  await page.dragAndDrop('table.threats tbody tr[data-id="token-replay"]', '.heatmap td.cell[data-cell="0,4"]');
  eq((await edits()).map(m => m.intent), [{ kind: 'set-fields', section: 'threats', id: 'token-replay', set: { likelihood: 'rare', impact: 'severe' } }], 'the drop sets likelihood and impact');
  await assertClean(page, log, h.origin);
});

test('threat statement builder: suggestions for the target, one click fills the statement, the title follows it, the intent carries both', async h => {
  const { page, log } = await h.open();
  await update(page, updateFor(PAYMENTS_YAML, 3));
  await clearPosted(page);
  await page.click('.authoring button[data-add="threat"]');
  await page.selectOption('.add-form select[name="target"]', 'vault');
  const asked = (await posted(page)).filter(m => m.type === 'suggest').map(m => m.target);
  eq(asked.at(-1), 'vault', 'the form asks for suggestions for its target');
  const suggestions = core.suggestions.threatSuggestions(PAYMENTS_YAML, 'vault');
  assert(suggestions.suggestions.length > 1, 'the core has suggestions for a card vault');
  const msg = { type: 'suggestions', suggestions };
  assert(core.protocol.parseToWebview(msg), 'the message matches the protocol');
  await post(page, msg);
  const buttons = await page.$$eval('.statement-builder button.use-suggestion', b => b.map(x => x.textContent));
  eq(buttons, suggestions.suggestions.map(s => `Use: ${s.title}`), 'one button per suggestion');
  eq(await page.$eval('.statement-builder .stride-explain', e => e.textContent.length > 10), true, 'the category is explained in a line');
  // Suggestions for another target are ignored once the target changed.
  await page.selectOption('.add-form select[name="target"]', 'api');
  await post(page, msg);
  eq(await page.$$eval('.statement-builder button.use-suggestion', b => b.length), 0, 'stale suggestions are not shown');
  await page.selectOption('.add-form select[name="target"]', 'vault');
  await post(page, msg);
  await page.click('.statement-builder button.use-suggestion');
  const used = suggestions.suggestions[0];
  eq(await page.$eval('.add-form input[name="statement-source"]', i => i.value), used.statement.source, 'the source is filled');
  eq(await page.$eval('.add-form input[name="statement-action"]', i => i.value), used.statement.action, 'the action is filled');
  eq(await page.$eval('.add-form input[name="title"]', i => i.value), used.title, 'the title is the suggestion\'s');
  const preview = await page.$eval('.statement-builder .statement-preview', e => e.textContent);
  assert(preview.includes(used.statement.action), `the preview reads the statement: ${preview}`);
  await page.screenshot({ path: path.join(SHOTS, 'webview-statement-builder.png'), fullPage: true });
  // Writing the statement by hand: the title follows it until the user writes one.
  await page.fill('.add-form input[name="title"]', '');
  await page.fill('.add-form input[name="statement-source"]', 'A <b>rogue</b> DBA');
  const title = await page.$eval('.add-form input[name="title"]', i => i.value);
  assert(title.startsWith('A <b>rogue</b> DBA'), `the title follows the statement, as text: ${title}`);
  eq(await page.$$eval('.statement-builder b', l => l.length), 0, 'markup stays text');
  await clearPosted(page);
  await page.click('.add-form button[type="submit"]');
  const intent = (await posted(page)).find(m => m.type === 'addEntry')?.intent;
  eq([intent?.kind, intent?.targets, intent?.title, intent?.statement?.source, intent?.statement?.action], ['add-threat', ['vault'], title, 'A <b>rogue</b> DBA', used.statement.action], 'the intent carries the statement and its title');
  await assertClean(page, log, h.origin);
});

test('every example model renders cleanly: one node per element, one cluster per boundary, a row per threat', async h => {
  const dir = path.join(ROOT, 'examples');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => /\.threatmodel\.ya?ml$/.test(f)).sort() : [];
  if (files.length === 0) return;
  for (const file of files) {
    const { page, context, log } = await h.open();
    const msg = updateFor(fs.readFileSync(path.join(dir, file), 'utf8'));
    const v = msg.view;
    await update(page, msg);
    const r = await page.evaluate(() => {
      const s = document.querySelector('.canvas svg');
      const ids = s ? [...s.querySelectorAll('g.node')].map(g => /-flowchart-([a-z]+\d+)-\d+$/.exec(g.id)?.[1] ?? '') : [];
      return {
        svg: !!s,
        nodes: ids.filter(i => /^n\d+$/.test(i)).length,
        groups: ids.filter(i => /^g\d+$/.test(i)).length,
        clusters: s ? s.querySelectorAll('g.cluster').length : 0,
        rows: document.querySelectorAll('table.threats tbody tr').length,
        trees: document.querySelectorAll('.trees details').length,
      };
    });
    assert(r.svg, `${file}: diagram drawn`);
    const d = v.diagram;
    eq(r.nodes, Object.values(d.nodeIds).filter(x => x.startsWith('n')).length, `${file}: element nodes`);
    if (!d.focused) {
      eq(r.nodes, v.elements.length, `${file}: one node per element`);
      eq(r.clusters, v.boundaries.length, `${file}: one cluster per boundary`);
    }
    eq(r.groups, Object.keys(d.groups).length, `${file}: collapsed groups`);
    eq(r.rows, v.threats.length, `${file}: one row per threat`);
    eq(r.trees, v.attackTrees.length, `${file}: one section per attack tree`);
    // Node labels break only where encode.ts put line breaks, at spaces: no word is cut.
    const labels = await page.evaluate(() => [...document.querySelectorAll('.canvas g.node')].map(g => ({
      id: /-flowchart-([a-z]+\d+)-\d+$/.exec(g.id)?.[1],
      lines: [...g.querySelectorAll('text tspan.text-outer-tspan')].map(t => t.textContent.replace(/\s+/g, ' ').trim()),
    })));
    for (const e of v.elements) {
      const name = e.name.replace(/\s+/g, ' ').trim();
      const drawn = labels.find(l => l.id === d.nodeIds[e.id]);
      if (!drawn || !d.nodeIds[e.id].startsWith('n') || [...name].length > 60) continue;
      eq(drawn.lines.join(' '), name, `${file}: ${e.id} label lines`);
      assert(drawn.lines.every(l => [...l].length <= 22) || drawn.lines.length === 1, `${file}: ${e.id} wrapped at 22 (${drawn.lines})`);
    }
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(SHOTS, `webview-example-${file.replace(/\.threatmodel\.ya?ml$/, '')}.png`), fullPage: true });
    await assertClean(page, log, h.origin);
    await context.close();
  }
});

const WEBSHOP = path.join(ROOT, 'examples/webshop-payments.threatmodel.yaml');

/** Everything the page draws stays inside the window: nothing scrolls sideways. */
async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > vw) out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${vw}`);
    for (const el of document.querySelectorAll('.toolbar, .toolbar *, .banner, .legend, .legend *, .lower, .lower *, .trees, .trees details, .trees summary, .trees .tree-body')) {
      if (el.closest('[hidden]') || el.closest('option')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > vw + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} right ${Math.round(r.right)} > ${vw}`);
      // An attack tree may scroll in its own box, below a legible scale only (checked by treeScales).
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible' && el.tagName !== 'SELECT' && !el.classList.contains('tree-body')) out.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways`);
    }
    return out.slice(0, 5);
  });
}

/** Per open attack tree: its drawn scale and whether its box scrolls sideways. */
async function treeScales(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.trees details[open]')].every(d => d.querySelector('svg')), null, { timeout: 30_000 });
  return page.$$eval('.trees .tree-body > svg', svgs => svgs.map(svg => ({
    scale: svg.getBoundingClientRect().width / Number(svg.dataset.w),
    scrolls: svg.parentElement.scrollWidth > svg.parentElement.clientWidth + 1,
  })));
}

/** The threat rows as a reader sees them: which parts are visible and fully inside the window. */
async function threatRows(page) {
  return page.$$eval('table.threats tbody tr', trs => {
    const vw = document.documentElement.clientWidth;
    const shown = el => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && cs.display !== 'none' && cs.visibility !== 'hidden' && r.left >= -0.5 && r.right <= vw + 0.5;
    };
    return trs.map(tr => ({
      id: tr.dataset.id,
      height: tr.getBoundingClientRect().height,
      title: shown(tr.querySelector('td.title')),
      level: shown(tr.querySelector('td.level .badge')),
      status: shown(tr.querySelector('td.status select')),
      residual: shown(tr.querySelector('td.residual')) ? tr.querySelector('td.residual').innerText.replace(/\s+/g, ' ').trim() : '',
      summary: shown(tr.querySelector('.mit-summary')) ? tr.querySelector('.mit-summary').textContent : '',
      chips: shown(tr.querySelector('td.mitigations .chips')) || tr.querySelectorAll('td.mitigations .chip').length === 0,
      targets: shown(tr.querySelector('td.targets')),
    }));
  });
}

/** Where the diagram is and how the first view was chosen. */
async function diagramView(page) {
  return page.evaluate(() => {
    const vp = document.querySelector('.viewport').getBoundingClientRect();
    const svg = document.querySelector('.canvas svg').getBoundingClientRect();
    const crit = document.querySelector('.canvas g.node.rk-critical')?.getBoundingClientRect();
    const hint = document.querySelector('.fit-hint');
    const k = Number(/scale\(([\d.e-]+)\)/.exec(document.querySelector('.canvas').style.transform)?.[1]);
    return {
      k, firstView: window.__rampart.firstView,
      whole: svg.left >= vp.left - 1 && svg.right <= vp.right + 1 && svg.top >= vp.top - 1 && svg.bottom <= vp.bottom + 1,
      critical: crit ? crit.left + crit.width / 2 > vp.left && crit.left + crit.width / 2 < vp.right && crit.top + crit.height / 2 > vp.top && crit.top + crit.height / 2 < vp.bottom : undefined,
      hint: hint.hidden ? '' : hint.textContent,
      hintVisible: !hint.hidden && (() => { const r = hint.getBoundingClientRect(); return r.width > 0 && r.top >= vp.top && r.bottom <= vp.bottom; })(),
      savedZoom: window.__states.some(s => s.zoom),
    };
  });
}

/** The heat map's colours: per cell the background, border, text and the level colour of its zone. */
async function heatColours(page) {
  return page.evaluate(() => {
    const page = window.__rgb(getComputedStyle(document.body).backgroundColor);
    const cells = [...document.querySelectorAll('table.heatmap td[data-cell]')].map(td => {
      const cs = getComputedStyle(td);
      return {
        cell: td.dataset.cell, level: td.dataset.level, open: Number(td.dataset.open), total: Number(td.dataset.total),
        bg: window.__rgb(cs.backgroundColor), zone: window.__rgb(cs.getPropertyValue('--zone').trim()), text: window.__rgb(cs.color),
        border: window.__rgb(cs.borderTopColor), borderWidth: parseFloat(cs.borderTopWidth), borderStyle: cs.borderTopStyle, opacity: Number(cs.opacity),
        // What the eye sees: the background composited over the page.
        seen: cs.backgroundColor === 'rgba(0, 0, 0, 0)' ? page : window.__rgb(cs.backgroundColor),
      };
    });
    const rowHeader = window.__rgb(getComputedStyle(document.querySelector('table.heatmap th.row')).color);
    return { page, cells, rowHeader };
  });
}

function checkHeatMap(h, label) {
  const { page, cells, rowHeader } = h;
  assert(contrast(rowHeader, page) >= 4.5, `${label}: likelihood labels readable (${contrast(rowHeader, page).toFixed(2)})`);
  assert(cells.some(c => c.total > 0 && c.open === 0), `${label}: the model has a cell whose threats are all closed`);
  assert(cells.some(c => c.open > 0), `${label}: the model has a cell with open threats`);
  for (const c of cells) {
    const where = `${label}: cell ${c.cell} (${c.level}, ${c.open} open of ${c.total})`;
    eq(c.opacity, 1, `${where}: no translucent (muddy) cell`);
    if (c.open > 0) {
      assert(sameRgb(c.bg, c.zone), `${where}: painted in the level's colour ${c.zone} (got ${c.bg})`);
      assert(contrast(c.text, c.bg) >= 3, `${where}: count readable on the colour (${contrast(c.text, c.bg).toFixed(2)})`);
    } else {
      assert(contrast(c.seen, c.zone) >= 1.6, `${where}: not painted like a cell with open threats (${c.seen} vs ${c.zone})`);
      assert(contrast(c.seen, page) < 1.3, `${where}: muted, close to the editor background (${contrast(c.seen, page).toFixed(2)})`);
      if (c.total > 0) {
        assert(c.borderWidth >= 2, `${where}: outlined (border ${c.borderWidth}px)`);
        assert(contrast(c.text, c.seen) >= 3, `${where}: "0 of ${c.total}" readable (${contrast(c.text, c.seen).toFixed(2)})`);
      }
    }
  }
  // Closed-only and empty cells look different from each other.
  const closed = cells.find(c => c.total > 0 && c.open === 0);
  const empty = cells.find(c => c.total === 0 && c.level === closed.level);
  if (empty) assert(closed.borderWidth > empty.borderWidth || closed.borderStyle !== empty.borderStyle, `${label}: a closed-only cell is outlined unlike an empty one`);
}

for (const theme of ['vscode-light', 'vscode-dark']) {
  test(`${theme.slice(7)} theme, narrow panel (520 px, opened to the side): threat cards, nothing scrolls sideways, riskiest part shown with a Fit hint`, async h => {
    const { page, log } = await h.open({ theme, width: 520, height: 900 });
    const msg = updateFor(fs.readFileSync(WEBSHOP, 'utf8'));
    await update(page, msg);
    const trees = await treeScales(page);
    assert(trees.length > 0, 'attack trees drawn');
    for (const t of trees) assert(t.scale >= 0.599 && (!t.scrolls || t.scale < 0.601), `attack tree scaled to the panel, never below 0.6 (${JSON.stringify(t)})`);
    eq(await sidewaysOverflow(page), [], 'nothing sticks out to the right');
    assert(await page.$eval('table.threats thead', t => getComputedStyle(t).display === 'none'), 'no column headers in the card layout');
    const rows = await threatRows(page);
    eq(rows.length, msg.view.threats.length, 'a card per threat');
    for (const r of rows) {
      assert(r.title && r.level && r.status, `${r.id}: title, level and the whole status select visible (${JSON.stringify(r)})`);
      assert(r.residual, `${r.id}: residual risk visible`);
      assert(/^(\d+\/\d+ mitigations? done|no mitigation)$/.test(r.summary), `${r.id}: mitigations done/total shown (${r.summary})`);
      assert(!r.targets, `${r.id}: targets left out when narrow`);
      assert(r.height <= 130, `${r.id}: card not too tall (${Math.round(r.height)}px)`);
    }
    const refund = msg.view.threats.find(t => t.id === 'refund-abuse');
    const done = refund.mitigations.filter(m => m.status === 'implemented' || m.status === 'verified').length;
    eq(rows.find(r => r.id === 'refund-abuse').summary, `${done}/${refund.mitigations.length} mitigations done`, 'refund-abuse mitigation count');
    assert(rows.find(r => r.id === 'refund-abuse').residual.includes('above tolerance'), 'above-tolerance residual shown');
    // The status select still works in a card.
    await clearPosted(page);
    await page.selectOption('tr[data-id="refund-abuse"] td.status select', 'mitigated');
    eq((await posted(page)).filter(m => m.type === 'setThreatStatus').map(m => m.id), ['refund-abuse'], 'status change from a card');

    // First view: the diagram is far wider than the panel, so the riskiest node at 0.7 with the hint.
    const first = await diagramView(page);
    eq([first.firstView, first.k], ['detail', 0.7], 'detail view at 0.7');
    assert(first.critical, 'the critical node is in view');
    eq(first.hint, 'Press Fit to see the whole diagram', 'hint text');
    assert(first.hintVisible, 'hint visible inside the diagram');
    assert(!first.savedZoom, 'the first view is not saved as a user zoom');
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `webview-webshop-narrow-${theme.slice(7)}.png`), fullPage: true });
    checkHeatMap(await heatColours(page), `${theme} narrow`);

    // The hint (like Fit) shows the whole diagram and goes away; that view is the user's, so it is saved.
    await page.click('.fit-hint');
    const fitted = await diagramView(page);
    assert(fitted.whole && fitted.k < 0.5 && !fitted.hint && fitted.savedZoom, `Fit shows the whole diagram (${JSON.stringify(fitted)})`);
    await assertClean(page, log, h.origin);
  });

  test(`${theme.slice(7)} theme, wide panel (1400 px): full table, whole diagram fitted, heat map by open threats`, async h => {
    const { page, log } = await h.open({ theme, width: 1400, height: 900 });
    const msg = updateFor(fs.readFileSync(WEBSHOP, 'utf8'));
    await update(page, msg);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `webview-webshop-wide-${theme.slice(7)}.png`), fullPage: true });
    eq(await sidewaysOverflow(page), [], 'nothing sticks out to the right');
    assert(await page.$eval('table.threats thead', t => getComputedStyle(t).display !== 'none'), 'column headers shown');
    for (const r of await threatRows(page)) {
      assert(r.title && r.level && r.status && r.residual && r.targets && r.chips, `${r.id}: every column visible (${JSON.stringify(r)})`);
      eq(r.summary, '', `${r.id}: mitigation chips instead of the count`);
    }
    for (const t of await treeScales(page)) assert(!t.scrolls && t.scale > 0.6, `attack tree fits a wide panel (${JSON.stringify(t)})`);
    const first = await diagramView(page);
    assert(first.firstView === 'fit' && first.whole && first.k >= 0.5, `whole diagram on first view (${JSON.stringify(first)})`);
    assert(!first.hint, 'no hint when everything is visible');
    checkHeatMap(await heatColours(page), `${theme} wide`);
    // Labels wrapped at spaces only: the customer-service agent is one line, no word cut.
    const lines = await page.evaluate(nid => {
      const g = [...document.querySelectorAll('.canvas g.node')].find(x => x.id.includes(`-flowchart-${nid}-`));
      return [...g.querySelectorAll('text tspan.text-outer-tspan')].map(t => t.textContent.replace(/\s+/g, ' ').trim());
    }, msg.view.diagram.nodeIds.agent);
    eq(lines, ['Customer-service agent'], 'customer-service agent label');
    // Flow labels keep exactly the lines encode.ts made: Mermaid did not wrap them again.
    const wanted = {};
    for (const m of msg.view.diagram.text.matchAll(/ (e\d+)@[-.<>]+\|"([^"]*)"\|/g)) wanted[m[1]] = m[2].split('<br>').length;
    const drawn = await page.$$eval('.canvas g.edgeLabel', gs => gs.map(g => [g.querySelector('[data-id]')?.getAttribute('data-id'), g.querySelectorAll('tspan.text-outer-tspan').length]));
    const rewrapped = drawn.filter(([id, n]) => id in wanted && n !== wanted[id]);
    assert(Object.keys(wanted).length > 5, 'flow labels found in the Mermaid text');
    eq(rewrapped, [], 'flow labels Mermaid wrapped again (edge id, drawn lines)');
    await assertClean(page, log, h.origin);
  });
}

test('high-contrast theme: heat-map cells outlined with the contrast border, open cells in the level colour', async h => {
  const { page, log } = await h.open({ theme: 'vscode-high-contrast', width: 900, height: 900 });
  await update(page, updateFor(fs.readFileSync(WEBSHOP, 'utf8')));
  await page.screenshot({ path: path.join(SHOTS, 'webview-webshop-high-contrast.png'), fullPage: true });
  const { page: bg, cells } = await heatColours(page);
  for (const c of cells) {
    if (c.open > 0) assert(sameRgb(c.bg, c.zone), `cell ${c.cell}: open threats in the level colour`);
    else {
      assert(sameRgb(c.seen, bg), `cell ${c.cell}: no tint on high contrast`);
      assert(contrast(c.border, bg) >= 3, `cell ${c.cell}: visible border (${contrast(c.border, bg).toFixed(2)})`);
      if (c.total > 0) eq(c.borderStyle, 'dashed', `cell ${c.cell}: closed-only cells dashed`);
    }
  }
  eq(await sidewaysOverflow(page), [], 'nothing sticks out to the right at 900 px');
  await assertClean(page, log, h.origin);
});

test('no panel width from 420 to 1400 px scrolls sideways, in table or card layout', async h => {
  const { page, log } = await h.open({ width: 420, height: 900 });
  await update(page, updateFor(fs.readFileSync(WEBSHOP, 'utf8')));
  const layouts = new Set();
  for (let w = 420; w <= 1400; w += 40) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
    eq(await sidewaysOverflow(page), [], `at ${w} px`);
    const cards = await page.$eval('table.threats thead', t => getComputedStyle(t).display === 'none');
    layouts.add(cards ? 'cards' : 'table');
    for (const r of await threatRows(page)) assert(r.status && r.residual, `${r.id} at ${w} px: status and residual visible`);
  }
  eq([...layouts].sort(), ['cards', 'table'], 'both layouts seen');
  await assertClean(page, log, h.origin);
});

test('the first view follows the panel width until the user zooms; a restored zoom shows no hint', async h => {
  const { page, log } = await h.open({ width: 520, height: 900 });
  await update(page, updateFor(fs.readFileSync(WEBSHOP, 'utf8')));
  eq((await diagramView(page)).firstView, 'detail', 'narrow: detail');
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.waitForFunction(() => window.__rampart.firstView === 'fit', null, { timeout: 5000 });
  const wide = await diagramView(page);
  assert(wide.whole && !wide.hint, `widened: whole diagram, no hint (${JSON.stringify(wide)})`);
  // A user zoom sticks: resizing no longer moves the diagram, and a reload restores it without the hint.
  await page.click('.zoom-controls button[title="Zoom in"]');
  const zoom = await page.evaluate(() => window.__states.at(-1).zoom);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForTimeout(200);
  const after = (await page.$eval('.canvas', c => c.style.transform)).match(/-?[\d.]+(e-?\d+)?/g).map(Number);
  assert([zoom.x, zoom.y, zoom.k].every((v, i) => Math.abs(v - after[i]) < 1e-3), `user zoom kept on resize (${after} vs ${JSON.stringify(zoom)})`);
  const again = await h.open({ width: 520, height: 900, state: { zoom } });
  await update(again.page, updateFor(fs.readFileSync(WEBSHOP, 'utf8')));
  const restored = await diagramView(again.page);
  assert(Math.abs(restored.k - zoom.k) < 1e-4 && restored.hint === '', `restored zoom, no hint (${JSON.stringify(restored)})`);
  await again.context.close();
  await assertClean(page, log, h.origin);
});

// -------------------------------------------------------------------------------------------------------------

/**
 * The language server (dist/server.js) as the extension starts it for the visual editor's layouts: a client that
 * draws diagrams (`diagramLayout`), a model opened (which starts the server's ELK warming up), and
 * `rampart/layout` for each `layout` message of a page (Harness.open's `layoutServer`).
 */
export async function startLayoutServer({ warm = true } = {}) {
  const { spawn } = await import('node:child_process');
  const rpc = await import('vscode-languageserver/node');
  const proc = spawn(process.execPath, [...(process.env.RAMPART_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.RAMPART_SERVER_PROF] : []), path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
  proc.stderr.on('data', d => process.stderr.write(`[server] ${d}`));
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  conn.onRequest(rpc.ConfigurationRequest.type, p => p.items.map(() => null));
  conn.onRequest(rpc.RegistrationRequest.type, () => undefined);
  conn.listen();
  await conn.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: [], capabilities: { workspace: { configuration: true } }, initializationOptions: { diagramLayout: true } });
  await conn.sendNotification(rpc.InitializedNotification.type, {});
  const status = () => conn.sendRequest('rampart/layoutStatus', {});
  const server = {
    status,
    layouts: 0,
    /** Milliseconds ELK took in the server, per layout. */
    elkMs: [],
    async layout(graphJson, layoutOptions) {
      const r = await conn.sendRequest('rampart/layout', { graphJson, ...(layoutOptions ? { layoutOptions } : {}) });
      server.layouts++;
      server.elkMs.push(r.ms);
      return r.graphJson;
    },
    /** Opens a model, as a user does before the visual editor: the server warms its ELK up. */
    async openModel(yaml) {
      // in a folder of its own, as a model in a small repository (not this one, whose files the server would index)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-layout-'));
      const uri = pathToFileURL(path.join(dir, 'bench.threatmodel.yaml')).href;
      await conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'threatmodel', version: 1, text: yaml } });
    },
    /** Resolves once the server's ELK has finished warming up. */
    async warmed(ms = 60_000) {
      const t0 = Date.now();
      for (;;) {
        const st = await status();
        if (st.state === 'warm') return st;
        if (st.state === 'failed') throw new Error('the language server could not start its layout engine');
        if (Date.now() - t0 > ms) throw new Error(`the language server's ELK is not warm after ${ms} ms (${JSON.stringify(st)})`);
        await new Promise(r => setTimeout(r, 100));
      }
    },
    async stop() {
      try {
        await conn.sendRequest(rpc.ShutdownRequest.type);
        await conn.sendNotification(rpc.ExitNotification.type);
      } catch {
        // already gone
      }
      setTimeout(() => proc.kill(), 2000).unref();
      conn.dispose();
    },
  };
  if (warm) {
    await server.openModel(PAYMENTS_YAML);
    await server.warmed();
  }
  return server;
}

export async function withHarness(opts, fn) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const bundle = await buildBundle(opts.dist);
  const { server, origin } = await serve(bundle.dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    return await fn(new Harness(browser, origin), bundle);
  } finally {
    await browser.close();
    server.close();
  }
}

/** Runs every test; returns { passed, failed, results, timings, bundle }. */
// The mitigation plan ("fix first", #15): the payments model with a yearly value at risk and costs.
const PLAN_YAML = PAYMENTS_YAML
  .replace('  session: { name: Session tokens, classification: confidential }', '  session: { name: Session tokens, classification: confidential, value: 40000 }')
  .replace('    likelihood: likely\n    impact: major\n    status: open\n    mitigations: [short-lived-tokens]', '    likelihood: likely\n    impact: major\n    annual_rate: 0.5\n    status: open\n    mitigations: [short-lived-tokens]')
  .replace('    status: in-progress\n', '    status: in-progress\n    annual_cost: 200000\n')
  .replace('    title: FIDO2 keys for support agents\n    status: planned\n', '    title: FIDO2 keys for support agents\n    status: proposed\n    annual_cost: 2000\n    cost: 6000\n')
  .replace('    mitigations: [phishing-keys]', '    annual_rate: 0.2\n    mitigations: [phishing-keys]');

test('fix first: the mitigation plan in order, with its figures, status changes and reveal; cards when narrow', async h => {
  const msg = updateFor(PLAN_YAML, 5);
  const v = msg.view;
  for (const width of [1400, 520]) {
    const { page, log, context } = await h.open({ width, height: 1000 });
    await update(page, msg);
    const rows = await page.$$eval('table.plan tbody tr', trs => trs.map(tr => ({
      id: tr.dataset.id, closes: tr.querySelector('td.closes').textContent, rosi: tr.querySelector('td.rosi').textContent,
      losing: tr.querySelector('td.rosi').classList.contains('losing'), reduction: tr.querySelector('td.reduction').textContent,
    })));
    // the two pending mitigations (hsm-keys is implemented): token replay and agent phishing are both high;
    // FIDO2 keys return more than they cost, channel-bound tokens cost more than the loss they prevent
    eq(rows.map(r => r.id), ['phishing-keys', 'short-lived-tokens'], `${width}px: the mitigations still to do, best return first`);
    eq(rows.map(r => r.closes), ['agent-phish', 'token-replay'], `${width}px: the threats each closes`);
    assert(/^(ROSI )?\+\d/.test(rows[0].rosi.trim()) && !rows[0].losing, `${width}px: a positive ROSI (${rows[0].rosi})`);
    assert(/-\d/.test(rows[1].rosi) && rows[1].losing, `${width}px: a negative ROSI marked (${rows[1].rosi})`);
    assert(/EUR/.test(rows[0].reduction), `${width}px: amounts in the currency (${rows[0].reduction})`);
    assert(await page.$eval('.plan-note', n => !n.hidden && /Total: EUR/.test(n.textContent)), `${width}px: the total is shown`);
    eq(await sidewaysOverflow(page), [], `${width}px: nothing sticks out to the right`);
    if (width === 1400) {
      await clearPosted(page);
      await page.click('table.plan tbody tr[data-id="short-lived-tokens"] td.title');
      eq((await posted(page)).filter(m => m.type === 'reveal'), [{ type: 'reveal', kind: 'mitigation', id: 'short-lived-tokens' }], 'a row click reveals the mitigation');
      assert(await page.$('table.plan tr.selected[data-id="short-lived-tokens"]'), 'the row is selected');
      await clearPosted(page);
      await page.selectOption('table.plan tr[data-id="phishing-keys"] select', 'planned');
      eq(await posted(page), [{ type: 'setMitigationStatus', id: 'phishing-keys', status: 'planned', version: 5 }], 'planning it from the plan');
      for (const m of await posted(page)) assert(core.protocol.parseFromWebview(m), `posted message passes the protocol: ${JSON.stringify(m)}`);
    }
    await page.locator('table.plan').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `webview-plan-${width}.png`), fullPage: true });
    await assertClean(page, log, h.origin);
    await context.close();
  }
  // Every mitigation done: no plan section.
  const done = updateFor(PAYMENTS_YAML.replace('status: in-progress', 'status: implemented\n    evidence: [a]').replace('status: planned', 'status: verified\n    evidence: [b]'), 6);
  eq(done.view.plan.rows, [], 'nothing left to plan');
  const { page, context } = await h.open({ width: 1400, height: 900 });
  await update(page, done);
  assert(await page.$eval('table.plan', t => t.hidden), 'the plan is hidden when there is nothing to do');
  await context.close();
});

export async function runWebviewTests(opts = {}) {
  return withHarness(opts, async (h, bundle) => {
    const ctx = { timings: {} };
    const results = [];
    for (const t of tests) {
      if (opts.grep && !t.name.includes(opts.grep)) continue;
      const t0 = Date.now();
      try {
        await t.fn(h, ctx);
        results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
        console.log(`  ✓ ${t.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        results.push({ name: t.name, ok: false, error: e });
        console.log(`  ✗ ${t.name}\n      ${e.stack?.split('\n').slice(0, 3).join('\n      ') ?? e}`);
      }
    }
    const size = f => fs.existsSync(path.join(bundle.dir, f)) ? fs.statSync(path.join(bundle.dir, f)).size : 0;
    return {
      passed: results.filter(r => r.ok).length,
      failed: results.filter(r => !r.ok).length,
      results,
      timings: ctx.timings,
      bundle: { js: size('main.js'), css: size('main.css'), buildMs: bundle.buildMs },
    };
  });
}

/**
 * Time to first diagram for generated models of the given sizes: page load to `ready` (script parse and
 * start), then posting the update to the diagram being in the page (Mermaid layout and render). Median of
 * `runs` fresh pages each.
 */
export async function timeToFirstDiagram(sizes = [10, 50, 150], opts = {}) {
  const runs = opts.runs ?? 3;
  return withHarness(opts, async h => {
    const out = [];
    for (const n of sizes) {
      const msg = updateFor(generatedModel(n));
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const { page, context, loadMs } = await h.open();
        const t0 = Date.now();
        await update(page, msg);
        const wall = Date.now() - t0;
        const t = await page.evaluate(() => ({ ...window.__rampart.timings, layout: window.__rampart.layout }));
        samples.push({ loadMs, updateToDiagramMs: wall, renderMs: Math.round(t.lastRenderMs), mermaidMs: Math.round(t.lastMermaidMs), layout: t.layout });
        await context.close();
      }
      const med = k => samples.map(s => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
      out.push({ elements: n, nodes: msg.view.diagram.stats.nodes, edges: msg.view.diagram.stats.edges, focused: msg.view.diagram.focused, layout: samples[0].layout, loadMs: med('loadMs'), firstDiagramMs: med('updateToDiagramMs'), mermaidMs: med('mermaidMs') });
    }
    return out;
  });
}

// -------------------------------------------------------------------------------------------------------------
// Live-diagram benchmark (#10): the visual editor against a fixed reference, Mermaid with its default settings
// and the full mermaid package on a bare page, drawing the same diagram (its Mermaid text with the colours in it,
// as the report writes it). Ratios in one Chromium run; no test asserts on them.

/** The diagram of an update message as the report would write it: the same view, colours in the text. */
function referenceText(msg) {
  const d = msg.view.diagram;
  const inline = core.mermaid.dataFlowDiagram(msg.view.graph, { legend: false, ...(d.focus ? { focus: d.focus } : {}) });
  if (!inline.text.startsWith(d.text)) throw new Error('the reference text is not the same view');
  return inline.text;
}

/** Opens the reference page drawing `text`: milliseconds from navigation to the drawing in the page. */
async function referenceFirst(h, text) {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.addInitScript(t => { window.__refText = t; }, text);
  await page.goto(`${h.origin}/reference.html`);
  await page.waitForFunction(() => window.__refDoneAt !== undefined || window.__refError !== undefined, null, { timeout: 120_000 });
  const r = await page.evaluate(() => ({ at: window.__refDoneAt, error: window.__refError }));
  if (r.error) throw new Error(`reference page: ${r.error}`);
  return { page, context, ms: r.at };
}

/**
 * Opens the visual editor, which gets `msg` (or each message of a list, in order) when it says it is ready:
 * milliseconds from navigation to the first diagram.
 */
async function editorFirst(h, msg, layoutServer) {
  const opened = await h.open({ autoUpdate: msg, layoutServer });
  await opened.page.waitForFunction(() => window.__rampart.timings.firstDiagramAt !== undefined, null, { timeout: 120_000 });
  const r = await opened.page.evaluate(() => ({ at: window.__rampart.timings.firstDiagramAt, svg: !!document.querySelector('.canvas svg'), renders: window.__rampart.renders }));
  if (!r.svg) throw new Error('the visual editor drew no diagram');
  return { ...opened, ms: r.at };
}

/**
 * Posts `msg` in the page; milliseconds until its change shows (drawn provisionally: a new flow) and until it is
 * handled. Timed as the reference times its drawing: until the page has handled it and laid the document out
 * (a forced layout where the page counts the update), not until the next frame: polling for the count from
 * another task waited for Chromium's next frame too (up to 16 ms that the reference's timing never includes).
 */
function timedShown(page, msg) {
  return page.evaluate(m => new Promise(resolve => {
    const r = window.__rampart;
    const p = r.provisional;
    let count = r.updates;
    let shownAt;
    // the provisional arrows are added synchronously before Mermaid starts: a mutation observer sees them first
    const obs = new MutationObserver(() => { if (shownAt === undefined && r.provisional !== p) shownAt = performance.now(); });
    obs.observe(document.querySelector('.canvas'), { childList: true, subtree: true });
    // Waited for where the page counts it, not polled: a loop of tasks asking "done yet?" kept the page's thread
    // busy, on two cores against the layout in its worker.
    Object.defineProperty(r, 'updates', {
      configurable: true, enumerable: true, get: () => count,
      set: x => {
        count = x;
        document.body.getBoundingClientRect();
        const doneAt = performance.now();
        obs.disconnect();
        delete r.updates;
        r.updates = count;
        const done = doneAt - t0;
        resolve({ shown: shownAt === undefined ? done : shownAt - t0, done });
      },
    });
    const t0 = performance.now();
    window.postMessage(m, '*');
  }), msg);
}

/** Models derived from `base` one edit at a time: threat k not applicable (status only), or flow k added. */
function statusSteps(base, steps) {
  const open = [...base.matchAll(/^ {2}(th-\d+): \{.*status: open \}$/gm)].map(m => m[1]);
  const out = [];
  let y = base;
  for (let k = 0; k < steps; k++) {
    y = y.replace(new RegExp(`^( {2}${open[k]}: \\{.*status: )open( \\})$`, 'm'), '$1not-applicable$2');
    out.push(y);
  }
  return out;
}
function flowSteps(base, steps, n) {
  const out = [];
  let y = base;
  for (let k = 0; k < steps; k++) {
    y = y.replace('\nthreats:\n', `\n  extra-${k}: { from: el-${(k * 11 + 3) % n}, to: el-${(k * 17 + 29) % n}, protocol: amqp, encrypted: true }\nthreats:\n`);
    out.push(y);
  }
  return out;
}

const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/**
 * P3a: first diagram of the 50-element model from the webview's creation; P3b: a status edit, adding a flow;
 * P3c: the first view of the 300-element model. Each against the reference drawing the same text.
 */
export async function liveDiagramBench(opts = {}) {
  const runs = opts.runs ?? 5;
  // As in VS Code: the language server lays the diagrams out, its ELK warmed up when the model was opened
  const server = await startLayoutServer();
  try {
    return await liveDiagramRuns(opts, runs, server);
  } finally {
    await server.stop();
  }
}

async function liveDiagramRuns(opts, runs, server) {
  return withHarness(opts, async h => {
    const out = {};
    // `kept`: drawings the extension sends before the view (a visual editor opened again): then no Mermaid call.
    // `layoutServer`: null for the page's own ELK (no language server). `coldServer`: a new server each run, its
    // model opened with the visual editor (VS Code restoring the tab): its ELK is not warm (the warm-up starts
    // 3 s after the model is opened), so the page lays the diagram out.
    // `only`: the labels to measure (a prefix each: `P3b` is both edit lines), for a quicker look at some
    const wanted = label => !opts.only?.length || opts.only.some(o => label.startsWith(o));
    const first = async (label, yaml, { kept, layoutServer = server, coldServer = false } = {}) => {
      if (!wanted(label)) return;
      const msg = updateFor(yaml);
      const ref = referenceText(msg);
      const ours = [], theirs = [];
      for (let i = 0; i < runs; i++) {
        const fresh = coldServer ? await startLayoutServer({ warm: false }) : undefined;
        try {
          const [a] = await Promise.all([
            editorFirst(h, kept ? [{ type: 'drawings', drawings: kept }, msg] : msg, fresh ?? layoutServer ?? undefined),
            fresh?.openModel(PAYMENTS_YAML),
          ]);
          if (kept && (await a.page.evaluate(() => window.__rampart.renders)) !== 0) throw new Error('the page opened again called Mermaid');
          const where = await a.page.evaluate(() => ({ mode: window.__rampart.elk.mode, errors: window.__rampart.elk.hostErrors }));
          if (!kept && !fresh && layoutServer && (where.mode !== 'host' || where.errors)) throw new Error(`the language server did not lay the diagram out (${JSON.stringify(where)})`);
          ours.push(a.ms);
          await a.context.close();
        } finally {
          await fresh?.stop();
        }
        const b = await referenceFirst(h, ref);
        theirs.push(b.ms);
        await b.context.close();
      }
      out[label] = { ours: median(ours), reference: median(theirs), nodes: msg.view.diagram.stats.nodes, edges: msg.view.diagram.stats.edges, focused: msg.view.diagram.focused };
    };
    const base50 = generatedModel(50);
    await first('P3a', base50);
    await first('P3a page', base50, { layoutServer: null });
    await first('P3a cold server', base50, { coldServer: true });
    await first('P3c', generatedModel(300));
    // Opened again: the page gets the drawing its last page kept with the extension (`drawings`) before the view.
    if (wanted('P3a reopened')) {
      const a = await editorFirst(h, updateFor(base50));
      await a.page.waitForFunction(() => window.__posted.some(m => m.type === 'keepDrawing'), null, { timeout: 30_000 });
      const kept = (await posted(a.page)).find(m => m.type === 'keepDrawing');
      await a.context.close();
      await first('P3a reopened', base50, { kept: [{ key: kept.key, svg: kept.svg }] });
    }

    // Edits on one open editor and one reference page, each drawing the same sequence of models. As the extension
    // does after an edit, each view is sent as its changes from the one before (viewDelta.ts, `deltaJson`).
    const edits = async (label, models) => {
      if (!wanted(label)) return;
      const views = [updateFor(base50, 1), ...models.map((y, i) => updateFor(y, i + 2))];
      const encoded = views.map(m => core.delta.encodeJson(m.view));
      const msgs = views.slice(1).map((m, i) => ({ view: m.view, delta: { type: 'update', version: m.version, id: i + 2, base: i + 1, deltaJson: core.delta.deltaText(encoded[i], encoded[i + 1]) ?? '{"o":{}}' } }));
      for (const m of msgs) if (!core.protocol.parseToWebview(m.delta)) throw new Error('a delta update that does not match the protocol');
      const a = await editorFirst(h, { ...views[0], id: 1 }, server);
      // the page's ELK worker warms up in the background after its first drawing: done before the reference's
      // page starts, so neither page's timings share the machine with it
      await a.page.waitForFunction(() => !window.__rampart.elk.warming, null, { timeout: 60_000, polling: 100 });
      const b = await referenceFirst(h, referenceText(updateFor(base50, 1)));
      const ours = [], theirs = [], shownMs = [];
      const before = await a.page.evaluate(() => ({ renders: window.__rampart.renders, restyles: window.__rampart.restyles, provisional: window.__rampart.provisional }));
      // each page painted and idle before the other one is timed (they share the machine's cores)
      const settle = page => page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
      for (const m of msgs) {
        await settle(b.page);
        const t = await timedShown(a.page, m.delta);
        ours.push(t.done);
        shownMs.push(t.shown);
        await settle(a.page);
        theirs.push(await b.page.evaluate(t => window.__refRender(t), referenceText(m)));
      }
      const after = await a.page.evaluate(() => ({ renders: window.__rampart.renders, restyles: window.__rampart.restyles, provisional: window.__rampart.provisional }));
      if ((await posted(a.page)).filter(m => m.type === 'ready').length !== 1) throw new Error('the page could not apply a delta and asked for the whole view');
      out[label] = { ours: median(ours), shown: median(shownMs), reference: median(theirs), mermaidCalls: after.renders - before.renders, restyles: after.restyles - before.restyles, provisional: after.provisional - before.provisional, edits: msgs.length };
      await a.context.close();
      await b.context.close();
    };
    await edits('P3b status', statusSteps(base50, runs));
    await edits('P3b flow', flowSteps(base50, runs, 50));
    return out;
  });
}

/** The P3 lines `npm run bench` prints: the ratio first, the medians beside it. */
export function liveDiagramLines(r) {
  const line = (label, x, what) => !x ? undefined : `${label} ${(x.ours / x.reference).toFixed(3)}x  (visual editor ${Math.round(x.ours * 10) / 10} ms, reference ${Math.round(x.reference)} ms; ${what})`;
  return [
    line('P3a', r.P3a, `first diagram, 50 elements, ${r.P3a?.nodes} nodes, ${r.P3a?.edges} edges, from webview creation; laid out by the language server's ELK, warmed up when the model was opened`),
    line('P3a page', r['P3a page'], 'the same, laid out by ELK on the page (no language server: a cold ELK)'),
    line('P3a cold server', r['P3a cold server'], "the same, opened with its model as the language server starts: its ELK not warm yet, the page lays it out"),
    line('P3a reopened', r['P3a reopened'], 'the same, opened again: the drawing its last page kept with the extension, no Mermaid call'),
    line('P3b status', r['P3b status'], `status-only edit, ${r['P3b status']?.mermaidCalls} Mermaid calls and ${r['P3b status']?.restyles} recolourings in ${r['P3b status']?.edits} edits`),
    line('P3b flow', r['P3b flow'], `one flow added, until Mermaid's new drawing is in; ${r['P3b flow']?.mermaidCalls} Mermaid calls in ${r['P3b flow']?.edits} edits`),
    line('P3b flow shown', r['P3b flow'] && { ...r['P3b flow'], ours: r['P3b flow'].shown }, `one flow added, until it shows: drawn provisionally on the current picture in ${r['P3b flow']?.provisional} of ${r['P3b flow']?.edits} edits`),
    line('P3c', r.P3c, `first view of 300 elements${r.P3c?.focused ? ' (focused)' : ''}, ${r.P3c?.nodes} nodes, ${r.P3c?.edges} edges`),
  ].filter(l => l !== undefined);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const dist = args.includes('--dist');
  const grepAt = args.indexOf('--grep');
  let failed = 0;
  if (!args.includes('--bench-only')) {
    console.log('webview (Chromium):');
    const r = await runWebviewTests({ dist, grep: grepAt >= 0 ? args[grepAt + 1] : undefined });
    console.log(`bundle: main.js ${(r.bundle.js / 1024 / 1024).toFixed(2)} MB, main.css ${(r.bundle.css / 1024).toFixed(1)} KB`);
    if (r.timings.payments) console.log(`payments model: first diagram ${Math.round(r.timings.payments.firstDiagramMs)} ms after script start, render ${Math.round(r.timings.payments.lastRenderMs)} ms`);
    console.log(`${r.passed} passed, ${r.failed} failed`);
    failed = r.failed;
  }
  if (args.includes('--bench') || args.includes('--bench-only')) {
    console.log('live diagram (median of 5; reference: the full mermaid package, default settings, bare page, same text):');
    // --only P3b,P3c: those lines alone
    const onlyAt = args.indexOf('--only');
    const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : undefined;
    for (const l of liveDiagramLines(await liveDiagramBench({ dist, only }))) console.log(l);
    if (only) process.exit(0);
    console.log('time to first diagram (median of 3):');
    for (const b of await timeToFirstDiagram([10, 50, 150], { dist })) {
      console.log(`  ${String(b.elements).padStart(4)} elements (${b.nodes} nodes, ${b.edges} edges${b.focused ? ', focused view' : ''}, ${b.layout}): load ${b.loadMs} ms, update -> diagram ${b.firstDiagramMs} ms (mermaid ${b.mermaidMs} ms)`);
    }
  }
  process.exit(failed ? 1 : 0);
}
