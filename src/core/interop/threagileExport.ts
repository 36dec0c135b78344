/**
 * Rampart model -> Threagile YAML input model (what `threagile -model FILE` reads; valid against Threagile's
 * schema.json). Every entry is written with its `source_id` as the Threagile id where it has one (else its
 * Rampart id), so a model imported from Threagile goes back with the same ids.
 *
 * | Rampart | Threagile |
 * |---|---|
 * | `title`, `description`, `scope.architecture` | `title`, `business_overview.description`, `technical_overview.description` |
 * | `team` | `author` (the member with role author, else the first; `email` -> `contact`), the others `contributors` |
 * | `scope.questions`, `scope.abuse_cases`, `scope.requirements` | `questions` (no answer -> ""), `abuse_cases`, `security_requirements` |
 * | `assets` | `data_assets` keyed by name; `confidentiality`/`integrity`/`availability`/`justification_cia_rating` from `cia` when it agrees with `classification`/`criticality`, else from them (table below) |
 * | `elements` | `technical_assets` keyed by name; type external/process/store -> external-entity/process/datastore; `technology` (a Threagile technology, else one for the `kind`); `encrypted` -> encryption transparent; `internet_facing` -> `internet`; `stores`/`processes`; `cia`; `out_of_scope` with the justification from the `scope.out` entry `Name: justification` |
 * | `flows` | `communication_links` of the `from` element; `protocol` (a Threagile protocol, else one for `encrypted`); `encrypted` over an unencrypted protocol -> `vpn: true`; `authenticated` -> authentication credentials; `authorized` -> authorization technical-user; `data` -> `data_assets_sent`, `data_received` -> `data_assets_received` |
 * | `boundaries` | `trust_boundaries` (`technical_assets_inside` = the elements whose `boundary` it is, `trust_boundaries_nested` = its children); the boundary the Threagile import adds for `internet: true` assets is not written (the assets say `internet: true`) |
 * | `threats` | `custom_risk_categories` (the current key: a list) with one risk each in `risks_identified`, the category from the threat's Threagile synthetic id (`source_id`) or its id; `likelihood`/`impact` -> `exploitation_likelihood`/`exploitation_impact`; the first `stride` and `cwe`; the linked category mitigation -> `mitigation`; tags `threagile-severity-*` / `threagile-breach-*` -> `severity` / `data_breach_probability`. A threat that only a risk_tracking key named goes back as that key only |
 * | threat `status`, `justification`, `ticket`, `accepted_by` | `risk_tracking` keyed by the risk's synthetic id (per {@link THREAGILE_EXPORT_STATUS}); `accepted_by`, or the owner of the implemented mitigation of a mitigated threat, -> `checked_by` |
 *
 * Classification -> confidentiality: public, internal, confidential as they are; restricted -> strictly-confidential.
 * Criticality -> integrity and availability: low -> operational, medium -> important, high -> critical,
 * critical -> mission-critical. Likelihood -> exploitation likelihood: rare and unlikely -> unlikely, possible ->
 * likely, likely -> very-likely, almost-certain -> frequent; impact: negligible and minor -> low, moderate ->
 * medium, major -> high, severe -> very-high.
 *
 * Threagile cannot hold (said in the notes): attack trees, the policy, `scope.in`/`dataflow`/`assumptions`,
 * boundary trust levels other than trusted, element controls and flags other than those above, flow controls and
 * `bidirectional`, CVSS vectors, CAPEC ids, more than one STRIDE category or CWE per threat, threat owners and
 * expiry dates, mitigations other than a category's text and the one a mitigated tracking entry implies (and
 * their evidence, owners, costs). Fields Threagile requires and Rampart does not keep (usage, size, machine,
 * quantity, business criticality, trust boundary type, ...) are written with defaults.
 */
import { Document } from 'yaml';
import type { Asset, Element, Flow, Model, Mitigation, Threat, ThreatStatus } from '../model/schema';
import { commentText, slugify, type ExportResult } from './common';
import {
  BREACH_TAG, CRITICALITY_LEVEL, SEVERITY_TAG, THREAGILE_CLASSIFICATION_MAP, THREAGILE_IMPACT, THREAGILE_KIND, THREAGILE_LIKELIHOOD, THREAGILE_STATUS_TAGS,
  isEncryptedProtocol, threagileSeverity, trackedTitle,
} from './threagile';

/** Rampart threat status -> Threagile risk_tracking status (open goes back as the tagged status, else unchecked). */
export const THREAGILE_EXPORT_STATUS: Readonly<Record<ThreatStatus, string>> = {
  open: 'unchecked',
  mitigated: 'mitigated',
  accepted: 'accepted',
  transferred: 'accepted',
  'not-applicable': 'false-positive',
};

