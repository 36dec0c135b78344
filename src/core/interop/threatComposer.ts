/**
 * AWS Threat Composer (`.tc.json`, `schema: 1`) -> Rampart model.
 *
 * | Threat Composer | Rampart |
 * |---|---|
 * | `applicationInfo.name`, `applicationInfo.description` | `title`, `description` |
 * | `architecture.description`, `dataflow.description` | `scope.architecture`, `scope.dataflow` (the diagram images, base64 or URL, are not kept: a note says so, and a URL is kept in a comment) |
 * | `threats` | `threats`, id `t-<numericId>` (a missing or repeated number gets the next free one), `source_id` = the Threat Composer `id`; ordered by `displayOrder` |
 * | threat `statement` | `title` (cut to 200 characters; when it is longer and is not what the parts compose, the whole sentence opens the `description`) |
 * | `threatSource`, `prerequisites`, `threatAction`, `threatImpact`, `impactedAssets` | `statement.source`, `.prerequisites` (without a leading "with", which Rampart's sentence adds), `.action`, `.impact`, `.assets` (asset ids) |
 * | `impactedAssets` (names) | `assets` entries, one per distinct name (`classification: internal`: Threat Composer has none) |
 * | `impactedGoal` | a last paragraph `Impacted goal: confidentiality, integrity` of the threat's `description` |
 * | metadata `STRIDE` (letters S T R I D E, or words) | `stride` |
 * | metadata `Priority` (High, Medium, Low) | `priority` |
 * | metadata `Comments` | `description` (threats, mitigations); an assumption's text after `Comments: ` |
 * | `status` | per {@link THREAT_COMPOSER_THREAT_STATUS_MAP} (none: open). A resolved threat is `mitigated` even when no implemented mitigation is linked (`rampart check` then warns `risk/mitigated-not-implemented`) |
 * | `tags` | `tags` as written (cut to 64 characters on one line; the original in a comment when that changes it) |
 * | `mitigations` | `mitigations`, id `m-<numericId>`, `source_id`; `content` -> `title` (when longer than 200 characters, the whole text opens the `description`); status per {@link THREAT_COMPOSER_MITIGATION_STATUS_MAP}; `mitigationResolvedWillNotAction` -> proposed with the tag {@link THREAT_COMPOSER_WILL_NOT_ACTION_TAG} |
 * | `mitigationLinks` | the threat's `mitigations` (a link to an assumption goes to the assumption's `mitigations`) |
 * | `assumptions`, `assumptionLinks` | `scope.assumptions` as `{text, threats, mitigations, tags, source_id}`, ordered by `displayOrder` (an export numbers them 1 to n) |
 *
 * Threat Composer has no elements, flows or boundaries: the model has none, and a note suggests `rampart
 * discover` or the visual editor. Not mapped (comments and notes): `customTemplate`, metadata other than the
 * above (threat packs, `custom:` keys), `brainstorm`, links to entries that do not exist.
 */
import {
  ImportError, ModelBuilder, arr, clip, isObject, listText, longText, num, oneLine, own, readInput, slugify, stableUuid, str, strideFrom, uniq,
  type ImportOptions, type ImportResult,
} from './common';
import { LIMITS, type MitigationStatus, type Stride, type ThreatStatus } from '../model/schema';

/** Threat Composer threat `status` -> Rampart threat status (a threat without one is open). */
export const THREAT_COMPOSER_THREAT_STATUS_MAP: Readonly<Record<string, ThreatStatus>> = {
  threatIdentified: 'open',
  threatResolved: 'mitigated',
  threatResolvedNotUseful: 'not-applicable',
};
/** Threat Composer mitigation `status` -> Rampart mitigation status (a mitigation without one is proposed). */
export const THREAT_COMPOSER_MITIGATION_STATUS_MAP: Readonly<Record<string, MitigationStatus>> = {
  mitigationIdentified: 'proposed',
  mitigationInProgress: 'in-progress',
  mitigationResolved: 'implemented',
  mitigationResolvedWillNotAction: 'proposed',
};
/** The tag that marks a mitigation Threat Composer resolved as "will not action" (Rampart has no such status). */
export const THREAT_COMPOSER_WILL_NOT_ACTION_TAG = 'will-not-action';
/** STRIDE letters of the `STRIDE` metadata. */
export const THREAT_COMPOSER_STRIDE_LETTERS: Readonly<Record<string, Stride>> = {
  S: 'spoofing', T: 'tampering', R: 'repudiation', I: 'information-disclosure', D: 'denial-of-service', E: 'elevation-of-privilege',
};

