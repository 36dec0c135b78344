/**
 * The LINDDUN privacy threat catalog: which LINDDUN categories apply to which kind of element or flow that
 * handles personal data, and a threat per category, written by us, that the `add-linddun-stubs` fix starts each
 * stub from (a real title and description instead of blanks). Every entry also has a `statement` in the threat
 * grammar, like the STRIDE catalog's (src/core/rules/stride/catalog.ts).
 *
 * The categories are LINDDUN's (linddun.org): Linking, Identifying, Non-repudiation, Detecting, Data disclosure,
 * Unawareness (and unintervenability), Non-compliance. Which apply where follows LINDDUN's mapping to data-flow
 * diagram elements: an external entity (the person the data is about) is asked linking, identifying and
 * unawareness; processes, data stores and flows the other six. An external entity of kind `third-party` is not
 * a person but someone we share personal data with: it is asked data disclosure and non-compliance.
 */
import { clip } from '../../text/clip';
import { LIMITS, type Linddun } from '../../model/schema';
import type { CatalogStatement, CatalogTarget } from '../stride/catalog';
import { fill } from '../stride/catalog';

export interface LinddunEntry {
  title: string;
  description: string;
  cwe: string[];
  mitigations: string[];
  statement: CatalogStatement;
}

/** Which LINDDUN categories apply to which kind of target (LINDDUN per element). */
export const LINDDUN_PER_ELEMENT: Record<CatalogTarget, readonly Linddun[]> = {
  external: ['linking', 'identifying', 'unawareness'],
  process: ['linking', 'identifying', 'non-repudiation', 'detecting', 'data-disclosure', 'non-compliance'],
  store: ['linking', 'identifying', 'non-repudiation', 'detecting', 'data-disclosure', 'non-compliance'],
  flow: ['linking', 'identifying', 'non-repudiation', 'detecting', 'data-disclosure', 'non-compliance'],
};

/** An external entity we share personal data with, rather than the person it is about. */
export const THIRD_PARTY_LINDDUN: readonly Linddun[] = ['data-disclosure', 'non-compliance'];

const targetOf = (type: string | undefined): CatalogTarget => (type === 'external' || type === 'process' || type === 'store' ? type : 'flow');

/** The categories that apply to an element (by type and kind) or, with no type, to a flow. */
export function linddunCategories(type: string | undefined, kind?: string): readonly Linddun[] {
  if (type === 'external' && kind === 'third-party') return THIRD_PARTY_LINDDUN;
  return LINDDUN_PER_ELEMENT[targetOf(type)];
}

const s = (source: string, prerequisites: string, action: string, impact: string): CatalogStatement => ({ source, prerequisites, action, impact });
const e = (title: string, description: string, cwe: string[], mitigations: string[], statement: CatalogStatement): LinddunEntry => ({ title, description, cwe, mitigations, statement });

