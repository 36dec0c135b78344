/** Generated source models of any size, for the scaling and limit tests of the importers and exporters. */
import type { Model } from '../../../src/core/model/schema';

/**
 * Threat Dragon: `n` cells that all share one name: half processes named "Same name" (each with a privilege
 * level, so each gets a comment, and a threat "Same threat" with the mitigation "Same fix"), half flows, named
 * "Same name" too (elements and flows share one id namespace), from one process to the next.
 */
export function threatDragonSameName(n: number): string {
  const k = Math.max(1, Math.floor(n / 2));
  const cells: unknown[] = [];
  for (let i = 0; i < k; i++) {
    cells.push({
      id: `p${i}`, shape: 'process', position: { x: (i % 64) * 200, y: Math.floor(i / 64) * 200 }, size: { width: 100, height: 100 },
      data: {
        type: 'tm.Process', name: 'Same name', privilegeLevel: 'admin',
        threats: [{ id: `t${i}`, title: 'Same threat', status: 'Open', severity: 'High', type: 'Tampering', mitigation: 'Same fix' }],
      },
    });
  }
  for (let i = 0; i < n - k; i++) {
    cells.push({ id: `f${i}`, shape: 'flow', source: { cell: `p${i % k}` }, target: { cell: `p${(i + 1) % k}` }, data: { type: 'tm.Flow', name: 'Same name' } });
  }
  return JSON.stringify({ version: '2.3.0', summary: { title: 'Same names' }, detail: { diagrams: [{ id: 0, title: 'D', cells }] } });
}

/**
 * Threat Dragon geometry: `n` cells: processes on a grid, one boundary box around every block of 4x2 processes
 * (and one box around everything), and flows: every eighth with its source end a loose point 20 px from a
 * process, the others loose at both ends far from everything (left out, each with its own note).
 */
export function threatDragonGeometry(n: number): string {
  const k = Math.max(8, Math.floor(n / 2));
  const cols = 64;
  const cells: unknown[] = [];
  const at = (i: number) => ({ x: (i % cols) * 200, y: Math.floor(i / cols) * 200 });
  const rows = Math.ceil(k / cols);
  cells.push({ id: 'all', shape: 'trust-boundary-box', position: { x: -50, y: -50 }, size: { width: cols * 200 + 100, height: rows * 200 + 100 }, data: { type: 'tm.BoundaryBox', name: 'Everything' } });
  for (let by = 0; by < Math.ceil(rows / 2); by++) {
    for (let bx = 0; bx < cols / 4; bx++) {
      cells.push({ id: `b${bx}-${by}`, shape: 'trust-boundary-box', position: { x: bx * 800 - 20, y: by * 400 - 20 }, size: { width: 740, height: 340 }, data: { type: 'tm.BoundaryBox', name: `Zone ${bx} ${by}` } });
    }
  }
  for (let i = 0; i < k; i++) {
    cells.push({ id: `p${i}`, shape: 'process', position: at(i), size: { width: 100, height: 100 }, data: { type: 'tm.Process', name: `Process ${i}` } });
  }
  for (let i = 0; i < n - k; i++) {
    const a = i % k;
    const near = i % 8 === 0;
    const source = near ? { x: at(a).x + 120, y: at(a).y + 50 } : { x: -100000 - i, y: -100000 };
    const target = near ? { cell: `p${(a + 1) % k}` } : { x: -100000, y: 100000 + i };
    cells.push({ id: `f${i}`, shape: 'flow', source, target, data: { type: 'tm.Flow', name: `Flow ${i}` } });
  }
  return JSON.stringify({ version: '2.3.0', summary: { title: 'Geometry' }, detail: { diagrams: [{ id: 0, title: 'D', cells }] } });
}

/** OTM: `n` components that all have the id "same" (and the name "Same"). */
export function otmSameId(n: number): string {
  const components = Array.from({ length: n }, () => ({ id: 'same', name: 'Same', type: 'service', parent: { trustZone: 'z' } }));
  return JSON.stringify({ otmVersion: '0.2.0', project: { name: 'Same ids', id: 'same-ids' }, trustZones: [{ id: 'z', name: 'Zone', risk: { trustRating: 50 } }], components });
}

/**
 * OTM: `n` threat instances on 20 components: half name defined threats, half name threats that are not
 * defined; every instance carries the one mitigation "m" with a state.
 */
export function otmInstances(n: number): string {
  const half = Math.floor(n / 2);
  const components = Array.from({ length: 20 }, (_, c) => ({
    id: `c${c}`, name: `Component ${c}`, type: 'service',
    threats: Array.from({ length: Math.ceil(n / 20) }, (_, j) => {
      const i = j * 20 + c;
      return { threat: i < half ? `t${i}` : `ghost${i}`, state: 'exposed', mitigations: [{ mitigation: 'm', state: i % 2 ? 'implemented' : 'required' }] };
    }),
  }));
  const threats = Array.from({ length: half }, (_, i) => ({ id: `t${i}`, name: `Threat ${i}`, risk: { likelihood: 50, impact: 50 } }));
  return JSON.stringify({ otmVersion: '0.2.0', project: { name: 'Instances', id: 'instances' }, components, threats, mitigations: [{ id: 'm', name: 'The mitigation', riskReduction: 50 }] });
}

