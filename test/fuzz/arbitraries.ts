/**
 * fast-check arbitraries for the fuzzer: generated threat models rendered as YAML text in many styles, and
 * mutations of texts (line and character edits, YAML punctuation, indentation, truncation) and of parsed
 * JSON/YAML data (for the importers).
 *
 * A generated model is data (`ModelSpec`) turned into text by `renderModel`, so fast-check shrinks the data
 * (fewer entries, fewer fields, plainer strings) and the text follows. References are `Ref`s (section + index)
 * resolved when rendering: to an existing id of that section, or to a missing one. Layout choices that do not
 * change the data (flow or block style, quoting, comments, anchors) come from a small seeded PRNG per entry,
 * so they shrink too (the seed shrinks towards 0, the plainest layout).
 *
 * Nothing here calls the code under test: the same seed gives the same cases whatever the core does.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------------
// Vocabulary (written out rather than imported, so that generation does not move when the schema grows)

const STRIDE = ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'];
const LIKELIHOODS = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'];
const IMPACTS = ['negligible', 'minor', 'moderate', 'major', 'severe'];
const LEVELS = ['low', 'medium', 'high', 'critical'];
const ELEMENT_TYPES = ['external', 'process', 'store'];
const TRUST = ['untrusted', 'partial', 'trusted'];
const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];
const THREAT_STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'not-applicable'];
const MITIGATION_STATUSES = ['proposed', 'planned', 'in-progress', 'implemented', 'verified'];
const CONTROLS = ['authentication', 'authorization', 'input-validation', 'rate-limiting', 'logging', 'audit-logging', 'mfa', 'waf', 'encryption-at-rest', 'backup', 'monitoring', 'secrets-management', 'output-encoding'];
const ELEMENT_KINDS = ['human', 'browser', 'mobile-app', 'web-app', 'api', 'service', 'worker', 'function', 'gateway', 'load-balancer', 'admin-console', 'database', 'cache', 'queue', 'file-store', 'vault', 'log-store', 'third-party', 'device', 'other'];
const ASSET_KINDS = ['data', 'credentials', 'secret', 'key', 'service', 'other'];
const PROTOCOLS = ['https', 'http', 'tcp', 'sql', 'grpc', 'amqp', 'ssh', 'ftp', 'tls', 'mtls', 'smtp', 'ldap'];
const RULE_IDS = ['design/unencrypted-crossing', 'design/unauthenticated-inbound', 'design/external-writes-store', 'design/admin-interface-exposed', 'design/privileged-user-phishing', 'design/single-point-of-failure', 'design/no-such-rule', 'stride/coverage'];
const CVSS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N', 'CVSS:3.0/AV:L/AC:H/PR:H/UI:N/S:C/C:L/I:N/A:N',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'CVSS:3.1/AV:N/AC:L', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 'CVSS:9.9/AV:N', '',
];

/** Strings that have broken parsers, renderers and terminals before. */
export const HOSTILE_TEXT = [
  'Line one\nline two', 'windows\r\nline', 'tab\there', 'esc \x1b[31mred\x1b[0m', 'bell\x07', 'del\x7f', 'c1 \x85 next \x9b',
  'bidi \u202eevil\u202c', 'isolate \u2066x\u2069', 'zero\u200bwidth', 'ls\u2028ps\u2029', 'bom\ufeffin', 'lone \ud83d surrogate', 'replacement \ufffd',
  '"quoted"', "it's", '#not a comment', 'a: b', '- dash', '? key', '[x]', '{y: z}', '& * ! | > % @ `', 'x, y', 'trailing:',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '%%{init: {"theme":"dark"}}%%', 'click api call alert()',
  'x --> y', '"]; click a href "javascript:alert(1)"; a["', 'end', 'subgraph', 'graph TD', ':::danger', 'A&lt;B &#35; &amp;',
  '`code`', '```', '**bold** _it_ ~~s~~', '[link](javascript:alert(1))', '![i](http://y/x.png)', '@everyone', '@org/team',
  '# heading', '> quote', '1. item', '| a | b |', '$x^2$', '\\', '\\n', '<!-- c -->', '</details>', '&nbsp;',
  'null', '~', 'true', 'yes', 'NO', 'on', '0x1F', '0o17', '1e3', '.inf', '.nan', '-', '?', ':', '...', '---', '', ' ', '  leading', 'trailing  ',
  '😀 emoji 👩‍👩‍👧', 'مرحبا بالعالم', 'שלום', '한국어', 'e\u0301 combining', 'Ω≈ç√∫', 'ﬁ ligature', 'Ｆｕｌｌｗｉｄｔｈ',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '${jndi:ldap://x/a}', '{{7*7}}', '../../etc/passwd', 'C:\\Windows\\x',
  'https://example.com/a?b=c#d', 'file:///etc/passwd', 'CVSS:3.1/AV:N', 'TODO', 'TODO: later', 'x'.repeat(201), 'y '.repeat(150), 'z'.repeat(70),
];

const WORDS = ['api', 'web', 'db', 'store', 'queue', 'user', 'admin', 'vault', 'cache', 'gateway', 'auth', 'log', 'payments', 'browser', 'worker', 'x', 'a1', 'b2'];
const TITLE_WORDS = ['Payment', 'API', 'stolen', 'token', 'replayed', 'SQL', 'injection', 'in', 'the', 'search', 'card', 'data', 'leak', 'admin', 'console', 'DoS', 'of', 'queue'];

