/**
 * The format of a team threat library file (#16) as a zod schema: the types, the validation and the generated
 * JSON Schema (schemas/library.schema.json, see scripts/gen-schema.ts) come from it.
 *
 * A library is data and nothing of it is ever executed. Its conditions (`applies_to` of a catalog entry, `when`
 * of a rule) are a small match form: a map of fields that must all hold (equality, one-of, case-insensitive
 * substring lists, controls present or missing, booleans), with `all:`, `any:` and `not:` combinators. No
 * expression language, no regular expression from the file. Depth and size of a condition are bounded
 * (CONDITION_LIMITS, checked by load.ts with a located problem), and evaluating one is linear in the model.
 *
 * Objects are strict (unknown keys are problems), strings and lists are bounded.
 */
import { z } from 'zod';
import {
  ASSET_KINDS, CLASSIFICATIONS, CONTROLS, ELEMENT_KINDS, ELEMENT_TYPES, ID_PATTERN, IMPACTS, LIKELIHOODS, LINDDUN, LIMITS, MITIGATION_STATUSES,
  STRIDE, THREAT_STATUSES, TRUST_LEVELS,
} from '../model/vocabulary';

/** Size of a library file, in bytes, beyond which it is refused unread. */
export const MAX_LIBRARY_FILE_SIZE = 1024 * 1024;
/**
 * A library's name (its namespace) and its entries' ids: together `name/id` stays within a rule id's 64 characters,
 * and a suggested threat's id `name.id@subject` within a threat id's 128.
 */
export const LIBRARY_NAME_MAX = 24;
export const LIBRARY_ENTRY_ID_MAX = 38;
/** Entries per section of one library file. */
export const LIBRARY_MAX_ENTRIES = 1000;
/** Limits of one condition (`when`, `applies_to`): nesting of all/any/not/from/to, and fields and combinators in all. */
export const CONDITION_LIMITS = { depth: 6, nodes: 64, list: 32 } as const;

const kebab = (max: number) => z.string().min(1).max(max).regex(ID_PATTERN, 'ids are kebab-case: lowercase letters, digits and single dashes');
export const libraryName = kebab(LIBRARY_NAME_MAX);
const entryId = kebab(LIBRARY_ENTRY_ID_MAX);
/** An id of this library (`postgres`) or of a library namespace (`acme/postgres`). */
const ref = z.string().min(1).max(LIBRARY_NAME_MAX + 1 + LIBRARY_ENTRY_ID_MAX)
  .regex(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*\/)?[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id of this library (`postgres`) or a namespaced id (`acme/postgres`)');
const name = z.string().min(1).max(LIMITS.name);
const text = z.string().max(LIMITS.text);
const list = <T extends z.ZodType>(item: T, max: number = LIMITS.list) => z.array(item).max(max);
const entries = <T extends z.ZodType>(value: T) =>
  z.record(entryId, value).refine(m => Object.keys(m).length <= LIBRARY_MAX_ENTRIES, `at most ${LIBRARY_MAX_ENTRIES} entries`);
/** One value or a list of values (any of them). */
const oneOrMore = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(CONDITION_LIMITS.list)]);
const word = z.string().min(1).max(100);
const cwe = z.string().regex(/^CWE-\d{1,5}$/, 'CWE ids are written CWE-123');
const capec = z.string().regex(/^CAPEC-\d{1,5}$/, 'CAPEC ids are written CAPEC-123');
const control = z.enum(CONTROLS);

type OneOrMore<T> = T | T[];

/** The match form over an element. Every field given must hold; lists are "any of". */
export interface ElementMatch {
  type?: OneOrMore<(typeof ELEMENT_TYPES)[number]>;
  kind?: OneOrMore<(typeof ELEMENT_KINDS)[number]>;
  /** Case-insensitive substrings of `technology` (any of them). */
  technology?: OneOrMore<string>;
  /** Case-insensitive substrings of `name` (any of them). */
  name?: OneOrMore<string>;
  /** Element ids (any of them). */
  id?: OneOrMore<string>;
  /** Tags (the element has any of them). */
  tags?: OneOrMore<string>;
  /** Controls the element records, all of them. */
  has_controls?: OneOrMore<(typeof CONTROLS)[number]>;
  /** Controls of which the element records at least one not. */
  missing_controls?: OneOrMore<(typeof CONTROLS)[number]>;
  /** Its boundary (or a boundary it is nested in), any of them. */
  boundary?: OneOrMore<string>;
  /** The trust of its boundary (an external entity outside any boundary is untrusted); `none` is no trust known. */
  trust?: OneOrMore<(typeof TRUST_LEVELS)[number] | 'none'>;
  /** The classification of data it holds or handles (declared, or on its flows), any of them. */
  data_classification?: OneOrMore<(typeof CLASSIFICATIONS)[number]>;
  /** The kind of an asset it holds or handles, any of them. */
  data_kind?: OneOrMore<(typeof ASSET_KINDS)[number]>;
  /** It handles personal data (an asset with `personal: true`). */
  personal?: boolean;
  /** `internet_facing: true`, or called from an untrusted or foreign place. */
  exposed?: boolean;
  internet_facing?: boolean;
  encrypted?: boolean;
  privileged?: boolean;
  admin?: boolean;
  redundant?: boolean;
  /** Run by another organisation: kind third-party, or a boundary with `ours: false`. */
  third_party?: boolean;
  all?: ElementMatch[];
  any?: ElementMatch[];
  not?: ElementMatch;
}

