/**
 * Ids across a file: go to definition (from a reference to the entry's key), find all references (the key and
 * every reference), and rename (validated kebab-case; updates the key and every reference, leaves comments and
 * quotes alone). The logic is the core's (`core/lang/navigation.ts`).
 */
import * as vscode from 'vscode';
import { definitionAt, idAt, occurrences, prepareRenameAt, renameAt } from '../core/lang/navigation';
import type { AnalysisStore } from './analyses';
import { toRange, toWorkspaceEdit } from './convert';

export class ModelDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly analyses: AnalysisStore) {}

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const def = definitionAt(this.analyses.get(doc), doc.offsetAt(position));
    return def && new vscode.Location(doc.uri, toRange(doc, def.range));
  }
}

export class ModelReferenceProvider implements vscode.ReferenceProvider {
  constructor(private readonly analyses: AnalysisStore) {}

  provideReferences(doc: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] {
    const analysis = this.analyses.get(doc);
    const at = idAt(analysis, doc.offsetAt(position));
    if (!at) return [];
    return occurrences(analysis, at.kind, at.id)
      .filter(o => context.includeDeclaration || !o.isDefinition)
      .map(o => new vscode.Location(doc.uri, toRange(doc, o.range)));
  }
}

export class ModelRenameProvider implements vscode.RenameProvider {
  constructor(private readonly analyses: AnalysisStore) {}

  prepareRename(doc: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    const r = prepareRenameAt(this.analyses.get(doc), doc.offsetAt(position));
    if ('error' in r) throw new Error(r.error);
    return { range: toRange(doc, r.range), placeholder: r.id };
  }

  provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const r = renameAt(this.analyses.get(doc), doc.offsetAt(position), newName.trim());
    if ('error' in r) throw new Error(r.error);
    return toWorkspaceEdit(doc, r.edits);
  }
}