/** Ids that are not kebab-case, or that name JavaScript internals. */
export const WEIRD_IDS = [
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', 'Api', 'API-1', 'a--b', '-a', 'a-', 'a_b', 'a.b', 'a@b',
  'design-unencrypted-crossing@api', 'rule.x@y', 'x'.repeat(65), 'y'.repeat(129), 'ünïcode', '日本', 'a b', '1', '0', '007', 'true', 'null', '~', '',
  '"q"', 'a:b', '#x', 'nl\nid', 'esc\x1bid', 'bidi\u202eid', 'tab\tid', '-', '?', '*a', '&a', '!tag', '[a]', '{a}', 'a,b', 'z'.repeat(64),
];

// ---------------------------------------------------------------------------------------------------------
// Model specs

export type RefSection = 'elements' | 'flows' | 'boundaries' | 'assets' | 'threats' | 'mitigations' | 'attack_trees' | 'targets';
/** A reference by section and index, resolved when rendering; `missing` names an id that does not exist. */
export interface Ref { $ref: RefSection; n: number; missing: boolean }
/** A value of a field: plain data, references, and `$raw` text written into the YAML as it is. */
export type V = string | number | boolean | null | Ref | { $raw: string } | V[] | { [key: string]: V };

export interface EntrySpec {
  id: string;
  fields: [string, V][];
  /** Write this entry as `id: *anchor` of an earlier anchored entry (index among them). */
  aliasOf?: number;
  /** Style seed for this entry: flow or block, quoting, comments, anchors. */
  style: number;
}

export interface SectionSpec {
  name: Exclude<RefSection, 'targets'>;
  entries: EntrySpec[];
  /** How an empty section is written (`{}`, nothing, `null`, `[]`), or a block/flow section map. */
  style: number;
}

export interface ModelSpec {
  top: [string, V][];
  sections: SectionSpec[];
  layout: {
    crlf: boolean;
    bom: boolean;
    /** 0 none, 1 `---` first, 2 `...` last, 3 both, 4 `%YAML 1.2` + `---`. */
    markers: number;
    finalNewline: boolean;
    indent: number;
    comments: boolean;
    anchors: boolean;
    /** Chance (per mille) that a string is written plain whatever it holds. */
    raw: number;
    seed: number;
    /** Drop references that cannot point at an earlier/existing entry, and rename clashing ids (valid models). */
    valid: boolean;
  };
}

export interface GenOptions {
  /** Also generate invalid values, weird ids, missing references and unknown keys (default true). */
  weird?: boolean;
}

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const upTo = <T>(arb: fc.Arbitrary<T>, max: number, min = 0) => fc.array(arb, { minLength: min, maxLength: max });

/** Title-like text, from plain words to hostile strings and arbitrary Unicode. */
export function textArb(weird = true): fc.Arbitrary<string> {
  const words = upTo(pick(TITLE_WORDS), 6, 1).map(w => w.join(' '));
  return fc.oneof(
    { weight: 6, arbitrary: words },
    { weight: weird ? 3 : 2, arbitrary: pick(HOSTILE_TEXT) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 24 }) },
  );
}

/** A name that validates (1..200 characters) unless `weird`. */
function nameArb(weird: boolean): fc.Arbitrary<string> {
  return weird ? textArb(true) : textArb(false).map(s => (s.length === 0 ? 'Unnamed' : s.slice(0, 200)));
}

export function idArb(weird = true): fc.Arbitrary<string> {
  const kebab = upTo(pick(WORDS), 3, 1).map(w => w.join('-'));
  if (!weird) return kebab;
  return fc.oneof(
    { weight: 12, arbitrary: kebab },
    { weight: 2, arbitrary: pick(WEIRD_IDS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
  );
}

function refArb(section: RefSection, weird: boolean): fc.Arbitrary<V> {
  const missing = weird ? fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) : fc.constant(false);
  return fc.record({ $ref: fc.constant(section), n: fc.nat(15), missing });
}

const WEIRD_SCALARS: V[] = ['', 'HIGH', 'Process', 'unknown', 'open ', 3, 0, -1, 1.5, null, true, false, [], {}, 'TODO', '~', { $raw: '' }];

/** One of the allowed words, or (weird) a wrong one. */
function enumArb(values: readonly string[], weird: boolean): fc.Arbitrary<V> {
  return weird ? fc.oneof({ weight: 10, arbitrary: pick(values) }, { weight: 1, arbitrary: pick(WEIRD_SCALARS) }) : pick(values);
}

function boolArb(weird: boolean): fc.Arbitrary<V> {
  return weird ? fc.oneof({ weight: 10, arbitrary: fc.boolean() }, { weight: 1, arbitrary: pick<V>(['yes', 'true', 1, 'on', null]) }) : fc.boolean();
}

function numberArb(weird: boolean, max = 1e6): fc.Arbitrary<V> {
  const ok = fc.oneof(fc.nat(1000), fc.double({ min: 0, max, noNaN: true }), fc.constant(0));
  return weird ? fc.oneof({ weight: 6, arbitrary: ok }, { weight: 1, arbitrary: pick<V>([-1, 1e16, 1e308, -0, 0.5, '12', 'lots', Number.MAX_SAFE_INTEGER + 2]) }) : ok;
}

function listArb(item: fc.Arbitrary<V>, weird: boolean, max = 4): fc.Arbitrary<V> {
  const list = upTo(item, max);
  return weird ? fc.oneof({ weight: 10, arbitrary: list }, { weight: 1, arbitrary: item }) : list;
}

/** Fields from a record of optional field arbitraries; `required` keys are (nearly) always there. */
function fieldsArb(shape: Record<string, fc.Arbitrary<V>>, required: string[], weird: boolean, unknownKeys: string[] = []): fc.Arbitrary<[string, V][]> {
  const keys = Object.keys(shape);
  const present = fc.record(Object.fromEntries(keys.map(k => [k, required.includes(k) ? (weird ? fc.oneof({ weight: 15, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) : fc.constant(true)) : fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) })])));
  const values = fc.record(shape);
  const extra = weird
    ? fc.oneof({ weight: 12, arbitrary: fc.constant([] as [string, V][]) }, { weight: 1, arbitrary: fc.tuple(pick(unknownKeys.length ? unknownKeys : ['nmae', 'x-extra']), textArb()).map(t => [t] as [string, V][]) })
    : fc.constant([] as [string, V][]);
  return fc.tuple(present, values, extra).map(([p, v, x]) => [...keys.filter(k => (p as Record<string, boolean>)[k]).map(k => [k, (v as Record<string, V>)[k]] as [string, V]), ...x]);
}

