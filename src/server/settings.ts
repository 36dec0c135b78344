/**
 * The `rampart.*` settings of each document, as the server sees them. With a client that supports
 * `workspace/configuration`, settings are pulled per scope (the workspace folder holding the file, or the file
 * itself outside every folder), cached, and pulled again after `didChangeConfiguration`. A client without it
 * pushes them in `didChangeConfiguration` (`{ settings: { rampart: {...} } }`), or the defaults apply.
 * Validation is `parseSettings` (src/shared/settings.ts), the same for every front end.
 */
import type { Connection } from 'vscode-languageserver/node';
import { parseSettings, SECTION, type RampartSettings } from '../shared/settings';

export class SettingsStore {
  private readonly cache = new Map<string, Promise<RampartSettings>>();
  /** Settings pushed by a client that cannot be asked (or the defaults). */
  private pushed: RampartSettings = parseSettings(undefined);
  /** Bumped on every change, so analyses made under older settings are not reused. */
  generation = 0;

  constructor(private readonly connection: Connection, private readonly canPull: () => boolean, private readonly scopeOf: (uri: string) => string) {}

  /** The settings that apply to a document (a model file's URI). */
  forUri(uri: string): Promise<RampartSettings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    const scope = this.scopeOf(uri);
    let hit = this.cache.get(scope);
    if (!hit) {
      hit = this.connection.workspace.getConfiguration({ scopeUri: scope, section: SECTION })
        .then(parseSettings, (e: Error) => {
          this.connection.console.warn(`could not read the ${SECTION} settings for ${scope}: ${e.message}`);
          return parseSettings(undefined);
        });
      this.cache.set(scope, hit);
    }
    return hit;
  }

  /** `workspace/didChangeConfiguration`: forget what was pulled, or take what was pushed. */
  changed(pushedSettings: unknown): void {
    this.generation++;
    this.cache.clear();
    if (!this.canPull()) {
      const all = pushedSettings && typeof pushedSettings === 'object' ? (pushedSettings as Record<string, unknown>) : {};
      this.pushed = parseSettings(all[SECTION]);
    }
  }

  /** Workspace folders changed: scopes may have moved. */
  foldersChanged(): void {
    this.generation++;
    this.cache.clear();
  }
}
