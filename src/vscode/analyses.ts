/**
 * Analyses of threat-model documents, cached by document version: every provider (diagnostics, hovers,
 * completion, CodeLens, ...) asks for the analysis of the version it is looking at, and the core runs once per
 * version and settings generation.
 */
import * as vscode from 'vscode';
import { analyze, type Analysis } from '../core/analyze';
import { readSettings, SECTION, type RampartSettings } from './settings';
import { evidenceSettings } from '../node/evidence';

export const LANGUAGE_ID = 'threatmodel';
const MODEL_FILE = /\.threatmodel\.ya?ml$/i;
/** Views of a file that are not the file itself (diffs, history, output): no diagnostics there. */
const IGNORED_SCHEMES = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'review', 'pr', 'vscode-notebook-cell-output', 'vscode-chat-code-block']);

export function isThreatModel(doc: vscode.TextDocument): boolean {
  if (IGNORED_SCHEMES.has(doc.uri.scheme)) return false;
  return doc.languageId === LANGUAGE_ID || MODEL_FILE.test(doc.uri.path);
}

/** Evidence paths are checked against the file system only for local files, inside the model's repository. */
function evidenceFor(uri: vscode.Uri): Pick<RampartSettings, 'fileExists' | 'modelDirInRepo'> {
  return uri.scheme === 'file' ? evidenceSettings(uri.fsPath) : {};
}

export class AnalysisStore implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; generation: number; analysis: Analysis }>();
  /** Bumped when settings change, so cached analyses made under old settings are not reused. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(SECTION)) this.invalidate(); }),
      vscode.workspace.onDidCloseTextDocument(doc => this.cache.delete(doc.uri.toString())),
    );
  }

  /** Forgets every cached analysis (settings changed). */
  invalidate(): void {
    this.generation++;
  }

  settingsFor(uri: vscode.Uri): RampartSettings {
    return { ...readSettings(uri), ...evidenceFor(uri) };
  }

  /** The analysis of the document's current version. */
  get(doc: vscode.TextDocument): Analysis {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit.analysis;
    const analysis = this.analyzeText(doc.uri, doc.getText());
    this.cache.set(key, { version: doc.version, generation: this.generation, analysis });
    return analysis;
  }

  /** Analyses text that is not (or not necessarily) open, e.g. a model file read from disk. */
  analyzeText(uri: vscode.Uri, text: string): Analysis {
    const t0 = Date.now();
    const analysis = analyze(text, this.settingsFor(uri));
    const ms = Date.now() - t0;
    if (ms > 200) this.log.info(`analysed ${vscode.workspace.asRelativePath(uri)} in ${ms} ms (${text.length} characters)`);
    return analysis;
  }

  dispose(): void {
    this.subscriptions.forEach(s => s.dispose());
    this.cache.clear();
  }
}
