/**
 * The name of the settings section (`rampart.*`), on its own so that the VS Code client can use it without
 * bundling the settings parser's dependencies (the core's parser and `yaml`).
 */
export const SECTION = 'rampart';