function sectionEntriesArb(name: SectionSpec['name'], weird: boolean, max: number): fc.Arbitrary<EntrySpec[]> {
  const t = () => nameArb(weird);
  const shapes: Record<SectionSpec['name'], [Record<string, fc.Arbitrary<V>>, string[]]> = {
    assets: [{
      name: t(), classification: enumArb(CLASSIFICATIONS, weird), value: numberArb(weird, 1e9), kind: enumArb(ASSET_KINDS, weird),
      personal: boolArb(weird), criticality: enumArb(LEVELS, weird), description: textArb(weird),
    }, ['name', 'classification']],
    boundaries: [{
      name: t(), trust: enumArb(TRUST, weird), parent: refArb('boundaries', weird), ours: boolArb(weird), description: textArb(weird),
    }, ['name', 'trust']],
    elements: [{
      type: enumArb(ELEMENT_TYPES, weird), name: t(), boundary: refArb('boundaries', weird), kind: enumArb(ELEMENT_KINDS, weird),
      stores: listArb(refArb('assets', weird), weird), processes: listArb(refArb('assets', weird), weird), encrypted: boolArb(weird),
      internet_facing: boolArb(weird), privileged: boolArb(weird), admin: boolArb(weird), redundant: boolArb(weird),
      controls: listArb(enumArb(CONTROLS, weird), weird), technology: t(), owner: t(), code: listArb(pick(['src/**', 'src/api/*.ts', '../x']), weird, 2),
      tags: listArb(pick(['pci', 'gdpr', 'edge']), weird, 2), source_id: t(),
    }, ['type', 'name']],
    flows: [{
      from: refArb('elements', weird), to: refArb('elements', weird), name: t(), protocol: weird ? fc.oneof(pick(PROTOCOLS), textArb()) : pick(PROTOCOLS),
      data: listArb(refArb('assets', weird), weird), encrypted: boolArb(weird), authenticated: boolArb(weird), authorized: boolArb(weird),
      bidirectional: boolArb(weird), controls: listArb(enumArb(CONTROLS, weird), weird), description: textArb(weird),
    }, ['from', 'to']],
    threats: [{
      title: t(), status: enumArb(THREAT_STATUSES, weird), stride: listArb(enumArb(STRIDE, weird), weird, 3), targets: listArb(refArb('targets', weird), weird, 3),
      likelihood: enumArb(LIKELIHOODS, weird), impact: enumArb(IMPACTS, weird), cvss: pick(weird ? CVSS : CVSS.slice(0, 3)),
      annual_rate: numberArb(weird, 100), exposure: weird ? fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), pick<V>([2, -0.5])) : fc.double({ min: 0, max: 1, noNaN: true }),
      cwe: listArb(pick(weird ? ['CWE-79', 'CWE-306', 'cwe-1', 'CWE-123456'] : ['CWE-79', 'CWE-306']), weird, 2),
      mitigations: listArb(refArb('mitigations', weird), weird, 3), justification: textArb(weird), accepted_by: t(),
      expires: pick<V>(weird ? ['2020-01-01', '2099-12-31', '2026-01-15', '2026-13-45', 'soon', 20200101] : ['2020-01-01', '2099-12-31', '2026-01-15']),
      owner: t(), rule: pick(RULE_IDS), description: textArb(weird),
      statement: fc.record({ source: textArb(weird), action: textArb(weird), assets: listArb(refArb('assets', weird), weird, 2) }, { requiredKeys: [] }) as fc.Arbitrary<V>,
    }, ['title', 'status']],
    mitigations: [{
      title: t(), status: enumArb(MITIGATION_STATUSES, weird), evidence: listArb(pick(['src/api.ts#L1-L9', 'https://ci.example.com/run/1', '../../etc/passwd', 'missing.ts', '']), weird, 2),
      owner: t(), ticket: t(), cost: numberArb(weird, 1e6), description: textArb(weird),
    }, ['title', 'status']],
    attack_trees: [{ goal: t(), threat: refArb('threats', weird), or: fc.array(attackNodeArb(weird), { minLength: 1, maxLength: 3 }) as fc.Arbitrary<V>, description: textArb(weird) }, ['goal', 'or']],
  };
  const [shape, required] = shapes[name];
  const entry = fc.record({
    id: name === 'threats' && weird ? fc.oneof({ weight: 5, arbitrary: idArb(weird) }, { weight: 1, arbitrary: fc.tuple(pick(RULE_IDS), pick(WORDS)).map(([r, w]) => `${r.replace('/', '-')}@${w}`) }) : idArb(weird),
    fields: fieldsArb(shape, required, weird, ['nmae', 'titel', 'statuss', '__proto__', 'constructor', '<<']),
    aliasOf: weird ? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(3) }) : fc.constant(undefined),
    style: fc.nat(),
  }, { requiredKeys: ['id', 'fields', 'style'] }).map(e => (name === 'attack_trees' ? renameAndOr(e) : e));
  return fc.uniqueArray(entry, { maxLength: max, selector: e => e.id });
}

