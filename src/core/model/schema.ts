/**
 * The threat-model format v1 as a zod schema: the single source of truth for the types, the validation and
 * the generated JSON Schema (schemas/threatmodel.schema.json, see scripts/gen-schema.ts).
 *
 * Objects are strict (unknown keys are findings), strings and collections are bounded, and every vocabulary
 * is an enum. Field names of DESIGN.md's v1 draft are kept as they are; fields added for the analysis rules
 * are optional and documented in the README ("The format").
 */
import { z } from 'zod';

export * from './vocabulary';
import {
  ID_PATTERN, THREAT_ID_PATTERN, LIMITS, STRIDE, LIKELIHOODS, IMPACTS, LEVELS, ELEMENT_TYPES, TRUST_LEVELS, CLASSIFICATIONS, THREAT_STATUSES, MITIGATION_STATUSES,
  CONTROLS, ELEMENT_KINDS, ASSET_KINDS, CRITICALITIES, CIA_CONFIDENTIALITY, CIA_LEVELS, LINDDUN, METHODS, METHODOLOGIES, PASTA_STAGES, type Likelihood, type Level, type Stride, type Impact, type ElementType, type Trust, type Classification, type ThreatStatus, type MitigationStatus, type Control,
} from './vocabulary';

export const id = z.string().max(LIMITS.id).regex(ID_PATTERN, 'ids are kebab-case: lowercase letters, digits and single dashes');
const threatId = z.string().max(LIMITS.id * 2).regex(THREAT_ID_PATTERN, 'threat ids are kebab-case (a suggested threat may use rule@element)');
const name = z.string().min(1).max(LIMITS.name);
const text = z.string().max(LIMITS.text);
const documentText = z.string().max(LIMITS.document);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.list);
const idMap = <T extends z.ZodType>(value: T, key: z.ZodString = id) =>
  z.record(key, value).refine(m => Object.keys(m).length <= LIMITS.entries, `at most ${LIMITS.entries} entries`);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are written YYYY-MM-DD');
const money = z.number().nonnegative().max(1e15);
/** Where a discovered entry was declared: `deploy/compose.yaml:12` (a path relative to the model file, and a line). */
const source = z.string().min(1).max(LIMITS.name * 2);
/** When the code of an element was last reviewed against the model, and at which commit (`trace/stale-review`). */
const reviewed = z.strictObject({
  date: isoDate,
  commit: z.string().regex(/^[0-9a-f]{7,40}$/i, 'a commit id: 7 to 40 hexadecimal digits').optional(),
  by: name.optional(),
});

export const teamMember = z.strictObject({
  name,
  role: name.optional(),
  email: z.string().max(LIMITS.name).optional(),
});

/**
 * An assumption with the threats and mitigations it bears on (Threat Composer links them); a plain string is an
 * assumption without links.
 */
export const assumption = z.strictObject({
  text: text.min(1),
  threats: list(threatId).optional(),
  mitigations: list(id).optional(),
  tags: list(z.string().max(LIMITS.id)).optional(),
  source_id: name.optional(),
});

/** A named text of the scope: an abuse case or a security requirement (Threagile keeps both by name). */
const namedText = z.strictObject({ name, description: text.optional() });

export const scope = z.strictObject({
  in: list(name).optional(),
  out: list(name).optional(),
  assumptions: list(z.union([text, assumption])).optional(),
  /** How the system is built, in words (Threat Composer's architecture description). */
  architecture: documentText.optional(),
  /** How data moves through it, in words (Threat Composer's dataflow description). */
  dataflow: documentText.optional(),
  /** Ways the system could be abused, as the business sees them (Threagile's abuse cases). */
  abuse_cases: list(namedText).optional(),
  /** Security requirements the system must meet (Threagile's security requirements). */
  requirements: list(namedText).optional(),
  /** Open questions of the modelling, with their answers once known (Threagile's questions). */
  questions: list(z.strictObject({ question: text.min(1), answer: text.optional() })).optional(),
});

/**
 * A CIA rating in Threagile's words, for models that came from Threagile: kept as written so a round trip loses
 * nothing (Rampart's own `classification` and `criticality` are derived from it on import).
 */
