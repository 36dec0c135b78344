/**
 * Part of `npm run bench` (issue #10, P4): the production (minified) sizes of the webview script and the
 * extension bundle, built in memory with the settings of esbuild.mjs --production.
 */
import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { elkScript, mermaidFlowchartOnly } from './mermaidFlowchartOnly.mjs';

const common = { bundle: true, minify: true, write: false, logLevel: 'silent', loader: { '.yaml': 'text' } };
const built = async options => (await esbuild.build({ ...common, ...options })).outputFiles.find(f => f.path.endsWith('.js')).contents;
const webview = await built({ entryPoints: ['src/webview/main.ts'], outdir: 'out-bench', platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'css', '.yaml': 'text' }, plugins: [mermaidFlowchartOnly] });
const extension = await built({ entryPoints: ['src/vscode/extension.ts'], outfile: 'out-bench/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] });
const server = await built({ entryPoints: ['src/server/bin.ts'], outfile: 'out-bench/server.js', platform: 'node', format: 'cjs', target: 'node20' });
const elk = Buffer.from(await elkScript());
const mb = b => `${(b.length / 1024 / 1024).toFixed(2)} MB`;
const kb = b => `${(b.length / 1024).toFixed(0)} KB`;
console.log(`P4 webview script ${mb(webview)} minified (${mb(gzipSync(webview))} gzipped; goal <= 1.5 MB; ELK ${mb(elk)} more, loaded only for ELK layouts); extension bundle ${kb(extension)} (goal <= 600 KB); language server ${kb(server)}`);
