import type { Classification, Trust } from '../../model/schema';
import type { DesignRuleDef, Suggestion } from './engine';
import { assetLinks, assetList, at, CLASS_RANK, describe, elements, heldAssets, impactFor, isForeign, quote } from './facts';

/** The most sensitive data each trust level may hold at rest. */
const ALLOWED: Record<Trust, Classification> = { untrusted: 'public', partial: 'internal', trusted: 'restricted' };

/** An element that keeps data more sensitive than its boundary's trust allows. */
export const dataAboveBoundaryTrust: DesignRuleDef = {
  meta: {
    id: 'design/data-above-boundary-trust',
    title: 'Data classification exceeds the boundary\'s trust',
    category: 'design',
    severity: 'warning',
    stride: ['information-disclosure'],
    cwe: ['CWE-668'],
    description: 'An element keeps data more sensitive than the zone it runs in is trusted with: confidential data in a DMZ, anything but public data in an untrusted zone. A compromise of that less protected zone exposes the data directly.',
    advice: 'Move the data (or the store) into a trusted boundary and let the exposed component reach it through an authenticated, authorised service; or, if the zone is in fact well protected, raise its `trust`.',
    detection: 'A store, or a process with declared `stores`, in a boundary of ours whose trust is untrusted (allows public data only) or partial (allows up to internal), holding data classified above that (declared `stores`, and for stores the data on their flows). Elements without a boundary and elements of other organisations are left to other rules.',
    falsePositives: 'A short-lived buffer in a DMZ (a queue or cache that holds data for seconds): add the suggested threat and accept it with that justification, or model it without `stores`.',
  },
  covers: /dmz|boundary|zone|segment/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type === 'external' || !e.boundary || isForeign(ctx, id)) continue;
      const b = ctx.model.boundaries?.[e.boundary];
      if (!b) continue;
      const held = e.type === 'store' ? heldAssets(ctx, id) : heldAssets(ctx, id).filter(([a]) => e.stores?.includes(a));
      const allowed = ALLOWED[b.trust];
      const above = held.filter(([, a]) => CLASS_RANK[a.classification] > CLASS_RANK[allowed]);
      if (!above.length) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `${describe(ctx, id)} keeps ${assetList(above)} in ${quote(e.boundary)}, a ${b.trust} boundary that should hold at most ${allowed} data: move the data to a trusted boundary, or track the risk with the suggested threat.`,
        why: `${quote(id)} is in ${quote(e.boundary)} (trust ${b.trust}) and holds ${assetList(above)}.`,
        related: [...at.boundary(e.boundary, `${e.boundary} is ${b.trust}`), ...assetLinks(above, ` data held by ${id}`)],
        threat: {
          title: `${above.map(([, a]) => a.name).join(', ')} exposed by a compromise of ${b.name}`,
          description: `${e.name} keeps ${above.map(([, a]) => a.name).join(', ')} in ${b.name}, a ${b.trust} zone; an attacker who compromises anything in that zone is one step from the data. Typical mitigation: keep the data in a trusted zone behind an authorising service.`,
          likelihood: b.trust === 'untrusted' ? 'likely' : 'possible',
          impact: impactFor(above),
          statement: { source: `An attacker who compromises a component in ${b.name}`, action: `read ${above.map(([, a]) => a.name).join(', ')} from ${e.name}`, impact: 'disclosure of the data', assets: above.map(([a]) => a) },
        },
      });
    }
    return out;
  },
};