/** The match form over a flow. */
export interface FlowMatch {
  /** Case-insensitive substrings of `protocol`. */
  protocol?: OneOrMore<string>;
  name?: OneOrMore<string>;
  id?: OneOrMore<string>;
  tags?: OneOrMore<string>;
  has_controls?: OneOrMore<(typeof CONTROLS)[number]>;
  missing_controls?: OneOrMore<(typeof CONTROLS)[number]>;
  /** Encrypted in transit (`encrypted: true` or an encrypting protocol); `false` also matches "not known". */
  encrypted?: boolean;
  /** The receiver authenticates the sender (`authenticated`, or an authentication/mfa control on the flow or receiver). */
  authenticated?: boolean;
  authorized?: boolean;
  bidirectional?: boolean;
  /** Its ends are in different boundaries. */
  crosses_boundary?: boolean;
  /** The classification of data it carries (either way), any of them. */
  data_classification?: OneOrMore<(typeof CLASSIFICATIONS)[number]>;
  data_kind?: OneOrMore<(typeof ASSET_KINDS)[number]>;
  personal?: boolean;
  /** The sending and the receiving element. */
  from?: ElementMatch;
  to?: ElementMatch;
  all?: FlowMatch[];
  any?: FlowMatch[];
  not?: FlowMatch;
}

const combinatorList = <T>(s: z.ZodType<T>) => z.array(s).min(1).max(CONDITION_LIMITS.list);

export const elementMatch: z.ZodType<ElementMatch> = z.lazy(() => z.strictObject({
  type: oneOrMore(z.enum(ELEMENT_TYPES)).optional(),
  kind: oneOrMore(z.enum(ELEMENT_KINDS)).optional(),
  technology: oneOrMore(word).optional(),
  name: oneOrMore(word).optional(),
  id: oneOrMore(z.string().max(LIMITS.id)).optional(),
  tags: oneOrMore(z.string().max(LIMITS.id)).optional(),
  has_controls: oneOrMore(control).optional(),
  missing_controls: oneOrMore(control).optional(),
  boundary: oneOrMore(z.string().max(LIMITS.id)).optional(),
  trust: oneOrMore(z.enum([...TRUST_LEVELS, 'none'])).optional(),
  data_classification: oneOrMore(z.enum(CLASSIFICATIONS)).optional(),
  data_kind: oneOrMore(z.enum(ASSET_KINDS)).optional(),
  personal: z.boolean().optional(),
  exposed: z.boolean().optional(),
  internet_facing: z.boolean().optional(),
  encrypted: z.boolean().optional(),
  privileged: z.boolean().optional(),
  admin: z.boolean().optional(),
  redundant: z.boolean().optional(),
  third_party: z.boolean().optional(),
  all: combinatorList(elementMatch).optional(),
  any: combinatorList(elementMatch).optional(),
  not: elementMatch.optional(),
}));

export const flowMatch: z.ZodType<FlowMatch> = z.lazy(() => z.strictObject({
  protocol: oneOrMore(word).optional(),
  name: oneOrMore(word).optional(),
  id: oneOrMore(z.string().max(LIMITS.id)).optional(),
  tags: oneOrMore(z.string().max(LIMITS.id)).optional(),
  has_controls: oneOrMore(control).optional(),
  missing_controls: oneOrMore(control).optional(),
  encrypted: z.boolean().optional(),
  authenticated: z.boolean().optional(),
  authorized: z.boolean().optional(),
  bidirectional: z.boolean().optional(),
  crosses_boundary: z.boolean().optional(),
  data_classification: oneOrMore(z.enum(CLASSIFICATIONS)).optional(),
  data_kind: oneOrMore(z.enum(ASSET_KINDS)).optional(),
  personal: z.boolean().optional(),
  from: elementMatch.optional(),
  to: elementMatch.optional(),
  all: combinatorList(flowMatch).optional(),
  any: combinatorList(flowMatch).optional(),
  not: flowMatch.optional(),
}));

/** A condition: over an element or over a flow (the subject of the suggested threat). */
export const condition = z.union([
  z.strictObject({ element: elementMatch }),
  z.strictObject({ flow: flowMatch }),
]);

/** Which elements (or flows) a catalog entry applies to: an element match, or `flow:` with a flow match. */
export const appliesTo = z.union([
  z.strictObject({ element: elementMatch }),
  z.strictObject({ flow: flowMatch }),
]);

