/**
 * Helpers for the in-host tests: the fixture workspace (a throw-away copy of test/fixtures/workspace opened as
 * the first workspace folder), opening a model and waiting for the extension to react.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'rampart.rampart';
export const LANGUAGE_ID = 'threatmodel';

/** Polls `fn` until it returns something truthy; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 15000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** URI of a file in the fixture workspace (e.g. `payments.threatmodel.yaml`). */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open (test/fixtures/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a fixture file in an editor and returns its document. */
export async function openFixture(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The diagnostic's rule id, whether `code` is a plain value or `{ value, target }`. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return String(typeof c === 'object' ? c.value : c);
}

/** Waits until the document has diagnostics satisfying `pred` (default: at least one) and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, pred: (ds: readonly vscode.Diagnostic[]) => boolean = ds => ds.length > 0, ms = 15000): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics on ${uri.path.split('/').pop()}`, () => {
    const ds = vscode.languages.getDiagnostics(uri);
    return pred(ds) ? ds : undefined;
  }, ms);
}

/** Closes every editor (call in afterEach so tests don't see each other's editors). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
