/**
 * Rampart model -> OWASP Threat Dragon v2 JSON (one STRIDE diagram), valid against Threat Dragon's
 * `threat-dragon-v2.schema.json`. The inverse of the import (threatDragon.ts): a model imported from Threat Dragon
 * exports to a file that imports to the same model, with the original cell and threat ids.
 *
 * | Rampart | Threat Dragon |
 * |---|---|
 * | `title`, `description`, `team` (roles owner, reviewer; everyone else a contributor) | `summary.title`, `summary.description`, `summary.owner`, `detail.reviewer`, `detail.contributors` |
 * | `scope.dataflow` | the diagram's `description` |
 * | `source_id` of an element, flow, boundary or threat | its cell `id` / threat `id` (when it is unique and at least 2 characters; else a UUID derived from the Rampart id, stable across runs) |
 * | element external / process / store | cell `actor` (tm.Actor) / `process` (tm.Process) / `store` (tm.Store), placed by {@link layoutModel} so that nothing overlaps; process kind web-app -> `isWebApplication`; tag `privilege-level:<text>` (else `privileged`) -> `privilegeLevel`; store kind log-store -> `isALog`, `encrypted` -> `isEncrypted`; tags stores-credentials, stores-inventory, signed, handles-card-payment, handles-goods-or-services, provides-authentication -> the flags of those names |
 * | `out_of_scope` (elements and flows; element names in `scope.out`) | `outOfScope: true`; a last description paragraph `Out of scope: <reason>` -> `reasonOutOfScope` |
 * | boundary | cell `trust-boundary-box` (tm.BoundaryBox) drawn around its elements and nested boundaries |
 * | flow between two elements | cell `flow` (tm.Flow) with `source.cell`/`target.cell`; `protocol`, `encrypted` -> `isEncrypted`, `bidirectional` -> `isBidirectional`, tag public-network -> `isPublicNetwork` |
 * | threat | an entry of `data.threats` on the cell of each target (element or flow); threats without one sit on a text block that lists them, so none is lost; status per {@link THREAT_DRAGON_EXPORT_STATUS} (tags avoided / eliminated on a mitigated threat -> Avoided / Eliminated); severity from the risk level per {@link THREAT_DRAGON_EXPORT_SEVERITY} (TBA when unrated; `priority` when there is no likelihood x impact); first STRIDE category -> `type` (a tag `<modelType>:<type>` -> `modelType` and `type`); `cvss` or tag `score:<score>` -> `score`; linked mitigations' titles and descriptions -> `mitigation` text |
 *
 * Everything else (assets, attack trees, policy, most of the scope, element technology and controls, flow data,
 * threat CVEs/CWEs and acceptance details, mitigation status and evidence, ...) has no place in Threat Dragon: each
 * is named, with the entity it belongs to, in the export's notes. Trust boundary lines are not in a Rampart model
 * (the import keeps them in a note), so none is exported.
 */
import type { Element, Level, Mitigation, Model, Threat, ThreatStatus } from '../model/schema';
import { matrixLevel, matrixOf } from '../risk/matrix';
import { own, stableUuid, strideWords, type ExportResult } from './common';
import { elementSize, layoutModel } from './layout';
import {
  TD_FLAG_TAGS, TD_MODEL_TYPES, TD_OUT_OF_SCOPE_PREFIX, TD_PRIVILEGE_TAG, TD_SCORE_TAG, TD_TYPE_FLAGS, TD_UNRATED, THREAT_DRAGON_SEVERITY_MAP,
  isElevated, strideOfType, trustFromName,
} from './threatDragon';

/** Rampart threat status -> Threat Dragon status. */
export const THREAT_DRAGON_EXPORT_STATUS: Readonly<Record<ThreatStatus, string>> = {
  open: 'Open',
  mitigated: 'Mitigated',
  accepted: 'Accepted',
  transferred: 'Transferred',
  'not-applicable': 'NotApplicable',
};

/** Rampart risk level (likelihood x impact in the model's matrix) -> Threat Dragon severity; unrated: TBA. */
export const THREAT_DRAGON_EXPORT_SEVERITY: Readonly<Record<Level, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

const TD_VERSION = '2.3.0';
const STROKE = '#333333';
const OPEN_STROKE = 'red';

type Json = Record<string, unknown>;

