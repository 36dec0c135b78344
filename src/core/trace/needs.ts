/**
 * What an adapter reads for a model before analysing it with its trace, and how a repository-wide reading is
 * seen from one model's folder. Pure: the adapters walk, read and ask git.
 */
import type { Model } from '../model/schema';
import { evidenceFile, insideRepository } from '../rules/risk/evidencePaths';
import type { Annotation } from './annotations';
import type { TraceNeeds } from './types';

const COMMIT = /^[0-9a-f]{7,40}$/i;

/**
 * The evidence files to read (as written, inside the repository: `modelDirInRepo` as for the evidence rules)
 * and the reviews to ask git about (elements with `reviewed.commit` and `code:`).
 */
export function traceNeeds(model: Model, modelDirInRepo = ''): TraceNeeds {
  const files = new Set<string>();
  for (const m of Object.values(model.mitigations ?? {})) {
    for (const ev of m.evidence ?? []) {
      const f = evidenceFile(ev);
      if (f !== undefined && insideRepository(f, modelDirInRepo)) files.add(f);
    }
  }
  const reviews: TraceNeeds['reviews'] = [];
  for (const [element, e] of Object.entries(model.elements ?? {})) {
    const commit = e.reviewed?.commit;
    const code = (e.code ?? []).filter(g => insideRepository(g, modelDirInRepo));
    if (commit && COMMIT.test(commit) && code.length) reviews.push({ element, commit, code });
  }
  return { evidenceFiles: [...files].sort(), reviews };
}

/** Annotations with `file` mapped (from the repository root to the model's folder, say). */
export function rebaseAnnotations(annotations: readonly Annotation[], map: (file: string) => string): Annotation[] {
  const cache = new Map<string, string>();
  return annotations.map(a => {
    let f = cache.get(a.file);
    if (f === undefined) cache.set(a.file, (f = map(a.file)));
    return f === a.file ? a : { ...a, file: f };
  });
}

/** The annotations that name an id (threat, mitigation or element), for CodeLens, references and reports. */
export function annotationsNaming(annotations: readonly Annotation[], id: string): { mitigates: Annotation[]; threat: Annotation[]; accepts: Annotation[]; model: Annotation[]; with: Annotation[] } {
  const out = { mitigates: [] as Annotation[], threat: [] as Annotation[], accepts: [] as Annotation[], model: [] as Annotation[], with: [] as Annotation[] };
  for (const a of annotations) {
    if (a.id === id) out[a.kind].push(a);
    if (a.with === id) out.with.push(a);
  }
  return out;
}
