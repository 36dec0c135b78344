/**
 * Metadata of the findings the parser and the schema validation produce (model/parse.ts, model/issues.ts):
 * they are detected while reading the file rather than by a `check`, but they are rules like any other
 * (documented, configurable severity, listed in SARIF).
 */
import type { RuleMeta } from '../types';

const m = (id: string, title: string, description: string, advice: string, severity: RuleMeta['severity'] = 'error'): RuleMeta =>
  ({ id: `schema/${id}`, title, category: 'schema', severity, description, advice });

export const PARSER_RULES: RuleMeta[] = [
  m('yaml-syntax', 'Invalid YAML', 'The file is not valid YAML (bad indentation, tabs, unclosed brackets or quotes...).', 'Fix the syntax at the reported position.'),
  m('duplicate-key', 'Duplicate key', 'A map has the same key twice; in a section that means the same id is defined twice.', 'Rename or merge the entries.'),
  m('file-too-large', 'File over the size limit', 'The file is larger than the size limit checked before parsing (2 MiB by default).', 'Split the model into several files, or raise `rampart.maxFileSize`.'),
  m('too-large', 'Document expands too much', 'The document expands to too many nodes (usually through aliases).', 'Write values out instead of using aliases.'),
  m('nesting-too-deep', 'Nesting too deep', 'Values nest deeper than 64 levels; a threat model never needs this and it may be an attack on the parser.', 'Flatten the value.'),
  m('alias-limit', 'Too many alias expansions', 'More than 100 `*alias` expansions (an "alias bomb" makes a small file huge).', 'Write the values out instead of using aliases.'),
  m('unsupported-tag', 'Unsupported YAML tag', 'Custom tags and tags like `!!binary` are not part of the format.', 'Remove the tag and write a plain value.'),
  m('yaml-version', 'Unsupported YAML version directive', 'Threat models are read as YAML 1.2; a `%YAML 1.1` directive would change how values like `yes`/`no` are read.', 'Remove the directive or make it `%YAML 1.2`.'),
  m('multiple-documents', 'More than one YAML document', 'A threat-model file holds exactly one YAML document.', 'Move the other documents into their own files.'),
  m('empty-file', 'Empty file', 'The file holds no model.', 'Start with `rampart: 1` and a `title:` (or run `rampart init`).'),
  m('not-a-threat-model', 'Not a Rampart threat model', 'The file is not a map with `rampart: 1`, or it is a model of another tool (Threagile, Threat Dragon, OTM).', 'Import other tools\' models with `rampart import --from ...`.'),
  m('missing-version', 'Missing format version', 'The `rampart:` key that declares the format version is missing.', 'Add `rampart: 1` as the first line.'),
  m('unsupported-version', 'Unsupported format version', 'The file declares a format version this Rampart does not read.', 'Use `rampart: 1`, or upgrade Rampart.'),
  m('reserved-key', 'Reserved key', 'Keys such as `__proto__`, `constructor` and `prototype` are refused.', 'Rename the key.'),
  m('invalid-key', 'Invalid key', 'A key is not a plain string (a complex or null key).', 'Use plain string keys.'),
  m('unknown-key', 'Unknown key', 'A key that the format does not define (often a typo).', 'Use the suggested key, or remove it.'),
  m('missing-field', 'Missing required field', 'A required field (such as `type`, `name`, `status`, `title`) is missing.', 'Add the field.'),
  m('invalid-type', 'Wrong type', 'A value has the wrong type (text where a list is expected, ...).', 'Write the value in the expected type.'),
  m('invalid-value', 'Invalid value', 'A value is not one of the allowed words, or out of range.', 'Use one of the allowed values listed in the message.'),
  m('invalid-id', 'Invalid id', 'Ids are kebab-case: lowercase letters, digits and single dashes.', 'Rename the id (rename updates every reference).'),
  m('too-long', 'Value too long', 'A string or list is longer than the format allows.', 'Shorten it.'),
];
