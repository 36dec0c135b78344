/**
 * Open Threat Model (OTM, JSON or YAML) -> Rampart model.
 *
 * Ids: components, dataflows and assets take their OTM id in kebab-case, trust zones, threats and mitigations
 * their name; an opaque OTM id (a UUID, a number) gives way to the name, and a name that says nothing to a word
 * (`component`, `from-to-to` for a dataflow). The OTM id is kept in `source_id`. A file written by Rampart
 * (`project.attributes.generator: rampart`) gives every entry its `attributes.rampart_id`, else its OTM id.
 *
 * | OTM | Rampart |
 * |---|---|
 * | `project.name`, `project.description`, `project.owner`/`ownerContact` | `title`, `description`, `team` (role owner, email); `attributes.team`/`version`/`scope`/`policy`/`attack_trees` (valid ones) -> those fields |
 * | `trustZones` | `boundaries`; `risk.trustRating` (0-100) -> trust per {@link OTM_TRUST_BUCKETS}; `parent.trustZone` -> `parent` |
 * | `components` | `elements`; type from the OTM `type` and tags (see {@link otmElementType}), or `attributes.type`; the OTM `type` is the `kind` when it is one of Rampart's kinds (or `attributes.kind`); `parent.trustZone` -> `boundary` (a component inside a component gets its ancestor's zone, with a comment); `assets.processed`/`stored` -> `processes`/`stores`; `tags` -> `tags`; a code representation's `file` -> `code` |
 * | `dataflows` | `flows`: `source`/`destination` -> `from`/`to`; `bidirectional`; `assets` -> `data`; `tags` -> `tags`; `attributes.data_received` (OTM asset ids) -> `data_received` |
 * | `assets` | `assets`; `risk.confidentiality` -> classification per {@link OTM_CONFIDENTIALITY_BUCKETS}; the higher of `integrity`/`availability` -> `criticality` (0-24 low, 25-49 medium, 50-74 high, 75-100 critical) |
 * | `threats` | `threats`: `name` -> `title`; `categories` -> `stride` where they are STRIDE words; `cwes` -> `cwe`; `tags` -> `tags`; `risk.likelihood`/`impact` (0-100) -> likelihood/impact per {@link OTM_LIKELIHOOD_BUCKETS} and {@link OTM_IMPACT_BUCKETS} (a `null` likelihood is none); targets = the components and dataflows whose `threats` name it (in the order of `attributes.targets` when it names the same ones); `attributes.mitigations` links a threat without instances; `attributes.statement` (assets as OTM ids) -> `statement` |
 * | `mitigations` | `mitigations`: `name` -> `title`; linked to the threats whose instances name them; `riskReduction` is kept as a comment (Rampart has no field for it) |
 * | `attributes` of an entry, and properties OTM does not define | the Rampart field of the same name when the entry has one and the value is valid for it (`technology`, `owner`, `protocol`, `encrypted`, `justification`, `cvss`, `evidence`, ...); any other is kept as a comment on the entry. `rampart_unset: [field]` marks a field OTM requires but Rampart left unset (flow `name`, asset `criticality`, threat `impact`) |
 *
 * Status: a threat's status comes from the `state` of its instances (on components and dataflows) per
 * {@link OTM_THREAT_STATE_MAP} when they all map to the same status (else open); a threat without instances
 * takes `attributes.status`, else open. A mitigation's status comes from its instances' `state` per
 * {@link OTM_MITIGATION_STATE_MAP} (the least advanced one when they differ), else `attributes.status`, else
 * proposed.
 *
 * Not mapped (comments and notes): representations (diagram positions and sizes), trust zone types, project
 * ids, tags, properties and attributes, component types that are no Rampart kind, mitigations' `riskReduction`;
 * the likelihood and impact comments are added to the threat's description.
 */
