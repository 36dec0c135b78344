/**
 * What the visual editor and the `rampart.add*` commands ask for, as text edits (issue #11): add an element, a
 * boundary, a flow, a threat or a mitigation; delete an entry, change its fields, rename its id. Like the
 * fixes, an intent is computed on the current text by the YAML editor: the rest of the file keeps its bytes
 * and comments, CRLF stays CRLF, and a new entry takes the style of the entries around it (`id: { type:
 * process, name: X }` on one line when they are written so, block style otherwise).
 *
 * Ids come from names (kebab-case, unique among elements, flows and boundaries, which share ids; threats and
 * mitigations have their own). `computeIntent` never throws: it returns no edits and a `refusal` when the
 * intent cannot be made (an unknown element, a section the YAML reader could not read...).
 *
 * Deleting, changing and renaming check their result with the schema rules: an intent that would leave the
 * file with a schema finding it did not have (a reference to nothing, a value out of the vocabulary) is
 * refused with that finding's message: the visual editor never leaves a model worse than it found it.
 */
import { isMap, isPair, isScalar, type Document } from 'yaml';
import { z } from 'zod';
import { ID_PATTERN, LIMITS, type ElementType, type Impact, type Likelihood, type MitigationStatus, type Stride, type ThreatStatus, type Trust } from '../model/vocabulary';
import { SECTIONS, type AttackNode, type AttackTree, type Model } from '../model/schema';
import { parseModel, RESERVED_KEYS } from '../model/parse';
import { KIND_OF_SECTION, referenceSlots, SECTION_OF, type IdKind } from '../model/index';
import { analyze, type Analysis } from '../analyze';
import { RULES } from '../rules/index';
import { occurrences, renameProblem } from '../lang/navigation';
import type { Finding, Path, TextEdit } from '../types';
import { titleFromStatement } from './statement';
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
  | { kind: 'add-mitigation'; threat: string; title: string; status?: MitigationStatus }
  | { kind: 'delete-entry'; section: EntrySection; id: string; withReferences?: boolean }
  | { kind: 'set-fields'; section: EntrySection; id: string; set: Record<string, FieldValue>; followName?: boolean }
  | { kind: 'rename-id'; section: EntrySection; id: string; newId: string };

/** The sections whose entries are keyed by id. */
export type EntrySection = 'elements' | 'boundaries' | 'flows' | 'assets' | 'threats' | 'mitigations' | 'attack_trees';

/** A value `set-fields` writes: a scalar, a list of scalars (ids, STRIDE categories...), or null to remove the field. */
export type FieldValue = string | number | boolean | string[] | null;

export interface EntryRef {
  section: string;
  id: string;
}

/** A place that names an entry's id, in words a UI can list: `flow \`web-to-db\` starts at it`. */
export interface EntryReference extends EntryRef {
  /** The referring field (`from`, `targets`, `statement.assets`, `or.0.threat`). */
  field: string;
  description: string;
}

export interface IntentResult {
  edits: TextEdit[];
  /** The id of the new entry; for `set-fields` and `rename-id`, the entry's id afterwards. */
  id?: string;
  /** Why there are no edits. */
  refusal?: string;
  /** A delete refused because these references would dangle: a UI lists them and may offer to delete them too. */
  references?: EntryReference[];
  /** What a delete removed: the entry first, then the entries that could not stay without it. */
  removed?: EntryRef[];
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

/** An id for `name` that no entry of `sections` but `own` (the entry being renamed) has yet (`api`, `api-2`, ...). */
function freshId(doc: Document, sections: readonly string[], name: string, fallback: string, own?: string): string {
  const taken = new Set(sections.flatMap(s => [...keysOf(doc, s)]));
  if (own !== undefined) taken.delete(own);
  const base = idFromName(name, fallback);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The first top-level entry `section` (the one the model reads), with the entry after it. */
function sectionPair(doc: Document, section: string) {
  const top = doc.contents;
  if (!isMap(top)) return undefined;
  const i = top.items.findIndex(p => isPair(p) && isScalar(p.key) && String(p.key.value) === section);
  return i < 0 ? undefined : { pair: top.items[i], next: top.items[i + 1] };
}

/** Whether the entries of `section` are written as one-line flow maps (`id: { ... }`), going by the last one. */
function flowEntries(doc: Document, section: string): boolean {
  const map = sectionPair(doc, section)?.pair.value;
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
        // the statement builder's own title function: a threat gets the same title from the webview and from a command
        const title = intent.title?.trim() || titleFromStatement(s);
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
      case 'delete-entry': return deleteEntry(text, ed, intent);
      case 'set-fields': return setFields(text, ed, intent);
      case 'rename-id': return renameId(text, ed, intent);
    }
  } catch (e) {
    if (e instanceof EditRefusal) return { edits: [], refusal: e.message };
    return { edits: [], refusal: `This edit cannot be made to this file safely (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); fix the file first.` };
  }
}

