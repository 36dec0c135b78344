/**
 * Which models answer for a source file's annotations. A repository may hold several models (a monorepo, one per
 * service; examples; test fixtures), each with its own `token-replay`: an annotation belongs to the models of the
 * deepest folder that holds both models and the file, as the nearest configuration file does for linters; when no
 * model's folder holds the file (models in `threats/`, code in `src/`), to every model.
 */

const holds = (dir: string, file: string) => dir === '' || file.startsWith(`${dir}/`);

/**
 * Of the folders holding models (posix, relative to one root, '' for the root itself), those whose models
 * answer for `file` (relative to the same root).
 */
export function ownerDirs(modelDirs: readonly string[], file: string): string[] {
  const unique = [...new Set(modelDirs)];
  const containing = unique.filter(d => holds(d, file));
  if (!containing.length) return unique;
  const depth = Math.max(...containing.map(d => d.length));
  return containing.filter(d => d.length === depth);
}

/** The folder of a posix path ('' for a file at the root). */
export const dirOfFile = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');
