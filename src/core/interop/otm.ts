/**
 * Open Threat Model (OTM, JSON or YAML) -> Rampart model.
 *
 * | OTM | Rampart |
 * |---|---|
 * | `project.name`, `project.description`, `project.owner`/`ownerContact` | `title`, `description`, `team` (role owner, email) |
 * | `trustZones` | `boundaries`; `risk.trustRating` (0-100) -> trust per {@link OTM_TRUST_BUCKETS}; `parent.trustZone` -> `parent` |
 * | `components` | `elements`; type from the OTM `type` and tags (see {@link otmElementType}); `parent.trustZone` -> `boundary` (a component inside a component gets its ancestor's zone, with a comment); `assets.processed`/`stored` -> `processes`/`stores`; `tags` -> `tags`; a code representation's `file` -> `code` |
 * | `dataflows` | `flows`: `source`/`destination` -> `from`/`to`; `bidirectional`; `assets` -> `data`; `tags` -> `tags` |
 * | `assets` | `assets`; `risk.confidentiality` -> classification per {@link OTM_CONFIDENTIALITY_BUCKETS}; the higher of `integrity`/`availability` -> `criticality` (0-24 low, 25-49 medium, 50-74 high, 75-100 critical) |
 * | `threats` | `threats`: `name` -> `title`; `categories` -> `stride` where they are STRIDE words; `cwes` -> `cwe`; `risk.likelihood`/`impact` (0-100) -> likelihood/impact per {@link OTM_LIKELIHOOD_BUCKETS} and {@link OTM_IMPACT_BUCKETS}; targets = the components and dataflows whose `threats` name it |
 * | `mitigations` | `mitigations`: `name` -> `title`; linked to the threats whose instances name them; `riskReduction` is kept as a comment (Rampart has no field for it) |
 *
 * Status: an OTM threat has no status of its own, so it is open, unless every instance of it (on components
 * and dataflows) has a `state` that maps per {@link OTM_THREAT_STATE_MAP} to the same status. A mitigation's
 * status comes from its instances' `state` per {@link OTM_MITIGATION_STATE_MAP} (the least advanced one
 * when they differ), else proposed.
 *
 * Not mapped (comments): representations (diagram positions and sizes), attributes, trust zone types,
 * threat tags and likelihood/impact comments' wording beyond the description.
 */
import {
  ModelBuilder, arr, clip, entries, isObject, listText, longText, num, oneLine, own, readInput, slugify, str, strideFrom, tagsFrom, uniq,
  type ImportOptions, type ImportResult,
} from './common';
import {
  IMPACTS, LIKELIHOODS, MITIGATION_STATUSES, type Classification, type ElementType, type Impact, type Likelihood, type MitigationStatus, type ThreatStatus, type Trust,
} from '../model/schema';

/** trustRating 0-33 untrusted, 34-66 partial, 67-100 trusted. */
export const OTM_TRUST_BUCKETS: readonly { upTo: number; trust: Trust }[] = [
  { upTo: 33, trust: 'untrusted' },
  { upTo: 66, trust: 'partial' },
  { upTo: 100, trust: 'trusted' },
];
/** Likelihood percentage: 0-19 rare, 20-39 unlikely, 40-59 possible, 60-79 likely, 80-100 almost-certain. */
export const OTM_LIKELIHOOD_BUCKETS: readonly { upTo: number; likelihood: Likelihood }[] = LIKELIHOODS.map((l, i) => ({ upTo: i === 4 ? 100 : 19 + 20 * i, likelihood: l }));
/** Impact percentage: 0-19 negligible, 20-39 minor, 40-59 moderate, 60-79 major, 80-100 severe. */
export const OTM_IMPACT_BUCKETS: readonly { upTo: number; impact: Impact }[] = IMPACTS.map((l, i) => ({ upTo: i === 4 ? 100 : 19 + 20 * i, impact: l }));
/** Confidentiality percentage: 0-24 public, 25-49 internal, 50-74 confidential, 75-100 restricted. */
export const OTM_CONFIDENTIALITY_BUCKETS: readonly { upTo: number; classification: Classification }[] = [
  { upTo: 24, classification: 'public' },
  { upTo: 49, classification: 'internal' },
  { upTo: 74, classification: 'confidential' },
  { upTo: 100, classification: 'restricted' },
];
/** Threat instance `state` -> threat status (any other state, e.g. `exposed`, is open). */
export const OTM_THREAT_STATE_MAP: Readonly<Record<string, ThreatStatus>> = {
  exposed: 'open',
  open: 'open',
  mitigated: 'mitigated',
  accepted: 'accepted',
  transferred: 'transferred',
  'not-applicable': 'not-applicable',
  'not applicable': 'not-applicable',
  na: 'not-applicable',
};
/** Mitigation instance `state` -> mitigation status. */
export const OTM_MITIGATION_STATE_MAP: Readonly<Record<string, MitigationStatus>> = {
  recommended: 'proposed',
  required: 'proposed',
  proposed: 'proposed',
  planned: 'planned',
  'in-progress': 'in-progress',
  implemented: 'implemented',
  verified: 'verified',
};