/** OTM: one component with `n` different tags. */
export function otmTags(n: number): string {
  const tags = Array.from({ length: n }, (_, i) => `tag-${i}`);
  return JSON.stringify({ otmVersion: '0.2.0', project: { name: 'Tags', id: 'tags' }, components: [{ id: 'c', name: 'C', type: 'service', tags }], dataflows: [{ id: 'd', source: 'c', destination: 'c', tags }] });
}

/** Threagile (as JSON, which is YAML): one technical asset and one link with `n` different tags. */
export function threagileTags(n: number): string {
  const tags = Array.from({ length: n }, (_, i) => `tag-${i}`);
  return JSON.stringify({
    threagile_version: '1.0.0', title: 'Tags',
    technical_assets: { A: { id: 'a', type: 'process', tags, communication_links: { Loop: { target: 'a', protocol: 'https', tags } } } },
  });
}

/**
 * Threagile (as JSON): `n` individually identified risks of one category, each on its own asset (long ids with
 * a shared prefix, as generated ids often are), and a risk_tracking entry naming each of them, plus one
 * wildcard entry over all.
 */
export function threagileTracking(n: number): string {
  const risks: Record<string, unknown> = {};
  const tracking: Record<string, unknown> = { 'custom-risk@*': { status: 'in-progress', checked_by: 'Someone' } };
  for (let i = 0; i < n; i++) {
    const asset = `${'component-of-the-payment-platform-'.repeat(4)}${i}`;
    risks[`Risk at asset ${i}`] = { severity: 'medium', exploitation_likelihood: 'likely', exploitation_impact: 'medium', most_relevant_technical_asset: asset };
    tracking[`custom-risk@${asset}`] = { status: 'accepted', justification: 'Fine', checked_by: 'Someone' };
  }
  return JSON.stringify({
    threagile_version: '1.0.0', title: 'Tracking',
    technical_assets: { Only: { id: 'only', type: 'process' } },
    individual_risk_categories: { 'Custom risk': { id: 'custom-risk', stride: 'tampering', risks_identified: risks } },
    risk_tracking: tracking,
  });
}

/** A Rampart model with `n` boundaries, each holding one element (every fourth nested in the previous boundary). */
export function modelWithBoundaries(n: number): Model {
  const boundaries: Record<string, unknown> = {};
  const elements: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    boundaries[`zone-${i}`] = { name: `Zone ${i}`, trust: 'partial', ...(i % 4 === 3 ? { parent: `zone-${i - 1}` } : {}) };
    elements[`element-${i}`] = { type: 'process', name: `Element ${i}`, boundary: `zone-${i}` };
  }
  return { rampart: 1, title: 'Boundaries', boundaries, elements, flows: {}, threats: {}, mitigations: {}, assets: {}, attack_trees: {} } as unknown as Model;
}

/** Threagile (as JSON): one individual risk whose title is `n` characters `<` (no tag closes). */
export function threagileAngleTitle(n: number): string {
  return JSON.stringify({
    threagile_version: '1.0.0', title: 'Angles', technical_assets: { A: { id: 'a', type: 'process' } },
    individual_risk_categories: { C: { id: 'c', risks_identified: { ['<'.repeat(n)]: { most_relevant_technical_asset: 'a' } } } },
  });
}

/** OTM: `n` threats that all have the id "t", and `n` instances of it on 20 components. */
export function otmRepeatedThreatIds(n: number): string {
  const components = Array.from({ length: 20 }, (_, c) => ({
    id: `c${c}`, name: `Component ${c}`, type: 'service',
    threats: Array.from({ length: Math.ceil(n / 20) }, (_, j) => ({ threat: 't', state: j % 2 ? 'mitigated' : 'exposed', mitigations: [{ mitigation: 'm', state: 'implemented' }] })),
  }));
  const threats = Array.from({ length: n }, (_, i) => ({ id: 't', name: `Threat ${i}` }));
  return JSON.stringify({ otmVersion: '0.2.0', project: { name: 'Repeated', id: 'repeated' }, components, threats, mitigations: [{ id: 'm', name: 'M' }] });
}

/** Threat Dragon: a cell of a type that is not imported, with `n` threats and a labels list of 10n entries. */
export function threatDragonLongLabels(n: number): string {
  const cell = {
    id: 'x', shape: 'note', labels: Array.from({ length: 10 * n }, () => 0),
    data: { type: 'tm.Note', threats: Array.from({ length: n }, (_, i) => ({ title: `Threat ${i}`, status: 'Open' })) },
  };
  return JSON.stringify({ version: '2.3.0', summary: { title: 'Labels' }, detail: { diagrams: [{ cells: [cell] }] } });
}