/** Half of the attack trees use `and:` at the top instead of `or:`. */
function renameAndOr(e: EntrySpec): EntrySpec {
  if (e.style % 2 === 0) return e;
  return { ...e, fields: e.fields.map(([k, v]) => [k === 'or' ? 'and' : k, v] as [string, V]) };
}

function attackNodeArb(weird: boolean): fc.Arbitrary<V> {
  const { node } = fc.letrec<{ node: V }>(tie => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ leaf: nameArb(weird) }),
      fc.record({ threat: refArb('threats', weird) }),
      fc.record({ tree: refArb('attack_trees', weird) }),
      fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    ).chain(n => fc.record({ cost: numberArb(weird), probability: fc.double({ min: 0, max: 1, noNaN: true }), label: nameArb(weird) }, { requiredKeys: [] })
      .map(extra => ({ ...(n as Record<string, V>), ...(extra as Record<string, V>) }))) as fc.Arbitrary<V>,
  }));
  return weird ? fc.oneof({ weight: 12, arbitrary: node }, { weight: 1, arbitrary: pick<V>([{}, { leaf: 'x', threat: { $ref: 'threats', n: 0, missing: false } }, { and: [] }, 'leaf']) }) : node;
}

function topArb(weird: boolean): fc.Arbitrary<[string, V][]> {
  const version = weird ? fc.oneof({ weight: 20, arbitrary: fc.constant<V>(1) }, { weight: 1, arbitrary: pick<V>([2, '1', 1.5, null, 'one']) }) : fc.constant<V>(1);
  const matrix = fc.constant<V>(Object.fromEntries(LIKELIHOODS.map((l, i) => [l, IMPACTS.map((_, j) => LEVELS[Math.min(3, Math.floor((i + j) / 2))])])));
  const policy = fc.record({
    tolerance: enumArb(LEVELS, weird), currency: pick(weird ? ['EUR', 'USD', 'eur', '€', ''] : ['EUR', 'USD']), risk_driver: pick(weird ? ['matrix', 'cvss', 'x'] : ['matrix', 'cvss']),
    matrix: weird ? fc.oneof(matrix, pick<V>([{ rare: ['low'] }, []])) : matrix, expiry_warning_days: weird ? fc.oneof(fc.nat(365), pick<V>([-1, 400, 'x'])) : fc.nat(365),
  }, { requiredKeys: [] }) as fc.Arbitrary<V>;
  return fieldsArb({
    rampart: version,
    title: nameArb(weird),
    description: textArb(weird),
    version: weird ? fc.oneof(pick<V>(['1.0', '2024-01']), textArb()) : pick<V>(['1.0', '2024-01']),
    team: upTo(fc.record({ name: nameArb(weird), role: nameArb(weird) }, { requiredKeys: ['name'] }) as fc.Arbitrary<V>, 2),
    scope: fc.record({ in: upTo(nameArb(weird), 2), out: upTo(nameArb(weird), 2), assumptions: upTo(textArb(weird), 2) }, { requiredKeys: [] }) as fc.Arbitrary<V>,
    policy,
  }, ['rampart', 'title'], weird, ['elemnts', 'x-extra', '__proto__', 'threagile_version', 'otmVersion']);
}

const SECTION_ORDER: SectionSpec['name'][] = ['assets', 'boundaries', 'elements', 'flows', 'threats', 'mitigations', 'attack_trees'];
const SECTION_MAX: Record<SectionSpec['name'], number> = { assets: 3, boundaries: 3, elements: 5, flows: 5, threats: 5, mitigations: 4, attack_trees: 2 };

/** A generated model: data plus layout. `weird: false` gives models that validate (names may still be hostile text). */
export function modelSpecArb(opts: GenOptions = {}): fc.Arbitrary<ModelSpec> {
  const weird = opts.weird ?? true;
  const sections = fc.tuple(...SECTION_ORDER.map(name => fc.record({
    present: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    name: fc.constant(name),
    entries: sectionEntriesArb(name, weird, SECTION_MAX[name]),
    style: fc.nat(),
  }))).map(ss => ss.filter(s => s.present).map(({ present: _p, ...s }) => s as SectionSpec));
  const layout = fc.record({
    crlf: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    bom: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    markers: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
    finalNewline: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    indent: fc.oneof({ weight: 8, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: pick([1, 3, 4]) }),
    comments: fc.boolean(),
    anchors: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    raw: weird ? fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(200) }) : fc.constant(0),
    seed: fc.nat(),
    valid: fc.constant(!weird),
  });
  return fc.record({ top: topArb(weird), sections, layout });
}

