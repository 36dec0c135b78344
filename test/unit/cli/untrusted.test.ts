/**
 * Issue #9: model files (and their names) are untrusted input from a cloned repository. Each test is named
 * after the defect it pins down (A–G of the issue).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, RAW_UNSAFE, RAW_UNSAFE_IN_DOCUMENT, rampart, tmpdir, workflowCommands } from './run';

/** Keys and names with line breaks, ESC (raw and YAML `\e`), bidi overrides and forged output lines. */
const EVIL = `rampart: 1
title: "Evil \\e]0;pwned\\a"
description: "::error::description line\\n::warning file=x.js,line=1::second"
elements:
  "a\\n::error file=src/app.js,line=1::forged annotation": { type: process, name: API }
  api: { type: process, name: "API\\nfake.threatmodel.yaml:1:1 error risk/forged forged finding\\e[2J", colour: blue }
  web: { type: process, name: "Web \u001b[31mred\u001b[0m \\u202egnp.exe ##[error]legacy" }
flows:
  f1: { from: api, to: web, protocol: "https\\r\\n::error::flow" }
threats:
  t1:
    title: "Replay\\u2028::error::sep"
    stride: [spoofing]
    targets: [api]
    likelihood: likely
    impact: major
    status: open
    description: "see\\n::notice::x"
attack_trees:
  tree:
    goal: "Steal\\n::error::goal"
    or: [{ threat: t1 }, { leaf: "Guess\\n::error::leaf" }]
`;

function evilDir(): { dir: string; file: string } {
  const dir = tmpdir();
  const file = path.join(dir, 'evil.threatmodel.yaml');
  fs.writeFileSync(file, EVIL);
  return { dir, file };
}

/** Every line of `rampart check`'s text output starts with the file's `path:line:col`, a `why:`, or is the summary. */
function assertOwnLines(out: string, file: string) {
  const lines = out.replace(/\n$/, '').split('\n');
  for (const l of lines.slice(0, -1)) {
    assert.ok(l.startsWith(`${file}:`) || l.startsWith('    why: '), `a line we did not write: ${JSON.stringify(l)}`);
  }
  assert.match(lines[lines.length - 1], /^\d+ errors?, \d+ warnings?, \d+ info in \d+ files?/);
}

