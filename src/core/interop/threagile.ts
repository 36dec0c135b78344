/**
 * Threagile YAML -> Rampart model.
 *
 * | Threagile | Rampart |
 * |---|---|
 * | `includes` (files relative to the including file) | read through `ImportOptions.readInclude` and merged as Threagile merges them (below) before mapping |
 * | `title`, `business_overview.description` (else `application_description.description`), `technical_overview.description` | `title`, `description`, `scope.architecture` |
 * | `author`, `contributors` | `team` (role author / contributor; `contact` -> `email`) |
 * | `questions`, `abuse_cases`, `security_requirements` | `scope.questions` (an empty answer is no answer), `scope.abuse_cases`, `scope.requirements` |
 * | `data_assets` (key = name, `id`) | `assets`; classification from `confidentiality` (table below); `criticality` from the higher of `integrity` and `availability`; `cia` keeps the three ratings and `justification_cia_rating` as written |
 * | `technical_assets` | `elements`; `type` external-entity/process/datastore -> external/process/store; `technology` (or the first of `technologies`) -> `technology` (and `kind` where it is clear); `encryption` other than none -> `encrypted: true`; `internet` -> `internet_facing`; `data_assets_stored`/`data_assets_processed` -> `stores`/`processes`; CIA ratings -> `cia`; `out_of_scope` -> `out_of_scope` and an entry `Name: justification` in `scope.out` |
 * | `communication_links` | `flows` from the asset to `target`; `protocol` (`unknown-protocol` is none); `encrypted` when the protocol is an encrypted one (or `vpn`); `authenticated` when `authentication` is not none; `authorized` when `authorization` is not none; `data_assets_sent` -> `data`, `data_assets_received` -> `data_received` |
 * | `trust_boundaries` | `boundaries` (trust `trusted`: Threagile boundaries are the owner's network segments and carry no trust level); `technical_assets_inside` -> each element's `boundary` (innermost); `trust_boundaries_nested` -> `parent` |
 * | `custom_risk_categories` (list or map) and `individual_risk_categories` (map), `risks_identified` | `threats` (id = Threagile's synthetic id `category@asset...`), with the category's `stride`, `cwe`, and `mitigation` text as a proposed mitigation; `exploitation_likelihood`/`exploitation_impact` -> `likelihood`/`impact`; a `severity` other than Threagile's own from those two -> tag `threagile-severity-<severity>`; `data_breach_probability` -> tag `threagile-breach-<probability>` |
 * | `risk_tracking` (keyed `rule@asset`, `*` wildcards) | `threats` keyed the same way (`*` -> `any`), targets = the parts that name elements; status per {@link THREAGILE_STATUS_MAP} (in-discussion and in-progress also tag the threat `threagile-in-discussion` / `threagile-in-progress`); `justification` -> `justification`; `checked_by` -> `accepted_by` (accepted), the implemented mitigation's `owner` (mitigated) or a comment; `ticket` -> `ticket`; `date` -> a comment |
 *
 * Includes are merged as Threagile's own loader merges them (pkg/input model.go `Merge`): the sections keyed by
 * name (`data_assets`, `technical_assets`, `trust_boundaries`, `shared_runtimes`, the risk categories,
 * `risk_tracking`, `questions`, `abuse_cases`, `security_requirements`) are merged and a key defined twice is an
 * error; single values (`title`, `date`, `author.name`, ...) take the first one given and two different ones are
 * an error; `management_summary_comment` texts are joined; `tags_available` and the diagram tweak lists are
 * united. An include's own includes are read relative to it, at most {@link MAX_INCLUDE_DEPTH} deep; a cycle, an
 * absolute path or a path above the imported file's folder is refused.
 *
 * Threagile's output `parsed-model.yaml` (written after a run: assets keyed by id, links as lists) is refused
 * with a message that says to import the input model instead.
 *
 * Status mapping (risk_tracking `status` -> threat `status`): unchecked, in-discussion, in-progress -> open;
 * accepted -> accepted; mitigated -> mitigated (with an implemented mitigation holding the justification, so
 * the threat counts as mitigated); false-positive -> not-applicable.
 *
 * Confidentiality -> classification: public -> public, internal -> internal, restricted -> confidential,
 * confidential -> confidential, strictly-confidential -> restricted (Threagile has five levels, Rampart four;
 * `cia.confidentiality` keeps Threagile's own). Exploitation likelihood -> likelihood: unlikely -> unlikely,
 * likely -> possible, very-likely -> likely, frequent -> almost-certain. Exploitation impact -> impact:
 * low -> minor, medium -> moderate, high -> major, very-high -> severe.
 *
 * Not mapped (kept as comments): the risks Threagile derives at run time from its built-in rules (they are not
 * in the file; Rampart's design rules re-derive comparable findings), shared runtimes, `date`, business
 * criticality, the management summary, the technical details of assets and links (usage, size, machine,
 * quantity, authentication kind, ...), trust boundary types and tags, the texts of a risk category other than
 * its description and mitigation, risk tracking dates, and diagram tweaks.
 */