/* Deleting, changing and renaming entries. */

const WORD: Record<EntrySection, string> = {
  elements: 'element', boundaries: 'boundary', flows: 'flow', assets: 'asset', threats: 'threat', mitigations: 'mitigation', attack_trees: 'attack tree',
};
const an = (section: EntrySection) => `${/^[aeiou]/.test(WORD[section]) ? 'an' : 'a'} ${WORD[section]}`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The field an entry's id is made from when it follows its name. */
const NAME_FIELD: Record<EntrySection, string> = {
  elements: 'name', boundaries: 'name', flows: 'name', assets: 'name', threats: 'title', mitigations: 'title', attack_trees: 'goal',
};

/** The sections whose ids an entry of `section` must not take. */
const idSpace = (section: EntrySection): readonly string[] => ((SHARED as readonly string[]).includes(section) ? SHARED : [section]);

/**
 * The schema rules only: what these intents check before and after their edits. The other rules judge the
 * design, not whether the file is a valid model, and would only cost time on every click.
 */
const SCHEMA_ONLY = { disabledRules: RULES.map(r => r.meta.id).filter(id => !id.startsWith('schema/')) };
const schemaAnalysis = (text: string): Analysis => analyze(text, SCHEMA_ONLY);

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/**
 * Refuses unless `section` has exactly one entry `id`, in text the YAML reader could read: a YAML error inside
 * the section means its entries may not be what they look like, while one elsewhere does not matter here.
 */
function needEntry(ed: YamlEditor, section: EntrySection, id: string, verb: string) {
  if (!Object.prototype.hasOwnProperty.call(WORD, section)) throw new EditRefusal(`\`${String(section)}\` is not a section of entries keyed by id.`);
  const doc = ed.originalDocument;
  const found = sectionPair(doc, section);
  const map = found?.pair.value;
  const count = isMap(map) ? map.items.filter(p => isPair(p) && isScalar(p.key) && String(p.key.value) === id).length : 0;
  const firstError = doc.errors[0];
  if (!count) {
    const hint = firstError ? ` (the YAML reader stopped at an error on line ${lineOf(ed.text, firstError.pos[0])}: fix it first if the entry is there)` : '';
    throw new EditRefusal(`There is no ${WORD[section]} \`${id}\` to ${verb}${hint}.`);
  }
  if (count > 1) throw new EditRefusal(`\`${id}\` is written twice under \`${section}\`; remove one of them first.`);
  const start = (found!.pair.key as { range?: number[] } | null)?.range?.[0] ?? 0;
  // An error at the very end of the file (a quote left open) belongs to the last section. Like the parser's
  // damaged regions, an error damages the line before it too: a flow map left open on one line is reported
  // at the start of the next one, which may be the next section's key.
  const end = (found!.next?.key as { range?: number[] } | null)?.range?.[0] ?? ed.text.length + 1;
  const lineBefore = (offset: number) => ed.text.lastIndexOf('\n', ed.text.lastIndexOf('\n', offset - 1) - 1) + 1;
  const broken = doc.errors.find(e => e.pos[0] >= start && lineBefore(e.pos[0]) < end);
  if (broken) throw new EditRefusal(`The \`${section}\` section has a YAML error on line ${lineOf(ed.text, broken.pos[0])}; fix it first.`);
}

/**
 * The first schema finding of `after` that `before` had not, compared by rule and path (a renamed entry's
 * findings under its old id, so that those it had are not taken for new ones).
 */
function gainedFinding(before: Analysis, after: Analysis, renamed?: { section: string; from: string; to: string }): Finding | undefined {
  const keyOf = (f: Finding, translate: boolean) => {
    let p = f.path ?? [];
    if (translate && renamed && p[0] === renamed.section && p[1] === renamed.to) p = [p[0], renamed.from, ...p.slice(2)];
    return `${f.ruleId} ${p.join('.')}`;
  };
  const had = new Map<string, number>();
  for (const f of before.findings) {
    const k = keyOf(f, false);
    if (f.ruleId.startsWith('schema/')) had.set(k, (had.get(k) ?? 0) + 1);
  }
  for (const f of after.findings) {
    const k = keyOf(f, true);
    if (!f.ruleId.startsWith('schema/')) continue;
    if (!had.get(k)) return f;
    had.set(k, had.get(k)! - 1);
  }
  return undefined;
}