// ---------------------------------------------------------------------------------------------------------
// Rendering a spec as YAML text

/** mulberry32: a tiny seeded PRNG for layout decisions. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESERVED_PLAIN = /^(true|false|null|yes|no|on|off|y|n|~|-?\.?inf|\.nan)$/i;
/** Characters YAML does not allow raw in a document (c-printable's complement), or that our writer escapes. */
const NON_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffd\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A double-quoted YAML scalar: JSON's escapes, plus escapes for what YAML does not allow raw. */
export function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\x7f-\x84\x86-\x9f\ufeff\ufffd\ufffe\uffff\u2028\u2029]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const isRef = (v: V): v is Ref => typeof v === 'object' && v !== null && !Array.isArray(v) && '$ref' in v;
const DROP_REF = Symbol('drop');

/**
 * References -> ids. A reference names the entry `n` (modulo the section's size) or, when `missing` or the
 * section is empty, an id that does not exist. For valid models (`layout.valid`) a reference that would
 * dangle or make a cycle (a boundary's parent, a `tree:` node) is dropped instead, a flow without both ends is
 * left out, and ids shared by elements, flows and boundaries are renamed apart.
 */
export function resolveSpec(spec: ModelSpec): ModelSpec {
  const valid = spec.layout.valid;
  const sections = spec.sections.map(s => ({ ...s, entries: s.entries.map(e => ({ ...e })) }));
  if (valid) {
    const hasElements = sections.some(s => s.name === 'elements' && s.entries.length > 0);
    for (const s of sections) {
      if (s.name !== 'flows') continue;
      const end = (e: EntrySpec, k: string) => e.fields.find(([f]) => f === k)?.[1];
      s.entries = s.entries.filter(e => hasElements && [end(e, 'from'), end(e, 'to')].every(v => v !== undefined && (!isRef(v) || !v.missing)));
    }
    const used = new Set<string>();
    for (const s of sections) {
      if (!['elements', 'flows', 'boundaries'].includes(s.name)) continue;
      for (const e of s.entries) {
        let id = e.id;
        for (let i = 2; used.has(id); i++) id = `${e.id}-${i}`;
        used.add(id);
        e.id = id;
      }
    }
  }
  const ids = Object.fromEntries(SECTION_ORDER.map(n => [n, [] as string[]])) as Record<Exclude<RefSection, 'targets'>, string[]>;
  for (const s of sections) ids[s.name].push(...s.entries.map(e => e.id));
  const resolveIn = (section: string, index: number) => {
    const one = (r: Ref): string | typeof DROP_REF => {
      let pool = r.$ref === 'targets' ? [...ids.elements, ...ids.flows] : ids[r.$ref];
      if (valid && r.$ref === section && (section === 'boundaries' || section === 'attack_trees')) pool = pool.slice(0, index);
      if (valid && (r.missing || pool.length === 0)) return DROP_REF;
      if (r.missing || pool.length === 0) return `ghost-${r.$ref.replace('_', '-')}-${r.n}`;
      return pool[r.n % pool.length];
    };
    const walk = (v: V): V | typeof DROP_REF => {
      if (isRef(v)) return one(v);
      if (Array.isArray(v)) return v.map(walk).filter((x): x is V => x !== DROP_REF);
      if (v !== null && typeof v === 'object' && !('$raw' in v)) {
        const o: Record<string, V> = {};
        for (const [k, x] of Object.entries(v)) {
          const r = walk(x);
          if (r !== DROP_REF) Object.defineProperty(o, k, { value: r, enumerable: true, writable: true, configurable: true });
        }
        // an attack-tree node whose only reference was dropped becomes a plain step
        if (valid && ['threat', 'tree'].some(k => k in (v as object)) && !['threat', 'tree', 'leaf', 'and', 'or', 'goal'].some(k => k in o)) o.leaf = 'step';
        return o;
      }
      return v;
    };
    return walk;
  };
  for (const s of sections) {
    s.entries = s.entries.flatMap((e, i) => {
      const walk = resolveIn(s.name, i);
      const fields: [string, V][] = [];
      for (const [k, v] of e.fields) {
        const r = walk(v);
        if (r === DROP_REF) {
          if (valid && s.name === 'flows' && (k === 'from' || k === 'to')) return [];
          continue;
        }
        fields.push([k, r]);
      }
      return [{ ...e, fields }];
    });
  }
  return { ...spec, sections };
}

class Renderer {
  private readonly out: string[] = [];
  private readonly rnd: () => number;
  private anchors: string[] = [];
  private listAnchors: string[] = [];
  private readonly unit: number;

  private readonly spec: ModelSpec;

  constructor(spec: ModelSpec) {
    this.spec = resolveSpec(spec);
    this.rnd = prng(spec.layout.seed);
    this.unit = spec.layout.indent;
  }

