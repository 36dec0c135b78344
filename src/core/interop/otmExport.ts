/**
 * Rampart model -> Open Threat Model (OTM 0.2.0 JSON), valid against `otm_schema.json`.
 *
 * Every OTM id is the entry's `source_id` (the id it had in the tool it came from), else its Rampart id; every
 * entry gets attribute `rampart_id`, so the import gives it its Rampart id back. References (parents, flow ends,
 * assets, threat and mitigation instances, attributes naming entries) use the OTM ids.
 *
 * | Rampart | OTM |
 * |---|---|
 * | `title`, `description`, team member with role owner (or the first) | `project` (`id` = the title in kebab-case); `version`, `scope`, `policy`, `attack_trees` and the whole `team` (unless it is that one owner) -> `project.attributes` (Rampart ids inside) |
 * | boundaries | `trustZones`; trust -> `risk.trustRating` per {@link OTM_EXPORT_TRUST_RATING}; `parent` -> `parent.trustZone`; `ours`, `source` -> `attributes` |
 * | elements | `components`; `type` = the element's `kind`, else external-entity / process / datastore (attribute `type` when the import would read another type from it); `parent.trustZone` = its boundary (elements outside every boundary go in an added zone `rampart-no-boundary`, trust rating 50); `stores`/`processes` -> `assets.stored`/`processed`; `tags`; `code` paths -> representations of an added `code` representation; every other field (`technology`, `owner`, `internet_facing`, `encrypted`, `privileged`, `admin`, `redundant`, `controls`, `cia`, `out_of_scope`, `reviewed`, `source`) -> `attributes` under its Rampart name |
 * | flows | `dataflows` (`name` defaults to "from to to", with attribute `rampart_unset: [name]`); `data` -> `assets`; `bidirectional`; `tags`; `protocol`, `encrypted`, `authenticated`, `authorized`, `controls`, `out_of_scope`, `source` and `data_received` (OTM asset ids) -> `attributes` |
 * | assets | `assets`; classification -> `risk.confidentiality` (public 10, internal 35, confidential 60, restricted 90); criticality -> `integrity` and `availability` (low 15, medium 40, high 65, critical 90; 50 with attribute `rampart_unset: [criticality]` when unset); `value`, `kind`, `personal`, `cia`, `source` -> `attributes` |
 * | threats | `threats` with `categories` (STRIDE words), `cwes`, `tags`, `risk.likelihood`/`impact` as the middle of the import buckets (rare 10, unlikely 30, possible 50, likely 70, almost-certain 90; the same for impacts); no likelihood: `null`; no impact: 0 with attribute `rampart_unset: [impact]`; each element or flow target gets a threat instance with `state` per {@link OTM_EXPORT_THREAT_STATE} and its mitigation instances with `state` per {@link OTM_EXPORT_MITIGATION_STATE}; attribute `status`; `targets` (`{component: id}` / `{dataflow: id}`) when the instances would give them in another order; `mitigations` (OTM ids) when the threat has no instance; `statement` (assets as OTM ids), `cvss`, `capec`, `annual_rate`, `exposure`, `justification`, `accepted_by`, `expires`, `ticket`, `owner`, `priority`, `rule` -> `attributes` |
 * | mitigations | `mitigations` (`riskReduction` 50: Rampart does not estimate it); `status`, `evidence`, `owner`, `ticket`, `cost`, `tags` -> `attributes` |
 *
 * Notes name what OTM cannot hold: flows whose ends are not both elements, references to entries that do not
 * exist, and `source_id`s shared by two entries (the second keeps its Rampart id as its OTM id).
 */
import type { Classification, Impact, Likelihood, MitigationStatus, Model, ThreatStatus, Trust } from '../model/schema';
import { IMPACTS, LIKELIHOODS } from '../model/schema';
import { own, slugify, strideWords, type ExportResult } from './common';
import { otmElementType } from './otm';

export const OTM_EXPORT_TRUST_RATING: Readonly<Record<Trust, number>> = { untrusted: 10, partial: 50, trusted: 100 };
export const OTM_EXPORT_THREAT_STATE: Readonly<Record<ThreatStatus, string>> = {
  open: 'exposed',
  mitigated: 'mitigated',
  accepted: 'accepted',
  transferred: 'transferred',
  'not-applicable': 'not-applicable',
};
export const OTM_EXPORT_MITIGATION_STATE: Readonly<Record<MitigationStatus, string>> = {
  proposed: 'recommended',
  planned: 'planned',
  'in-progress': 'in-progress',
  implemented: 'implemented',
  verified: 'verified',
};
const CONFIDENTIALITY: Record<Classification, number> = { public: 10, internal: 35, confidential: 60, restricted: 90 };
const CRITICALITY: Record<string, number> = { low: 15, medium: 40, high: 65, critical: 90 };
const pct = (i: number) => 10 + 20 * i;
const likelihoodPct = (l: Likelihood) => pct(LIKELIHOODS.indexOf(l));
const impactPct = (i: Impact) => pct(IMPACTS.indexOf(i));
const TYPE_WORD = { external: 'external-entity', process: 'process', store: 'datastore' } as const;
const NO_ZONE = 'rampart-no-boundary';

