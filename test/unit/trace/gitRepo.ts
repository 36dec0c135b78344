/**
 * A throwaway git repository with real history, for tests of code that reads git.
 *
 *   const repo = await makeRepo();
 *   repo.write('src/a.ts', 'x');
 *   const a = await repo.commit('add a');                    // dated 2024-01-01T01:00:00Z
 *   repo.mv('src/a.ts', 'src/b.ts');
 *   const b = await repo.commit('move', '2024-03-01T12:00:00Z');
 *   repo.git('tag', 'v1');
 *   repo.cleanup();
 *
 * It lives in the system's temporary folder (`dir` is its real path, as `git rev-parse --show-toplevel`
 * prints it) and ignores the user's git configuration and `GIT_*` variables, so a global `commit.gpgsign` or a
 * hook's `GIT_DIR` cannot break it. Commits get deterministic dates: the one given, else one hour after the
 * previous commit's (the first: 2024-01-01T01:00:00Z); author and committer are both "Rampart Test".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestRepo {
  /** The repository's root folder (absolute, symbolic links resolved). */
  readonly dir: string;
  /** Writes a file (repository-relative posix path), creating its folders. Not staged until `commit`. */
  write(rel: string, text: string): void;
  /** Removes a file from the work tree (`git rm`). */
  rm(rel: string): void;
  /** Renames a file (`git mv`), creating the target's folders. */
  mv(from: string, to: string): void;
  /** Stages everything (`git add -A`) and commits (empty commits allowed); the new commit's full id. */
  commit(message: string, date?: string): Promise<string>;
  /** Runs git in the repository with these arguments (no shell) and returns its standard output. */
  git(...args: string[]): string;
  /** The date the next commit gets unless one is given (ISO 8601). */
  nextDate(): string;
  /** Deletes the repository. */
  cleanup(): void;
}

const START = Date.parse('2024-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** The environment for the helper's git: no `GIT_*` from outside, no user or system configuration. */
function env(date: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k)) e[k] = v;
  return {
    ...e,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_AUTHOR_NAME: 'Rampart Test', GIT_AUTHOR_EMAIL: 'test@rampart.invalid',
    GIT_COMMITTER_NAME: 'Rampart Test', GIT_COMMITTER_EMAIL: 'test@rampart.invalid',
    GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date,
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** A new empty repository (branch `main`) in the temporary folder. */
export async function makeRepo(): Promise<TestRepo> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-git-')));
  let last = START;
  const nextDate = () => new Date(last + HOUR).toISOString().replace('.000Z', 'Z');
  const git = (...args: string[]) => execFileSync('git', [
    '-c', 'user.name=Rampart Test', '-c', 'user.email=test@rampart.invalid', '-c', 'commit.gpgsign=false',
    '-c', 'tag.gpgsign=false', '-c', 'core.autocrlf=false', '-c', 'init.defaultBranch=main', ...args,
  ], { cwd: dir, env: env(nextDate()), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const abs = (rel: string) => path.join(dir, ...rel.split('/'));
  git('init', '-q');
  return {
    dir,
    write(rel, text) {
      fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
      fs.writeFileSync(abs(rel), text);
    },
    rm(rel) { git('rm', '-q', '--', rel); },
    mv(from, to) {
      fs.mkdirSync(path.dirname(abs(to)), { recursive: true });
      git('mv', '--', from, to);
    },
    async commit(message, date) {
      git('add', '-A');
      const when = date ?? nextDate();
      execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '--allow-empty-message', '-m', message], {
        cwd: dir, env: env(when), stdio: ['ignore', 'pipe', 'pipe'],
      });
      last = Number.isNaN(Date.parse(when)) ? last + HOUR : Date.parse(when);
      return git('rev-parse', 'HEAD').trim();
    },
    git,
    nextDate,
    cleanup() { fs.rmSync(dir, { recursive: true, force: true }); },
  };
}
