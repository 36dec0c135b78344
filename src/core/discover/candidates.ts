/**
 * Which files of a repository discovery looks at, by name alone (the adapters walk the folders; the core then
 * says what each file is): shared by `rampart discover`, the language server's workspace discovery and the
 * draft command, so the three see the same files.
 */

/** Compose file names: compose.yaml, docker-compose.yml, compose.override.yaml, docker-compose.prod.yml, app.compose.yaml. */
export const COMPOSE_NAME = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;
const COMPOSE_SUFFIX = /\.compose\.ya?ml$/i;
const YAML_NAME = /\.ya?ml$/i;
/** JSON files are read only when their name says they describe an API (a repository holds many other JSON files). */
const API_JSON_NAME = /(openapi|swagger|api)[\w.-]*\.json$/i;
const MODEL_NAME = /\.threatmodel\.ya?ml$/i;

/** Folders never searched: dependencies, build output, tool state (and every folder whose name starts with a dot). */
export const DISCOVER_SKIP_DIRS: ReadonlySet<string> = new Set([
  'node_modules', 'dist', 'out', 'build', 'target', 'vendor', '__pycache__', 'coverage', 'bower_components', 'venv',
]);

/** Whether discovery searches a folder of this name. */
export const searchesDir = (name: string) => !name.startsWith('.') && !DISCOVER_SKIP_DIRS.has(name);

/** Whether a file of this name may be a Compose file (read whatever its contents; the core then says). */
export const isComposeName = (name: string) => COMPOSE_NAME.test(name) || COMPOSE_SUFFIX.test(name);

/** Whether a file of this name is worth reading: YAML (not a threat model) or an API description in JSON. */
export const isCandidateName = (name: string) => !MODEL_NAME.test(name) && (YAML_NAME.test(name) || API_JSON_NAME.test(name));

/** Whether a path (posix, relative to the folder searched) is a candidate: its folders searched, its name a candidate. */
export function isCandidatePath(rel: string): boolean {
  const parts = rel.split('/');
  return isCandidateName(parts[parts.length - 1]) && parts.slice(0, -1).every(searchesDir);
}
