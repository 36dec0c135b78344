/**
 * Threagile YAML -> Rampart model.
 *
 * | Threagile | Rampart |
 * |---|---|
 * | `title`, `business_overview.description`, `author` | `title`, `description`, `team` (role author) |
 * | `data_assets` (key = name, `id`) | `assets`; classification from `confidentiality` (table below); `criticality` from the higher of `integrity` and `availability` |
 * | `technical_assets` | `elements`; `type` external-entity/process/datastore -> external/process/store; `technology` -> `technology` (and `kind` where it is clear); `encryption` other than none -> `encrypted: true`; `internet` -> `internet_facing`; `data_assets_stored`/`data_assets_processed` -> `stores`/`processes`; `out_of_scope` -> `scope.out` |
 * | `communication_links` | `flows` from the asset to `target`; `protocol`; `encrypted` when the protocol is an encrypted one (or `vpn`); `authenticated` when `authentication` is not none; `authorized` when `authorization` is not none; `data` = sent + received assets |
 * | `trust_boundaries` | `boundaries` (trust `trusted`: Threagile boundaries are the owner's network segments and carry no trust level); `technical_assets_inside` -> each element's `boundary` (innermost); `trust_boundaries_nested` -> `parent` |
 * | `individual_risk_categories[].risks_identified` | `threats` (id = Threagile's synthetic id `category@asset...`), with the category's `stride`, `cwe`, and `mitigation` text as a proposed mitigation |
 * | `risk_tracking` (keyed `rule@asset`, `*` wildcards) | `threats` keyed the same way (`*` -> `any`), targets = the parts that name elements; status per {@link THREAGILE_STATUS_MAP}; `justification` -> `justification`; `checked_by` -> `accepted_by` (accepted only) or a comment; `ticket` -> `ticket`; `date` -> a comment |
 *
 * Status mapping (risk_tracking `status` -> threat `status`): unchecked, in-discussion, in-progress -> open;
 * accepted -> accepted; mitigated -> mitigated (with an implemented mitigation holding the justification, so
 * the threat counts as mitigated); false-positive -> not-applicable.
 *
 * Confidentiality -> classification: public -> public, internal -> internal, restricted -> confidential,
 * confidential -> confidential, strictly-confidential -> restricted (Threagile has five levels, Rampart four).
 * Exploitation likelihood -> likelihood: unlikely -> unlikely, likely -> possible, very-likely -> likely,
 * frequent -> almost-certain. Exploitation impact -> impact: low -> minor, medium -> moderate, high -> major,
 * very-high -> severe.
 *
 * Not mapped (kept as comments): the risks Threagile derives at run time from its built-in rules (they are not
 * in the file; Rampart's design rules re-derive comparable findings), shared runtimes, questions, abuse cases,
 * security requirements, business criticality, per-asset CIA justifications and diagram tweaks.
 */
import {
  ModelBuilder, arr, clip, entries, isObject, listText, longText, oneLine, own, readInput, slugify, str, stripTags, strideFrom, tagsFrom, threatIdFrom, uniq,
  type ImportOptions, type ImportResult,
} from './common';
import type { Classification, ElementType, ThreatStatus } from '../model/schema';

/** Threagile risk_tracking status -> Rampart threat status. */
export const THREAGILE_STATUS_MAP: Readonly<Record<string, ThreatStatus>> = {
  unchecked: 'open',
  'in-discussion': 'open',
  'in-progress': 'open',
  accepted: 'accepted',
  mitigated: 'mitigated',
  'false-positive': 'not-applicable',
};

/** Threagile confidentiality -> Rampart asset classification. */
export const THREAGILE_CLASSIFICATION_MAP: Readonly<Record<string, Classification>> = {
  public: 'public',
  internal: 'internal',
  restricted: 'confidential',
  confidential: 'confidential',
  'strictly-confidential': 'restricted',
};

export const THREAGILE_ELEMENT_TYPE_MAP: Readonly<Record<string, ElementType>> = {
  'external-entity': 'external',
  process: 'process',
  datastore: 'store',
};