// ---- shared with the exporter: how Threat Composer fields sit in Rampart text fields ----

/** The paragraph of a threat's description that holds Threat Composer's impacted goals. */
export const GOAL_PREFIX = 'Impacted goal: ';
/** What separates an assumption's text from its Threat Composer comments. */
export const ASSUMPTION_COMMENTS = '\n\nComments: ';
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The largest numericId read as a number (larger ones are renumbered). */
export const MAX_NUMERIC_ID = 1e9;

/** Whitespace collapsed to single spaces (a one-line sentence), not cut. */
export const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Words that open a prerequisite on their own ("who has...", "in a MITM position"); others read after "with". */
const CONNECTOR = /^(?:who|whose|that|which|in|on|at|from|via|through|within|without|using|having|by|under|inside|behind|as|if|when|while|after|before|during|being)\b/i;
/** Threat Composer writes "with ..." in its prerequisites; Rampart's sentence adds the "with" itself. */
export const prerequisitesFromTc = (s: string) => s.replace(/^with\s+/i, '');
/** The inverse of {@link prerequisitesFromTc}: "with" again, unless the text opens with another connecting word. */
export const prerequisitesToTc = (s: string) => (CONNECTOR.test(s) ? s : `with ${s}`);

/** Threat Composer's list in words: "a, b and c" ("and/or" for goals). */
const listWords = (items: readonly string[], or = false) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')}${or ? ' and/or ' : ' and '}${items[items.length - 1]}`;

/** "A" or "An" before a word, by its first letter (Threat Composer uses a fuller rule; a difference only costs a description paragraph). */
function article(word: string): string {
  const first = word.trim().split(/[^\w]/)[0];
  // An acronym is read letter by letter: "an XSS", "a DNS".
  if (first.length > 1 && first === first.toUpperCase() && /^[A-Z]/.test(first)) return /^[AEFHILMNORSX]/.test(first) ? 'An' : 'A';
  const w = word.trim().toLowerCase();
  const an = /^[aeiou]/.test(w) ? !/^(?:uni|use|usa|usu|uti|eu|ewe|one|once|ubi|ura|uro|ure)/.test(w) : /^(?:hour|honest|honou?r|heir)/.test(w);
  return an ? 'An' : 'A';
}

export interface TcStatementParts {
  threatSource?: string;
  prerequisites?: string;
  threatAction?: string;
  threatImpact?: string;
  impactedGoal?: readonly string[];
  impactedAssets?: readonly string[];
}

/**
 * The statement sentence as Threat Composer composes it from its fields: "A threat actor with X can Y, which
 * leads to Z, resulting in reduced G of A" (defaults "threat source" and "perform a threat action" when only
 * some fields are filled; a single filled field is shown as "...field...").
 */
export function composeTcStatement(p: TcStatementParts): string {
  const goals = (p.impactedGoal ?? []).filter(Boolean);
  const assets = (p.impactedAssets ?? []).filter(Boolean);
  const filled = [p.threatSource, p.prerequisites, p.threatAction, p.threatImpact, goals.length ? 'g' : '', assets.length ? 'a' : ''].map(v => !!v);
  const count = filled.filter(Boolean).length;
  if (count === 0) return '';
  if (count === 1) {
    const i = filled.indexOf(true);
    const content = [p.threatSource, p.prerequisites, p.threatAction, p.threatImpact, listWords(goals, true), listWords(assets)][i] ?? '';
    return `${i === 0 ? '' : '...'}${content}${i === 5 ? '' : '...'}`;
  }
  const source = p.threatSource || 'threat source';
  const action = p.threatAction || 'perform a threat action';
  let s = `${article(source)} ${source} ${p.prerequisites ?? ''} can ${action}`;
  if (p.threatImpact) s += `, which leads to ${p.threatImpact}`;
  if (goals.length) s += `, resulting in reduced ${listWords(goals, true)}${assets.length ? ` of ${listWords(assets)}` : ''}`;
  else if (assets.length) s += `, negatively impacting ${listWords(assets)}`;
  return correctArticles(s).replace(/\s\s+/g, ' ').replace(/ ,/g, ',').trim();
}

