/**
 * "Add component from template" and "add threat from library" as text edits on a model (pure): the YAML editor of
 * src/core/edit writes the new entries at the end of their sections in the file's style, keeping every other byte
 * and comment. Ids never collide: the element's id is new among elements, flows and boundaries, the threats' and
 * mitigations' among their sections. Never throws: a refusal says why there are no edits. Apply the edits as one
 * undoable change (a WorkspaceEdit).
 */
import { isMap, isPair, isScalar, parseDocument, type Document } from 'yaml';
import { ID_PATTERN, LIMITS } from '../model/vocabulary';
import { RESERVED_KEYS } from '../model/parse';
import { EDIT_PARSE_OPTIONS, EditRefusal, YamlEditor } from '../edit/yamlEdit';
import { idFromName } from '../edit/intents';
import { fill } from '../rules/stride/catalog';
import { clip } from '../text/clip';
import type { TextEdit } from '../types';
import type { Library } from './load';
import { libraryThreatId, libraryThreatStub } from './apply';

export interface TemplateResult {
  edits: TextEdit[];
  /** The new element's id. */
  id?: string;
  /** The new threats' and mitigations' ids. */
  threats?: string[];
  mitigations?: string[];
  refusal?: string;
}

function keysOf(doc: Document, section: string): Set<string> {
  const out = new Set<string>();
  const top = doc.contents;
  if (!isMap(top)) return out;
  for (const p of top.items) {
    if (!isPair(p) || !isScalar(p.key) || String(p.key.value) !== section || !isMap(p.value)) continue;
    for (const e of p.value.items) if (isPair(e) && isScalar(e.key)) out.add(String(e.key.value));
  }
  return out;
}

/** Whether a section's entries are one-line flow maps, going by the last one. */
function flowStyle(doc: Document, section: string): boolean {
  const top = doc.contents;
  if (!isMap(top)) return false;
  const pair = top.items.find(p => isPair(p) && isScalar(p.key) && String(p.key.value) === section);
  const map = pair && isPair(pair) ? pair.value : undefined;
  if (!isMap(map) || map.flow || !map.items.length) return false;
  const last = map.items[map.items.length - 1];
  return isPair(last) && isMap(last.value) && !!(last.value as { flow?: boolean }).flow;
}

function fresh(taken: Set<string>, base: string, max: number): string {
  let b = base.slice(0, max).replace(/-+$/, '');
  if (!b || RESERVED_KEYS.has(b)) b = 'entry';
  if (!taken.has(b)) { taken.add(b); return b; }
  for (let i = 2; ; i++) {
    const id = `${b.slice(0, max - String(i).length - 1).replace(/-+$/, '')}-${i}`;
    if (!taken.has(id)) { taken.add(id); return id; }
  }
}

const ELEMENT_ORDER = ['type', 'name', 'description', 'kind', 'boundary', 'technology', 'owner', 'encrypted', 'internet_facing', 'privileged', 'admin', 'redundant', 'controls', 'tags'] as const;

/**
 * The edits that insert a template's element, with its threats (targeting it) and mitigations (linked to them).
 * `templateId` is namespaced (`acme/postgres`). `id` and `name` name the element (default: from the template);
 * `boundary` must be a boundary of the model.
 */