const LIKELIHOOD = { unlikely: 'unlikely', likely: 'possible', 'very-likely': 'likely', frequent: 'almost-certain' } as const;
const IMPACT = { low: 'minor', medium: 'moderate', high: 'major', 'very-high': 'severe' } as const;
const CRITICALITY: Record<string, number> = { archive: 0, operational: 1, important: 2, critical: 3, 'mission-critical': 4 };
const CRITICALITY_LEVEL = ['low', 'low', 'medium', 'high', 'critical'] as const;

/** Threagile technologies whose Rampart `kind` is clear. */
const KIND: Record<string, string> = {
  browser: 'browser', 'mobile-app': 'mobile-app', 'load-balancer': 'load-balancer', 'reverse-proxy': 'gateway', gateway: 'gateway',
  'web-server': 'web-app', 'web-application': 'web-app', cms: 'web-app', 'web-service-rest': 'api', 'web-service-soap': 'api',
  'application-server': 'service', 'identity-provider': 'service', erp: 'service', 'build-pipeline': 'service', 'batch-processing': 'worker',
  'event-listener': 'worker', function: 'function', database: 'database', 'identity-store-ldap': 'database', 'identity-store-database': 'database',
  'file-server': 'file-store', 'local-file-system': 'file-store', 'sourcecode-repository': 'file-store', 'artifact-registry': 'file-store',
  'message-queue': 'queue', 'stream-processing': 'worker', vault: 'vault', hsm: 'vault', waf: 'gateway', 'log-server': 'log-store',
  'data-lake': 'database', 'search-index': 'database', 'block-storage': 'file-store', 'mainframe': 'service', iot: 'device',
};

function isEncryptedProtocol(p: string): boolean {
  return /(^|-)encrypted$/.test(p) || ['https', 'wss', 'ssh', 'ssh-tunnel', 'ldaps', 'ftps', 'sftp', 'scp', 'jdbc-encrypted'].includes(p);
}

