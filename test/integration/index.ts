/**
 * The list of in-host test files, loaded by ./suite.ts after mocha's BDD globals are installed.
 * Add one line per test file (`*.itest.ts`, describe/it style); helpers for fixtures are in ./helpers.ts.
 * Tests run against a throw-away copy of test/fixtures/workspace, so they may edit and save files there.
 */
import './activation.itest';
import './diagnostics.itest';
import './codeActions.itest';
import './language.itest';
import './visualEditor.itest';
import './interop.itest';
import './authoring.itest';
import './discover.itest';
import './trace.itest';
import './walkthrough.itest';
import './hostLoad.itest';
import './library.itest';
