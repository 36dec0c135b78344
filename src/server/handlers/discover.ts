/**
 * `rampart/draft` (src/shared/discoverRequests.ts): discovery on the files the client read. A new model is the
 * core's draft; for an existing model, the core's proposals (only what the model lacks) are applied with the
 * edit intents, in the model's own style. The files are untrusted: discovery bounds sizes, aliases, nesting and
 * `$ref` resolution itself, and never fetches a remote reference.
 */
import { discover, draftModel } from '../../core/discover/index';
import { applyProposals, proposeAdditions } from '../../core/discover/drift';
import { DraftRequest, type DraftParams, type DraftResult } from '../../shared/discoverRequests';
import type { ServerContext } from '../context';

const MAX_FILES = 5_000;

export async function draft(params: DraftParams): Promise<DraftResult> {
  const files = (Array.isArray(params?.files) ? params.files : [])
    .filter(f => f && typeof f.path === 'string' && typeof f.text === 'string').slice(0, MAX_FILES);
  const d = await discover(files);
  const counts = { elements: d.elements.length, flows: d.flows.length, boundaries: d.boundaries.length, assets: d.assets.length, files: d.files.length };
  const findings = d.findings.map(f => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.source.file, line: f.source.line }));
  if (typeof params.existing === 'string') {
    const applied = applyProposals(params.existing, proposeAdditions(params.existing, d));
    return { text: applied.text, edits: applied.edits, added: applied.added.length, refused: applied.refused, counts, findings };
  }
  const title = typeof params.title === 'string' && params.title.trim() ? params.title.trim().slice(0, 200) : undefined;
  return { text: draftModel(d, { title }), added: counts.elements + counts.flows + counts.boundaries + counts.assets, refused: [], counts, findings };
}

export function registerDiscover(ctx: ServerContext): void {
  ctx.connection.onRequest(DraftRequest, params => draft(params));
}
