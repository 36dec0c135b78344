/**
 * Ids across a file: `textDocument/definition` (from a reference to the entry's key), `textDocument/references`
 * (the key and every reference), `textDocument/prepareRename` and `textDocument/rename` (validated kebab-case;
 * the key and every reference change, comments and quotes stay). The logic is the core's
 * (`core/lang/navigation.ts`); a rename the core refuses is answered with its reason as the error message.
 */
import { annotationEdits, annotationLocations } from './trace';
import {
  LSPErrorCodes, ResponseError,
  type CancellationToken, type DefinitionParams, type Location, type PrepareRenameParams, type Range,
  type ReferenceParams, type RenameParams, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { definitionAt, idAt, occurrences, prepareRenameAt, renameAt } from '../../core/lang/navigation';
import { snapshotFor, type ServerContext } from '../context';
import { toOffset, toRange, toWorkspaceEdit } from '../convert';

export async function definition(ctx: ServerContext, params: DefinitionParams, token: CancellationToken): Promise<Location | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const def = definitionAt(snap.analysis, toOffset(snap.doc, params.position));
  return def ? { uri: snap.uri, range: toRange(snap.doc, def.range) } : null;
}

export async function references(ctx: ServerContext, params: ReferenceParams, token: CancellationToken): Promise<Location[] | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const at = idAt(snap.analysis, toOffset(snap.doc, params.position));
  if (!at) return [];
  const inModel = occurrences(snap.analysis, at.kind, at.id)
    .filter(o => params.context.includeDeclaration || !o.isDefinition)
    .map(o => ({ uri: snap.uri, range: toRange(snap.doc, o.range) }));
  // and where the code names it (`@mitigates token-replay`, `with short-tokens`, `@model api`)
  return ['threat', 'mitigation', 'element'].includes(at.kind) ? [...inModel, ...await annotationLocations(ctx, snap.uri, at.id)] : inModel;
}

export async function prepareRename(ctx: ServerContext, params: PrepareRenameParams, token: CancellationToken): Promise<{ range: Range; placeholder: string } | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const r = prepareRenameAt(snap.analysis, toOffset(snap.doc, params.position));
  if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
  return { range: toRange(snap.doc, r.range), placeholder: r.id };
}

export async function rename(ctx: ServerContext, params: RenameParams, token: CancellationToken): Promise<WorkspaceEdit | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const offset = toOffset(snap.doc, params.position);
  const newName = params.newName.trim();
  const r = renameAt(snap.analysis, offset, newName);
  if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
  const edit = toWorkspaceEdit(snap.doc, snap.uri, r.edits, ctx.features.documentChanges ? snap.version : undefined);
  // The annotations in the code that name the id follow it (`@mitigates token-replay` -> the new id).
  const at = idAt(snap.analysis, offset);
  const inCode = at && ['threat', 'mitigation', 'element'].includes(at.kind) ? await annotationEdits(ctx, snap.uri, at.id, newName) : [];
  for (const { uri, edits } of inCode) {
    if (edit.documentChanges) edit.documentChanges.push({ textDocument: { uri, version: null }, edits });
    else edit.changes![uri] = edits;
  }
  return edit;
}

export function registerNavigation(ctx: ServerContext): void {
  ctx.connection.onDefinition((params, token) => definition(ctx, params, token));
  ctx.connection.onReferences((params, token) => references(ctx, params, token));
  ctx.connection.onPrepareRename((params, token) => prepareRename(ctx, params, token));
  ctx.connection.onRenameRequest((params, token) => rename(ctx, params, token));
}
