/**
 * The built-in threat catalog: common threats per element type and STRIDE category, written by us, with CWE
 * and CAPEC ids and typical mitigations. The STRIDE-stub fix starts each stub from the matching entry, so a
 * stub has a real title and description instead of blanks.
 *
 * Every entry also has a `statement` in the threat grammar, which the statement builder of the visual editor
 * offers (src/core/edit/suggestions.ts).
 *
 * `KIND_CATALOG` refines the generic entries for an element's `kind` (a database's tampering threat is SQL
 * injection, a human's spoofing threat is phishing); `catalogEntry` picks the most specific entry.
 */
import { clip } from '../../text/clip';
import type { ElementType, Stride } from '../../model/schema';
import type { ELEMENT_KINDS } from '../../model/schema';
import { LIMITS } from '../../model/schema';

export type ElementKind = (typeof ELEMENT_KINDS)[number];

/**
 * A catalog threat in the threat grammar of AWS Threat Composer: "[source] with [prerequisites] can [action],
 * which leads to [impact]" (the impacted assets come from the model). `{name}` is the element's or flow's name.
 */
export interface CatalogStatement {
  source: string;
  prerequisites: string;
  action: string;
  impact: string;
}

export interface CatalogEntry {
  title: string;
  description: string;
  cwe: string[];
  capec: string[];
  mitigations: string[];
  statement: CatalogStatement;
}

export type CatalogTarget = ElementType | 'flow';

/** Which STRIDE categories apply to which kind of target (STRIDE per element). */
export const STRIDE_PER_ELEMENT: Record<CatalogTarget, readonly Stride[]> = {
  external: ['spoofing', 'repudiation'],
  process: ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'],
  store: ['tampering', 'repudiation', 'information-disclosure', 'denial-of-service'],
  flow: ['tampering', 'information-disclosure', 'denial-of-service'],
};

const s = (source: string, prerequisites: string, action: string, impact: string): CatalogStatement => ({ source, prerequisites, action, impact });
const e = (title: string, description: string, cwe: string[], capec: string[], mitigations: string[], statement: CatalogStatement): CatalogEntry => ({ title, description, cwe, capec, mitigations, statement });