import type { z } from 'zod';
import {
  ModelBuilder, arr, clip, entries, isObject, listText, longText, num, oneLine, own, readInput, slugify, str, strideFrom, uniq,
  type ImportOptions, type ImportResult,
} from './common';
import {
  ELEMENT_KINDS, ELEMENT_TYPES, ID_PATTERN, IMPACTS, LIKELIHOODS, LIMITS, MITIGATION_STATUSES, THREAT_ID_PATTERN, THREAT_STATUSES,
  asset as assetSchema, attackTree as attackTreeSchema, boundary as boundarySchema, element as elementSchema, flow as flowSchema,
  mitigation as mitigationSchema, model as modelSchema, threat as threatSchema,
  type AttackNode, type Classification, type ElementType, type Impact, type Likelihood, type MitigationStatus, type ThreatStatus, type Trust,
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

/** Attribute keys the import reads as markers (never a field, never a comment). */
const MARKERS = new Set(['rampart_id', 'rampart_unset', 'rampartImpact', 'rampartStatus']);
/** Fields an entry takes from OTM's own fields (or that the import reads itself), never from `attributes`. */
const NATIVE = {
  boundaries: new Set(['name', 'description', 'trust', 'parent', 'source_id']),
  elements: new Set(['type', 'name', 'description', 'kind', 'boundary', 'stores', 'processes', 'code', 'tags', 'source_id']),
  flows: new Set(['from', 'to', 'name', 'description', 'data', 'data_received', 'bidirectional', 'tags', 'source_id']),
  assets: new Set(['name', 'description', 'classification', 'criticality', 'source_id']),
  threats: new Set(['title', 'description', 'stride', 'targets', 'likelihood', 'impact', 'cwe', 'status', 'mitigations', 'tags', 'statement', 'source_id']),
  mitigations: new Set(['title', 'description', 'status', 'source_id']),
} as const;
type Section = keyof typeof NATIVE;
type Shape = Readonly<Record<string, z.ZodType>>;
const SHAPES: Record<Section, Shape> = {
  boundaries: boundarySchema.shape, elements: elementSchema.shape, flows: flowSchema.shape,
  assets: assetSchema.shape, threats: threatSchema.shape, mitigations: mitigationSchema.shape,
};
/** The properties otm_schema.json defines for each kind of entry (`target` is an older name of `destination`). */
const PROPERTIES: Record<Section, ReadonlySet<string>> = {
  assets: new Set(['id', 'name', 'description', 'risk', 'attributes']),
  boundaries: new Set(['id', 'name', 'type', 'description', 'risk', 'parent', 'representations', 'attributes']),
  elements: new Set(['id', 'name', 'type', 'description', 'parent', 'representations', 'assets', 'threats', 'tags', 'attributes']),
  flows: new Set(['id', 'name', 'description', 'bidirectional', 'source', 'destination', 'target', 'assets', 'threats', 'tags', 'representations', 'attributes']),
  threats: new Set(['id', 'name', 'description', 'categories', 'cwes', 'risk', 'tags', 'attributes']),
  mitigations: new Set(['id', 'name', 'description', 'riskReduction', 'attributes']),
};
/** Model fields a Rampart export writes in `project.attributes`. */
const PROJECT_FIELDS = ['version', 'team', 'scope', 'policy'] as const;

/**
 * An id or name that says nothing to a reader (kebab-case already): only digits, or a run of 8 or more
 * hexadecimal characters with a digit in it (a UUID, a hash).
 */
export function opaqueId(slug: string): boolean {
  return /^[0-9-]+$/.test(slug) || slug.split('-').some(t => t.length >= 8 && /\d/.test(t) && /^[0-9a-f]+$/.test(t));
}

const CONTROL = /[\u0000-\u0008\u000E-\u001A\uFFFD]/g;
/**
 * A copy of an attribute value for the schema check: strings without the characters a model may not hold;
 * a map or list met again (a YAML alias) is copied once, and one that contains itself ends in null.
 */
function sanitize(v: unknown, memo = new Map<object, unknown>()): unknown {
  if (typeof v === 'string') return (v.length > MAX_ATTRIBUTE_STRING ? v.slice(0, MAX_ATTRIBUTE_STRING) : v).replace(CONTROL, '');
  if (v === null || typeof v !== 'object') return v;
  if (memo.has(v)) return memo.get(v);
  memo.set(v, null);
  const copy = Array.isArray(v) ? v.map(x => sanitize(x, memo)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sanitize(x, memo)]));
  memo.set(v, copy);
  return copy;
}
/** Longer strings fail every field's schema anyway (texts are at most 5,000 characters). */
const MAX_ATTRIBUTE_STRING = LIMITS.text + 1;