/** Fields each entry writes in OTM's own fields (or handles itself); every other field goes to `attributes`. */
const NATIVE = {
  top: ['rampart', 'title', 'description', 'team', 'assets', 'boundaries', 'elements', 'flows', 'threats', 'mitigations'],
  boundaries: ['name', 'description', 'trust', 'parent', 'source_id'],
  elements: ['type', 'name', 'description', 'kind', 'boundary', 'stores', 'processes', 'code', 'tags', 'source_id'],
  flows: ['from', 'to', 'name', 'description', 'data', 'data_received', 'bidirectional', 'tags', 'source_id'],
  assets: ['name', 'description', 'classification', 'criticality', 'source_id'],
  threats: ['title', 'description', 'stride', 'targets', 'likelihood', 'impact', 'cwe', 'status', 'mitigations', 'tags', 'statement', 'source_id'],
  mitigations: ['title', 'description', 'status', 'source_id'],
} as const;
type Kind = keyof typeof NATIVE;
const nativeSets = Object.fromEntries(Object.entries(NATIVE).map(([k, v]) => [k, new Set<string>(v)])) as unknown as Record<Kind, ReadonlySet<string>>;

type Json = Record<string, unknown>;
/** An empty list or map says nothing: it is not written. */
const isEmpty = (v: unknown) => v !== null && typeof v === 'object' && Object.keys(v).length === 0;

