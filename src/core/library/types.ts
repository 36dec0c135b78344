/**
 * Team threat libraries (#16): the shape of a loaded library, shared by the core (which reads library files' text
 * and applies them) and the adapters (which find and read the files: src/node/library.ts).
 *
 * A library is data: YAML files in `.rampart/` (found from the model's folder upwards) or named by
 * `policy.libraries` (a folder or file path relative to the model, or an npm package name resolved from the
 * model's folder upwards through node_modules, whose package.json `rampart` field names its library file(s)).
 * Never code: nothing of a library is ever executed.
 */
import type { Finding } from '../types';

/** One library file as read by an adapter: where it is (for messages and locations) and its text. */
export interface LibraryFile {
  /** A URI or absolute path, used to locate findings in the library file itself. */
  uri: string;
  /** The path to show in messages (relative to the model's folder or the workspace). */
  display: string;
  text: string;
}

/** A problem in a library file, located in that file (line and column from its text). */
export interface LibraryProblem {
  uri: string;
  display: string;
  /** Offsets in the library file's text. */
  range: { start: number; end: number };
  severity: Finding['severity'];
  message: string;
}