import { parseDocument } from 'yaml';
import {
  ImportError, MAX_IMPORT_SIZE, MAX_IMPORT_YAML_NODES, ModelBuilder, arr, clip, entries, isObject, listText, longText, oneLine, own, readInput, slugify, str, stripTags,
  strideFrom, tagsFrom, threatIdFrom, uniq, type ImportOptions, type ImportResult,
} from './common';
import { MAX_DEPTH } from '../model/parse';
import { prescan } from '../model/prescan';
import { CIA_CONFIDENTIALITY, CIA_LEVELS, type Classification, type ElementType, type ThreatStatus } from '../model/schema';

/** Threagile risk_tracking status -> Rampart threat status. */
export const THREAGILE_STATUS_MAP: Readonly<Record<string, ThreatStatus>> = {
  unchecked: 'open',
  'in-discussion': 'open',
  'in-progress': 'open',
  accepted: 'accepted',
  mitigated: 'mitigated',
  'false-positive': 'not-applicable',
};

/** Threagile statuses that Rampart folds into `open`, kept as a tag on the threat so an export writes them back. */
export const THREAGILE_STATUS_TAGS: Readonly<Record<string, string>> = {
  'in-discussion': 'threagile-in-discussion',
  'in-progress': 'threagile-in-progress',
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

export const THREAGILE_LIKELIHOOD = { unlikely: 'unlikely', likely: 'possible', 'very-likely': 'likely', frequent: 'almost-certain' } as const;
export const THREAGILE_IMPACT = { low: 'minor', medium: 'moderate', high: 'major', 'very-high': 'severe' } as const;
const CRITICALITY: Record<string, number> = { archive: 0, operational: 1, important: 2, critical: 3, 'mission-critical': 4 };
export const CRITICALITY_LEVEL = ['low', 'low', 'medium', 'high', 'critical'] as const;

/** Tag prefixes of the threat ratings Rampart has no field for. */
export const SEVERITY_TAG = 'threagile-severity-';
export const BREACH_TAG = 'threagile-breach-';
const SEVERITIES = ['low', 'medium', 'elevated', 'high', 'critical'];
const BREACH = ['improbable', 'possible', 'probable'];

/** Threagile's severity of a risk from its likelihood and impact (types/model.go CalculateSeverity). */
export function threagileSeverity(likelihood: string | undefined, impact: string | undefined): string | undefined {
  const l = ['unlikely', 'likely', 'very-likely', 'frequent'].indexOf(likelihood ?? '') + 1;
  const i = ['low', 'medium', 'high', 'very-high'].indexOf(impact ?? '') + 1;
  if (!l || !i) return undefined;
  const w = l * i;
  return w <= 1 ? 'low' : w <= 3 ? 'medium' : w <= 8 ? 'elevated' : w <= 12 ? 'high' : 'critical';
}

/** The title the import gives a threat that only a risk_tracking key names: `Ldap injection (any, ldap-auth-server, any)`. */
export function trackedTitle(key: string): string | undefined {
  const [rule, ...parts] = key.split('@');
  return oneLine(`${rule.replace(/-/g, ' ').replace(/^./, c => c.toUpperCase())}${parts.length ? ` (${parts.map(p => (p === '*' ? 'any' : p)).join(', ')})` : ''}`);
}

/** Threagile technologies whose Rampart `kind` is clear. */
export const THREAGILE_KIND: Readonly<Record<string, string>> = {
  browser: 'browser', 'mobile-app': 'mobile-app', 'load-balancer': 'load-balancer', 'reverse-proxy': 'gateway', gateway: 'gateway',
  'web-server': 'web-app', 'web-application': 'web-app', cms: 'web-app', 'web-service-rest': 'api', 'web-service-soap': 'api',
  'application-server': 'service', 'identity-provider': 'service', erp: 'service', 'build-pipeline': 'service', 'batch-processing': 'worker',
  'event-listener': 'worker', function: 'function', database: 'database', 'identity-store-ldap': 'database', 'identity-store-database': 'database',
  'file-server': 'file-store', 'local-file-system': 'file-store', 'sourcecode-repository': 'file-store', 'artifact-registry': 'file-store',
  'message-queue': 'queue', 'stream-processing': 'worker', vault: 'vault', hsm: 'vault', waf: 'gateway', 'log-server': 'log-store',
  'data-lake': 'database', 'search-index': 'database', 'block-storage': 'file-store', 'mainframe': 'service', iot: 'device', 'iot-device': 'device',
};

export function isEncryptedProtocol(p: string): boolean {
  return /(^|-)encrypted$/.test(p) || ['https', 'wss', 'ssh', 'ssh-tunnel', 'ldaps', 'ftps', 'sftp', 'scp', 'jdbc-encrypted'].includes(p);
}

/** How deep includes may nest (an include of an include of ...), and how many files one import may read. */
export const MAX_INCLUDE_DEPTH = 8;
export const MAX_INCLUDE_FILES = 200;

export function importThreagile(text: string, options: ImportOptions = {}): ImportResult {
  const readNotes: string[] = [];
  const top = readInput(text, 'threagile', readNotes);
  refuseParsedModel(top, undefined);
  const src = withIncludes(top, text.length, options);
  const b = new ModelBuilder('threagile', [
    'Imported from a Threagile model (YAML) by `rampart import --from threagile`.',
    'Every entry keeps its Threagile id in `source_id`. Threagile derives most of its risks at run time from its',
    'built-in rules; they are not in the file. Rampart\'s design rules re-derive comparable findings: run',
    '`rampart check` and add the suggested threats. Threagile risk_tracking entries are imported as threats below.',
  ], options);
  readNotes.forEach(n => b.note(n));
  const included = arr(own(top, 'includes')).length;
  if (included > 0) b.note(`The model was merged from the imported file and ${included === 1 ? 'the file' : 'the files'} it includes (includes: ${listText(own(top, 'includes'))}).`);

  b.top.title = oneLine(src.title) ?? 'Imported Threagile model';
  const overviewText = (v: unknown) => (isObject(v) ? longText(stripTags(str(v.description) ?? '')) : undefined);
  const business = overviewText(src.business_overview);
  const application = overviewText(src.application_description);
  const description = business ?? application;
  if (description) b.top.description = description;
  if (business && application) b.commentSection('description', `Threagile application description: ${clip(application)}`);
  const team: Record<string, unknown>[] = [];
  const person = (v: unknown, role: string) => {
    if (!isObject(v) || !oneLine(v.name)) return;
    team.push({ name: oneLine(v.name), role, email: oneLine(v.contact) });
    if (str(v.homepage)) b.commentSection('team', `Threagile ${role} ${clip(v.name, 100)}: homepage ${clip(v.homepage, 200)}.`);
  };
  person(src.author, 'author');
  for (const c of arr(src.contributors)) person(c, 'contributor');
  if (team.length) b.top.team = team.slice(0, 500).map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)));
  const meta: string[] = [];
  if (str(src.date)) meta.push(`date ${clip(src.date)}`);
  if (str(src.business_criticality)) meta.push(`business criticality ${clip(src.business_criticality)}`);
  if (meta.length) b.commentSection('title', `Threagile: ${meta.join(', ')}.`);
  if (str(src.management_summary_comment)) b.commentSection('title', `Threagile management summary: ${clip(stripTags(str(src.management_summary_comment)!))}`);

  const scope: Record<string, unknown> = {};
  const architecture = overviewText(src.technical_overview);
  if (architecture) scope.architecture = architecture;
  const named = (v: unknown) => entries(v).slice(0, 500).map(([name, d]) => ({ name: oneLine(name), description: longText(typeof d === 'string' ? stripTags(d) : d) }))
    .filter(x => x.name).map(x => (x.description ? x : { name: x.name }));
  const abuse = named(src.abuse_cases);
  if (abuse.length) scope.abuse_cases = abuse;
  const requirements = named(src.security_requirements);
  if (requirements.length) scope.requirements = requirements;
  const questions = entries(src.questions).slice(0, 500).map(([q, a]) => ({ question: longText(q), answer: longText(typeof a === 'string' ? stripTags(a) : a) }))
    .filter(x => x.question).map(x => (x.answer ? x : { question: x.question }));
  if (questions.length) scope.questions = questions;
  for (const [key, what] of [['abuse_cases', 'abuse cases'], ['security_requirements', 'security requirements'], ['questions', 'questions']] as const) {
    if (entries(src[key]).length > 500) b.note(`Only the first 500 Threagile ${what} were imported (a model holds at most 500).`);
  }
  const runtimes = entries(src.shared_runtimes).length;
  if (runtimes > 0) b.note(`${runtimes} Threagile shared runtimes (shared_runtimes) have no place in a Rampart model and were left out.`);
  if (Object.keys(src).some(k => k.startsWith('diagram_tweak'))) b.note('Threagile diagram tweaks were left out: Rampart computes its diagrams.');
  if (arr(src.tags_available).length > 0) b.commentSection('title', 'Threagile tags_available is not kept: the tags in use are on the elements and flows.');

  // Refuse at once what cannot fit in one model.
  const objects = (v: unknown) => entries(v).filter(([, x]) => isObject(x)).length;
  b.expect('assets', objects(src.data_assets));
  b.expect('boundaries', objects(src.trust_boundaries));
  b.expect('elements', objects(src.technical_assets));

  const categories = riskCategories(src);
  if (objects(src.technical_assets) === 0) {
    if (objects(src.data_assets) === 0 && objects(src.trust_boundaries) === 0 && categories.length === 0 && objects(src.risk_tracking) === 0) {
      throw new ImportError(
        'This Threagile model holds no technical assets, data assets, trust boundaries or risks: there is nothing to import' +
        (included > 0 ? ' (nor in the files it includes).' : ' (if the model is split into several files, import the one whose `includes:` names the others).'),
      );
    }
    b.note('The Threagile model has no technical assets, so the import has no elements and no flows.');
  }

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
    b.add('assets', id, {
      name: oneLine(name) ?? oneLine(sid) ?? id,
      description: longText(raw.description),
      classification: classification ?? 'internal',
      kind: 'data',
      criticality: criticalityOf(raw),
      cia: ciaOf(raw),
      source_id: oneLine(sid),
    });
    const left = [
      ...(['owner', 'origin', 'quantity'] as const).filter(k => str(raw[k])).map(k => `${k} ${clip(raw[k])}`),
      str(raw.usage) && str(raw.usage) !== 'business' && `usage ${clip(raw.usage, 100)}`,
      arr(raw.tags).length > 0 && `tags ${listText(raw.tags)}`,
    ].filter(Boolean);
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
    const tags = arr(raw.tags).length > 0 ? `; tags ${listText(raw.tags)}` : '';
    b.commentEntry('boundaries', id, `Threagile type ${clip(type, 100) ?? 'unknown'}${tags}; Threagile has no trust levels, so this is marked trusted (review).`);
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
    const firstTechnology = arr(raw.technologies)[0];
    let technology = str(raw.technology) ?? str(isObject(firstTechnology) ? firstTechnology.name : firstTechnology);
    if (technology === 'unknown-technology') technology = undefined;
    if (arr(raw.technologies).length > 1) b.commentEntry('elements', id, `Threagile technologies: ${listText(arr(raw.technologies).map(t => (isObject(t) ? t.name : t)))}.`);
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
    const outOfScope = raw.out_of_scope === true;
    if (outOfScope) {
      const why = oneLine(raw.justification_out_of_scope);
      scopeOut.push(oneLine(why ? `${displayName}: ${why}` : displayName)!);
    }
    b.add('elements', id, {
      type: type ?? 'process',
      name: displayName,
      description: longText(raw.description),
      kind: own(THREAGILE_KIND, technology),
      boundary,
      technology: oneLine(technology),
      owner: oneLine(raw.owner),
      stores: uniq(arr(raw.data_assets_stored).map(assetRef)),
      processes: uniq(arr(raw.data_assets_processed).map(assetRef)),
      encrypted: encryption && encryption !== 'none' ? true : encryption && type === 'store' ? false : undefined,
      internet_facing: raw.internet === true ? true : undefined,
      redundant: raw.redundant === true ? true : undefined,
      tags: tagsFrom(raw.tags),
      cia: ciaOf(raw),
      out_of_scope: outOfScope ? true : undefined,
      source_id: oneLine(sid),
    });
    const left = [
      str(raw.usage) && str(raw.usage) !== 'business' && `usage ${clip(raw.usage, 100)}`,
      str(raw.machine) && `machine ${clip(raw.machine)}`,
      str(raw.size) && `size ${clip(raw.size)}`,
      encryption && encryption !== 'none' && `encryption ${clip(encryption, 100)}`,
      raw.used_as_client_by_human === true && 'used as a client by a human',
      raw.multi_tenant === true && 'multi-tenant',
      raw.custom_developed_parts === true && 'custom-developed parts',
      arr(raw.data_formats_accepted).length > 0 && `accepts ${listText(raw.data_formats_accepted)}`,
    ].filter(Boolean);
    if (left.length) b.commentEntry('elements', id, `Threagile: ${left.join('; ')}.`);
  }
  if (scopeOut.length) scope.out = uniq(scopeOut);
  if (Object.keys(scope).length) b.top.scope = scope;

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
      let protocol = str(link.protocol);
      if (protocol === 'unknown-protocol') protocol = undefined;
      const auth = str(link.authentication);
      const authz = str(link.authorization);
      b.add('flows', id, {
        from: sourceId,
        to: target,
        name: oneLine(linkName),
        description: longText(link.description),
        protocol: oneLine(protocol, 64),
        data: uniq(arr(link.data_assets_sent).map(assetRef)),
        data_received: uniq(arr(link.data_assets_received).map(assetRef)),
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

  // Individual (manually identified) risks, under either key.
  interface Individual { id: string; synthetic: string }
  const individuals: Individual[] = [];
  for (const [catName, cat, key] of categories) {
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
    const texts = (['impact', 'asvs', 'cheat_sheet', 'action', 'check', 'function', 'detection_logic', 'risk_assessment', 'false_positives'] as const)
      .filter(k => str(cat[k])).map(k => `${k} ${clip(cat[k], 200)}`);
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
      const lk = str(risk.exploitation_likelihood);
      const im = str(risk.exploitation_impact);
      const severity = str(risk.severity);
      const breach = str(risk.data_breach_probability);
      const tags = [
        severity && SEVERITIES.includes(severity) && severity !== threagileSeverity(lk, im) ? `${SEVERITY_TAG}${severity}` : undefined,
        breach && BREACH.includes(breach) ? `${BREACH_TAG}${breach}` : undefined,
      ].filter((t): t is string => !!t);
      b.add('threats', id, {
        title: oneLine(stripTags(title)) ?? oneLine(catName) ?? id,
        description: longText(cat.description),
        stride: stride ? [stride] : undefined,
        targets,
        likelihood: own(THREAGILE_LIKELIHOOD, lk),
        impact: own(THREAGILE_IMPACT, im),
        cwe,
        status: 'open',
        mitigations: mitigationId ? [mitigationId] : undefined,
        tags,
        source_id: oneLine(synthetic),
      });
      const left = [
        severity && `severity ${clip(severity, 100)}`,
        breach && `data breach probability ${clip(breach, 100)}`,
        arr(risk.data_breach_technical_assets).length > 0 && `data breach at ${listText(risk.data_breach_technical_assets)}`,
      ].filter(Boolean);
      b.commentEntry('threats', id, `Threagile risk of category "${clip(catName, 200)}" (${key})${left.length ? `: ${left.join(', ')}` : ''}.`);
      if (texts.length) b.commentEntry('threats', id, `Threagile category ${texts.join('; ')}.`);
      individuals.push({ id, synthetic });
    }
  }

  // Risk tracking.
  const riskIndex = new RiskIndex(individuals.map(i => i.synthetic));
  for (const [key, raw] of entries(src.risk_tracking)) {
    if (!isObject(raw)) continue;
    const statusWord = str(raw.status) ?? 'unchecked';
    const status = own(THREAGILE_STATUS_MAP, statusWord);
    const statusTag = own(THREAGILE_STATUS_TAGS, statusWord);
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
    const parts = key.split('@').slice(1);
    const named = uniq(parts.filter(p => p !== '*').map(p => resolveTarget(p)));
    const wildcard = parts.includes('*');
    for (const id of ids) {
      const existing = b.sections.threats.get(id);
      const entry: Record<string, unknown> = existing
        ? { ...existing, ...tracked }
        : { title: trackedTitle(key) ?? id, targets: named, ...tracked, source_id: oneLine(key) };
      const tags = arr(existing?.tags).filter((t): t is string => typeof t === 'string' && !Object.values(THREAGILE_STATUS_TAGS).includes(t));
      entry.tags = statusTag ? uniq([...tags, statusTag]) : tags;
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

/** A CIA rating from Threagile's fields, the values Threagile knows only (undefined when there is none). */
function ciaOf(raw: Record<string, unknown>): Record<string, string> | undefined {
  const c = str(raw.confidentiality);
  const i = str(raw.integrity);
  const a = str(raw.availability);
  const cia = {
    confidentiality: c && (CIA_CONFIDENTIALITY as readonly string[]).includes(c) ? c : undefined,
    integrity: i && (CIA_LEVELS as readonly string[]).includes(i) ? i : undefined,
    availability: a && (CIA_LEVELS as readonly string[]).includes(a) ? a : undefined,
    justification: longText(raw.justification_cia_rating),
  };
  const kept = Object.entries(cia).filter(([, v]) => v !== undefined);
  return kept.length ? Object.fromEntries(kept) as Record<string, string> : undefined;
}

/** Rampart criticality from the higher of Threagile's integrity and availability. */
function criticalityOf(raw: Record<string, unknown>): string | undefined {
  const crit = Math.max(own(CRITICALITY, str(raw.integrity)) ?? -1, own(CRITICALITY, str(raw.availability)) ?? -1);
  return crit >= 0 ? CRITICALITY_LEVEL[crit] : undefined;
}

/** The risk categories of both keys (the older map `individual_risk_categories`, the current `custom_risk_categories` list or map). */
function riskCategories(src: Record<string, unknown>): [string, Record<string, unknown>, string][] {
  const out: [string, Record<string, unknown>, string][] = [];
  for (const key of ['individual_risk_categories', 'custom_risk_categories']) {
    const v = own(src, key);
    if (Array.isArray(v)) {
      for (const c of v) if (isObject(c)) out.push([str(c.title) ?? str(c.id) ?? '', c, key]);
    } else {
      for (const [name, c] of entries(v)) if (isObject(c)) out.push([str(c.title) ?? name, c, key]);
    }
  }
  return out;
}

// ---- Threagile's output (parsed-model.yaml) ----

/** Keys only Threagile's output model has (types/model.go): the run's derived maps and risks. */
const PARSED_ONLY_KEYS = [
  'generated_risks_by_category', 'generated_risks_by_synthetic_id', 'incoming_technical_communication_links_mapped_by_target_id',
  'direct_containing_trust_boundary_mapped_by_technical_asset_id', 'all_supported_tags', 'built_in_risk_categories',
];

/** Refuses Threagile's output `parsed-model.yaml`: its shape differs (links as lists, enums as numbers), so reading it as an input model would lose most of it. */
function refuseParsedModel(data: Record<string, unknown>, file: string | undefined): void {
  const key = PARSED_ONLY_KEYS.find(k => Object.hasOwn(data, k));
  let sign: string | undefined = key && `it has \`${key}\``;
  if (!sign) {
    for (const [, a] of entries(data.technical_assets)) {
      if (!isObject(a)) continue;
      if (Array.isArray(a.communication_links)) sign = 'its communication links are lists';
      else if (typeof a.type === 'number' || typeof a.confidentiality === 'number') sign = 'its ratings are numbers';
      else if (arr(a.technologies).some(t => isObject(t) && isObject(t.attributes))) sign = 'its technologies carry Threagile\'s attributes';
      if (sign) break;
    }
  }
  if (!sign) {
    for (const [, a] of entries(data.data_assets)) {
      if (isObject(a) && (typeof a.confidentiality === 'number' || typeof a.integrity === 'number')) { sign = 'its ratings are numbers'; break; }
    }
  }
  if (sign) {
    throw new ImportError(
      `${file ? `The included file "${file}"` : 'This file'} is Threagile's output parsed-model.yaml (${sign}), written after a run, not a Threagile input model: ` +
      'import the model YAML that Threagile was run on instead (its technical assets have communication links as maps).',
    );
  }
}

// ---- includes ----

/** Sections keyed by name: merged, and a key defined twice is an error (as Threagile's MergeMap). */
const MAP_KEYS = new Set([
  'data_assets', 'technical_assets', 'trust_boundaries', 'shared_runtimes', 'individual_risk_categories', 'risk_tracking',
  'questions', 'abuse_cases', 'security_requirements', 'communication_links',
]);
/** Single values: the first one given; two different ones are an error (as Threagile's MergeSingleton). */
const SINGLE_KEYS = new Set(['threagile_version', 'title', 'date', 'business_criticality']);
/** Maps of single values (author, overviews): merged field by field. */
const OBJECT_KEYS = new Set(['author', 'business_overview', 'technical_overview', 'application_description']);
/** Lists: united (tags, diagram tweak lists) or appended (contributors, the current risk categories). */
const UNION_KEYS = new Set(['tags_available', 'diagram_tweak_invisible_connections_between_assets', 'diagram_tweak_same_rank_assets']);
const APPEND_KEYS = new Set(['contributors']);

/**
 * The model with its includes merged in (the top file unchanged when it includes nothing). Each file is read once
 * per mention, depth first, its own content before its includes; at most {@link MAX_INCLUDE_FILES} files and
 * {@link MAX_IMPORT_SIZE} characters in all, so the work stays linear in what is read.
 */
function withIncludes(top: Record<string, unknown>, topSize: number, options: ImportOptions): Record<string, unknown> {
  const topIncludes = own(top, 'includes');
  if (topIncludes === undefined || topIncludes === null || (Array.isArray(topIncludes) && topIncludes.length === 0)) return top;
  const listed = includeList(topIncludes, undefined);
  if (!options.readInclude) {
    throw new ImportError(
      `This Threagile model includes other files (includes: ${listText(listed)}), and they are part of the model: import it from a file on disk ` +
      '(`rampart import --from threagile FILE`, or the Import command on the file) so that the included files can be read beside it.',
    );
  }
  const read = options.readInclude;
  const merger = new Merger();
  merger.add(top, 'the imported file');
  let files = 0;
  let size = topSize;
  const visit = (list: string[], dir: string, chain: string[]) => {
    for (const written of list) {
      const where = chain.length ? `"${chain[chain.length - 1]}"` : 'the imported file';
      const path = includePath(dir, written, where);
      if (chain.includes(path)) {
        throw new ImportError(`The Threagile includes form a cycle: ${['the imported file', ...chain, path].map((p, i) => (i ? `"${p}"` : p)).join(' includes ')}; remove one of them.`);
      }
      if (chain.length >= MAX_INCLUDE_DEPTH) {
        throw new ImportError(`The Threagile includes nest deeper than ${MAX_INCLUDE_DEPTH} files (${['the imported file', ...chain, path].join(' > ')}); flatten them.`);
      }
      if (++files > MAX_INCLUDE_FILES) throw new ImportError(`The Threagile model includes more than ${MAX_INCLUDE_FILES} files; merge some of them.`);
      let text: unknown;
      try {
        text = read(path);
      } catch (e) {
        throw new ImportError(`The file "${clip(written, 300)}" that ${where} includes could not be read: ${clip(e instanceof Error ? e.message : String(e), 500)}.`);
      }
      if (typeof text !== 'string') throw new ImportError(`The file "${clip(written, 300)}" that ${where} includes could not be read as text.`);
      size += text.length;
      if (size > MAX_IMPORT_SIZE) {
        throw new ImportError(`The Threagile model and its includes are over ${MAX_IMPORT_SIZE} characters, the limit for imports; split the source model into several smaller ones and import each.`);
      }
      const data = parseInclude(text, path);
      refuseParsedModel(data, path);
      merger.add(data, `"${path}"`);
      const nested = own(data, 'includes');
      if (nested !== undefined && nested !== null) visit(includeList(nested, path), dirOf(path), [...chain, path]);
    }
  };
  visit(listed, '', []);
  return merger.result;
}

function includeList(v: unknown, file: string | undefined): string[] {
  if (!Array.isArray(v)) throw new ImportError(`\`includes:\` of ${file ? `"${file}"` : 'the imported file'} is not a list of file paths.`);
  return v.map(p => {
    const s = typeof p === 'string' ? p.trim() : undefined;
    if (!s) throw new ImportError(`\`includes:\` of ${file ? `"${file}"` : 'the imported file'} holds ${listText([p])}, which is not a file path.`);
    return s;
  });
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/**
 * The path of an include relative to the imported file's folder, posix-style: `written` resolved against `dir`
 * (the including file's folder), `.` and `..` removed. Absolute paths and paths that climb above the imported
 * file's folder are refused.
 */
export function includePath(dir: string, written: string, where = 'the imported file'): string {
  const p = written.replace(/\\/g, '/');
  const shown = clip(written, 300);
  if (p.length > 1000 || p.includes('\u0000')) throw new ImportError(`The include "${shown}" in ${where} is not a file path.`);
  if (p.startsWith('/') || p.startsWith('~') || /^[a-zA-Z]:/.test(p) || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p)) {
    throw new ImportError(`The include "${shown}" in ${where} is an absolute path; only paths relative to the including file are read (inside the imported file's folder).`);
  }
  const parts = dir ? dir.split('/') : [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) throw new ImportError(`The include "${shown}" in ${where} climbs above the folder of the imported file; only files inside it are read.`);
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  if (parts.length === 0) throw new ImportError(`The include "${shown}" in ${where} names a folder, not a file.`);
  return parts.join('/');
}

/** An included file as data: YAML (or JSON), checked before parsing as the imported file is; an empty file is an empty map. */
function parseInclude(text: string, path: string): Record<string, unknown> {
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  const problem = prescan(text, { maxDepth: MAX_DEPTH, maxNodes: MAX_IMPORT_YAML_NODES });
  if (problem) {
    throw new ImportError(problem.kind === 'too-many-nodes'
      ? `The included file "${path}" has more than ${MAX_IMPORT_YAML_NODES} YAML nodes, too many to read; split it.`
      : `The included file "${path}" nests deeper than ${MAX_DEPTH} levels (at character ${problem.offset}); no Threagile model needs that.`);
  }
  let data: unknown;
  try {
    const doc = parseDocument(text, { merge: true, prettyErrors: false, uniqueKeys: false, customTags: [] });
    if (doc.errors.length > 0) throw new ImportError(`The included file "${path}" is not valid YAML (${clip(doc.errors[0].message.split('\n')[0], 300)}).`);
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(`The included file "${path}" could not be read (${clip(e instanceof Error ? e.message.split('\n')[0] : String(e), 300)}).`);
  }
  if (data === null || data === undefined) return {};
  if (!isObject(data)) throw new ImportError(`The included file "${path}" holds ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}, not a part of a Threagile model (a map of its sections).`);
  if (Object.hasOwn(data, 'rampart')) throw new ImportError(`The included file "${path}" is a Rampart model, not a part of a Threagile model.`);
  return data;
}

/** Merges Threagile model files as Threagile's loader does (see the mapping notes at the top). */
class Merger {
  readonly result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  /** Section and key -> the file that defined it (for the error that names both). */
  private readonly from = new Map<string, string>();
  private readonly categoryIds = new Map<string, string>();

  add(data: Record<string, unknown>, file: string): void {
    for (const [key, value] of Object.entries(data)) {
      if (key === 'includes') continue;
      if (value === null || value === undefined) {
        if (!Object.hasOwn(this.result, key)) this.result[key] = value;
        continue;
      }
      if (MAP_KEYS.has(key) || (key === 'custom_risk_categories' && isObject(value))) this.mergeMap(key, value, file);
      else if (key === 'custom_risk_categories' && Array.isArray(value)) this.mergeCategories(value, file);
      else if (SINGLE_KEYS.has(key)) this.result[key] = this.single(key, this.result[key], value, file);
      else if (OBJECT_KEYS.has(key) && isObject(value)) this.mergeObject(key, value, file);
      else if (UNION_KEYS.has(key) || APPEND_KEYS.has(key)) {
        const before = arr(this.result[key]);
        const add = arr(value);
        this.result[key] = UNION_KEYS.has(key) ? uniqValues([...before, ...add]) : [...before, ...add];
      } else if (key === 'management_summary_comment') {
        const before = str(this.result[key]);
        const now = str(value);
        this.result[key] = before && now && before.toLowerCase() !== now.toLowerCase() ? `${before}\n\n${now}` : before ?? now;
      } else if (key.startsWith('diagram_tweak')) {
        this.result[key] = value; // Threagile: the included file's value replaces the earlier one
      } else if (!Object.hasOwn(this.result, key) || this.result[key] === null || this.result[key] === undefined) {
        this.result[key] = value;
      }
    }
  }

  private mergeMap(section: string, value: unknown, file: string): void {
    if (!isObject(value)) throw new ImportError(`\`${section}\` in ${file} is not a map.`);
    let target = this.result[section];
    if (!isObject(target)) {
      target = Object.create(null) as Record<string, unknown>;
      this.result[section] = target;
    }
    for (const [k, v] of Object.entries(value)) {
      const at = `${section}\u0000${k}`;
      const first = this.from.get(at);
      if (first !== undefined) {
        throw new ImportError(`"${clip(k, 200)}" is defined twice in ${section}: in ${first} and in ${file}. Threagile refuses a model whose files define the same entry twice; remove one.`);
      }
      this.from.set(at, file);
      (target as Record<string, unknown>)[k] = v;
    }
  }

  private mergeCategories(list: unknown[], file: string): void {
    const before = this.result.custom_risk_categories;
    if (isObject(before)) throw new ImportError(`\`custom_risk_categories\` is a map in one file and a list in ${file}; write it the same way in every file.`);
    for (const c of list) {
      const id = isObject(c) ? str(c.id) : undefined;
      if (id) {
        const first = this.categoryIds.get(id.toLowerCase());
        if (first !== undefined) throw new ImportError(`The risk category "${clip(id, 200)}" is defined twice in custom_risk_categories: in ${first} and in ${file}; remove one.`);
        this.categoryIds.set(id.toLowerCase(), file);
      }
    }
    this.result.custom_risk_categories = [...arr(before), ...list];
  }

  private single(key: string, before: unknown, now: unknown, file: string): unknown {
    const a = str(before);
    const b = str(now);
    if (a === undefined) return now;
    if (b !== undefined && a.toLowerCase() !== b.toLowerCase()) {
      throw new ImportError(`\`${key}\` is "${clip(a, 200)}" in one file and "${clip(b, 200)}" in ${file}; Threagile refuses two different values: keep one.`);
    }
    return before;
  }

  private mergeObject(key: string, value: Record<string, unknown>, file: string): void {
    const target = Object.assign(Object.create(null) as Record<string, unknown>, isObject(this.result[key]) ? this.result[key] : {});
    for (const [k, v] of Object.entries(value)) {
      if (k === 'images') target[k] = [...arr(target[k]), ...arr(v)];
      else target[k] = this.single(`${key}.${k}`, target[k], v, file);
    }
    this.result[key] = target;
  }
}

function uniqValues(values: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return values.filter(v => (seen.has(v) ? false : (seen.add(v), true)));
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
