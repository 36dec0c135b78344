/**
 * src/node/git.ts against real repositories built by ./gitRepo: the commits that touched some paths since a
 * reviewed commit, renames, and the refusals that keep a hostile model or repository from steering git.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { changesSince, gitRoot, globToPathspec, hasCommit, headCommit, renamesOf, renamesOfMany, type GitResult } from '../../../src/node/git';
import { makeRepo, type TestRepo } from './gitRepo';

const posix = process.platform !== 'win32';

function value<T>(r: GitResult<T>): T {
  if (!r.ok) assert.fail(`expected an answer, got the error: ${r.error}`);
  return r.value;
}
function error<T>(r: GitResult<T>): string {
  if (r.ok) assert.fail(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** Runs `f` with some environment variables set (undefined: removed), restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map(k => [k, process.env[k]]));
  const set = (vs: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vs)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  };
  set(vars);
  try { return await f(); } finally { set(saved); }
}

describe('node/git', () => {
  describe('globToPathspec', () => {
    it('makes repository-relative globs :(glob) pathspecs, resolving ./ and inner ..', () => {
      assert.equal(globToPathspec('src/payments/**'), ':(glob)src/payments/**');
      assert.equal(globToPathspec('./src/payments/'), ':(glob)src/payments/');
      assert.equal(globToPathspec('src//x/./*.ts'), ':(glob)src/x/*.ts');
      assert.equal(globToPathspec('a/../b/*.ts'), ':(glob)b/*.ts');
      assert.equal(globToPathspec('.'), ':(glob)**');
      assert.equal(globToPathspec('dir with space/ünï.ts'), ':(glob)dir with space/ünï.ts');
    });

    it('keeps option-like and magic-looking globs as patterns after the prefix', () => {
      assert.equal(globToPathspec('--output=x'), ':(glob)--output=x');
      assert.equal(globToPathspec(':!secret'), ':(glob):!secret');
      assert.equal(globToPathspec(':(top)x'), ':(glob):(top)x');
    });

    it('refuses absolute globs, ones that climb out of the repository, backslashes and empty ones', () => {
      for (const g of ['/etc/**', '../x', '..', 'src/../../x', 'a/b/../../../x', 'C:/Windows/**', 'c:x', '//server/share/**',
        '\\\\server\\share', 'src\\payments\\**', '', 'a\0b']) {
        assert.equal(globToPathspec(g), undefined, g);
      }
    });
  });

  describe('a repository with history', () => {
    let repo: TestRepo;
    const c: Record<string, string> = {};

    before(async () => {
      repo = await makeRepo();
      repo.write('src/payments/a.ts', 'export const a = 1;\n');
      repo.write('src/auth.ts', 'export function login() {\n  return true;\n}\n// auth\n// more\n');
      repo.write('src/other.ts', 'other\n');
      repo.write('README.md', '# readme\n');
      repo.write('threats/app.threatmodel.yaml', 'rampart: 1\n');
      c.init = await repo.commit('Initial');                                    // 01:00
      repo.write('threats/app.threatmodel.yaml', 'rampart: 1\ntitle: reviewed\n');
      c.review = await repo.commit('Threat model review');                      // 02:00
      repo.write('src/payments/a.ts', 'export const a = 2;\n');
      repo.write('README.md', '# readme\nmore\n');
      c.pay = await repo.commit('Zahlungen prüfen');                            // 03:00
      repo.write('src/other.ts', 'other 2\n');
      c.other = await repo.commit('Other');                                     // 04:00
      repo.write('src/payments/with space.ts', 's\n');
      repo.write('src/payments/sub/deep.ts', 'd\n');
      repo.write('src/payments/ünï.ts', 'u\n');
      if (posix) repo.write('src/payments/new\nline.ts', 'n\n');
      repo.write('README.md', '# readme\nmore\nand more\n');
      c.odd = await repo.commit('Odd names', '2024-02-03T04:05:06+02:00');
      repo.mv('src/auth.ts', 'src/security/auth.ts');
      c.move = await repo.commit('Move auth');                                  // 2024-02-03T03:05:06Z
    });
    after(() => repo.cleanup());

    const oddFiles = () => [...(posix ? ['src/payments/new\nline.ts'] : []), 'src/payments/sub/deep.ts', 'src/payments/with space.ts', 'src/payments/ünï.ts'];

    it('gitRoot: the root from the root, a subfolder or a file in it', async () => {
      assert.equal(value(await gitRoot(repo.dir)), repo.dir);
      assert.equal(value(await gitRoot(path.join(repo.dir, 'src', 'payments'))), repo.dir);
      assert.equal(value(await gitRoot(path.join(repo.dir, 'threats', 'app.threatmodel.yaml'))), repo.dir);
    });

    it('headCommit: the full id of HEAD', async () => {
      assert.equal(value(await headCommit(repo.dir)), c.move);
      assert.match(c.move!, /^[0-9a-f]{40}$/);
    });

    it('changesSince: the commits after the review that touched the globs, newest first, with only the matching files', async () => {
      // c.pay and c.odd also changed README.md: git lists only the files matching the pathspecs
      const got = value(await changesSince(repo.dir, c.review!, ['src/payments/**']));
      assert.deepEqual(got.map(x => ({ ...x, files: [...x.files].sort() })), [
        { commit: c.odd, date: '2024-02-03T04:05:06+02:00', subject: 'Odd names', files: oddFiles() },
        { commit: c.pay, date: '2024-01-01T03:00:00+00:00', subject: 'Zahlungen prüfen', files: ['src/payments/a.ts'] },
      ]);
    });

    it('changesSince: several globs; a plain folder; one-folder wildcards; ./', async () => {
      const ids = async (globs: string[]) => value(await changesSince(repo.dir, c.review!, globs)).map(x => x.commit);
      assert.deepEqual(await ids(['src/payments/**', 'src/security/**']), [c.move, c.odd, c.pay]);
      assert.deepEqual(await ids(['src/payments']), [c.odd, c.pay]);
      assert.deepEqual(await ids(['./src/payments/**']), [c.odd, c.pay]);
      assert.deepEqual(await ids(['README.md', 'src/other.ts']), [c.odd, c.other, c.pay]);
      assert.deepEqual(await ids(['docs/**']), []);
      assert.deepEqual(await ids([]), []);
      const top = value(await changesSince(repo.dir, c.review!, ['src/payments/*.ts']));
      assert.deepEqual(top.map(x => [x.commit, [...x.files].sort()]), [
        [c.odd, oddFiles().filter(f => !f.includes('/sub/'))],
        [c.pay, ['src/payments/a.ts']],
      ]);
    });

    it('changesSince: a rename lists the new path only', async () => {
      const got = value(await changesSince(repo.dir, c.odd!, ['src/**']));
      assert.deepEqual(got.map(x => [x.commit, x.files]), [[c.move, ['src/security/auth.ts']]]);
    });

    it('changesSince: magic in a glob is a pattern, not an exclusion or a root', async () => {
      assert.deepEqual(value(await changesSince(repo.dir, c.init!, [':!README.md'])), []);
      assert.deepEqual(value(await changesSince(repo.dir, c.init!, [':(top)README.md'])), []);
      assert.equal(value(await changesSince(repo.dir, c.init!, ['README.md'])).length, 2);
    });

    it('changesSince: nothing after HEAD; short and upper-case ids; the limit', async () => {
      assert.deepEqual(value(await changesSince(repo.dir, c.move!, ['**'])), []);
      const all = value(await changesSince(repo.dir, c.review!.slice(0, 7), ['src/payments/**']));
      assert.deepEqual(all.map(x => x.commit), [c.odd, c.pay]);
      const upper = value(await changesSince(repo.dir, c.review!.toUpperCase(), ['src/payments/**']));
      assert.deepEqual(upper.map(x => x.commit), [c.odd, c.pay]);
      assert.deepEqual(value(await changesSince(repo.dir, c.init!, ['**'], 1)).map(x => x.commit), [c.move]);
      assert.deepEqual(value(await changesSince(repo.dir, c.init!, ['**'], 3)).map(x => x.commit), [c.move, c.odd, c.other]);
      assert.deepEqual(value(await changesSince(repo.dir, c.init!, ['**'], 0)), []);
      assert.equal(value(await changesSince(repo.dir, c.init!, ['**'])).length, 5);
    });

    it('changesSince: a commit that is not an ancestor of HEAD lists what HEAD has and it has not', async () => {
      const dangling = repo.git('commit-tree', `${c.init}^{tree}`, '-m', 'rebased away').trim();
      assert.equal(await hasCommit(repo.dir, dangling), true);
      const got = value(await changesSince(repo.dir, dangling, ['src/payments/**']));
      assert.deepEqual(got.map(x => x.commit), [c.odd, c.pay, c.init]);
    });

    it('a short id is an object id, even when a branch has that name', async () => {
      const short = c.review!.slice(0, 7);
      repo.git('branch', short, c.move!);
      try {
        assert.equal(repo.git('rev-parse', short).trim(), c.move, 'git itself prefers the branch');
        assert.deepEqual(value(await changesSince(repo.dir, short, ['src/payments/**'])).map(x => x.commit), [c.odd, c.pay]);
      } finally {
        repo.git('branch', '-D', short);
      }
    });

    it('unknown commits, and objects that are not commits, are errors', async () => {
      assert.equal(await hasCommit(repo.dir, 'deadbeefdeadbeef'), false);
      assert.equal(error(await changesSince(repo.dir, 'deadbeefdeadbeef', ['**'])), 'commit deadbeefdeadbeef is not in this repository');
      repo.git('tag', '-a', 'v1', '-m', 'a tag', c.init!);
      const tag = repo.git('rev-parse', 'v1').trim();
      const tree = repo.git('rev-parse', `${c.init}^{tree}`).trim();
      const blob = repo.git('rev-parse', `${c.init}:README.md`).trim();
      for (const id of [tag, tree, blob]) {
        assert.equal(await hasCommit(repo.dir, id), false, id);
        assert.match(error(await changesSince(repo.dir, id, ['**'])), /is not in this repository/);
      }
      for (const id of [c.init!, c.move!, c.pay!.slice(0, 7), c.pay!.toUpperCase()]) assert.equal(await hasCommit(repo.dir, id), true, id);
    });

    it('hostile revisions are refused before git sees them', async () => {
      const out = path.join(repo.dir, 'pwned');
      for (const rev of [`--output=${out}`, 'HEAD~1', 'HEAD', 'main', 'v1', c.init!.slice(0, 6), '', `${c.init}..HEAD`,
        `${c.init!.slice(0, 7)} --all`, `-n1`, `${c.init}^`, `${c.init}\n`, 'g'.repeat(40)]) {
        assert.match(error(await changesSince(repo.dir, rev, ['**'])), /is not a commit id: give 7 to 40 hexadecimal digits/, JSON.stringify(rev));
        assert.equal(await hasCommit(repo.dir, rev), false, JSON.stringify(rev));
      }
      assert.equal(fs.existsSync(out), false);
    });

    it('hostile globs are refused', async () => {
      for (const g of ['/etc/**', '../x', 'src/../../x', 'C:/Windows/**', '//server/share/**', 'src\\payments\\**', '']) {
        assert.match(error(await changesSince(repo.dir, c.init!, ['src/**', g])), /^path pattern .* is refused/, g);
      }
    });

    it('the repository\'s configuration cannot re-encode messages, turn renames off or follow a single path', async () => {
      const settings = [['i18n.logOutputEncoding', 'ISO-8859-1'], ['diff.renames', 'false'], ['log.follow', 'true']];
      for (const [k, v] of settings) repo.git('config', k!, v!);
      try {
        assert.equal(value(await changesSince(repo.dir, c.review!, ['src/payments/a.ts']))[0]!.subject, 'Zahlungen prüfen');
        assert.deepEqual(value(await changesSince(repo.dir, c.odd!, ['src/**'])).map(x => x.files), [['src/security/auth.ts']]);
        assert.deepEqual(value(await changesSince(repo.dir, c.init!, ['src/security/auth.ts'])).map(x => x.commit), [c.move]);
      } finally {
        for (const [k] of settings) repo.git('config', '--unset', k!);
      }
    });

    it('renamesOf: the new path of a renamed file', async () => {
      assert.deepEqual(value(await renamesOf(repo.dir, 'src/auth.ts')), ['src/security/auth.ts']);
      assert.deepEqual(value(await renamesOf(repo.dir, './src/auth.ts')), ['src/security/auth.ts']);
      assert.deepEqual(value(await renamesOf(repo.dir, 'src/security/auth.ts')), []);
      assert.deepEqual(value(await renamesOf(repo.dir, 'src/payments/a.ts')), []);
      assert.deepEqual(value(await renamesOf(repo.dir, 'src/nope.ts')), []);
    });
  });

  describe('renames', () => {
    let repo: TestRepo;
    const body = (name: string) => Array.from({ length: 20 }, (_, i) => `line ${i} of ${name}\n`).join('');
    before(async () => {
      repo = await makeRepo();
      repo.write('a.ts', body('a'));
      repo.write('docs/old name.md', body('doc'));
      repo.write('src/[x].ts', body('x'));
      repo.write('gone.ts', body('gone'));
      await repo.commit('Initial');
      repo.mv('a.ts', 'lib/b.ts');
      repo.mv('docs/old name.md', 'docs/ünï new.md');
      repo.rm('gone.ts');
      await repo.commit('First moves');
      repo.mv('lib/b.ts', 'lib/c.ts');
      repo.write('lib/c.ts', body('a') + 'one more line\n'); // a rename with an edit is still a rename
      repo.mv('src/[x].ts', 'src/y.ts');
      await repo.commit('Second moves');
      repo.write('a.ts', body('a again'));
      await repo.commit('a.ts again');
      repo.mv('a.ts', 'd.ts');
      await repo.commit('Third move');
    });
    after(() => repo.cleanup());

    it('follows chains, most recent first', async () => {
      assert.deepEqual(value(await renamesOf(repo.dir, 'a.ts')), ['d.ts', 'lib/c.ts', 'lib/b.ts']);
      assert.deepEqual(value(await renamesOf(repo.dir, 'lib/b.ts')), ['lib/c.ts']);
      assert.deepEqual(value(await renamesOf(repo.dir, 'lib/c.ts')), []);
    });

    it('odd names, taken literally; a deleted file was not renamed', async () => {
      assert.deepEqual(value(await renamesOf(repo.dir, 'docs/old name.md')), ['docs/ünï new.md']);
      assert.deepEqual(value(await renamesOf(repo.dir, 'src/[x].ts')), ['src/y.ts']);
      assert.deepEqual(value(await renamesOf(repo.dir, 'src/*.ts')), []);
      assert.deepEqual(value(await renamesOf(repo.dir, 'gone.ts')), []);
    });

    it('renamesOfMany answers for each file as renamesOf does, in a few git runs for many files', async () => {
      const files = ['a.ts', 'lib/b.ts', 'lib/c.ts', 'docs/old name.md', 'src/[x].ts', 'src/*.ts', 'gone.ts', './a.ts', '../x',
        ...Array.from({ length: 450 }, (_, i) => `src/never-${i}.ts`)];
      const many = value(await renamesOfMany(repo.dir, files));
      assert.deepEqual([...many.keys()], files);
      for (const f of files.slice(0, 8)) {
        const one = await renamesOf(repo.dir, f);
        assert.deepEqual(many.get(f), one.ok ? one.value : [], f);
      }
      assert.deepEqual(many.get('a.ts'), ['d.ts', 'lib/c.ts', 'lib/b.ts']);
      assert.deepEqual(many.get('../x'), [], 'a refused path has none');
      assert.ok(files.slice(9).every(f => many.get(f)!.length === 0));
    });

    it('refuses paths outside the repository', async () => {
      for (const p of ['../x', '/etc/passwd', 'C:\\x', 'src/../../x', '', '.']) {
        assert.match(error(await renamesOf(repo.dir, p)), /^path .* is refused/, p);
      }
    });
  });

  describe('merges', () => {
    let repo: TestRepo;
    after(() => repo?.cleanup());

    it('changesSince lists the commits a merge brings in, not the merge', async () => {
      repo = await makeRepo();
      repo.write('src/p/x.ts', 'x\n');
      repo.write('src/p/y.ts', 'y\n');
      const base = await repo.commit('Base');
      repo.git('checkout', '-q', '-b', 'side');
      repo.write('src/p/x.ts', 'x side\n');
      const side = await repo.commit('Side');
      repo.git('checkout', '-q', 'main');
      repo.write('src/p/y.ts', 'y main\n');
      const main = await repo.commit('Main');
      repo.git('merge', '-q', '--no-ff', '--no-edit', 'side');
      const merge = repo.git('rev-parse', 'HEAD').trim();
      assert.equal(repo.git('rev-list', '--parents', '-n1', merge).trim().split(' ').length, 3, 'HEAD is a merge');
      const got = value(await changesSince(repo.dir, base, ['src/p/**']));
      assert.deepEqual(got.map(x => [x.commit, x.files]).sort(), [[main, ['src/p/y.ts']], [side, ['src/p/x.ts']]].sort());
    });
  });

  describe('failures', () => {
    let repo: TestRepo;
    let plain: string;
    before(async () => {
      repo = await makeRepo();
      repo.write('a.ts', 'a\n');
      await repo.commit('One');
      plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-nogit-')));
    });
    after(() => { repo.cleanup(); fs.rmSync(plain, { recursive: true, force: true }); });

    it('not a repository, a missing folder, the .git folder', async () => {
      assert.equal(error(await gitRoot(plain)), `${plain} is not in a git repository`);
      assert.equal(error(await headCommit(plain)), `${plain} is not in a git repository`);
      assert.equal(error(await changesSince(plain, 'abcdef1', ['**'])), `${plain} is not in a git repository`);
      assert.equal(error(await renamesOf(plain, 'a.ts')), `${plain} is not in a git repository`);
      assert.equal(error(await renamesOfMany(plain, ['a.ts', 'b.ts'])), `${plain} is not in a git repository`);
      assert.equal(await hasCommit(plain, 'abcdef1'), false);
      const missing = path.join(plain, 'missing');
      assert.equal(error(await gitRoot(missing)), `${missing} does not exist`);
      assert.match(error(await gitRoot(path.join(repo.dir, '.git'))), /is not in a git working tree/);
    });

    it('a bare repository inside a folder (committed to a cloned repository) is not used', async function () {
      const [major = 0, minor = 0] = repo.git('--version').replace(/^\D*/, '').split('.').map(Number);
      if (major < 2 || (major === 2 && minor < 38)) this.skip(); // safe.bareRepository: git 2.38
      const bare = path.join(plain, 'inner.git');
      repo.git('clone', '-q', '--bare', repo.dir, bare);
      assert.match(repo.git('--git-dir', bare, 'rev-parse', 'HEAD'), /^[0-9a-f]{40}/, 'git can read it when told to');
      assert.equal(error(await headCommit(bare)), `${bare} is not in a git working tree (it is in a bare repository, which is only read when named)`);
      assert.match(error(await gitRoot(path.join(bare, 'refs'))), /is not in a git working tree/);
    });

    it('a repository without commits', async () => {
      const empty = await makeRepo();
      try {
        assert.equal(value(await gitRoot(empty.dir)), empty.dir);
        assert.equal(error(await headCommit(empty.dir)), 'the repository has no commits yet');
      } finally {
        empty.cleanup();
      }
    });

    it('git not installed', async () => {
      const head = value(await headCommit(repo.dir));
      await withEnv({ PATH: path.join(plain, 'no-bin') }, async () => {
        assert.match(error(await gitRoot(repo.dir)), /^git is not installed/);
        assert.match(error(await headCommit(repo.dir)), /^git is not installed/);
        assert.match(error(await changesSince(repo.dir, head, ['**'])), /^git is not installed/);
        assert.match(error(await renamesOf(repo.dir, 'a.ts')), /^git is not installed/);
        assert.equal(await hasCommit(repo.dir, head), false);
      });
      assert.equal(await hasCommit(repo.dir, head), true);
    });

    it('GIT_* variables from outside (a hook\'s GIT_DIR) do not redirect git', async () => {
      const other = await makeRepo();
      try {
        other.write('b.ts', 'b\n');
        const otherHead = await other.commit('Other repository');
        const head = value(await headCommit(repo.dir));
        assert.notEqual(head, otherHead);
        await withEnv({ GIT_DIR: path.join(other.dir, '.git'), GIT_WORK_TREE: other.dir }, async () => {
          assert.equal(value(await headCommit(repo.dir)), head);
          assert.equal(value(await gitRoot(repo.dir)), repo.dir);
        });
      } finally {
        other.cleanup();
      }
    });

    (posix ? it : it.skip)('a git program in the repository is never run, even with relative entries on PATH', async () => {
      const marker = path.join(plain, 'ran');
      const fake = `#!/bin/sh\ntouch '${marker}'\nexit 1\n`;
      fs.mkdirSync(path.join(plain, 'bin'));
      fs.writeFileSync(path.join(plain, 'git'), fake, { mode: 0o755 });
      fs.writeFileSync(path.join(plain, 'bin', 'git'), fake, { mode: 0o755 });
      // from `plain` (this process's folder and git's), `.` and `bin` would find the fakes first
      const cwd = process.cwd();
      process.chdir(plain);
      try {
        await withEnv({ PATH: ['.', 'bin', '', process.env.PATH].join(path.delimiter) }, async () => {
          assert.equal(error(await gitRoot(plain)), `${plain} is not in a git repository`);
        });
      } finally {
        process.chdir(cwd);
      }
      assert.equal(fs.existsSync(marker), false);
    });
  });
});