const bucket = <T>(value: number | undefined, buckets: readonly ({ upTo: number } & T)[]): T | undefined =>
  value === undefined ? undefined : buckets.find(b => Math.max(0, Math.min(100, value)) <= b.upTo);

/** OTM component type (free text, often an IriusRisk library id) and tags -> Rampart element type, by words. */
export function otmElementType(type: string | undefined, tags: string[]): ElementType {
  const words = new Set([type ?? '', ...tags].join(' ').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
  const has = (...w: string[]) => w.some(x => words.has(x));
  if (type && /^(external-entity|external|actor|user|human)$/i.test(type)) return 'external';
  if (type && /^(datastore|data-store|store)$/i.test(type)) return 'store';
  if (has('service', 'server', 'api', 'function', 'lambda', 'process')) return 'process';
  if (has('external', 'actor', 'user', 'client', 'browser', 'mobile', 'saas', 'human')) return 'external';
  if (has('datastore', 'store', 'database', 'db', 'storage', 'bucket', 's3', 'queue', 'cache', 'filesystem', 'vault', 'repository',
    'logs', 'rds', 'dynamodb', 'postgres', 'postgresql', 'mysql', 'mongodb', 'redis', 'sql', 'elasticsearch', 'kafka', 'sqs')) return 'store';
  return 'process';
}

export function importOtm(text: string, options: ImportOptions = {}): ImportResult {
  const readNotes: string[] = [];
  const src = readInput(text, 'otm', readNotes);
  const project = isObject(src.project) ? src.project : {};
  const b = new ModelBuilder('otm', [
    `Imported from an Open Threat Model (OTM${clip(src.otmVersion) ? ` ${clip(src.otmVersion)}` : ''}) file by \`rampart import --from otm\`.`,
    'Every entry keeps its OTM id in `source_id`. OTM threats carry no status: they are open unless every',
    'instance on a component or dataflow has the same mapped state.',
  ], options);
  readNotes.forEach(n => b.note(n));
  b.top.title = oneLine(project.name) ?? 'Imported OTM model';
  const description = longText(project.description);
  if (description) b.top.description = description;
  if (oneLine(project.owner)) {
    b.top.team = [{ name: oneLine(project.owner), role: 'owner', email: oneLine(project.ownerContact) }].map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)));
  }
  if (arr(src.representations).length) {
    b.note(`${arr(src.representations).length} OTM representations (diagram and code views: positions, sizes, repositories) were left out; code file paths of components are kept in \`code\`.`);
  }
  if (isObject(project.attributes) && Object.keys(project.attributes).some(k => k !== 'generator')) b.note('OTM project attributes were left out.');

  // Refuse at once what cannot fit in one model.
  b.expect('assets', arr(src.assets).filter(isObject).length);
  b.expect('elements', arr(src.components).filter(isObject).length);
  b.expect('threats', arr(src.threats).filter(isObject).length);
  b.expect('mitigations', arr(src.mitigations).filter(isObject).length);

  // Assets.
  const assetIds = new Map<string, string>();
  for (const raw of arr(src.assets)) {
    if (!isObject(raw)) continue;
    const sid = str(raw.id) ?? str(raw.name) ?? 'asset';
    const id = b.ids.assets.take(slugify(sid), str(raw.name) ?? 'asset');
    assetIds.set(sid, id);
    const risk = isObject(raw.risk) ? raw.risk : {};
    const cls = bucket(num(risk.confidentiality), OTM_CONFIDENTIALITY_BUCKETS);
    const ia = Math.max(num(risk.integrity) ?? -1, num(risk.availability) ?? -1);
    b.add('assets', id, {
      name: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      classification: cls?.classification ?? 'internal',
      criticality: ia < 0 ? undefined : ia < 25 ? 'low' : ia < 50 ? 'medium' : ia < 75 ? 'high' : 'critical',
      source_id: oneLine(sid),
    });
    b.commentEntry('assets', id, `OTM risk: confidentiality ${num(risk.confidentiality) ?? '?'}, integrity ${num(risk.integrity) ?? '?'}, availability ${num(risk.availability) ?? '?'}${clip(risk.comment) ? ` (${clip(risk.comment)})` : ''}.`);
    if (!cls) b.commentEntry('assets', id, 'No OTM confidentiality: classification set to internal.');
  }
  const assetRef = (v: unknown) => (str(v) ? assetIds.get(str(v)!) : undefined);

  // Trust zones.
  const zoneIds = new Map<string, string>();
  // The zone a Rampart export adds for elements outside every boundary is dropped again on import.
  const fromRampart = isObject(project.attributes) && project.attributes.generator === 'rampart';
  const zones = arr(src.trustZones).filter(isObject).filter(z => !(fromRampart && str(z.id) === 'rampart-no-boundary'));
  b.expect('boundaries', zones.length);
  // Every zone gets its own id, also when OTM ids repeat; a reference to a repeated id means the last one.
  const zoneIdList = zones.map(raw => {
    const sid = str(raw.id) ?? str(raw.name) ?? 'zone';
    const id = b.ids.boundaries.take(slugify(str(raw.name) ?? sid), sid);
    zoneIds.set(sid, id);
    return id;
  });
  noteRepeatedIds(b, 'trust zones', zones.length, zoneIds.size);
  for (const [index, raw] of zones.entries()) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'zone';
    const id = zoneIdList[index];
    const rating = num(isObject(raw.risk) ? raw.risk.trustRating : undefined);
    const trust = bucket(rating, OTM_TRUST_BUCKETS)?.trust;
    const parent = isObject(raw.parent) ? raw.parent : {};
    const parentZone = zoneIds.get(str(parent.trustZone) ?? (str(parent.type) === 'trustZone' ? str(parent.id) ?? '' : ''));
    b.add('boundaries', id, {
      name: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      trust: trust ?? 'partial',
      parent: parentZone !== id ? parentZone : undefined,
      source_id: oneLine(sid),
    });
    b.commentEntry('boundaries', id, `OTM trust rating ${rating ?? 'missing'}${clip(raw.type) ? `, type ${clip(raw.type)}` : ''}.`);
    if (str(parent.component)) b.commentEntry('boundaries', id, `Inside the OTM component "${clip(parent.component)}": Rampart boundaries cannot sit inside elements.`);
  }

  // Components.
  const components = arr(src.components).filter(isObject);
  const componentIds = new Map<string, string>();
  const componentRaw = new Map<string, Record<string, unknown>>();
  // Every component gets its own element, also when OTM ids repeat; a reference to a repeated id means the last one.
  const componentIdList = components.map(raw => {
    const sid = str(raw.id) ?? str(raw.name) ?? 'component';
    const id = b.ids.elements.take(slugify(sid), str(raw.name) ?? 'component');
    componentIds.set(sid, id);
    componentRaw.set(sid, raw);
    return id;
  });
  noteRepeatedIds(b, 'components', components.length, componentIds.size);
  const zoneOfComponent = (raw: Record<string, unknown>): { zone?: string; via?: string } => {
    let cur: Record<string, unknown> | undefined = raw;
    let via: string | undefined;
    for (let i = 0; cur && i < 100; i++) {
      const p = isObject(cur.parent) ? cur.parent : {};
      const zone = str(p.trustZone) ?? (str(p.type) === 'trustZone' ? str(p.id) : undefined);
      if (zone) return { zone: zoneIds.get(zone), via };
      const comp = str(p.component) ?? (str(p.type) === 'component' ? str(p.id) : undefined);
      if (!comp) return { via };
      via ??= comp;
      cur = componentRaw.get(comp);
    }
    return { via };
  };
  for (const [index, raw] of components.entries()) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'component';
    const id = componentIdList[index];
    const tags = tagsFrom(raw.tags);
    const { zone, via } = zoneOfComponent(raw);
    const assets = isObject(raw.assets) ? raw.assets : {};
    const code = uniq(arr(raw.representations).filter(isObject).map(r => oneLine(r.file)));
    b.add('elements', id, {
      type: otmElementType(str(raw.type), tags),
      name: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      boundary: zone,
      stores: uniq(arr(assets.stored).map(assetRef)),
      processes: uniq(arr(assets.processed).map(assetRef)),
      code,
      tags,
      source_id: oneLine(sid),
    });
    b.commentEntry('elements', id, `OTM type ${clip(raw.type) ?? 'missing'}: imported as ${otmElementType(str(raw.type), tags)} (review).`);
    if (via) b.commentEntry('elements', id, `Nested inside the OTM component "${clip(via, 200)}"; Rampart elements do not nest.`);
  }

  // Dataflows.
  const flowIds = new Map<string, string>();
  for (const raw of arr(src.dataflows).filter(isObject)) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'dataflow';
    const from = componentIds.get(str(raw.source) ?? '');
    const to = componentIds.get(str(raw.destination) ?? str(raw.target) ?? '');
    if (!from || !to) {
      b.note(`The OTM dataflow "${clip(sid, 200)}" connects "${clip(raw.source) ?? ''}" and "${clip(raw.destination) ?? ''}", which are not both components; it was left out.`);
      continue;
    }
    const id = b.ids.flows.take(slugify(sid), str(raw.name) ?? 'flow');
    flowIds.set(sid, id);
    b.add('flows', id, {
      from,
      to,
      name: oneLine(raw.name),
      description: longText(raw.description),
      data: uniq(arr(raw.assets).map(assetRef)),
      bidirectional: raw.bidirectional === true ? true : undefined,
      tags: tagsFrom(raw.tags),
      source_id: oneLine(sid),
    });
  }

  // Threat and mitigation instances on components and dataflows.
  interface Instance { target: string; state?: string; mitigations: { id: string; state?: string }[] }
  const instances = new Map<string, Instance[]>();
  const collect = (holders: unknown, ids: Map<string, string>) => {
    for (const h of arr(holders).filter(isObject)) {
      const target = ids.get(str(h.id) ?? '');
      if (!target) continue;
      for (const t of arr(h.threats).filter(isObject)) {
        const tid = str(t.threat);
        if (!tid) continue;
        const list = instances.get(tid) ?? [];
        list.push({ target, state: str(t.state), mitigations: arr(t.mitigations).filter(isObject).map(m => ({ id: str(m.mitigation) ?? '', state: str(m.state) })) });
        instances.set(tid, list);
      }
    }
  };
  collect(src.components, componentIds);
  collect(src.dataflows, flowIds);

  // Mitigations.
  const mitigationIds = new Map<string, string>();
  const mitigationStates = new Map<string, string[]>();
  for (const list of instances.values()) {
    for (const inst of list) {
      for (const m of inst.mitigations) {
        if (!m.state) continue;
        const states = mitigationStates.get(m.id);
        if (states) states.push(m.state);
        else mitigationStates.set(m.id, [m.state]);
      }
    }
  }
  // Per OTM id, once: mitigations (and threats) may repeat an id, and each instance list is read one time.
  const mitigationSummaries = new Map<string, { states: string[]; status: MitigationStatus }>();
  const mitigationSummary = (sid: string) => {
    let summary = mitigationSummaries.get(sid);
    if (!summary) {
      const states = uniq(mitigationStates.get(sid) ?? []);
      const mapped = uniq(states.map(s => own(OTM_MITIGATION_STATE_MAP, s.toLowerCase())));
      const status = mapped.length ? mapped.sort((p, q) => MITIGATION_STATUSES.indexOf(p) - MITIGATION_STATUSES.indexOf(q))[0] : 'proposed';
      summary = { states, status };
      mitigationSummaries.set(sid, summary);
    }
    return summary;
  };
  for (const raw of arr(src.mitigations).filter(isObject)) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'mitigation';
    const id = b.ids.mitigations.take(slugify(str(raw.name) ?? sid), sid);
    mitigationIds.set(sid, id);
    const { states, status } = mitigationSummary(sid);
    b.add('mitigations', id, {
      title: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      status,
      source_id: oneLine(sid),
    });
    const rr = num(raw.riskReduction);
    b.commentEntry('mitigations', id, `OTM risk reduction: ${rr ?? 'missing'}%${states.length ? `; instance states: ${listText(states)}` : '; not used by any threat instance'}.`);
  }

  // Threats.
  const threatSummaries = new Map<string, { count: number; states: string[]; mappedStates: ThreatStatus[]; targets: string[]; mitigations: string[] }>();
  const threatSummary = (sid: string) => {
    let summary = threatSummaries.get(sid);
    if (!summary) {
      const insts = instances.get(sid) ?? [];
      const states = uniq(insts.map(i => i.state?.toLowerCase() ?? 'exposed'));
      summary = {
        count: insts.length,
        states,
        mappedStates: uniq(states.map(s => own(OTM_THREAT_STATE_MAP, s) ?? 'open')),
        targets: uniq(insts.map(i => i.target)),
        mitigations: uniq(insts.flatMap(i => i.mitigations.map(m => mitigationIds.get(m.id)))),
      };
      threatSummaries.set(sid, summary);
    }
    return summary;
  };
  for (const raw of arr(src.threats).filter(isObject)) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'threat';
    const id = b.ids.threats.take(slugify(str(raw.name) ?? sid), sid);
    const risk = isObject(raw.risk) ? raw.risk : {};
    const categories = arr(raw.categories).map(c => str(c)).filter((c): c is string => !!c);
    const stride = uniq(categories.map(strideFrom));
    const cwe = uniq(arr(raw.cwes).map(c => {
      const m = /^(?:cwe-?)?(\d{1,5})$/i.exec(str(c) ?? '');
      return m ? `CWE-${Number(m[1])}` : undefined;
    }));
    const { count, states, mappedStates, targets, mitigations } = threatSummary(sid);
    const status: ThreatStatus = mappedStates.length === 1 ? mappedStates[0] : 'open';
    const description = [longText(raw.description), str(risk.likelihoodComment) && `Likelihood: ${clip(risk.likelihoodComment)}`, str(risk.impactComment) && `Impact: ${clip(risk.impactComment)}`]
      .filter(Boolean).join('\n\n');
    b.add('threats', id, {
      title: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(description),
      stride,
      targets,
      likelihood: bucket(num(risk.likelihood), OTM_LIKELIHOOD_BUCKETS)?.likelihood,
      impact: bucket(num(risk.impact), OTM_IMPACT_BUCKETS)?.impact,
      cwe,
      status,
      mitigations,
      source_id: oneLine(sid),
    });
    b.commentEntry('threats', id, `OTM risk: likelihood ${num(risk.likelihood) ?? 'missing'}%, impact ${num(risk.impact) ?? 'missing'}%.`);
    const other = categories.filter(c => !strideFrom(c));
    if (other.length) b.commentEntry('threats', id, `OTM categories without a STRIDE match: ${listText(other)}.`);
    if (arr(raw.cwes).length > cwe.length) b.commentEntry('threats', id, `OTM cwes not written CWE-123 were left out: ${listText(raw.cwes)}.`);
    if (count === 0) b.commentEntry('threats', id, 'No component or dataflow names this threat in OTM, so it has no target.');
    else if (mappedStates.length > 1) b.commentEntry('threats', id, `Its OTM instances have different states (${listText(states)}): imported as open.`);
    else if (states.some(s => !own(OTM_THREAT_STATE_MAP, s))) b.commentEntry('threats', id, `OTM state "${listText(states)}" is unknown; imported as open.`);
    const tags = arr(raw.tags).filter(t => str(t));
    if (tags.length) b.commentEntry('threats', id, `OTM tags: ${listText(tags)}.`);
  }
  const definedThreats = new Set(arr(src.threats).map(t => (isObject(t) ? str(t.id) : undefined)));
  const unknownThreats = [...instances.keys()].filter(k => !definedThreats.has(k));
  if (unknownThreats.length) b.note(`Threat instances name threats that are not defined in \`threats\` (${listText(unknownThreats, 5)}); they were left out.`);
  for (const [k] of entries(src)) {
    if (!['otmVersion', 'project', 'representations', 'assets', 'components', 'dataflows', 'trustZones', 'threats', 'mitigations'].includes(k)) {
      b.note(`The top-level key "${clip(k, 100)}" of the OTM file was left out.`);
    }
  }
  return b.result();
}

/** A note when several source entries share an id (each is imported; references to the id mean the last one). */
function noteRepeatedIds(b: ModelBuilder, what: string, count: number, distinct: number): void {
  if (count > distinct) {
    b.note(`${count - distinct} OTM ${what} repeat the id of another one; each was imported, and a reference to a repeated id points at the last one with it.`);
  }
}
