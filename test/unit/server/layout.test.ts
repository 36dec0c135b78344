/**
 * The language server's layout engine (src/server/layout/): ELK in a worker thread, which lays the visual
 * editor's graphs out and stays warm between drawings. What the visual editor relies on: a laid-out graph back
 * for a graph of Mermaid's shape, an error (never a crash or a hang) for a graph ELK refuses, text that is not
 * JSON or a layout that runs too long, and a drawing's layout served before the warm-up's.
 */
import * as assert from 'node:assert/strict';
import { LayoutService } from '../../../src/server/layout/service';
import { MERMAID_ROOT_OPTIONS, warmGraph } from '../../../src/server/layout/warmGraph';
import { copyLayout, FEW_SWEEPS_FROM_EDGES, layoutGraph, tuneForSize } from '../../../src/shared/layoutGraph';
import { LAYOUT_MAX_CHARS, LayoutRequest, LayoutStatusRequest, LayoutWarmNotification } from '../../../src/shared/layoutRequests';
import { ensureServerBuilt, fileUri, LspClient, ROOT } from './lspClient';
import path from 'node:path';

type Box = { id: string; x: number; y: number; width: number; height: number; children?: Box[] };
type Laid = Box & { children: Box[]; edges: { id: string; sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number } }[] }[] };

/** Every node with its absolute box (ELK's positions are relative to the parent). */
function boxes(node: Box, dx = 0, dy = 0, out: Box[] = []): Box[] {
  for (const c of node.children ?? []) {
    const x = dx + c.x;
    const y = dy + c.y;
    out.push({ ...c, x, y });
    boxes(c, x, y, out);
  }
  return out;
}

describe('layout engine (language server)', function () {
  this.timeout(60_000);
  let service: LayoutService;
  beforeEach(() => { service = new LayoutService(); });
  afterEach(() => service.dispose());

  it('lays a graph of Mermaid\'s shape out: every node placed inside its boundary, every flow routed', async () => {
    const graph = warmGraph(24, 3, 30);
    const r = await service.layout(JSON.stringify(graph));
    const out = JSON.parse(r.graphJson) as Laid;
    assert.ok(out.width > 0 && out.height > 0, 'the drawing has a size');
    const all = boxes(out);
    assert.equal(all.filter(b => b.id.startsWith('n')).length, 24, 'every element is in the answer');
    for (const b of all) assert.ok([b.x, b.y, b.width, b.height].every(Number.isFinite), `${b.id} is placed`);
    // an element lies within its boundary
    for (const group of out.children) {
      for (const c of group.children ?? []) {
        assert.ok(c.x >= 0 && c.y >= 0 && c.x + c.width <= group.width + 0.01 && c.y + c.height <= group.height + 0.01, `${c.id} inside ${group.id}`);
      }
    }
    // no two elements overlap
    const leaves = all.filter(b => !b.children);
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        const a = leaves[i], b = leaves[j];
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `${a.id} and ${b.id} do not overlap`);
      }
    }
    assert.equal(out.edges.length, 30);
    for (const e of out.edges) assert.ok(e.sections?.length, `${e.id} is routed`);
    assert.ok(r.ms > 0);
  });

  it('answers a graph ELK refuses, or text that is not JSON, with an error, and goes on laying out', async () => {
    await assert.rejects(service.layout('{"id":"root","edges":[{"id":"e","sources":["x"],"targets":["y"]}]}'), /ELK could not lay the diagram out: .*does not exist: x/);
    await assert.rejects(service.layout('{"id": "root", '), /not JSON/);
    const r = await service.layout(JSON.stringify(warmGraph(6, 2, 6)));
    assert.ok((JSON.parse(r.graphJson) as Laid).width > 0, 'the next graph is laid out');
    assert.equal(service.status().layouts, 1);
  });

  it('stops a layout that runs too long and lays the next one out with a new worker', async () => {
    service.timeoutMs = 1; // shorter than starting ELK at all
    await assert.rejects(service.layout(JSON.stringify(warmGraph())), /took longer than .* and was stopped/);
    service.timeoutMs = 30_000;
    const r = await service.layout(JSON.stringify(warmGraph(6, 2, 6)));
    assert.ok((JSON.parse(r.graphJson) as Laid).width > 0);
  });

  it('warms up in the background, and a drawing\'s layout goes before the warm-ups still waiting', async () => {
    const warm = new LayoutService({ warmUps: 4 });
    try {
      assert.equal(warm.status().state, 'off');
      warm.warmUp();
      assert.equal(warm.status().state, 'warming');
      const r = await warm.layout(JSON.stringify(warmGraph(6, 2, 6)));
      assert.ok(r.graphJson.startsWith('{'));
      assert.ok(warm.status().warmUps <= 1, `served after at most the warm-up already running (${warm.status().warmUps})`);
      const t0 = Date.now();
      while (warm.status().state !== 'warm' && Date.now() - t0 < 50_000) await new Promise(res => setTimeout(res, 20));
      assert.deepEqual(warm.status(), { state: 'warm', warmUps: 4, layouts: 1, engine: 'elk-worker.min.js' });
    } finally {
      warm.dispose();
    }
  });

  it('refuses more layouts than may wait at once, and serves those it took', async () => {
    const g = JSON.stringify(warmGraph(6, 2, 6));
    const asked = Array.from({ length: 20 }, () => service.layout(g).then(() => 'laid out', (e: Error) => e.message));
    const answers = await Promise.all(asked);
    // the first starts at once; 16 more may wait
    assert.equal(answers.filter(a => a === 'laid out').length, 17);
    assert.ok(answers.slice(17).every(a => /busy/.test(a)), answers.slice(17).join('; '));
  });

  it('refuses work once disposed', async () => {
    service.dispose();
    await assert.rejects(service.layout(JSON.stringify(warmGraph(4, 1, 2))), /not available/);
  });

  it('warms up with Mermaid\'s own options (the webview test compares them with a drawing\'s graph)', () => {
    const g = warmGraph();
    assert.deepEqual(g.layoutOptions, MERMAID_ROOT_OPTIONS);
    assert.equal(g.layoutOptions['elk.algorithm'], 'elk.layered');
    assert.equal(g.layoutOptions['elk.hierarchyHandling'], 'INCLUDE_CHILDREN');
  });
});

