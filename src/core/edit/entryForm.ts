/**
 * The properties panel of the visual editor (#11): what to show for one entry (an element, flow, boundary,
 * asset, threat or mitigation), built from the format's zod schema so a field added to the schema shows up
 * without touching the panel. Enums become selects, booleans three-way choices (unset is not "no": an
 * unstated `encrypted` is unknown, not plaintext), lists chips, long text a text area, references a choice of
 * the model's own ids. Beside the fields: the findings on the entry and the fixes the light bulb offers for
 * them, plus the refactorings of the entry (add a mitigation, accept the risk, STRIDE stubs), as buttons.
 *
 * Pure: computed from an analysis, posted to the webview as plain JSON. Values are the model's own (the
 * webview shows them as text).
 */
import { z } from 'zod';
import type { Analysis } from '../analyze';
import { KIND_OF_SECTION, SECTION_OF, type IdKind } from '../model/index';
import { SECTIONS, type Section } from '../model/schema';
import { fixIsNoop, refactoringsAt } from '../lang/outline';
import { explainValue } from '../lang/explain';
import { referenceKindsAt } from '../lang/slots';
import { lineCol } from '../lines';
import type { FixSpec, Severity } from '../types';

/** The sections the panel edits (attack trees are nested structures: they are edited in the text). */
export const FORM_SECTIONS = ['elements', 'flows', 'boundaries', 'assets', 'threats', 'mitigations'] as const;
export type FormSection = (typeof FORM_SECTIONS)[number];

export type FieldControl = 'select' | 'toggle' | 'text' | 'textarea' | 'number' | 'date' | 'chips' | 'multi';

