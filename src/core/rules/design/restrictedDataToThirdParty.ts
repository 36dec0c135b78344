import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, assets, at, describe, elements, inbound, isForeign, quote } from './facts';

/** Another organisation's element that receives or keeps restricted data. */
export const restrictedDataToThirdParty: DesignRuleDef = {
  meta: {
    id: 'design/restricted-data-to-third-party',
    title: 'Third party processes restricted data',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-200'],
    description: 'An element run by another organisation receives or keeps restricted data: its confidentiality now rests on that organisation\'s security, and a breach there is a breach of our data.',
    advice: 'Send the minimum (tokenise, truncate, encrypt end to end so the vendor cannot read it), review the vendor\'s security (certifications such as PCI DSS, SOC 2, ISO 27001), and cover it by contract.',
    detection: 'An element of kind third-party or in a boundary with `ours: false` (or under one) that receives a flow from one of our elements carrying a restricted asset, or declares a restricted asset in `stores` or `processes`.',
    falsePositives: 'Restricted data that the vendor can only see encrypted end to end (keys stay with us): add the suggested threat and mark it mitigated with that design as evidence.',
  },
  covers: /vendor|third[- ]party|supplier|provider|breach at|processor|outsourc/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (!isForeign(ctx, id)) continue;
      const hops = inbound(ctx, id).filter(h => !isForeign(ctx, h.peer) && ctx.model.elements?.[h.peer]);
      const ids = [...(e.stores ?? []), ...(e.processes ?? []), ...hops.flatMap(h => h.flow.data ?? [])];
      const data = assets(ctx, ids).filter(([, a]) => a.classification === 'restricted');
      if (!data.length) continue;
      const carriers = hops.filter(h => h.flow.data?.some(d => data.some(([a]) => a === d)));
      out.push({
        subject: id,
        section: 'elements',
        message: `${describe(ctx, id)}, run by another organisation, receives ${assetList(data)}${carriers.length ? ` on ${carriers.map(h => quote(h.flowId)).join(', ')}` : ''}: minimise or tokenise what it gets and review the vendor's security, or track the risk with the suggested threat.`,
        why: `${quote(id)} is ${e.kind === 'third-party' ? 'of kind third-party' : 'in a boundary with `ours: false`'} and ${carriers.length ? 'receives' : 'declares'} ${assetList(data)}.`,
        related: [...carriers.map(h => at.flow(h.flowId, `sends restricted data to ${id}`)), ...assetLinks(data, ` data given to ${id}`)],
        threat: {
          title: `${data.map(([, a]) => a.name).join(', ')} exposed through a breach at ${e.name}`,
          description: `${e.name} belongs to another organisation and processes ${data.map(([, a]) => a.name).join(', ')}; a compromise or insider at the vendor exposes the data without any failure on our side. Typical mitigation: minimise or tokenise what is shared, vendor security review and contractual controls.`,
          likelihood: 'unlikely',
          impact: 'major',
          statement: { source: `An attacker or insider at ${e.name}`, action: `access ${data.map(([, a]) => a.name).join(', ')} held by ${e.name}`, impact: 'disclosure of restricted data', assets: data.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
