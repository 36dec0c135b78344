/**
 * One-line explanations of the format's vocabularies, shown in hovers and completion items. Our own text:
 * plain words, no Markdown, so it can go through the same escaping as user text.
 */
import type { Path } from '../types';

export const STRIDE_EXPLAINED: Record<string, string> = {
  spoofing: 'Spoofing (S): pretending to be someone or something else. Violates authentication.',
  tampering: 'Tampering (T): changing data or code without permission. Violates integrity.',
  repudiation: 'Repudiation (R): denying having done something, with no way to prove otherwise. Violates non-repudiation (accountability).',
  'information-disclosure': 'Information disclosure (I): exposing data to someone not allowed to see it. Violates confidentiality.',
  'denial-of-service': 'Denial of service (D): making the system unavailable or degraded. Violates availability.',
  'elevation-of-privilege': 'Elevation of privilege (E): gaining capabilities without authorization. Violates authorization.',
};

/** LINDDUN privacy threat categories (threat `linddun:`). */
export const LINDDUN_EXPLAINED: Record<string, string> = {
  linking: 'Linking (L): associating data items or actions of a person to learn more about them, such as building a profile. Violates unlinkability.',
  identifying: 'Identifying (I): learning who a person is from data about them, even pseudonymised data. Violates anonymity and pseudonymity.',
  'non-repudiation': 'Non-repudiation (N): a person cannot deny an action or claim attributed to them where they should be able to. Violates plausible deniability.',
  detecting: 'Detecting (D): deducing that a person is involved (has an account, a record, takes part) by observing the system. Violates undetectability.',
  'data-disclosure': 'Data disclosure (D): collecting, storing, processing or sharing more personal data than the purpose needs. Violates data minimisation and confidentiality.',
  unawareness: 'Unawareness and unintervenability (U): people are not told about, or cannot control, the processing of their personal data. Violates transparency and intervenability.',
  'non-compliance': 'Non-compliance (N): processing that does not follow privacy law, policy or good practice (legal basis, retention, consent). Violates compliance.',
};

/** Threat-elicitation methods (`policy.methods`) and the process (`policy.methodology`). */
export const METHOD_EXPLAINED: Record<string, string> = {
  stride: 'STRIDE per element: each element and flow is asked for the STRIDE categories that apply to it (rule stride/coverage).',
  linddun: 'LINDDUN per element: each element and flow that handles personal data (an asset with personal: true) is asked for the LINDDUN privacy categories that apply to it (rule linddun/coverage).',
};
export const METHODOLOGY_EXPLAINED: Record<string, string> = {
  stride: 'STRIDE: threats by element and category, rated against the risk tolerance (the default).',
  pasta: 'PASTA: the seven-stage, risk-centric process. Each stage that is not complete is a finding (rules pasta/*), and the report gets a PASTA chapter.',
};

export const LIKELIHOOD_EXPLAINED: Record<string, string> = {
  rare: 'Rare: could happen only in exceptional circumstances.',
  unlikely: 'Unlikely: could happen, but is not expected.',
  possible: 'Possible: might happen at some point.',
  likely: 'Likely: will probably happen in most circumstances.',
  'almost-certain': 'Almost certain: expected to happen, or already happening.',
};

export const IMPACT_EXPLAINED: Record<string, string> = {
  negligible: 'Negligible: no noticeable harm.',
  minor: 'Minor: limited harm, quickly recovered.',
  moderate: 'Moderate: noticeable harm to users or the business, recoverable.',
  major: 'Major: serious harm, such as a data breach, an outage or a compliance failure.',
  severe: 'Severe: harm that threatens the business or people.',
};

export const LEVEL_EXPLAINED: Record<string, string> = {
  low: 'Low risk.',
  medium: 'Medium risk.',
  high: 'High risk.',
  critical: 'Critical risk.',
};

export const THREAT_STATUS_EXPLAINED: Record<string, string> = {
  open: 'Open: not yet dealt with.',
  mitigated: 'Mitigated: its linked mitigations are implemented or verified (otherwise it still counts as open).',
  accepted: 'Accepted: the risk is knowingly taken, with a justification, an owner (accepted_by) and an expiry date.',
  transferred: 'Transferred: someone else carries the risk (insurance, a vendor), with a justification, an owner and an expiry date.',
  'not-applicable': 'Not applicable: the threat does not apply here; say why in justification.',
};

export const MITIGATION_STATUS_EXPLAINED: Record<string, string> = {
  proposed: 'Proposed: suggested, not yet agreed.',
  planned: 'Planned: agreed and scheduled.',
  'in-progress': 'In progress: being built.',
  implemented: 'Implemented: in place; counts towards mitigating its threats. Give evidence.',
  verified: 'Verified: in place and tested; counts towards mitigating its threats.',
};

export const ELEMENT_TYPE_EXPLAINED: Record<string, string> = {
  external: 'External entity: people and systems you do not control (users, partners, SaaS). STRIDE: S, R.',
  process: 'Process: code you run (apps, services, functions). STRIDE: S, T, R, I, D, E.',
  store: 'Data store: where data rests (databases, buckets, queues, caches). STRIDE: T, R, I, D.',
};

export const TRUST_EXPLAINED: Record<string, string> = {
  untrusted: 'Untrusted: anyone can be here (the internet, user devices).',
  partial: 'Partially trusted: controlled, but exposed (a DMZ, a cloud account).',
  trusted: 'Trusted: only our own, protected systems.',
};

export const CLASSIFICATION_EXPLAINED: Record<string, string> = {
  public: 'Public: may be published.',
  internal: 'Internal: for staff only; little harm if leaked.',
  confidential: 'Confidential: harm to people or the business if leaked.',
  restricted: 'Restricted: serious harm if leaked (card data, credentials, health data).',
};

/** The explanation of an enum value at a model path (the path's last key names the vocabulary). */
export function explainValue(path: Path, value: string): string | undefined {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const field = keys[keys.length - 1];
  const section = keys[0];
  switch (field) {
    case 'stride': return STRIDE_EXPLAINED[value];
    case 'linddun': return LINDDUN_EXPLAINED[value];
    case 'methods': return METHOD_EXPLAINED[value];
    case 'methodology': return METHODOLOGY_EXPLAINED[value];
    case 'likelihood': return LIKELIHOOD_EXPLAINED[value];
    case 'impact': return IMPACT_EXPLAINED[value];
    case 'tolerance': return LEVEL_EXPLAINED[value] && `${LEVEL_EXPLAINED[value]} Threats above this level must be mitigated, accepted or transferred.`;
    case 'status': return section === 'mitigations' ? MITIGATION_STATUS_EXPLAINED[value] : THREAT_STATUS_EXPLAINED[value];
    case 'type': return ELEMENT_TYPE_EXPLAINED[value];
    case 'trust': return TRUST_EXPLAINED[value];
    case 'classification': return CLASSIFICATION_EXPLAINED[value];
    default: return undefined;
  }
}
