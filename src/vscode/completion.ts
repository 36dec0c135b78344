/**
 * Completion: ids wherever a reference is expected, enum values, the keys allowed where the cursor is, and
 * snippets for new threats, mitigations, elements, flows, boundaries and assets. The candidates come from the
 * core (`completionsAt`, which finds the cursor's YAML path by parsing the text being typed); this adapter only
 * builds `CompletionItem`s.
 */
import * as vscode from 'vscode';
import { completionsAt, type CompletionCandidate } from '../core/lang/completions';
import { indentUnit } from '../core/edit/yamlEdit';
import type { IdKind } from '../core/model/index';
import type { AnalysisStore } from './analyses';
import { toRange } from './convert';

export const COMPLETION_TRIGGERS = [' ', '[', ','];

const ID_KIND: Record<IdKind, vscode.CompletionItemKind> = {
  element: vscode.CompletionItemKind.Class,
  flow: vscode.CompletionItemKind.Event,
  boundary: vscode.CompletionItemKind.Module,
  asset: vscode.CompletionItemKind.Constant,
  threat: vscode.CompletionItemKind.Issue,
  mitigation: vscode.CompletionItemKind.Struct,
  attack_tree: vscode.CompletionItemKind.Reference,
};

function itemKind(c: CompletionCandidate): vscode.CompletionItemKind {
  switch (c.kind) {
    case 'id': return ID_KIND[c.idKind ?? 'element'];
    case 'enum': return vscode.CompletionItemKind.EnumMember;
    case 'key': return vscode.CompletionItemKind.Property;
    case 'snippet': return vscode.CompletionItemKind.Snippet;
    default: return vscode.CompletionItemKind.Value;
  }
}

export class ModelCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly analyses: AnalysisStore) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, _token: vscode.CancellationToken, context: vscode.CompletionContext): vscode.CompletionItem[] | undefined {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    // A space typed inside prose (a title, a description) is no reason to parse anything.
    if (context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === ' ' && !/[:,[{-]\s$/.test(text.slice(Math.max(0, offset - 2), offset))) return undefined;
    const analysis = this.analyses.get(doc);
    // A file over rampart.maxFileSize is not parsed for analysis; completion does not parse it either.
    if (!analysis.parsed.doc && analysis.findings.some(f => f.ruleId === 'schema/file-too-large')) return undefined;
    const indent = analysis.parsed.doc ? indentUnit(analysis.parsed.doc, text) : 2;
    const result = completionsAt(text, offset, analysis, { indent });
    if (!result) return undefined;
    const range = { inserting: toRange(doc, result.insert), replacing: toRange(doc, result.replace) };
    return result.items.map(c => {
      const item = new vscode.CompletionItem(c.label, itemKind(c));
      item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
      item.range = range;
      if (c.detail) item.detail = c.detail;
      if (c.documentation) item.documentation = c.documentation; // plain text, never Markdown
      if (c.sortText) item.sortText = c.sortText;
      if (c.insertText.startsWith(' ') || c.insertText.startsWith('- ')) item.filterText = c.label;
      return item;
    });
  }
}
