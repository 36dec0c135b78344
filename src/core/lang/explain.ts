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