describe('layout graph (webview)', () => {
  it('keeps only what ELK reads, in order, and the answer copied back places Mermaid\'s own objects', async () => {
    const mermaidGraph = {
      id: 'root', layoutOptions: { 'elk.direction': 'RIGHT' }, cssClasses: 'x', look: 'neo',
      children: [
        { id: 'b0', label: 'Zone <b>0</b>', isGroup: true, layoutOptions: { 'elk.padding': '[top=24]' }, labels: [{ text: 'Zone 0', width: 60, height: 14 }],
          children: [{ id: 'n0', label: 'A', shape: 'rect', width: 120, height: 40, domId: 'flowchart-n0' }, { id: 'n1', label: 'B', width: 120, height: 40 }] },
      ],
      edges: [{ id: 'e0', sources: ['n0'], targets: ['n1'], label: 'https', classes: 'flowchart-link', labels: [{ text: 'https', width: 40, height: 20, layoutOptions: { 'edgeLabels.inline': 'true' } }] }],
    };
    const sent = layoutGraph(mermaidGraph) as typeof mermaidGraph;
    const json = JSON.stringify(sent);
    for (const own of ['cssClasses', 'look', 'isGroup', 'shape', 'domId', 'flowchart-link', '<b>']) assert.ok(!json.includes(own), `${own} stays on the page`);
    assert.deepEqual(sent.children[0].children.map(c => c.id), ['n0', 'n1']);
    // a label keeps its text: ELK lays labels without text out differently
    assert.deepEqual(sent.edges[0].labels[0], { layoutOptions: { 'edgeLabels.inline': 'true' }, width: 40, height: 20, text: 'https' });

    const service = new LayoutService();
    try {
      const out = JSON.parse((await service.layout(json)).graphJson);
      copyLayout(mermaidGraph, out);
      const n1 = mermaidGraph.children[0].children[1] as { x?: number; label: string };
      assert.equal(n1.label, 'B', 'Mermaid\'s own members stay');
      assert.ok(Number.isFinite(n1.x), 'and get their positions');
      assert.ok((mermaidGraph.edges[0] as { sections?: unknown[] }).sections?.length, 'the flow gets its route');
    } finally {
      service.dispose();
    }
  });
});