export const LINDDUN_CATALOG: Record<CatalogTarget, Partial<Record<Linddun, LinddunEntry>>> = {
  external: {
    linking: e('Activities of {name} are linked into a profile', 'Identifiers, cookies or device fingerprints that {name} presents in several places let their actions be combined into a profile they never agreed to.', [], ['Pseudonyms per context, no identifiers shared across services, no third-party trackers'], s('A service provider, partner or tracker', 'identifiers or fingerprints that {name} presents in more than one context', 'link the separate activities of {name}', 'a profile of {name} built without their knowledge or consent')),
    identifying: e('{name} is identified from data meant to be anonymous', 'Quasi-identifiers that {name} gives away (location, timestamps, device details) single them out, even where they should stay anonymous or pseudonymous.', ['CWE-359'], ['Collect the least identifying data; anonymous or pseudonymous credentials; coarse-grained location and time'], s('A receiver of the data of {name}, or anyone who obtains it', 'quasi-identifiers such as location, timestamps or device details', 'single out {name} and learn who they are', 'loss of the anonymity {name} expected')),
    unawareness: e('{name} is not told, or cannot control, how their personal data is used', 'Without clear notice, real consent choices and ways to access, correct or delete their data, {name} cannot exercise their rights over it.', [], ['A privacy notice at collection, consent management, self-service access, correction and deletion for {name}'], s('The system itself', 'no privacy notice, consent choice or self-service for {name}', 'collect and use the personal data of {name} in ways they do not know of or cannot influence', '{name} unable to exercise their rights, and a breach of transparency obligations')),
    'data-disclosure': e('Personal data shared with {name} is used beyond its purpose', 'Once personal data reaches {name}, it can be kept, combined or passed on for purposes of its own.', ['CWE-359'], ['Share only the fields {name} needs, pseudonymised where possible, under a data processing agreement'], s('{name}', 'personal data we send it beyond what its service needs', 'keep, combine or pass on that data for purposes of its own', 'disclosure of personal data outside the purpose it was collected for')),
    'non-compliance': e('Sharing personal data with {name} has no legal basis', 'Personal data goes to {name} without a processing agreement, a legal basis, or safeguards for a transfer abroad.', [], ['A data processing agreement with {name}, the transfer recorded, safeguards for transfers outside the jurisdiction'], s('Our organisation', 'no processing agreement with {name}, or no safeguards for a transfer abroad', 'share personal data with {name}', 'a breach of data protection law (fines, orders to stop the processing)')),
  },
  process: {
    linking: e('{name} combines personal data from different sources into profiles', 'Joining records on shared identifiers lets {name} learn more about people than any one source reveals.', [], ['Processing bound to a documented purpose, pseudonymous keys per purpose, no joins beyond it in {name}'], s('{name}, or someone who controls it', 'records from several sources that share an identifier', 'join them into profiles of people', 'inferences about people beyond the purpose the data was collected for')),
    identifying: e('{name} re-identifies people from pseudonymised data', 'Pseudonymised or aggregated data that reaches {name} can be tied back to individuals with auxiliary data.', ['CWE-359'], ['Pseudonymisation with keys kept apart from {name}; k-anonymity or differential privacy for its outputs'], s('An operator or attacker with access to {name}', 'pseudonymised data and auxiliary data to match it against', 'tie the records back to the people they are about', 'identification of people who were meant to stay pseudonymous')),
    'non-repudiation': e('{name} records evidence that ties people to sensitive actions', 'Signed requests, detailed logs or receipts kept by {name} let anyone with access prove what a person did, where they should be able to deny it.', [], ['Log only what the purpose needs in {name}; unlinkable credentials where deniability matters'], s('Anyone with access to the records of {name}', 'signed requests, detailed logs or receipts that {name} keeps', 'prove that a person took a sensitive action (a vote, a report, a health query)', 'harm to the person from an action they needed to keep deniable')),
    detecting: e('{name} reveals whether a person is known to it', 'Different responses, timings or errors of {name} let an observer infer that a person has an account or a record.', ['CWE-203', 'CWE-204'], ['Uniform responses and timings in {name} for known and unknown persons'], s('An outsider who can send requests to {name}', 'responses, timings or errors that differ for known and unknown people', 'infer that a person has an account or a record in {name}', 'disclosure of a person\'s relationship with the service')),
    'data-disclosure': e('{name} collects or shares more personal data than it needs', '{name} processes, logs or passes on personal data beyond what its purpose requires.', ['CWE-359', 'CWE-532'], ['Data minimisation in {name}: only the fields its purpose needs, masked in logs and error reports'], s('{name}', 'access to more personal data than its purpose needs', 'collect, log or pass on that data', 'exposure of personal data to more people and systems than necessary')),
    'non-compliance': e('Processing in {name} does not follow privacy law or policy', '{name} processes personal data without a legal basis, beyond its retention period or outside the documented purpose (GDPR, CCPA and the like).', [], ['A record of processing for {name}: legal basis per purpose, retention enforced, a DPIA where required'], s('Our organisation', 'no legal basis, retention rule or documented purpose for what {name} does', 'process personal data in {name} regardless', 'a breach of data protection law and of the people\'s trust')),
  },
  store: {
    linking: e('Records in {name} can be joined into profiles', 'Shared identifiers across the tables or datasets in {name} let anyone with access combine them into profiles of people.', [], ['Separate pseudonymous keys per dataset in {name}; access to joined views only where the purpose requires it'], s('An analyst, insider or attacker with read access to {name}', 'datasets in {name} that share an identifier', 'join them into profiles of people', 'inferences about people beyond the purpose each dataset was collected for')),
    identifying: e('People are identified from the data in {name}', 'Direct or quasi-identifiers kept in {name} let its readers, or anyone holding a copy, single out individuals.', ['CWE-359'], ['Pseudonymise or drop identifiers in {name} that its users do not need; anonymise exports'], s('A reader of {name}, or anyone holding a copy of it', 'direct or quasi-identifiers stored in {name}', 'single out the people the records are about', 'identification of people in data they expected to be pseudonymous')),
    'non-repudiation': e('{name} keeps evidence that attributes sensitive actions to people', 'Long-lived, attributable records in {name} prove what a person did, even where they should be able to deny it.', [], ['Keep attributable records in {name} only as long as the purpose needs; aggregate or unlink the rest'], s('Anyone with access to {name}, a court order or a leaked copy', 'attributable, long-lived records of sensitive actions in {name}', 'prove that a person took a sensitive action', 'harm to the person from an action they needed to keep deniable')),
    detecting: e('The presence of a person\'s record in {name} can be inferred', 'Observable side effects (errors, counts, response times) reveal that someone has a record in {name}.', ['CWE-203'], ['No observable difference between existing and missing records of {name}; access to counts and metadata restricted'], s('An outsider or unprivileged user', 'errors, counts or timings that depend on what {name} holds', 'infer that a person has a record in {name}', 'disclosure of a person\'s relationship with the service')),
    'data-disclosure': e('{name} holds more personal data, or keeps it longer, than needed', 'Excess fields, copies and expired records in {name} enlarge what a breach or an insider exposes.', ['CWE-359'], ['Minimise the fields kept in {name}, enforce retention, encrypt and restrict access'], s('An attacker or insider who reaches {name}', 'personal data kept beyond what is needed, or beyond its retention period', 'read or copy that data', 'a larger breach than the purpose ever required')),
    'non-compliance': e('Personal data in {name} is kept against retention or consent rules', 'Data in {name} outlives its retention period or its consent, or is stored where the law does not allow.', [], ['Retention rules enforced in {name}, deletion when consent is withdrawn, data residency checked'], s('Our organisation', 'no enforced retention, deletion on request or data-residency control for {name}', 'keep personal data in {name} regardless', 'a breach of data protection law (fines, orders to delete)')),
  },
  flow: {
    linking: e('Traffic on {name} links a person\'s separate actions', 'Stable identifiers, cookies or metadata on {name} let the receiver or an observer link separate actions of one person.', [], ['Short-lived, per-purpose identifiers on {name}; strip metadata the receiver does not need'], s('The receiver of {name}, or an observer on its path', 'stable identifiers, cookies or metadata in the messages', 'link separate actions of one person', 'a profile of the person built from their traffic')),
    identifying: e('Data on {name} identifies people who should stay pseudonymous', 'Identifiers or quasi-identifiers sent over {name} reveal who a person is to its receiver or an observer.', ['CWE-359'], ['Send pseudonyms instead of identifiers over {name}; encrypt it end to end'], s('The receiver of {name}, or an observer on its path', 'identifiers or quasi-identifiers in the messages', 'learn who the person behind the messages is', 'identification of people who were meant to stay pseudonymous')),
    'non-repudiation': e('Messages on {name} can be attributed to a person', 'Signatures or identifiers in messages on {name} prove who sent them, where senders need deniability.', [], ['Unlinkable or group credentials on {name} where senders need deniability'], s('The receiver of {name}, or anyone who keeps its messages', 'signatures or identifiers that tie each message to its sender', 'prove who sent a message', 'harm to a sender who needed to stay deniable')),
    detecting: e('An observer of {name} infers that a person uses the system', 'Even encrypted, the timing, size and endpoints of the traffic on {name} reveal that a person takes part.', ['CWE-203'], ['Padding, batching or a mixing intermediary for {name} where taking part is itself sensitive'], s('An observer of the network path of {name}', 'the timing, size and endpoints of the traffic, even encrypted', 'infer that a person uses the system', 'disclosure of a sensitive relationship (a clinic, a union, a helpline)')),
    'data-disclosure': e('{name} carries more personal data than the receiver needs', 'Whole records are sent over {name} where a few fields would do, disclosing them to the receiver and to anything on the way.', ['CWE-359'], ['Send only the fields the receiver needs over {name}, encrypted in transit'], s('The receiver of {name}, or anything on its path', 'whole records sent where a few fields would do', 'read the personal data it does not need', 'exposure of personal data beyond its purpose')),
    'non-compliance': e('{name} transfers personal data without a basis', 'Personal data sent over {name} goes to a receiver or a country that consent, contract or law does not cover.', [], ['Record the transfer over {name}: legal basis, processing agreement, safeguards for transfers abroad'], s('Our organisation', 'no consent, contract or legal safeguard for the transfer', 'send personal data over {name}', 'an unlawful transfer of personal data')),
  },
};

/** The catalog entry of a category for a target type (a flow when there is none), else the closest one. */
export function linddunEntry(type: string | undefined, category: Linddun): LinddunEntry {
  return LINDDUN_CATALOG[targetOf(type)][category] ?? LINDDUN_CATALOG.process[category] ?? LINDDUN_CATALOG.external[category]!;
}

/** The id the stub fix gives a category's threat on a target: `checkout-linking`. */
export const linddunStubId = (target: string, c: Linddun) => `${target}-${c}`.slice(0, 128);

/** A threat entry for the LINDDUN-stub fix, pre-filled from the catalog. */
export function linddunStub(type: string | undefined, category: Linddun, target: string, name = target): Record<string, unknown> {
  const c = linddunEntry(type, category);
  return {
    title: clip(fill(c.title, name), LIMITS.name),
    description: clip(`${fill(c.description, name)} Typical mitigation: ${fill(c.mitigations[0], name)}.`, LIMITS.text),
    linddun: [category],
    targets: [target],
    ...(c.cwe.length ? { cwe: c.cwe } : {}),
    status: 'open',
  };
}
