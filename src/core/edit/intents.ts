/**
 * What the visual editor and the `rampart.add*` commands ask for, as text edits (issue #11): add an element, a
 * boundary, a flow, a threat or a mitigation. Like the fixes, an intent is computed on the current text by the
 * YAML editor: the rest of the file keeps its bytes and comments, CRLF stays CRLF, and a new entry takes the
 * style of the entries around it (`id: { type: process, name: X }` on one line when they are written so,
 * block style otherwise).
 *
 * Ids come from names (kebab-case, unique among elements, flows and boundaries, which share ids; threats and
 * mitigations have their own). `computeIntent` never throws: it returns no edits and a `refusal` when the
 * intent cannot be made (an unknown element, a section the YAML reader could not read...).
 */
import { isMap, isPair, isScalar, type Document } from 'yaml';
import { ID_PATTERN, LIMITS, type ElementType, type Impact, type Likelihood, type MitigationStatus, type Stride, type ThreatStatus, type Trust } from '../model/vocabulary';
import { RESERVED_KEYS } from '../model/parse';
import type { TextEdit } from '../types';
import { EditRefusal, YamlEditor } from './yamlEdit';

export type Intent =
  | { kind: 'add-element'; type: ElementType; name: string; boundary?: string; technology?: string }
  | { kind: 'add-boundary'; name: string; trust: Trust; parent?: string }
  | {
    kind: 'add-flow'; from: string; to: string; name?: string; protocol?: string; data?: string[];
    authenticated?: boolean; encrypted?: boolean; authorized?: boolean; bidirectional?: boolean;
  }
  | {
    kind: 'add-threat'; targets: string[]; stride?: Stride[]; title?: string;
    statement?: { source?: string; prerequisites?: string; action?: string; impact?: string; assets?: string[] };
    likelihood?: Likelihood; impact?: Impact; status?: ThreatStatus;
  }
  | { kind: 'add-mitigation'; threat: string; title: string; status?: MitigationStatus };

export interface IntentResult {
  edits: TextEdit[];
  /** The id of the new entry. */
  id?: string;
  /** Why there are no edits. */
  refusal?: string;
}

/** Sections whose ids are shared: a flow and an element may not have the same id. */
const SHARED = ['elements', 'flows', 'boundaries'] as const;

/** A kebab-case id from a name (`Payment API` -> `payment-api`), within the id length limit. */
export function idFromName(name: string, fallback: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, LIMITS.id - 4).replace(/-+$/, '');
  return ID_PATTERN.test(base) && !RESERVED_KEYS.has(base) ? base : fallback;
}

function keysOf(doc: Document, section: string): Set<string> {
  const top = doc.contents;
  const out = new Set<string>();
  if (!isMap(top)) return out;
  for (const p of top.items) {
    if (!isPair(p) || !isScalar(p.key) || String(p.key.value) !== section || !isMap(p.value)) continue;
    for (const e of p.value.items) if (isPair(e) && isScalar(e.key)) out.add(String(e.key.value));
  }
  return out;
}

/** An id for `name` that no entry of `sections` has yet (`api`, `api-2`, ...). */
function freshId(doc: Document, sections: readonly string[], name: string, fallback: string): string {
  const taken = new Set(sections.flatMap(s => [...keysOf(doc, s)]));
  const base = idFromName(name, fallback);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Whether the entries of `section` are written as one-line flow maps (`id: { ... }`), going by the last one. */
function flowEntries(doc: Document, section: string): boolean {
  const top = doc.contents;
  if (!isMap(top)) return false;
  const pair = top.items.find(p => isPair(p) && isScalar(p.key) && String(p.key.value) === section);
  const map = pair && isPair(pair) ? pair.value : undefined;
  if (!isMap(map) || map.flow || !map.items.length) return false;
  const last = map.items[map.items.length - 1];
  return isPair(last) && isMap(last.value) && !!(last.value as { flow?: boolean }).flow;
}

const need = (cond: boolean, message: string) => {
  if (!cond) throw new EditRefusal(message);
};
const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));

