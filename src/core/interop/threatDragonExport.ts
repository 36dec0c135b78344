/**
 * Rampart model -> OWASP Threat Dragon v2 JSON (one STRIDE diagram), valid against Threat Dragon's
 * `threat-dragon-v2.schema.json`.
 *
 * | Rampart | Threat Dragon |
 * |---|---|
 * | element external / process / store | cell `actor` (tm.Actor) / `process` (tm.Process) / `store` (tm.Store), placed by {@link layoutModel} so that nothing overlaps |
 * | boundary | cell `trust-boundary-box` (tm.BoundaryBox) drawn around its elements and nested boundaries |
 * | flow | cell `flow` (tm.Flow) with `source.cell`/`target.cell`; `protocol`, `encrypted` -> `isEncrypted`, `bidirectional` -> `isBidirectional`; `isPublicNetwork` when tagged public-network or an end sits in an untrusted boundary |
 * | threat | an entry of `data.threats` on each target's cell; status per {@link THREAT_DRAGON_EXPORT_STATUS}; severity from the risk level (low -> Low, medium -> Medium, high and critical -> High; empty when unrated); first STRIDE category -> `type`; linked mitigations' titles and descriptions -> `mitigation` text |
 * | element names in `scope.out` | `outOfScope: true` |
 *
 * Threats without an element or flow target (or whose targets are boundaries or assets) cannot sit on a cell:
 * they are listed in a text block on the diagram. Assets, attack trees, policy, CVSS vectors, evidence and
 * acceptance details have no place in Threat Dragon and are not exported.
 */
import type { Model, Threat, ThreatStatus } from '../model/schema';
import { matrixLevel, matrixOf } from '../risk/matrix';
import { own, stableUuid, strideWords } from './common';
import { elementSize, layoutModel } from './layout';

/** Rampart threat status -> Threat Dragon status. */
export const THREAT_DRAGON_EXPORT_STATUS: Readonly<Record<ThreatStatus, string>> = {
  open: 'Open',
  mitigated: 'Mitigated',
  accepted: 'Accepted',
  transferred: 'Transferred',
  'not-applicable': 'NotApplicable',
};

const TD_VERSION = '2.3.0';
const STROKE = '#333333';
const OPEN_STROKE = 'red';

type Json = Record<string, unknown>;