  private scalar(v: string | number | boolean | null, ctx: 'block' | 'flow' | 'key', rnd: () => number): string {
    if (v === null) return rnd() < 0.5 ? 'null' : '~';
    if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? '-0' : String(v)) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
    if (typeof v === 'boolean') return String(v);
    const s = v;
    if (this.spec.layout.raw && rnd() * 1000 < this.spec.layout.raw) return s; // plain, whatever it holds
    const plain = /^[A-Za-z_][A-Za-z0-9 _./@-]*$/.test(s) && !/ $/.test(s) && !RESERVED_PLAIN.test(s);
    const single = !NON_PRINTABLE.test(s) && !/[\r\n\t\u2028\u2029\u0085]/.test(s);
    const r = rnd();
    if (plain && r < 0.6) return s;
    if (single && r < 0.8) return `'${s.replace(/'/g, "''")}'`;
    return doubleQuoted(s);
  }

  private isRef(v: V): v is Ref {
    return typeof v === 'object' && v !== null && !Array.isArray(v) && '$ref' in v;
  }

  private isRaw(v: V): v is { $raw: string } {
    return typeof v === 'object' && v !== null && !Array.isArray(v) && '$raw' in v;
  }

  /** The value on one line (flow style). */
  private inline(v: V, rnd: () => number): string {
    if (this.isRaw(v)) return v.$raw;
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${rnd() < 0.8 ? '' : ' '}${v.map(x => this.inline(x, rnd)).join(', ')}${rnd() < 0.8 ? '' : ' '}]`;
    if (v !== null && typeof v === 'object') {
      const es = Object.entries(v);
      return es.length === 0 ? '{}' : `{ ${es.map(([k, x]) => `${this.scalar(k, 'key', rnd)}: ${this.inline(x, rnd)}`).join(', ')} }`;
    }
    return this.scalar(v, 'flow', rnd);
  }

  private comment(rnd: () => number): string {
    const texts = ['note', 'TODO: review', 'the headline risk', 'ünïcode 😀', '# double', 'key: value', '- item', '[brackets] {braces}', "quote ' \" ", 'tab\tin comment'];
    return '# ' + texts[Math.floor(rnd() * texts.length)];
  }

  private trailing(rnd: () => number): string {
    return this.spec.layout.comments && rnd() < 0.25 ? '  ' + this.comment(rnd) : '';
  }

  private literalOk(s: string): boolean {
    return s.includes('\n') && !NON_PRINTABLE.test(s) && !/[\r\t\u2028\u2029\u0085]/.test(s) && !/^[ \n]/.test(s) && !/ \n|\n | $/.test(s);
  }

  /** `key: value` at `indent`, block or flow by the PRNG. */
  private pair(key: string, v: V, indent: number, rnd: () => number, anchor = '') {
    const pad = ' '.repeat(indent);
    const k = this.scalar(key, 'key', rnd);
    const composite = (Array.isArray(v) && v.length > 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && !this.isRef(v) && !this.isRaw(v) && Object.keys(v).length > 0);
    if (Array.isArray(v) && v.length > 0 && this.spec.layout.anchors && !anchor) {
      if (this.listAnchors.length && !this.spec.layout.valid && rnd() < 0.2) {
        this.out.push(`${pad}${k}: *${this.listAnchors[Math.floor(rnd() * this.listAnchors.length)]}${this.trailing(rnd)}`);
        return;
      }
      if (rnd() < 0.15) {
        anchor = `&l${this.listAnchors.length} `;
        this.listAnchors.push(`l${this.listAnchors.length}`);
      }
    }
    if (typeof v === 'string' && this.literalOk(v) && rnd() < 0.5) {
      this.out.push(`${pad}${k}: ${anchor}${rnd() < 0.5 ? '|' : '>'}-`);
      for (const line of v.split('\n')) this.out.push(line ? ' '.repeat(indent + this.unit) + line : '');
      return;
    }
    if (!composite || rnd() < 0.45) {
      this.out.push(`${pad}${k}: ${anchor}${this.inline(v, rnd)}${this.trailing(rnd)}`);
      return;
    }
    this.out.push(`${pad}${k}:${anchor ? ' ' + anchor.trim() : ''}${this.trailing(rnd)}`);
    if (Array.isArray(v)) {
      const itemIndent = indent + (rnd() < 0.7 ? this.unit : 0);
      for (const item of v) this.item(item, itemIndent, rnd);
    } else {
      for (const [k2, v2] of Object.entries(v as Record<string, V>)) this.pair(k2, v2, indent + this.unit, rnd);
    }
  }

  /** `- item` at `indent`. */
  private item(v: V, indent: number, rnd: () => number) {
    const pad = ' '.repeat(indent);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !this.isRef(v) && !this.isRaw(v) && Object.keys(v).length > 0 && rnd() < 0.6) {
      const start = this.out.length;
      for (const [k, x] of Object.entries(v)) this.pair(k, x, indent + 2, rnd);
      this.out[start] = pad + '- ' + this.out[start].slice(indent + 2);
      return;
    }
    this.out.push(`${pad}- ${this.inline(v, rnd)}${this.trailing(rnd)}`);
  }

  private section(s: SectionSpec) {
    const rnd = prng(s.style);
    if (s.entries.length === 0) {
      const forms = this.spec.layout.valid ? ['{}', '{ }'] : ['{}', '', 'null', '[]', '{ }'];
      this.out.push(`${s.name}:${forms[s.style % forms.length] ? ' ' + forms[s.style % forms.length] : ''}${this.trailing(rnd)}`);
      return;
    }
    if (s.style % 11 === 10) {
      // the whole section as one flow map
      this.out.push(`${s.name}: { ${s.entries.map(e => `${this.scalar(e.id, 'key', rnd)}: ${this.inline(this.entryValue(e), rnd)}`).join(', ')} }`);
      return;
    }
    this.out.push(`${s.name}:${this.trailing(rnd)}`);
    for (const e of s.entries) {
      const er = prng(e.style);
      if (this.spec.layout.comments && er() < 0.2) this.out.push(' '.repeat(er() < 0.8 ? this.unit : Math.floor(er() * 6)) + this.comment(er));
      if (e.aliasOf !== undefined && this.anchors.length) {
        this.out.push(`${' '.repeat(this.unit)}${this.scalar(e.id, 'key', er)}: *${this.anchors[e.aliasOf % this.anchors.length]}${this.trailing(er)}`);
        continue;
      }
      let anchor = '';
      if (this.spec.layout.anchors && er() < 0.3) {
        anchor = `&e${this.anchors.length} `;
        this.anchors.push(`e${this.anchors.length}`);
      }
      this.pair(e.id, this.entryValue(e), this.unit, er, anchor);
    }
  }

  private entryValue(e: EntrySpec): V {
    const o: Record<string, V> = {};
    for (const [k, v] of e.fields) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }

  render(): string {
    const { layout } = this.spec;
    if (layout.markers === 4) this.out.push('%YAML 1.2');
    if (layout.markers === 1 || layout.markers === 3 || layout.markers === 4) this.out.push('---');
    if (layout.comments) this.out.push(this.comment(this.rnd));
    for (const [k, v] of this.spec.top) this.pair(k, v, 0, this.rnd);
    for (const s of this.spec.sections) {
      if (layout.comments && this.rnd() < 0.3) this.out.push('');
      this.section(s);
    }
    if (layout.comments && this.rnd() < 0.5) this.out.push('# end of file');
    if (layout.markers === 2 || layout.markers === 3) this.out.push('...');
    const eol = layout.crlf ? '\r\n' : '\n';
    return (layout.bom ? '\ufeff' : '') + this.out.join(eol) + (layout.finalNewline ? eol : '');
  }
}

export function renderModel(spec: ModelSpec): string {
  return new Renderer(spec).render();
}

// ---------------------------------------------------------------------------------------------------------
// Text mutations

export const MUTATION_OPS = [
  'delete-line', 'duplicate-line', 'insert-line', 'swap-lines', 'insert-punct', 'insert-punct-near', 'delete-chars',
  'reindent', 'truncate', 'insert-special', 'replace-word', 'crlf-line', 'deep-nesting',
] as const;
export type MutationOp = (typeof MUTATION_OPS)[number];

export interface Mutation { op: MutationOp; at: number; arg: number }

/** YAML punctuation (and a few pairs) that the mutations insert. */
export const PUNCT = ['[', ']', '{', '}', ':', '-', '?', '&', '*', '!', '|', '>', '#', "'", '"', ',', '%', '@', '`', ': ', '- ', ' #', '&a ', '*a', '!!str ', '|-', '>-', ', ', '\n', '\t', ' '];

