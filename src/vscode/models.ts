/**
 * Which documents are threat models, for the parts of the extension that are not the language client (status
 * bar, commands, visual editor). The language server decides the same way (src/server/documents.ts).
 */
import type * as vscode from 'vscode';

export const LANGUAGE_ID = 'threatmodel';
export const MODEL_FILE = /\.threatmodel\.ya?ml$/i;
/** Views of a file that are not the file itself (diffs, history, output): never analysed. */
export const IGNORED_SCHEMES = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'review', 'pr', 'vscode-notebook-cell-output', 'vscode-chat-code-block']);

export function isThreatModel(doc: vscode.TextDocument): boolean {
  if (IGNORED_SCHEMES.has(doc.uri.scheme)) return false;
  return doc.languageId === LANGUAGE_ID || MODEL_FILE.test(doc.uri.path);
}

/**
 * The documents the language server gets: threat models saved as files or not saved yet. Other schemes (git:,
 * diffs, output, ...) are views of a file, not the file.
 */
export const MODEL_SELECTOR = [
  { scheme: 'file', language: LANGUAGE_ID },
  { scheme: 'untitled', language: LANGUAGE_ID },
  // A model whose language was set to something else (plain YAML) is still a model, as the server decides.
  { scheme: 'file', pattern: '**/*.threatmodel.{yaml,yml}' },
];
