import assert from 'node:assert/strict';
import { parseModel } from '../../../src/core/model/parse';
import { assessAll } from '../../../src/core/risk/assess';
import {
  CLASS_DEFS, DEFAULT_LIMITS, MERMAID_MAX_EDGES, RISK_CLASSES, dataFlowDiagram, diagramInput, effectiveParents, type DiagramInput,
} from '../../../src/core/render/mermaid';
import { decodeMermaidText } from '../../../src/core/render/encode';
import { parseFlowchart } from './mermaidParser';

const PAYMENTS = `rampart: 1
title: Payments
boundaries:
  internet: { name: Internet, trust: untrusted }
  dmz: { name: DMZ, trust: partial }
  core: { name: Core network, trust: trusted, parent: dmz }
elements:
  browser: { type: external, name: Customer browser, boundary: internet }
  api: { type: process, name: Payment API, boundary: dmz }
  vault: { type: store, name: Card vault, boundary: core }
  cron: { type: process, name: Cron }
assets:
  card-data: { name: Cardholder data, classification: restricted }
flows:
  checkout: { from: browser, to: api, protocol: https, data: [card-data], authenticated: true, encrypted: true }
  store: { from: api, to: vault, protocol: sql, encrypted: false, authenticated: false }
  sweep: { from: cron, to: vault, name: nightly sweep, bidirectional: true }
threats:
  replay: { title: Token replay, targets: [api], likelihood: likely, impact: major, status: open }
  dump: { title: Vault dump, targets: [vault], likelihood: almost-certain, impact: severe, status: not-applicable }
  sniff: { title: Sniffing, targets: [store], likelihood: almost-certain, impact: severe, status: open }
`;

function payments() {
  const parsed = parseModel(PAYMENTS);
  assert.equal(parsed.valid, true, JSON.stringify(parsed.findings));
  return diagramInput(parsed.model, assessAll(parsed.model, { now: new Date('2026-01-01') }));
}

const EVIL = '"]); click n0 call alert(1) %%{init: {"securityLevel":"loose"}}%% <img src=x onerror=alert(1)> `md` |p| #quot; [x] {y}\nstyle n0 fill:#f00';

function generated(n: number, boundaries = Math.max(1, Math.round(n / 10)), flowsPer = 1): DiagramInput {
  const input: DiagramInput = { boundaries: {}, elements: {}, flows: {}, assets: {}, risk: {} };
  for (let b = 0; b < boundaries; b++) input.boundaries[`z${b}`] = { name: `Zone ${b}`, trust: 'trusted', parent: b % 3 === 2 ? `z${b - 1}` : undefined };
  for (let i = 0; i < n; i++) input.elements[`e${i}`] = { type: (['external', 'process', 'store'] as const)[i % 3], name: `Component ${i}`, boundary: `z${i % boundaries}` };
  let f = 0;
  for (let i = 1; i < n; i++) for (let k = 0; k < flowsPer; k++) input.flows[`f${f++}`] = { from: `e${i - 1}`, to: `e${(i + k * 7) % n}`, protocol: 'https', encrypted: i % 2 === 0 };
  input.risk.e3 = 'critical';
  return input;
}