export const cia = z.strictObject({
  confidentiality: z.enum(CIA_CONFIDENTIALITY).optional(),
  integrity: z.enum(CIA_LEVELS).optional(),
  availability: z.enum(CIA_LEVELS).optional(),
  justification: text.optional(),
});

/** A 5x5 matrix keyed by likelihood, each row listing the level for the five impacts in order. */
export const riskMatrix = z.strictObject(
  Object.fromEntries(LIKELIHOODS.map(l => [l, z.array(z.enum(LEVELS)).length(5)])) as Record<Likelihood, z.ZodArray<z.ZodEnum<{ [K in Level]: K }>>>,
);

export const policy = z.strictObject({
  tolerance: z.enum(LEVELS).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR or USD').optional(),
  /** Which score sets a threat's level: the likelihood x impact matrix (default) or its CVSS vector. */
  risk_driver: z.enum(['matrix', 'cvss']).optional(),
  matrix: riskMatrix.optional(),
  /** Days before expiry when an acceptance is reported as expiring soon. */
  expiry_warning_days: z.number().int().min(0).max(365).optional(),
  /** The process the model follows: `pasta` adds the seven-stage completeness checklist (`pasta/*`). */
  methodology: z.enum(METHODOLOGIES).optional(),
  /** The threat-elicitation methods whose per-element coverage is checked (default: stride). */
  methods: list(z.enum(METHODS)).optional(),
  /**
   * Team threat libraries besides the `.rampart/` folders found from the model's folder upwards: paths relative to
   * the model (a folder or a file), or npm package names resolved from the model's folder upwards.
   */
  libraries: list(z.string().min(1).max(LIMITS.name)).optional(),
});

/**
 * PASTA (Process for Attack Simulation and Threat Analysis): what its seven stages need that the rest of the model
 * does not already hold. Stage 2 is `scope` and the elements' `technology`, stage 3 the elements, flows and
 * boundaries, stage 4 the threats (and these threat-intelligence sources), stage 5 the vulnerabilities (these
 * sources, `intel/*` findings), stage 6 the attack trees, stage 7 the risk ratings against `policy.tolerance`.
 */
export const pasta = z.strictObject({
  /** Stage 1: the business objectives the system serves, and what failing them costs. */
  objectives: list(text.min(1)).optional(),
  /** Stage 4: where threat intelligence comes from (feeds, reports, incident history). */
  threat_intel: list(text.min(1)).optional(),
  /** Stage 5: where vulnerabilities come from (scanners, SBOM, pen tests, bug bounty). */
  vulnerability_sources: list(text.min(1)).optional(),
  /** Notes per stage, and a stage's explicit sign-off. */
  stages: z.partialRecord(z.enum(PASTA_STAGES), z.strictObject({ notes: text.optional(), done: z.boolean().optional() })).optional(),
  /** Who signed the analysis off, and when (stage 7). */
  sign_off: z.strictObject({ by: name, date: isoDate, role: name.optional() }).optional(),
});

export const asset = z.strictObject({
  name,
  description: text.optional(),
  classification: z.enum(CLASSIFICATIONS),
  value: money.optional(),
  kind: z.enum(ASSET_KINDS).optional(),
  personal: z.boolean().optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  cia: cia.optional(),
  /** Where `rampart discover` found it (`deploy/compose.yaml:12`); `discover/missing-source` checks it. */
  source: source.optional(),
  source_id: name.optional(),
});

export const boundary = z.strictObject({
  name,
  description: text.optional(),
  trust: z.enum(TRUST_LEVELS),
  parent: id.optional(),
  /** false for a boundary run by another organisation (a SaaS vendor, a partner). */
  ours: z.boolean().optional(),
  /** Where `rampart discover` found it (`deploy/compose.yaml:12`); `discover/missing-source` checks it. */
  source: source.optional(),
  source_id: name.optional(),
});

