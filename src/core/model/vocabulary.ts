/**
 * The vocabulary of the format v1 (enums, id patterns, limits), without zod: the schema (schema.ts) is built
 * from it, and the VS Code extension and the webview use it without bundling the schema library.
 */

/** The default cap on a model file's size in bytes (`rampart.maxFileSize`, `--max-file-size`). */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export const STRIDE = ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'] as const;
export const LIKELIHOODS = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'] as const;
export const IMPACTS = ['negligible', 'minor', 'moderate', 'major', 'severe'] as const;
export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const ELEMENT_TYPES = ['external', 'process', 'store'] as const;
export const TRUST_LEVELS = ['untrusted', 'partial', 'trusted'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const THREAT_STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'not-applicable'] as const;
export const MITIGATION_STATUSES = ['proposed', 'planned', 'in-progress', 'implemented', 'verified'] as const;
/** Security controls an element or flow declares; design rules look for them. */
export const CONTROLS = [
  'authentication', 'authorization', 'input-validation', 'rate-limiting', 'logging', 'audit-logging',
  'mfa', 'waf', 'encryption-at-rest', 'backup', 'monitoring', 'secrets-management', 'output-encoding',
] as const;
/** What an element is, more precisely than its type; design rules use it. */
export const ELEMENT_KINDS = [
  'human', 'browser', 'mobile-app', 'web-app', 'api', 'service', 'worker', 'function', 'gateway',
  'load-balancer', 'admin-console', 'database', 'cache', 'queue', 'file-store', 'vault', 'log-store',
  'third-party', 'device', 'other',
] as const;
export const ASSET_KINDS = ['data', 'credentials', 'secret', 'key', 'service', 'other'] as const;
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
/** LINDDUN privacy threat categories (threat `linddun:`). */
export const LINDDUN = ['linking', 'identifying', 'non-repudiation', 'detecting', 'data-disclosure', 'unawareness', 'non-compliance'] as const;
/** Threat-elicitation methods a model asks coverage of (`policy.methods`). */
export const METHODS = ['stride', 'linddun'] as const;
/** The process a model follows (`policy.methodology`): PASTA adds its seven-stage checklist. */
export const METHODOLOGIES = ['stride', 'pasta'] as const;
/** PASTA's seven stages, in order (`pasta.stages` keys). */
export const PASTA_STAGES = [
  'business-objectives', 'technical-scope', 'application-decomposition', 'threat-analysis',
  'vulnerability-analysis', 'attack-modelling', 'risk-and-impact-analysis',
] as const;
/** Threagile's confidentiality ratings, lowest first (`cia.confidentiality`). */
export const CIA_CONFIDENTIALITY = ['public', 'internal', 'restricted', 'confidential', 'strictly-confidential'] as const;
/** Threagile's integrity and availability ratings, lowest first (`cia.integrity`, `cia.availability`). */
export const CIA_LEVELS = ['archive', 'operational', 'important', 'critical', 'mission-critical'] as const;

export type Stride = (typeof STRIDE)[number];
export type Likelihood = (typeof LIKELIHOODS)[number];
export type Impact = (typeof IMPACTS)[number];
export type Level = (typeof LEVELS)[number];
export type ElementType = (typeof ELEMENT_TYPES)[number];
export type Trust = (typeof TRUST_LEVELS)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];
export type ThreatStatus = (typeof THREAT_STATUSES)[number];
export type MitigationStatus = (typeof MITIGATION_STATUSES)[number];
export type Control = (typeof CONTROLS)[number];
export type Linddun = (typeof LINDDUN)[number];
export type PastaStage = (typeof PASTA_STAGES)[number];

export const LIMITS = {
  id: 64,
  name: 200,
  text: 5000,
  /** The model's own description and the scope's architecture and data-flow texts: documents in their own right. */
  document: 50_000,
  list: 500,
  entries: 5000,
} as const;

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Ids of suggested threats may carry the rule id and the element: `design-unencrypted-flow@checkout`. */
export const THREAT_ID_PATTERN = /^[a-z0-9]+(?:[-.@][a-z0-9]+)*$/;

