/**
 * Rampart model -> Open Threat Model (OTM 0.2.0 JSON), valid against `otm_schema.json`.
 *
 * | Rampart | OTM |
 * |---|---|
 * | `title`, `description`, team member with role owner (or the first) | `project` (`id` = the title in kebab-case) |
 * | boundaries | `trustZones`; trust -> `risk.trustRating` per {@link OTM_EXPORT_TRUST_RATING}; `parent` -> `parent.trustZone` |
 * | elements | `components`; `type` = the element's `kind`, else external-entity / process / datastore; `parent.trustZone` = its boundary (elements outside every boundary go in an added zone `rampart-no-boundary`, trust rating 50); `stores`/`processes` -> `assets.stored`/`processed`; `tags`; `code` paths -> representations of an added `code` representation |
 * | flows | `dataflows` (`name` defaults to "from to to"); `data` -> `assets`; `bidirectional`; `tags` |
 * | assets | `assets`; classification -> `risk.confidentiality` (public 10, internal 35, confidential 60, restricted 90); criticality -> `integrity` and `availability` (low 15, medium 40, high 65, critical 90; 50 when unset) |
 * | threats | `threats` with `categories` (STRIDE words), `cwes`, `risk.likelihood`/`impact` as the middle of the import buckets (rare 10, unlikely 30, possible 50, likely 70, almost-certain 90; the same for impacts); unrated: likelihood null and impact 50 with attribute `rampartImpact: unset`; each target gets a threat instance with `state` per {@link OTM_EXPORT_THREAT_STATE} and its mitigation instances with `state` per {@link OTM_EXPORT_MITIGATION_STATE} |
 * | mitigations | `mitigations` (`riskReduction` 50: Rampart does not estimate it; attribute `rampartStatus`) |
 *
 * Not exported: attack trees, policy, CVSS vectors, annual rates, evidence and acceptance details (owner,
 * expiry) beyond the threat instance state.
 */
import type { Classification, Impact, Likelihood, MitigationStatus, Model, ThreatStatus, Trust } from '../model/schema';
import { IMPACTS, LIKELIHOODS } from '../model/schema';
import { own, slugify, strideWords } from './common';

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

type Json = Record<string, unknown>;

export function exportOtm(model: Model): string {
  const elements = model.elements ?? {};
  const flows = model.flows ?? {};
  const boundaries = model.boundaries ?? {};
  const threats = model.threats ?? {};
  const mitigations = model.mitigations ?? {};
  const assets = model.assets ?? {};

  const team = model.team ?? [];
  const owner = team.find(m => /owner/i.test(m.role ?? '')) ?? team[0];
  const project: Json = { name: model.title || 'Untitled threat model', id: slugify(model.title ?? '') || 'threat-model' };
  if (model.description) project.description = model.description;
  if (owner) project.owner = owner.name;
  if (owner?.email) project.ownerContact = owner.email;
  project.attributes = { generator: 'rampart' };

  const trustZones: Json[] = Object.entries(boundaries).map(([id, b]) => {
    const z: Json = { id, name: b.name, risk: { trustRating: OTM_EXPORT_TRUST_RATING[b.trust] ?? 50 } };
    if (b.description) z.description = b.description;
    if (b.parent && own(boundaries, b.parent) && b.parent !== id) z.parent = { trustZone: b.parent };
    return z;
  });
  const zoneOf = (elementId: string) => {
    const b = own(elements, elementId)?.boundary;
    return b && own(boundaries, b) ? b : NO_ZONE;
  };
  if (Object.keys(elements).some(e => zoneOf(e) === NO_ZONE)) {
    trustZones.push({ id: NO_ZONE, name: 'Outside every trust boundary', description: 'Added by the Rampart export: these components have no boundary in the Rampart model.', risk: { trustRating: 50 } });
  }

  // Threat instances per target.
  const instances = new Map<string, Json[]>();
  for (const [id, t] of Object.entries(threats)) {
    for (const target of t.targets ?? []) {
      if (!own(elements, target) && !own(flows, target)) continue;
      const list = instances.get(target) ?? [];
      list.push({
        threat: id,
        state: own(OTM_EXPORT_THREAT_STATE, t.status) ?? 'exposed',
        mitigations: (t.mitigations ?? []).filter(m => own(mitigations, m)).map(m => ({ mitigation: m, state: own(OTM_EXPORT_MITIGATION_STATE, mitigations[m].status) ?? 'recommended' })),
      });
      instances.set(target, list);
    }
  }

  const hasCode = Object.values(elements).some(e => (e.code ?? []).length > 0);
  const components: Json[] = Object.entries(elements).map(([id, e]) => {
    const c: Json = { id, name: e.name, type: e.kind ?? TYPE_WORD[e.type], parent: { trustZone: zoneOf(id) } };
    if (e.description) c.description = e.description;
    const tags = [...(e.kind ? [TYPE_WORD[e.type]] : []), ...(e.tags ?? [])];
    if (tags.length) c.tags = tags;
    if ((e.stores ?? []).length || (e.processes ?? []).length) {
      c.assets = { processed: (e.processes ?? []).filter(a => own(assets, a)), stored: (e.stores ?? []).filter(a => own(assets, a)) };
    }
    if ((e.code ?? []).length) c.representations = (e.code ?? []).map((file, i) => ({ representation: 'code', id: `${id}-code-${i + 1}`, file }));
    if (instances.has(id)) c.threats = instances.get(id);
    return c;
  });

  const dataflows: Json[] = Object.entries(flows)
    .filter(([, f]) => own(elements, f.from) && own(elements, f.to))
    .map(([id, f]) => {
      const d: Json = { id, name: f.name ?? `${elements[f.from].name} to ${elements[f.to].name}`, source: f.from, destination: f.to };
      if (f.description) d.description = f.description;
      if (f.bidirectional !== undefined) d.bidirectional = f.bidirectional;
      if ((f.data ?? []).length) d.assets = (f.data ?? []).filter(a => own(assets, a));
      if ((f.tags ?? []).length) d.tags = f.tags;
      if (instances.has(id)) d.threats = instances.get(id);
      return d;
    });

  const otm: Json = {
    otmVersion: '0.2.0',
    project,
    representations: hasCode ? [{ name: 'Source code', id: 'code', type: 'code' }] : [],
    assets: Object.entries(assets).map(([id, a]) => {
      const level = a.criticality ? CRITICALITY[a.criticality] : 50;
      const out: Json = { id, name: a.name, risk: { confidentiality: CONFIDENTIALITY[a.classification] ?? 50, integrity: level, availability: level } };
      if (a.description) out.description = a.description;
      return out;
    }),
    trustZones,
    components,
    dataflows,
    threats: Object.entries(threats).map(([id, t]) => {
      const out: Json = {
        id,
        name: t.title,
        risk: { likelihood: t.likelihood ? likelihoodPct(t.likelihood) : null, impact: t.impact ? impactPct(t.impact) : 50 },
      };
      if (t.description) out.description = t.description;
      if ((t.stride ?? []).length) out.categories = (t.stride ?? []).map(strideWords);
      if ((t.cwe ?? []).length) out.cwes = t.cwe;
      if (!t.impact) out.attributes = { rampartImpact: 'unset' };
      return out;
    }),
    mitigations: Object.entries(mitigations).map(([id, m]) => {
      const out: Json = { id, name: m.title, riskReduction: 50, attributes: { rampartStatus: m.status } };
      if (m.description) out.description = m.description;
      return out;
    }),
  };
  return JSON.stringify(otm, null, 2) + '\n';
}
