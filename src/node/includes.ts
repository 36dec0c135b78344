/**
 * Reading the files an imported model includes (Threagile's `includes:`): only inside the folder of the file
 * being imported (its whole tree), never through a symbolic link that leads out, only regular files, and no
 * bigger than an import may be. The importer (pure core) resolves the paths it reads relative to the including
 * file and refuses absolute ones and `..` above the top; this is the second, physical check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_IMPORT_SIZE } from '../core/interop/common';

/** A reader for `ImportOptions.readInclude`, for the model in `file`; its errors' messages are for the user. */
export function includeReader(file: string): (relative: string) => string {
  const root = path.dirname(path.resolve(file));
  let realRoot: string | undefined;
  return (relative: string) => {
    if (path.isAbsolute(relative) || relative.includes('\0')) throw new Error(`'${relative}' is not a path relative to the imported file`);
    const target = path.resolve(root, relative);
    realRoot ??= fs.realpathSync(root);
    let real: string;
    try {
      real = fs.realpathSync(target);
    } catch {
      throw new Error(`'${relative}' does not exist (looked at ${target})`);
    }
    const rel = path.relative(realRoot, real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new Error(`'${relative}' is outside the folder of the imported file (${root}); only files inside it are read`);
    }
    const stat = fs.statSync(real);
    if (!stat.isFile()) throw new Error(`'${relative}' is not a file`);
    if (stat.size > MAX_IMPORT_SIZE) throw new Error(`'${relative}' is ${stat.size} bytes, over the ${MAX_IMPORT_SIZE}-byte limit for imports`);
    return fs.readFileSync(real, 'utf8');
  };
}