describe('render/mermaid (data-flow diagram)', () => {
  it('draws boundaries as nested subgraphs, element shapes by type and labelled flows', async () => {
    const d = dataFlowDiagram(payments());
    assert.equal(d.focused, false);
    assert.ok(d.text.startsWith('flowchart LR\n'));
    const p = await parseFlowchart(d.text);
    const id = (el: string) => d.nodeIds[el];
    assert.equal(p.vertices.get(id('browser'))?.type, 'square');
    assert.equal(p.vertices.get(id('api'))?.type, 'stadium');
    assert.equal(p.vertices.get(id('vault'))?.type, 'cylinder');
    assert.equal(p.vertices.get(id('api'))?.text, 'Payment API');
    // Nesting: core inside dmz; cron outside every boundary.
    const sg = new Map(p.subgraphs.map(s => [s.id, s]));
    assert.deepEqual(sg.get(d.boundaryIds.core)?.nodes, [id('vault')]);
    assert.ok(sg.get(d.boundaryIds.dmz)?.nodes.includes(d.boundaryIds.core));
    assert.ok(sg.get(d.boundaryIds.dmz)?.nodes.includes(id('api')));
    assert.ok(!p.subgraphs.some(s => s.id !== 'legend' && s.nodes.includes(id('cron'))));
    // Edges: encrypted solid, unencrypted dashed, bidirectional double-headed; labels carry the markers.
    const edge = (flow: string) => p.edges.find(e => e.id === d.edgeIds[flow])!;
    assert.equal(edge('checkout').stroke, 'normal');
    assert.equal(edge('store').stroke, 'dotted');
    assert.equal(edge('sweep').type, 'double_arrow_point');
    assert.equal(decodeMermaidText(edge('checkout').text.replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, '#$1;')), '🔒 https\nCardholder data');
    assert.ok(d.text.includes('⚠ unencrypted · no auth'));
    assert.equal(p.edges.filter(e => /^e\d+$/.test(e.id ?? '')).length, 3);
  });

  it('colours nodes by the highest open risk, with class names only from the fixed set', async () => {
    const d = dataFlowDiagram(payments());
    const p = await parseFlowchart(d.text);
    assert.deepEqual(p.vertices.get(d.nodeIds.api)?.classes, ['high']);
    // The vault's only threat is not applicable: no risk colour.
    assert.deepEqual(p.vertices.get(d.nodeIds.vault)?.classes, ['none']);
    for (const name of p.classes.keys()) assert.ok((Object.keys(CLASS_DEFS) as string[]).includes(name), name);
    // The flow targeted by an open critical threat is drawn in the critical colour.
    const idx = p.edges.findIndex(e => e.id === d.edgeIds.store);
    assert.match(d.text, new RegExp(`linkStyle ${idx} stroke:#d32f2f`));
    assert.deepEqual([...RISK_CLASSES], ['critical', 'high', 'medium', 'low', 'none']);
  });

  it('keeps colours apart from the structure for the visual editor: a risk change leaves the text alone', async () => {
    const inline = dataFlowDiagram(payments(), { legend: false });
    const separate = dataFlowDiagram(payments(), { legend: false, styles: 'separate' });
    assert.ok(!/classDef|\n {2}class |linkStyle/.test(separate.text), separate.text);
    assert.ok(inline.text.startsWith(separate.text), 'the inline text is the structure plus its colours');
    // the same colours as the inline text says, as data
    const p = await parseFlowchart(inline.text);
    for (const [id, v] of p.vertices) assert.deepEqual(separate.styles.nodes[id] ?? [], v.classes, id);
    const idx = p.edges.findIndex(e => e.id === inline.edgeIds.store);
    assert.equal(separate.styles.links[`e${idx}`], 'critical');
    assert.deepEqual(separate.styles, inline.styles);
    // Another level for the api leaves the separate text as it was and changes only its class.
    const input = payments();
    const calmer = dataFlowDiagram({ ...input, risk: { ...input.risk, api: 'low' } }, { legend: false, styles: 'separate' });
    assert.equal(calmer.text, separate.text);
    assert.deepEqual(calmer.styles.nodes[calmer.nodeIds.api], ['low']);
    // What is shown of a large model is chosen the same way for both kinds of text.
    const big = generated(150, 15);
    assert.deepEqual(dataFlowDiagram(big, { styles: 'separate' }).focus, dataFlowDiagram(big).focus);
  });

  it('draws a legend subgraph unless asked not to', async () => {
    const withLegend = await parseFlowchart(dataFlowDiagram(payments()).text);
    assert.ok(withLegend.subgraphs.some(s => s.id === 'legend' && s.nodes.length === 7));
    const without = dataFlowDiagram(payments(), { legend: false });
    assert.ok(!without.text.includes('legend'));
  });

  it('wraps node and flow labels at spaces so Mermaid never has to cut a word', async () => {
    const input: DiagramInput = {
      boundaries: {}, assets: { a: 'Customer profiles and addresses', b: 'Orders, payment status and refunds' }, risk: {},
      elements: {
        agent: { type: 'external', name: 'Customer-service agent' },
        psp: { type: 'external', name: 'Payment service provider' },
        kms: { type: 'store', name: 'Card vault key-encryption key (AWS KMS) in the production account' },
      },
      flows: { f: { from: 'agent', to: 'psp', name: 'Refund requests', protocol: 'https', data: ['a', 'b'], encrypted: true } },
    };
    const d = dataFlowDiagram(input);
    const p = await parseFlowchart(d.text);
    const lines = (raw: string) => decodeMermaidText(raw.replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, '#$1;')).split('\n');
    const label = (el: string) => lines(p.vertices.get(d.nodeIds[el])!.text);
    assert.deepEqual(label('agent'), ['Customer-service agent']);
    assert.deepEqual(label('psp'), ['Payment service', 'provider']);
    const kms = label('kms');
    assert.ok(kms.length >= 3, kms.join('|'));
    for (const l of kms) assert.ok(Array.from(l).length <= 22, `node line too long: ${l}`);
    assert.ok('Card vault key-encryption key (AWS KMS) in the production account'.startsWith(kms.join(' ').replace(/…$/, '')), kms.join('|'));
    const edge = lines(p.edges.find(e => e.id === d.edgeIds.f)?.text ?? p.edges[0].text);
    assert.ok(edge.length >= 3, edge.join('|'));
    for (const l of edge) assert.ok(Array.from(l).length <= 24, `edge line too long: ${l}`);
    assert.ok(edge.join(' ').includes('Customer profiles and addresses'), edge.join('|'));
  });

  it('breaks boundary parent cycles instead of looping', async () => {
    const input: DiagramInput = {
      boundaries: { a: { name: 'A', parent: 'b' }, b: { name: 'B', parent: 'a' }, c: { name: 'C', parent: 'a' }, self: { name: 'S', parent: 'self' }, orphan: { name: 'O', parent: 'missing' } },
      elements: { x: { type: 'process', name: 'X', boundary: 'c' }, y: { type: 'store', name: 'Y', boundary: 'self' } },
      flows: {}, assets: {}, risk: {},
    };
    const parents = effectiveParents(input.boundaries);
    assert.equal(parents.get('a'), undefined);
    assert.equal(parents.get('b'), undefined);
    assert.equal(parents.get('c'), 'a');
    assert.equal(parents.get('self'), undefined);
    assert.equal(parents.get('orphan'), undefined);
    const d = dataFlowDiagram(input);
    const p = await parseFlowchart(d.text);
    assert.equal(p.subgraphs.filter(s => s.id !== 'legend').length, 5, 'one subgraph per boundary');
    // Empty boundaries still show up (with a placeholder), so the user sees them.
    assert.ok(d.text.includes('"no elements"'));
  });

  it('keeps injection attempts inert: one vertex per element, no click, link, style or directive', async () => {
    const input: DiagramInput = {
      boundaries: { b: { name: EVIL, trust: 'untrusted' } },
      elements: { a: { type: 'external', name: EVIL, boundary: 'b' }, c: { type: 'process', name: 'click a href "javascript:alert(1)"' }, d: { type: 'store', name: '%%{init: {"theme":"forest"}}%%' } },
      flows: { f: { from: 'a', to: 'c', name: EVIL, protocol: 'a|b' }, g: { from: 'c', to: 'd', name: '`**x**`', data: ['z'] } },
      assets: { z: EVIL },
      risk: { a: 'critical' },
    };
    const d = dataFlowDiagram(input, { legend: false });
    for (const line of d.text.split('\n')) {
      assert.ok(!/^\s*(click|style|%%|---|linkStyle \D|classDef (?!(critical|high|medium|low|none|group|placeholder) ))/.test(line), `suspicious line: ${line}`);
    }
    const p = await parseFlowchart(d.text);
    assert.equal(p.vertices.size, 3, [...p.vertices.keys()].join());
    assert.deepEqual([...p.vertices.keys()].sort(), ['n0', 'n1', 'n2']);
    for (const v of p.vertices.values()) {
      assert.ok(!v.haveCallback, 'no click callback');
      assert.equal(v.link, undefined, 'no link');
    }
    assert.equal(p.tooltips, 0);
    assert.equal(p.edges.length, 2);
    assert.deepEqual(p.config, {}, 'no directive reached the config');
    // Only our fixed classes (the grey of out-of-scope entries only when one is drawn).
    assert.deepEqual([...p.classes.keys()].sort(), Object.keys(CLASS_DEFS).filter(c => c !== 'outofscope').sort());
  });

  it('produces a focused view past the limits: one boundary expanded, others collapsed with counts', async () => {
    const input = generated(150, 15);
    const d = dataFlowDiagram(input);
    assert.equal(d.focused, true);
    assert.ok(d.focus && 'boundary' in d.focus);
    assert.match(d.note ?? '', /too large.*150 elements/);
    assert.ok(d.stats.nodes <= DEFAULT_LIMITS.maxNodes && d.stats.edges <= DEFAULT_LIMITS.maxEdges && d.text.length <= DEFAULT_LIMITS.maxTextSize, JSON.stringify(d.stats));
    // Every element still maps to something on screen (its own node or its group's).
    for (const el of Object.keys(input.elements)) assert.ok(d.nodeIds[el], el);
    const groups = Object.entries(d.groups);
    assert.ok(groups.length > 0);
    assert.equal(groups.reduce((n, [, g]) => n + g.elements, 0) + Object.values(d.nodeIds).filter(x => x.startsWith('n')).length, 150);
    const p = await parseFlowchart(d.text);
    const [gid, g] = groups[0];
    assert.match(decodeMermaidText(p.vertices.get(gid)!.text.replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, '#$1;')), new RegExp(`${g.elements} elements?(\\n| · )collapsed`));
    // The boundary holding the critical element is the one expanded.
    assert.equal((d.focus as { boundary: string }).boundary, 'z3');
  });

  it('focuses on the boundary or element asked for, and falls back to a neighbourhood', async () => {
    const input = generated(150, 15);
    const b = dataFlowDiagram(input, { focus: { boundary: 'z7' } });
    assert.deepEqual(b.focus, { boundary: 'z7' });
    await parseFlowchart(b.text);
    const e = dataFlowDiagram(input, { focus: { element: 'e10' } });
    assert.deepEqual(e.focus, { element: 'e10' });
    assert.match(e.note ?? '', /Component 10 and 2 neighbours/);
    assert.deepEqual(Object.keys(e.nodeIds).sort(), ['e10', 'e11', 'e9']);
    // One boundary with 150 elements cannot be expanded: neighbourhood of its riskiest element.
    const one = generated(150, 1);
    const f = dataFlowDiagram(one);
    assert.deepEqual(f.focus, { element: 'e3' });
    await parseFlowchart(f.text);
  });

  it('never emits more edges than Mermaid accepts', async () => {
    const dense = generated(60, 1, 12); // 708 flows, one boundary
    const d = dataFlowDiagram(dense);
    assert.ok(d.stats.edges <= MERMAID_MAX_EDGES && d.stats.edges <= DEFAULT_LIMITS.maxEdges, JSON.stringify(d.stats));
    assert.ok(d.text.length <= DEFAULT_LIMITS.maxTextSize);
    assert.equal(d.focused, true);
    await parseFlowchart(d.text);
    // Even a tiny model gets capped if the caller lowers the limits.
    const capped = dataFlowDiagram(generated(10, 1, 3), { limits: { maxEdges: 5 } });
    assert.ok(capped.stats.edges <= 5);
    assert.match(capped.note ?? '', /not drawn|neighbour/);
  });

  it('stays under the text limit when names are long and full of encoded characters', () => {
    const input = generated(99, 5);
    for (const e of Object.values(input.elements)) e.name = '#'.repeat(200);
    const d = dataFlowDiagram(input);
    assert.ok(d.text.length <= DEFAULT_LIMITS.maxTextSize, String(d.text.length));
  });

  it('skips flows whose ends do not exist instead of inventing nodes', async () => {
    const input: DiagramInput = {
      boundaries: {}, assets: {}, risk: {},
      elements: { a: { type: 'process', name: 'A' } },
      flows: { f: { from: 'a', to: 'ghost' } },
    };
    const d = dataFlowDiagram(input, { legend: false });
    const p = await parseFlowchart(d.text);
    assert.equal(p.vertices.size, 1);
    assert.equal(p.edges.length, 0);
    assert.equal(d.edgeIds.f, undefined);
  });
});
