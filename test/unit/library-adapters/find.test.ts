/**
 * src/node/library.ts: where a model's library files are found (`.rampart/` folders up to the repository root,
 * `policy.libraries` paths and npm packages) and what is refused (outside the repository or the package, a
 * symbolic link leading out, a file too big, a package that is not installed), each with a clear message.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findLibraryFiles, isPathEntry, libraryRoot } from '../../../src/node/library';

function tmp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lib-')));
}
function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
const LIB = (id: string) => `rampart-library: 1\nid: ${id}\n`;

/** A repository: repo/.git, repo/.rampart/base.yaml, repo/services/.rampart/svc.yml, repo/services/api/m.threatmodel.yaml. */
function repo() {
  const top = tmp();
  const root = path.join(top, 'repo');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  write(path.join(root, '.rampart', 'base.yaml'), LIB('base'));
  write(path.join(root, '.rampart', 'notes.txt'), 'not a library');
  write(path.join(root, 'services', '.rampart', 'svc.yml'), LIB('svc'));
  write(path.join(top, '.rampart', 'above.yaml'), LIB('above-the-repository'));
  const model = path.join(root, 'services', 'api', 'm.threatmodel.yaml');
  write(model, 'rampart: 1\n');
  return { top, root, model };
}

describe('library files (src/node/library.ts)', () => {
  it('tells paths from package names', () => {
    for (const p of ['./security', '../lib/x.yaml', 'security/library', 'acme.yaml', '/abs', '.rampart']) assert.equal(isPathEntry(p), true, p);
    for (const p of ['@acme/rampart-library', 'rampart-lib', 'acme']) assert.equal(isPathEntry(p), false, p);
  });

  it('walks .rampart folders from the repository root down to the model, and stops at .git', async () => {
    const { root, model } = repo();
    assert.equal(await libraryRoot(path.dirname(model)), root);
    const r = await findLibraryFiles(model, undefined);
    assert.deepEqual(r.files.map(f => f.display), ['../../.rampart/base.yaml', '../.rampart/svc.yml']);
    assert.equal(r.files[0].text, LIB('base'));
    assert.equal(r.files[0].uri, path.join(root, '.rampart', 'base.yaml'));
    assert.deepEqual(r.problems, []);
    assert.ok(r.watched.includes(path.join(root, 'services', 'api', '.rampart')), 'the model folder\'s own .rampart is watched even when missing');
    assert.equal(r.stamps.length, 2);
  });

  it('stops at the workspace folder when there is no .git', async () => {
    const { root, model } = repo();
    fs.rmSync(path.join(root, '.git'), { recursive: true });
    const r = await findLibraryFiles(model, undefined, { workspaceRoot: path.join(root, 'services') });
    assert.deepEqual(r.files.map(f => f.display), ['../.rampart/svc.yml']);
  });

  it('reads policy.libraries paths: a folder (its *.yaml) and a file, relative to the model; each file once', async () => {
    const { root, model } = repo();
    write(path.join(root, 'security', 'library', 'a.yaml'), LIB('a'));
    write(path.join(root, 'security', 'library', 'b.yml'), LIB('b'));
    write(path.join(root, 'security', 'library', 'nested', 'c.yaml'), LIB('c'));
    write(path.join(root, 'security', 'one.yaml'), LIB('one'));
    const r = await findLibraryFiles(model, ['../../security/library', '../../security/one.yaml', '../../.rampart/base.yaml']);
    assert.deepEqual(r.files.map(f => f.display), ['../../.rampart/base.yaml', '../.rampart/svc.yml', '../../security/library/a.yaml', '../../security/library/b.yml', '../../security/one.yaml']);
    assert.deepEqual(r.problems, []);
  });

  it('refuses a path outside the repository, an absolute path and a missing one', async () => {
    const { top, model } = repo();
    write(path.join(top, 'elsewhere', 'x.yaml'), LIB('x'));
    const r = await findLibraryFiles(model, ['../../../elsewhere/x.yaml', path.join(top, 'elsewhere', 'x.yaml'), './missing']);
    assert.equal(r.files.length, 2);
    assert.equal(r.problems.length, 3);
    assert.match(r.problems[0].message, /outside the repository/);
    assert.equal(r.problems[0].entry, 0);
    assert.match(r.problems[1].message, /absolute path/);
    assert.match(r.problems[2].message, /'\.\/missing' does not exist/);
  });

  it('refuses a symbolic link in .rampart or in a library folder that leads out of the repository', async () => {
    const { top, root, model } = repo();
    write(path.join(top, 'secret.yaml'), 'password: hunter2\n');
    fs.symlinkSync(path.join(top, 'secret.yaml'), path.join(root, '.rampart', 'evil.yaml'));
    fs.mkdirSync(path.join(root, 'lib'));
    fs.symlinkSync(top, path.join(root, 'lib', 'out'));
    const r = await findLibraryFiles(model, ['../../lib/out']);
    assert.deepEqual(r.files.map(f => f.display), ['../../.rampart/base.yaml', '../.rampart/svc.yml']);
    assert.ok(!r.files.some(f => f.text.includes('hunter2')));
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0].message, /'\.\.\/\.\.\/\.rampart\/evil\.yaml' leads outside the repository/);
    assert.match(r.problems[1].message, /leads outside the repository/);
  });

  it('refuses a file over the size limit and stops at the file limit', async () => {
    const { root, model } = repo();
    write(path.join(root, '.rampart', 'huge.yaml'), 'x'.repeat(2048));
    const big = await findLibraryFiles(model, undefined, { maxBytes: 1024 });
    assert.deepEqual(big.files.map(f => f.display), ['../../.rampart/base.yaml', '../.rampart/svc.yml']);
    assert.match(big.problems[0].message, /huge\.yaml' is 2048 bytes, over the 1024-byte limit/);
    const few = await findLibraryFiles(model, undefined, { maxFiles: 1 });
    assert.equal(few.files.length, 1);
    assert.match(few.problems[0].message, /more than 1 library files/);
  });

  describe('npm packages', () => {
    function withPackage(manifest: object, files: Record<string, string> = { 'library.yaml': LIB('acme') }) {
      const r = repo();
      const pkg = path.join(r.root, 'node_modules', '@acme', 'rampart-library');
      write(path.join(pkg, 'package.json'), JSON.stringify({ name: '@acme/rampart-library', version: '1.0.0', ...manifest }));
      for (const [f, t] of Object.entries(files)) write(path.join(pkg, f), t);
      return { ...r, pkg };
    }

    it('resolves a package from the model folder upwards and reads the files its "rampart" field names', async () => {
      const { model } = withPackage({ rampart: 'library.yaml', main: 'index.js' }, { 'library.yaml': LIB('acme'), 'index.js': 'throw new Error("never run")' });
      const r = await findLibraryFiles(model, ['@acme/rampart-library']);
      assert.deepEqual(r.problems, []);
      assert.equal(r.files.at(-1)!.display, '@acme/rampart-library/library.yaml');
      assert.equal(r.files.at(-1)!.text, LIB('acme'));
    });

    it('takes a list of files and folders', async () => {
      const { model } = withPackage({ rampart: ['./a.yaml', 'more'] }, { 'a.yaml': LIB('a'), 'more/b.yaml': LIB('b'), 'more/c.yml': LIB('c') });
      const r = await findLibraryFiles(model, ['@acme/rampart-library']);
      assert.deepEqual(r.files.slice(2).map(f => f.display), ['@acme/rampart-library/a.yaml', '@acme/rampart-library/more/b.yaml', '@acme/rampart-library/more/c.yml']);
    });

    it('reports a missing package, a package without "rampart", and paths outside the package', async () => {
      const { model, top, pkg } = withPackage({ rampart: ['../../../.rampart/base.yaml', 'link.yaml', '/etc/passwd'] });
      write(path.join(top, 'outside.yaml'), LIB('outside'));
      fs.symlinkSync(path.join(top, 'outside.yaml'), path.join(pkg, 'link.yaml'));
      const r = await findLibraryFiles(model, ['@acme/rampart-library', 'not-installed']);
      assert.equal(r.files.length, 2, 'only the .rampart files');
      const messages = r.problems.map(p => p.message);
      assert.match(messages[0], /names '\.\.\/\.\.\/\.\.\/\.rampart\/base\.yaml', outside the package/);
      assert.match(messages[1], /link\.yaml' leads outside the package '@acme\/rampart-library'/);
      assert.match(messages[2], /names '\/etc\/passwd', not a path inside the package/);
      assert.match(messages[3], /the library package 'not-installed' is not installed/);
      const bare = withPackage({});
      const r2 = await findLibraryFiles(bare.model, ['@acme/rampart-library']);
      assert.match(r2.problems[0].message, /needs a "rampart" field/);
    });

    it('refuses a package folder that is a link leading out of the repository', async () => {
      const { root, model, top } = repo();
      const outside = path.join(top, 'linked-pkg');
      write(path.join(outside, 'package.json'), JSON.stringify({ name: 'linked', rampart: 'l.yaml' }));
      write(path.join(outside, 'l.yaml'), LIB('l'));
      fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
      fs.symlinkSync(outside, path.join(root, 'node_modules', 'linked'));
      const r = await findLibraryFiles(model, ['linked']);
      assert.equal(r.files.length, 2);
      assert.match(r.problems[0].message, /'linked' .* leads outside the repository/);
    });
  });
});
