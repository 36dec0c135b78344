/**
 * `textDocument/documentLink`: each mitigation's `evidence:` entries become links. A repository path (relative to
 * the model file, read by the core's `evidenceFile` as the evidence rules read it) links to the file, keeping a
 * `#L40` / `#L40-L72` line fragment; an `http(s)` URL links to itself. Other schemes (`command:`,
 * `javascript:`, ...), prose, and paths that leave the model's repository (`insideRepository`) are never links;
 * a path is linked only when the file index has seen it (not when it is missing, which its diagnostic says, nor
 * when the index cannot tell: below a symbolic link, outside every workspace folder).
 */
import path from 'node:path';
import type { CancellationToken, DocumentLink, DocumentLinkParams } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { innerRange } from '../../core/lang/navigation';
import { evidenceAnchor, evidenceFile, insideRepository, symbolLine } from '../../core/rules/risk/evidencePaths';
import type { Analysis } from '../../core/analyze';
import type { Range } from '../../core/types';
import { snapshotFor, type ServerContext } from '../context';
import { toRange } from '../convert';
import { uriToPath } from '../fileIndex';

export interface EvidenceRef {
  /** The evidence text's characters (inside quotes). */
  range: Range;
  /** `url` for http(s) links, `path` for repository paths. */
  kind: 'url' | 'path';
  /** The URL, or the path without its fragment. */
  target: string;
  /** A line fragment (`L40`, `L40-L72`), for paths. */
  lines?: string;
}

const LINE_FRAGMENT = /^L\d+(?:-L?\d+)?$/;

/** The evidence entries of the model that can be links, with their ranges. */
export function evidenceRefs(analysis: Analysis): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  const { model, source, text } = analysis.parsed;
  for (const [id, m] of Object.entries(model.mitigations ?? {})) {
    for (const [i, ev] of (m.evidence ?? []).entries()) {
      const r = source.valueRange(['mitigations', id, 'evidence', i]);
      if (!r) continue;
      const range = innerRange(text, r);
      if (/^https?:\/\/\S+$/i.test(ev)) {
        out.push({ range, kind: 'url', target: ev });
        continue;
      }
      const file = evidenceFile(ev);
      if (file === undefined) continue; // another scheme, prose or a glob
      const hash = ev.indexOf('#');
      const fragment = hash < 0 ? '' : ev.slice(hash + 1);
      out.push({ range, kind: 'path', target: file, ...(LINE_FRAGMENT.test(fragment) ? { lines: fragment } : {}) });
    }
  }
  return out;
}

export async function documentLinks(ctx: ServerContext, params: DocumentLinkParams, token: CancellationToken): Promise<DocumentLink[] | null> {
  const snap = await snapshotFor(ctx, params.textDocument.uri, token);
  if (!snap) return null;
  const modelFile = uriToPath(snap.uri);
  const evidence = modelFile ? await ctx.files.evidenceFor(modelFile) : undefined;
  const links: DocumentLink[] = [];
  for (const ref of evidenceRefs(snap.analysis)) {
    let target: string;
    if (ref.kind === 'url') {
      target = ref.target;
    } else {
      if (!modelFile || !evidence) continue; // relative to what?
      if (!insideRepository(ref.target, evidence.modelDirInRepo ?? '')) continue;
      if (evidence.fileExists?.(ref.target) !== true) continue; // only what the index has seen, inside the repository
      // `path#symbol`: the line where the symbol is, when the trace has read the file
      const text = ref.lines ? undefined : snap.trace?.evidence?.[ref.target];
      const anchor = typeof text === 'string' ? evidenceAnchor(snap.analysis.parsed.text.slice(ref.range.start, ref.range.end)) : undefined;
      const line = anchor?.kind === 'symbol' ? symbolLine(text as string, anchor.name) : undefined;
      target = URI.file(path.resolve(path.dirname(modelFile), ref.target)).with({ fragment: ref.lines ?? (line ? `L${line}` : '') }).toString();
    }
    const link: DocumentLink = { range: toRange(snap.doc, ref.range), target };
    if (ctx.features.linkTooltip) link.tooltip = ref.kind === 'url' ? `Open ${ref.target}` : `Open evidence ${ref.target}`;
    links.push(link);
  }
  return links;
}

export function registerLinks(ctx: ServerContext): void {
  ctx.connection.onDocumentLinks((params, token) => documentLinks(ctx, params, token));
}
