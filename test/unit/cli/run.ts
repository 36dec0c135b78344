import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs the built CLI (dist/cli.js, built by `npm run build` before the unit tests) as a user would. */
export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

export function rampart(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-cli-'));
}

/** Raw control characters (C0 but LF, DEL, C1) and bidi / line-separator characters: none may reach a terminal. */
export const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** The same for a document (Markdown, Mermaid, YAML), which may hold tabs. */
export const RAW_UNSAFE_IN_DOCUMENT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Lines that a GitHub Actions runner would take as a workflow command (`::cmd::` after blanks, `##[cmd]` anywhere). */
export function workflowCommands(output: string): string[] {
  return output.split('\n').filter(l => l.trimStart().startsWith('::') || l.includes('##['));
}
