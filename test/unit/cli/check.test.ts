import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateModel } from '../../../scripts/genModel';

/** Runs the built CLI (dist/cli.js, built by `npm run build` before the unit tests) as a user would. */
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
export function rampart(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-cli-'));
}

const CLEAN = `rampart: 1
title: Clean
elements:
  api: { type: process, name: API }
threats:
  t1: { title: Low risk, stride: [spoofing, tampering, repudiation, information-disclosure, denial-of-service, elevation-of-privilege], targets: [api], likelihood: rare, impact: minor, status: open }
`;
const HIGH = CLEAN.replace('likelihood: rare, impact: minor', 'likelihood: likely, impact: major');

describe('rampart check', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('prints located findings for examples/ and exits 1 on errors', () => {
    const r = rampart(['check', 'examples/']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^examples\/webshop-payments\.threatmodel\.yaml:\d+:3 error risk\/unmitigated-above-tolerance Threat `checkout-skimming`/m);
    assert.match(r.out, /\d+ errors, \d+ warnings, \d+ info in 4 files/); // examples/library/shop.threatmodel.yaml (#16) is the fourth
  });

  it('exit 0 when nothing reaches --fail-on, 1 when something does', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'a.threatmodel.yaml'), CLEAN);
    assert.equal(rampart(['check', dir]).code, 0);
    fs.writeFileSync(path.join(dir, 'a.threatmodel.yaml'), HIGH);
    const r = rampart(['check', dir]);
    assert.equal(r.code, 1);
    assert.match(r.out, /a\.threatmodel\.yaml:6:3 error risk\/unmitigated-above-tolerance/);
    assert.equal(rampart(['check', dir, '--tolerance', 'high']).code, 0, 'tolerance override');
    assert.equal(rampart(['check', dir, '--disable', 'risk/unmitigated-above-tolerance']).code, 0);
  });

  it('--fail-on warning and info lower the bar', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'a.threatmodel.yaml'), CLEAN.replace('status: open }', 'status: accepted }'));
    assert.equal(rampart(['check', dir]).code, 0);
    assert.equal(rampart(['check', dir, '--fail-on', 'warning']).code, 1);
    fs.writeFileSync(path.join(dir, 'a.threatmodel.yaml'), CLEAN.replace('elements:', 'flows:\n  f: { from: api, to: api }\nelements:'));
    assert.equal(rampart(['check', dir, '--fail-on', 'warning']).code, 0);
    assert.equal(rampart(['check', dir, '--fail-on', 'info']).code, 1);
  });

  it('schema problems and dangling references are findings (exit 1), not crashes', () => {
    const dir = tmpdir();
    const f = path.join(dir, 'bad.threatmodel.yaml');
    fs.writeFileSync(f, 'rampart: 1\ntitle: Bad\nflows:\n  f: { from: ghost, to: ghost }\n\tbroken: [\n');
    const r = rampart(['check', f]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err + r.out, /at .*\.js:\d+/, 'no stack trace');
    assert.match(r.out, /bad\.threatmodel\.yaml:\d+:\d+ error schema\//);
  });

  it('exit 2 for usage errors and unreadable files, with a clear message', () => {
    let r = rampart(['check', '--format', 'xml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--format must be text, json or sarif/);
    r = rampart(['check', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.err, /Unknown option '--bogus'/);
    r = rampart(['check', 'does/not/exist.threatmodel.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read 'does\/not\/exist\.threatmodel\.yaml': no such file/);
    r = rampart(['check', tmpdir()]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no \*\.threatmodel\.yaml files found/);
    r = rampart(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'frobnicate'/);
    r = rampart(['check', '--tolerance', 'extreme']);
    assert.equal(r.code, 2);
  });

  it('--format json gives positions, stable ids and ranked threats', () => {
    const r = rampart(['check', 'examples/webshop-payments.threatmodel.yaml', '--format', 'json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    const file = j.files[0];
    assert.equal(file.path, 'examples/webshop-payments.threatmodel.yaml');
    const head = file.findings.find((f: { ruleId: string }) => f.ruleId === 'risk/unmitigated-above-tolerance');
    assert.ok(head.line > 1 && head.column === 3 && head.stableId.startsWith('risk/unmitigated-above-tolerance@'));
    assert.ok(file.threats.length > 5);
    assert.equal(j.summary.error, file.findings.filter((f: { severity: string }) => f.severity === 'error').length);
  });

  it('--output writes to a file', () => {
    const out = path.join(tmpdir(), 'r.json');
    const r = rampart(['check', 'examples/starter.threatmodel.yaml', '--format', 'json', '-o', out]);
    assert.equal(r.out, '');
    assert.ok(JSON.parse(fs.readFileSync(out, 'utf8')).files.length === 1);
  });

  it('colours only on a terminal and never with NO_COLOR', () => {
    const r = rampart(['check', 'examples/'], { env: { NO_COLOR: '1' } });
    assert.doesNotMatch(r.out, /\x1b\[/);
  });

  it('--help for the tool and for every command', () => {
    const top = rampart(['--help']);
    assert.equal(top.code, 0);
    const commands = [...top.out.matchAll(/^  ([a-z]+) /gm)].map(m => m[1]);
    assert.ok(commands.includes('check') && commands.includes('init'));
    for (const c of commands) {
      const r = rampart([c, '--help']);
      assert.equal(r.code, 0, c);
      assert.match(r.out, new RegExp(`^Usage: rampart ${c}`), c);
    }
  });
});

describe('rampart init', () => {
  it('writes a commented starter model that checks without errors, and refuses to overwrite', () => {
    const dir = tmpdir();
    let r = rampart(['init'], { cwd: dir });
    assert.equal(r.code, 0);
    const file = path.join(dir, 'system.threatmodel.yaml');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^#/m, 'commented');
    assert.equal(rampart(['check', file]).code, 0);
    r = rampart(['init'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /already exists; use --force/);
    assert.equal(rampart(['init', 'x.yaml'], { cwd: dir }).code, 2);
  });
});

describe('rampart rules', () => {
  it('lists every rule id with its severity', () => {
    const r = rampart(['rules']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^risk\/unmitigated-above-tolerance\s+error\s+Unmitigated threat above risk tolerance$/m);
    assert.match(r.out, /^stride\/coverage\s+info/m);
  });
});

describe('rampart output', () => {
  it('stops quietly when the reader closes the pipe early (`rampart check … | head`): no stack trace', async () => {
    // output far larger than a pipe holds, so the CLI is still writing when the reader goes
    const dir = tmpdir();
    const file = path.join(dir, 'big.threatmodel.yaml');
    fs.writeFileSync(file, generateModel(300));
    const child = spawn(process.execPath, [CLI, 'check', '--format', 'json', file], { env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', d => { err += d; });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)));
    assert.doesNotMatch(err, /EPIPE|Error:|at /);
    assert.ok(code === 0 || code === 1, `exit code ${code}`);
  });
});
