/**
 * CodeLens over each threat ("high · open · 1/2 mitigations implemented") and each element and flow
 * ("2 open threats (1 high)"). Informational: the lenses run no command. Refreshed whenever the model's
 * diagnostics are, and switched off with `rampart.codeLens.enabled`.
 */
import * as vscode from 'vscode';
import { lenses } from '../core/lang/outline';
import type { AnalysisStore } from './analyses';
import { toRange } from './convert';
import { readSettings } from './settings';

export class RiskCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly analyses: AnalysisStore) {}

  /** Asks VS Code to fetch the lenses again (after an analysis or a settings change). */
  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSettings(doc.uri).codeLens) return [];
    return lenses(this.analyses.get(doc)).map(l => new vscode.CodeLens(toRange(doc, l.range), { title: l.title, command: '' }));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
