/**
 * The status bar item for the active model: how many threats are above the risk tolerance (the headline
 * finding), or that all are within it. Clicking it opens the Problems panel. Hidden for other editors.
 */
import * as vscode from 'vscode';
import type { AnalysisStore } from './analyses';
import { isThreatModel } from './analyses';

export const HEADLINE_RULE = 'risk/unmitigated-above-tolerance';

export class RiskStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('rampart.status', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly analyses: AnalysisStore) {
    this.item.name = 'Rampart risk';
    this.item.command = 'workbench.actions.view.problems';
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isThreatModel(doc)) {
      this.item.hide();
      return;
    }
    const analysis = this.analyses.get(doc);
    const above = analysis.findings.filter(f => f.ruleId === HEADLINE_RULE).length;
    const errors = analysis.findings.filter(f => f.severity === 'error').length;
    const all = analysis.findings.length;
    this.item.text = above ? `$(shield) ${above} above tolerance` : '$(shield) within tolerance';
    this.item.backgroundColor = above ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.tooltip = `Rampart: ${above === 1 ? '1 threat' : `${above} threats`} above the ${analysis.tolerance} risk tolerance in this model; ${all} finding(s) in all, ${errors} error(s). Click to open the Problems panel.`;
    this.item.accessibilityInformation = { label: `Rampart: ${above} threats above the ${analysis.tolerance} risk tolerance` };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