export function exportOtm(model: Model): ExportResult {
  const elements = model.elements ?? {};
  const flows = model.flows ?? {};
  const boundaries = model.boundaries ?? {};
  const threats = model.threats ?? {};
  const mitigations = model.mitigations ?? {};
  const assets = model.assets ?? {};
  const notes: string[] = [];
  /** `section.field` -> how many entries wrote it in `attributes` (for one note). */
  const inAttributes = new Map<string, number>();

  /** The fields of `entry` that OTM has no place for, under their Rampart names. */
  const extra = (kind: Kind, entry: object, attributes: Json = {}): Json => {
    for (const [k, v] of Object.entries(entry)) {
      if (v === undefined || nativeSets[kind].has(k) || isEmpty(v)) continue;
      attributes[k] = v;
      inAttributes.set(`${kind}.${k}`, (inAttributes.get(`${kind}.${k}`) ?? 0) + 1);
    }
    return attributes;
  };

  // OTM ids: the source_id when it is free, else the Rampart id (made unique).
  const otmIds = <T extends { source_id?: string }>(section: string, entries: Record<string, T>, reserved: string[] = []) => {
    const used = new Set(reserved);
    const out = new Map<string, string>();
    for (const [id, e] of Object.entries(entries)) {
      if (e.source_id !== undefined && !used.has(e.source_id)) {
        used.add(e.source_id);
        out.set(id, e.source_id);
      }
    }
    for (const [id, e] of Object.entries(entries)) {
      if (out.has(id)) continue;
      let candidate = id;
      for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
      used.add(candidate);
      out.set(id, candidate);
      if (e.source_id !== undefined) {
        notes.push(`${section}.${id}: its source_id "${e.source_id}" is also another entry's; it was written with the OTM id "${candidate}" instead (re-imported, its source_id is that id).`);
      }
    }
    return out;
  };
  const zoneIds = otmIds('boundaries', boundaries, [NO_ZONE]);
  const componentIds = otmIds('elements', elements);
  const flowIds = otmIds('flows', flows);
  const assetIds = otmIds('assets', assets);
  const threatIds = otmIds('threats', threats);
  const mitigationIds = otmIds('mitigations', mitigations);
  /** `attributes` of an entry: its Rampart id (the import gives it back, whatever the OTM id). */
  const baseAttributes = (id: string): Json => ({ rampart_id: id });
  const assetRefs = (where: string, list: readonly string[] | undefined): string[] => {
    const out: string[] = [];
    for (const a of list ?? []) {
      const ref = assetIds.get(a);
      if (ref !== undefined) out.push(ref);
      else notes.push(`${where}: the asset "${a}" does not exist, so it was not written.`);
    }
    return out;
  };

  const team = model.team ?? [];
  const owner = team.find(m => /owner/i.test(m.role ?? '')) ?? team[0];
  const project: Json = { name: model.title || 'Untitled threat model', id: slugify(model.title ?? '') || 'threat-model' };
  if (model.description) project.description = model.description;
  if (owner) project.owner = owner.name;
  if (owner?.email) project.ownerContact = owner.email;
  const projectAttributes: Json = { generator: 'rampart' };
  // One owner is `owner`/`ownerContact`; any other team is written whole.
  if (team.length > 0 && !(team.length === 1 && team[0].role === 'owner')) {
    projectAttributes.team = team;
    inAttributes.set('team', 1);
  }
  project.attributes = extra('top', model, projectAttributes);

  const trustZones: Json[] = Object.entries(boundaries).map(([id, b]) => {
    const otmId = zoneIds.get(id)!;
    const z: Json = { id: otmId, name: b.name, risk: { trustRating: OTM_EXPORT_TRUST_RATING[b.trust] ?? 50 } };
    if (b.description) z.description = b.description;
    if (b.parent !== undefined) {
      if (zoneIds.has(b.parent) && b.parent !== id) z.parent = { trustZone: zoneIds.get(b.parent) };
      else notes.push(`boundaries.${id}: its parent "${b.parent}" is not another boundary, so it was not written.`);
    }
    const attributes = extra('boundaries', b, baseAttributes(id));
    z.attributes = attributes;
    return z;
  });
  const zoneOf = (elementId: string) => {
    const b = own(elements, elementId)?.boundary;
    return b !== undefined && zoneIds.has(b) ? zoneIds.get(b)! : NO_ZONE;
  };
  if (Object.keys(elements).some(e => zoneOf(e) === NO_ZONE)) {
    trustZones.push({ id: NO_ZONE, name: 'Outside every trust boundary', description: 'Added by the Rampart export: these components have no boundary in the Rampart model.', risk: { trustRating: 50 } });
  }

  // Flows between two elements become dataflows; the others have no place in OTM.
  const exportedFlows = Object.entries(flows).filter(([id, f]) => {
    if (componentIds.has(f.from) && componentIds.has(f.to)) return true;
    notes.push(`flows.${id}: it goes from "${f.from}" to "${f.to}", which are not both elements; OTM dataflows connect components, so it was not written.`);
    return false;
  });
  const exportedFlowIds = new Set(exportedFlows.map(([id]) => id));

  // Threat instances per target, in threat order; the order the import reads targets back in.
  const instances = new Map<string, Json[]>();
  const elementIndex = new Map(Object.keys(elements).map((id, i) => [id, i]));
  const flowIndex = new Map(exportedFlows.map(([id], i) => [id, elementIndex.size + i]));
  const targetRef = (target: string): Json | undefined =>
    componentIds.has(target) ? { component: componentIds.get(target) }
      : exportedFlowIds.has(target) ? { dataflow: flowIds.get(target) } : undefined;
  const threatAttributes = new Map<string, Json>();
  for (const [id, t] of Object.entries(threats)) {
    const attributes = baseAttributes(id);
    attributes.status = t.status;
    const linked = (t.mitigations ?? []).filter(m => {
      if (mitigationIds.has(m)) return true;
      notes.push(`threats.${id}: the mitigation "${m}" does not exist, so it was not written.`);
      return false;
    });
    const hosts: string[] = [];
    const refs: Json[] = [];
    for (const target of t.targets ?? []) {
      const ref = targetRef(target);
      if (!ref) {
        notes.push(`threats.${id}: its target "${target}" is not an element or a written flow, so it was not written.`);
        continue;
      }
      refs.push(ref);
      hosts.push(target);
      const list = instances.get(target) ?? [];
      list.push({
        threat: threatIds.get(id),
        state: own(OTM_EXPORT_THREAT_STATE, t.status) ?? 'exposed',
        mitigations: linked.map(m => ({ mitigation: mitigationIds.get(m), state: own(OTM_EXPORT_MITIGATION_STATE, mitigations[m].status) ?? 'recommended' })),
      });
      instances.set(target, list);
    }
    const position = (x: string) => elementIndex.get(x) ?? flowIndex.get(x)!;
    const inOrder = hosts.every((h, i) => i === 0 || position(hosts[i - 1]) < position(h));
    if (!inOrder) attributes.targets = refs;
    if (hosts.length === 0 && linked.length) attributes.mitigations = linked.map(m => mitigationIds.get(m));
    threatAttributes.set(id, attributes);
  }

  const hasCode = Object.values(elements).some(e => (e.code ?? []).length > 0);
  const components: Json[] = Object.entries(elements).map(([id, e]) => {
    const otmId = componentIds.get(id)!;
    const type = e.kind ?? TYPE_WORD[e.type];
    const c: Json = { id: otmId, name: e.name, type, parent: { trustZone: zoneOf(id) } };
    if (e.description) c.description = e.description;
    if (e.boundary !== undefined && !zoneIds.has(e.boundary)) notes.push(`elements.${id}: its boundary "${e.boundary}" does not exist, so it was not written.`);
    if ((e.tags ?? []).length) c.tags = e.tags;
    if ((e.stores ?? []).length || (e.processes ?? []).length) {
      c.assets = { processed: assetRefs(`elements.${id}.processes`, e.processes), stored: assetRefs(`elements.${id}.stores`, e.stores) };
    }
    if ((e.code ?? []).length) c.representations = (e.code ?? []).map((file, i) => ({ representation: 'code', id: `${otmId}-code-${i + 1}`, file }));
    if (instances.has(id)) c.threats = instances.get(id);
    const attributes = baseAttributes(id);
    if (otmElementType(type, e.tags ?? []) !== e.type) attributes.type = e.type;
    extra('elements', e, attributes);
    c.attributes = attributes;
    return c;
  });

  const dataflows: Json[] = exportedFlows.map(([id, f]) => {
    const otmId = flowIds.get(id)!;
    const attributes = baseAttributes(id);
    if (f.name === undefined) attributes.rampart_unset = ['name'];
    const d: Json = { id: otmId, name: f.name ?? `${elements[f.from].name} to ${elements[f.to].name}`, source: componentIds.get(f.from), destination: componentIds.get(f.to) };
    if (f.description) d.description = f.description;
    if (f.bidirectional !== undefined) d.bidirectional = f.bidirectional;
    if ((f.data ?? []).length) d.assets = assetRefs(`flows.${id}.data`, f.data);
    if ((f.tags ?? []).length) d.tags = f.tags;
    if (instances.has(id)) d.threats = instances.get(id);
    if ((f.data_received ?? []).length) {
      attributes.data_received = assetRefs(`flows.${id}.data_received`, f.data_received);
      inAttributes.set('flows.data_received', (inAttributes.get('flows.data_received') ?? 0) + 1);
    }
    extra('flows', f, attributes);
    d.attributes = attributes;
    return d;
  });

  const otm: Json = {
    otmVersion: '0.2.0',
    project,
    representations: hasCode ? [{ name: 'Source code', id: 'code', type: 'code' }] : [],
    assets: Object.entries(assets).map(([id, a]) => {
      const otmId = assetIds.get(id)!;
      const level = a.criticality ? CRITICALITY[a.criticality] : 50;
      const out: Json = { id: otmId, name: a.name, risk: { confidentiality: CONFIDENTIALITY[a.classification] ?? 50, integrity: level, availability: level } };
      if (a.description) out.description = a.description;
      const attributes = baseAttributes(id);
      if (!a.criticality) attributes.rampart_unset = ['criticality'];
      extra('assets', a, attributes);
      out.attributes = attributes;
      return out;
    }),
    trustZones,
    components,
    dataflows,
    threats: Object.entries(threats).map(([id, t]) => {
      const out: Json = {
        id: threatIds.get(id),
        name: t.title,
        risk: { likelihood: t.likelihood ? likelihoodPct(t.likelihood) : null, impact: t.impact ? impactPct(t.impact) : 0 },
      };
      if (t.description) out.description = t.description;
      if ((t.stride ?? []).length) out.categories = (t.stride ?? []).map(strideWords);
      if ((t.cwe ?? []).length) out.cwes = t.cwe;
      if ((t.tags ?? []).length) out.tags = t.tags;
      const attributes = threatAttributes.get(id)!;
      if (!t.impact) attributes.rampart_unset = ['impact'];
      if (t.statement) {
        const statement: Json = { ...t.statement };
        if (t.statement.assets) statement.assets = assetRefs(`threats.${id}.statement.assets`, t.statement.assets);
        attributes.statement = statement;
        inAttributes.set('threats.statement', (inAttributes.get('threats.statement') ?? 0) + 1);
      }
      out.attributes = extra('threats', t, attributes);
      return out;
    }),
    mitigations: Object.entries(mitigations).map(([id, m]) => {
      const otmId = mitigationIds.get(id)!;
      const attributes = { ...baseAttributes(id), status: m.status };
      const out: Json = { id: otmId, name: m.title, riskReduction: 50, attributes: extra('mitigations', m, attributes) };
      if (m.description) out.description = m.description;
      return out;
    }),
  };
  if (inAttributes.size) {
    const fields = [...inAttributes].map(([path, n]) => `${path.replace(/^top\./, '')} (${n})`).join(', ');
    notes.push(`OTM has no field for ${fields}: written in the \`attributes\` of each entry under its Rampart name, which the Rampart import reads back and other OTM tools may ignore.`);
  }
  return { text: JSON.stringify(otm, null, 2) + '\n', notes };
}
