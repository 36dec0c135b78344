/**
 * The edit intents (src/core/edit/intents.ts) as a zod schema: what the `rampart.add*` commands accept from
 * other extensions and tests, and what the language server checks before computing one. Ids must be ids,
 * names non-empty and bounded, enums from the vocabulary; unknown keys are refused. The values `set-fields`
 * writes are only bounded here: which fields an entry has and what they may hold is the model schema's
 * business, checked by `computeIntent` on the result.
 */
import { z } from 'zod';
import { ELEMENT_TYPES, ID_PATTERN, IMPACTS, LIKELIHOODS, LIMITS, MITIGATION_STATUSES, STRIDE, THREAT_ID_PATTERN, THREAT_STATUSES, TRUST_LEVELS } from '../model/vocabulary';
import { SECTION_NAMES } from '../model/schema';
import { RESERVED_KEYS } from '../model/parse';
import type { Intent } from './intents';

const id = z.string().max(LIMITS.id).regex(ID_PATTERN, 'ids are kebab-case');
const threatId = z.string().max(LIMITS.id * 2).regex(THREAT_ID_PATTERN, 'threat ids are kebab-case');
const name = z.string().trim().min(1).max(LIMITS.name);
const text = z.string().max(LIMITS.text);
const section = z.enum(SECTION_NAMES);
/** Any entry's id: threat ids (`rule@element`) are the widest; each section's own pattern is checked when used. */
const entryId = threatId;
/** A field, or one of `statement` (`statement.source`): lowercase words, so no `__proto__` and no deeper paths. */
const fieldKey = z.string().max(LIMITS.id)
  .regex(/^[a-z][a-z_]*(?:\.[a-z][a-z_]*)?$/, 'fields are lowercase words, at most one level deep (`statement.source`)')
  .refine(k => !k.split('.').some(p => RESERVED_KEYS.has(p)), 'reserved words are not fields');
const fieldValue = z.union([text, z.number().finite(), z.boolean(), z.array(text).max(100), z.null()]);
const MAX_FIELDS = 50;

export const intentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('add-element'), type: z.enum(ELEMENT_TYPES), name, boundary: id.optional(), technology: name.optional() }),
  z.strictObject({ kind: z.literal('add-boundary'), name, trust: z.enum(TRUST_LEVELS), parent: id.optional() }),
  z.strictObject({
    kind: z.literal('add-flow'), from: id, to: id, name: name.optional(), protocol: z.string().max(LIMITS.id).optional(), data: z.array(id).max(100).optional(),
    authenticated: z.boolean().optional(), encrypted: z.boolean().optional(), authorized: z.boolean().optional(), bidirectional: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('add-threat'), targets: z.array(id).min(1).max(100), stride: z.array(z.enum(STRIDE)).max(6).optional(), title: name.optional(),
    statement: z.strictObject({ source: text.optional(), prerequisites: text.optional(), action: text.optional(), impact: text.optional(), assets: z.array(id).max(100).optional() }).optional(),
    likelihood: z.enum(LIKELIHOODS).optional(), impact: z.enum(IMPACTS).optional(), status: z.enum(THREAT_STATUSES).optional(),
  }),
  z.strictObject({ kind: z.literal('add-mitigation'), threat: threatId, title: name, status: z.enum(MITIGATION_STATUSES).optional() }),
  z.strictObject({ kind: z.literal('delete-entry'), section, id: entryId, withReferences: z.boolean().optional() }),
  z.strictObject({
    kind: z.literal('set-fields'), section, id: entryId, followName: z.boolean().optional(),
    set: z.record(fieldKey, fieldValue).refine(s => Object.keys(s).length >= 1 && Object.keys(s).length <= MAX_FIELDS, `set 1 to ${MAX_FIELDS} fields`),
  }),
  z.strictObject({ kind: z.literal('rename-id'), section, id: entryId, newId: entryId }),
]);

/** The intent, or the first problem with it in words. */
export function parseIntent(raw: unknown): { intent: Intent } | { problem: string } {
  const r = intentSchema.safeParse(raw);
  if (r.success) return { intent: r.data as Intent };
  const issue = r.error.issues[0];
  return { problem: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
}
