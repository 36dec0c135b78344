/**
 * The properties panel's requests (src/shared/entryRequests.ts), answered from the open model's cached
 * analysis like the rest of the visual editor. Section and id come from the webview (untrusted): the section
 * is checked against the list, the id only looked up; a fix is named by its index in the form of the same
 * version, never sent back as data.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import { entryForm, FORM_SECTIONS } from '../../core/edit/entryForm';
import { computeFix } from '../../core/edit/fixes';
import { cvssLevel, scoreCvss } from '../../core/risk/cvss';
import { CvssScoreRequest, EntryFixRequest, EntryFormRequest, type CvssScoreResult, type EntryFixParams, type EntryFixResult, type EntryFormParams, type EntryFormResult } from '../../shared/entryRequests';
import { snapshotFor, type ServerContext } from '../context';
import { toWorkspaceEdit } from '../convert';
import { fixOptions } from '../fixOptions';

const known = (section: unknown) => (FORM_SECTIONS as readonly unknown[]).includes(section);

export async function entryFormOf(ctx: ServerContext, params: EntryFormParams, token?: CancellationToken): Promise<EntryFormResult> {
  if (!known(params?.section) || typeof params.id !== 'string') return null;
  const snap = await snapshotFor(ctx, params.uri, token);
  if (!snap) return null;
  return { version: snap.version, form: entryForm(snap.analysis, params.section, params.id) };
}

export async function entryFix(ctx: ServerContext, params: EntryFixParams, token?: CancellationToken): Promise<EntryFixResult> {
  const current = ctx.documents.get(params?.uri)?.version ?? -1;
  if (current !== params.version || !known(params.section) || typeof params.id !== 'string') return { version: current, stale: true };
  const snap = await snapshotFor(ctx, params.uri, token);
  if (!snap || snap.version !== params.version) return { version: current, stale: true };
  const action = entryForm(snap.analysis, params.section, params.id)?.actions[params.action];
  if (!action) return { version: snap.version };
  const edits = computeFix(snap.doc.getText(), action.fix, await fixOptions(ctx, params.uri));
  return edits.length ? { version: snap.version, edit: toWorkspaceEdit(snap.doc, params.uri, edits, snap.version) } : { version: snap.version };
}

/** The live score of a vector typed in the panel (bounded like the format's `cvss` field). */
export function cvssScore(vector: unknown): CvssScoreResult {
  if (typeof vector !== 'string' || vector.length > 300) return { vector: '', problem: 'A CVSS vector is a string of at most 300 characters.' };
  const r = scoreCvss(vector.trim());
  return r.ok ? { vector, score: r.baseScore, severity: r.severity, version: r.version, level: cvssLevel(r) } : { vector, problem: r.error };
}

export function registerEntryForm(ctx: ServerContext): void {
  ctx.connection.onRequest(CvssScoreRequest, params => cvssScore(params?.vector));
  ctx.connection.onRequest(EntryFormRequest, (params, token) => entryFormOf(ctx, params, token));
  ctx.connection.onRequest(EntryFixRequest, (params, token) => entryFix(ctx, params, token));
}
