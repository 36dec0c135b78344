import type { Rule, RuleFinding } from '../types';
import { quote } from '../helpers';
import { capped, exploitedLikelihood, feedLabel, feedSource, freeThreatId, impactOf, intelOf, rangeOf, slug, strideOf, tagsOf, threat } from './context';
import type { Impact, Likelihood } from '../../model/schema';
import { IMPACTS } from '../../model/vocabulary';
import { compareVersions } from '../../intel/index';

/** A package an element is built from (its `components:` or SBOM) is affected by an OSV advisory. */
export const vulnerableComponent: Rule = {
  meta: {
    id: 'intel/vulnerable-component',
    title: 'Component version affected by a known vulnerability',
    category: 'intel',
    severity: 'warning',
    description: 'A package URL in an element\'s `components:` (`pkg:npm/lodash@4.17.20`), or a component of the CycloneDX SBOM its `sbom:` names, has a version that an OSV advisory of the feeds the user pointed Rampart at affects (`rampart check --intel FILE`, setting `rampart.intel.files`). The finding names the advisories, their CVE aliases, severity and the fixed version.',
    advice: 'Upgrade the package to the fixed version (and update `components:` or regenerate the SBOM). If you cannot yet, add the suggested threat (the quick fix writes the advisory and CVE ids as tags and the CWE ids) and mitigate or accept it.',
    detection: 'The purl\'s type gives the OSV ecosystem (npm, PyPI, Maven, RubyGems, Go, crates.io, NuGet, ...) and its namespace and name the package (PyPI names normalised as PEP 503 does). Its version is affected when an `affected[]` entry lists it in `versions`, or a SEMVER or ECOSYSTEM range includes it: events sorted by version, affected when the last event at or below it is `introduced` (`fixed` excluded, `last_affected` included), compared with the semver package (other version schemes part by part). Withdrawn advisories are ignored. An advisory is tracked, and no longer reported, once a threat targeting the element names its id or an alias in its tags, title or description.',
    falsePositives: 'Versions that are not semantic versions (Maven qualifiers, PyPI post-releases, Debian revisions) are compared close to, not exactly as, their ecosystem does; check the advisory. A component that is present but not reachable may not be exploitable: mark the threat not applicable with the reason.',
    why: 'Most of an application\'s code is its dependencies, and advisories against them are public the day they are published: scanners used by attackers find a vulnerable version long before a release cycle replaces it. Recording the vulnerable component as a threat on the element that ships it keeps the risk visible in the model until the upgrade lands.',
    example: `
elements:
  api:
    type: process
    name: Orders API
    components: [pkg:npm/lodash@4.17.20, pkg:pypi/django@3.2.0]
    sbom: sbom/api.cdx.json     # a CycloneDX JSON SBOM, relative to the model file
`,
  },
  check(ctx) {
    const m = intelOf(ctx);
    if (!m?.index.osv) return [];
    const out: RuleFinding[] = [];
    for (const e of m.elements) {
      const used = new Set<string>();
      for (const c of e.components) {
        const list = c.untracked;
        if (!list.length) continue;
        const feedInfos = [...new Set(list.map(x => m.index.osvFeedOf.get(x.record)).filter(f => !!f))];
        const feeds = [...new Set(feedInfos.map(f => feedLabel(f!)))];
        const kev = m.index.kev;
        const exploited = kev ? list.flatMap(x => x.record.aliases.map(a => kev.cve(a)).filter(k => !!k)) : [];
        const ransomware = exploited.some(k => k!.ransomware);
        const impacts = list.map(x => impactOf(x.record.severity));
        const worst = impacts.reduce<Impact>((w, i) => (IMPACTS.indexOf(i.impact) > IMPACTS.indexOf(w) ? i.impact : w), 'negligible');
        const likelihood: Likelihood = exploited.length ? exploitedLikelihood(ransomware) : 'possible';
        const advisories = list.map((x, i) => {
          const aliases = x.record.aliases.filter(a => a !== x.record.id);
          const bits = [...(aliases.length ? [capped(aliases, 2)] : []), ...(impacts[i].label ? [impacts[i].label!] : []), x.fixed ? `fixed in ${x.fixed}` : 'no fixed version'];
          return `${x.record.id} (${bits.join(', ')})`;
        });
        const fixedIn = list.map(x => x.fixed).filter((f): f is string => !!f);
        const cwes = [...new Set(list.flatMap(x => x.record.cwes))];
        const pkg = `${c.purl.name}@${c.purl.version}`;
        let base = `vulnerable-component@${e.id}-${slug(c.purl.name)}`;
        while (used.has(base)) base += '-x';
        used.add(base);
        const id = freeThreatId(ctx, base);
        const from = c.sbom ? ` (from its SBOM ${quote(c.sbom)})` : '';
        out.push({
          path: c.where,
          range: rangeOf(ctx, c.where),
          stableId: `intel/vulnerable-component@${e.id}:${c.purl.ecosystem}:${c.purl.name}`,
          message: `${quote(pkg)} in element ${quote(e.id)}${from} is affected by ${list.length === 1 ? 'a known vulnerability' : `${list.length} known vulnerabilities`}: ${capped(advisories, 5)}${exploited.length ? `; KEV lists ${capped(exploited.map(k => k!.cve), 3)} as exploited in the wild${ransomware ? ', in ransomware campaigns' : ''}` : ''}; source: ${feeds.join('; ')}. ${fixedIn.length ? `Upgrade to ${fixedIn.sort(compareVersions).at(-1)} or later` : 'No fixed version is known: replace or remove the package'}, or add a threat for it.`,
          why: `${c.purl.ecosystem}/${c.purl.name} ${c.purl.version} is within the affected versions of ${capped(list.map(x => x.record.id), 5)}.${c.matches.length > list.length ? ` ${c.matches.length - list.length} more advisor${c.matches.length - list.length === 1 ? 'y is' : 'ies are'} already named by a threat on ${quote(e.id)}.` : ''}`,
          fixes: [{
            kind: 'add-suggested-threat',
            title: `Add threat ${id}: vulnerable ${c.purl.name} ${c.purl.version}`,
            id,
            preferred: true,
            threat: threat({
              title: `Vulnerable ${c.purl.name} ${c.purl.version} in ${e.element.name ?? e.id} (${capped(list.map(x => x.record.aliases.find(a => a.startsWith('CVE-')) ?? x.record.id), 3)})`,
              description: `${list.map(x => `${x.record.id}${x.record.aliases.length ? ` (${x.record.aliases.join(', ')})` : ''}: ${x.record.summary.replace(/(?<![.!?])$/, '.')}${x.fixed ? ` Fixed in ${x.fixed}.` : ' No fixed version.'}`).join(' ')} Source: ${[...new Set(feedInfos.map(f => feedSource(f!)))].join('; ')}.`,
              stride: strideOf(list.map(x => x.record.summary).join(' '), cwes),
              targets: [e.id],
              likelihood,
              impact: worst === 'negligible' ? 'moderate' : worst,
              ...(cwes.length ? { cwe: cwes } : {}),
              tags: tagsOf(['vulnerable-component', ...list.flatMap(x => [x.record.id, ...x.record.aliases])]),
              rule: 'intel/vulnerable-component',
            }),
          }],
        });
      }
    }
    return out;
  },
};
