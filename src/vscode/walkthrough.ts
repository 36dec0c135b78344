/**
 * The guided first model (#15): the walkthrough `rampart.firstModel` (package.json `contributes.walkthroughs`,
 * texts in media/walkthrough/) and what ticks its steps off. Besides the `onCommand:` events of its buttons,
 * steps complete on context keys set here: when an open model gets elements, threats, a tolerance with a rated
 * threat, and a treatment (a mitigation, or an accepted or transferred risk), and when a report is exported
 * from the walkthrough. The counts come from the language server (`rampart/modelProgress`); keys only ever turn
 * on (a step once done stays done, as VS Code records it).
 *
 * `rampart.openWalkthrough` opens the walkthrough. Its buttons for commands about one model go through
 * `rampart.walkthroughRun` (internal): the walkthrough has the focus, not the model, so it finds the model (the
 * visible one, the last one edited, or the workspace's) and runs the command on it.
 */
import * as vscode from 'vscode';
import { ModelProgressRequest, type ModelProgress } from '../shared/requests';
import type { RampartServer } from './client';
import { isThreatModel, MODEL_FILE } from './models';

export const WALKTHROUGH_ID = 'rampart.firstModel';
export const OPEN_WALKTHROUGH = 'rampart.openWalkthrough';
/** Internal (not in the palette): runs a model command from a walkthrough button, on the model it finds. */
export const WALKTHROUGH_RUN = 'rampart.walkthroughRun';
/** Internal, in tests only: the keys set so far (`{ reset: true }` clears them first). */
export const WALKTHROUGH_STATE = 'rampart.walkthroughState';

/** The context keys the steps' `completionEvents` wait for (`onContext:<key>`). */
export const WALKTHROUGH_KEYS = {
  hasModel: 'rampart.walkthrough.hasModel',
  hasElements: 'rampart.walkthrough.hasElements',
  hasThreats: 'rampart.walkthrough.hasThreats',
  hasTolerance: 'rampart.walkthrough.hasTolerance',
  hasTreatment: 'rampart.walkthrough.hasTreatment',
  hasReport: 'rampart.walkthrough.hasReport',
} as const;
type Key = keyof typeof WALKTHROUGH_KEYS;

/** The commands a walkthrough button may run through `rampart.walkthroughRun` (each takes the model's URI first). */
const MODEL_COMMANDS = new Set(['rampart.openVisualEditorToSide', 'rampart.addElement', 'rampart.addBoundary', 'rampart.addFlow', 'rampart.addThreat', 'rampart.addMitigation', 'rampart.exportReport']);

/** Which keys a model's progress turns on. */
export function keysFor(p: ModelProgress): Key[] {
  const on: Key[] = ['hasModel'];
  if (p.elements > 0) on.push('hasElements');
  if (p.threats > 0) on.push('hasThreats');
  if (p.tolerance && p.rated > 0) on.push('hasTolerance');
  if (p.treated > 0) on.push('hasTreatment');
  return on;
}

/** Coalesces typing into one request per model. */
const DEBOUNCE_MS = 400;
const MODEL_GLOB = '**/*.threatmodel.{yaml,yml}';

class WalkthroughProgress implements vscode.Disposable {
  readonly set = new Set<Key>();
  /** The model edited or opened last: what a walkthrough button acts on when no model is visible. */
  lastModel: vscode.Uri | undefined;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly server: RampartServer) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument(e => this.schedule(e.document)),
    ];
    vscode.workspace.textDocuments.forEach(d => this.schedule(d));
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isThreatModel(doc)) return;
    this.lastModel = doc.uri;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.update(doc); }, DEBOUNCE_MS));
  }

  private async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed || keysFor({ elements: 1, threats: 1, rated: 1, tolerance: true, treated: 1 }).every(k => this.set.has(k))) return;
    let progress: ModelProgress;
    try {
      progress = await this.server.request(ModelProgressRequest, { text: doc.getText() });
    } catch {
      return; // the server is not running: nothing to tick off
    }
    for (const k of keysFor(progress)) await this.mark(k);
  }

  /** Forgets every key (tests). */
  async reset(): Promise<void> {
    for (const k of this.set) await vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[k], false);
    this.set.clear();
  }

  async mark(k: Key): Promise<void> {
    if (this.set.has(k)) return;
    this.set.add(k);
    await vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[k], true);
  }

  dispose(): void {
    this.timers.forEach(t => clearTimeout(t));
    this.subscriptions.forEach(s => s.dispose());
  }
}

/** The model a walkthrough button is about: a visible one, else the last one opened, else the workspace's. */
async function findModel(progress: WalkthroughProgress): Promise<vscode.Uri | undefined> {
  const visible = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find(e => e && isThreatModel(e.document));
  if (visible) return visible.document.uri;
  const tab = vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.input)
    .find((i): i is vscode.TabInputText | vscode.TabInputCustom => (i instanceof vscode.TabInputText || i instanceof vscode.TabInputCustom) && MODEL_FILE.test(i.uri.path));
  if (tab) return tab.uri;
  if (progress.lastModel) return progress.lastModel;
  const found = await vscode.workspace.findFiles(MODEL_GLOB, '**/node_modules/**', 50);
  if (found.length <= 1) return found[0];
  const pick = await vscode.window.showQuickPick(found.map(uri => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: 'Rampart: which threat model?' });
  return pick?.uri;
}

async function runOnModel(progress: WalkthroughProgress, command: unknown, rest: unknown[]): Promise<unknown> {
  if (typeof command !== 'string' || !MODEL_COMMANDS.has(command)) return undefined;
  const model = await findModel(progress);
  if (!model) {
    const create = 'New Threat Model';
    if (await vscode.window.showInformationMessage('There is no threat model yet: start one first (step 1).', create) === create) {
      await vscode.commands.executeCommand('rampart.newThreatModel');
    }
    return undefined;
  }
  // Show the model beside the walkthrough, so that what the command adds is seen.
  if (command !== 'rampart.exportReport' && command !== 'rampart.openVisualEditorToSide' && !vscode.window.visibleTextEditors.some(e => e.document.uri.toString() === model.toString())) {
    await vscode.window.showTextDocument(model, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
  }
  const result = await vscode.commands.executeCommand(command, model, ...rest);
  if (command === 'rampart.exportReport' && result instanceof vscode.Uri) await progress.mark('hasReport');
  return result;
}

export function registerWalkthrough(context: vscode.ExtensionContext, server: RampartServer): vscode.Disposable[] {
  const progress = new WalkthroughProgress(server);
  const pkg = context.extension.packageJSON as { publisher: string; name: string };
  const disposables = [
    progress,
    vscode.commands.registerCommand(OPEN_WALKTHROUGH, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${pkg.publisher}.${pkg.name}#${WALKTHROUGH_ID}`, false)),
    vscode.commands.registerCommand(WALKTHROUGH_RUN, (command?: unknown, ...rest: unknown[]) => runOnModel(progress, command, rest)),
  ];
  if (context.extensionMode === vscode.ExtensionMode.Test || process.env.RAMPART_TEST) {
    disposables.push(vscode.commands.registerCommand(WALKTHROUGH_STATE, async (options?: { reset?: boolean }) => {
      if (options?.reset) await progress.reset();
      return Object.fromEntries([...progress.set].map(k => [WALKTHROUGH_KEYS[k], true]));
    }));
  }
  return disposables;
}