/** A threat of the team's catalog. `{name}` in title, description and mitigations is the element's name. */
export const catalogThreat = z.strictObject({
  title: name,
  description: text.optional(),
  stride: list(z.enum(STRIDE), 6).optional(),
  linddun: list(z.enum(LINDDUN), 7).optional(),
  cwe: list(cwe, 20).optional(),
  capec: list(capec, 20).optional(),
  applies_to: appliesTo.optional(),
  likelihood: z.enum(LIKELIHOODS).optional(),
  impact: z.enum(IMPACTS).optional(),
  /** Typical mitigations, as titles. */
  mitigations: list(name, 20).optional(),
});

/** A threat of a template: a catalog entry by id (`pg-sqli`, `acme/pg-sqli`), or written out. */
export const templateThreat = z.union([
  ref,
  z.strictObject({
    /** A catalog entry this threat starts from; the other fields override it. */
    ref: ref.optional(),
    /** The id suffix of the inserted threat (`<element>-<id>`); default: the entry's id, or a number. */
    id: entryId.optional(),
    title: name.optional(),
    description: text.optional(),
    stride: list(z.enum(STRIDE), 6).optional(),
    linddun: list(z.enum(LINDDUN), 7).optional(),
    cwe: list(cwe, 20).optional(),
    capec: list(capec, 20).optional(),
    likelihood: z.enum(LIKELIHOODS).optional(),
    impact: z.enum(IMPACTS).optional(),
    status: z.enum(THREAT_STATUSES).optional(),
    /** Ids of this template's `mitigations:`. */
    mitigations: list(entryId, 20).optional(),
  }).refine(t => t.ref !== undefined || t.title !== undefined, 'a template threat needs `ref:` (a catalog entry) or a `title:`'),
]);

export const templateMitigation = z.strictObject({
  title: name,
  description: text.optional(),
  status: z.enum(MITIGATION_STATUSES).optional(),
});

/** The fields of the element a template inserts (the model's element fields, all optional). */
export const templateElement = z.strictObject({
  type: z.enum(ELEMENT_TYPES).optional(),
  name: name.optional(),
  description: text.optional(),
  kind: z.enum(ELEMENT_KINDS).optional(),
  technology: name.optional(),
  encrypted: z.boolean().optional(),
  internet_facing: z.boolean().optional(),
  privileged: z.boolean().optional(),
  admin: z.boolean().optional(),
  redundant: z.boolean().optional(),
  controls: list(control, CONTROLS.length).optional(),
  tags: list(z.string().max(LIMITS.id), 50).optional(),
  owner: name.optional(),
});

export const template = z.strictObject({
  title: name.optional(),
  description: text.optional(),
  /** A template of this library (or `lib/template`) whose element, threats and mitigations this one starts from. */
  extends: ref.optional(),
  element: templateElement.optional(),
  threats: list(templateThreat, 50).optional(),
  mitigations: z.record(entryId, templateMitigation).refine(m => Object.keys(m).length <= 50, 'at most 50 mitigations').optional(),
});

export const SEVERITY_VALUES = ['error', 'warning', 'info'] as const;

export const libraryRule = z.strictObject({
  title: name,
  severity: z.enum(SEVERITY_VALUES).optional(),
  /** The finding's message; placeholders {id} {name} {type} {kind} {technology} {boundary} {trust} {missing} {data} {from} {to} {protocol}. */
  message: text.min(1),
  /** Why it matters (hover, rule reference, SARIF help). */
  why: text.optional(),
  description: text.optional(),
  advice: text.optional(),
  /** Words that show a hand-written threat on the subject is about this weakness (whole words, case-insensitive). */
  covers: list(word, 20).optional(),
  when: condition,
  threat: z.strictObject({
    title: name,
    description: text.optional(),
    stride: list(z.enum(STRIDE), 6).optional(),
    linddun: list(z.enum(LINDDUN), 7).optional(),
    cwe: list(cwe, 20).optional(),
    capec: list(capec, 20).optional(),
    likelihood: z.enum(LIKELIHOODS).optional(),
    impact: z.enum(IMPACTS).optional(),
  }),
});

export const libraryFile = z.strictObject({
  'rampart-library': z.literal(1),
  name: libraryName,
  description: text.optional(),
  threats: entries(catalogThreat).optional(),
  templates: entries(template).optional(),
  rules: entries(libraryRule).optional(),
});

export type LibraryFileData = z.infer<typeof libraryFile>;
export type CatalogThreatData = z.infer<typeof catalogThreat>;
export type TemplateData = z.infer<typeof template>;
export type TemplateThreatData = z.infer<typeof templateThreat>;
export type TemplateMitigationData = z.infer<typeof templateMitigation>;
export type TemplateElementData = z.infer<typeof templateElement>;
export type LibraryRuleData = z.infer<typeof libraryRule>;
export type Condition = z.infer<typeof condition>;

/** The JSON Schema of a library file, for editors (completion and hover while writing one). */
export function libraryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(libraryFile, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://rampart.dev/schemas/library-1.schema.json',
    title: 'Rampart team threat library (format 1)',
    description: 'A team threat library: threat catalog entries, component templates and custom rules (.rampart/*.yaml). See the Rampart README.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export const libraryJsonSchemaText = () => JSON.stringify(libraryJsonSchema(), null, 2) + '\n';