export const CATALOG: Record<CatalogTarget, Partial<Record<Stride, CatalogEntry>>> = {
  external: {
    spoofing: e('An attacker impersonates {name}', 'Stolen, guessed or replayed credentials let someone act as {name}.', ['CWE-287', 'CWE-290'], ['CAPEC-151'], ['Strong authentication (MFA for humans, mTLS or signed tokens for systems)'], s('An external attacker', 'stolen, guessed or replayed credentials of {name}', 'authenticate as {name} and act with its identity', 'actions and data access attributed to {name} that it never made')),
    repudiation: e('{name} denies an action it performed', 'Without attributable records, {name} can dispute a transaction or change.', ['CWE-778'], ['CAPEC-93'], ['Signed, timestamped audit records of the actions of {name}'], s('{name} or someone acting in its name', 'no signed or attributable record of its requests', 'deny having sent a request or made a change', 'disputed transactions that can be neither proven nor reversed')),
  },
  process: {
    spoofing: e('A caller impersonates a legitimate client of {name}', '{name} accepts requests from a party it cannot authenticate.', ['CWE-287', 'CWE-306'], ['CAPEC-151'], ['Authenticate every caller of {name}'], s('An attacker who can reach {name}', 'network access to its interface and no authentication of callers', 'send requests that {name} accepts as coming from a legitimate client', 'unauthorised use of {name} and of the data it serves')),
    tampering: e('Crafted input alters the behaviour of {name}', 'Injection or unvalidated input changes what {name} computes or stores.', ['CWE-20', 'CWE-74'], ['CAPEC-152'], ['Validate and encode all input of {name}'], s('An attacker who can send requests to {name}', 'network access to its API', 'submit crafted input that {name} does not validate', 'corrupted data or commands run with its privileges')),
    repudiation: e('Actions in {name} cannot be traced to who made them', 'Missing or forgeable logs let users of {name} deny what they did.', ['CWE-778', 'CWE-117'], ['CAPEC-268'], ['Audit logging of security-relevant actions in {name}'], s('A user or operator of {name}', 'no tamper-proof record of their actions', 'perform a security-relevant action in {name} and later deny it', 'incidents that cannot be investigated or attributed')),
    'information-disclosure': e('{name} leaks sensitive data', 'Error messages, logs or responses of {name} expose data to unauthorised parties.', ['CWE-200', 'CWE-209'], ['CAPEC-116'], ['Least-privilege data access and generic error messages in {name}'], s('An attacker or curious user of {name}', 'access to its responses, error pages or logs', 'read stack traces, internal details or other users\' records that {name} returns', 'disclosure of sensitive data and of details that help further attacks')),
    'denial-of-service': e('{name} is overwhelmed and stops serving', 'Floods or expensive requests exhaust the resources of {name}.', ['CWE-400', 'CWE-770'], ['CAPEC-125'], ['Rate limiting, quotas and autoscaling for {name}'], s('An attacker or misbehaving client', 'the ability to send requests to {name}', 'send a flood of requests, or requests that are expensive to serve', '{name} becoming slow or unavailable for legitimate users')),
    'elevation-of-privilege': e('A user gains privileges in {name} they should not have', 'Broken access control lets a caller of {name} act beyond their role.', ['CWE-269', 'CWE-285'], ['CAPEC-233'], ['Deny-by-default authorisation checks in {name}'], s('An authenticated user of {name}', 'a low-privilege account', 'call functions or reach data beyond their role because {name} does not enforce authorisation', 'unauthorised reads, changes or administrative actions')),
  },
  store: {
    tampering: e('Data in {name} is modified without authorisation', 'Someone with access to {name} alters records undetected.', ['CWE-284', 'CWE-345'], ['CAPEC-268'], ['Least-privilege write access and integrity checks on {name}'], s('An attacker or insider with write access to {name}', 'credentials or a code path that can write to {name}', 'alter or insert records without authorisation', 'corrupted data that processes and users go on trusting')),
    repudiation: e('Changes to {name} cannot be attributed', 'Without an audit trail on {name}, nobody can tell who changed what.', ['CWE-778'], ['CAPEC-93'], ['Audit logging on {name}'], s('An insider or a compromised service account', 'write access to {name} and no audit trail on it', 'change or delete data in {name} without a trace', 'changes that can be neither attributed nor reviewed')),
    'information-disclosure': e('Data in {name} is read by unauthorised parties', 'Weak access control, backups or missing encryption expose the contents of {name}.', ['CWE-311', 'CWE-922'], ['CAPEC-37'], ['Encryption at rest and least-privilege read access on {name}'], s('An attacker or unauthorised insider', 'read access to {name}, its backups or its storage media', 'read the data held in {name}', 'disclosure of the data outside its intended audience')),
    'denial-of-service': e('{name} becomes unavailable or loses data', 'Exhaustion, corruption or deletion makes {name} unavailable.', ['CWE-400'], ['CAPEC-227'], ['Backups, replication and quotas for {name}'], s('An attacker, a faulty process or an operational error', 'the ability to fill, lock, corrupt or delete {name}', 'exhaust the capacity of {name} or destroy its data', 'unavailability or permanent loss of the data')),
  },
  flow: {
    tampering: e('Data on {name} is altered in transit', 'A party on the path of {name} modifies messages.', ['CWE-345', 'CWE-924'], ['CAPEC-94'], ['TLS with certificate validation, or message signatures, on {name}'], s('An attacker on the network path of {name}', 'a position between its endpoints (a shared network, a proxy, a compromised router)', 'modify or inject messages in transit', 'the receiver acting on forged or altered data')),
    'information-disclosure': e('Data on {name} is intercepted', 'Traffic of {name} is read by someone on the network path.', ['CWE-319'], ['CAPEC-157'], ['Encrypt {name} in transit (TLS 1.2+)'], s('An attacker who can observe the traffic of {name}', 'access to a network segment the traffic crosses', 'capture and read the data in transit', 'disclosure of the data and of any credentials it carries')),
    'denial-of-service': e('{name} is interrupted', 'The channel of {name} is flooded or cut, so the data does not arrive.', ['CWE-400'], ['CAPEC-125'], ['Timeouts, retries with back-off and capacity limits on {name}'], s('An attacker or a network failure', 'the ability to flood or cut the channel of {name}', 'block or delay its messages', 'the data not arriving, so the receiver cannot do its work')),
  },
};

