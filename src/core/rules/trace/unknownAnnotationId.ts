/**
 * `trace/unknown-annotation-id`: an annotation in source code (`@mitigates`, `@threat`, `@accepts`, `@model`)
 * naming an id that no model of the repository has (or has in another section). Located in the source file,
 * not in a model, so it is not a model rule: `annotationFindings` is called by the adapters with every model
 * they know of, and `UNKNOWN_ANNOTATION_ID` documents it like every rule.
 */
import type { Model } from '../../model/schema';
import type { Severity } from '../../types';
import type { Annotation } from '../../trace/annotations';
import type { RuleMeta } from '../types';
import { quote } from '../helpers';

export const UNKNOWN_ANNOTATION_ID: RuleMeta = {
  id: 'trace/unknown-annotation-id',
  title: 'Annotation names an unknown id',
  category: 'trace',
  severity: 'warning',
  description: 'A source-code annotation names an id that no threat model of the repository has: `@mitigates`, `@threat` and `@accepts` name a threat (and `with` a mitigation), `@model` an element. Reported in the source file; the ids may have been renamed in the model, or mistyped.',
  advice: 'Use the id the model has (completion offers them inside annotations, and *Rename Symbol* on a model id updates the annotations), or add the threat, mitigation or element to the model.',
};

export interface AnnotationFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  annotation: Annotation;
  /** Which id is unknown: the annotation's own, or its `with`. */
  part: 'id' | 'with';
}

const SECTION_WORD: Record<string, string> = { threats: 'a threat', mitigations: 'a mitigation', elements: 'an element', flows: 'a flow', boundaries: 'a boundary', assets: 'an asset' };

/** Where each id of the models is defined (first section wins). */
function sectionsOf(models: readonly Model[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of models) {
    for (const section of Object.keys(SECTION_WORD)) {
      for (const id of Object.keys((m as Record<string, unknown>)[section] as Record<string, unknown> ?? {})) {
        let s = out.get(id);
        if (!s) out.set(id, (s = new Set()));
        s.add(section);
      }
    }
  }
  return out;
}

/** The findings about annotations whose ids the models lack; none without any model (nothing to tell by). */
export function annotationFindings(annotations: readonly Annotation[], models: readonly Model[], severity: Severity = UNKNOWN_ANNOTATION_ID.severity): AnnotationFinding[] {
  if (!models.length) return [];
  const where = sectionsOf(models);
  const out: AnnotationFinding[] = [];
  const check = (a: Annotation, id: string, section: string, part: 'id' | 'with') => {
    const has = where.get(id);
    if (has?.has(section)) return;
    const tag = `@${a.kind}${part === 'with' ? ' … with' : ''}`;
    const elsewhere = has ? ` (it is ${SECTION_WORD[[...has][0]]})` : '';
    out.push({
      ruleId: UNKNOWN_ANNOTATION_ID.id, severity, annotation: a, part,
      message: `${tag} names ${quote(id)}, which is not ${SECTION_WORD[section]} of the threat model${elsewhere}: use the model's id, or add it to the model.`,
    });
  };
  for (const a of annotations) {
    check(a, a.id, a.kind === 'model' ? 'elements' : 'threats', 'id');
    if (a.with !== undefined) check(a, a.with, 'mitigations', 'with');
  }
  return out;
}
