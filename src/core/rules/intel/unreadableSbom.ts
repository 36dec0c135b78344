import type { Rule, RuleFinding } from '../types';
import { quote } from '../helpers';
import { intelOf, rangeOf } from './context';

/** An element's `sbom:` could not be read, so its components are not checked against the feeds. */
export const unreadableSbom: Rule = {
  meta: {
    id: 'intel/unreadable-sbom',
    title: 'SBOM could not be read',
    category: 'intel',
    severity: 'warning',
    description: 'An element\'s `sbom:` names a file that does not exist, lies outside the model\'s folder, is too large, or is not a CycloneDX JSON SBOM. Checked only when threat-intelligence feeds are given.',
    advice: 'Write the path relative to the model file, inside its folder, to a CycloneDX JSON SBOM (for example one written by `cyclonedx-npm`, `syft -o cyclonedx-json` or `cdxgen`).',
  },
  check(ctx) {
    const m = intelOf(ctx);
    const sboms = m?.intel.sboms;
    if (!sboms) return [];
    const out: RuleFinding[] = [];
    for (const [id, e] of Object.entries(ctx.model.elements ?? {})) {
      if (!e?.sbom || e.out_of_scope) continue;
      const r = sboms.get(e.sbom);
      if (!r || r.ok) continue;
      out.push({
        path: ['elements', id, 'sbom'],
        range: rangeOf(ctx, ['elements', id, 'sbom']),
        stableId: `intel/unreadable-sbom@${id}`,
        message: `The SBOM ${quote(e.sbom)} of element ${quote(id)} ${r.message}: its components are not checked against the feeds.`,
      });
    }
    return out;
  },
};
