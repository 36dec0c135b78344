/** What the evidence rules of the `trace/*` family share: the anchored entries whose files the trace read. */
import type { Path } from '../../types';
import { evidenceAnchor, evidenceFile, type EvidenceAnchor } from '../risk/evidencePaths';
import type { RuleContext } from '../types';

export interface AnchoredEvidence<K extends EvidenceAnchor['kind']> {
  /** The mitigation, and the entry's place in its `evidence:`. */
  id: string;
  index: number;
  path: Path;
  /** The entry as written, its file, its anchor, and the file's text. */
  ev: string;
  file: string;
  anchor: Extract<EvidenceAnchor, { kind: K }>;
  text: string;
}

/** Each evidence entry anchored by `kind` (`#L10-L40`, `#symbol`) whose file the adapter read. */
export function* anchoredEvidence<K extends EvidenceAnchor['kind']>(ctx: RuleContext, kind: K): Generator<AnchoredEvidence<K>> {
  const texts = ctx.settings.trace?.evidence;
  if (!texts) return;
  for (const [id, m] of Object.entries(ctx.model.mitigations ?? {})) {
    for (const [index, ev] of (m.evidence ?? []).entries()) {
      const anchor = evidenceAnchor(ev);
      const file = evidenceFile(ev);
      if (anchor?.kind !== kind || file === undefined) continue;
      const text = texts[file];
      if (typeof text !== 'string') continue;
      yield { id, index, path: ['mitigations', id, 'evidence', index], ev, file, anchor: anchor as Extract<EvidenceAnchor, { kind: K }>, text };
    }
  }
}
