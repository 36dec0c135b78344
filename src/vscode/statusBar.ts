/**
 * The status bar item for the active model: how many threats are above the risk tolerance (the headline
 * finding), or that all are within it. Clicking it opens the Problems panel. Hidden for other editors. The
 * numbers come from the language server (`rampart/riskSummary`), asked again when the active editor changes
 * and when the model's diagnostics are published.
 */
import * as vscode from 'vscode';
import { RiskSummaryRequest, type RiskSummary } from '../shared/requests';
import type { RampartServer } from './client';
import { isThreatModel } from './models';

/** Delay to coalesce a burst of diagnostics events into one request. */
const UPDATE_DEBOUNCE_MS = 50;
/** Retries while the server does not know the document yet (it was just opened). */
const RETRY_MS = 300;
const MAX_RETRIES = 20;

export class RiskStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('rampart.status', vscode.StatusBarAlignment.Left, 50);
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped per update, so an older answer never overwrites a newer one. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly server: RampartServer) {
    this.item.name = 'Rampart risk';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.languages.onDidChangeDiagnostics(e => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some(u => u.toString() === active)) this.schedule();
      }),
    ];
    this.schedule();
  }

  schedule(retry = 0, delay = UPDATE_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { void this.update(retry); }, delay);
  }

  async update(retry = 0): Promise<void> {
    const g = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isThreatModel(doc)) {
      this.item.hide();
      return;
    }
    let summary: RiskSummary | null;
    try {
      summary = await this.server.request(RiskSummaryRequest, { uri: this.server.uri(doc.uri) });
    } catch {
      return; // cancelled, or the document changed: its next diagnostics bring the next update
    }
    if (g !== this.generation) return;
    if (!summary) {
      if (retry < MAX_RETRIES) this.schedule(retry + 1, RETRY_MS);
      return;
    }
    this.show(summary);
  }

  private show(s: RiskSummary): void {
    const above = s.aboveTolerance;
    this.item.text = above ? `$(shield) ${above} above tolerance` : '$(shield) within tolerance';
    this.item.backgroundColor = above ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.tooltip = `Rampart: ${above === 1 ? '1 threat' : `${above} threats`} above the ${s.tolerance} risk tolerance in this model; ${s.findings} finding(s) in all, ${s.errors} error(s). Click to open the Problems panel.`;
    this.item.accessibilityInformation = { label: `Rampart: ${above} threats above the ${s.tolerance} risk tolerance` };
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach(s => s.dispose());
    this.item.dispose();
  }
}