export interface FormField {
  /** The field's key, one level into `statement` written `statement.source`. */
  key: string;
  label: string;
  control: FieldControl;
  required: boolean;
  /** Choices of a select or multi-select: enum values or the model's ids of the referenced kind. */
  options?: { value: string; label: string; hint?: string }[];
  value?: string | number | boolean | string[];
  /** Bounds of text and numbers, from the schema. */
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface FormAction {
  title: string;
  /** The finding the fix answers (index into `findings`), absent for a refactoring of the entry. */
  finding?: number;
  fix: FixSpec;
}

export interface EntryForm {
  section: FormSection;
  id: string;
  kind: IdKind;
  /** The entry's name or title. */
  title: string;
  fields: FormField[];
  findings: { ruleId: string; severity: Severity; message: string; line: number }[];
  actions: FormAction[];
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
};

/** The JSON Schema of one section's entry, made once per section (zod's own conversion). */
const entrySchemas = new Map<Section, JsonSchema>();
function entrySchema(section: Section): JsonSchema {
  let s = entrySchemas.get(section);
  if (!s) entrySchemas.set(section, (s = z.toJSONSchema(SECTIONS[section], { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema));
  return s;
}

/** Fields a person does not set in a form: ids the importers and the rules keep. */
const HIDDEN = new Set(['source_id', 'rule']);
/** The order fields show in: the ones a person sets first, the rest in the schema's order. */
const FIRST = ['name', 'title', 'type', 'kind', 'trust', 'parent', 'boundary', 'technology', 'from', 'to', 'protocol', 'data', 'classification',
  'targets', 'stride', 'statement.source', 'statement.prerequisites', 'statement.action', 'statement.impact', 'statement.assets',
  'likelihood', 'impact', 'cvss', 'status', 'justification', 'accepted_by', 'owner', 'expires', 'mitigations', 'evidence'];

const LABELS: Record<string, string> = {
  internet_facing: 'Internet facing', accepted_by: 'Accepted by', annual_rate: 'Times a year', cvss: 'CVSS vector', cwe: 'CWE', capec: 'CAPEC',
  'statement.source': 'Threat source', 'statement.prerequisites': 'With (prerequisites)', 'statement.action': 'Can (action)',
  'statement.impact': 'Which leads to (impact)', 'statement.assets': 'Negatively impacting (assets)', stride: 'STRIDE', ours: 'Run by us',
};
const labelOf = (key: string) => LABELS[key] ?? (key.charAt(0).toUpperCase() + key.slice(1)).replace(/_/g, ' ');

const isString = (s: JsonSchema) => s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));

/** The model's ids of the referenced kinds, with their names, as options. */
function idOptions(analysis: Analysis, kinds: readonly IdKind[], exclude?: string): { value: string; label: string }[] {
  const model = analysis.parsed.model as unknown as Record<string, Record<string, { name?: string; title?: string }> | undefined>;
  const out: { value: string; label: string }[] = [];
  for (const kind of kinds) {
    for (const [id, e] of Object.entries(model[SECTION_OF[kind]] ?? {})) {
      if (id === exclude) continue;
      const name = (e && typeof e === 'object' && (e.name ?? e.title)) || id;
      out.push({ value: id, label: kinds.length > 1 ? `${name} (${kind})` : String(name) });
    }
  }
  return out;
}

function fieldOf(analysis: Analysis, section: FormSection, id: string, key: string, s: JsonSchema, required: boolean, value: unknown): FormField {
  const path = key.split('.');
  const label = labelOf(key);
  const ref = referenceKindsAt([section, id, ...path, ...(s.type === 'array' ? [0] : [])]);
  const field: FormField = { key, label, control: 'text', required };
  if (ref) {
    // a boundary cannot be its own parent; a flow's ends are elements other than... any element (a loop is the rules' business)
    field.options = idOptions(analysis, ref, section === 'boundaries' ? id : undefined);
    field.control = s.type === 'array' ? 'multi' : 'select';
  } else if (s.enum) {
    field.control = 'select';
    field.options = s.enum.map(v => ({ value: String(v), label: String(v).replace(/-/g, ' '), hint: explainValue([section, id, ...path], String(v)) }));
  } else if (s.type === 'array' && s.items?.enum) {
    field.control = 'multi';
    field.options = s.items.enum.map(v => ({ value: String(v), label: String(v).replace(/-/g, ' '), hint: explainValue([section, id, ...path], String(v)) }));
  } else if (s.type === 'array') {
    field.control = 'chips';
    field.maxLength = s.items?.maxLength;
  } else if (s.type === 'boolean') {
    field.control = 'toggle';
  } else if (s.type === 'number' || s.type === 'integer') {
    field.control = 'number';
    field.min = s.minimum;
    field.max = s.maximum;
  } else if (isString(s) && s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') {
    field.control = 'date';
  } else {
    field.control = (s.maxLength ?? 0) > 300 ? 'textarea' : 'text';
    field.maxLength = s.maxLength;
  }
  if (value !== undefined && value !== null) {
    if (Array.isArray(value)) field.value = value.map(String);
    else if (typeof value === 'boolean' || typeof value === 'number') field.value = value;
    else field.value = String(value);
  }
  return field;
}

const own = (o: unknown, k: string) => !!o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

/** The panel of an entry, or undefined when the section has no such entry. */
export function entryForm(analysis: Analysis, section: FormSection, id: string): EntryForm | undefined {
  const model = analysis.parsed.model as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const entries = model[section];
  if (!entries || !own(entries, id)) return undefined;
  const entry = entries[id] ?? {};
  const schema = entrySchema(section);
  const fields: FormField[] = [];
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    if (HIDDEN.has(key)) continue;
    const required = (schema.required ?? []).includes(key);
    if (s.type === 'object' && s.properties) {
      const inner = own(entry, key) ? (entry[key] as Record<string, unknown> | undefined) : undefined;
      for (const [k2, s2] of Object.entries(s.properties)) fields.push(fieldOf(analysis, section, id, `${key}.${k2}`, s2, false, inner?.[k2]));
      continue;
    }
    fields.push(fieldOf(analysis, section, id, key, s, required, own(entry, key) ? entry[key] : undefined));
  }
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  fields.sort((a, b) => rank(a.key) - rank(b.key));

  const kind = KIND_OF_SECTION[section];
  const findings: EntryForm['findings'] = [];
  const actions: FormAction[] = [];
  const seen = new Set<string>();
  const offer = (fix: FixSpec, finding?: number) => {
    const key = JSON.stringify({ ...fix, title: undefined, preferred: undefined });
    if (seen.has(key) || fixIsNoop(analysis, fix)) return;
    seen.add(key);
    actions.push({ title: fix.title, fix, ...(finding === undefined ? {} : { finding }) });
  };
  const text = analysis.parsed.text;
  for (const f of analysis.findings) {
    if (f.path?.[0] !== section || f.path[1] !== id) continue;
    const index = findings.length;
    findings.push({ ruleId: f.ruleId, severity: f.severity, message: f.message, line: lineCol(text, f.range.start).line + 1 });
    for (const fix of f.fixes ?? []) offer(fix, index);
  }
  const def = analysis.index.byKind.get(kind)?.get(id);
  if (def) for (const fix of refactoringsAt(analysis, def.range.start)) offer(fix);
  const title = String(entry.name ?? entry.title ?? id);
  return { section, id, kind, title, fields, findings, actions };
}