export function insertTemplate(text: string, library: Library, templateId: string, opts: { id?: string; name?: string; boundary?: string } = {}): TemplateResult {
  try {
    const t = library.templates.get(templateId);
    if (!t) return { edits: [], refusal: `There is no template \`${templateId}\` in the team libraries read.` };
    const doc = parseDocument(text, EDIT_PARSE_OPTIONS);
    if (doc.errors.length) return { edits: [], refusal: 'The model has YAML errors: fix them before adding a component.' };
    if (text.trim() && !isMap(doc.contents)) return { edits: [], refusal: 'The model is not a map: it cannot take a new element.' };
    const ed = new YamlEditor(text, doc);
    const shared = new Set(['elements', 'flows', 'boundaries'].flatMap(s => [...keysOf(doc, s)]));
    if (opts.boundary !== undefined && !keysOf(doc, 'boundaries').has(opts.boundary)) return { edits: [], refusal: `There is no boundary \`${opts.boundary}\`.` };
    const name = (opts.name?.trim() || t.element.name || t.title).slice(0, LIMITS.name);
    let id: string;
    if (opts.id !== undefined) {
      if (!ID_PATTERN.test(opts.id) || opts.id.length > LIMITS.id || RESERVED_KEYS.has(opts.id)) return { edits: [], refusal: `\`${opts.id}\` is not a valid id (kebab-case, at most ${LIMITS.id} characters).` };
      if (shared.has(opts.id)) return { edits: [], refusal: `The id \`${opts.id}\` is taken by an element, flow or boundary.` };
      id = opts.id;
    } else {
      id = fresh(shared, idFromName(name, t.key), LIMITS.id);
    }
    const el: Record<string, unknown> = { ...t.element, type: t.element.type ?? 'process', name, ...(opts.boundary ? { boundary: opts.boundary } : {}) };
    const element: Record<string, unknown> = {};
    for (const k of ELEMENT_ORDER) if (el[k] !== undefined && !(Array.isArray(el[k]) && !(el[k] as unknown[]).length)) element[k] = el[k];

    const threatIds = keysOf(doc, 'threats');
    const mitigationIds = keysOf(doc, 'mitigations');
    const mids = new Map<string, string>();
    const newMitigations: [string, Record<string, unknown>][] = [];
    const mitigationFor = (key: string, title: string, description?: string, status?: string) => {
      let mid = mids.get(key);
      if (!mid) {
        mid = fresh(mitigationIds, `${id}-${key}`, LIMITS.id);
        mids.set(key, mid);
        newMitigations.push([mid, { title: clip(fill(title, name), LIMITS.name), ...(description ? { description: clip(fill(description, name), LIMITS.text) } : {}), status: status ?? 'proposed' }]);
      }
      return mid;
    };
    const newThreats: [string, Record<string, unknown>][] = [];
    for (const th of t.threats) {
      const tid = fresh(threatIds, `${id}-${th.key}`, LIMITS.id * 2);
      const links = th.mitigations.map(k => { const m = t.mitigations[k]; return mitigationFor(k, m.title, m.description, m.status); });
      const typical = !links.length && th.typical.length ? ` Typical mitigation: ${fill(th.typical[0], name)}.` : '';
      const description = th.description !== undefined || typical ? clip(`${fill(th.description ?? '', name)}${typical}`.trim(), LIMITS.text) : undefined;
      newThreats.push([tid, {
        title: clip(fill(th.title, name), LIMITS.name),
        ...(description ? { description } : {}),
        ...(th.stride?.length ? { stride: th.stride } : {}),
        ...(th.linddun?.length ? { linddun: th.linddun } : {}),
        targets: [id],
        ...(th.likelihood ? { likelihood: th.likelihood } : {}),
        ...(th.impact ? { impact: th.impact } : {}),
        ...(th.cwe?.length ? { cwe: th.cwe } : {}),
        ...(th.capec?.length ? { capec: th.capec } : {}),
        status: th.status ?? 'open',
        ...(links.length ? { mitigations: links } : {}),
      }]);
    }
    // Mitigations of the template that no threat links are added too: they are the component's standard ones.
    for (const [k, m] of Object.entries(t.mitigations)) mitigationFor(k, m.title, m.description, m.status);

    ed.insertEntry(['elements'], id, element, flowStyle(doc, 'elements') ? 'flow' : 'block');
    const threatFlow = flowStyle(doc, 'threats');
    for (const [tid, entry] of newThreats) ed.insertEntry(['threats'], tid, entry, threatFlow ? 'flow' : 'block');
    const mitigationFlow = flowStyle(doc, 'mitigations');
    for (const [mid, entry] of newMitigations) ed.insertEntry(['mitigations'], mid, entry, mitigationFlow ? 'flow' : 'block');
    return { edits: ed.edits(), id, threats: newThreats.map(([x]) => x), mitigations: newMitigations.map(([x]) => x) };
  } catch (e) {
    if (e instanceof EditRefusal) return { edits: [], refusal: e.message };
    return { edits: [], refusal: `The component cannot be added to this file safely (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); fix the file first.` };
  }
}

/** The edits that add a library catalog entry (`acme/pg-sqli`) as a threat on an element or flow of the model. */
export function addLibraryThreat(text: string, library: Library, entryId: string, target: string): TemplateResult {
  try {
    const entry = library.catalogById.get(entryId);
    if (!entry) return { edits: [], refusal: `There is no catalog entry \`${entryId}\` in the team libraries read.` };
    const doc = parseDocument(text, EDIT_PARSE_OPTIONS);
    if (doc.errors.length) return { edits: [], refusal: 'The model has YAML errors: fix them before adding a threat.' };
    const ed = new YamlEditor(text, doc);
    const name = ed.get(['elements', target, 'name']) ?? ed.get(['flows', target, 'name']) ?? (ed.has(['flows', target]) ? target : undefined);
    if (name === undefined) return { edits: [], refusal: `There is no element or flow \`${target}\`.` };
    const tid = fresh(keysOf(doc, 'threats'), libraryThreatId(entry, target), LIMITS.id * 2);
    ed.insertEntry(['threats'], tid, libraryThreatStub(entry, target, String(name)), flowStyle(doc, 'threats') ? 'flow' : 'block');
    return { edits: ed.edits(), threats: [tid] };
  } catch (e) {
    if (e instanceof EditRefusal) return { edits: [], refusal: e.message };
    return { edits: [], refusal: `The threat cannot be added to this file safely (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); fix the file first.` };
  }
}