/** Element and flow fields the export writes (anything else set is named in a note). */
const ELEMENT_FIELDS = new Set(['type', 'name', 'description', 'boundary', 'tags', 'out_of_scope', 'source_id']);
const FLOW_FIELDS = new Set(['from', 'to', 'name', 'description', 'protocol', 'encrypted', 'bidirectional', 'tags', 'out_of_scope', 'source_id']);
const BOUNDARY_FIELDS = new Set(['name', 'description', 'trust', 'parent', 'source_id']);
const THREAT_FIELDS = new Set(['title', 'description', 'stride', 'targets', 'likelihood', 'impact', 'cvss', 'status', 'mitigations', 'tags', 'priority', 'source_id']);
const MITIGATION_FIELDS = new Set(['title', 'description', 'status', 'source_id']);
const MODEL_FIELDS = new Set(['rampart', 'title', 'description', 'team', 'scope', 'elements', 'flows', 'boundaries', 'threats', 'mitigations']);

/** The set fields of an entry that are not in `written`. */
const unwritten = (entry: object, written: Set<string>) =>
  Object.entries(entry).filter(([k, v]) => !written.has(k) && v !== undefined && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0)).map(([k]) => k);

/** The description and the out-of-scope reason the import put in its last paragraph. */
function splitReason(description: string | undefined, out: boolean): { description: string; reason: string } {
  if (!description) return { description: '', reason: '' };
  if (!out) return { description, reason: '' };
  const at = description.lastIndexOf(`\n\n${TD_OUT_OF_SCOPE_PREFIX}`);
  if (at >= 0) return { description: description.slice(0, at), reason: description.slice(at + 2 + TD_OUT_OF_SCOPE_PREFIX.length) };
  if (description.startsWith(TD_OUT_OF_SCOPE_PREFIX)) return { description: '', reason: description.slice(TD_OUT_OF_SCOPE_PREFIX.length) };
  return { description, reason: '' };
}

/** The value of the first tag with this prefix. */
const tagValue = (tags: readonly string[] | undefined, prefix: string) => tags?.find(t => t.startsWith(prefix))?.slice(prefix.length);

/** A mitigation as Threat Dragon text: its title, then its description (the import splits them again). */
function mitigationText(m: Mitigation): string {
  if (!m.description) return m.title;
  // A title cut from a long first line: the description holds the whole text.
  const firstLine = m.description.split('\n', 1)[0].replace(/\s+/g, ' ').trim();
  if (m.title.endsWith('…') && firstLine.startsWith(m.title.slice(0, -1).trimEnd())) return m.description;
  return `${m.title}\n\n${m.description}`;
}