describe('issue #9: model text cannot forge CLI output', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('A: a newline in a key or name cannot forge a finding line or a workflow command in check text output', () => {
    const { dir } = evilDir();
    const r = rampart(['check', 'evil.threatmodel.yaml', '--all'], { cwd: dir });
    assert.equal(r.code, 1);
    assertOwnLines(r.out, 'evil.threatmodel.yaml');
    assert.deepEqual(workflowCommands(r.out), [], 'no line is a workflow command');
    assert.doesNotMatch(r.out, /^fake\.threatmodel\.yaml/m, 'no forged finding line');
    assert.match(r.out, /Invalid id `a\\n::error file=src\/app\.js,line=1::forged annotation`/, 'the newline is shown as \\n');
  });

  it('A: ESC (raw 0x1B and YAML \\e), C1 and bidi characters from the model never reach the terminal', () => {
    const { dir } = evilDir();
    const r = rampart(['check', 'evil.threatmodel.yaml', '--all'], { cwd: dir });
    assert.doesNotMatch(r.out, RAW_UNSAFE);
    assert.doesNotMatch(r.err, RAW_UNSAFE);
    assert.match(r.out, /\\x1b\[31mred\\x1b\[0m \\u202egnp\.exe ##\\\[error\]legacy/, 'visible escapes');
  });

  it('A: colour codes the CLI emits itself still work, and only those', () => {
    const { dir } = evilDir();
    // A terminal: standard output claims to be a TTY, NO_COLOR unset.
    const tty = path.join(dir, 'tty.cjs');
    fs.writeFileSync(tty, "Object.defineProperty(process.stdout, 'isTTY', { value: true });\n");
    const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color' };
    delete env.NO_COLOR;
    const r = spawnSync(process.execPath, ['-r', tty, CLI, 'check', 'evil.threatmodel.yaml', '--all'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 1);
    const out = r.stdout;
    assert.match(out, /^evil\.threatmodel\.yaml:\d+:\d+ \x1b\[31merror\x1b\[0m /m);
    const foreign = out.replace(/\x1b\[(31|33|36|0)m/g, '');
    assert.doesNotMatch(foreign, RAW_UNSAFE);
  });

  it('A: file names with line breaks or ESC are printed terminal-safe in findings and error lines', () => {
    const dir = tmpdir();
    const name = 'x\n::error::named\x1b[2J.threatmodel.yaml';
    fs.writeFileSync(path.join(dir, name), 'rampart: 1\ntitle: T\nelements:\n  api: { type: process, name: API, colour: blue }\n');
    let r = rampart(['check', '.'], { cwd: dir });
    assert.equal(r.code, 1);
    assertOwnLines(r.out, 'x\\n::error::named\\x1b[2J.threatmodel.yaml');
    assert.deepEqual(workflowCommands(r.out), []);
    r = rampart(['check', 'missing\n::error::gone\x1b[2J.threatmodel.yaml'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.err, "rampart check: cannot read 'missing\\n::error::gone\\x1b[2J.threatmodel.yaml': no such file or directory\n");
    r = rampart(['report', 'nope\n::error::x.threatmodel.yaml'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /^rampart report: cannot read 'nope\\n::error::x\.threatmodel\.yaml': no such file\nRun 'rampart report --help' for usage\.\n$/);
    r = rampart(['no\x1b[2Jsuch'], { cwd: dir });
    assert.equal(r.err, "rampart: unknown command 'no\\x1b[2Jsuch'. Run 'rampart --help' for the list of commands.\n");
  });

  it('A: importer notes quote the source terminal-safe', () => {
    const dir = tmpdir();
    const otm = path.join(dir, 'm.otm.json');
    fs.writeFileSync(otm, JSON.stringify({
      otmVersion: '0.2.0', project: { name: 'P', id: 'p' },
      'evil\n::error file=a.js::forged\u001b[2J\u202e': 1,
      trustZones: [{ id: 'z', name: 'Z', risk: { trustRating: 10 } }],
      components: [{ id: 'c1', name: 'C', parent: { trustZone: 'z' } }],
    }));
    const r = rampart(['import', '--from', 'otm', otm], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, RAW_UNSAFE);
    assert.deepEqual(workflowCommands(r.err), []);
    assert.ok(r.err.split('\n').filter(Boolean).every(l => /^(Imported |note: )/.test(l)), r.err);
    assert.match(r.err, /^note: .*evil\\n::error file=a\.js::forged\\x1b\[2J\\u202e/m);
    assert.doesNotMatch(r.out, RAW_UNSAFE_IN_DOCUMENT, 'the YAML printed to the terminal');
  });

  it('A: the diagram note and the export error listing are terminal-safe', () => {
    const { dir } = evilDir();
    let r = rampart(['diagram', 'evil.threatmodel.yaml', '--focus', 'web'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^rampart diagram: Showing Web \\x1b\[31mred\\x1b\[0m \\u202egnp\.exe ##\\\[error\]legacy and /);
    assert.equal(r.err.split('\n').length, 2, 'one line');
    r = rampart(['export', '--to', 'otm', 'evil.threatmodel.yaml'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, RAW_UNSAFE);
    assert.deepEqual(workflowCommands(r.err), []);
    for (const l of r.err.replace(/\n$/, '').split('\n')) assert.match(l, /^(evil\.threatmodel\.yaml:\d+:\d+ error schema\/|rampart export: )/, l);
  });

  it('A: Markdown and Mermaid printed to the terminal (report, diff, diagram) carry no raw ESC and start no workflow command', () => {
    const { dir, file } = evilDir();
    const base = path.join(dir, 'base.threatmodel.yaml');
    fs.writeFileSync(base, 'rampart: 1\ntitle: Base\n');
    for (const args of [['report', file], ['diff', base, file], ['diagram', file], ['diagram', file, '--attack-tree', 'tree']]) {
      const r = rampart(args, { cwd: dir });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.doesNotMatch(r.out, RAW_UNSAFE_IN_DOCUMENT, args.join(' '));
      assert.deepEqual(workflowCommands(r.out), [], args.join(' '));
    }
    const report = rampart(['report', file], { cwd: dir }).out;
    assert.match(report, /^\\::error::description line/m, 'a line that would start a workflow command starts with an escaped colon (Markdown shows a colon)');
  });

  it('B: JSON output keeps the exact strings (JSON escaping only)', () => {
    const { dir } = evilDir();
    const r = rampart(['check', 'evil.threatmodel.yaml', '--format', 'json', '--all'], { cwd: dir });
    assert.doesNotMatch(r.out, RAW_UNSAFE_IN_DOCUMENT);
    assert.ok(!r.out.includes('##['));
    const j = JSON.parse(r.out);
    const messages: string[] = j.files[0].findings.map((f: { message: string }) => f.message);
    assert.ok(messages.some(m => m.includes('`a\n::error file=src/app.js,line=1::forged annotation`')), 'the key as it is');
    assert.ok(messages.some(m => m.includes('Web \x1b[31mred\x1b[0m \u202egnp.exe ##[error]legacy')), 'the name as it is');
  });
});

describe('issue #9: output files, ids and git revisions from the user', () => {
  const MODEL = 'rampart: 1\ntitle: M\nelements:\n  api: { type: process, name: API }\n  db: { type: store, name: DB }\nflows:\n  q: { from: api, to: db }\n';

  it('D: -o to a directory or an unwritable path is a clear error (exit 2), for every command with -o', () => {
    const dir = tmpdir();
    const model = path.join(dir, 'm.threatmodel.yaml');
    fs.writeFileSync(model, MODEL);
    const otm = path.join(dir, 'm.otm.json');
    assert.equal(rampart(['export', '--to', 'otm', model, '-o', otm]).code, 0);
    fs.mkdirSync(path.join(dir, 'out.threatmodel.yaml'));
    const cases: [string, string[]][] = [
      ['check', ['check', model]], ['check', ['check', model, '--format', 'sarif']], ['report', ['report', model]], ['diagram', ['diagram', model]],
      ['diff', ['diff', model, model]], ['export', ['export', '--to', 'otm', model]], ['import', ['import', '--from', 'otm', otm, '--force']],
    ];
    for (const [cmd, args] of cases) {
      const out = cmd === 'import' ? 'out.threatmodel.yaml' : '.';
      let r = rampart([...args, '-o', out], { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')} -o ${out}: ${r.err}`);
      assert.equal(r.err, `rampart ${cmd}: cannot write '${out}': is a directory\n`);
      const missing = cmd === 'import' ? 'no/such/dir/x.threatmodel.yaml' : 'no/such/dir/out';
      r = rampart([...args, '-o', missing], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.err, `rampart ${cmd}: cannot write '${missing}': no such directory\n`);
      if (cmd !== 'report' && cmd !== 'import') continue;
      const underFile = cmd === 'import' ? 'm.otm.json/x.threatmodel.yaml' : 'm.otm.json/out';
      r = rampart([...args, '-o', underFile], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.err, `rampart ${cmd}: cannot write '${underFile}': a parent of it is not a directory\n`);
    }
    const r = rampart(['init', 'out.threatmodel.yaml', '--force'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.err, "rampart init: cannot write 'out.threatmodel.yaml': is a directory\n");
  });

  it('D: -o to a read-only file is a clear error (exit 2)', function () {
    const dir = tmpdir();
    const model = path.join(dir, 'm.threatmodel.yaml');
    fs.writeFileSync(model, MODEL);
    let ro = path.join(dir, 'ro.md');
    fs.writeFileSync(ro, '');
    fs.chmodSync(ro, 0o444);
    if (process.getuid?.() === 0) {
      // root writes read-only files; a kernel attribute file refuses even root (Linux)
      ro = '/sys/kernel/notes';
      if (!fs.existsSync(ro)) this.skip();
    }
    for (const args of [['report', model], ['check', model, '--format', 'sarif'], ['export', '--to', 'otm', model]]) {
      const r = rampart([...args, '-o', ro]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err, `rampart ${args[0]}: cannot write '${ro}': permission denied\n`);
    }
  });

  it('E: --attack-tree __proto__ (or any inherited name) is "no attack tree", never a diagram of undefined', () => {
    const dir = tmpdir();
    const model = path.join(dir, 'm.threatmodel.yaml');
    fs.writeFileSync(model, MODEL + 'threats:\n  t1: { title: T, targets: [api], status: open }\nattack_trees:\n  steal: { goal: Steal, or: [{ threat: t1 }, { leaf: Guess }] }\n');
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = rampart(['diagram', model, '--attack-tree', id]);
      assert.equal(r.code, 2, `${id}: ${r.out}`);
      assert.equal(r.out, '');
      assert.match(r.err, new RegExp(`^rampart diagram: no attack tree '${id}'; the model has: steal\\n`));
    }
    assert.equal(rampart(['diagram', model, '--attack-tree', 'steal']).code, 0);
    for (const id of ['__proto__', 'constructor', 'valueOf']) {
      const r = rampart(['diagram', model, '--focus', id]);
      assert.equal(r.code, 2, `${id}: ${r.out}`);
      assert.match(r.err, new RegExp(`^rampart diagram: --focus: no boundary or element '${id}'; the model has: boundaries none; elements api, db\\n`));
    }
    assert.equal(rampart(['diagram', model, '--focus', 'api']).code, 0);
    for (const cmd of ['__proto__', 'constructor', 'toString']) {
      const r = rampart([cmd]);
      assert.equal(r.code, 2);
      assert.match(r.err, /unknown command/);
      assert.equal(rampart(['help', cmd]).out.startsWith('rampart '), true, `help ${cmd} gives the general help`);
    }
  });

  describe('F: diff --git REV FILE', () => {
    let repo: string;
    let file: string;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    before(() => {
      repo = tmpdir();
      git('init', '-q');
      git('config', 'user.email', 't@example.invalid');
      git('config', 'user.name', 'T');
      git('config', 'commit.gpgsign', 'false');
      file = path.join(repo, 'm.threatmodel.yaml');
      fs.writeFileSync(file, MODEL);
      fs.mkdirSync(path.join(repo, 'dir.threatmodel.yaml'));
      fs.writeFileSync(path.join(repo, 'dir.threatmodel.yaml', 'x'), 'x');
      git('add', '.');
      git('commit', '-q', '-m', 'one');
      fs.writeFileSync(file, MODEL + 'threats:\n  t1: { title: New, targets: [api], status: open }\n');
      git('commit', '-q', '-am', 'two');
      // In the working tree the path that was a directory at HEAD is now a model file.
      fs.rmSync(path.join(repo, 'dir.threatmodel.yaml'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'dir.threatmodel.yaml'), MODEL);
    });

    it('F: a range (A..B, A...B, A^@, A^-) is refused with a clear message, exit 2', () => {
      for (const rev of ['HEAD~1..HEAD', 'HEAD~1...HEAD', '..HEAD', 'HEAD^@', 'HEAD^-', 'HEAD^-1']) {
        const r = rampart(['diff', '--git', rev, 'm.threatmodel.yaml'], { cwd: repo });
        assert.equal(r.code, 2, `${rev}: ${r.out}`);
        assert.equal(r.out, '');
        assert.match(r.err, /^rampart diff: --git takes one revision, not a range/, rev);
      }
    });

    it('F: an option-like or malformed revision is refused, exit 2', () => {
      for (const rev of ['--output=/tmp/x', '-p', 'HEAD:m.threatmodel.yaml', 'HEAD m', 'nosuchbranch', 'HEAD~99', 'HEAD^{tree}']) {
        const r = rampart(['diff', `--git=${rev}`, 'm.threatmodel.yaml'], { cwd: repo });
        assert.equal(r.code, 2, `${rev}: ${r.out}`);
        assert.equal(r.out, '');
        assert.match(r.err, /^rampart diff: --git: '.*' is not a (git revision|commit of this repository)/, rev);
      }
    });

    it('F: the path at the revision must be a file (blob), not a tree', () => {
      const r = rampart(['diff', '--git', 'HEAD', 'dir.threatmodel.yaml'], { cwd: repo });
      assert.equal(r.code, 2, r.out);
      assert.equal(r.out, '');
      assert.match(r.err, /^rampart diff: --git: dir\.threatmodel\.yaml at HEAD is a tree, not a file\n/);
    });

    it('F: one revision still works, and a file new since the revision is compared with nothing', () => {
      let r = rampart(['diff', '--git', 'HEAD~1', 'm.threatmodel.yaml'], { cwd: repo });
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /t1/);
      r = rampart(['diff', '--git', 'HEAD', 'm.threatmodel.yaml'], { cwd: repo });
      assert.equal(r.code, 0, r.err);
      fs.writeFileSync(path.join(repo, 'new.threatmodel.yaml'), MODEL);
      r = rampart(['diff', '--git', 'HEAD', 'new.threatmodel.yaml'], { cwd: repo });
      assert.equal(r.code, 0, r.err);
    });
  });
});