/** A value for a comment, at most `max` characters, without reading more of it than that. */
function brief(v: unknown, max = 200): string {
  let out = '';
  const walk = (x: unknown, depth: number): void => {
    if (out.length > max) return;
    if (typeof x === 'string') out += JSON.stringify(x.slice(0, max));
    else if (x === null || typeof x !== 'object') out += String(x);
    else if (depth > 6) out += '…';
    else if (Array.isArray(x)) {
      out += '[';
      for (let i = 0; i < x.length && out.length <= max; i++) {
        if (i) out += ', ';
        walk(x[i], depth + 1);
      }
      out += ']';
    } else {
      out += '{';
      let first = true;
      for (const k in x) {
        if (out.length > max) break;
        if (!Object.hasOwn(x, k)) continue;
        out += `${first ? '' : ', '}${k.slice(0, 50)}: `;
        first = false;
        walk((x as Record<string, unknown>)[k], depth + 1);
      }
      out += '}';
    }
  };
  walk(v, 0);
  return out.length > max ? out.slice(0, max - 1) + '…' : out;
}

/** Tags as written (one line, at most 64 characters each), the first `LIMITS.list` distinct ones. */
function tagList(values: unknown): string[] {
  return uniq(arr(values).map(v => oneLine(v, LIMITS.id)));
}

const attributesOf = (raw: Record<string, unknown>): Record<string, unknown> => (isObject(raw.attributes) ? raw.attributes : {});
/** The fields an OTM file marks as unset in Rampart (`rampart_unset: [impact]`). */
const unsetOf = (attributes: Record<string, unknown>) => new Set(arr(own(attributes, 'rampart_unset')).map(v => str(v)));

