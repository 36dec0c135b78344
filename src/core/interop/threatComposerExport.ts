/**
 * Rampart model -> AWS Threat Composer (`.tc.json`, `schema: 1`), valid against Threat Composer's v1 JSON schema.
 *
 * | Rampart | Threat Composer |
 * |---|---|
 * | `title`, `description` | `applicationInfo.name`, `applicationInfo.description` |
 * | `scope.architecture`, `scope.dataflow` | `architecture.description`, `dataflow.description` |
 * | threats | `threats`: `id` = `source_id` when it is a UUID (else a UUID made from the Rampart id, the same on every export); `numericId` from an id `t-<n>` (else the next free number); `displayOrder` = `numericId` when the numbers rise in the model's order, else the position |
 * | threat `statement` | `threatSource`, `prerequisites` (with "with" before them unless they open with another connecting word), `threatAction`, `threatImpact`, `impactedAssets` (the assets' names); `statement` = the sentence Threat Composer composes from them when it gives the title, else the title (or the whole sentence that opens the description, see the importer) |
 * | the `Impacted goal: ...` paragraph ending the description | `impactedGoal` |
 * | `description` (the rest) | metadata `Comments` (at most 1,000 characters) |
 * | `stride`, `priority` | metadata `STRIDE` (letters), `Priority` (High/Medium/Low); a threat without a priority gets its risk level's (low Low, medium Medium, high and critical High), and a note says so |
 * | threat `status` | per {@link THREAT_COMPOSER_EXPORT_THREAT_STATUS} (accepted and transferred are resolved: a note says so) |
 * | `tags` | `tags` (at most 30 characters each) |
 * | mitigations | `mitigations` (`m-<n>` -> `numericId`); `title` -> `content` (or the whole text opening the description); `description` -> `Comments`; status per {@link THREAT_COMPOSER_EXPORT_MITIGATION_STATUS} (a mitigation tagged `will-not-action` is `mitigationResolvedWillNotAction`) |
 * | threat `mitigations` | `mitigationLinks` |
 * | `scope.assumptions` | `assumptions` (numbered 1 to n; the text after `Comments: ` -> metadata `Comments`) and `assumptionLinks` (type Threat, Mitigation) |
 *
 * Not exported, each named in a note with where it is: elements, flows, boundaries, threat targets, likelihood,
 * impact, CVSS, CWE/CAPEC, annual rate, exposure, justification, acceptance (owner, expiry), tickets and owners,
 * mitigation evidence and cost, asset details beyond the name, team, version, policy, attack trees, and the
 * scope's lists (in/out, abuse cases, requirements, questions).
 */
import { assessThreat } from '../risk/assess';
import { type MitigationStatus, type Model, type Stride, type ThreatStatus } from '../model/schema';
import { oneLine, stableUuid, type ExportResult } from './common';
import {
  ASSUMPTION_COMMENTS, MAX_NUMERIC_ID, THREAT_COMPOSER_STRIDE_LETTERS, THREAT_COMPOSER_WILL_NOT_ACTION_TAG, UUID_PATTERN,
  composeTcStatement, leadingFullText, norm, prerequisitesToTc, splitGoals,
} from './threatComposer';

/** Rampart threat status -> Threat Composer threat `status`. */
export const THREAT_COMPOSER_EXPORT_THREAT_STATUS: Readonly<Record<ThreatStatus, string>> = {
  open: 'threatIdentified',
  mitigated: 'threatResolved',
  accepted: 'threatResolved',
  transferred: 'threatResolved',
  'not-applicable': 'threatResolvedNotUseful',
};
/** Rampart mitigation status -> Threat Composer mitigation `status`. */
export const THREAT_COMPOSER_EXPORT_MITIGATION_STATUS: Readonly<Record<MitigationStatus, string>> = {
  proposed: 'mitigationIdentified',
  planned: 'mitigationIdentified',
  'in-progress': 'mitigationInProgress',
  implemented: 'mitigationResolved',
  verified: 'mitigationResolved',
};
const PRIORITY_WORD = { low: 'Low', medium: 'Medium', high: 'High', critical: 'High' } as const;
const LETTER: Record<Stride, string> = Object.fromEntries(Object.entries(THREAT_COMPOSER_STRIDE_LETTERS).map(([l, s]) => [s, l])) as Record<Stride, string>;

