/**
 * The built-in threat catalog: common threats per element type and STRIDE category, written by us, with CWE
 * and CAPEC ids and typical mitigations. The STRIDE-stub fix starts each stub from the matching entry, so a
 * stub has a real title and description instead of blanks.
 */
import type { ElementType, Stride } from '../../model/schema';

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

const fill = (s: string, name: string) => s.replace(/\{name\}/g, name);

/** A threat entry for the STRIDE-stub fix, pre-filled from the catalog. */
export function catalogStub(type: string | undefined, category: Stride, target: string, name = target): Record<string, unknown> {
  const kind: CatalogTarget = type === 'external' || type === 'process' || type === 'store' ? type : 'flow';
  const c = CATALOG[kind][category] ?? CATALOG.process[category]!;
  return {
    title: fill(c.title, name),
    description: `${fill(c.description, name)} Typical mitigation: ${fill(c.mitigations[0], name)}.`,
    stride: [category],
    targets: [target],
    cwe: c.cwe,
    capec: c.capec,
    status: 'open',
  };
}