/** The edits of an intent on `text`, and the new entry's id. Never throws. */
export function computeIntent(text: string, intent: Intent): IntentResult {
  try {
    const ed = new YamlEditor(text);
    const doc = ed.originalDocument;
    const sections = new Map<string, Set<string>>();
    const has = (section: string, id: string | undefined) => {
      let keys = sections.get(section);
      if (!keys) sections.set(section, (keys = keysOf(doc, section)));
      return id !== undefined && keys.has(id);
    };
    const add = (section: string, id: string, value: Record<string, unknown>) => {
      ed.insertEntry([section], id, clean(value), flowEntries(doc, section) ? 'flow' : 'block');
      return { edits: ed.edits(), id };
    };
    switch (intent.kind) {
      case 'add-element': {
        need(!!intent.name?.trim(), 'An element needs a name.');
        need(intent.boundary === undefined || has('boundaries', intent.boundary), `There is no boundary \`${intent.boundary}\`.`);
        const id = freshId(doc, SHARED, intent.name, 'element');
        return add('elements', id, { type: intent.type, name: intent.name.trim(), boundary: intent.boundary, technology: intent.technology?.trim() });
      }
      case 'add-boundary': {
        need(!!intent.name?.trim(), 'A boundary needs a name.');
        need(intent.parent === undefined || has('boundaries', intent.parent), `There is no boundary \`${intent.parent}\`.`);
        const id = freshId(doc, SHARED, intent.name, 'boundary');
        return add('boundaries', id, { name: intent.name.trim(), trust: intent.trust, parent: intent.parent });
      }
      case 'add-flow': {
        need(has('elements', intent.from), `There is no element \`${intent.from}\` to start the flow from.`);
        need(has('elements', intent.to), `There is no element \`${intent.to}\` for the flow to go to.`);
        for (const a of intent.data ?? []) need(has('assets', a), `There is no asset \`${a}\`.`);
        const id = freshId(doc, SHARED, intent.name?.trim() || `${intent.from}-to-${intent.to}`, 'flow');
        return add('flows', id, {
          from: intent.from, to: intent.to, name: intent.name?.trim(), protocol: intent.protocol?.trim(), data: intent.data,
          authenticated: intent.authenticated, encrypted: intent.encrypted, authorized: intent.authorized, bidirectional: intent.bidirectional,
        });
      }
      case 'add-threat': {
        need(intent.targets.length > 0, 'A threat needs at least one target.');
        for (const t of intent.targets) need(has('elements', t) || has('flows', t), `There is no element or flow \`${t}\`.`);
        const s = intent.statement;
        const sentence = s && [s.source && `${s.source}${s.prerequisites ? ` with ${s.prerequisites}` : ''}`, s.action && `can ${s.action}`, s.impact && `which leads to ${s.impact}`].filter(Boolean).join(' ').replace(' which leads', ', which leads');
        const title = intent.title?.trim() || (sentence ? sentence.charAt(0).toUpperCase() + sentence.slice(1) : '');
        need(!!title, 'A threat needs a title or a statement.');
        const id = freshId(doc, ['threats'], `${intent.targets[0]}-${intent.stride?.[0] ?? title}`, 'threat');
        const statement = s ? clean({ source: s.source?.trim(), prerequisites: s.prerequisites?.trim(), action: s.action?.trim(), impact: s.impact?.trim(), assets: s.assets }) : undefined;
        return add('threats', id, {
          title: title.slice(0, LIMITS.name), statement: statement && Object.keys(statement).length ? statement : undefined,
          stride: intent.stride, targets: intent.targets, likelihood: intent.likelihood, impact: intent.impact, status: intent.status ?? 'open',
        });
      }
      case 'add-mitigation': {
        need(has('threats', intent.threat), `There is no threat \`${intent.threat}\`.`);
        need(!!intent.title?.trim(), 'A mitigation needs a title.');
        const id = freshId(doc, ['mitigations'], intent.title, 'mitigation');
        ed.insertEntry(['mitigations'], id, { title: intent.title.trim(), status: intent.status ?? 'proposed' }, flowEntries(doc, 'mitigations') ? 'flow' : 'block');
        ed.appendToSeq(['threats', intent.threat, 'mitigations'], id);
        return { edits: ed.edits(), id };
      }
    }
  } catch (e) {
    if (e instanceof EditRefusal) return { edits: [], refusal: e.message };
    return { edits: [], refusal: `This cannot be added to this file safely (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); fix the file first.` };
  }
}

