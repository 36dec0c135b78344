/**
 * The built-in threat catalog: common threats per element type and STRIDE category, written by us, with CWE
 * and CAPEC ids and typical mitigations. The STRIDE-stub fix starts each stub from the matching entry, so a
 * stub has a real title and description instead of blanks.
 *
 * `KIND_CATALOG` refines the generic entries for an element's `kind` (a database's tampering threat is SQL
 * injection, a human's spoofing threat is phishing); `catalogEntry` picks the most specific entry.
 */
import { clip } from '../../text/clip';
import type { ElementType, Stride } from '../../model/schema';
import type { ELEMENT_KINDS } from '../../model/schema';
import { LIMITS } from '../../model/schema';

export type ElementKind = (typeof ELEMENT_KINDS)[number];

export interface CatalogEntry {
  title: string;
  description: string;
  cwe: string[];
  capec: string[];
  mitigations: string[];
}

export type CatalogTarget = ElementType | 'flow';

/** Which STRIDE categories apply to which kind of target (STRIDE per element). */
export const STRIDE_PER_ELEMENT: Record<CatalogTarget, readonly Stride[]> = {
  external: ['spoofing', 'repudiation'],
  process: ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'],
  store: ['tampering', 'repudiation', 'information-disclosure', 'denial-of-service'],
  flow: ['tampering', 'information-disclosure', 'denial-of-service'],
};

const e = (title: string, description: string, cwe: string[], capec: string[], mitigations: string[]): CatalogEntry => ({ title, description, cwe, capec, mitigations });

export const CATALOG: Record<CatalogTarget, Partial<Record<Stride, CatalogEntry>>> = {
  external: {
    spoofing: e('An attacker impersonates {name}', 'Stolen, guessed or replayed credentials let someone act as {name}.', ['CWE-287', 'CWE-290'], ['CAPEC-151'], ['Strong authentication (MFA for humans, mTLS or signed tokens for systems)']),
    repudiation: e('{name} denies an action it performed', 'Without attributable records, {name} can dispute a transaction or change.', ['CWE-778'], ['CAPEC-93'], ['Signed, timestamped audit records of the actions of {name}']),
  },
  process: {
    spoofing: e('A caller impersonates a legitimate client of {name}', '{name} accepts requests from a party it cannot authenticate.', ['CWE-287', 'CWE-306'], ['CAPEC-151'], ['Authenticate every caller of {name}']),
    tampering: e('Crafted input alters the behaviour of {name}', 'Injection or unvalidated input changes what {name} computes or stores.', ['CWE-20', 'CWE-74'], ['CAPEC-152'], ['Validate and encode all input of {name}']),
    repudiation: e('Actions in {name} cannot be traced to who made them', 'Missing or forgeable logs let users of {name} deny what they did.', ['CWE-778', 'CWE-117'], ['CAPEC-268'], ['Audit logging of security-relevant actions in {name}']),
    'information-disclosure': e('{name} leaks sensitive data', 'Error messages, logs or responses of {name} expose data to unauthorised parties.', ['CWE-200', 'CWE-209'], ['CAPEC-116'], ['Least-privilege data access and generic error messages in {name}']),
    'denial-of-service': e('{name} is overwhelmed and stops serving', 'Floods or expensive requests exhaust the resources of {name}.', ['CWE-400', 'CWE-770'], ['CAPEC-125'], ['Rate limiting, quotas and autoscaling for {name}']),
    'elevation-of-privilege': e('A user gains privileges in {name} they should not have', 'Broken access control lets a caller of {name} act beyond their role.', ['CWE-269', 'CWE-285'], ['CAPEC-233'], ['Deny-by-default authorisation checks in {name}']),
  },
  store: {
    tampering: e('Data in {name} is modified without authorisation', 'Someone with access to {name} alters records undetected.', ['CWE-284', 'CWE-345'], ['CAPEC-268'], ['Least-privilege write access and integrity checks on {name}']),
    repudiation: e('Changes to {name} cannot be attributed', 'Without an audit trail on {name}, nobody can tell who changed what.', ['CWE-778'], ['CAPEC-93'], ['Audit logging on {name}']),
    'information-disclosure': e('Data in {name} is read by unauthorised parties', 'Weak access control, backups or missing encryption expose the contents of {name}.', ['CWE-311', 'CWE-922'], ['CAPEC-37'], ['Encryption at rest and least-privilege read access on {name}']),
    'denial-of-service': e('{name} becomes unavailable or loses data', 'Exhaustion, corruption or deletion makes {name} unavailable.', ['CWE-400'], ['CAPEC-227'], ['Backups, replication and quotas for {name}']),
  },
  flow: {
    tampering: e('Data on {name} is altered in transit', 'A party on the path of {name} modifies messages.', ['CWE-345', 'CWE-924'], ['CAPEC-94'], ['TLS with certificate validation, or message signatures, on {name}']),
    'information-disclosure': e('Data on {name} is intercepted', 'Traffic of {name} is read by someone on the network path.', ['CWE-319'], ['CAPEC-157'], ['Encrypt {name} in transit (TLS 1.2+)']),
    'denial-of-service': e('{name} is interrupted', 'The channel of {name} is flooded or cut, so the data does not arrive.', ['CWE-400'], ['CAPEC-125'], ['Timeouts, retries with back-off and capacity limits on {name}']),
  },
};

