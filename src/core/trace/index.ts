/** Code and model kept true to each other (#13): annotations in source comments, evidence, review staleness. */
export { scanAnnotations, mayHoldAnnotations, looksBinary, isScannableName, ANNOTATION_LIMITS, type Annotation, type AnnotationKind } from './annotations';
export { traceNeeds, rebaseAnnotations, annotationsNaming } from './needs';
export type { Trace, TraceNeeds, ReviewChange, ReviewStatus } from './types';
export { ownerDirs, dirOfFile } from './owners';