/** Threagile's technologies (schema.json `technical_assets.*.technology`). */
const TECHNOLOGIES = new Set([
  'unknown-technology', 'client-system', 'browser', 'desktop', 'mobile-app', 'devops-client', 'web-server', 'web-application', 'application-server',
  'database', 'file-server', 'local-file-system', 'erp', 'cms', 'web-service-rest', 'web-service-soap', 'ejb', 'search-index', 'search-engine',
  'service-registry', 'reverse-proxy', 'load-balancer', 'build-pipeline', 'sourcecode-repository', 'artifact-registry', 'code-inspection-platform',
  'monitoring', 'ldap-server', 'container-platform', 'batch-processing', 'event-listener', 'identity-provider', 'identity-store-ldap',
  'identity-store-database', 'tool', 'cli', 'task', 'function', 'gateway', 'iot-device', 'message-queue', 'stream-processing', 'service-mesh',
  'data-lake', 'report-engine', 'ai', 'mail-server', 'vault', 'hsm', 'waf', 'ids', 'ips', 'scheduler', 'mainframe', 'block-storage', 'library',
]);

/** Threagile's protocols (schema.json `communication_links.*.protocol`). */
const PROTOCOLS = new Set([
  'unknown-protocol', 'http', 'https', 'ws', 'wss', 'reverse-proxy-web-protocol', 'reverse-proxy-web-protocol-encrypted', 'mqtt', 'jdbc',
  'jdbc-encrypted', 'odbc', 'odbc-encrypted', 'sql-access-protocol', 'sql-access-protocol-encrypted', 'nosql-access-protocol',
  'nosql-access-protocol-encrypted', 'binary', 'binary-encrypted', 'text', 'text-encrypted', 'ssh', 'ssh-tunnel', 'smtp', 'smtp-encrypted',
  'pop3', 'pop3-encrypted', 'imap', 'imap-encrypted', 'ftp', 'ftps', 'sftp', 'scp', 'ldap', 'ldaps', 'jms', 'nfs', 'smb', 'smb-encrypted',
  'local-file-access', 'nrpe', 'xmpp', 'iiop', 'iiop-encrypted', 'jrmp', 'jrmp-encrypted', 'in-process-library-call',
  'inter-process-communication', 'container-spawning',
]);

/** Rampart element kind -> a Threagile technology (the first the import maps to that kind, and a few more). */
const KIND_TECHNOLOGY: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = { human: 'client-system', 'admin-console': 'web-application', cache: 'database', 'third-party': 'unknown-technology', other: 'unknown-technology' };
  for (const [tech, kind] of Object.entries(THREAGILE_KIND)) if (TECHNOLOGIES.has(tech) && !Object.hasOwn(out, kind)) out[kind] = tech;
  return out;
})();

const TYPE = { external: 'external-entity', process: 'process', store: 'datastore' } as const;
const CONFIDENTIALITY = { public: 'public', internal: 'internal', confidential: 'confidential', restricted: 'strictly-confidential' } as const;
const LEVEL_CIA = { low: 'operational', medium: 'important', high: 'critical', critical: 'mission-critical' } as const;
const CIA_RANK: Record<string, number> = { archive: 0, operational: 1, important: 2, critical: 3, 'mission-critical': 4 };
const CONF_RANK: Record<string, number> = { public: 0, internal: 1, restricted: 2, confidential: 3, 'strictly-confidential': 4 };
const LIKELIHOOD: Record<string, string> = { rare: 'unlikely', ...invert(THREAGILE_LIKELIHOOD) };
const IMPACT: Record<string, string> = { negligible: 'low', ...invert(THREAGILE_IMPACT) };
const STATUS_TAG_WORD = invert(THREAGILE_STATUS_TAGS);

function invert(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));
}

type Obj = Record<string, unknown>;
const has = <T>(map: Readonly<Record<string, T>> | undefined, key: string | undefined): key is string => map !== undefined && key !== undefined && Object.hasOwn(map, key);

