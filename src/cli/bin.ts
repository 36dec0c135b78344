/**
 * `rampart` as a command: loads the CLI bundle (dist/cli-main.js) with V8's code cache, then runs it.
 *
 * A `rampart check` process spends a sixth of its time reading, compiling and lazily compiling the 1.7 MB bundle
 * before it reads the model (issue #17, P2). Like Node 22's `module.enableCompileCache()` (which TypeScript's `tsc`
 * turns on), the compiled code is kept after a run and handed back to V8 on the next, which checks it against the
 * source and the V8 version and flags and rejects it on any mismatch (then a fresh one is written).
 *
 * The cache is one file per bundle, Node version and architecture in the user's own cache folder
 * (`$XDG_CACHE_HOME/rampart`, else `~/.cache/rampart`; `RAMPART_CACHE_DIR` overrides it), created private
 * (0700) and used only while it stays a folder of this user that nobody else may write to. Anything unusual
 * (no home, a read-only disk, a foreign or shared folder, `RAMPART_NO_COMPILE_CACHE=1`) loads the bundle
 * the plain way: the cache only ever saves time.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

interface CliBundle { runCli(): void }

const MAIN = path.join(__dirname, 'cli-main.js');

function cacheDir(): string | undefined {
  if (process.env.RAMPART_NO_COMPILE_CACHE) return undefined;
  const home = os.homedir();
  const dir = process.env.RAMPART_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : ''), 'rampart');
  if (!path.isAbsolute(dir)) return undefined;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  // a folder (not a link) of this user that no one else may write to
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (process.platform !== 'win32' && (st.mode & 0o022) !== 0)) return undefined;
  return dir;
}

/** The bundle compiled with the cached code when there is one; undefined when the cache cannot be used. */
function compiled(): { bundle: () => CliBundle; save: () => void } | undefined {
  const dir = cacheDir();
  if (!dir) return undefined;
  const source = fs.readFileSync(MAIN, 'utf8');
  const key = crypto.createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 24);
  const file = path.join(dir, `cli-${key}.v8cache`);
  let cachedData: Buffer | undefined;
  try { cachedData = fs.readFileSync(file); } catch { /* none yet */ }
  const script = new vm.Script(Module.wrap(source), { filename: MAIN, cachedData });
  // what `require` gives a module in this folder (here, so that a Node without it loads the plain way)
  const paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
  if (!Array.isArray(paths)) return undefined;
  const bundle = () => {
    const mod = new Module(MAIN, module);
    mod.filename = MAIN;
    mod.paths = paths;
    const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    run.call(mod.exports, mod.exports, Module.createRequire(MAIN), mod, MAIN, __dirname);
    mod.loaded = true;
    return mod.exports as CliBundle;
  };
  const save = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      // after the run: the functions it compiled lazily are in the cache too
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch { /* a cache that cannot be written is only a slower start next time */ }
  };
  return { bundle, save };
}

let loaded: ReturnType<typeof compiled>;
try {
  loaded = compiled();
} catch {
  loaded = undefined;
}
if (loaded) {
  const { bundle, save } = loaded;
  process.once('exit', save);
  bundle().runCli();
} else {
  (require(MAIN) as CliBundle).runCli();
}