/** Refuses when the editor's text has a schema finding the original (`before`) had not. */
function needNoNewFinding(before: Analysis, ed: YamlEditor, what: string, renamed?: { section: string; from: string; to: string }) {
  const gained = gainedFinding(before, schemaAnalysis(ed.text), renamed);
  if (gained) throw new EditRefusal(`${what} would make the model invalid: ${gained.message}`);
}

type Gone = (kinds: readonly IdKind[], ref: string) => boolean;
const entryKey = (section: string, id: string) => `${section}\u0000${id}`;

/**
 * Whether a reference (to an id of one of `kinds`) names one of the `entries` (keys of `entryKey`). A threat
 * target names the element when there is one, else the flow; a reference to an entry the model left out (it
 * failed validation) names it whatever its kind.
 */
function namesOneOf(model: Model, entries: ReadonlySet<string>): Gone {
  return (kinds, ref) => {
    const resolved = kinds.find(k => Object.prototype.hasOwnProperty.call(model[SECTION_OF[k]] ?? {}, ref));
    return resolved ? entries.has(entryKey(SECTION_OF[resolved], ref)) : kinds.some(k => entries.has(entryKey(SECTION_OF[k], ref)));
  };
}

const VERB: Record<string, string> = {
  'elements.boundary': 'is in it', 'elements.stores': 'stores it', 'elements.processes': 'processes it', 'boundaries.parent': 'is inside it',
  'flows.from': 'starts at it', 'flows.to': 'ends at it', 'flows.data': 'carries it',
  'threats.targets': 'targets it', 'threats.mitigations': 'is mitigated by it', 'threats.statement': 'names it in its statement',
  'attack_trees.threat': 'realises it',
};

/** A reference slot (a path of `referenceSlots`) in words: `flow \`web-to-db\` starts at it`. */
function describeSlot(path: Path): EntryReference {
  const [section, id] = path.map(String) as [EntrySection, string];
  const field = (typeof path[path.length - 1] === 'number' ? path.slice(2, -1) : path.slice(2)).join('.');
  const node = section === 'attack_trees' && path.length > 3;
  const verb = !node ? VERB[`${section}.${path[2]}`] : path[path.length - 1] === 'tree' ? 'includes it as a subtree' : 'has it as a step';
  return { section, id, field, description: `${WORD[section]} \`${id}\` ${verb}` };
}

/** The references to an entry from other entries, in the model's order. */
function referencesIn(model: Model, section: EntrySection, id: string): EntryReference[] {
  const names = namesOneOf(model, new Set([entryKey(section, id)]));
  const out: EntryReference[] = [];
  for (const [path, kinds, ref] of referenceSlots(model)) {
    if (ref === id && names(kinds, ref) && !(path[0] === section && path[1] === id)) out.push(describeSlot(path));
  }
  return out;
}

/** The references to entry `id` of `section` in `text`, in words: what deleting it would leave dangling. */
export function referencesTo(text: string, section: EntrySection, id: string): EntryReference[] {
  return referencesIn(parseModel(text).model, section, id);
}

/**
 * The attack-tree nodes to remove (paths under the tree) because they name a gone threat or tree, or because
 * every node of their `and`/`or` list goes (a list may not be empty); `empty` when the goal's list goes whole.
 */
function treeCuts(tree: AttackTree, gone: Gone): { cuts: Path[]; empty: boolean } {
  const cuts: Path[] = [];
  const op = tree.and ? 'and' : 'or';
  return { empty: pruneList(tree[op] ?? [], [op], gone, cuts), cuts };
}

/** Adds to `cuts` the nodes of a list that go (see `treeCuts`); true, with none added, when all of them go. */
function pruneList(nodes: readonly AttackNode[], at: Path, gone: Gone, cuts: Path[]): boolean {
  const going: Path[] = [];
  nodes.forEach((n, i) => {
    const p = [...at, i];
    const goes = n.threat !== undefined ? gone(['threat'], n.threat)
      : n.tree !== undefined ? gone(['attack_tree'], n.tree)
        : n.and ? pruneList(n.and, [...p, 'and'], gone, cuts)
          : n.or ? pruneList(n.or, [...p, 'or'], gone, cuts) : false;
    if (goes) going.push(p);
  });
  if (going.length === nodes.length) return true;
  cuts.push(...going);
  return false;
}