export function exportThreatDragon(model: Model): string {
  const elements = model.elements ?? {};
  const flows = model.flows ?? {};
  const boundaries = model.boundaries ?? {};
  const threats = model.threats ?? {};
  const mitigations = model.mitigations ?? {};
  const layout = layoutModel(model);
  const outOfScope = new Set(model.scope?.out ?? []);
  const cellId = (kind: string, id: string) => stableUuid(`${kind}:${id}`);

  // Threats by target cell.
  const byTarget = new Map<string, Json[]>();
  const untargeted: string[] = [];
  const matrix = matrixOf(model);
  let number = 0;
  const tdThreat = (id: string, t: Threat, target: string): Json => {
    const level = t.likelihood && t.impact ? matrixLevel(t.likelihood, t.impact, matrix) : undefined;
    const mitigationText = (t.mitigations ?? [])
      .map(m => own(mitigations, m))
      .filter(m => m !== undefined)
      .map(m => (m.description && m.description !== m.title ? `${m.title}\n${m.description}` : m.title))
      .join('\n\n');
    return {
      id: stableUuid(`threat:${id}:${target}`),
      title: t.title,
      status: THREAT_DRAGON_EXPORT_STATUS[t.status] ?? 'Open',
      severity: level === undefined ? '' : level === 'low' ? 'Low' : level === 'medium' ? 'Medium' : 'High',
      type: t.stride?.[0] ? strideWords(t.stride[0]) : '',
      description: t.description ?? '',
      mitigation: mitigationText,
      modelType: 'STRIDE',
      number: ++number,
      score: '',
    };
  };
  for (const [id, t] of Object.entries(threats)) {
    const targets = (t.targets ?? []).filter(x => own(elements, x) || own(flows, x));
    if (targets.length === 0) untargeted.push(t.title);
    for (const target of targets) {
      const list = byTarget.get(target) ?? [];
      list.push(tdThreat(id, t, target));
      byTarget.set(target, list);
    }
  }
  const threatData = (id: string) => {
    const list = byTarget.get(id) ?? [];
    return { threats: list, hasOpenThreats: list.some(t => t.status === 'Open') };
  };

  const cells: Json[] = [];
  // Boundary boxes first, outer ones below inner ones.
  for (const [id, b] of Object.entries(boundaries)) {
    const r = layout.boundaries.get(id);
    if (!r) continue;
    cells.push({
      id: cellId('boundary', id),
      shape: 'trust-boundary-box',
      zIndex: -50 + (layout.depth.get(id) ?? 0),
      visible: true,
      position: { x: r.x, y: r.y },
      size: { width: r.width, height: r.height },
      attrs: { label: { text: b.name }, headerText: { text: b.name } },
      data: { type: 'tm.BoundaryBox', name: b.name, description: b.description ?? '', isTrustBoundary: true, hasOpenThreats: false },
    });
  }
  for (const [id, e] of Object.entries(elements)) {
    const r = layout.elements.get(id) ?? { x: 0, y: 0, ...elementSize(e.type, e.name) };
    const { threats: list, hasOpenThreats } = threatData(id);
    const stroke = { stroke: hasOpenThreats ? OPEN_STROKE : STROKE, strokeWidth: hasOpenThreats ? 2.5 : 1.5, strokeDasharray: null };
    const common = {
      name: e.name,
      description: e.description ?? '',
      outOfScope: outOfScope.has(e.name),
      reasonOutOfScope: '',
      threats: list,
      hasOpenThreats,
      isTrustBoundary: false,
    };
    const tags = new Set(e.tags ?? []);
    const cell: Json = {
      id: cellId('element', id),
      zIndex: 10,
      visible: true,
      position: { x: r.x, y: r.y },
      size: { width: r.width, height: r.height },
    };
    if (e.type === 'external') {
      cells.push({ ...cell, shape: 'actor', attrs: { text: { text: e.name }, body: stroke }, data: { type: 'tm.Actor', ...common, providesAuthentication: tags.has('provides-authentication') } });
    } else if (e.type === 'process') {
      cells.push({
        ...cell,
        shape: 'process',
        attrs: { text: { text: e.name }, body: stroke },
        data: {
          type: 'tm.Process', ...common, privilegeLevel: '',
          isWebApplication: e.kind === 'web-app', handlesCardPayment: tags.has('handles-card-payment'), handlesGoodsOrServices: tags.has('handles-goods-or-services'),
        },
      });
    } else {
      cells.push({
        ...cell,
        shape: 'store',
        attrs: { text: { text: e.name }, topLine: stroke, bottomLine: stroke },
        data: {
          type: 'tm.Store', ...common,
          isALog: e.kind === 'log-store', isEncrypted: e.encrypted === true, isSigned: tags.has('signed'), storesCredentials: tags.has('stores-credentials'),
        },
      });
    }
  }
  const untrusted = (elementId: string) => {
    const b = own(elements, elementId)?.boundary;
    return b !== undefined && own(boundaries, b)?.trust === 'untrusted';
  };
  for (const [id, f] of Object.entries(flows)) {
    if (!own(elements, f.from) || !own(elements, f.to)) continue;
    const { threats: list, hasOpenThreats } = threatData(id);
    const name = f.name ?? '';
    cells.push({
      id: cellId('flow', id),
      shape: 'flow',
      zIndex: 20,
      width: 200,
      height: 100,
      connector: 'smooth',
      attrs: {
        line: {
          stroke: hasOpenThreats ? OPEN_STROKE : STROKE,
          strokeWidth: hasOpenThreats ? 2.5 : 1.5,
          targetMarker: { name: 'block' },
          sourceMarker: { name: f.bidirectional ? 'block' : '' },
          strokeDasharray: null,
        },
      },
      labels: [{
        markup: [{ tagName: 'ellipse', selector: 'labelBody' }, { tagName: 'text', selector: 'labelText' }],
        attrs: {
          labelText: { text: name, textAnchor: 'middle', textVerticalAnchor: 'middle' },
          labelBody: { ref: 'labelText', refRx: '50%', refRy: '60%', fill: '#fff', strokeWidth: 0 },
        },
        position: { distance: 0.5, args: { keepGradient: true, ensureLegibility: true } },
      }],
      source: { cell: cellId('element', f.from) },
      target: { cell: cellId('element', f.to) },
      vertices: [],
      data: {
        type: 'tm.Flow',
        name,
        description: f.description ?? '',
        outOfScope: name !== '' && outOfScope.has(name),
        reasonOutOfScope: '',
        protocol: f.protocol ?? '',
        isEncrypted: f.encrypted === true,
        isPublicNetwork: (f.tags ?? []).includes('public-network') || untrusted(f.from) || untrusted(f.to),
        isBidirectional: f.bidirectional === true,
        isTrustBoundary: false,
        threats: list,
        hasOpenThreats,
      },
    });
  }
  if (untargeted.length > 0) {
    const text = `Threats without an element or flow in Rampart:\n${untargeted.map(t => `- ${t}`).join('\n')}`;
    cells.push({
      id: stableUuid('text:untargeted-threats'),
      shape: 'td-text-block',
      zIndex: 30,
      visible: true,
      position: { x: 40, y: layout.height + 20 },
      size: { width: 420, height: Math.max(60, 20 * (untargeted.length + 1)) },
      attrs: { text: { text } },
      data: { type: 'tm.Text', name: text, hasOpenThreats: false },
    });
  }

  const team = model.team ?? [];
  const owner = team.find(m => /owner/i.test(m.role ?? '')) ?? team[0];
  const reviewer = team.find(m => /review/i.test(m.role ?? ''));
  const td = {
    version: TD_VERSION,
    summary: { title: model.title, owner: owner?.name ?? '', description: model.description ?? '', id: 0 },
    detail: {
      contributors: team.filter(m => m !== owner && m !== reviewer).map(m => ({ name: m.name })),
      diagrams: [{
        id: 0,
        title: model.title,
        diagramType: 'STRIDE',
        placeholder: '',
        thumbnail: './public/content/images/thumbnail.stride.jpg',
        version: TD_VERSION,
        description: '',
        cells,
      }],
      diagramTop: 1,
      reviewer: reviewer?.name ?? '',
      threatTop: number,
    },
  };
  return JSON.stringify(td, null, 2) + '\n';
}