/** Whole lines or fragments that are known to be hard on YAML readers and on text edits. */
export const SPECIALS = [
  '...\n', '---\n', '%YAML 1.1\n---\n', '%TAG ! tag:x,2000:\n', '\t', '\r', '\u202e', '\u200b', '\x1b', '\ufeff', '\ud800', '\ufffd', '\u0085', '\u2028',
  '<<: *e0\n', 'x: &a [*a]\n', '? [a, b]\n: c\n', '!!binary aGk=\n', '!custom x\n', '"unterminated\n', "'unterminated\n", '{a: 1, a: 2}\n',
  '[a, b,]\n', '[a,,b]\n', '{a: 1,}\n', '~\n', 'null\n', '- \n', ': \n', '&anchor\n', '*undefined\n', '"\\u0000"\n', '# comment\n', '#no-space\n',
  '  # indented comment\n', 'key: value # trailing\n', '- - - - x\n', '? \n', '|\n', '>\n', 'a: |\n  literal\n', "k: 'it''s'\n", 'k: "a\\"b"\n',
  'mitigations: [\n', 'threats:\n', '  new-id: { title: T, status: open }\n', '    status: open\n', ' - x\n', '\n\n\n', ' ', '\u0000',
];

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({ op: pick(MUTATION_OPS), at: fc.nat(), arg: fc.nat() });
export const mutationsArb = (max = 4, min = 1) => fc.array(mutationArb, { minLength: min, maxLength: max });

const NEAR = [']', '}', ':', '-', '[', '{', '"', "'", '#', '\n', ',', '*', '&'];
const NESTING = [4, 20, 70, 300, 3000];

