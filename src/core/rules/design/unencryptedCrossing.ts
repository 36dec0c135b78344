import type { DesignRuleDef, Suggestion } from './engine';
import { at, boundaryLabel, describe, encryption, flowAssets, flows, impactFor, isForeign, isSensitive, likelihoodFor, protocolOf, quote, trustOf, TRUST_RANK } from './facts';

/** A flow between two boundaries, not both trusted and ours, that is not encrypted. */
export const unencryptedCrossing: DesignRuleDef = {
  meta: {
    id: 'design/unencrypted-crossing',
    title: 'Unencrypted flow crossing a trust boundary',
    category: 'design',
    severity: 'warning',
    stride: ['tampering', 'information-disclosure'],
    cwe: ['CWE-319', 'CWE-300'],
    capec: ['CAPEC-157', 'CAPEC-94'],
    description: 'Traffic that leaves a trust boundary travels over networks the receiving side does not control; without encryption anyone on the path can read or change it.',
    advice: 'Encrypt the flow (TLS 1.2+ with certificate validation, or a VPN/IPsec tunnel) and record it with `encrypted: true` or an encrypting `protocol` such as https.',
    detection: 'A flow whose two ends are in different boundaries (or only one end in a boundary), unless both boundaries are trusted and ours, that has neither `encrypted: true` nor an encrypting protocol (https, tls, grpcs, wss, ssh, sftp, ...). Flows that carry confidential or restricted data are reported by design/sensitive-data-unencrypted-flow instead.',
    falsePositives: 'The channel may be protected by a layer the model does not show (a VPN, a service mesh with mTLS): record it as `encrypted: true` or model the tunnel as a boundary.',
    why: 'Crossing a trust boundary means crossing a network someone else controls: office Wi-Fi, the internet, a shared cloud network. Unencrypted traffic there can be read and changed in transit (credentials, session tokens, personal data), and a tampered response can compromise the receiver too.',
    example: `
flows:
  app-to-partner:
    from: web-app
    to: partner-api
    protocol: https          # an encrypting protocol, or \`encrypted: true\`
    encrypted: true
`,
  },
  covers: /plain ?text|unencrypted|clear ?text|in clear|sniff|intercept|eavesdrop|man[- ]in[- ]the[- ]middle|\bmitm\b|without tls|no tls/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      if (!ctx.model.elements?.[f.from] || !ctx.model.elements?.[f.to]) continue;
      if (!ctx.graph.crossesBoundary(f)) continue;
      const tf = trustOf(ctx, f.from);
      const tt = trustOf(ctx, f.to);
      const foreign = isForeign(ctx, f.from) || isForeign(ctx, f.to);
      if (tf === 'trusted' && tt === 'trusted' && !foreign) continue;
      const enc = encryption(f);
      if (enc === 'yes') continue;
      const data = flowAssets(ctx, f);
      if (data.some(([, a]) => isSensitive(a))) continue; // design/sensitive-data-unencrypted-flow
      const lower = tf === undefined ? tt : tt === undefined ? tf : TRUST_RANK[tf] <= TRUST_RANK[tt] ? tf : tt;
      const state = enc === 'no' ? `is sent in clear${protocolOf(f) || ' (`encrypted: false`)'}` : 'is not recorded as encrypted';
      const fromB = ctx.model.elements[f.from].boundary;
      const toB = ctx.model.elements[f.to].boundary;
      out.push({
        subject: id,
        section: 'flows',
        message: `Flow ${describe(ctx, id)} crosses from ${boundaryLabel(ctx, f.from)} to ${boundaryLabel(ctx, f.to)} and ${state}: encrypt it (TLS) and set \`encrypted: true\`, or track the risk with the suggested threat.`,
        why: `${quote(f.from)} is in ${boundaryLabel(ctx, f.from)}, ${quote(f.to)} in ${boundaryLabel(ctx, f.to)}; the flow ${enc === 'no' ? 'is explicitly unencrypted' : 'has no `encrypted: true` and no encrypting protocol'}.`,
        related: [...at.boundary(fromB, `${quote(f.from)} is in ${fromB}`), ...at.boundary(toB, `${quote(f.to)} is in ${toB}`)],
        threat: {
          title: `Traffic on ${f.name ?? id} is read or altered between ${fromB ?? f.from} and ${toB ?? f.to}`,
          description: `${f.name ?? id} carries data from ${f.from} to ${f.to} across a trust boundary without encryption, so a party on the network path can eavesdrop on it or modify it in transit. Typical mitigation: TLS 1.2+ with certificate validation (or mTLS) on this connection.`,
          likelihood: likelihoodFor(lower, foreign),
          impact: impactFor(data, 'moderate'),
          statement: { source: 'An attacker on the network path', prerequisites: `access to the network between ${fromB ?? f.from} and ${toB ?? f.to}`, action: `read or modify traffic on ${f.name ?? id}`, impact: 'loss of confidentiality and integrity of the data in transit', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