export function exportThreatDragon(model: Model): ExportResult {
  const notes: string[] = [];
  const lost = (what: string, id: string, fields: string[]) => {
    if (fields.length) notes.push(`${what} \`${id}\`: ${fields.join(', ')} ${fields.length === 1 ? 'has' : 'have'} no place in Threat Dragon and ${fields.length === 1 ? 'was' : 'were'} not exported.`);
  };
  const elements = model.elements ?? {};
  const flows = model.flows ?? {};
  const boundaries = model.boundaries ?? {};
  const threats = model.threats ?? {};
  const mitigations = model.mitigations ?? {};
  const layout = layoutModel(model);
  const scopeOut = new Set(model.scope?.out ?? []);
  const matrix = matrixOf(model);

  // ---- model-level fields ----
  lost('The model', model.title, unwritten(model, MODEL_FIELDS));
  const scope = model.scope ?? {};
  lost('The scope of the model', model.title, Object.keys(scope).filter(k => k !== 'dataflow' && k !== 'out' && (scope as Record<string, unknown>)[k] !== undefined));
  if (scopeOut.size) {
    const names = new Set([...Object.values(elements).map(e => e.name), ...Object.values(flows).map(f => f.name)]);
    const found = [...scopeOut].filter(n => names.has(n));
    const missing = [...scopeOut].filter(n => !names.has(n));
    const quoted = (list: string[]) => list.slice(0, 20).map(n => `"${n}"`).join(', ') + (list.length > 20 ? ` and ${list.length - 20} more` : '');
    if (found.length) notes.push(`scope.out: the elements and flows named ${quoted(found)} are written with outOfScope (they come back as out_of_scope: true, not in scope.out).`);
    if (missing.length) notes.push(`scope.out: ${quoted(missing)} ${missing.length === 1 ? 'names' : 'name'} no element or flow and ${missing.length === 1 ? 'was' : 'were'} not exported.`);
  }

  // ---- ids: the Threat Dragon ids kept in source_id, else stable UUIDs ----
  const cellIds = new Map<string, string>();
  const usedCellIds = new Set<string>();
  const exportedFlows = Object.entries(flows).filter(([id, f]) => {
    if (own(elements, f.from) && own(elements, f.to)) return true;
    notes.push(`Flow \`${id}\` does not join two elements (${!own(elements, f.from) ? f.from : f.to} is not an element); a Threat Dragon flow must, so it was not exported.`);
    return false;
  });
  const nodes: [string, string, string | undefined][] = [
    ...Object.entries(boundaries).map(([id, b]) => ['boundary', id, b.source_id] as [string, string, string | undefined]),
    ...Object.entries(elements).map(([id, e]) => ['element', id, e.source_id] as [string, string, string | undefined]),
    ...exportedFlows.map(([id, f]) => ['flow', id, f.source_id] as [string, string, string | undefined]),
  ];
  const validId = (s: string | undefined): s is string => typeof s === 'string' && s.length >= 2;
  /** Entities without a Threat Dragon id, for one note (they get new ids, which an import keeps in source_id). */
  const withoutId: string[] = [];
  const label = (kind: string) => (kind === 'element' ? 'Element' : kind === 'flow' ? 'Flow' : kind === 'boundary' ? 'Boundary' : 'Threat');
  const refused = (kind: string, id: string, source: string, why: string) =>
    notes.push(`${label(kind)} \`${id}\`: its Threat Dragon id "${source}" ${why}, so a new id was written (an import keeps the new one in source_id).`);
  for (const [kind, id, source] of nodes) {
    if (source === undefined) withoutId.push(`${kind} ${id}`);
    else if (!validId(source)) refused(kind, id, source, 'is shorter than the 2 characters Threat Dragon asks');
    else if (usedCellIds.has(source)) refused(kind, id, source, 'is also the id of another cell');
    else {
      usedCellIds.add(source);
      cellIds.set(`${kind}:${id}`, source);
    }
  }
  const fresh = (used: Set<string>, seed: string) => {
    let id = stableUuid(seed);
    for (let n = 2; used.has(id); n++) id = stableUuid(`${seed}:${n}`);
    used.add(id);
    return id;
  };
  for (const [kind, id] of nodes) if (!cellIds.has(`${kind}:${id}`)) cellIds.set(`${kind}:${id}`, fresh(usedCellIds, `${kind}:${id}`));
  const cellId = (kind: string, id: string) => cellIds.get(`${kind}:${id}`)!;
  const usedThreatIds = new Set<string>();
  for (const t of Object.values(threats)) if (validId(t.source_id)) usedThreatIds.add(t.source_id);
  const claimedThreatIds = new Set<string>();

  // ---- threats, by the cell they sit on ----
  const threatCell = (target: string): string | undefined => {
    if (own(elements, target)) return `element:${target}`;
    if (own(flows, target) && cellIds.has(`flow:${target}`)) return `flow:${target}`;
    return undefined;
  };
  const byCell = new Map<string, { index: number; json: Json }[]>();
  /** Runs of consecutive threats without a cell: each becomes a text block, in the order of the model. */
  const loose: { index: number; json: Json }[][] = [];
  const mitigationUses = new Map<string, number>();
  /** Mitigations linked to a mitigated threat: the import reads them as implemented. */
  const ofMitigated = new Set<string>();
  let number = 0;
  let index = 0;
  let previousLoose = false;
  for (const [id, t] of Object.entries(threats)) {
    const cells = [...new Set((t.targets ?? []).map(threatCell).filter((c): c is string => c !== undefined))];
    const unplaced = (t.targets ?? []).filter(x => threatCell(x) === undefined);
    if (unplaced.length) notes.push(`Threat \`${id}\`: target${unplaced.length === 1 ? '' : 's'} ${unplaced.join(', ')} ${unplaced.length === 1 ? 'is' : 'are'} not an element or flow of the diagram, so ${unplaced.length === 1 ? 'it was' : 'they were'} not exported${cells.length ? '' : ' (the threat sits on the text block of threats without a target)'}.`);
    if (cells.length > 1) notes.push(`Threat \`${id}\` targets ${cells.length} cells: Threat Dragon keeps a threat on one cell, so it was written on each (it comes back as ${cells.length} threats).`);
    for (const m of t.mitigations ?? []) {
      mitigationUses.set(m, (mitigationUses.get(m) ?? 0) + Math.max(1, cells.length));
      if (t.status === 'mitigated') ofMitigated.add(m);
    }
    const base = threatJson(id, t);
    const copies = cells.length ? cells : [undefined];
    copies.forEach((cell, i) => {
      const useSource = i === 0 && validId(t.source_id) && !claimedThreatIds.has(t.source_id);
      if (useSource) claimedThreatIds.add(t.source_id!);
      else if (i === 0 && t.source_id === undefined) withoutId.push(`threat ${id}`);
      else if (i === 0) refused('threat', id, t.source_id!, validId(t.source_id) ? 'is also the id of another threat' : 'is shorter than the 2 characters Threat Dragon asks');
      const json = { id: useSource ? t.source_id : fresh(usedThreatIds, `threat:${id}:${cell ?? ''}`), ...base, number: ++number };
      if (cell === undefined) {
        if (!previousLoose) loose.push([]);
        loose[loose.length - 1].push({ index, json });
      } else {
        const list = byCell.get(cell) ?? [];
        list.push({ index, json });
        byCell.set(cell, list);
      }
    });
    previousLoose = cells.length === 0;
    index++;
  }

  function threatJson(id: string, t: Threat): Json {
    const tags = new Set(t.tags ?? []);
    const consumed = new Set<string>();
    // Severity: the risk level of likelihood x impact; else the priority; else TBA.
    let severity = TD_UNRATED;
    if (t.likelihood && t.impact) {
      const level = matrixLevel(t.likelihood, t.impact, matrix);
      severity = THREAT_DRAGON_EXPORT_SEVERITY[level];
      const back = own(THREAT_DRAGON_SEVERITY_MAP, severity)!;
      if (back.likelihood !== t.likelihood || back.impact !== t.impact) {
        notes.push(`Threat \`${id}\`: likelihood ${t.likelihood} and impact ${t.impact} are written as the Threat Dragon severity ${severity} (they come back as ${back.likelihood} and ${back.impact}).`);
      }
      if (t.priority) notes.push(`Threat \`${id}\`: priority ${t.priority} has no place in Threat Dragon beside the severity and was not exported.`);
    } else if (t.priority) {
      severity = THREAT_DRAGON_EXPORT_SEVERITY[t.priority];
      notes.push(`Threat \`${id}\`: priority ${t.priority} is written as the Threat Dragon severity ${severity} (it comes back as a likelihood and an impact).`);
    }
    // Status: Avoided and Eliminated are mitigated threats with that tag.
    let status = THREAT_DRAGON_EXPORT_STATUS[t.status] ?? 'Open';
    if (t.status === 'mitigated') {
      const word = tags.has('avoided') ? 'avoided' : tags.has('eliminated') ? 'eliminated' : undefined;
      if (word) {
        status = word === 'avoided' ? 'Avoided' : 'Eliminated';
        consumed.add(word);
      }
    }
    // Type: a kept `<modelType>:<type>` tag, else the first STRIDE category.
    let modelType = 'STRIDE';
    let type = t.stride?.[0] ? strideWords(t.stride[0]) : '';
    const typeTag = (t.tags ?? []).find(tag => TD_MODEL_TYPES.some(m => tag.startsWith(`${m}:`)));
    if (typeTag) {
      consumed.add(typeTag);
      const colon = typeTag.indexOf(':');
      modelType = typeTag.slice(0, colon);
      type = typeTag.slice(colon + 1);
      const back = strideOfType(type);
      if ((t.stride?.[0] ?? undefined) !== back) notes.push(`Threat \`${id}\`: the STRIDE category ${t.stride?.[0] ?? '(none)'} is not written: its Threat Dragon type is ${modelType} "${type}".`);
    }
    if ((t.stride?.length ?? 0) > 1) notes.push(`Threat \`${id}\`: Threat Dragon holds one threat type; STRIDE categories ${t.stride!.slice(1).join(', ')} were not exported.`);
    // Score: the CVSS vector, else a kept score.
    const scoreTag = (t.tags ?? []).find(tag => tag.startsWith(TD_SCORE_TAG));
    if (scoreTag) consumed.add(scoreTag);
    const score = t.cvss ?? scoreTag?.slice(TD_SCORE_TAG.length) ?? '';
    if (t.cvss && scoreTag) notes.push(`Threat \`${id}\`: Threat Dragon holds one score; the CVSS vector was written and the tag ${scoreTag} was not.`);
    // Mitigations: their text, joined.
    const linked = (t.mitigations ?? []).map(m => [m, own(mitigations, m)] as const).filter((p): p is readonly [string, Mitigation] => p[1] !== undefined);
    if (linked.length > 1) notes.push(`Threat \`${id}\`: Threat Dragon holds one mitigation text per threat; the ${linked.length} mitigations ${linked.map(([m]) => m).join(', ')} were joined into it (they come back as one).`);
    const fields = unwritten(t, THREAT_FIELDS);
    const otherTags = [...tags].filter(tag => !consumed.has(tag));
    if (otherTags.length) fields.push(`tags ${otherTags.join(', ')}`);
    lost('Threat', id, fields);
    return {
      title: t.title,
      status,
      severity,
      type,
      description: t.description ?? '',
      mitigation: linked.map(([, m]) => mitigationText(m)).join('\n\n'),
      modelType,
      score,
    };
  }

  if (withoutId.length) {
    notes.push(`${withoutId.length} ${withoutId.length === 1 ? 'entry has' : 'entries have'} no Threat Dragon id (source_id): ${withoutId.slice(0, 20).join(', ')}${withoutId.length > 20 ? ` and ${withoutId.length - 20} more` : ''}; new ids were written, which an import keeps in source_id${withoutId.some(w => w.startsWith('threat ')) ? ' (a threat\'s also in the source_id of its mitigation)' : ''}.`);
  }
  for (const [id, m] of Object.entries(mitigations)) {
    const uses = mitigationUses.get(id) ?? 0;
    if (uses === 0) notes.push(`Mitigation \`${id}\` is linked to no threat: Threat Dragon keeps mitigations only as a threat's text, so it was not exported.`);
    else if (uses > 1) notes.push(`Mitigation \`${id}\` was written into the mitigation text of ${uses} threats (it comes back as ${uses} mitigations).`);
    const fields = unwritten(m, MITIGATION_FIELDS);
    // The import sets the status from the threat's: implemented when it is mitigated, else proposed.
    const expected = ofMitigated.has(id) ? 'implemented' : 'proposed';
    if (uses > 0 && m.status !== expected) fields.push(`status ${m.status} (it comes back as ${expected})`);
    lost('Mitigation', id, fields);
  }

  const threatData = (cell: string) => {
    const list = (byCell.get(cell) ?? []).map(x => x.json);
    return { threats: list, hasOpenThreats: list.some(t => t.status === 'Open') };
  };
  const firstThreat = (cell: string) => byCell.get(cell)?.[0]?.index;

  // ---- cells ----
  type Slot = { json: Json; first: number | undefined };
  const boundaryCells: Slot[] = [];
  for (const [id, b] of Object.entries(boundaries)) {
    const r = layout.boundaries.get(id);
    if (!r) {
      notes.push(`Boundary \`${id}\` could not be placed in the diagram and was not exported.`);
      continue;
    }
    const fields = unwritten(b, BOUNDARY_FIELDS);
    if (b.trust !== trustFromName(b.name)) fields.push(`trust ${b.trust} (Threat Dragon has no trust levels; it comes back as ${trustFromName(b.name)}, from the name)`);
    lost('Boundary', id, fields);
    boundaryCells.push({
      first: undefined,
      json: {
        id: cellId('boundary', id),
        shape: 'trust-boundary-box',
        zIndex: -50 + (layout.depth.get(id) ?? 0),
        visible: true,
        position: { x: r.x, y: r.y },
        size: { width: r.width, height: r.height },
        attrs: { label: { text: b.name }, headerText: { text: b.name } },
        data: { type: 'tm.BoundaryBox', name: b.name, description: b.description ?? '', isTrustBoundary: true, hasOpenThreats: false },
      },
    });
  }

  /** Flags of the cell type from the tags (false when unset), and the tags that are not flags. */
  const flagsOf = (tdType: string, tags: readonly string[] | undefined, extraKnown: (t: string) => boolean = () => false) => {
    const set = new Set(tags ?? []);
    const flags: Json = {};
    const known = new Set<string>();
    for (const f of own(TD_TYPE_FLAGS, tdType) ?? []) {
      flags[f] = set.has(TD_FLAG_TAGS[f]);
      known.add(TD_FLAG_TAGS[f]);
    }
    return { flags, other: [...set].filter(t => !known.has(t) && !extraKnown(t)) };
  };

  const elementCells: Slot[] = [];
  for (const [id, e] of Object.entries(elements)) {
    const r = layout.elements.get(id) ?? { x: 0, y: 0, ...elementSize(e.type, e.name) };
    const { threats: list, hasOpenThreats } = threatData(`element:${id}`);
    const stroke = { stroke: hasOpenThreats ? OPEN_STROKE : STROKE, strokeWidth: hasOpenThreats ? 2.5 : 1.5, strokeDasharray: null };
    const out = e.out_of_scope === true || scopeOut.has(e.name);
    const { description, reason } = splitReason(e.description, out);
    const common = { name: e.name, description, outOfScope: out, reasonOutOfScope: reason, threats: list, hasOpenThreats, isTrustBoundary: false };
    const tdType = e.type === 'external' ? 'tm.Actor' : e.type === 'process' ? 'tm.Process' : 'tm.Store';
    const { flags, other } = flagsOf(tdType, e.tags, t => e.type === 'process' && t.startsWith(TD_PRIVILEGE_TAG));
    const fields = unwritten(e, ELEMENT_FIELDS);
    if (other.length) fields.push(`tags ${other.join(', ')}`);
    const cell: Json = {
      id: cellId('element', id),
      zIndex: 10,
      visible: true,
      position: { x: r.x, y: r.y },
      size: { width: r.width, height: r.height },
    };
    let json: Json;
    const keep = (field: keyof Element, written: boolean) => {
      const i = fields.indexOf(field);
      if (written && i >= 0) fields.splice(i, 1);
    };
    if (e.type === 'external') {
      json = { ...cell, shape: 'actor', attrs: { text: { text: e.name }, body: stroke }, data: { type: tdType, ...common, ...flags } };
    } else if (e.type === 'process') {
      keep('kind', e.kind === 'web-app');
      const level = tagValue(e.tags, TD_PRIVILEGE_TAG);
      const privilegeLevel = level ?? (e.privileged ? 'elevated' : '');
      keep('privileged', e.privileged === (privilegeLevel !== '' && isElevated(privilegeLevel) ? true : undefined));
      if (e.privileged && level === undefined) notes.push(`Element \`${id}\`: privileged is written as the Threat Dragon privilege level "elevated" (it comes back with the tag ${TD_PRIVILEGE_TAG}elevated).`);
      json = {
        ...cell,
        shape: 'process',
        attrs: { text: { text: e.name }, body: stroke },
        data: { type: tdType, ...common, privilegeLevel, isWebApplication: e.kind === 'web-app', ...flags },
      };
    } else {
      keep('kind', e.kind === 'log-store');
      keep('encrypted', true);
      json = {
        ...cell,
        shape: 'store',
        attrs: { text: { text: e.name }, topLine: stroke, bottomLine: stroke },
        data: { type: tdType, ...common, isALog: e.kind === 'log-store', ...(e.encrypted !== undefined ? { isEncrypted: e.encrypted } : {}), ...flags },
      };
    }
    if (e.kind && fields.includes('kind')) fields[fields.indexOf('kind')] = `kind ${e.kind}`;
    lost('Element', id, fields);
    elementCells.push({ json, first: firstThreat(`element:${id}`) });
  }

  const flowCells: Slot[] = [];
  for (const [id, f] of exportedFlows) {
    const { threats: list, hasOpenThreats } = threatData(`flow:${id}`);
    const name = f.name ?? '';
    const out = f.out_of_scope === true || (name !== '' && scopeOut.has(name));
    const { description, reason } = splitReason(f.description, out);
    const { flags, other } = flagsOf('tm.Flow', f.tags);
    const fields = unwritten(f, FLOW_FIELDS);
    if (other.length) fields.push(`tags ${other.join(', ')}`);
    lost('Flow', id, fields);
    flowCells.push({
      first: firstThreat(`flow:${id}`),
      json: {
        id: cellId('flow', id),
        shape: 'flow',
        zIndex: 20,
        width: 200,
        height: 100,
        connector: 'smooth',
        attrs: {
          line: {
            stroke: hasOpenThreats ? OPEN_STROKE : STROKE,
            strokeWidth: hasOpenThreats ? 2.5 : 1.5,
            targetMarker: { name: 'block' },
            sourceMarker: { name: f.bidirectional ? 'block' : '' },
            strokeDasharray: null,
          },
        },
        labels: [{
          markup: [{ tagName: 'ellipse', selector: 'labelBody' }, { tagName: 'text', selector: 'labelText' }],
          attrs: {
            labelText: { text: name, textAnchor: 'middle', textVerticalAnchor: 'middle' },
            labelBody: { ref: 'labelText', refRx: '50%', refRy: '60%', fill: '#fff', strokeWidth: 0 },
          },
          position: { distance: 0.5, args: { keepGradient: true, ensureLegibility: true } },
        }],
        source: { cell: cellId('element', f.from) },
        target: { cell: cellId('element', f.to) },
        vertices: [],
        data: {
          type: 'tm.Flow',
          name,
          description,
          outOfScope: out,
          reasonOutOfScope: reason,
          protocol: f.protocol ?? '',
          ...(f.encrypted !== undefined ? { isEncrypted: f.encrypted } : {}),
          ...flags,
          isBidirectional: f.bidirectional === true,
          isTrustBoundary: false,
          threats: list,
          hasOpenThreats,
        },
      },
    });
  }

  // Threats without a cell: text blocks below the diagram that list them and hold them in `data.threats`.
  const textCells: Slot[] = [];
  let textY = layout.height + 20;
  loose.forEach((run, i) => {
    const text = `Threats without an element or flow in Rampart:\n${run.map(x => `- ${x.json.title}`).join('\n')}`;
    const height = Math.max(60, 20 * (run.length + 1));
    const list = run.map(x => x.json);
    textCells.push({
      first: run[0].index,
      json: {
        id: fresh(usedCellIds, `text:untargeted-threats${i ? `:${i}` : ''}`),
        shape: 'td-text-block',
        zIndex: 30,
        visible: true,
        position: { x: 40, y: textY },
        size: { width: 420, height },
        attrs: { text: { text } },
        data: { type: 'tm.Text', name: text, threats: list, hasOpenThreats: list.some(t => t.status === 'Open') },
      },
    });
    textY += height + 20;
  });

  // The import reads cells in order and numbers threats of the same title in that order: the cells are merged so
  // that their threats come in the order of the model (each kind of cell keeps its own order; cells without
  // threats come as early as they can).
  const cells: Json[] = [];
  const queues = [boundaryCells, elementCells, flowCells, textCells];
  const heads = queues.map(() => 0);
  for (;;) {
    for (let q = 0; q < queues.length; q++) {
      while (heads[q] < queues[q].length && queues[q][heads[q]].first === undefined) cells.push(queues[q][heads[q]++].json);
    }
    let best = -1;
    for (let q = 0; q < queues.length; q++) {
      if (heads[q] < queues[q].length && (best < 0 || queues[q][heads[q]].first! < queues[best][heads[best]].first!)) best = q;
    }
    if (best < 0) break;
    cells.push(queues[best][heads[best]++].json);
  }

  // ---- the team ----
  const team = model.team ?? [];
  const owner = team.find(m => m.role?.toLowerCase() === 'owner');
  const reviewer = team.find(m => m.role?.toLowerCase() === 'reviewer');
  const contributors = team.filter(m => m !== owner && m !== reviewer);
  for (const m of team) {
    const what: string[] = [];
    if (m.email) what.push('email');
    if (m !== owner && m !== reviewer && m.role?.toLowerCase() !== 'contributor') what.push(m.role ? `role ${m.role} (written as a contributor)` : 'no role (written as a contributor)');
    lost('Team member', m.name, what);
  }

  const td = {
    version: TD_VERSION,
    summary: { title: model.title, owner: owner?.name ?? '', description: model.description ?? '', id: 0 },
    detail: {
      contributors: contributors.map(m => ({ name: m.name })),
      diagrams: [{
        id: 0,
        title: model.title,
        diagramType: 'STRIDE',
        placeholder: '',
        thumbnail: './public/content/images/thumbnail.stride.jpg',
        version: TD_VERSION,
        description: model.scope?.dataflow ?? '',
        cells,
      }],
      diagramTop: 1,
      reviewer: reviewer?.name ?? '',
      threatTop: number,
    },
  };
  return { text: JSON.stringify(td, null, 2) + '\n', notes };
}
