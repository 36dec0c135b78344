// Builds the bundles: extension (node/cjs, `vscode` external), CLI (node/cjs with shebang), language server
// (node/cjs, no `vscode` at all) and the webview (browser/iife, Mermaid bundled in). Flags: --production (minify), --watch.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { elkScript, mermaidFlowchartOnly } from './scripts/mermaidFlowchartOnly.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints the lines VS Code's `$esbuild-watch` problem matcher looks for. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd(result => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = { loader: { '.yaml': 'text' }, bundle: true, minify: production, sourcemap: !production, logLevel: 'warning', plugins: [problemMatcher] };
const targets = [
  { ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The CLI: `dist/cli.js` (src/cli/bin.ts) loads the bundle `dist/cli-main.js` with V8's code cache and runs it.
  // The bundle is always minified: a `rampart check` process reads and compiles all of it before anything else.
  { ...common, minify: true, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  { ...common, minify: true, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The language server, on its own: `node dist/server.js --stdio` (any LSP client) or `--node-ipc` (VS Code).
  { ...common, entryPoints: ['src/server/bin.ts'], outfile: 'dist/server.js', platform: 'node', format: 'cjs', target: 'node20' },
];
if (fs.existsSync('src/webview/main.ts')) {
  targets.push({ ...common, entryPoints: ['src/webview/main.ts'], outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'css', '.yaml': 'text' }, plugins: [problemMatcher, mermaidFlowchartOnly] });
}
if (fs.existsSync('test/integration/suite.ts')) {
  targets.push({ ...common, entryPoints: ['test/integration/suite.ts'], outfile: 'dist/test/suite.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'] });
}

// ELK, loaded by the webview only when a diagram is laid out with it (src/webview/elk.ts)
if (fs.existsSync('src/webview/main.ts')) {
  fs.mkdirSync('dist/webview', { recursive: true });
  fs.writeFileSync('dist/webview/elk.js', await elkScript());
}

const contexts = await Promise.all(targets.filter(t => fs.existsSync(t.entryPoints[0])).map(t => esbuild.context(t)));
if (watch) {
  await Promise.all(contexts.map(c => c.watch()));
} else {
  try {
    await Promise.all(contexts.map(c => c.rebuild()));
  } finally {
    await Promise.all(contexts.map(c => c.dispose()));
  }
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}