/** Threats specific to an element kind, where they say more than the generic entry for its type. */
export const KIND_CATALOG: Partial<Record<ElementKind, Partial<Record<Stride, CatalogEntry>>>> = {
  human: {
    spoofing: e('{name} is phished and their account is used by an attacker', 'A phishing e-mail, fake login page or help-desk pretext makes {name} give up credentials or approve a login.', ['CWE-308'], ['CAPEC-98', 'CAPEC-163', 'CAPEC-416'], ['Phishing-resistant MFA (FIDO2/WebAuthn) and awareness training for {name}'], s('An external attacker', 'the contact details of {name}', 'phish {name} for credentials or an MFA approval and sign in as them', 'the attacker acting with the access of {name}')),
    repudiation: e('{name} denies an action taken with their account', 'Shared accounts or missing audit records make it impossible to prove what {name} did.', ['CWE-778'], ['CAPEC-93'], ['Personal accounts and an audit trail of the actions of {name}'], s('{name}', 'a shared account or no audit trail of their actions', 'deny an action taken with their account', 'disputes and incidents that cannot be resolved or attributed')),
  },
  browser: {
    spoofing: e('A stolen session of {name} is replayed', 'Session cookies or tokens taken from {name} (XSS, malware, an unencrypted hop) let an attacker act as the user.', ['CWE-384', 'CWE-613'], ['CAPEC-593', 'CAPEC-60'], ['Secure, HttpOnly, SameSite cookies that rotate at login and expire'], s('An attacker targeting users of {name}', 'a session cookie or token stolen through XSS, malware or an unencrypted hop', 'replay the session against our services', 'actions and data access in the user\'s name')),
  },
  'mobile-app': {
    'information-disclosure': e('Secrets or personal data are extracted from {name}', 'Tokens, keys or cached data stored on the device in clear are read from a lost, rooted or backed-up phone.', ['CWE-312', 'CWE-922'], ['CAPEC-37'], ['Platform keystore for secrets, no sensitive data in caches or backups of {name}'], s('An attacker holding a lost, stolen or rooted phone', '{name} installed on it, or a backup of it', 'extract tokens, keys or cached personal data that {name} stores in clear', 'account takeover and disclosure of personal data')),
    tampering: e('A modified build of {name} talks to our APIs', 'A repackaged or instrumented app bypasses client-side checks of {name}.', ['CWE-602'], ['CAPEC-202'], ['Enforce every rule server-side; app attestation where it matters'], s('An attacker who repackages or instruments {name}', 'a copy of the app and a device they control', 'bypass the client-side checks of {name} and send requests it would never send', 'abuse of our APIs beyond what the app allows')),
  },
  'web-app': {
    tampering: e('Cross-site scripting in {name} runs attacker script in users\' browsers', 'Input rendered by {name} without context-aware encoding executes as script in other users\' sessions.', ['CWE-79', 'CWE-116'], ['CAPEC-63', 'CAPEC-592'], ['Auto-escaping templates and a strict Content-Security-Policy in {name}'], s('An attacker who can submit content or craft a link', 'knowledge of an input that {name} renders without context-aware encoding', 'inject script that runs in other users\' browsers', 'session theft and actions performed as the victim')),
    spoofing: e('Requests are forged on behalf of users of {name}', 'A malicious site makes the browser of a signed-in user send state-changing requests to {name}.', ['CWE-352'], ['CAPEC-62'], ['SameSite cookies and anti-CSRF tokens in {name}'], s('A malicious website', 'a visit from a user who is signed in to {name}', 'make the user\'s browser send state-changing requests to {name}', 'changes made in the user\'s name without their consent')),
  },
  api: {
    tampering: e('Injection through the input of {name}', 'Unvalidated parameters of {name} reach a query, command or template interpreter.', ['CWE-20', 'CWE-89', 'CWE-77'], ['CAPEC-66', 'CAPEC-248'], ['Schema validation and parameterised queries in {name}'], s('A caller of {name}', 'access to a parameter that reaches a query, command or template interpreter unvalidated', 'send a crafted value that the interpreter runs as a command', 'data read or changed at will, or code run in {name}')),
    'elevation-of-privilege': e('A caller of {name} reaches objects or functions that are not theirs', 'Missing object- or function-level authorization lets a caller of {name} change an id and act on other users\' data.', ['CWE-639', 'CWE-862', 'CWE-285'], ['CAPEC-1', 'CAPEC-122'], ['Deny-by-default, per-object authorization checks in {name}'], s('An authenticated caller of {name}', 'a valid account and the id of another user\'s object', 'change an id or call a function that is not theirs', 'reading or changing other users\' data')),
    'denial-of-service': e('{name} is flooded or abused by automated clients', 'Unlimited or expensive requests exhaust {name}, or automate credential stuffing and scraping.', ['CWE-770', 'CWE-799'], ['CAPEC-125', 'CAPEC-600'], ['Per-client rate limits and quotas for {name}'], s('An automated client or bot', 'network access to {name}', 'send unlimited or expensive requests, or automate credential stuffing and scraping', 'exhaustion of {name}, account takeover or mass data extraction')),
  },
  gateway: {
    'denial-of-service': e('{name} is overwhelmed by a request flood', 'A volumetric or application-layer flood exhausts {name} and everything behind it becomes unreachable.', ['CWE-400', 'CWE-770'], ['CAPEC-125', 'CAPEC-488'], ['DDoS protection, rate limiting and autoscaling at {name}'], s('An attacker controlling a botnet', 'the public address of {name}', 'flood {name} with volumetric or application-layer traffic', '{name} and every service behind it becoming unreachable')),
    spoofing: e('Requests bypass {name} and reach the services behind it directly', 'Services that trust whatever comes through {name} can be called directly, skipping its authentication.', ['CWE-290', 'CWE-306'], ['CAPEC-151'], ['Network policies that only admit {name}, and service-to-service authentication'], s('An attacker inside our network', 'a direct route to the services behind {name}', 'call those services directly, skipping the authentication of {name}', 'unauthenticated access to internal services')),
  },
  'admin-console': {
    spoofing: e('An attacker signs in to {name} with stolen operator credentials', 'Phished, reused or guessed operator credentials open {name} to an attacker.', ['CWE-308', 'CWE-287'], ['CAPEC-560', 'CAPEC-600'], ['MFA and private network access only for {name}'], s('An external attacker', 'phished, reused or guessed operator credentials', 'sign in to {name} as an operator', 'administrative control in the attacker\'s hands')),
    'elevation-of-privilege': e('An operator of {name} performs actions beyond their role', 'Coarse roles in {name} let any operator perform every administrative action.', ['CWE-269', 'CWE-285'], ['CAPEC-122'], ['Fine-grained roles, four-eyes approval for sensitive actions in {name}'], s('An operator of {name}', 'a role broader than their job needs', 'perform administrative actions beyond their role', 'unauthorised changes to configuration, users or data')),
  },
  database: {
    tampering: e('Records in {name} are altered through SQL injection', 'A query built from untrusted input lets an attacker read or modify any record in {name}.', ['CWE-89'], ['CAPEC-66'], ['Parameterised queries and least-privilege database accounts for {name}'], s('An attacker who can send input to an application', 'a query to {name} built from that input', 'inject SQL that reads or modifies any record in {name}', 'disclosure and corruption of the whole database')),
    'information-disclosure': e('Data in {name} is read from snapshots, backups or replicas', 'Copies of {name} outside its access control (snapshots, dumps, replicas) expose the data.', ['CWE-311', 'CWE-530'], ['CAPEC-545'], ['Encryption at rest with managed keys, access-controlled backups of {name}'], s('An attacker or insider', 'access to snapshots, dumps or replicas of {name}', 'restore or read a copy of {name} outside its access control', 'disclosure of every record it holds')),
  },
  cache: {
    'information-disclosure': e('Sensitive entries are read from {name}', 'A shared, unauthenticated cache lets any client on the network read what {name} holds.', ['CWE-524'], ['CAPEC-204'], ['Authenticated, encrypted cache with short TTLs; cache tokens rather than data'], s('An attacker or service on the same network as {name}', 'network access to {name} and no authentication', 'read the entries {name} holds', 'disclosure of sessions, tokens or personal data')),
    tampering: e('{name} is poisoned with forged entries', 'An attacker writes or influences cached entries so that other users are served forged content.', ['CWE-345'], ['CAPEC-141'], ['Authenticated writes, cache keys that include every varying input'], s('An attacker who can write to or influence {name}', 'unauthenticated write access, or cache keys that leave out an input the response depends on', 'poison {name} with forged entries', 'other users being served forged content')),
  },
  queue: {
    tampering: e('Forged messages are published to {name}', 'A producer that is not authenticated publishes messages that consumers of {name} act on.', ['CWE-345', 'CWE-306'], ['CAPEC-148'], ['Authenticated producers with per-topic permissions; validated or signed messages'], s('An attacker or compromised service that can reach {name}', 'a producer connection that is unauthenticated or too broadly permitted', 'publish forged messages to {name}', 'consumers acting on forged messages')),
    'denial-of-service': e('{name} is flooded and consumers fall behind', 'A burst of messages fills {name}, delaying or dropping legitimate work.', ['CWE-770'], ['CAPEC-125'], ['Quotas per producer, dead-letter queues and back-pressure on {name}'], s('A misbehaving or malicious producer', 'publish access to {name}', 'flood {name} with messages', 'consumers falling behind, and delayed or dropped work')),
  },
  'file-store': {
    tampering: e('Malicious files are uploaded to {name}', 'Uploaded files are stored and later served or processed without checks, spreading malware or script.', ['CWE-434'], ['CAPEC-17'], ['Type and size checks, malware scanning, serving from a separate domain'], s('An attacker who can upload files', 'an upload path that stores them in {name} without type checks or malware scanning', 'upload malware or files that contain script', 'malware spread, or script run when the files are served or processed')),
    'information-disclosure': e('Files in {name} are publicly readable', 'A bucket policy, public link or guessable path exposes the contents of {name}.', ['CWE-552', 'CWE-732'], ['CAPEC-150'], ['Block public access, short-lived signed URLs for {name}'], s('Anyone on the internet', 'a public link or guessable path into {name}, or a bucket policy that allows public reads', 'list or download files from {name}', 'disclosure of the stored files')),
  },
  vault: {
    'information-disclosure': e('Secrets are exfiltrated from {name}', 'A token with broad policies, or a compromised client, reads every secret in {name}.', ['CWE-522'], ['CAPEC-555'], ['Narrow policies per client, short-lived dynamic secrets, audit alerts on {name}'], s('An attacker who compromises a client of {name}', 'a token with broad policies on {name}', 'read every secret {name} holds', 'access to every system those secrets open')),
  },
  'log-store': {
    tampering: e('Logs in {name} are deleted or altered to hide an attack', 'An attacker with write access to {name} removes the traces of their actions.', ['CWE-117'], ['CAPEC-268'], ['Append-only, write-once storage for {name} in a separate account'], s('An attacker who has gained access to our systems', 'write or delete access to {name}', 'delete or alter the logs in {name}', 'the traces of the attack being lost, so it cannot be investigated')),
    'information-disclosure': e('Personal data or secrets are read from {name}', 'Logs collect personal data and tokens and are readable by many people and tools.', ['CWE-532'], [], ['Masking before logging, restricted access and retention for {name}'], s('An insider or a tool with access to {name}', 'read access to the logs', 'read personal data, tokens or secrets written to the logs', 'disclosure outside the data\'s access and retention controls')),
  },
  'third-party': {
    spoofing: e('Someone impersonates {name}', 'Requests or callbacks that claim to come from {name} are accepted without verifying their origin.', ['CWE-290', 'CWE-345'], ['CAPEC-151'], ['Signed callbacks (HMAC) or mTLS from {name}'], s('An attacker posing as {name}', 'knowledge of our callback or API endpoint', 'send requests or callbacks that claim to come from {name}', 'forged events (payments, status changes) accepted as genuine')),
  },
  function: {
    'elevation-of-privilege': e('A flaw in {name} is used with its broad cloud role', '{name} runs with more permissions than it needs; an injection or dependency compromise inherits them.', ['CWE-250'], ['CAPEC-233'], ['Least-privilege execution role for {name}'], s('An attacker who exploits {name}', 'an injection flaw in its code or a compromised dependency', 'run code with the broad cloud role of {name}', 'access to cloud resources far beyond what {name} needs')),
  },
};

/** A catalog text with the element's or flow's name in the `{name}` slots. */
export const fill = (text: string, name: string) => text.replace(/\{name\}/g, () => name);

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