/** Threats specific to an element kind, where they say more than the generic entry for its type. */
export const KIND_CATALOG: Partial<Record<ElementKind, Partial<Record<Stride, CatalogEntry>>>> = {
  human: {
    spoofing: e('{name} is phished and their account is used by an attacker', 'A phishing e-mail, fake login page or help-desk pretext makes {name} give up credentials or approve a login.', ['CWE-308'], ['CAPEC-98', 'CAPEC-163', 'CAPEC-416'], ['Phishing-resistant MFA (FIDO2/WebAuthn) and awareness training for {name}']),
    repudiation: e('{name} denies an action taken with their account', 'Shared accounts or missing audit records make it impossible to prove what {name} did.', ['CWE-778'], ['CAPEC-93'], ['Personal accounts and an audit trail of the actions of {name}']),
  },
  browser: {
    spoofing: e('A stolen session of {name} is replayed', 'Session cookies or tokens taken from {name} (XSS, malware, an unencrypted hop) let an attacker act as the user.', ['CWE-384', 'CWE-613'], ['CAPEC-593', 'CAPEC-60'], ['Secure, HttpOnly, SameSite cookies that rotate at login and expire']),
  },
  'mobile-app': {
    'information-disclosure': e('Secrets or personal data are extracted from {name}', 'Tokens, keys or cached data stored on the device in clear are read from a lost, rooted or backed-up phone.', ['CWE-312', 'CWE-922'], ['CAPEC-37'], ['Platform keystore for secrets, no sensitive data in caches or backups of {name}']),
    tampering: e('A modified build of {name} talks to our APIs', 'A repackaged or instrumented app bypasses client-side checks of {name}.', ['CWE-602'], ['CAPEC-202'], ['Enforce every rule server-side; app attestation where it matters']),
  },
  'web-app': {
    tampering: e('Cross-site scripting in {name} runs attacker script in users\' browsers', 'Input rendered by {name} without context-aware encoding executes as script in other users\' sessions.', ['CWE-79', 'CWE-116'], ['CAPEC-63', 'CAPEC-592'], ['Auto-escaping templates and a strict Content-Security-Policy in {name}']),
    spoofing: e('Requests are forged on behalf of users of {name}', 'A malicious site makes the browser of a signed-in user send state-changing requests to {name}.', ['CWE-352'], ['CAPEC-62'], ['SameSite cookies and anti-CSRF tokens in {name}']),
  },
  api: {
    tampering: e('Injection through the input of {name}', 'Unvalidated parameters of {name} reach a query, command or template interpreter.', ['CWE-20', 'CWE-89', 'CWE-77'], ['CAPEC-66', 'CAPEC-248'], ['Schema validation and parameterised queries in {name}']),
    'elevation-of-privilege': e('A caller of {name} reaches objects or functions that are not theirs', 'Missing object- or function-level authorization lets a caller of {name} change an id and act on other users\' data.', ['CWE-639', 'CWE-862', 'CWE-285'], ['CAPEC-1', 'CAPEC-122'], ['Deny-by-default, per-object authorization checks in {name}']),
    'denial-of-service': e('{name} is flooded or abused by automated clients', 'Unlimited or expensive requests exhaust {name}, or automate credential stuffing and scraping.', ['CWE-770', 'CWE-799'], ['CAPEC-125', 'CAPEC-600'], ['Per-client rate limits and quotas for {name}']),
  },
  gateway: {
    'denial-of-service': e('{name} is overwhelmed by a request flood', 'A volumetric or application-layer flood exhausts {name} and everything behind it becomes unreachable.', ['CWE-400', 'CWE-770'], ['CAPEC-125', 'CAPEC-488'], ['DDoS protection, rate limiting and autoscaling at {name}']),
    spoofing: e('Requests bypass {name} and reach the services behind it directly', 'Services that trust whatever comes through {name} can be called directly, skipping its authentication.', ['CWE-290', 'CWE-306'], ['CAPEC-151'], ['Network policies that only admit {name}, and service-to-service authentication']),
  },
  'admin-console': {
    spoofing: e('An attacker signs in to {name} with stolen operator credentials', 'Phished, reused or guessed operator credentials open {name} to an attacker.', ['CWE-308', 'CWE-287'], ['CAPEC-560', 'CAPEC-600'], ['MFA and private network access only for {name}']),
    'elevation-of-privilege': e('An operator of {name} performs actions beyond their role', 'Coarse roles in {name} let any operator perform every administrative action.', ['CWE-269', 'CWE-285'], ['CAPEC-122'], ['Fine-grained roles, four-eyes approval for sensitive actions in {name}']),
  },
  database: {
    tampering: e('Records in {name} are altered through SQL injection', 'A query built from untrusted input lets an attacker read or modify any record in {name}.', ['CWE-89'], ['CAPEC-66'], ['Parameterised queries and least-privilege database accounts for {name}']),
    'information-disclosure': e('Data in {name} is read from snapshots, backups or replicas', 'Copies of {name} outside its access control (snapshots, dumps, replicas) expose the data.', ['CWE-311', 'CWE-530'], ['CAPEC-545'], ['Encryption at rest with managed keys, access-controlled backups of {name}']),
  },
  cache: {
    'information-disclosure': e('Sensitive entries are read from {name}', 'A shared, unauthenticated cache lets any client on the network read what {name} holds.', ['CWE-524'], ['CAPEC-204'], ['Authenticated, encrypted cache with short TTLs; cache tokens rather than data']),
    tampering: e('{name} is poisoned with forged entries', 'An attacker writes or influences cached entries so that other users are served forged content.', ['CWE-345'], ['CAPEC-141'], ['Authenticated writes, cache keys that include every varying input']),
  },
  queue: {
    tampering: e('Forged messages are published to {name}', 'A producer that is not authenticated publishes messages that consumers of {name} act on.', ['CWE-345', 'CWE-306'], ['CAPEC-148'], ['Authenticated producers with per-topic permissions; validated or signed messages']),
    'denial-of-service': e('{name} is flooded and consumers fall behind', 'A burst of messages fills {name}, delaying or dropping legitimate work.', ['CWE-770'], ['CAPEC-125'], ['Quotas per producer, dead-letter queues and back-pressure on {name}']),
  },
  'file-store': {
    tampering: e('Malicious files are uploaded to {name}', 'Uploaded files are stored and later served or processed without checks, spreading malware or script.', ['CWE-434'], ['CAPEC-17'], ['Type and size checks, malware scanning, serving from a separate domain']),
    'information-disclosure': e('Files in {name} are publicly readable', 'A bucket policy, public link or guessable path exposes the contents of {name}.', ['CWE-552', 'CWE-732'], ['CAPEC-150'], ['Block public access, short-lived signed URLs for {name}']),
  },
  vault: {
    'information-disclosure': e('Secrets are exfiltrated from {name}', 'A token with broad policies, or a compromised client, reads every secret in {name}.', ['CWE-522'], ['CAPEC-555'], ['Narrow policies per client, short-lived dynamic secrets, audit alerts on {name}']),
  },
  'log-store': {
    tampering: e('Logs in {name} are deleted or altered to hide an attack', 'An attacker with write access to {name} removes the traces of their actions.', ['CWE-117'], ['CAPEC-268'], ['Append-only, write-once storage for {name} in a separate account']),
    'information-disclosure': e('Personal data or secrets are read from {name}', 'Logs collect personal data and tokens and are readable by many people and tools.', ['CWE-532'], [], ['Masking before logging, restricted access and retention for {name}']),
  },
  'third-party': {
    spoofing: e('Someone impersonates {name}', 'Requests or callbacks that claim to come from {name} are accepted without verifying their origin.', ['CWE-290', 'CWE-345'], ['CAPEC-151'], ['Signed callbacks (HMAC) or mTLS from {name}']),
  },
  function: {
    'elevation-of-privilege': e('A flaw in {name} is used with its broad cloud role', '{name} runs with more permissions than it needs; an injection or dependency compromise inherits them.', ['CWE-250'], ['CAPEC-233'], ['Least-privilege execution role for {name}']),
  },
};

