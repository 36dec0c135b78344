/**
 * Hovers over ids, enum values and findings. The text comes from the core (`hoverAt`), which escapes every
 * string from the file; it is shown as untrusted Markdown: no command links, no HTML, no theme icons.
 */
import * as vscode from 'vscode';
import { hoverAt } from '../core/lang/hover';
import type { AnalysisStore } from './analyses';
import { toRange } from './convert';

export class ModelHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analyses: AnalysisStore) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const h = hoverAt(this.analyses.get(doc), doc.offsetAt(position));
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.markdown, false);
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, toRange(doc, h.range));
  }
}