describe('layout options by size (webview)', () => {
  /** Twenty nodes and a boundary of two, with Mermaid's root options: `edges` flows, `nested` of them inside the boundary. */
  const graph = (edges: number, nested = 0) => ({
    id: 'root', layoutOptions: { ...MERMAID_ROOT_OPTIONS } as Record<string, unknown>,
    children: [
      { id: 'b0', layoutOptions: { 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' }, children: [{ id: 'n0', width: 80, height: 40 }, { id: 'n1', width: 80, height: 40 }],
        edges: Array.from({ length: nested }, (_, i) => ({ id: `in${i}`, sources: ['n0'], targets: ['n1'] })) },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, width: 80, height: 40 })),
    ],
    edges: Array.from({ length: edges - nested }, (_, i) => ({ id: `e${i}`, sources: [`m${i % 20}`], targets: [i % 3 ? `m${(i * 7 + 1) % 20}` : 'n0'], labels: [{ text: `${i} flows`, width: 50, height: 18 }] })),
  });

  it('gives a large graph fewer crossing sweeps, counting the flows inside boundaries, and leaves smaller ones to ELK', () => {
    const small = graph(FEW_SWEEPS_FROM_EDGES - 1, 5);
    assert.equal(tuneForSize(small), false);
    assert.ok(!('elk.layered.thoroughness' in small.layoutOptions));
    const large = graph(FEW_SWEEPS_FROM_EDGES, 5);
    assert.equal(tuneForSize(large), true);
    assert.equal(large.layoutOptions['elk.layered.thoroughness'], '3');
    assert.equal(tuneForSize(large), false, 'once');
    const chosen = graph(80);
    chosen.layoutOptions['elk.layered.thoroughness'] = '7';
    assert.equal(tuneForSize(chosen), false, 'a sweep count already chosen stays');
    assert.equal(chosen.layoutOptions['elk.layered.thoroughness'], '7');
    for (const odd of [null, 'graph', { id: 'x', layoutOptions: 'text', edges: Array.from({ length: 70 }, () => ({})) }]) assert.equal(tuneForSize(odd), false);
  });

  it('still places every node and routes every flow of a graph so tuned', async () => {
    const g = graph(90, 10);
    assert.ok(tuneForSize(g));
    const service = new LayoutService();
    try {
      const out = JSON.parse((await service.layout(JSON.stringify(g))).graphJson) as Laid;
      assert.ok(boxes(out).every(b => Number.isFinite(b.x) && Number.isFinite(b.y)));
      const routed = [...out.edges, ...((out.children[0] as unknown as Laid).edges ?? [])].filter(e => e.sections?.length);
      assert.equal(routed.length, 90);
    } finally {
      service.dispose();
    }
  });
});

describe('rampart/layout (the bundled server, over LSP)', function () {
  this.timeout(120_000);
  before(function () {
    this.timeout(240_000);
    ensureServerBuilt();
  });

  it('lays a graph out with the ELK shipped beside it, and refuses one over the size limit', async () => {
    const client = await LspClient.start();
    try {
      const r = await client.conn.sendRequest(LayoutRequest, { graphJson: JSON.stringify(warmGraph(8, 2, 8)) });
      assert.ok((JSON.parse(r.graphJson) as Laid).width > 0);
      await assert.rejects(client.conn.sendRequest(LayoutRequest, { graphJson: `{"id":"root","x":"${'x'.repeat(LAYOUT_MAX_CHARS)}"}` }), /too large to lay out/);
      await assert.rejects(client.conn.sendRequest(LayoutRequest, { graphJson: 42 as unknown as string }), /no graph/);
      // a client that does not draw diagrams gets no warm-up (one that does gets it 3 s after a model is opened)
      await client.open(fileUri(path.join(ROOT, 'examples', 'x.threatmodel.yaml')), 'rampart: 1\ntitle: T\n');
      await new Promise(res => setTimeout(res, 4000));
      const st = await client.conn.sendRequest(LayoutStatusRequest, {});
      assert.equal(st.warmUps, 0);
      assert.equal(st.layouts, 1, 'only the layout asked for');
    } finally {
      await client.stop();
    }
  });

  it('warms ELK up once a model is opened, for a client that draws diagrams', async () => {
    const client = await LspClient.start({ initializationOptions: { diagramLayout: true } });
    let told = 0;
    client.conn.onNotification(LayoutWarmNotification, () => { told++; });
    try {
      assert.equal((await client.conn.sendRequest(LayoutStatusRequest, {})).state, 'off', 'nothing before a model is open');
      await client.open(fileUri(path.join(ROOT, 'examples', 'x.threatmodel.yaml')), 'rampart: 1\ntitle: T\n');
      const t0 = Date.now();
      let status = await client.conn.sendRequest(LayoutStatusRequest, {});
      while (status.state !== 'warm' && Date.now() - t0 < 100_000) {
        await new Promise(res => setTimeout(res, 100));
        status = await client.conn.sendRequest(LayoutStatusRequest, {});
      }
      assert.equal(status.state, 'warm');
      assert.equal(status.warmUps, 10);
      assert.equal(status.engine, 'elk.js', 'the ELK the webview ships (dist/webview/elk.js), as in the .vsix');
      assert.equal(told, 1, 'the client is told once that the server\'s ELK is warm');
    } finally {
      await client.stop();
    }
  });
});