/** Applies one mutation; deterministic, total (any `at`/`arg` works on any text). */
export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = lines.length ? m.at % lines.length : 0;
  const off = m.at % (text.length + 1);
  switch (m.op) {
    case 'delete-line': lines.splice(li, 1); return lines.join('\n');
    case 'duplicate-line': lines.splice(li, 0, lines[li] ?? ''); return lines.join('\n');
    case 'insert-line': lines.splice(li, 0, lines[m.arg % lines.length] ?? ''); return lines.join('\n');
    case 'swap-lines': {
      const j = (li + 1) % lines.length;
      [lines[li], lines[j]] = [lines[j], lines[li]];
      return lines.join('\n');
    }
    case 'insert-punct': return text.slice(0, off) + PUNCT[m.arg % PUNCT.length] + text.slice(off);
    case 'insert-punct-near': {
      const ch = NEAR[m.arg % NEAR.length];
      const hits: number[] = [];
      for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) hits.push(i);
      if (!hits.length) return text + PUNCT[m.arg % PUNCT.length];
      const at = hits[m.at % hits.length] + (m.arg % 2);
      return text.slice(0, at) + PUNCT[(m.arg >> 1) % PUNCT.length] + text.slice(at);
    }
    case 'delete-chars': return text.slice(0, off) + text.slice(off + 1 + (m.arg % 8));
    case 'reindent': {
      const line = lines[li] ?? '';
      const indent = line.length - line.trimStart().length;
      const delta = (m.arg % 9) - 4;
      lines[li] = m.arg % 13 === 0 ? '\t' + line.trimStart() : ' '.repeat(Math.max(0, indent + (delta || 1))) + line.trimStart();
      return lines.join('\n');
    }
    case 'truncate': return text.slice(0, off);
    case 'insert-special': {
      const s = SPECIALS[m.arg % SPECIALS.length];
      if (s.endsWith('\n')) {
        const lineStart = text.lastIndexOf('\n', off - 1) + 1;
        return text.slice(0, lineStart) + s + text.slice(lineStart);
      }
      return text.slice(0, off) + s + text.slice(off);
    }
    case 'replace-word': {
      const words = [...text.matchAll(/[A-Za-z0-9_-]+/g)];
      if (!words.length) return text;
      const w = words[m.at % words.length];
      const by = words[m.arg % words.length][0];
      return text.slice(0, w.index) + by + text.slice(w.index! + w[0].length);
    }
    case 'crlf-line': {
      if (text.includes('\r\n')) return text.replace(/\r\n/g, (x, i: number) => (i % (m.arg + 2) === 0 ? '\n' : x));
      lines[li] = lines[li] + '\r';
      return lines.join('\n');
    }
    case 'deep-nesting': {
      const depth = NESTING[m.arg % NESTING.length];
      const kind = (m.arg >> 3) % 3;
      const body = kind === 0 ? '- '.repeat(depth) + 'x' : kind === 1 ? '? '.repeat(depth) + 'x' : '- '.repeat(depth) + '[x]';
      // on the key's line (not valid YAML: compact nesting after `key:`) or on the next line (valid)
      lines.splice(li, 0, (m.arg >> 5) % 2 ? `deep: ${body}` : `deep:\n  ${body}`);
      return lines.join('\n');
    }
  }
}

export function applyMutations(text: string, ms: readonly Mutation[]): string {
  return ms.reduce(mutate, text);
}

// ---------------------------------------------------------------------------------------------------------
// Data mutations (parsed JSON/YAML of foreign models)

export const DATA_OPS = ['delete', 'replace', 'retype', 'duplicate', 'empty', 'rename-key', 'hostile-string'] as const;
export interface DataMutation { op: (typeof DATA_OPS)[number]; at: number; value: unknown }

const dataValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  textArb(),
  pick<unknown>([null, -1, 0, 1e308, -1e308, 1.5, '', [], {}, true, 'NaN', '__proto__', { __proto__: null }, [[[[]]]]]),
);

export const dataMutationArb: fc.Arbitrary<DataMutation> = fc.record({ op: pick(DATA_OPS), at: fc.nat(), value: dataValueArb });

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown) => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => { out.push({ parent: v, key: i }); visit(x); });
    else for (const k of Object.keys(v)) { out.push({ parent: v as Record<string, unknown>, key: k }); visit((v as Record<string, unknown>)[k]); }
  };
  visit(root);
  return out;
}

const define = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** Applies data mutations to a deep copy of `data` (own `__proto__` keys are kept as keys). */
export function mutateData(data: unknown, ms: readonly DataMutation[]): unknown {
  let root = structuredCloneSafe(data);
  for (const m of ms) {
    const all = slots(root);
    if (!all.length) { root = structuredCloneSafe(m.value); continue; }
    const { parent, key } = all[m.at % all.length];
    const get = () => (parent as Record<string | number, unknown>)[key];
    const set = (v: unknown) => (Array.isArray(parent) ? (parent[key as number] = v) : define(parent, key as string, v));
    switch (m.op) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 'replace': set(structuredCloneSafe(m.value)); break;
      case 'retype': {
        const v = get();
        set(typeof v === 'string' ? [v] : typeof v === 'number' ? String(v) : Array.isArray(v) ? (v[0] ?? null) : v && typeof v === 'object' ? Object.values(v) : { value: v });
        break;
      }
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(key as number, 0, structuredCloneSafe(get()));
        else define(parent, `${key}-copy`, structuredCloneSafe(get()));
        break;
      case 'empty': { const v = get(); set(Array.isArray(v) ? [] : v && typeof v === 'object' ? {} : ''); break; }
      case 'rename-key':
        if (!Array.isArray(parent)) {
          const v = get();
          delete parent[key as string];
          define(parent, String(typeof m.value === 'string' ? m.value : WEIRD_IDS[m.at % WEIRD_IDS.length]), v);
        }
        break;
      case 'hostile-string': set(HOSTILE_TEXT[m.at % HOSTILE_TEXT.length]); break;
    }
  }
  return root;
}

/** A deep copy that keeps own `__proto__` keys as data (JSON round trip). */
function structuredCloneSafe(v: unknown): unknown {
  if (v === undefined) return null;
  return JSON.parse(JSON.stringify(v) ?? 'null');
}