/** Whether the entry holding reference `path` to a gone entry cannot stay without it. */
function cascades(model: Model, path: Path, gone: Gone): boolean {
  const [section, id, field] = path.map(String);
  if (section === 'flows') return field === 'from' || field === 'to';
  if (section === 'threats' && field === 'targets') return (model.threats?.[id]?.targets ?? []).every(t => gone(['element', 'flow'], t));
  if (section === 'attack_trees' && path.length > 3) return treeCuts(model.attack_trees![id], gone).empty;
  return false;
}

/**
 * What deleting an entry takes with it. `removed`: the entry, then, until nothing more changes, the flows
 * that start or end at a removed element, the threats all of whose targets are removed and the attack trees
 * left without steps. `cuts`: what goes from the entries that stay, as paths: a list item (a target, an asset,
 * a mitigation, an attack-tree node), or an optional key (`boundary`, `parent`, a tree's `threat`).
 */
function deletionPlan(model: Model, section: EntrySection, id: string): { removed: EntryRef[]; cuts: Path[] } {
  const removed: EntryRef[] = [{ section, id }];
  const keys = new Set([entryKey(section, id)]);
  const gone = namesOneOf(model, keys);
  const slots = [...referenceSlots(model)];
  const stays = (path: Path) => !keys.has(entryKey(String(path[0]), String(path[1])));
  for (let grew = true; grew;) {
    grew = false;
    for (const [path, kinds, ref] of slots) {
      if (!stays(path) || !gone(kinds, ref) || !cascades(model, path, gone)) continue;
      removed.push({ section: String(path[0]), id: String(path[1]) });
      keys.add(entryKey(String(path[0]), String(path[1])));
      grew = true;
    }
  }
  const cuts: Path[] = [];
  for (const [path, kinds, ref] of slots) {
    // attack-tree nodes go whole, by treeCuts below
    if (stays(path) && gone(kinds, ref) && !(path[0] === 'attack_trees' && path.length > 3)) cuts.push(path);
  }
  for (const [tid, tree] of Object.entries(model.attack_trees ?? {})) {
    if (stays(['attack_trees', tid])) cuts.push(...treeCuts(tree, gone).cuts.map(p => ['attack_trees', tid, ...p]));
  }
  return { removed, cuts };
}

/** Orders paths so that a later list item comes first: removing it leaves the indices of the others as they are. */
function laterFirst(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    return typeof x === 'number' && typeof y === 'number' ? y - x : String(y).localeCompare(String(x));
  }
  return b.length - a.length;
}

/** Why a delete waits for `withReferences`: how many references would dangle, the first few named. */
function danglingRefusal(section: EntrySection, id: string, refs: readonly EntryReference[]): string {
  const shown = refs.slice(0, 8).map(r => r.description);
  const more = refs.length - shown.length;
  const list = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
  return `Deleting ${WORD[section]} \`${id}\` would leave ${refs.length === 1 ? 'a reference' : `${refs.length} references`} to it pointing at nothing: ${list}. Delete it with its references, or change them first.`;
}

/**
 * Deletes an entry. With references to it, only when asked (`withReferences`): then they go too (see
 * `deletionPlan`), so that none is left pointing at nothing; otherwise the refusal lists them.
 */
function deleteEntry(text: string, ed: YamlEditor, intent: Extract<Intent, { kind: 'delete-entry' }>): IntentResult {
  const { section, id } = intent;
  needEntry(ed, section, id, 'delete');
  const before = schemaAnalysis(text);
  const model = before.parsed.model;
  const references = referencesIn(model, section, id);
  if (references.length && !intent.withReferences) return { edits: [], refusal: danglingRefusal(section, id, references), references };
  const { removed, cuts } = deletionPlan(model, section, id);
  for (const p of cuts.sort(laterFirst)) {
    const last = p[p.length - 1];
    if (typeof last === 'number') ed.removeSeqItem(p.slice(0, -1), last);
    else ed.removeEntry(p);
  }
  for (const r of removed) ed.removeEntry([r.section, r.id]);
  needNoNewFinding(before, ed, `Deleting ${WORD[section]} \`${id}\``);
  return { edits: ed.edits(), removed };
}

