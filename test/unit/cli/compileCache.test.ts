/**
 * `dist/cli.js` loads the CLI bundle with V8's code cache (src/cli/bin.ts): the cache is kept in a private
 * folder of the user, never changes what a command prints or its exit code, survives a damaged file, and is
 * not used in a folder others may write to or when switched off.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { rampart, ROOT, tmpdir } from './run';

const MODEL = path.join(ROOT, 'examples/webshop-payments.threatmodel.yaml');
const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.v8cache')) : []);

describe('CLI: compile cache', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = path.join(tmpdir(), 'cache'); });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('writes one private cache file on the first run; later runs print the same and exit the same', () => {
    const plain = rampart(['check', MODEL], { env: { RAMPART_NO_COMPILE_CACHE: '1' } });
    assert.equal(plain.code, 1, 'the example has an error above tolerance');
    const first = rampart(['check', MODEL], { env: { RAMPART_CACHE_DIR: dir } });
    const files = cacheFiles(dir);
    assert.equal(files.length, 1, `one cache file: ${files.join(', ')}`);
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700, 'the folder is private');
      assert.equal(fs.statSync(path.join(dir, files[0])).mode & 0o777, 0o600, 'the file is private');
    }
    const second = rampart(['check', MODEL], { env: { RAMPART_CACHE_DIR: dir } });
    for (const r of [first, second]) assert.deepEqual(r, plain);
    assert.deepEqual(cacheFiles(dir), files, 'the same file is used again');
  });

  it('survives a damaged cache file: the output is the same and the file is written again', () => {
    const plain = rampart(['check', '--format', 'json', MODEL], { env: { RAMPART_NO_COMPILE_CACHE: '1' } });
    rampart(['--version'], { env: { RAMPART_CACHE_DIR: dir } });
    const [file] = cacheFiles(dir);
    const damaged = Buffer.alloc(fs.statSync(path.join(dir, file)).size, 7);
    fs.writeFileSync(path.join(dir, file), damaged);
    assert.deepEqual(rampart(['check', '--format', 'json', MODEL], { env: { RAMPART_CACHE_DIR: dir } }), plain);
    assert.notDeepEqual(fs.readFileSync(path.join(dir, file)), damaged, 'V8 rejected it and a fresh one was written');
  });

  it('is not used in a folder others may write to, nor when switched off', function () {
    if (process.platform === 'win32') this.skip();
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777);
    const shared = rampart(['--version'], { env: { RAMPART_CACHE_DIR: dir } });
    assert.equal(shared.code, 0);
    assert.match(shared.out, /^\d+\.\d+\.\d+/);
    assert.deepEqual(cacheFiles(dir), [], 'nothing written into a world-writable folder');
    fs.chmodSync(dir, 0o700);
    assert.equal(rampart(['--version'], { env: { RAMPART_CACHE_DIR: dir, RAMPART_NO_COMPILE_CACHE: '1' } }).code, 0);
    assert.deepEqual(cacheFiles(dir), [], 'nothing written when switched off');
  });
});
