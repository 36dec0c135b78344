import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, describe, encryption, flowAssets, flows, impactFor, isForeign, isSecret, isSensitive, likelihoodFor, protocolOf, trustOf, TRUST_RANK } from './facts';
import type { Trust } from '../../model/schema';

/** Confidential or restricted data (or credentials, secrets, keys) over a flow that is not encrypted. */
export const sensitiveDataUnencryptedFlow: DesignRuleDef = {
  meta: {
    id: 'design/sensitive-data-unencrypted-flow',
    title: 'Sensitive data over an unencrypted flow',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure', 'tampering'],
    cwe: ['CWE-319', 'CWE-311'],
    capec: ['CAPEC-157', 'CAPEC-117'],
    description: 'Confidential or restricted data, credentials, secrets or keys travel over a flow without encryption, where they can be intercepted.',
    advice: 'Encrypt the flow (TLS 1.2+; mTLS between services) and set `encrypted: true`, or stop sending the data over it (tokenise, minimise).',
    detection: 'A flow whose `data` includes an asset classified confidential or restricted, or of kind credentials, secret or key, and which is not encrypted (`encrypted: true` or an encrypting protocol). It fires when the flow is explicitly unencrypted (`encrypted: false` or a plaintext protocol such as http, ftp, telnet), or when encryption is not recorded and the flow crosses a boundary or carries restricted data or secrets. An internal flow of confidential data inside one boundary with encryption simply not recorded is left alone. Severity is error when the flow is explicitly unencrypted and one end is untrusted or another organisation\'s.',
    falsePositives: 'Encryption provided by a lower layer the model does not show (VPN, service mesh): set `encrypted: true` on the flow.',
  },
  covers: /plain ?text|unencrypted|clear ?text|in clear|sniff|intercept|eavesdrop|man[- ]in[- ]the[- ]middle|\bmitm\b|without tls|no tls/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      const data = flowAssets(ctx, f).filter(([, a]) => isSensitive(a));
      if (!data.length) continue;
      const enc = encryption(f);
      if (enc === 'yes') continue;
      const crosses = ctx.graph.crossesBoundary(f);
      const critical = data.some(([, a]) => a.classification === 'restricted' || isSecret(a));
      if (enc === 'unknown' && !crosses && !critical) continue;
      const trusts = [trustOf(ctx, f.from), trustOf(ctx, f.to)];
      const foreign = isForeign(ctx, f.from) || isForeign(ctx, f.to);
      const lowest = trusts.reduce<Trust | undefined>((m, t) => (t === undefined ? m : m === undefined || TRUST_RANK[t] < TRUST_RANK[m] ? t : m), undefined);
      const exposed = lowest === 'untrusted' || foreign;
      out.push({
        subject: id,
        section: 'flows',
        message: `Flow ${describe(ctx, id)} carries ${assetList(data)} ${enc === 'no' ? `unencrypted${protocolOf(f) || ' (`encrypted: false`)'}` : 'without recorded encryption'}: encrypt it (TLS) and set \`encrypted: true\`, or track the risk with the suggested threat.`,
        why: `${assetList(data)} ${data.length > 1 ? 'are' : 'is'} on the flow, which ${enc === 'no' ? 'is explicitly unencrypted' : 'has no `encrypted: true` and no encrypting protocol'}${crosses ? ' and crosses a trust boundary' : ''}.`,
        related: assetLinks(data, ' data carried by this flow'),
        severity: enc === 'no' && exposed ? 'error' : undefined,
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} intercepted in transit on ${f.name ?? id}`,
          description: `${f.name ?? id} sends ${data.map(([, a]) => a.name).join(', ')} from ${f.from} to ${f.to} without encryption, so anyone who can observe the traffic can read${enc === 'no' ? ' and modify' : ''} it. Typical mitigation: TLS 1.2+ (mTLS between services) on this flow.`,
          likelihood: likelihoodFor(lowest, foreign),
          impact: impactFor(data),
          statement: { source: 'An attacker who can observe the traffic', prerequisites: `a position on the network path of ${f.name ?? id}`, action: `capture ${data.map(([, a]) => a.name).join(', ')} in transit`, impact: 'disclosure of the data', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