export function importThreagile(text: string, options: ImportOptions = {}): ImportResult {
  const readNotes: string[] = [];
  const src = readInput(text, 'threagile', readNotes);
  const b = new ModelBuilder('threagile', [
    'Imported from a Threagile model (YAML) by `rampart import --from threagile`.',
    'Every entry keeps its Threagile id in `source_id`. Threagile derives most of its risks at run time from its',
    'built-in rules; they are not in the file. Rampart\'s design rules re-derive comparable findings: run',
    '`rampart check` and add the suggested threats. Threagile risk_tracking entries are imported as threats below.',
  ], options);
  readNotes.forEach(n => b.note(n));

  b.top.title = oneLine(src.title) ?? 'Imported Threagile model';
  const overview = isObject(src.business_overview) ? str(src.business_overview.description) : undefined;
  const description = longText(overview ? stripTags(overview) : undefined);
  if (description) b.top.description = description;
  if (isObject(src.author) && oneLine(src.author.name)) b.top.team = [{ name: oneLine(src.author.name), role: 'author' }];
  const meta: string[] = [];
  if (str(src.date)) meta.push(`date ${clip(src.date)}`);
  if (str(src.business_criticality)) meta.push(`business criticality ${clip(src.business_criticality)}`);
  if (meta.length) b.commentSection('title', `Threagile: ${meta.join(', ')}.`);
  for (const [key, what] of [['questions', 'questions'], ['abuse_cases', 'abuse cases'], ['security_requirements', 'security requirements'], ['shared_runtimes', 'shared runtimes']] as const) {
    const n = entries(src[key]).length;
    if (n > 0) b.note(`${n} Threagile ${what} (${key}) have no place in a Rampart model and were left out.`);
  }
  if (Object.keys(src).some(k => k.startsWith('diagram_tweak'))) b.note('Threagile diagram tweaks were left out: Rampart computes its diagrams.');

  // Refuse at once what cannot fit in one model.
  const objects = (v: unknown) => entries(v).filter(([, x]) => isObject(x)).length;
  b.expect('assets', objects(src.data_assets));
  b.expect('boundaries', objects(src.trust_boundaries));
  b.expect('elements', objects(src.technical_assets));

  // Assets.
  const assetIds = new Map<string, string>();
  for (const [name, raw] of entries(src.data_assets)) {
    if (!isObject(raw)) continue;
    const sid = str(raw.id) ?? name;
    const id = b.ids.assets.take(slugify(sid), name);
    assetIds.set(sid, id);
    const conf = str(raw.confidentiality) ?? '';
    const classification = own(THREAGILE_CLASSIFICATION_MAP, conf);
    if (!classification) b.commentEntry('assets', id, `Threagile confidentiality "${clip(conf, 100) ?? 'missing'}" is unknown; classification set to internal.`);
    const crit = Math.max(own(CRITICALITY, str(raw.integrity)) ?? -1, own(CRITICALITY, str(raw.availability)) ?? -1);
    b.add('assets', id, {
      name: oneLine(name) ?? oneLine(sid) ?? id,
      description: longText(raw.description),
      classification: classification ?? 'internal',
      kind: 'data',
      criticality: crit >= 0 ? CRITICALITY_LEVEL[crit] : undefined,
      source_id: oneLine(sid),
    });
    const left = (['owner', 'origin', 'quantity'] as const).filter(k => str(raw[k])).map(k => `${k} ${clip(raw[k])}`);
    if (left.length) b.commentEntry('assets', id, `Threagile ${left.join(', ')}.`);
  }
  const assetRef = (v: unknown) => (str(v) ? assetIds.get(str(v)!) : undefined);

  // Boundaries (ids first, so elements can point at them).
  const boundaryIds = new Map<string, string>();
  const boundaryRaw: [string, string, Record<string, unknown>][] = [];
  for (const [name, raw] of entries(src.trust_boundaries)) {
    if (!isObject(raw)) continue;
    const sid = str(raw.id) ?? name;
    const id = b.ids.boundaries.take(slugify(sid), name);
    boundaryIds.set(sid, id);
    boundaryRaw.push([name, id, raw]);
  }
  const parentOf = new Map<string, string>();
  for (const [, id, raw] of boundaryRaw) {
    for (const child of arr(raw.trust_boundaries_nested)) {
      const c = boundaryIds.get(str(child) ?? '');
      if (c && c !== id && !parentOf.has(c)) parentOf.set(c, id);
    }
  }
  const depths = new Map<string, number>();
  const depth = (id: string) => {
    let d = depths.get(id);
    if (d === undefined) {
      d = 0;
      for (let cur = parentOf.get(id); cur && d < 100; cur = parentOf.get(cur)) d++;
      depths.set(id, d);
    }
    return d;
  };
  // An element inside several boundaries belongs to the innermost (deepest) one.
  const elementBoundary = new Map<string, string>();
  for (const [, id, raw] of boundaryRaw) {
    for (const a of arr(raw.technical_assets_inside)) {
      const key = str(a);
      if (!key) continue;
      const prev = elementBoundary.get(key);
      if (!prev || depth(id) > depth(prev)) elementBoundary.set(key, id);
    }
  }
  for (const [name, id, raw] of boundaryRaw) {
    const type = str(raw.type);
    b.add('boundaries', id, {
      name: oneLine(name) ?? id,
      description: longText(raw.description),
      trust: 'trusted',
      parent: parentOf.get(id),
      source_id: oneLine(str(raw.id) ?? name),
    });
    b.commentEntry('boundaries', id, `Threagile type ${clip(type, 100) ?? 'unknown'}; Threagile has no trust levels, so this is marked trusted (review).`);
  }

  // Elements.
  const elementIds = new Map<string, string>();
  const elementRaw: [string, string, Record<string, unknown>][] = [];
  for (const [name, raw] of entries(src.technical_assets)) {
    if (!isObject(raw)) continue;
    const sid = str(raw.id) ?? name;
    const id = b.ids.elements.take(slugify(sid), name);
    elementIds.set(sid, id);
    elementRaw.push([name, id, raw]);
  }
  let internetBoundary: string | undefined;
  const scopeOut: string[] = [];
  for (const [name, id, raw] of elementRaw) {
    const sid = str(raw.id) ?? name;
    const ttype = str(raw.type) ?? '';
    const type = own(THREAGILE_ELEMENT_TYPE_MAP, ttype);
    if (!type) b.commentEntry('elements', id, `Threagile type "${clip(ttype, 100) ?? 'missing'}" is unknown; imported as a process.`);
    const technology = str(raw.technology);
    const encryption = str(raw.encryption);
    let boundary = elementBoundary.get(sid);
    if (!boundary && raw.internet === true) {
      if (!internetBoundary) {
        internetBoundary = b.ids.boundaries.take('internet', 'internet');
        b.add('boundaries', internetBoundary, { name: 'Internet', trust: 'untrusted' });
        b.commentEntry('boundaries', internetBoundary, 'Added by the import: Threagile assets marked `internet: true` outside every trust boundary.');
      }
      boundary = internetBoundary;
    }
    const displayName = oneLine(name) ?? oneLine(sid) ?? id;
    if (raw.out_of_scope === true) {
      scopeOut.push(displayName);
      b.commentEntry('elements', id, `Out of scope in Threagile${clip(raw.justification_out_of_scope) ? `: ${clip(raw.justification_out_of_scope)}` : ''}.`);
    }
    b.add('elements', id, {
      type: type ?? 'process',
      name: displayName,
      description: longText(raw.description),
      kind: own(KIND, technology),
      boundary,
      technology: oneLine(technology),
      owner: oneLine(raw.owner),
      stores: uniq(arr(raw.data_assets_stored).map(assetRef)),
      processes: uniq(arr(raw.data_assets_processed).map(assetRef)),
      encrypted: encryption && encryption !== 'none' ? true : encryption && type === 'store' ? false : undefined,
      internet_facing: raw.internet === true ? true : undefined,
      redundant: raw.redundant === true ? true : undefined,
      tags: tagsFrom(raw.tags),
      source_id: oneLine(sid),
    });
    const left = [
      str(raw.machine) && `machine ${clip(raw.machine)}`,
      str(raw.size) && `size ${clip(raw.size)}`,
      raw.multi_tenant === true && 'multi-tenant',
      raw.custom_developed_parts === true && 'custom-developed parts',
      arr(raw.data_formats_accepted).length > 0 && `accepts ${listText(raw.data_formats_accepted)}`,
    ].filter(Boolean);
    if (left.length) b.commentEntry('elements', id, `Threagile: ${left.join('; ')}.`);
  }
  if (scopeOut.length) b.top.scope = { out: uniq(scopeOut) };

  // Flows (Threagile's own link id is `source-id>link-title-in-kebab-case`).
  const flowIds = new Map<string, string>();
  for (const [, sourceId, raw] of elementRaw) {
    const sourceSid = str(raw.id) ?? '';
    for (const [linkName, link] of entries(raw.communication_links)) {
      if (!isObject(link)) continue;
      const sid = `${sourceSid}>${slugify(linkName)}`;
      const target = elementIds.get(str(link.target) ?? '');
      if (!target) {
        b.note(`Communication link "${clip(linkName, 200)}" of ${clip(sourceSid, 200) ?? 'a technical asset without an id'} points at "${clip(link.target) ?? ''}", which is not a technical asset; it was left out.`);
        continue;
      }
      const id = b.ids.flows.take(slugify(linkName), `${sourceId}-link`);
      flowIds.set(sid, id);
      const protocol = str(link.protocol);
      const auth = str(link.authentication);
      const authz = str(link.authorization);
      b.add('flows', id, {
        from: sourceId,
        to: target,
        name: oneLine(linkName),
        description: longText(link.description),
        protocol: oneLine(protocol, 64),
        data: uniq([...arr(link.data_assets_sent), ...arr(link.data_assets_received)].map(assetRef)),
        encrypted: protocol || link.vpn === true ? link.vpn === true || isEncryptedProtocol(protocol ?? '') : undefined,
        authenticated: auth ? auth !== 'none' : undefined,
        authorized: authz ? authz !== 'none' : undefined,
        tags: tagsFrom(link.tags),
        source_id: oneLine(sid),
      });
      const left = [
        auth && auth !== 'none' && `authentication ${clip(auth, 100)}`,
        authz && authz !== 'none' && `authorization ${clip(authz, 100)}`,
        link.vpn === true && 'over a VPN',
        link.ip_filtered === true && 'IP-filtered',
        link.readonly === true && 'read-only',
        str(link.usage) === 'devops' && 'devops usage',
      ].filter(Boolean);
      if (left.length) b.commentEntry('flows', id, `Threagile: ${left.join('; ')}.`);
    }
  }

  const resolveTarget = (part: string) => elementIds.get(part) ?? flowIds.get(part) ?? boundaryIds.get(part);

  // Individual (manually identified) risks.
  interface Individual { id: string; synthetic: string; mitigation?: string }
  const individuals: Individual[] = [];
  for (const [catName, cat] of entries(src.individual_risk_categories)) {
    if (!isObject(cat)) continue;
    const catId = str(cat.id) ?? slugify(catName);
    const stride = strideFrom(cat.stride);
    // a CWE id is a positive whole number (`cwe: -1` or `1.5` is dropped, not written as `CWE--1`)
    const cweId = typeof cat.cwe === 'number' ? (Number.isInteger(cat.cwe) && cat.cwe > 0 && cat.cwe < 100000 ? String(cat.cwe) : undefined) : /^\d{1,5}$/.exec(str(cat.cwe) ?? '')?.[0];
    const cwe = cweId ? [`CWE-${cweId}`] : undefined;
    let mitigationId: string | undefined;
    const mitigationText = str(cat.mitigation);
    const catRisks = entries(cat.risks_identified);
    if (mitigationText && catRisks.length > 0) {
      mitigationId = b.ids.mitigations.take(slugify(`${catId}-mitigation`), 'mitigation');
      b.add('mitigations', mitigationId, {
        title: oneLine(mitigationText) ?? oneLine(catName) ?? mitigationId,
        description: longText(mitigationText)!.length > 200 || /\n/.test(mitigationText) ? longText(mitigationText) : undefined,
        status: 'proposed',
        source_id: oneLine(catId),
      });
      b.commentEntry('mitigations', mitigationId, `From the mitigation text of Threagile risk category "${clip(catName, 200)}".`);
    }
    for (const [title, risk] of catRisks) {
      if (!isObject(risk)) continue;
      const parts = ['most_relevant_data_asset', 'most_relevant_technical_asset', 'most_relevant_communication_link', 'most_relevant_trust_boundary', 'most_relevant_shared_runtime']
        .map(k => str(risk[k])).filter((p): p is string => !!p);
      const synthetic = [catId, ...parts].join('@');
      const id = b.ids.threats.take(threatIdFrom(synthetic), catId);
      const targets = uniq([
        elementIds.get(str(risk.most_relevant_technical_asset) ?? ''),
        flowIds.get(str(risk.most_relevant_communication_link) ?? ''),
        boundaryIds.get(str(risk.most_relevant_trust_boundary) ?? ''),
        ...arr(risk.data_breach_technical_assets).map(a => elementIds.get(str(a) ?? '')),
      ]);
      const lk = str(risk.exploitation_likelihood) as keyof typeof LIKELIHOOD | undefined;
      const im = str(risk.exploitation_impact) as keyof typeof IMPACT | undefined;
      b.add('threats', id, {
        title: oneLine(stripTags(title)) ?? oneLine(catName) ?? id,
        description: longText(cat.description),
        stride: stride ? [stride] : undefined,
        targets,
        likelihood: own(LIKELIHOOD, lk),
        impact: own(IMPACT, im),
        cwe,
        status: 'open',
        mitigations: mitigationId ? [mitigationId] : undefined,
        source_id: oneLine(synthetic),
      });
      const left = [str(risk.severity) && `severity ${clip(risk.severity)}`, str(risk.data_breach_probability) && `data breach probability ${clip(risk.data_breach_probability)}`].filter(Boolean);
      b.commentEntry('threats', id, `Threagile individual risk of category "${clip(catName, 200)}"${left.length ? ` (${left.join(', ')})` : ''}.`);
      individuals.push({ id, synthetic });
    }
  }

  // Risk tracking.
  const riskIndex = new RiskIndex(individuals.map(i => i.synthetic));
  for (const [key, raw] of entries(src.risk_tracking)) {
    if (!isObject(raw)) continue;
    const statusWord = str(raw.status) ?? 'unchecked';
    const status = own(THREAGILE_STATUS_MAP, statusWord);
    const matched = riskIndex.match(key).map(i => individuals[i]);
    const shownKey = clip(key, 300);
    const tracked = {
      status: status ?? 'open',
      justification: longText(raw.justification),
      accepted_by: status === 'accepted' ? oneLine(raw.checked_by) : undefined,
      ticket: oneLine(raw.ticket),
    };
    const trackingComment = [
      `Threagile risk tracking "${shownKey}": ${clip(statusWord, 100)}`,
      str(raw.checked_by) && `checked by ${clip(raw.checked_by)}`,
      str(raw.date) && `on ${clip(raw.date)}`,
    ].filter(Boolean).join(', ') + '.';
    const ids = matched.length > 0 ? matched.map(m => m.id) : [b.ids.threats.take(threatIdFrom(key), 'tracked-risk')];
    const [rule, ...parts] = key.split('@');
    const named = uniq(parts.filter(p => p !== '*').map(p => resolveTarget(p)));
    const wildcard = parts.includes('*');
    for (const id of ids) {
      const existing = b.sections.threats.get(id);
      const entry: Record<string, unknown> = existing
        ? { ...existing, ...tracked }
        : {
            title: oneLine(`${rule.replace(/-/g, ' ').replace(/^./, c => c.toUpperCase())}${parts.length ? ` (${parts.map(p => (p === '*' ? 'any' : p)).join(', ')})` : ''}`) ?? id,
            targets: named,
            ...tracked,
            source_id: oneLine(key),
          };
      if (status === 'mitigated') {
        const mid = b.ids.mitigations.take(slugify(`${id.replace(/[@.]/g, '-')}-tracked`), 'tracked-mitigation');
        b.add('mitigations', mid, {
          title: oneLine(raw.justification) ?? oneLine(`Mitigation recorded in Threagile risk tracking for ${shownKey}`),
          status: 'implemented',
          owner: oneLine(raw.checked_by),
          ticket: oneLine(raw.ticket),
          source_id: oneLine(key),
        });
        b.commentEntry('mitigations', mid, `Added by the import: Threagile risk tracking marked "${shownKey}" mitigated${clip(raw.date) ? ` on ${clip(raw.date)}` : ''}; link evidence.`);
        entry.mitigations = uniq([...arr(entry.mitigations).filter((m): m is string => typeof m === 'string'), mid]);
      }
      if (!status) b.commentEntry('threats', id, `Unknown Threagile status "${clip(statusWord, 100)}"; imported as open.`);
      b.add('threats', id, entry);
      b.commentEntry('threats', id, trackingComment);
      if (wildcard) b.commentEntry('threats', id, 'The Threagile key uses `*` wildcards (written `any` in the id): it covers every matching generated risk.');
    }
  }

  return b.result();
}

/**
 * The individual risks a risk_tracking key names, found without testing every risk against every key: a key
 * `rule@a@*` names the risks whose synthetic id has as many `@` parts, each equal to the key's or any for `*`.
 * Candidates come from the key's most selective part (or, for a key of `*` only, from the risks with that
 * many parts); the order of the risks is kept.
 */
class RiskIndex {
  private readonly parts: string[][];
  private readonly byPart = new Map<string, number[]>();
  private readonly byCount = new Map<number, number[]>();

  constructor(synthetics: readonly string[]) {
    this.parts = synthetics.map(s => s.split('@'));
    this.parts.forEach((parts, i) => {
      push(this.byCount, parts.length, i);
      parts.forEach((p, at) => push(this.byPart, `${parts.length}@${at}@${p}`, i));
    });
  }

  match(key: string): number[] {
    const want = key.split('@');
    let candidates = this.byCount.get(want.length) ?? [];
    want.forEach((p, at) => {
      if (p === '*') return;
      const list = this.byPart.get(`${want.length}@${at}@${p}`) ?? [];
      if (list.length < candidates.length) candidates = list;
    });
    return candidates.filter(i => want.every((p, at) => p === '*' || this.parts[i][at] === p));
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