/** Refuses a field the entries of `section` do not have: `name`, or one level into an object (`statement.source`). */
function needField(section: EntrySection, key: string) {
  const [field, sub, ...deeper] = key.split('.');
  const own = (shape: Record<string, unknown>, k: string) => (Object.prototype.hasOwnProperty.call(shape, k) ? shape[k] : undefined);
  const schema = own((SECTIONS[section] as unknown as z.ZodObject).shape, field);
  if (!schema || RESERVED_KEYS.has(field)) throw new EditRefusal(`${capital(an(section))} has no field \`${field}\`.`);
  if (sub === undefined) return;
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  if (deeper.length || !(inner instanceof z.ZodObject) || !own(inner.shape, sub) || RESERVED_KEYS.has(sub)) {
    throw new EditRefusal(`The \`${field}\` of ${an(section)} has no field \`${key.slice(field.length + 1)}\`.`);
  }
}

/**
 * The id an entry gets when its id follows its new name: a fresh id from the new name when the current one
 * was made from the old name (`api` or `api-2` for "API"), else the id it has (one chosen by hand stays).
 */
function followedId(ed: YamlEditor, section: EntrySection, id: string, newName: FieldValue | undefined): string {
  const old = ed.get([section, id, NAME_FIELD[section]]);
  if (typeof newName !== 'string' || typeof old !== 'string' || newName === old) return id;
  const derived = idFromName(old, '');
  if (!derived || (id !== derived && !new RegExp(`^${derived}-\\d+$`).test(id))) return id;
  return freshId(ed.originalDocument, idSpace(section), newName, WORD[section].replace(' ', '-'), id);
}

/**
 * Renames an entry's id and every reference to it, as the editor's rename does (`occurrences`), on the text
 * `analysis` was made from (the editor's, before any other edit).
 */
function renameIn(ed: YamlEditor, analysis: Analysis, section: EntrySection, from: string, to: string) {
  const kind = KIND_OF_SECTION[section];
  const problem = renameProblem(analysis, kind, from, to);
  if (problem) throw new EditRefusal(problem);
  const found = occurrences(analysis, kind, from);
  if (!found.some(o => o.isDefinition)) throw new EditRefusal(`${capital(WORD[section])} \`${from}\` does not pass the schema check, so it cannot be renamed yet; fix its fields first.`);
  if (ed.text !== analysis.parsed.text) throw new Error('the rename was worked out on another text');
  ed.replaceRanges(found.map(o => ({ offset: o.range.start, length: o.range.end - o.range.start, text: to })));
}

/** Writes one field: null removes it, a list replaces the list (see `setList`), a scalar replaces the value. */
function setField(ed: YamlEditor, path: Path, value: FieldValue) {
  if (value === null) ed.removeEntry(path);
  else if (Array.isArray(value)) ed.setList(path, value);
  else ed.setScalar(path, value);
}

/**
 * Sets (or, with null, removes) fields of an entry; with `followName`, an id made from the old name follows
 * the new one. A field already at its value gives no edit.
 */
function setFields(text: string, ed: YamlEditor, intent: Extract<Intent, { kind: 'set-fields' }>): IntentResult {
  const { section, set } = intent;
  needEntry(ed, section, intent.id, 'change');
  for (const key of Object.keys(set)) needField(section, key);
  const before = schemaAnalysis(text);
  const id = intent.followName ? followedId(ed, section, intent.id, set[NAME_FIELD[section]]) : intent.id;
  if (id !== intent.id) renameIn(ed, before, section, intent.id, id);
  for (const [key, value] of Object.entries(set)) setField(ed, [section, id, ...key.split('.')], value);
  const edits = ed.edits();
  if (edits.length) needNoNewFinding(before, ed, `This change to ${WORD[section]} \`${intent.id}\``, { section, from: intent.id, to: id });
  return { edits, id };
}

/** Renames an entry's id and every reference to it. */
function renameId(text: string, ed: YamlEditor, intent: Extract<Intent, { kind: 'rename-id' }>): IntentResult {
  const { section, id, newId } = intent;
  needEntry(ed, section, id, 'rename');
  if (newId === id) return { edits: [], id };
  const before = schemaAnalysis(text);
  renameIn(ed, before, section, id, newId);
  needNoNewFinding(before, ed, `Renaming ${WORD[section]} \`${id}\` to \`${newId}\``, { section, from: id, to: newId });
  return { edits: ed.edits(), id: newId };
}
