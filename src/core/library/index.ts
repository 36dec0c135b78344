/**
 * Team threat libraries (#16), the core's side: the format (schema.ts), loading library files' text into a
 * `Library` (load.ts), its rules and catalog applied to a model (apply.ts, through `AnalysisSettings.library`),
 * and the edits that insert a template's component or a catalog threat (template.ts). Pure: the adapters find and
 * read the files (src/node/library.ts).
 */
export type { LibraryFile, LibraryProblem } from './types';
export { loadLibraries, EMPTY_LIBRARY, MAX_LIBRARY_FILES_LOADED, type Library, type LibraryCatalogEntry, type LibraryTemplate, type ResolvedTemplateThreat } from './load';
export { libraryJsonSchema, libraryJsonSchemaText, MAX_LIBRARY_FILE_SIZE, CONDITION_LIMITS } from './schema';
export {
  libraryRules, libraryRuleMeta, libraryRuleMetaById, libraryThreatsFor, libraryEntryFor, libraryThreatStub, libraryThreatId,
  LIBRARY_INVALID_META, LIBRARY_OBSOLETE_META, LIBRARY_UNREADABLE_META,
} from './apply';
export { insertTemplate, addLibraryThreat, type TemplateResult } from './template';
export type { LibraryRuleDef } from './rules';
