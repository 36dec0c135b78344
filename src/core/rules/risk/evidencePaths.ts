/**
 * What an `evidence:` entry names, as a path: shared by the evidence rules so that a path outside the
 * repository is reported by one rule and never looked up by the other. Pure string work (no file system).
 */

/** The file part of an evidence entry (`src/a.ts#L3-L9` -> `src/a.ts`), or undefined for URLs, prose and globs. */
export function evidenceFile(ev: string): string | undefined {
  if (isAbsolutePath(ev)) return ev.replace(/#.*$/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(ev) || /\s/.test(ev)) return undefined; // URL or prose
  const file = ev.replace(/#.*$/, '');
  if (!file || /[*?]/.test(file)) return undefined;
  return file;
}

/** `/etc/passwd`, `\\server\share`, `//server/share`, `C:\x`, `C:/x`. */
export function isAbsolutePath(p: string): boolean {
  return /^[/\\]/.test(p) || /^[a-z]:([/\\]|$)/i.test(p);
}

/**
 * Whether `file` (relative to the model's folder) stays inside the repository. `modelDir` is the model's
 * folder relative to the repository root ('' when the model is at the root, or when the root is unknown, in
 * which case the model's own folder is the boundary).
 */
export function insideRepository(file: string, modelDir: string): boolean {
  if (isAbsolutePath(file)) return false;
  const parts: string[] = [];
  for (const seg of `${modelDir}/${file}`.split(/[/\\]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return false;
      parts.pop();
    } else parts.push(seg);
  }
  return true;
}
