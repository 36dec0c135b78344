/**
 * `textDocument/codeAction` and `codeAction/resolve`.
 *
 * - Quick fixes: the fixes a finding carries (`finding.fixes`), offered on its diagnostic (matched by rule id
 *   and range), the preferred one marked `isPreferred`.
 * - Refactorings (`refactor.rampart`) at the cursor, with or without a diagnostic: add a mitigation, accept the
 *   risk, add STRIDE stubs, create a missing element (`refactoringsAt`).
 *
 * Edits are computed lazily: an action carries its fix as data (`FixData`: the FixSpec, the document and the
 * version it was offered on) and `codeAction/resolve` turns it into a WorkspaceEdit with the core's
 * `computeFix` on the document's text at that moment (fixes are idempotent and addressed by id, so a document
 * that changed in between still gets the right edit; the edit carries the version it was computed on, so the
 * client refuses it if the document changes again). Clients without resolve support get the edits eagerly.
 */
import {
  CodeActionKind,
  type CancellationToken, type CodeAction, type CodeActionParams, type Diagnostic,
} from 'vscode-languageserver/node';
import { computeFix, type FixOptions } from '../../core/edit/fixes';
import { fixIsNoop, refactoringsAt } from '../../core/lang/outline';
import type { Finding, FixSpec } from '../../core/types';
import { REFACTOR_KIND } from '../capabilities';
import { cancelled, snapshotFor, type ServerContext } from '../context';
import { sameRange, toOffset, toRange, toWorkspaceEdit } from '../convert';
import { fixOptions } from '../fixOptions';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/** What an unresolved action carries. */
export interface FixData {
  uri: string;
  /** The document version the action was offered on. */
  version: number;
  fix: FixSpec;
}

/** Whether a requested `only` list admits `kind` (`refactor` admits `refactor.rampart`). */
const admits = (only: readonly string[] | undefined, kind: string) => !only || only.some(o => kind === o || kind.startsWith(o + '.'));

const ruleIdOf = (d: Diagnostic) => (d.code === undefined ? undefined : String(d.code));

export async function codeActions(ctx: ServerContext, params: CodeActionParams, token: CancellationToken): Promise<CodeAction[] | null> {
  const uri = params.textDocument.uri;
  const snap = await snapshotFor(ctx, uri, token);
  if (!snap) return null;
  const { doc, analysis, version } = snap;
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const opts = ctx.features.codeActionResolveEdit ? {} : await fixOptions(ctx, uri);
  const make = (fix: FixSpec, kind: string, diagnostics?: Diagnostic[]): CodeAction => {
    const action: CodeAction = { title: fix.title, kind };
    if (diagnostics) action.diagnostics = diagnostics;
    if ('preferred' in fix && fix.preferred === true) action.isPreferred = true;
    const data: FixData = { uri, version, fix };
    if (ctx.features.codeActionResolveEdit) action.data = data;
    else resolveEdit(ctx, action, data, opts);
    return action;
  };

  if (admits(only, CodeActionKind.QuickFix)) {
    const seen = new Set<string>();
    for (const d of params.context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      // The diagnostic may be from an older version (debounce): match it to a finding of the current text.
      const f: Finding | undefined = analysis.findings.find(x => x.ruleId === ruleIdOf(d) && sameRange(toRange(doc, x.range), d.range));
      for (const fix of f?.fixes ?? []) {
        const key = JSON.stringify(fix);
        if (seen.has(key) || fixIsNoop(analysis, fix)) continue;
        seen.add(key);
        actions.push(make(fix, CodeActionKind.QuickFix, [d]));
      }
    }
  }
  if (admits(only, REFACTOR_KIND)) {
    for (const fix of refactoringsAt(analysis, toOffset(doc, params.range.start))) actions.push(make(fix, REFACTOR_KIND));
  }
  return actions;
}

function isFixData(v: unknown): v is FixData {
  const d = v as FixData;
  return !!d && typeof d === 'object' && typeof d.uri === 'string' && typeof d.version === 'number' && !!d.fix && typeof d.fix === 'object' && typeof d.fix.kind === 'string';
}

/** Computes the action's edit on the document's current text (no edit when there is nothing left to do). */
function resolveEdit(ctx: ServerContext, action: CodeAction, data: FixData, opts: FixOptions): CodeAction {
  const doc = ctx.documents.get(data.uri);
  if (!doc) return action;
  const edits = computeFix(doc.getText(), data.fix, opts);
  action.edit = toWorkspaceEdit(doc, data.uri, edits, ctx.features.documentChanges ? doc.version : undefined);
  return action;
}

export async function resolveCodeAction(ctx: ServerContext, action: CodeAction, token: CancellationToken): Promise<CodeAction> {
  if (action.edit || !isFixData(action.data)) return action;
  const data = action.data;
  // The data comes back from the client: act on it only for an open model, through the core's fix by id.
  if (!ctx.documents.model(data.uri)) return action;
  const opts = await fixOptions(ctx, data.uri);
  if (token.isCancellationRequested) throw cancelled();
  return resolveEdit(ctx, action, data, opts);
}

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params, token) => codeActions(ctx, params, token));
  ctx.connection.onCodeActionResolve((action, token) => resolveCodeAction(ctx, action, token));
}
