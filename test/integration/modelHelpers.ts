/**
 * Helpers of the language-feature tests: write a model into the fixture workspace's lang/ folder and open it,
 * find positions by text, run and apply code actions, wait for a rule's diagnostic to come or go.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ruleIdOf, waitFor } from './helpers';

/** URI of a file under lang/ of the fixture workspace. */
export function langUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, 'lang', name);
}

/** Writes `text` to lang/<name> (use a new name per test) and opens it in an editor. */
export async function writeModel(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = langUri(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Opens lang/<name> as it is in the fixture workspace. */
export async function openModel(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(langUri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Offset of the `n`-th occurrence of `needle` in the document, plus `delta`. */
export function offsetOf(doc: vscode.TextDocument, needle: string, n = 1, delta = 0): number {
  const text = doc.getText();
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" occurs ${n} time(s) in ${doc.uri.path.split('/').pop()}`);
  }
  return i + delta;
}

export const posOf = (doc: vscode.TextDocument, needle: string, n = 1, delta = 0) => doc.positionAt(offsetOf(doc, needle, n, delta));

/** The range of the `n`-th occurrence of `needle`. */
export function rangeOf(doc: vscode.TextDocument, needle: string, n = 1): vscode.Range {
  const start = offsetOf(doc, needle, n);
  return new vscode.Range(doc.positionAt(start), doc.positionAt(start + needle.length));
}

/** Diagnostics of `rule` on the document, once `pred` holds for them. */
export function waitForRule(uri: vscode.Uri, rule: string, pred: (ds: vscode.Diagnostic[]) => boolean = ds => ds.length > 0, what = `${rule} diagnostics`): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const ds = vscode.languages.getDiagnostics(uri).filter(d => ruleIdOf(d) === rule);
    return pred(ds) ? ds : undefined;
  }).then(ds => ds as vscode.Diagnostic[]);
}

/** Waits until no diagnostic of `rule` is left on the document. */
export async function waitForNoRule(uri: vscode.Uri, rule: string, pred: (d: vscode.Diagnostic) => boolean = () => true): Promise<void> {
  await waitFor(`no ${rule} diagnostics`, () => !vscode.languages.getDiagnostics(uri).some(d => ruleIdOf(d) === rule && pred(d)));
}

/** The code actions at `range` (resolved, so their edits are there), optionally of one kind. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind?.value, 100);
  return actions ?? [];
}

/** Finds the action titled `title` (exactly, or matching a RegExp) and applies its edit. */
export async function applyAction(actions: vscode.CodeAction[], title: string | RegExp): Promise<vscode.CodeAction> {
  const a = actions.find(x => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  assert.ok(a, `an action "${title}" among: ${actions.map(x => x.title).join(' | ')}`);
  assert.ok(a.edit, `"${a.title}" has an edit`);
  assert.ok(await vscode.workspace.applyEdit(a.edit), `the edit of "${a.title}" applies`);
  return a;
}

/** Replaces the whole text of the document (as a user edit: undoable, makes the document dirty). */
export async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(we));
}

/** Replaces the `n`-th occurrence of `needle` in the document. */
export async function replaceText(doc: vscode.TextDocument, needle: string, text: string, n = 1): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, rangeOf(doc, needle, n), text);
  assert.ok(await vscode.workspace.applyEdit(we));
}

/** Whether a setting is contributed by package.json (writing an unregistered one fails). */
export function isRegistered(section: string): boolean {
  return vscode.workspace.getConfiguration('rampart').inspect(section)?.defaultValue !== undefined;
}
