/**
 * The fidelity contract on every corpus file (#14): import -> export to the same format -> import again gives the
 * same model, and the counts of the source, the import and the re-import agree. With RAMPART_FIDELITY_TABLE set
 * it prints the table of counts (the closing note of #14 quotes it).
 */
import assert from 'node:assert/strict';
import { indentQuotedContinuations } from '../../../src/core/interop/common';
import type { ImportFormat } from '../../../src/core/interop/index';
import type { Model } from '../../../src/core/model/schema';
import { corpusFile } from './corpus';
import { assertRoundTrip } from './roundtrip';

/** Every corpus file of another tool, with the counts read straight from the source (independent of the importer). */
const FILES: { format: ImportFormat; file: string; source: (text: string) => Counts }[] = [
  { format: 'threagile', file: 'threagile/threagile-example.yaml', source: threagileCounts },
  { format: 'threagile', file: 'threagile/threagile-stub.yaml', source: threagileCounts },
  { format: 'threat-dragon', file: 'threat-dragon/generic-cms.json', source: threatDragonCounts },
  { format: 'threat-dragon', file: 'threat-dragon/three-tier-web-app.json', source: threatDragonCounts },
  { format: 'threat-dragon', file: 'threat-dragon/v2-new-model.json', source: threatDragonCounts },
  { format: 'threat-dragon', file: 'threat-dragon/v2-threat-model.json', source: threatDragonCounts },
  { format: 'otm', file: 'otm/EXAMPLE.json', source: otmCounts },
  { format: 'otm', file: 'otm/EXAMPLE.yaml', source: otmCounts },
  { format: 'threat-composer', file: 'threat-composer/reinforce2024-ex1.tc.json', source: threatComposerCounts },
  { format: 'threat-composer', file: 'threat-composer/ThreatModelingForBuilders-Exercise4.tc.json', source: threatComposerCounts },
];

interface Counts { elements: number; flows: number; threats: number; mitigations: number }

function modelCounts(m: Model): Counts {
  const n = (o: object | undefined) => Object.keys(o ?? {}).length;
  return { elements: n(m.elements), flows: n(m.flows), threats: n(m.threats), mitigations: n(m.mitigations) };
}

describe('interop: the fidelity contract on every corpus file (#14)', () => {
  const rows: string[] = [];
  after(() => {
    if (!process.env.RAMPART_FIDELITY_TABLE) return;
    process.stderr.write(['', '| File | Source (elements/flows/threats/mitigations) | Imported | Re-imported |', '|---|---|---|---|', ...rows, ''].join('\n'));
  });

  for (const { format, file, source } of FILES) {
    it(`${file}: import -> export (${format}) -> import gives the same model, and every element, flow, threat and mitigation of the source`, function () {
      this.timeout(60_000);
      const text = corpusFile(file);
      const { first, second } = assertRoundTrip(format, text, file);
      const counts = [source(text), modelCounts(first), modelCounts(second)];
      const show = (c: Counts) => `${c.elements} / ${c.flows} / ${c.threats} / ${c.mitigations}`;
      rows.push(`| ${file} | ${counts.map(show).join(' | ')} |`);
      assert.deepEqual(counts[1], counts[0], `${file}: the import has what the source has`);
      assert.deepEqual(counts[2], counts[1], `${file}: the re-import has what the import has`);
    });
  }
});

// ---- counts read from the sources ----

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v as Obj : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function parse(text: string): Obj {
  if (text.trimStart().startsWith('{')) return JSON.parse(text);
  // OTM's own EXAMPLE.yaml indents a quoted string's continuation less than its key, as lenient readers accept.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml').parse(indentQuotedContinuations(text) ?? text, { merge: true, maxAliasCount: -1 });
}

/**
 * Threagile: technical assets; communication links; the individual risks of the custom categories (both keys),
 * plus each `risk_tracking` entry that tracks none of them (it records the team's decision on a risk Threagile
 * computes at run time, so it is a threat of its own); mitigations: the categories' `mitigation` texts (one per
 * category with risks) and each `mitigated` tracking entry (its justification is what was implemented).
 */
function threagileCounts(text: string): Counts {
  const m = parse(text);
  const assets = Object.values(obj(m.technical_assets));
  const flows = assets.reduce<number>((n, a) => n + Object.keys(obj(obj(a).communication_links)).length, 0);
  const custom = Array.isArray(m.custom_risk_categories) ? m.custom_risk_categories : Object.values(obj(m.custom_risk_categories));
  const categories = [...Object.values(obj(m.individual_risk_categories)), ...custom].map(obj);
  const risks = categories.flatMap(c => Object.values(obj(c.risks_identified)).map(r => ({ category: String(c.id ?? ''), asset: String(obj(r).most_relevant_technical_asset ?? '') })));
  const tracks = (key: string) => risks.some(r => {
    const [category, ...rest] = key.split('@');
    return category === r.category && rest.some(p => p === '*' || p === r.asset);
  });
  const tracking = Object.entries(obj(m.risk_tracking));
  const untracked = tracking.filter(([key]) => !tracks(key)).length;
  const mitigated = tracking.filter(([, t]) => obj(t).status === 'mitigated').length;
  const mitigations = categories.filter(c => c.mitigation && Object.keys(obj(c.risks_identified)).length > 0).length + mitigated;
  return { elements: assets.length, flows, threats: risks.length + untracked, mitigations };
}

/** Threat Dragon: element cells (not flows, boundaries or text), flow cells, threats on cells, mitigation texts. */
function threatDragonCounts(text: string): Counts {
  const m = parse(text);
  let elements = 0, flows = 0, threats = 0, mitigations = 0;
  for (const d of list(obj(m.detail).diagrams)) {
    for (const c of list(obj(d).cells)) {
      const cell = obj(c);
      const type = String(obj(cell.data).type ?? cell.shape ?? '');
      if (/flow/i.test(type)) flows++;
      else if (/actor|process|store/i.test(type)) elements++;
      for (const t of list(obj(cell.data).threats)) {
        threats++;
        if (String(obj(t).mitigation ?? '').trim()) mitigations++;
      }
    }
  }
  return { elements, flows, threats, mitigations };
}

/** OTM: components, dataflows, threats, mitigations. */
function otmCounts(text: string): Counts {
  const m = parse(text);
  return { elements: list(m.components).length, flows: list(m.dataflows).length, threats: list(m.threats).length, mitigations: list(m.mitigations).length };
}

/** Threat Composer: no elements or flows; threats and mitigations. */
function threatComposerCounts(text: string): Counts {
  const m = parse(text);
  return { elements: 0, flows: 0, threats: list(m.threats).length, mitigations: list(m.mitigations).length };
}
