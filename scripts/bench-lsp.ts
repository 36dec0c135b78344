/**
 * Part of `npm run bench` (issue #17): figures as ratios to a bare `yaml.parseDocument` of the same text,
 * measured in the same run (interleaved, medians), never a test gate.
 * - `P2 check`: `rampart check FILE` as a process, against a process that only reads and parses the file.
 * - `peer ...`: yaml-language-server (what users of the Red Hat YAML extension run) validating, completing and
 *   hovering the same text with our JSON Schema, the column to compare Rampart's `P1` figures with.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { generateModel } from './genModel';
import { median } from './benchUtil';

const ROOT = path.resolve(__dirname, '..');
const fmt = (x: number) => `${x.toFixed(3)}x`;

async function interleaved(fns: (() => unknown)[], rounds: number): Promise<number[]> {
  const times = fns.map(() => [] as number[]);
  for (const f of fns) await f(); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const [i, f] of fns.entries()) {
      const t0 = performance.now();
      await f();
      times[i].push(performance.now() - t0);
    }
  }
  return times.map(median);
}

async function p2(components: number, prose = false) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
  const file = path.join(dir, 'bench.threatmodel.yaml');
  fs.writeFileSync(file, generateModel(components, { prose }));
  const parseOnly = path.join(dir, 'parse-only.js');
  // The same reading a `check` does, minus everything Rampart adds: resolve yaml from this checkout.
  fs.writeFileSync(parseOnly, `const yaml = require(${JSON.stringify(require.resolve('yaml'))});\nyaml.parseDocument(require('fs').readFileSync(process.argv[2], 'utf8'));\n`);
  const cli = path.join(ROOT, 'dist/cli.js');
  // `rampart` keeps V8's code cache of its bundle after a run (src/cli/bin.ts): the warm-up run writes it, as a
  // user's first run does; `without the code cache` is every run's start from scratch. The cache lives outside the
  // model's folder, as ~/.cache/rampart does (inside it, check's walk for code annotations would visit it).
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-cache-'));
  const run = (args: string[], env: Record<string, string> = {}) => () => { spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', RAMPART_CACHE_DIR: cache, ...env } }); };
  const [base, check, checkJson, cold] = await interleaved([run([parseOnly, file]), run([cli, 'check', file]), run([cli, 'check', '--format', 'json', file]), run([cli, 'check', file], { RAMPART_NO_COMPILE_CACHE: '1' })], 7);
  const kb = (fs.statSync(file).size / 1024).toFixed(0);
  console.log(`P2 check ${fmt(check / base)} (${components} components${prose ? ' with prose' : ''}, ${kb} KB; against a read+parse process: ${check.toFixed(0)} ms vs ${base.toFixed(0)} ms; --format json ${fmt(checkJson / base)}; without the code cache ${fmt(cold / base)})`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
}

async function peer(components: number, prose = false) {
  const yls = await import('yaml-language-server');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const schema = fs.readFileSync(path.join(ROOT, 'schemas/threatmodel.schema.json'), 'utf8');
  const ls = yls.getLanguageService({
    schemaRequestService: async () => schema,
    workspaceContext: { resolveRelativePath: (rel: string, res: string) => new URL(rel, res).toString() },
  });
  ls.configure({ validate: true, hover: true, completion: true, schemas: [{ uri: 'file:///threatmodel.schema.json', fileMatch: ['*.threatmodel.yaml'] }] });
  const text = generateModel(components, { prose });
  const uri = 'file:///bench.threatmodel.yaml';
  let version = 0;
  const doc = () => TextDocument.create(uri, 'yaml', ++version, text); // a new version, as after a keystroke
  // Completion and hover inside the first threat's title, as while typing there.
  const at = text.indexOf('title:', text.indexOf('\nthreats:')) + 'title: '.length + 2;
  const d0 = doc();
  const pos = d0.positionAt(at);
  const [base, validate, complete, hover] = await interleaved([
    () => parseDocument(text),
    () => ls.doValidation(doc(), false),
    () => ls.doComplete(doc(), pos, false),
    () => ls.doHover(doc(), pos),
  ], components <= 50 ? 15 : 5);
  const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
  console.log(`peer yaml-language-server (${components} components${prose ? ' with prose' : ''}, ${kb} KB): doValidation ${fmt(validate / base)}, doComplete ${fmt(complete / base)}, doHover ${fmt(hover / base)} (parseDocument ${base.toFixed(1)} ms)`);
}

async function main() {
  // 500 terse components, 500 written up with prose (924 KB: the "0.9 MB model, about 500 components"),
  // 2000 terse components (786 KB)
  const models: [number, boolean][] = process.argv.includes('--quick') ? [[50, false]] : [[500, false], [500, true], [2000, false]];
  if (!process.argv.includes('--p2-only')) for (const [n, prose] of models) await peer(n, prose);
  for (const [n, prose] of models) await p2(n, prose);
}

main().catch(e => { console.error(e); process.exitCode = 1; });