export const element = z.strictObject({
  type: z.enum(ELEMENT_TYPES),
  name,
  description: text.optional(),
  kind: z.enum(ELEMENT_KINDS).optional(),
  boundary: id.optional(),
  /** What it runs, optionally with a version (`nginx 1.20.1`): matched against the threat-intelligence feeds. */
  technology: name.optional(),
  /** The packages it is built from, as package URLs (`pkg:npm/lodash@4.17.20`), for the feeds. */
  components: list(z.string().min(1).max(LIMITS.name).regex(/^pkg:[a-z][a-z0-9.+-]*\//i, 'a package URL: pkg:type/namespace/name@version')).optional(),
  /** A CycloneDX JSON SBOM of it, a path relative to the model file: its components are read for the feeds. */
  sbom: z.string().min(1).max(LIMITS.name).optional(),
  owner: name.optional(),
  code: list(z.string().max(LIMITS.name)).optional(),
  /** Last review of the element's `code:` against the model; `trace/stale-review` reports commits since. */
  reviewed: reviewed.optional(),
  stores: list(id).optional(),
  processes: list(id).optional(),
  encrypted: z.boolean().optional(),
  internet_facing: z.boolean().optional(),
  privileged: z.boolean().optional(),
  admin: z.boolean().optional(),
  redundant: z.boolean().optional(),
  controls: list(z.enum(CONTROLS)).optional(),
  tags: list(z.string().max(LIMITS.id)).optional(),
  cia: cia.optional(),
  /** Outside the model's scope: drawn greyed, and no rule asks threats or controls of it. */
  out_of_scope: z.boolean().optional(),
  /** Where `rampart discover` found it (`deploy/compose.yaml:12`); `discover/missing-source` checks it. */
  source: source.optional(),
  source_id: name.optional(),
});

export const flow = z.strictObject({
  from: id,
  to: id,
  name: name.optional(),
  description: text.optional(),
  protocol: z.string().max(LIMITS.id).optional(),
  data: list(id).optional(),
  /** Assets that come back over the flow (a response), when `data` lists only what is sent. */
  data_received: list(id).optional(),
  encrypted: z.boolean().optional(),
  authenticated: z.boolean().optional(),
  authorized: z.boolean().optional(),
  bidirectional: z.boolean().optional(),
  controls: list(z.enum(CONTROLS)).optional(),
  tags: list(z.string().max(LIMITS.id)).optional(),
  /** Outside the model's scope: drawn greyed, and no rule asks threats or controls of it. */
  out_of_scope: z.boolean().optional(),
  /** Where `rampart discover` found it (`deploy/compose.yaml:12`); `discover/missing-source` checks it. */
  source: source.optional(),
  source_id: name.optional(),
});

/** "A [source] with [prerequisites] can [action], which leads to [impact] on [assets]". */
export const threatStatement = z.strictObject({
  source: text.optional(),
  prerequisites: text.optional(),
  action: text.optional(),
  impact: text.optional(),
  assets: list(id).optional(),
});

export const threat = z.strictObject({
  title: name,
  description: text.optional(),
  statement: threatStatement.optional(),
  stride: list(z.enum(STRIDE)).optional(),
  /** LINDDUN privacy categories, beside or instead of STRIDE. */
  linddun: list(z.enum(LINDDUN)).optional(),
  targets: list(id).optional(),
  likelihood: z.enum(LIKELIHOODS).optional(),
  impact: z.enum(IMPACTS).optional(),
  cvss: z.string().max(300).optional(),
  annual_rate: z.number().nonnegative().max(1e6).optional(),
  exposure: z.number().min(0).max(1).optional(),
  cwe: list(z.string().regex(/^CWE-\d{1,5}$/, 'CWE ids are written CWE-123')).optional(),
  capec: list(z.string().regex(/^CAPEC-\d{1,5}$/, 'CAPEC ids are written CAPEC-123')).optional(),
  status: z.enum(THREAT_STATUSES),
  mitigations: list(id).optional(),
  justification: text.optional(),
  accepted_by: name.optional(),
  expires: isoDate.optional(),
  ticket: z.string().max(LIMITS.name).optional(),
  owner: name.optional(),
  /**
   * A priority set by hand (Threat Composer's): the threat's risk level when it has no likelihood x impact and no
   * CVSS vector.
   */
  priority: z.enum(['low', 'medium', 'high']).optional(),
  tags: list(z.string().max(LIMITS.id)).optional(),
  /** The design rule that suggested this threat (set by the "add suggested threat" fix). */
  rule: z.string().max(LIMITS.id).optional(),
  source_id: name.optional(),
});

export const mitigation = z.strictObject({
  title: name,
  description: text.optional(),
  status: z.enum(MITIGATION_STATUSES),
  evidence: list(z.string().max(LIMITS.text)).optional(),
  owner: name.optional(),
  ticket: z.string().max(LIMITS.name).optional(),
  /** One-off cost to put it in place (in `policy.currency`). */
  cost: money.optional(),
  /** Yearly cost to run it (licences, operations), in `policy.currency`: with annual loss, its return (ROSI). */
  annual_cost: money.optional(),
  tags: list(z.string().max(LIMITS.id)).optional(),
  source_id: name.optional(),
});

export interface AttackNode {
  label?: string;
  leaf?: string;
  threat?: string;
  tree?: string;
  and?: AttackNode[];
  or?: AttackNode[];
  cost?: number;
  probability?: number;
}

const nodeShape = {
  label: name.optional(),
  leaf: name.optional(),
  threat: threatId.optional(),
  tree: id.optional(),
  cost: money.optional(),
  probability: z.number().min(0).max(1).optional(),
};
const nodeKinds = ['leaf', 'threat', 'tree', 'and', 'or'] as const;
const oneKind = (n: Record<string, unknown>) => nodeKinds.filter(k => n[k] !== undefined).length === 1;
const oneKindMessage = 'an attack-tree node has exactly one of leaf, threat, tree, and, or';

export const attackNode: z.ZodType<AttackNode> = z.lazy(() =>
  z.strictObject({
    ...nodeShape,
    and: z.array(attackNode).min(1).max(100).optional(),
    or: z.array(attackNode).min(1).max(100).optional(),
  }).refine(oneKind, oneKindMessage),
);

export const attackTree = z.strictObject({
  goal: name,
  description: text.optional(),
  /** The threat the goal realises; a reachable goal rooted in a high-risk threat is a finding. */
  threat: threatId.optional(),
  and: z.array(attackNode).min(1).max(100).optional(),
  or: z.array(attackNode).min(1).max(100).optional(),
}).refine(t => (t.and === undefined) !== (t.or === undefined), 'an attack tree has either and: or or: under its goal');

export const model = z.strictObject({
  rampart: z.literal(1),
  title: name,
  description: documentText.optional(),
  version: z.string().max(LIMITS.id).optional(),
  team: list(teamMember).optional(),
  scope: scope.optional(),
  policy: policy.optional(),
  pasta: pasta.optional(),
  assets: idMap(asset).optional(),
  boundaries: idMap(boundary).optional(),
  elements: idMap(element).optional(),
  flows: idMap(flow).optional(),
  threats: idMap(threat, threatId).optional(),
  mitigations: idMap(mitigation).optional(),
  attack_trees: idMap(attackTree).optional(),
});

export type Model = z.infer<typeof model>;
export type Asset = z.infer<typeof asset>;
export type Boundary = z.infer<typeof boundary>;
export type Element = z.infer<typeof element>;
export type Flow = z.infer<typeof flow>;
export type Threat = z.infer<typeof threat>;
export type Mitigation = z.infer<typeof mitigation>;
export type AttackTree = z.infer<typeof attackTree>;
export type Policy = z.infer<typeof policy>;
export type RiskMatrix = z.infer<typeof riskMatrix>;

/** The sections that are maps keyed by id, with the schema of one entry. */
export const SECTIONS = {
  assets: asset,
  boundaries: boundary,
  elements: element,
  flows: flow,
  threats: threat,
  mitigations: mitigation,
  attack_trees: attackTree,
} as const;
export type Section = keyof typeof SECTIONS;
export const SECTION_NAMES = Object.keys(SECTIONS) as Section[];
/** Top-level keys in the order a file should have them. */
export const TOP_KEYS = ['rampart', 'title', 'description', 'version', 'team', 'scope', 'policy', 'pasta', ...SECTION_NAMES] as const;
