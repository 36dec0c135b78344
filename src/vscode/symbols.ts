/** Document symbols for the Outline, breadcrumbs and "Go to Symbol": sections, then the ids in each. */
import * as vscode from 'vscode';
import { outline, type OutlineSymbol } from '../core/lang/outline';
import type { AnalysisStore } from './analyses';
import { toRange } from './convert';

const KIND: Record<OutlineSymbol['kind'], vscode.SymbolKind> = {
  section: vscode.SymbolKind.Namespace,
  field: vscode.SymbolKind.Property,
  asset: vscode.SymbolKind.Constant,
  boundary: vscode.SymbolKind.Package,
  element: vscode.SymbolKind.Class,
  flow: vscode.SymbolKind.Event,
  threat: vscode.SymbolKind.Object,
  mitigation: vscode.SymbolKind.Struct,
  attack_tree: vscode.SymbolKind.Module,
};

export class ModelSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly analyses: AnalysisStore) {}

  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    const convert = (s: OutlineSymbol): vscode.DocumentSymbol => {
      const sym = new vscode.DocumentSymbol(s.name, s.detail, KIND[s.kind], toRange(doc, s.range), toRange(doc, s.selectionRange));
      sym.children = s.children.map(convert);
      return sym;
    };
    return outline(this.analyses.get(doc)).map(convert);
  }
}
