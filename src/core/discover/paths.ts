/**
 * Posix path arithmetic for the paths discovery is given (relative to the model's folder, with `/`): no
 * Node built-ins, so the core runs anywhere. `..` segments that climb above the start are kept.
 */

/** `a/./b/../c` -> `a/c`; `../x` stays; an absolute path stays absolute. Backslashes count as `/`. */
export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || !abs) out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}

/** The folder of a path (`.` for a bare file name). */
export function dirOf(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : n.slice(0, i);
}

/** `dir` joined with `rel` and normalized (an absolute `rel` wins). */
export function joinPath(dir: string, rel: string): string {
  return normalizePath(rel.startsWith('/') ? rel : `${dir}/${rel}`);
}

/** The file name of a path. */
export const baseName = (p: string) => normalizePath(p).split('/').pop() ?? p;