const fill = (s: string, name: string) => s.replace(/\{name\}/g, name);

const targetOf = (type: string | undefined): CatalogTarget => (type === 'external' || type === 'process' || type === 'store' ? type : 'flow');

/** The most specific catalog entry: by element kind, then by type, then the process entry for that category. */
export function catalogEntry(type: string | undefined, category: Stride, kind?: string): CatalogEntry {
  const specific = kind ? KIND_CATALOG[kind as ElementKind]?.[category] : undefined;
  return specific ?? CATALOG[targetOf(type)][category] ?? CATALOG.process[category]!;
}

/**
 * A threat entry for the STRIDE-stub fix, pre-filled from the catalog (the kind-specific entry when `kind`
 * is given and the catalog has one).
 */
export function catalogStub(type: string | undefined, category: Stride, target: string, name = target, kind?: string): Record<string, unknown> {
  const c = catalogEntry(type, category, kind);
  // A long element name must not make the stub longer than the schema allows.
  return {
    title: clip(fill(c.title, name), LIMITS.name),
    description: clip(`${fill(c.description, name)} Typical mitigation: ${fill(c.mitigations[0], name)}.`, LIMITS.text),
    stride: [category],
    targets: [target],
    ...(c.cwe.length ? { cwe: c.cwe } : {}),
    ...(c.capec.length ? { capec: c.capec } : {}),
    status: 'open',
  };
}