export function exportThreagile(model: Model): ExportResult {
  const notes: string[] = [];
  const noted = new Set<string>();
  const note = (line: string) => {
    if (!noted.has(line)) {
      noted.add(line);
      notes.push(line);
    }
  };
  const assets = Object.entries(model.assets ?? {});
  const boundaries = Object.entries(model.boundaries ?? {});
  const elements = Object.entries(model.elements ?? {});
  const flows = Object.entries(model.flows ?? {});
  const threats = Object.entries(model.threats ?? {});
  const mitigations = model.mitigations ?? {};

  // Threagile ids: the source's own where there is one.
  const assetSid = new Map(assets.map(([id, a]) => [id, a.source_id ?? id]));
  const elementSid = new Map(elements.map(([id, e]) => [id, e.source_id ?? id]));
  const boundarySid = new Map(boundaries.map(([id, b]) => [id, b.source_id ?? id]));
  const assetRefs = (ids: string[] | undefined, where: string) => (ids ?? []).flatMap(a => {
    const sid = assetSid.get(a);
    if (sid === undefined) note(`${where}: the asset "${a}" is not in the model; it was left out.`);
    return sid === undefined ? [] : [sid];
  });
  /** Unique map keys: a second entry of the same name gets its id after the name (Threagile keys entries by name). */
  const keyed = (section: string) => {
    const used = new Set<string>();
    return (name: string, id: string) => {
      let key = name;
      if (used.has(key)) {
        key = `${name} (${id})`;
        note(`${section} ${id}: its name "${name}" is taken by another entry; it is written as "${key}" (Threagile keys ${section} by name).`);
      }
      used.add(key);
      return key;
    };
  };

  const out: Obj = { threagile_version: '1.0.0', title: model.title };

  // Team: the author and the contributors.
  const team = model.team ?? [];
  const authorAt = Math.max(0, team.findIndex(m => m.role === 'author'));
  const author = team[authorAt];
  out.author = author ? withoutEmpty({ name: author.name, contact: author.email }) : { name: null };
  if (author && author.role !== 'author') note(`team: ${author.name} is written as the Threagile author; the role "${author.role ?? 'none'}" is not kept.`);
  const contributors = team.filter((_, i) => i !== authorAt);
  if (contributors.length) out.contributors = contributors.map(m => withoutEmpty({ name: m.name, contact: m.email }));
  for (const m of contributors) if (m.role !== 'contributor') note(`team: ${m.name} is written as a Threagile contributor; the role "${m.role ?? 'none'}" is not kept.`);

  out.business_criticality = 'important';
  if (model.description) out.business_overview = { description: model.description };
  const scope = model.scope ?? {};
  if (scope.architecture) out.technical_overview = { description: scope.architecture };
  if (scope.questions?.length) out.questions = Object.fromEntries(scope.questions.map(q => [q.question, q.answer ?? '']));
  if (scope.abuse_cases?.length) out.abuse_cases = Object.fromEntries(scope.abuse_cases.map(a => [a.name, a.description ?? '']));
  if (scope.requirements?.length) out.security_requirements = Object.fromEntries(scope.requirements.map(r => [r.name, r.description ?? '']));
  if (scope.in?.length) note(`scope.in (${scope.in.length} entries) is not written: Threagile has no scope list.`);
  if (scope.dataflow) note('scope.dataflow is not written: Threagile has no place for a dataflow description.');
  if (scope.assumptions?.length) note(`scope.assumptions (${scope.assumptions.length}) are not written: Threagile has no assumptions.`);
  if (model.policy) note('policy is not written: Threagile has no risk policy (tolerance, matrix, currency).');
  if (model.version) note(`version "${model.version}" is not written: Threagile has no model version.`);
  const attackTrees = Object.keys(model.attack_trees ?? {});
  if (attackTrees.length) note(`attack_trees (${attackTrees.join(', ')}) are not written: Threagile has no attack trees.`);

  // Out-of-scope justifications live in scope.out as `Name: justification`.
  const outOfScope = new Map<string, string | undefined>();
  const usedOut = new Set<string>();
  const outEntries = scope.out ?? [];
  for (const [id, e] of elements) {
    if (e.out_of_scope !== true) continue;
    const entry = outEntries.find(o => o === e.name || o.startsWith(`${e.name}: `));
    if (entry !== undefined) usedOut.add(entry);
    outOfScope.set(id, entry !== undefined && entry !== e.name ? entry.slice(e.name.length + 2) : undefined);
  }
  const otherOut = outEntries.filter(o => !usedOut.has(o));
  if (otherOut.length) note(`scope.out entries that name no out-of-scope element are not written (Threagile marks technical assets out of scope, it has no scope list): ${otherOut.slice(0, 10).join('; ')}${otherOut.length > 10 ? ' ...' : ''}.`);

  // Data assets.
  const dataAssets: Obj = {};
  const assetKey = keyed('assets');
  const ciaFromAssets = new Map<string, Asset>();
  for (const [id, a] of assets) {
    ciaFromAssets.set(id, a);
    const conf = a.cia?.confidentiality && THREAGILE_CLASSIFICATION_MAP[a.cia.confidentiality] === a.classification ? a.cia.confidentiality : CONFIDENTIALITY[a.classification];
    const derived = (i?: string, v?: string) => {
      const crit = Math.max(CIA_RANK[i ?? ''] ?? -1, CIA_RANK[v ?? ''] ?? -1);
      return crit >= 0 ? CRITICALITY_LEVEL[crit] : undefined;
    };
    let integrity: string = a.cia?.integrity ?? '';
    let availability: string = a.cia?.availability ?? '';
    if (!a.cia?.integrity || !a.cia?.availability || derived(integrity, availability) !== a.criticality) {
      const level = a.criticality ? LEVEL_CIA[a.criticality] : 'operational';
      integrity = level;
      availability = level;
      if (!a.criticality) note(`assets.${id}: it has no criticality; integrity and availability are written as operational (Threagile requires them).`);
    }
    if (a.kind && a.kind !== 'data') note(`assets.${id}: its kind ${a.kind} is not written (Threagile data assets have no kind).`);
    if (a.personal !== undefined || a.value !== undefined || a.source) note(`assets.${id}: personal, value and source are not written (Threagile has no place for them).`);
    dataAssets[assetKey(a.name, id)] = {
      id: assetSid.get(id),
      description: a.description ?? null,
      usage: 'business',
      quantity: 'many',
      confidentiality: conf,
      integrity,
      availability,
      ...(a.cia?.justification ? { justification_cia_rating: a.cia.justification } : {}),
    };
  }
  if (assets.length) note('Threagile data assets need usage and quantity, which Rampart does not keep: they are written as business and many.');
  out.data_assets = dataAssets;

  // The boundary the Threagile import adds for `internet: true` assets outside every boundary is not written.
  const inside = new Map<string, string[]>();
  for (const [id, e] of elements) if (e.boundary) listIn(inside, e.boundary).push(id);
  const children = new Map<string, string[]>();
  for (const [id, b] of boundaries) if (b.parent) listIn(children, b.parent).push(id);
  const internetBoundaries = new Set(boundaries.filter(([id, b]) =>
    b.name === 'Internet' && b.trust === 'untrusted' && !b.source_id && !b.description && !b.parent && !b.source && b.ours === undefined && !children.has(id)
    && (inside.get(id) ?? []).every(e => model.elements![e].internet_facing === true)).map(([id]) => id));

  // Tags in use (Threagile checks every tag against tags_available).
  const tagsInUse = new Set<string>();

  // Technical assets and their communication links.
  const technicalAssets: Obj = {};
  const elementKey = keyed('elements');
  const flowsFrom = new Map<string, [string, Flow][]>();
  for (const [id, f] of flows) {
    if (!model.elements?.[f.from] || !model.elements?.[f.to]) {
      note(`flows.${id}: it does not run between two elements; it was left out (Threagile links run between technical assets).`);
      continue;
    }
    listIn(flowsFrom, f.from).push([id, f]);
  }
  const flowSid = new Map<string, string>();
  const ratings = (e: Element) => {
    // An element without CIA of its own gets the highest of the assets it stores or processes.
    const held = [...(e.stores ?? []), ...(e.processes ?? [])].map(a => ciaFromAssets.get(a)).filter((a): a is Asset => !!a);
    const conf = held.map(a => CONFIDENTIALITY[a.classification]).reduce((m, c) => (CONF_RANK[c] > CONF_RANK[m] ? c : m), 'internal');
    const lvl = held.map(a => (a.criticality ? LEVEL_CIA[a.criticality] : 'operational')).reduce((m, c) => (CIA_RANK[c] > CIA_RANK[m] ? c : m), 'operational');
    return { confidentiality: e.cia?.confidentiality ?? conf, integrity: e.cia?.integrity ?? lvl, availability: e.cia?.availability ?? lvl };
  };
  let derivedCia = false;
  for (const [id, e] of elements) {
    const sid = elementSid.get(id)!;
    let technology = e.technology?.toLowerCase();
    if (!technology || !TECHNOLOGIES.has(technology)) {
      technology = (e.kind && KIND_TECHNOLOGY[e.kind]) || 'unknown-technology';
      if (e.technology) note(`elements.${id}: the technology "${e.technology}" is not one of Threagile's; it is written as ${technology}.`);
    }
    if (e.kind && THREAGILE_KIND[technology] !== e.kind && e.kind !== 'human') note(`elements.${id}: its kind ${e.kind} is not written (Threagile knows the technology ${technology} only).`);
    const unsaid = [
      e.controls?.length && `controls (${e.controls.join(', ')})`, e.privileged !== undefined && 'privileged', e.admin !== undefined && 'admin',
      e.code?.length && 'code', e.reviewed && 'reviewed', e.source && 'source',
      e.encrypted === false && e.type !== 'store' && 'encrypted: false',
    ].filter(Boolean);
    if (unsaid.length) note(`elements.${id}: ${unsaid.join(', ')} ${unsaid.length > 1 ? 'are' : 'is'} not written (Threagile has no place for ${unsaid.length > 1 ? 'them' : 'it'}).`);
    const internet = e.internet_facing === true;
    if (e.boundary && internetBoundaries.has(e.boundary) && !internet) note(`elements.${id}: it is in the Internet boundary but not internet-facing.`);
    if (!e.cia?.confidentiality || !e.cia?.integrity || !e.cia?.availability) derivedCia = true;
    const cia = ratings(e);
    const tags = e.tags ?? [];
    tags.forEach(t => tagsInUse.add(t));

    const links: Obj = {};
    const linkKey = keyed(`links of ${id}`);
    for (const [fid, f] of flowsFrom.get(id) ?? []) {
      const title = linkKey(f.name ?? fid, fid);
      flowSid.set(fid, `${sid}>${slugify(title)}`);
      let protocol = f.protocol?.toLowerCase();
      if (!protocol || !PROTOCOLS.has(protocol)) {
        const written = f.encrypted === true ? 'binary-encrypted' : f.encrypted === false ? 'binary' : 'unknown-protocol';
        if (f.protocol) note(`flows.${fid}: the protocol "${f.protocol}" is not one of Threagile's; it is written as ${written}.`);
        protocol = written;
      }
      const vpn = f.encrypted === true && !isEncryptedProtocol(protocol);
      if (f.encrypted === false && isEncryptedProtocol(protocol)) note(`flows.${fid}: it is marked unencrypted over ${protocol}, an encrypted protocol; Threagile reads it as encrypted.`);
      const lost = [
        f.bidirectional !== undefined && 'bidirectional', f.controls?.length && `controls (${f.controls.join(', ')})`,
        f.out_of_scope !== undefined && 'out_of_scope', f.source && 'source',
      ].filter(Boolean);
      if (lost.length) note(`flows.${fid}: ${lost.join(', ')} ${lost.length > 1 ? 'are' : 'is'} not written (Threagile links have no place for ${lost.length > 1 ? 'them' : 'it'}).`);
      if (!f.name) note(`flows.${fid}: it has no name; the Threagile link is titled "${title}".`);
      (f.tags ?? []).forEach(t => tagsInUse.add(t));
      links[title] = {
        target: elementSid.get(f.to),
        description: f.description ?? null,
        protocol,
        authentication: f.authenticated === true ? 'credentials' : 'none',
        authorization: f.authorized === true ? 'technical-user' : 'none',
        tags: f.tags ?? [],
        vpn,
        ip_filtered: false,
        readonly: false,
        usage: 'business',
        data_assets_sent: assetRefs(f.data, `flows.${fid}`),
        data_assets_received: assetRefs(f.data_received, `flows.${fid}`),
      };
    }

    const justification = outOfScope.get(id);
    technicalAssets[elementKey(e.name, id)] = {
      id: sid,
      description: e.description ?? null,
      type: TYPE[e.type],
      usage: 'business',
      used_as_client_by_human: e.kind === 'human' || e.kind === 'browser',
      out_of_scope: e.out_of_scope === true,
      ...(justification ? { justification_out_of_scope: justification } : {}),
      size: 'component',
      technology,
      tags,
      internet,
      machine: e.type === 'external' ? 'physical' : e.kind === 'function' ? 'serverless' : 'virtual',
      encryption: e.encrypted === true ? 'transparent' : 'none',
      owner: e.owner ?? null,
      ...cia,
      ...(e.cia?.justification ? { justification_cia_rating: e.cia.justification } : {}),
      multi_tenant: false,
      redundant: e.redundant === true,
      custom_developed_parts: false,
      data_assets_processed: assetRefs(e.processes, `elements.${id}`),
      data_assets_stored: assetRefs(e.stores, `elements.${id}`),
      data_formats_accepted: [],
      communication_links: links,
    };
  }
  if (elements.length) note('Threagile technical assets need usage, size, machine, data formats, multi-tenancy and custom-developed parts, which Rampart does not keep: they are written as business, component, virtual (physical for external entities), none, false and false; links are written business, not IP-filtered, not read-only, and authentication/authorization kinds as credentials/technical-user.');
  if (derivedCia) note('Elements without a CIA rating of their own are written with the highest rating of the assets they store or process (at least internal / operational), as Threagile requires one.');
  out.technical_assets = technicalAssets;

  // Trust boundaries.
  const trustBoundaries: Obj = {};
  const boundaryKey = keyed('boundaries');
  for (const [id, b] of boundaries) {
    if (internetBoundaries.has(id)) continue;
    if (b.trust !== 'trusted') note(`boundaries.${id}: its trust level ${b.trust} is not written (Threagile trust boundaries have no trust level; it comes back as trusted).`);
    if (b.ours !== undefined || b.source) note(`boundaries.${id}: ours and source are not written (Threagile has no place for them).`);
    trustBoundaries[boundaryKey(b.name, id)] = {
      id: boundarySid.get(id),
      description: b.description ?? null,
      type: 'network-on-prem',
      tags: [],
      technical_assets_inside: (inside.get(id) ?? []).map(e => elementSid.get(e)),
      trust_boundaries_nested: (children.get(id) ?? []).map(c => boundarySid.get(c)),
    };
  }
  if (Object.keys(trustBoundaries).length) note('Threagile trust boundaries need a type, which Rampart does not keep: they are written as network-on-prem.');
  if (Object.keys(trustBoundaries).length) out.trust_boundaries = trustBoundaries;
  out.shared_runtimes = {};

  // Threats: custom risk categories and risk tracking.
  const kindOf = new Map<string, 'data' | 'tech' | 'link' | 'boundary'>();
  for (const [id] of assets) kindOf.set(assetSid.get(id)!, 'data');
  for (const [id] of elements) kindOf.set(elementSid.get(id)!, 'tech');
  for (const [, sid] of flowSid) kindOf.set(sid, 'link');
  for (const [id] of boundaries) if (!internetBoundaries.has(id)) kindOf.set(boundarySid.get(id)!, 'boundary');
  const ORDER = ['data', 'tech', 'link', 'boundary'] as const;
  const categories = new Map<string, Obj & { risks_identified: Obj }>();
  const categoryFrom = new Map<string, string>();
  const riskTitles = new Map<string, Set<string>>();
  const tracking: Obj = {};
  const trackingFrom = new Map<string, string>();
  const written = new Set<string>();

  const writeTracking = (key: string, t: Threat, id: string, checkedBy: string | undefined) => {
    const tagged = (t.tags ?? []).map(tag => STATUS_TAG_WORD[tag]).find(Boolean);
    const status = t.status === 'open' && tagged ? tagged : THREAGILE_EXPORT_STATUS[t.status];
    if (t.status === 'transferred') note(`threats.${id}: the status transferred is written as accepted (Threagile has no transferred).`);
    const entry = { status, justification: t.justification ?? null, ticket: t.ticket ?? null, date: null, checked_by: checkedBy ?? null };
    const before = trackingFrom.get(key);
    if (before !== undefined) {
      if (JSON.stringify(tracking[key]) !== JSON.stringify(entry)) note(`threats.${id}: its risk tracking key "${key}" is also that of threats.${before}, whose status, justification and ticket are written.`);
      return;
    }
    trackingFrom.set(key, id);
    tracking[key] = entry;
  };

  for (const [id, t] of threats) {
    const linked = (t.mitigations ?? []).map(m => [m, mitigations[m]] as [string, Mitigation | undefined]);
    // The implemented mitigation the import adds for a mitigated tracking entry: its source_id is the tracking key.
    const trackingMitigation = t.status === 'mitigated'
      ? linked.find(([, m]) => m && m.status === 'implemented' && m.source_id && (m.source_id === t.source_id || m.source_id.includes('@'))) : undefined;
    const checkedBy = t.status === 'accepted' ? t.accepted_by : trackingMitigation?.[1]?.owner;
    if (t.accepted_by && t.status !== 'accepted') note(`threats.${id}: accepted_by is written only for accepted threats; it is left out.`);
    const unsaid = [
      t.cvss && 'cvss', t.capec?.length && 'capec', t.annual_rate !== undefined && 'annual_rate', t.exposure !== undefined && 'exposure',
      t.owner && 'owner', t.expires && 'expires', t.priority && 'priority', t.statement && 'statement', t.rule && 'rule',
      (t.stride?.length ?? 0) > 1 && `stride beyond ${t.stride![0]}`, (t.cwe?.length ?? 0) > 1 && `cwe beyond ${t.cwe![0]}`,
      (t.tags ?? []).some(tag => !isThreagileTag(tag)) && 'tags',
    ].filter(Boolean);
    if (unsaid.length) note(`threats.${id}: ${unsaid.join(', ')} ${unsaid.length > 1 ? 'are' : 'is'} not written (Threagile risks have no place for ${unsaid.length > 1 ? 'them' : 'it'}).`);

    // A threat that only a risk_tracking key named goes back as that key.
    if (t.source_id && t.title === trackedTitle(t.source_id) && !t.description && !t.likelihood && !t.impact && !t.stride?.length && !t.cwe?.length
      && !(t.tags ?? []).some(tag => tag.startsWith(SEVERITY_TAG) || tag.startsWith(BREACH_TAG))) {
      for (const [m, mit] of linked) if (!trackingMitigation || m !== trackingMitigation[0]) note(`threats.${id}: the mitigation ${m}${mit ? '' : ' (missing)'} is not written (Threagile risk tracking holds a status, not mitigations).`);
      writeTracking(t.source_id, t, id, checkedBy);
      written.add(id);
      continue;
    }

    // The category and the most relevant parts: from the Threagile synthetic id when it resolves, else from the targets.
    const fields: Partial<Record<(typeof ORDER)[number], string>> = {};
    let catId: string | undefined;
    const parts = t.source_id?.split('@') ?? [];
    if (parts.length > 0 && /^[a-z0-9][a-z0-9._-]*$/i.test(parts[0])) {
      let at = -1;
      const ok = parts.slice(1).every(p => {
        const kind = kindOf.get(p);
        const rank = kind ? ORDER.indexOf(kind) : -1;
        if (rank <= at) return false;
        at = rank;
        fields[kind!] = p;
        return true;
      });
      if (ok) catId = parts[0];
      else for (const k of ORDER) delete fields[k];
    }
    const targetSid = (target: string) => elementSid.get(target) !== undefined ? ['tech', elementSid.get(target)!] as const
      : flowSid.get(target) !== undefined ? ['link', flowSid.get(target)!] as const
        : boundarySid.get(target) !== undefined && !internetBoundaries.has(target) ? ['boundary', boundarySid.get(target)!] as const : undefined;
    const breach: string[] = [];
    if (catId === undefined) {
      catId = slugify(id.split('@')[0]) || 'risk';
      for (const target of t.targets ?? []) {
        const found = targetSid(target);
        if (!found) note(`threats.${id}: the target ${target} is not written (a Threagile risk names technical assets, links and trust boundaries).`);
        else if (fields[found[0]] === undefined) fields[found[0]] = found[1];
        else if (found[0] === 'tech') breach.push(found[1]);
        else note(`threats.${id}: the target ${target} is not written (a Threagile risk names one link and one trust boundary).`);
      }
    } else {
      const named = new Set(Object.values(fields));
      for (const target of t.targets ?? []) {
        const found = targetSid(target);
        if (found && named.has(found[1])) continue;
        if (found?.[0] === 'tech') breach.push(found[1]);
        else note(`threats.${id}: the target ${target} is not written (a Threagile risk names one link and one trust boundary).`);
      }
    }

    // The category (one per Threagile category id; the first threat of it gives its texts).
    const stride = t.stride?.[0];
    const cwe = t.cwe?.[0] ? Number(t.cwe[0].slice(4)) : undefined;
    const categoryMitigations = linked.filter(([m]) => !trackingMitigation || m !== trackingMitigation[0]);
    const texts = categoryMitigations.map(([, m]) => m && (m.description ?? m.title)).filter((x): x is string => !!x);
    for (const [m, mit] of categoryMitigations) {
      if (!mit) continue;
      const fromCategory = mit.source_id === catId;
      if (!fromCategory || categoryMitigations.length > 1) note(`threats.${id}: the mitigation ${m} is written as the mitigation text of the Threagile risk category ${catId}; it comes back as one proposed mitigation.`);
      if (mit.status !== 'proposed') note(`mitigations.${m}: its status ${mit.status} is not written (a Threagile category's mitigation is a text; record the state in risk tracking).`);
      if (mit.evidence?.length || mit.owner || mit.ticket || mit.cost !== undefined || mit.tags?.length) note(`mitigations.${m}: evidence, owner, ticket, cost and tags are not written (Threagile has no place for them).`);
    }
    let category = categories.get(catId);
    if (!category) {
      category = withoutEmpty({
        id: catId,
        title: t.title,
        description: t.description,
        mitigation: texts.length ? texts.join('\n\n') : undefined,
        stride,
        cwe: cwe && Number.isInteger(cwe) ? cwe : undefined,
      }) as Obj & { risks_identified: Obj };
      category.risks_identified = {};
      categories.set(catId, category);
      categoryFrom.set(catId, id);
      riskTitles.set(catId, new Set());
    } else {
      const same = category.description === t.description && category.stride === stride && (category.cwe ?? undefined) === (cwe || undefined)
        && (category.mitigation ?? undefined) === (texts.length ? texts.join('\n\n') : undefined);
      if (!same) note(`threats.${id}: it shares the Threagile risk category ${catId} with threats.${categoryFrom.get(catId)}, whose description, STRIDE, CWE and mitigation are written for both.`);
    }
    const titles = riskTitles.get(catId)!;
    let title = t.title;
    if (titles.has(title)) {
      title = `${t.title} (${id})`;
      note(`threats.${id}: its title is taken by another risk of the category ${catId}; it is written as "${title}".`);
    }
    titles.add(title);
    const tagged = (prefix: string) => (t.tags ?? []).find(tag => tag.startsWith(prefix))?.slice(prefix.length);
    const likelihood = t.likelihood ? LIKELIHOOD[t.likelihood] : undefined;
    const impact = t.impact ? IMPACT[t.impact] : undefined;
    if (t.likelihood === 'rare') note(`threats.${id}: the likelihood rare is written as unlikely (Threagile's lowest).`);
    if (t.impact === 'negligible') note(`threats.${id}: the impact negligible is written as low (Threagile's lowest).`);
    category.risks_identified[title] = withoutEmpty({
      severity: tagged(SEVERITY_TAG) ?? threagileSeverity(likelihood, impact),
      exploitation_likelihood: likelihood,
      exploitation_impact: impact,
      data_breach_probability: tagged(BREACH_TAG),
      data_breach_technical_assets: breach,
      most_relevant_data_asset: fields.data,
      most_relevant_technical_asset: fields.tech,
      most_relevant_communication_link: fields.link,
      most_relevant_trust_boundary: fields.boundary,
    });
    const synthetic = [catId, ...ORDER.map(k => fields[k]).filter(Boolean)].join('@');
    if (t.status !== 'open' || t.justification || t.ticket || (t.tags ?? []).some(tag => has(STATUS_TAG_WORD, tag))) {
      const key = trackingMitigation?.[1]?.source_id && trackingMitigation[1].source_id !== t.source_id ? trackingMitigation[1].source_id : synthetic;
      writeTracking(key, t, id, checkedBy);
    }
    written.add(id);
  }
  if (categories.size) out.custom_risk_categories = [...categories.values()];
  if (Object.keys(tracking).length) out.risk_tracking = tracking;

  // Mitigations no written threat links.
  const linkedAnywhere = new Set(threats.flatMap(([, t]) => t.mitigations ?? []));
  const loose = Object.keys(mitigations).filter(m => !linkedAnywhere.has(m));
  if (loose.length) note(`mitigations not linked to a threat are not written (Threagile keeps mitigations as texts of risk categories): ${loose.slice(0, 20).join(', ')}${loose.length > 20 ? ` and ${loose.length - 20} more` : ''}.`);

  out.tags_available = [...tagsInUse].sort();
  const ordered: Obj = {};
  for (const k of ['threagile_version', 'title', 'author', 'contributors', 'business_criticality', 'business_overview', 'technical_overview', 'questions', 'abuse_cases',
    'security_requirements', 'tags_available', 'data_assets', 'technical_assets', 'trust_boundaries', 'shared_runtimes', 'custom_risk_categories', 'risk_tracking']) {
    if (out[k] !== undefined) ordered[k] = out[k];
  }
  // YAML 1.1 output: Threagile reads YAML 1.1-ish (yes/no/on/off are booleans there), so such strings are quoted.
  const doc = new Document(ordered, { version: '1.1', aliasDuplicateObjects: false });
  const head = [
    'Exported from a Rampart threat model by `rampart export --to threagile`.',
    'Threats are custom_risk_categories and risk_tracking; run Threagile for its built-in risks.',
    ...(notes.length ? ['', 'Not exported (Threagile has no place for it), or written with a default:', ...notes.map(n => `- ${n}`)] : []),
  ];
  doc.commentBefore = commentText(head);
  return { text: doc.toString({ lineWidth: 0, indent: 2 }), notes };
}

const isThreagileTag = (tag: string) => tag.startsWith(SEVERITY_TAG) || tag.startsWith(BREACH_TAG) || has(STATUS_TAG_WORD, tag);

/** The list under `key`, made when missing (appending stays linear). */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function withoutEmpty(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)));
}
