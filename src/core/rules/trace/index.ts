/**
 * The `trace/*` rules: the model against what the code says (#13). They read `settings.trace`, read beforehand
 * by the adapter (annotations, evidence files, git), and find nothing without it.
 */
import type { Rule } from '../types';
import { evidenceLinesOutsideFile } from './evidenceLinesOutsideFile';
import { evidenceSymbolNotFound } from './evidenceSymbolNotFound';
import { staleReview } from './staleReview';

export const TRACE_RULES: readonly Rule[] = [evidenceLinesOutsideFile, evidenceSymbolNotFound, staleReview];
export { UNKNOWN_ANNOTATION_ID, annotationFindings, type AnnotationFinding } from './unknownAnnotationId';