/** Threat Composer's limits (its JSON schema). */
const TC = { field: 200, statement: 1400, content: 1000, comment: 1000, tag: 30, description: 100_000 } as const;

type Json = Record<string, unknown>;

/** Collects "what: where" pairs and writes one note per kind, naming up to 10 places. */
class Losses {
  private readonly byKind = new Map<string, Set<string>>();
  add(kind: string, where: string): void {
    const list = this.byKind.get(kind);
    if (list) list.add(where);
    else this.byKind.set(kind, new Set([where]));
  }
  notes(): string[] {
    return [...this.byKind].map(([kind, places]) => {
      const where = [...places];
      const shown = where.slice(0, 10).join(', ');
      return kind.replace('{where}', `${shown}${where.length > 10 ? ` and ${where.length - 10} more` : ''}`);
    });
  }
}

const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s);

export function exportThreatComposer(model: Model): ExportResult {
  const notes: string[] = [];
  const losses = new Losses();
  const threats = model.threats ?? {};
  const mitigations = model.mitigations ?? {};
  const assets = model.assets ?? {};
  const usedUuids = new Set<string>();
  const idFor = (kind: string, rampartId: string, sourceId: string | undefined, where: string): string => {
    if (sourceId && UUID_PATTERN.test(sourceId) && !usedUuids.has(sourceId.toLowerCase())) {
      usedUuids.add(sourceId.toLowerCase());
      return sourceId;
    }
    if (sourceId) losses.add('These source_id values are not UUIDs, or repeat one, so Threat Composer cannot take them as ids; new ids were written: {where}.', where);
    let id = stableUuid(`rampart:${kind}:${rampartId}`);
    for (let k = 2; usedUuids.has(id); k++) id = stableUuid(`rampart:${kind}:${rampartId}:${k}`);
    usedUuids.add(id);
    return id;
  };
  /** numericIds from `prefix-<n>` ids, the others numbered after the highest. */
  const numbers = (ids: string[], prefix: string, what: string): Map<string, number> => {
    const out = new Map<string, number>();
    const pattern = new RegExp(`^${prefix}-(0|[1-9]\\d{0,8})$`);
    let max = 0;
    for (const id of ids) {
      const m = pattern.exec(id);
      const n = m ? Number(m[1]) : undefined;
      if (n !== undefined && n <= MAX_NUMERIC_ID) {
        out.set(id, n);
        max = Math.max(max, n);
      }
    }
    for (const id of ids) {
      if (out.has(id)) continue;
      out.set(id, ++max);
      losses.add(`Threat Composer numbers its ${what}; these Rampart ids were written as numbers: {where}.`, `${id} -> ${prefix.toUpperCase()}-${max}`);
    }
    return out;
  };
  const displayOrders = (ids: string[], n: Map<string, number>): Map<string, number> => {
    const rising = ids.every((id, i) => i === 0 || n.get(ids[i - 1])! < n.get(id)!);
    return new Map(ids.map((id, i) => [id, rising ? n.get(id)! : i + 1]));
  };
  const tagsOf = (tags: readonly string[] | undefined, where: string): string[] | undefined => {
    if (!tags?.length) return undefined;
    const out = [...new Set(tags.map(t => t.trim()).filter(Boolean).map(t => {
      if (t.length <= TC.tag) return t;
      losses.add(`Threat Composer tags hold at most ${TC.tag} characters; longer tags were cut on {where}.`, where);
      return t.slice(0, TC.tag);
    }))];
    return out.length ? out : undefined;
  };
  const comments = (text: string | undefined, where: string): Json[] => {
    const t = text?.trim();
    if (!t) return [];
    if (t.length > TC.comment) losses.add(`Threat Composer comments hold at most ${TC.comment} characters; the descriptions of {where} were cut there.`, where);
    return [{ key: 'Comments', value: cut(t, TC.comment) }];
  };
  const field = (v: string | undefined, name: string, where: string): string | undefined => {
    if (v === undefined || v.trim() === '') return undefined;
    if (v.length > TC.field) losses.add(`Threat Composer statement fields hold at most ${TC.field} characters; ${name} was cut on {where}.`, where);
    return cut(v, TC.field);
  };

  // Top level.
  const out: Json = { schema: 1 };
  const applicationInfo: Json = { name: cut(model.title || 'Untitled threat model', TC.field) };
  if (model.description) applicationInfo.description = model.description;
  out.applicationInfo = applicationInfo;
  out.architecture = model.scope?.architecture ? { description: model.scope.architecture } : {};
  out.dataflow = model.scope?.dataflow ? { description: model.scope.dataflow } : {};

  // Ids and numbers.
  const threatIds = Object.keys(threats);
  const mitigationIds = Object.keys(mitigations);
  const threatNumber = numbers(threatIds, 't', 'threats');
  const mitigationNumber = numbers(mitigationIds, 'm', 'mitigations');
  const threatOrder = displayOrders(threatIds, threatNumber);
  const mitigationOrder = displayOrders(mitigationIds, mitigationNumber);
  const threatUuid = new Map(threatIds.map(id => [id, idFor('threat', id, threats[id].source_id, id)]));
  const mitigationUuid = new Map(mitigationIds.map(id => [id, idFor('mitigation', id, mitigations[id].source_id, id)]));

  // Assumptions.
  const assumptionsOut: Json[] = [];
  const assumptionLinks: Json[] = [];
  (model.scope?.assumptions ?? []).forEach((a, i) => {
    const entry = typeof a === 'string' ? { text: a } : a;
    const where = `assumption ${i + 1}`;
    const id = idFor('assumption', `${i + 1}:${entry.text}`, entry.source_id, where);
    const at = entry.text.indexOf(ASSUMPTION_COMMENTS);
    const content = at < 0 ? entry.text : entry.text.slice(0, at);
    const comment = at < 0 ? undefined : entry.text.slice(at + ASSUMPTION_COMMENTS.length);
    if (content.length > TC.content) losses.add(`Threat Composer assumptions hold at most ${TC.content} characters; {where} were cut.`, where);
    const metadata = comments(comment, where);
    const json: Json = { id, numericId: i + 1, displayOrder: i + 1 };
    if (metadata.length) json.metadata = metadata;
    const tags = tagsOf(typeof a === 'string' ? undefined : a.tags, where);
    if (tags) json.tags = tags;
    json.content = cut(content.trim() || `Assumption ${i + 1}`, TC.content);
    assumptionsOut.push(json);
    if (typeof a === 'string') return;
    for (const t of new Set(a.threats ?? [])) {
      const linked = threatUuid.get(t);
      if (linked) assumptionLinks.push({ type: 'Threat', assumptionId: id, linkedId: linked });
      else losses.add('Links to threats that are not in the model were left out: {where}.', `${where} -> ${t}`);
    }
    for (const m of new Set(a.mitigations ?? [])) {
      const linked = mitigationUuid.get(m);
      if (linked) assumptionLinks.push({ type: 'Mitigation', assumptionId: id, linkedId: linked });
      else losses.add('Links to mitigations that are not in the model were left out: {where}.', `${where} -> ${m}`);
    }
  });

  // Mitigations.
  const mitigationsOut: Json[] = [];
  for (const id of mitigationIds) {
    const m = mitigations[id];
    const [full, rest] = leadingFullText(m.title, m.description);
    const tags = (m.tags ?? []).filter(t => t !== THREAT_COMPOSER_WILL_NOT_ACTION_TAG);
    const willNot = (m.tags ?? []).includes(THREAT_COMPOSER_WILL_NOT_ACTION_TAG);
    const json: Json = { id: mitigationUuid.get(id), numericId: mitigationNumber.get(id), displayOrder: mitigationOrder.get(id) };
    const metadata = comments(rest, id);
    if (metadata.length) json.metadata = metadata;
    const t = tagsOf(tags, id);
    if (t) json.tags = t;
    if (full && full.length > TC.content) losses.add(`Threat Composer mitigations hold at most ${TC.content} characters; the text of {where} was cut.`, id);
    json.content = cut(full ?? m.title, TC.content);
    json.status = willNot ? 'mitigationResolvedWillNotAction' : THREAT_COMPOSER_EXPORT_MITIGATION_STATUS[m.status];
    if (m.status === 'planned' || m.status === 'verified') losses.add('Threat Composer has no planned or verified mitigation status: {where} were written as identified and resolved.', `${id} (${m.status})`);
    if (m.evidence?.length) losses.add('Threat Composer has no place for mitigation evidence: the evidence of {where} was not written.', id);
    if (m.owner || m.ticket) losses.add('Threat Composer has no owner or ticket for mitigations: those of {where} were not written.', id);
    if (m.cost !== undefined) losses.add('Threat Composer has no mitigation cost: the cost of {where} was not written.', id);
    mitigationsOut.push(json);
  }

  // Threats.
  const threatsOut: Json[] = [];
  const mitigationLinks: Json[] = [];
  const assetName = (a: string) => assets[a]?.name ?? a;
  const assetsUsed = new Set<string>();
  for (const id of threatIds) {
    const t = threats[id];
    const s = t.statement ?? {};
    const impactedAssets = (s.assets ?? []).map(a => {
      assetsUsed.add(a);
      return cut(assetName(a), TC.field);
    });
    const parts = {
      threatSource: field(s.source, 'the threat source', id),
      prerequisites: field(s.prerequisites === undefined || s.prerequisites.trim() === '' ? undefined : prerequisitesToTc(s.prerequisites.trim()), 'the prerequisites', id),
      threatAction: field(s.action, 'the threat action', id),
      threatImpact: field(s.impact, 'the threat impact', id),
    };
    // The description: [the whole statement when the title holds only its start] [comments] [Impacted goal: ...].
    let [whole, rest] = leadingFullText(t.title, t.description);
    let [commentText, impactedGoal] = splitGoals(rest);
    let composed = composeTcStatement({ ...parts, impactedGoal, impactedAssets });
    if (whole !== undefined && whole === norm(composed)) {
      // What the parts compose anyway is never kept in the description: that paragraph is the user's.
      whole = undefined;
      [commentText, impactedGoal] = splitGoals(t.description ?? '');
      composed = composeTcStatement({ ...parts, impactedGoal, impactedAssets });
    }
    let statement = whole ?? (oneLine(composed) === t.title ? composed : t.title);
    if (statement.length > TC.statement) {
      losses.add(`Threat Composer statements hold at most ${TC.statement} characters; the statements of {where} were cut.`, id);
      statement = cut(statement, TC.statement);
    }

    const metadata: Json[] = [];
    let priority = t.priority;
    if (!priority) {
      const level = assessThreat(model, id, t).level;
      if (level) {
        priority = level === 'critical' ? 'high' : level;
        losses.add('Threat Composer has only a priority: threats without one got their risk level\'s ({where}).', `${id} ${PRIORITY_WORD[level]}`);
      }
    }
    if (priority) metadata.push({ key: 'Priority', value: PRIORITY_WORD[priority] });
    if (t.stride?.length) metadata.push({ key: 'STRIDE', value: t.stride.map(x => LETTER[x]) });
    metadata.push(...comments(commentText, id));

    const json: Json = { id: threatUuid.get(id), numericId: threatNumber.get(id), displayOrder: threatOrder.get(id) };
    if (metadata.length) json.metadata = metadata;
    const tags = tagsOf(t.tags, id);
    if (tags) json.tags = tags;
    for (const [k, v] of Object.entries(parts)) if (v !== undefined) json[k] = v;
    const goalList = impactedGoal.map(g => cut(g, TC.field));
    if (goalList.length) json.impactedGoal = goalList;
    if (impactedAssets.length) json.impactedAssets = impactedAssets;
    json.statement = statement;
    json.status = THREAT_COMPOSER_EXPORT_THREAT_STATUS[t.status];
    threatsOut.push(json);

    for (const m of new Set(t.mitigations ?? [])) {
      const linked = mitigationUuid.get(m);
      if (linked) mitigationLinks.push({ mitigationId: linked, linkedId: threatUuid.get(id) });
      else losses.add('Links to mitigations that are not in the model were left out: {where}.', `${id} -> ${m}`);
    }
    if (t.status === 'accepted' || t.status === 'transferred') {
      losses.add('Threat Composer has no accepted or transferred status: {where} were written as resolved (threatResolved), and come back as mitigated.', `${id} (${t.status})`);
    }
    if (t.targets?.length) losses.add('Threat Composer threats have no targets (it has no elements or flows): the targets of {where} were not written.', id);
    if (t.likelihood || t.impact) losses.add('Threat Composer has no likelihood or impact rating: those of {where} were not written (see their Priority).', id);
    if (t.cvss) losses.add('Threat Composer has no CVSS vector: the vectors of {where} were not written.', id);
    if (t.cwe?.length || t.capec?.length) losses.add('Threat Composer has no CWE or CAPEC references: those of {where} were not written.', id);
    if (t.annual_rate !== undefined || t.exposure !== undefined) losses.add('Threat Composer has no annual rate or exposure: those of {where} were not written.', id);
    if (t.justification || t.accepted_by || t.expires) losses.add('Threat Composer has no justification, acceptance or expiry: those of {where} were not written.', id);
    if (t.owner || t.ticket) losses.add('Threat Composer has no owner or ticket for threats: those of {where} were not written.', id);
    if (t.rule) losses.add('Threat Composer does not record the design rule that suggested a threat: the rules of {where} were not written.', id);
  }

  out.assumptions = assumptionsOut;
  out.mitigations = mitigationsOut;
  out.assumptionLinks = assumptionLinks;
  out.mitigationLinks = mitigationLinks;
  out.threats = threatsOut;

  // What the format has no place for at all.
  const count = (o: object | undefined) => Object.keys(o ?? {}).length;
  const section = (n: number, one: string, many: string, ids: object | undefined) => {
    if (n) notes.push(`Threat Composer has no ${many}: ${n === 1 ? `the one ${one}` : `the ${n} ${many}`} of the model (${Object.keys(ids ?? {}).slice(0, 10).join(', ')}${n > 10 ? ', ...' : ''}) ${n === 1 ? 'was' : 'were'} not written.`);
  };
  section(count(model.elements), 'element', 'elements', model.elements);
  section(count(model.flows), 'flow', 'flows', model.flows);
  section(count(model.boundaries), 'boundary', 'boundaries', model.boundaries);
  section(count(model.attack_trees), 'attack tree', 'attack trees', model.attack_trees);
  const assetDetails = Object.entries(assets).filter(([, a]) => a.description || a.value !== undefined || a.kind || a.personal !== undefined || a.criticality || a.cia || a.classification !== 'internal');
  if (assetDetails.length) {
    notes.push(`Threat Composer knows assets only by name (in impactedAssets): the classification, criticality and other details of ${assetDetails.slice(0, 10).map(([id]) => id).join(', ')}${assetDetails.length > 10 ? ', ...' : ''} were not written.`);
  }
  const unused = Object.keys(assets).filter(a => !assetsUsed.has(a));
  if (unused.length) notes.push(`Assets that no threat impacts have no place in Threat Composer: ${unused.slice(0, 10).join(', ')}${unused.length > 10 ? ', ...' : ''} were not written.`);
  if (model.team?.length) notes.push('Threat Composer has no team: the team was not written.');
  if (model.version) notes.push('Threat Composer has no model version: the version was not written.');
  if (model.policy) notes.push('Threat Composer has no risk policy: the policy (tolerance, matrix, currency) was not written.');
  const sc = model.scope;
  if (sc?.in?.length || sc?.out?.length) notes.push('Threat Composer has no in-scope/out-of-scope lists: scope.in and scope.out were not written.');
  if (sc?.abuse_cases?.length) notes.push('Threat Composer has no abuse cases: scope.abuse_cases were not written.');
  if (sc?.requirements?.length) notes.push('Threat Composer has no security requirements: scope.requirements were not written.');
  if (sc?.questions?.length) notes.push('Threat Composer has no open questions: scope.questions were not written.');
  notes.push(...losses.notes());
  return { text: JSON.stringify(out, null, 2) + '\n', notes };
}
