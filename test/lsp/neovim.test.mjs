#!/usr/bin/env node
// The language server driven by a client that is not ours: Neovim's built-in LSP client, headless
// (Debian's `neovim` package; `apt-get install neovim`, see scripts/host/setup.sh). Runs
// test/lsp/neovim-check.lua in `nvim --headless --clean -u NONE` against `rampart lsp --stdio` (dist/cli.js, which loads dist/server.js) on a copy of an example
// model, then checks what it recorded: the headline diagnostic, a hover, the code actions (and that resolving
// "Accept the risk" and applying it removes the finding), go to definition and the outline.
// Prints one line per check and a last line `neovim: N passed, N failed`; exits 1 when a check fails.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = path.join(ROOT, 'dist/cli.js'); // started as `rampart lsp --stdio`
const HEADLINE = 'risk/unmitigated-above-tolerance';
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? '✔' : '✘'} ${name}${!ok && detail ? `\n    ${detail}` : ''}`);
};
const finish = () => {
  console.log(`neovim: ${passed} passed, ${failed} failed`);
  process.exit(failed || !passed ? 1 : 0);
};

const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  check('nvim is installed (apt-get install neovim)', false, String(version.error ?? version.stderr));
  finish();
}
console.log(version.stdout.split('\n')[0]);
if (!fs.existsSync(SERVER) || !fs.existsSync(path.join(ROOT, 'dist/server.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-nvim-'));
const model = path.join(dir, 'shop.threatmodel.yaml');
fs.copyFileSync(path.join(ROOT, 'examples/webshop-payments.threatmodel.yaml'), model);
const out = path.join(dir, 'result.json');
const run = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${path.join(ROOT, 'test/lsp/neovim-check.lua')}`], {
  cwd: dir, encoding: 'utf8', timeout: 120_000,
  env: { ...process.env, RAMPART_SERVER: SERVER, RAMPART_MODEL: model, RAMPART_ROOT: dir, RAMPART_OUT: out },
});
if (run.error) check('nvim ran to the end', false, String(run.error));

let r;
try {
  r = JSON.parse(fs.readFileSync(out, 'utf8'));
} catch (e) {
  check('neovim-check.lua wrote its results', false, `${e.message}\n${run.stdout}\n${run.stderr}`);
  fs.rmSync(dir, { recursive: true, force: true });
  finish();
}
fs.rmSync(dir, { recursive: true, force: true });

check('no errors in the Lua script or the requests', r.errors.length === 0, JSON.stringify(r.errors));
check('the client started', r.started === true);
const headline = (r.diagnostics ?? []).filter(d => d.code === HEADLINE);
check('diagnostics include the headline rule', headline.length > 0, JSON.stringify((r.diagnostics ?? []).slice(0, 5)));
check('the headline diagnostic is on the threat\'s line', headline.some(d => d.lnum === r.threat_line && d.col === 2), `threat on line ${r.threat_line}: ${JSON.stringify(headline.map(d => [d.lnum, d.col]))}`);
check('diagnostics come from rampart', headline.every(d => d.source === 'rampart' && d.severity === 1));
check('hover has text', typeof r.hover === 'string' && /Magecart/.test(r.hover), String(r.hover).slice(0, 200));
const titles = (r.code_actions ?? []).map(a => a.title);
check('a code action "Add a mitigation…" exists', titles.some(t => /^Add a mitigation/.test(t)), JSON.stringify(titles));
check('code actions resolve lazily (data, no edit yet)', (r.code_actions ?? []).length > 0 && r.code_actions.every(a => a.has_data && !a.has_edit), JSON.stringify(r.code_actions));
check('"Accept the risk" resolves to an edit', r.resolved_has_edit === true);
check('applied, it removes the finding', r.headlines_after === r.headlines_before - 1 && r.headline_after_on_line === 0, `before ${r.headlines_before}, after ${r.headlines_after}, on the line ${r.headline_after_on_line}`);
check('go to definition lands on the element', typeof r.definition_text === 'string' && /^ {2}[a-z0-9-]+:/.test(r.definition_text), String(r.definition_text));
check('the outline lists the sections', ['elements', 'flows', 'threats', 'mitigations'].every(s => (r.symbols ?? []).includes(s)), JSON.stringify(r.symbols));
console.log(`(Neovim ${r.nvim})`);
finish();