export function importOtm(text: string, options: ImportOptions = {}): ImportResult {
  const readNotes: string[] = [];
  const src = readInput(text, 'otm', readNotes);
  const project = isObject(src.project) ? src.project : {};
  const projectAttributes = isObject(project.attributes) ? project.attributes : {};
  // A file a Rampart export wrote: its ids are Rampart ids (or `rampart_id` says which).
  const fromRampart = own(projectAttributes, 'generator') === 'rampart';
  const b = new ModelBuilder('otm', [
    `Imported from an Open Threat Model (OTM${clip(src.otmVersion) ? ` ${clip(src.otmVersion)}` : ''}) file by \`rampart import --from otm\`.`,
    'Every entry keeps its OTM id in `source_id`. A threat\'s status is the state of its instances on components',
    'and dataflows when they agree (else open); a threat without instances keeps its `status` attribute.',
  ], options);
  readNotes.forEach(n => b.note(n));
  b.top.title = oneLine(project.name) ?? 'Imported OTM model';
  const description = longText(project.description);
  if (description) b.top.description = description;
  if (oneLine(project.owner)) {
    b.top.team = [{ name: oneLine(project.owner), role: 'owner', email: oneLine(project.ownerContact) }].map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)));
  }
  // A Rampart export adds one `code` representation for the components' code paths.
  const rampartCode = (r: unknown) => fromRampart && isObject(r) && r.id === 'code' && r.type === 'code';
  if (arr(src.representations).some(r => !rampartCode(r))) {
    b.note(`${arr(src.representations).length} OTM representations (diagram and code views: positions, sizes, repositories) were left out; code file paths of components are kept in \`code\`.`);
  }
  const projectId = str(project.id);
  if (projectId && projectId !== slugify(str(project.name) ?? '')) b.commentSection('title', `OTM project id: ${clip(projectId, 200)}.`);
  if (arr(project.tags).length) b.commentSection('title', `OTM project tags: ${listText(project.tags)}.`);
  for (const [k, v] of entries(project)) {
    if (!['name', 'id', 'description', 'owner', 'ownerContact', 'tags', 'attributes'].includes(k)) b.commentSection('title', `OTM project property ${clip(k, 100)} = ${brief(v)}.`);
  }

  /** Where the Rampart id of an entry comes from: `rampart_id`, the OTM id (of a Rampart file), the OTM id or name. */
  const idBase = (raw: Record<string, unknown>, nameFirst: boolean, fallback: string, threat = false): string => {
    const pattern = threat ? THREAT_ID_PATTERN : ID_PATTERN;
    const valid = (s: string | undefined): s is string => s !== undefined && s.length <= (threat ? LIMITS.id * 2 : LIMITS.id) && pattern.test(s);
    const rampartId = str(own(attributesOf(raw), 'rampart_id'));
    if (valid(rampartId)) return rampartId;
    const sid = str(raw.id);
    if (fromRampart && valid(sid) && !opaqueId(sid)) return sid;
    const byId = slugify(sid ?? '');
    const byName = slugify(str(raw.name) ?? '');
    const order = nameFirst ? [byName, byId] : [byId, byName];
    return order.find(s => s && !opaqueId(s)) ?? (slugify(fallback) || order.find(s => s) || 'item');
  };
  /**
   * Rampart fields of an entry from its OTM `attributes` and from properties OTM does not define (valid values of
   * fields the entry may take from there); a comment for each of the others.
   */
  const attributeFields = (section: Section, id: string, raw: Record<string, unknown>, handled: ReadonlySet<string> = new Set()): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const read = (what: string, k: string, v: unknown) => {
      const key = clip(k, 100);
      const field = own(SHAPES[section], k);
      if (NATIVE[section].has(k)) {
        b.commentEntry(section, id, `OTM ${what} ${key} = ${brief(v)} (Rampart takes \`${key}\` from the entry's own OTM fields).`);
      } else if (field) {
        const r = field.safeParse(sanitize(v));
        if (r.success && r.data !== undefined) out[k] = r.data;
        else b.commentEntry(section, id, `OTM ${what} ${key} = ${brief(v)} is not a valid \`${key}\`: left out.`);
      } else {
        b.commentEntry(section, id, `OTM ${what} ${key} = ${brief(v)} (Rampart has no field for it).`);
      }
    };
    for (const [k, v] of entries(raw)) if (!PROPERTIES[section].has(k)) read('property', k, v);
    for (const [k, v] of entries(raw.attributes)) if (!MARKERS.has(k) && !handled.has(k)) read('attribute', k, v);
    return out;
  };

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
    const id = b.ids.assets.take(idBase(raw, false, 'asset'), str(raw.name) ?? 'asset');
    assetIds.set(sid, id);
    const risk = isObject(raw.risk) ? raw.risk : {};
    const cls = bucket(num(risk.confidentiality), OTM_CONFIDENTIALITY_BUCKETS);
    const ia = Math.max(num(risk.integrity) ?? -1, num(risk.availability) ?? -1);
    const unset = unsetOf(attributesOf(raw));
    b.add('assets', id, {
      name: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      classification: cls?.classification ?? 'internal',
      criticality: ia < 0 || unset.has('criticality') ? undefined : ia < 25 ? 'low' : ia < 50 ? 'medium' : ia < 75 ? 'high' : 'critical',
      ...attributeFields('assets', id, raw),
      source_id: oneLine(sid),
    });
    if (!fromRampart) b.commentEntry('assets', id, `OTM risk: confidentiality ${num(risk.confidentiality) ?? '?'}, integrity ${num(risk.integrity) ?? '?'}, availability ${num(risk.availability) ?? '?'}${clip(risk.comment) ? ` (${clip(risk.comment)})` : ''}.`);
    if (!cls) b.commentEntry('assets', id, 'No OTM confidentiality: classification set to internal.');
  }
  const assetRef = (v: unknown) => (str(v) ? assetIds.get(str(v)!) : undefined);
  /** Asset ids from OTM asset ids in an attribute; a comment names those that are no asset. */
  const assetRefs = (section: Section, id: string, what: string, v: unknown): string[] | undefined => {
    if (v === undefined) return undefined;
    const list = arr(v);
    const out = uniq(list.map(assetRef));
    if (out.length < list.length) b.commentEntry(section, id, `OTM attribute ${what} names ${brief(v)}; only known assets were kept.`);
    return out;
  };

  // Trust zones.
  const zoneIds = new Map<string, string>();
  // The zone a Rampart export adds for elements outside every boundary is dropped again on import.
  const zones = arr(src.trustZones).filter(isObject).filter(z => !(fromRampart && str(z.id) === 'rampart-no-boundary'));
  b.expect('boundaries', zones.length);
  // Every zone gets its own id, also when OTM ids repeat; a reference to a repeated id means the last one.
  const zoneIdList = zones.map(raw => {
    const sid = str(raw.id) ?? str(raw.name) ?? 'zone';
    const id = b.ids.boundaries.take(idBase(raw, true, 'zone'), sid);
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
      ...attributeFields('boundaries', id, raw),
      source_id: oneLine(sid),
    });
    if (!fromRampart || clip(raw.type)) b.commentEntry('boundaries', id, `OTM trust rating ${rating ?? 'missing'}${clip(raw.type) ? `, type ${clip(raw.type)}` : ''}.`);
    if (str(parent.component)) b.commentEntry('boundaries', id, `Inside the OTM component "${clip(parent.component)}": Rampart boundaries cannot sit inside elements.`);
  }

  // Components.
  const components = arr(src.components).filter(isObject);
  const componentIds = new Map<string, string>();
  const componentRaw = new Map<string, Record<string, unknown>>();
  // Every component gets its own element, also when OTM ids repeat; a reference to a repeated id means the last one.
  const componentIdList = components.map(raw => {
    const sid = str(raw.id) ?? str(raw.name) ?? 'component';
    const id = b.ids.elements.take(idBase(raw, false, str(raw.type) ?? 'component'), str(raw.name) ?? 'component');
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
    const tags = tagList(raw.tags);
    const { zone, via } = zoneOfComponent(raw);
    const assets = isObject(raw.assets) ? raw.assets : {};
    const code = uniq(arr(raw.representations).filter(isObject).map(r => oneLine(r.file)));
    const attributes = attributesOf(raw);
    const otmType = str(raw.type);
    const typeAttribute = str(own(attributes, 'type'));
    const kindAttribute = str(own(attributes, 'kind'));
    const type = (ELEMENT_TYPES as readonly string[]).includes(typeAttribute ?? '') ? typeAttribute as ElementType : otmElementType(otmType, tags);
    const asKind = (k: string | undefined) => (ELEMENT_KINDS as readonly string[]).find(x => x === k?.toLowerCase());
    const kind = asKind(kindAttribute) ?? asKind(otmType);
    b.add('elements', id, {
      type,
      name: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      kind,
      boundary: zone,
      stores: uniq(arr(assets.stored).map(assetRef)),
      processes: uniq(arr(assets.processed).map(assetRef)),
      code,
      tags,
      ...attributeFields('elements', id, raw, new Set(['type', 'kind'])),
      source_id: oneLine(sid),
    });
    if (!kind && !typeAttribute && !fromRampart) b.commentEntry('elements', id, `OTM type ${clip(otmType) ?? 'missing'}: imported as ${type} (review).`);
    if (typeAttribute && type !== typeAttribute) b.commentEntry('elements', id, `OTM attribute type = ${brief(typeAttribute)} is no Rampart element type: imported as ${type}.`);
    if (kindAttribute && kind !== kindAttribute) b.commentEntry('elements', id, `OTM attribute kind = ${brief(kindAttribute)} is no Rampart element kind: left out.`);
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
    const id = b.ids.flows.take(idBase(raw, false, `${from}-to-${to}`), str(raw.name) ?? 'flow');
    flowIds.set(sid, id);
    const attributes = attributesOf(raw);
    b.add('flows', id, {
      from,
      to,
      name: unsetOf(attributes).has('name') ? undefined : oneLine(raw.name),
      description: longText(raw.description),
      data: uniq(arr(raw.assets).map(assetRef)),
      data_received: assetRefs('flows', id, 'data_received', own(attributes, 'data_received')),
      bidirectional: typeof raw.bidirectional === 'boolean' ? raw.bidirectional : undefined,
      tags: tagList(raw.tags),
      ...attributeFields('flows', id, raw, new Set(['data_received'])),
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
  const mitigationSummaries = new Map<string, { states: string[]; status?: MitigationStatus }>();
  const mitigationSummary = (sid: string) => {
    let summary = mitigationSummaries.get(sid);
    if (!summary) {
      const states = uniq(mitigationStates.get(sid) ?? []);
      const mapped = uniq(states.map(s => own(OTM_MITIGATION_STATE_MAP, s.toLowerCase())));
      const status = mapped.length ? mapped.sort((p, q) => MITIGATION_STATUSES.indexOf(p) - MITIGATION_STATUSES.indexOf(q))[0] : undefined;
      summary = { states, status };
      mitigationSummaries.set(sid, summary);
    }
    return summary;
  };
  for (const raw of arr(src.mitigations).filter(isObject)) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'mitigation';
    const id = b.ids.mitigations.take(idBase(raw, true, 'mitigation'), sid);
    mitigationIds.set(sid, id);
    const { states, status } = mitigationSummary(sid);
    const attributes = attributesOf(raw);
    const written = str(own(attributes, 'status')) ?? str(own(attributes, 'rampartStatus'));
    const attributeStatus = (MITIGATION_STATUSES as readonly string[]).includes(written ?? '') ? written as MitigationStatus : undefined;
    b.add('mitigations', id, {
      title: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(raw.description),
      status: status ?? attributeStatus ?? 'proposed',
      ...attributeFields('mitigations', id, raw, new Set(['status'])),
      source_id: oneLine(sid),
    });
    const rr = num(raw.riskReduction);
    if (!fromRampart) {
      b.commentEntry('mitigations', id, `OTM risk reduction: ${rr ?? 'missing'}%${states.length ? `; instance states: ${listText(states)}` : '; not used by any threat instance'}.`);
    }
    if (written !== undefined && !attributeStatus) b.commentEntry('mitigations', id, `OTM attribute status = ${brief(written)} is no Rampart mitigation status: left out.`);
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
  const threatIds = new Map<string, string>();
  for (const raw of arr(src.threats).filter(isObject)) {
    const sid = str(raw.id) ?? str(raw.name) ?? 'threat';
    const id = b.ids.threats.take(idBase(raw, true, 'threat', true), sid);
    threatIds.set(sid, id);
    const risk = isObject(raw.risk) ? raw.risk : {};
    const attributes = attributesOf(raw);
    const unset = unsetOf(attributes);
    const categories = arr(raw.categories).map(c => str(c)).filter((c): c is string => !!c);
    const stride = uniq(categories.map(strideFrom));
    const cwe = uniq(arr(raw.cwes).map(c => {
      const m = /^(?:cwe-?)?(\d{1,5})$/i.exec(str(c) ?? '');
      return m ? `CWE-${Number(m[1])}` : undefined;
    }));
    const summary = threatSummary(sid);
    const { count, states, mappedStates } = summary;
    let { targets, mitigations } = summary;
    // Status: the instances' state when they agree; without instances, the `status` attribute.
    const written = str(own(attributes, 'status'));
    const attributeStatus = (THREAT_STATUSES as readonly string[]).includes(written ?? '') ? written as ThreatStatus : undefined;
    const status: ThreatStatus = count === 0 ? attributeStatus ?? 'open' : mappedStates.length === 1 ? mappedStates[0] : 'open';
    // Targets in the order `attributes.targets` gives, when it names the instances' targets.
    if (own(attributes, 'targets') !== undefined) {
      const refs = arr(own(attributes, 'targets')).map(r => {
        if (!isObject(r)) return undefined;
        return componentIds.get(str(r.component) ?? '') ?? flowIds.get(str(r.dataflow) ?? '');
      });
      const hosts = new Set(targets);
      const listed = uniq(refs);
      if (listed.length === refs.length && listed.length === hosts.size && listed.every(r => hosts.has(r))) {
        targets = listed;
      } else {
        b.commentEntry('threats', id, `OTM attribute targets = ${brief(own(attributes, 'targets'))} does not match the threat's instances: the instances give its targets.`);
      }
    }
    if (count === 0 && own(attributes, 'mitigations') !== undefined) {
      const list = arr(own(attributes, 'mitigations'));
      mitigations = uniq(list.map(m => mitigationIds.get(str(m) ?? '')));
      if (mitigations.length < list.length) b.commentEntry('threats', id, `OTM attribute mitigations = ${brief(list)} names mitigations that are not defined; only defined ones were kept.`);
    }
    let statement: unknown;
    if (isObject(own(attributes, 'statement'))) {
      const raw = sanitize(own(attributes, 'statement')) as Record<string, unknown>;
      const assets = assetRefs('threats', id, 'statement.assets', raw.assets);
      const s = threatSchema.shape.statement.safeParse({ ...raw, assets: assets?.length ? assets : undefined });
      if (s.success) statement = Object.values(s.data ?? {}).some(x => x !== undefined) ? s.data : undefined;
      else b.commentEntry('threats', id, `OTM attribute statement = ${brief(raw)} is not a valid \`statement\`: left out.`);
    } else if (own(attributes, 'statement') !== undefined) {
      b.commentEntry('threats', id, `OTM attribute statement = ${brief(own(attributes, 'statement'))} is not a valid \`statement\`: left out.`);
    }
    const description = [longText(raw.description), str(risk.likelihoodComment) && `Likelihood: ${clip(risk.likelihoodComment)}`, str(risk.impactComment) && `Impact: ${clip(risk.impactComment)}`]
      .filter(Boolean).join('\n\n');
    const impactUnset = unset.has('impact') || own(attributes, 'rampartImpact') === 'unset';
    b.add('threats', id, {
      title: oneLine(raw.name) ?? oneLine(sid)!,
      description: longText(description),
      statement,
      stride,
      targets,
      likelihood: unset.has('likelihood') ? undefined : bucket(num(risk.likelihood), OTM_LIKELIHOOD_BUCKETS)?.likelihood,
      impact: impactUnset ? undefined : bucket(num(risk.impact), OTM_IMPACT_BUCKETS)?.impact,
      cwe,
      status,
      mitigations,
      tags: tagList(raw.tags),
      ...attributeFields('threats', id, raw, new Set(['status', 'targets', 'mitigations', 'statement'])),
      source_id: oneLine(sid),
    });
    if (!fromRampart) b.commentEntry('threats', id, `OTM risk: likelihood ${num(risk.likelihood) ?? 'missing'}%, impact ${num(risk.impact) ?? 'missing'}%.`);
    const other = categories.filter(c => !strideFrom(c));
    if (other.length) b.commentEntry('threats', id, `OTM categories without a STRIDE match: ${listText(other)}.`);
    if (arr(raw.cwes).length > cwe.length) b.commentEntry('threats', id, `OTM cwes not written CWE-123 were left out: ${listText(raw.cwes)}.`);
    if (count === 0 && !attributeStatus) b.commentEntry('threats', id, 'No component or dataflow names this threat in OTM, so it has no target.');
    else if (count > 0 && mappedStates.length > 1) b.commentEntry('threats', id, `Its OTM instances have different states (${listText(states)}): imported as open.`);
    else if (count > 0 && states.some(s => !own(OTM_THREAT_STATE_MAP, s))) b.commentEntry('threats', id, `OTM state "${listText(states)}" is unknown; imported as open.`);
    if (written !== undefined && !attributeStatus) b.commentEntry('threats', id, `OTM attribute status = ${brief(written)} is no Rampart threat status: left out.`);
  }
  const definedThreats = new Set(arr(src.threats).map(t => (isObject(t) ? str(t.id) : undefined)));
  const unknownThreats = [...instances.keys()].filter(k => !definedThreats.has(k));
  if (unknownThreats.length) b.note(`Threat instances name threats that are not defined in \`threats\` (${listText(unknownThreats, 5)}); they were left out.`);

  // Project attributes: the model fields a Rampart export writes there, comments for the rest.
  const foreign: string[] = [];
  for (const [k, v] of entries(projectAttributes)) {
    if (k === 'generator' && fromRampart) continue;
    if ((PROJECT_FIELDS as readonly string[]).includes(k)) {
      const r = modelSchema.shape[k as (typeof PROJECT_FIELDS)[number]].safeParse(sanitize(v));
      if (r.success && r.data !== undefined) {
        b.top[k] = k === 'scope' ? scopeLinks(b, r.data as Scope) : r.data;
        continue;
      }
      b.commentSection('title', `OTM project attribute ${k} = ${brief(v)} is not a valid \`${k}\`: left out.`);
    } else if (k === 'attack_trees') {
      b.top.attack_trees = attackTrees(b, v);
    } else {
      b.commentSection('title', `OTM project attribute ${clip(k, 100)} = ${brief(v)}.`);
      foreign.push(clip(k, 100)!);
    }
  }
  if (foreign.length) b.note(`OTM project attributes have no Rampart field (${listText(foreign, 10)}); they are kept as a comment above \`title\`.`);
  for (const [k] of entries(src)) {
    if (!['otmVersion', 'project', 'representations', 'assets', 'components', 'dataflows', 'trustZones', 'threats', 'mitigations'].includes(k)) {
      b.note(`The top-level key "${clip(k, 100)}" of the OTM file was left out.`);
    }
  }
  return b.result();
}

type Scope = NonNullable<z.infer<typeof modelSchema>['scope']>;
/** The scope with its assumptions' links to threats and mitigations that exist (a comment names the others). */
function scopeLinks(b: ModelBuilder, scope: Scope): Scope {
  if (!scope.assumptions) return scope;
  const dropped: string[] = [];
  const keep = (ids: string[] | undefined, section: Map<string, unknown>) => {
    if (!ids) return undefined;
    const kept = ids.filter(i => section.has(i));
    dropped.push(...ids.filter(i => !section.has(i)));
    return kept.length ? kept : undefined;
  };
  const assumptions = scope.assumptions.map(a => {
    if (typeof a === 'string') return a;
    const out = { ...a, threats: keep(a.threats, b.sections.threats), mitigations: keep(a.mitigations, b.sections.mitigations) };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as typeof a;
  });
  if (dropped.length) b.commentSection('scope', `Assumptions named threats or mitigations that are not in the model (${listText(dropped, 10)}); those links were left out.`);
  return { ...scope, assumptions };
}

/** Attack trees a Rampart export wrote: the valid ones whose threats and subtrees exist (a comment names the others). */
function attackTrees(b: ModelBuilder, v: unknown): Record<string, unknown> | undefined {
  const parsed = new Map<string, z.infer<typeof attackTreeSchema>>();
  for (const [id, raw] of entries(v)) {
    const r = attackTreeSchema.safeParse(sanitize(raw));
    if (ID_PATTERN.test(id) && id.length <= LIMITS.id && r.success) parsed.set(id, r.data);
    else b.commentSection('title', `OTM project attribute attack_trees.${clip(id, 100)} is not a valid attack tree: left out.`);
  }
  const out: Record<string, unknown> = {};
  for (const [id, tree] of parsed) {
    let ok = tree.threat === undefined || b.sections.threats.has(tree.threat);
    const walk = (nodes: AttackNode[] | undefined) => {
      for (const n of nodes ?? []) {
        if (n.threat !== undefined && !b.sections.threats.has(n.threat)) ok = false;
        if (n.tree !== undefined && !parsed.has(n.tree)) ok = false;
        walk(n.and);
        walk(n.or);
      }
    };
    walk(tree.and);
    walk(tree.or);
    if (ok) out[id] = tree;
    else b.commentSection('title', `OTM project attribute attack_trees.${id} names threats or trees that are not in the model: left out.`);
  }
  return Object.keys(out).length ? out : undefined;
}

/** A note when several source entries share an id (each is imported; references to the id mean the last one). */
function noteRepeatedIds(b: ModelBuilder, what: string, count: number, distinct: number): void {
  if (count > distinct) {
    b.note(`${count - distinct} OTM ${what} repeat the id of another one; each was imported, and a reference to a repeated id points at the last one with it.`);
  }
}