/** "a unexpected" -> "an unexpected", as Threat Composer corrects the articles of its sentence. */
function correctArticles(s: string): string {
  return s.replace(/\b(a|an) ([\s("'“‘-]?\w*)\b/gi, (match, word: string, following: string) => {
    const input = following.replace(/^[\s("'“‘-]+|\s+$/g, '');
    if (!input) return match;
    const right = article(input);
    return `${word.startsWith('A') ? right : right.toLowerCase()} ${following}`;
  });
}

/** The paragraphs of a text (split at blank lines as written: `\n\n`). */
const firstParagraph = (s: string): [string, string] => {
  const i = s.indexOf('\n\n');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 2)];
};

/**
 * A threat's or mitigation's whole Threat Composer text when the title holds only its start: the first
 * paragraph of the description, if cutting it gives the title (and, for a threat, it is not what the parts
 * compose anyway). Returns the text and the rest of the description.
 */
export function leadingFullText(title: string, description: string | undefined, composed?: string): [string | undefined, string] {
  const d = description ?? '';
  if (!title.endsWith('…') || !d) return [undefined, d];
  const [p, rest] = firstParagraph(d);
  const full = norm(p);
  if (p === full && full.length > LIMITS.name && oneLine(full) === title && (composed === undefined || full !== norm(composed))) return [full, rest];
  return [undefined, d];
}

/** Splits the goal paragraph off the end of a threat's description: [comments, goals]. */
export function splitGoals(description: string): [string, string[]] {
  const i = description.lastIndexOf('\n\n');
  const last = i < 0 ? description : description.slice(i + 2);
  if (!last.startsWith(GOAL_PREFIX) || last.includes('\n')) return [description, []];
  const goals = last.slice(GOAL_PREFIX.length).split(', ').map(g => g.trim()).filter(Boolean);
  return [i < 0 ? '' : description.slice(0, i), goals];
}

// ---- the import ----

type Obj = Record<string, unknown>;

interface Numbered {
  raw: Obj;
  index: number;
  number: number;
  uuid: string;
}

/** What the source names an entry by, the entries in display order, with numbers and ids that are usable. */
function numberEntries(b: ModelBuilder, list: Obj[], what: string, usedUuids: Set<string>, byTcId: Map<string, Numbered>): Numbered[] {
  const order = list.map((raw, index) => ({ raw, index, key: num(raw.displayOrder) ?? num(raw.numericId) ?? Infinity }));
  order.sort((a, b2) => (a.key === b2.key ? a.index - b2.index : a.key < b2.key ? -1 : 1));
  const used = new Set<number>();
  const valid = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 0 && n <= MAX_NUMERIC_ID;
  let max = 0;
  for (const { raw } of order) {
    const n = num(raw.numericId);
    if (valid(n)) max = Math.max(max, n!);
  }
  const renumbered: string[] = [];
  const reid: string[] = [];
  const out: Numbered[] = [];
  for (const { raw, index } of order) {
    let n = num(raw.numericId);
    if (!valid(n) || used.has(n!)) {
      n = ++max;
      renumbered.push(`#${index + 1} -> ${n}`);
    }
    used.add(n!);
    const tcId = str(raw.id);
    let uuid = tcId && tcId.length === 36 && UUID_PATTERN.test(tcId) && !usedUuids.has(tcId.toLowerCase()) ? tcId : undefined;
    if (!uuid) {
      for (let k = 0; !uuid || usedUuids.has(uuid.toLowerCase()); k++) uuid = stableUuid(`threat-composer:${what}:${n}:${tcId ?? ''}:${k}`);
      reid.push(`#${index + 1}${tcId ? ` ("${clip(tcId, 60)}")` : ''}`);
    }
    usedUuids.add(uuid.toLowerCase());
    const entry = { raw, index, number: n!, uuid };
    if (tcId && !byTcId.has(tcId)) byTcId.set(tcId, entry);
    out.push(entry);
  }
  if (renumbered.length) b.note(`${renumbered.length} Threat Composer ${what} had no usable numericId or repeated one; they were numbered after the others (${renumbered.slice(0, 10).join(', ')}${renumbered.length > 10 ? ', ...' : ''}).`);
  if (reid.length) b.note(`${reid.length} Threat Composer ${what} had no UUID id or repeated one; each got a new one in \`source_id\` (${reid.slice(0, 10).join(', ')}${reid.length > 10 ? ', ...' : ''}), and links naming a repeated id go to the first entry with it.`);
  return out;
}

/** The metadata of an entry by key (values of a key given more than once: the Comments joined, others the first). */
function metadataOf(raw: Obj): { comments?: string; stride: unknown; priority: unknown; other: string[] } {
  const comments: string[] = [];
  let stride: unknown, priority: unknown;
  const other: string[] = [];
  for (const m of arr(raw.metadata)) {
    if (!isObject(m)) continue;
    const key = str(m.key);
    if (key === 'Comments') {
      const c = longText(m.value);
      if (c) comments.push(c);
    } else if (key === 'STRIDE' && stride === undefined) stride = m.value;
    else if (key === 'Priority' && priority === undefined) priority = m.value;
    else if (key) other.push(`${clip(key, 50)}: ${Array.isArray(m.value) ? arr(m.value).map(v => clip(v, 100) ?? '').join(', ') : clip(m.value, 200) ?? ''}`);
  }
  return { comments: comments.length ? longText(comments.join('\n\n')) : undefined, stride, priority, other };
}

/**
 * Tags as Threat Composer wrote them (`WWWO`, `XSS`: a tag may be any text of up to 64 characters), one line each,
 * without duplicates; `changed` lists those that had to be cut or cleaned (with a comment on the entry).
 */
function tagsWithComment(b: ModelBuilder, section: 'threats' | 'mitigations' | undefined, id: string, raw: unknown): { tags: string[]; changed: string[] } {
  const changed: string[] = [];
  function* tags() {
    for (const v of arr(raw)) {
      const s = str(v);
      if (s === undefined) continue;
      const t = oneLine(s, LIMITS.id);
      if (t !== s) changed.push(clip(s, 60)!);
      if (t) yield t;
    }
  }
  const out = uniq(tags());
  if (section && changed.length) b.commentEntry(section, id, `Threat Composer tags as written: ${changed.slice(0, 20).join(', ')}.`);
  return { tags: out, changed };
}

/** Up to LIMITS.list distinct values; says so when more were given. */
function capped(b: ModelBuilder, values: string[], what: string): string[] {
  const out = [...new Set(values)];
  if (out.length <= LIMITS.list) return out;
  b.note(`${what} has ${out.length} links, more than the ${LIMITS.list} a Rampart list may hold; the first ${LIMITS.list} were kept.`);
  return out.slice(0, LIMITS.list);
}

export function importThreatComposer(text: string, options: ImportOptions = {}): ImportResult {
  const readNotes: string[] = [];
  const src = readInput(text, 'threat-composer', readNotes);
  const b = new ModelBuilder('threat-composer', [
    'Imported from an AWS Threat Composer file by `rampart import --from threat-composer`.',
    'Every threat, mitigation and assumption keeps its Threat Composer id in `source_id`; threats are',
    't-<number> and mitigations m-<number>, after the numbers Threat Composer shows.',
  ], options);
  readNotes.forEach(n => b.note(n));
  if (num(src.schema) !== 1) b.note(`The file declares schema ${clip(src.schema, 20) ?? '(none)'}; it was read as Threat Composer schema 1.`);

  const app = isObject(src.applicationInfo) ? src.applicationInfo : {};
  b.top.title = oneLine(app.name) ?? 'Imported Threat Composer model';
  const cut = (v: unknown, what: string) => {
    const t = longText(v, LIMITS.document);
    if (t && (str(v)?.length ?? 0) > LIMITS.document) b.note(`The ${what} is longer than the ${LIMITS.document} characters Rampart keeps; it was cut.`);
    return t;
  };
  const description = cut(app.description, 'application description');
  if (description) b.top.description = description;

  const scope: Obj = {};
  for (const key of ['architecture', 'dataflow'] as const) {
    const part = own(src, key);
    if (!isObject(part)) continue;
    const t = cut(part.description, `${key} description`);
    if (t) scope[key] = t;
    const image = typeof part.image === 'string' && part.image.trim() ? part.image.trim() : undefined;
    if (image) {
      const url = /^https?:\/\//i.test(image) && image.length <= 2048 ? image : undefined;
      b.note(`The ${key} diagram image (${url ? 'a URL' : `${image.length} characters of image data`}) was not kept: Rampart holds no images${url ? ' (the URL is in a comment on `scope`)' : ''}.`);
      if (url) b.commentSection('scope', `Threat Composer ${key} diagram: ${url}`);
    }
  }
  b.note('Threat Composer has no elements, flows or trust boundaries, so the model has none: add them with `rampart discover` (from the code and deployment files) or in the visual editor, then set the threats\' `targets`.');
  const known = new Set(['schema', 'applicationInfo', 'architecture', 'dataflow', 'assumptions', 'mitigations', 'assumptionLinks', 'mitigationLinks', 'threats']);
  for (const key of Object.keys(src)) {
    if (known.has(key)) continue;
    b.note(key === 'brainstorm' ? 'The Threat Composer brainstorm (ideas not yet written as threats, mitigations or assumptions) was left out.' : `The Threat Composer section \`${clip(key, 50)}\` was left out.`);
  }

  const threatsRaw = arr(src.threats).filter(isObject);
  const mitigationsRaw = arr(src.mitigations).filter(isObject);
  const assumptionsRaw = arr(src.assumptions).filter(isObject);
  b.expect('threats', threatsRaw.length);
  b.expect('mitigations', mitigationsRaw.length);
  if (assumptionsRaw.length > LIMITS.list) {
    throw new ImportError(`The import would give ${assumptionsRaw.length} assumptions, over the ${LIMITS.list} that a Rampart model's scope may hold (\`rampart check\` refuses more); split the source model into several smaller ones and import each.`);
  }

  const usedUuids = new Set<string>();
  const tcThreats = new Map<string, Numbered>();
  const tcMitigations = new Map<string, Numbered>();
  const tcAssumptions = new Map<string, Numbered>();
  const threats = numberEntries(b, threatsRaw, 'threats', usedUuids, tcThreats);
  const mitigations = numberEntries(b, mitigationsRaw, 'mitigations', usedUuids, tcMitigations);
  const assumptions = numberEntries(b, assumptionsRaw, 'assumptions', usedUuids, tcAssumptions);
  const rampartId = new Map<Numbered, string>();
  for (const t of threats) rampartId.set(t, b.ids.threats.take(`t-${t.number}`, 'threat'));
  for (const m of mitigations) rampartId.set(m, b.ids.mitigations.take(`m-${m.number}`, 'mitigation'));

  // Links, grouped per entry in the order the file gives them.
  const threatMitigations = new Map<Numbered, string[]>();
  const assumptionThreats = new Map<Numbered, string[]>();
  const assumptionMitigations = new Map<Numbered, string[]>();
  const push = (m: Map<Numbered, string[]>, k: Numbered, v: string) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  let dangling = 0;
  for (const l of arr(src.mitigationLinks)) {
    if (!isObject(l)) continue;
    const m = tcMitigations.get(str(l.mitigationId) ?? '');
    const linked = str(l.linkedId) ?? '';
    const t = tcThreats.get(linked);
    const a = t ? undefined : tcAssumptions.get(linked);
    if (m && t) push(threatMitigations, t, rampartId.get(m)!);
    else if (m && a) push(assumptionMitigations, a, rampartId.get(m)!);
    else dangling++;
  }
  for (const l of arr(src.assumptionLinks)) {
    if (!isObject(l)) continue;
    const a = tcAssumptions.get(str(l.assumptionId) ?? '');
    const linked = str(l.linkedId) ?? '';
    const type = str(l.type);
    const t = type !== 'Mitigation' ? tcThreats.get(linked) : undefined;
    const m = type !== 'Threat' && !t ? tcMitigations.get(linked) : undefined;
    if (a && t) push(assumptionThreats, a, rampartId.get(t)!);
    else if (a && m) push(assumptionMitigations, a, rampartId.get(m)!);
    else dangling++;
  }
  if (dangling) b.note(`${dangling} Threat Composer links name a threat, mitigation or assumption that is not in the file (deleted since); they were left out.`);

  // Assets: one per distinct impacted-asset name, in the order the threats name them.
  const assetIds = new Map<string, string>();
  const assetOf = (v: unknown): string | undefined => {
    const name = oneLine(v);
    if (!name) return undefined;
    let id = assetIds.get(name);
    if (!id) {
      id = b.ids.assets.take(slugify(name), 'asset');
      assetIds.set(name, id);
      b.add('assets', id, { name, classification: 'internal' });
    }
    return id;
  };

  // Threats.
  const mitigationDone = new Set(mitigations.filter(m => str(m.raw.status) === 'mitigationResolved').map(m => rampartId.get(m)!));
  const resolvedUnmitigated: string[] = [];
  const otherMetadata: string[] = [];
  const templates: string[] = [];
  for (const t of threats) {
    const raw = t.raw;
    const id = rampartId.get(t)!;
    const meta = metadataOf(raw);
    const text = (v: unknown) => (typeof v === 'string' ? str(v) : undefined);
    const parts = {
      threatSource: text(raw.threatSource), prerequisites: text(raw.prerequisites), threatAction: text(raw.threatAction), threatImpact: text(raw.threatImpact),
      impactedGoal: arr(raw.impactedGoal).map(g => oneLine(g)).filter((g): g is string => !!g),
      impactedAssets: arr(raw.impactedAssets).map(a => oneLine(a)).filter((a): a is string => !!a),
    };
    const prerequisites = parts.prerequisites ? longText(prerequisitesFromTc(parts.prerequisites)) : undefined;
    const assets = capped(b, parts.impactedAssets.map(assetOf).filter((a): a is string => !!a), `Threat ${id}'s impactedAssets`);
    const statement = {
      source: longText(parts.threatSource), prerequisites, action: longText(parts.threatAction), impact: longText(parts.threatImpact),
      assets: assets.length ? assets : undefined,
    };
    // What the export will compose from these parts: the title needs the whole sentence only when it differs.
    const composed = composeTcStatement({ ...parts, prerequisites: prerequisites && prerequisitesToTc(prerequisites) });
    const written = str(raw.statement) ? norm(str(raw.statement)!) : undefined;
    const sentence = written ?? norm(composed);
    const title = oneLine(sentence) ?? `Threat ${t.number}`;
    const full = sentence.length > LIMITS.name && sentence !== norm(composed) ? longText(sentence) : undefined;
    const goalLine = parts.impactedGoal.length ? `${GOAL_PREFIX}${parts.impactedGoal.join(', ')}` : undefined;
    const descriptionText = [full, meta.comments, goalLine].filter(Boolean).join('\n\n');

    const strideValues = Array.isArray(meta.stride) ? meta.stride : typeof meta.stride === 'string' ? meta.stride.split(/[,;\s]+/) : [];
    const stride: Stride[] = [];
    const unknownStride: string[] = [];
    for (const v of strideValues) {
      const s = str(v);
      if (!s) continue;
      const found = own(THREAT_COMPOSER_STRIDE_LETTERS, s.toUpperCase()) ?? strideFrom(s);
      if (found && !stride.includes(found)) stride.push(found);
      else if (!found) unknownStride.push(clip(s, 40)!);
    }
    const priorityWord = str(meta.priority)?.toLowerCase();
    const priority = priorityWord === 'high' || priorityWord === 'medium' || priorityWord === 'low' ? priorityWord : undefined;
    const statusWord = str(raw.status);
    const status = own(THREAT_COMPOSER_THREAT_STATUS_MAP, statusWord) ?? 'open';
    b.commentEntry('threats', id, `Threat Composer T-${t.number}.`);
    const { tags } = tagsWithComment(b, 'threats', id, raw.tags);
    const linked = capped(b, threatMitigations.get(t) ?? [], `Threat ${id}`);

    b.add('threats', id, {
      title,
      description: longText(descriptionText),
      statement: Object.values(statement).some(v => v !== undefined) ? Object.fromEntries(Object.entries(statement).filter(([, v]) => v !== undefined)) : undefined,
      stride,
      status,
      mitigations: linked,
      priority,
      tags,
      source_id: t.uuid,
    });
    if (statusWord && !own(THREAT_COMPOSER_THREAT_STATUS_MAP, statusWord)) b.commentEntry('threats', id, `Unknown Threat Composer status "${clip(statusWord, 60)}": imported as open.`);
    if (meta.priority !== undefined && !priority) b.commentEntry('threats', id, `Unknown Threat Composer priority ${clip(meta.priority, 60) !== undefined ? `"${clip(meta.priority, 60)}"` : `(${listText([meta.priority])})`}: left unset.`);
    if (unknownStride.length) b.commentEntry('threats', id, `STRIDE values not understood: ${unknownStride.join(', ')}.`);
    if (full) b.commentEntry('threats', id, 'The description opens with the whole Threat Composer statement: the title holds its first 200 characters.');
    if (str(raw.customTemplate)) {
      templates.push(id);
      b.commentEntry('threats', id, `Threat Composer custom template (not kept): ${clip(raw.customTemplate, 200)}`);
    }
    if (meta.other.length) {
      otherMetadata.push(id);
      b.commentEntry('threats', id, `Threat Composer metadata not kept: ${meta.other.slice(0, 10).join('; ')}.`);
    }
    if (status === 'mitigated') {
      if (!linked.some(m => mitigationDone.has(m))) resolvedUnmitigated.push(id);
    }
  }
  if (assetIds.size) b.commentSection('assets', 'The impacted assets of the Threat Composer threats; Threat Composer has no classification, so each is internal: review them.');
  if (templates.length) b.note(`The custom statement templates of ${templates.length} threats (${templates.slice(0, 10).join(', ')}) were not kept; their statements were.`);

  // Mitigations.
  const mitigationOther: string[] = [];
  for (const m of mitigations) {
    const raw = m.raw;
    const id = rampartId.get(m)!;
    const meta = metadataOf(raw);
    const content = str(raw.content) ? norm(str(raw.content)!) : undefined;
    const title = oneLine(content) ?? `Mitigation ${m.number}`;
    const full = content && content.length > LIMITS.name ? longText(content) : undefined;
    const statusWord = str(raw.status);
    const status = own(THREAT_COMPOSER_MITIGATION_STATUS_MAP, statusWord) ?? 'proposed';
    b.commentEntry('mitigations', id, `Threat Composer M-${m.number}.`);
    const { tags } = tagsWithComment(b, 'mitigations', id, raw.tags);
    const willNot = statusWord === 'mitigationResolvedWillNotAction';
    b.add('mitigations', id, {
      title,
      description: longText([full, meta.comments].filter(Boolean).join('\n\n')),
      status,
      tags: willNot && !tags.includes(THREAT_COMPOSER_WILL_NOT_ACTION_TAG) ? [...tags, THREAT_COMPOSER_WILL_NOT_ACTION_TAG].slice(0, LIMITS.list) : tags,
      source_id: m.uuid,
    });
    if (willNot) b.commentEntry('mitigations', id, `Resolved in Threat Composer as "will not action": proposed here, with the tag ${THREAT_COMPOSER_WILL_NOT_ACTION_TAG}.`);
    else if (statusWord && !own(THREAT_COMPOSER_MITIGATION_STATUS_MAP, statusWord)) b.commentEntry('mitigations', id, `Unknown Threat Composer status "${clip(statusWord, 60)}": imported as proposed.`);
    if (full) b.commentEntry('mitigations', id, 'The description opens with the whole Threat Composer text: the title holds its first 200 characters.');
    if (meta.other.length || meta.stride !== undefined || meta.priority !== undefined) {
      mitigationOther.push(id);
      b.commentEntry('mitigations', id, `Threat Composer metadata not kept: ${meta.other.slice(0, 10).join('; ') || 'STRIDE/Priority'}.`);
    }
  }
  if (mitigations.some(m => str(m.raw.status) === 'mitigationResolvedWillNotAction')) {
    b.note(`Mitigations Threat Composer resolved as "will not action" are proposed, with the tag ${THREAT_COMPOSER_WILL_NOT_ACTION_TAG} (an export writes that status back).`);
  }
  if (otherMetadata.length || mitigationOther.length) {
    b.note(`Threat Composer metadata other than STRIDE, Priority and Comments (threat packs, custom: keys) was left out, on ${[...otherMetadata, ...mitigationOther].slice(0, 10).join(', ')}${otherMetadata.length + mitigationOther.length > 10 ? ', ...' : ''} (comments there list it).`);
  }
  if (resolvedUnmitigated.length) {
    b.note(`${resolvedUnmitigated.length} threats resolved in Threat Composer link no implemented mitigation (${resolvedUnmitigated.slice(0, 10).join(', ')}); they are mitigated here, and \`rampart check\` says so (risk/mitigated-not-implemented) until one is linked.`);
  }

  // Assumptions.
  const list: Obj[] = [];
  const assumptionTags = new Set<string>();
  let renumberedAssumptions = false;
  assumptions.forEach((a, i) => {
    const raw = a.raw;
    if (a.number !== i + 1 || num(raw.displayOrder) !== undefined && num(raw.displayOrder) !== a.number) renumberedAssumptions = true;
    const meta = metadataOf(raw);
    const content = longText(raw.content) ?? `Assumption ${a.number}`;
    const { tags, changed } = tagsWithComment(b, undefined, '', raw.tags);
    for (const c of changed) if (assumptionTags.size < 50) assumptionTags.add(c);
    if (meta.other.length) b.commentSection('scope', `Metadata of the assumption "${clip(content, 60)}" not kept: ${meta.other.slice(0, 10).join('; ')}.`);
    const entry: Obj = { text: longText(meta.comments ? `${content}${ASSUMPTION_COMMENTS}${meta.comments}` : content) };
    const ts = capped(b, assumptionThreats.get(a) ?? [], `The assumption "${clip(content, 60)}"`);
    const ms = capped(b, assumptionMitigations.get(a) ?? [], `The assumption "${clip(content, 60)}"`);
    if (ts.length) entry.threats = ts;
    if (ms.length) entry.mitigations = ms;
    if (tags.length) entry.tags = tags;
    entry.source_id = a.uuid;
    list.push(entry);
  });
  if (assumptionTags.size) b.commentSection('scope', `Assumption tags as Threat Composer wrote them (cut or cleaned here): ${[...assumptionTags].join(', ')}.`);
  if (renumberedAssumptions) b.note('Rampart assumptions have no number: an export numbers them 1 to n in their order, not as Threat Composer numbered them.');
  if (list.length) scope.assumptions = list;
  if (Object.keys(scope).length) b.top.scope = scope;

  return b.result();
}
