/**
 * Code actions, one provider per concern:
 * - `FindingQuickFixProvider`: the fixes a finding carries (`finding.fixes`), offered on its diagnostic, the
 *   preferred one marked `isPreferred` (so "Auto Fix" and Ctrl+. pick it);
 * - `ModelRefactorProvider`: refactorings at the cursor, with or without a diagnostic ("Add a mitigation for
 *   this threat", "Accept the risk…", "Add STRIDE threat stubs", "Create the missing element").
 * Both turn a fix (data) into text edits with the core's `computeFix` (comment-preserving, idempotent) only when
 * the action is chosen (`resolveCodeAction`), on the document's text at that moment.
 */
import * as vscode from 'vscode';
import { computeFix } from '../core/edit/fixes';
import { fixIsNoop, refactoringsAt } from '../core/lang/outline';
import type { Finding, FixSpec } from '../core/types';
import type { AnalysisStore } from './analyses';
import { toRange, toWorkspaceEdit } from './convert';
import { DIAGNOSTIC_SOURCE, ruleIdOf } from './diagnostics';
import { readSettings } from './settings';

/** A code action that carries its fix as data until it is resolved. */
class FixAction extends vscode.CodeAction {
  constructor(readonly document: vscode.TextDocument, readonly fix: FixSpec, kind: vscode.CodeActionKind) {
    super(fix.title, kind);
  }
}

/** Computes the edit of a fix on the document's current text (the fix is idempotent: nothing to do gives no edit). */
function resolveFix(action: vscode.CodeAction): vscode.CodeAction {
  if (!(action instanceof FixAction) || action.edit) return action;
  const doc = action.document;
  const edits = computeFix(doc.getText(), action.fix, { now: new Date(), acceptanceDays: readSettings(doc.uri).acceptanceDays });
  action.edit = toWorkspaceEdit(doc, edits);
  return action;
}

const sameRange = (a: vscode.Range, b: vscode.Range) => a.start.isEqual(b.start) && a.end.isEqual(b.end);

/** The quick fixes a finding carries, on its diagnostic. */
export class FindingQuickFixProvider implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analyses: AnalysisStore) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const ours = context.diagnostics.filter(d => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    const analysis = this.analyses.get(doc);
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const d of ours) {
      // The diagnostic may be from an older version (debounce): match it to a finding of the current text.
      const f: Finding | undefined = analysis.findings.find(x => x.ruleId === ruleIdOf(d) && sameRange(toRange(doc, x.range), d.range));
      for (const fix of f?.fixes ?? []) {
        const key = JSON.stringify(fix);
        if (seen.has(key) || fixIsNoop(analysis, fix)) continue;
        seen.add(key);
        const a = new FixAction(doc, fix, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = 'preferred' in fix && fix.preferred === true;
        actions.push(a);
      }
    }
    return actions;
  }

  resolveCodeAction(action: vscode.CodeAction): vscode.CodeAction {
    return resolveFix(action);
  }
}

/** Refactorings at the cursor that need no diagnostic. */
export class ModelRefactorProvider implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly kind = vscode.CodeActionKind.Refactor.append('rampart');
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [ModelRefactorProvider.kind] };

  constructor(private readonly analyses: AnalysisStore) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(ModelRefactorProvider.kind) && !ModelRefactorProvider.kind.contains(context.only)) return [];
    const analysis = this.analyses.get(doc);
    return refactoringsAt(analysis, doc.offsetAt(range.start)).map(fix => new FixAction(doc, fix, ModelRefactorProvider.kind));
  }

  resolveCodeAction(action: vscode.CodeAction): vscode.CodeAction {
    return resolveFix(action);
  }
}
