/**
 * A graph of the shape Mermaid hands ELK for a data-flow diagram (src/core/render/mermaid.ts drawn by Mermaid's
 * ELK layout): boundaries as compound nodes, one nested, elements of a few sizes, labelled flows across
 * boundaries, and Mermaid's own layout options. The server's ELK lays it out a few times before the first real
 * drawing asks (`LayoutService.warmUp`): V8 compiles ELK's code as it runs it, and a warm ELK lays a
 * 50-element diagram out three to four times faster than a cold one. The options must be Mermaid's, so that
 * the code paths warmed are the ones a drawing takes (a unit test compares them with a drawing's).
 */

/** Mermaid's options on the root of the graph (mermaid's layout-elk, flowchart, direction LR). */
export const MERMAID_ROOT_OPTIONS: Record<string, string | number | boolean> = {
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.algorithm': 'elk.layered',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
  'elk.layered.mergeEdges': false,
  'elk.direction': 'RIGHT',
  'spacing.baseValue': 40,
  'elk.layered.crossingMinimization.forceNodeModelOrder': false,
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.unnecessaryBendpoints': true,
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.layered.layering.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.layering.coffmanGraham.layerBound': 4,
  'elk.layered.wrapping.multiEdge.improveCuts': true,
  'elk.layered.wrapping.multiEdge.improveWrappedEdges': true,
  'elk.layered.edgeRouting.selfLoopDistribution': 'EQUALLY',
  'elk.layered.mergeHierarchyEdges': true,
  'elk.spacing.portsSurrounding': '[top=12,left=12,bottom=12,right=12]',
};

/** Mermaid's options on a subgraph (a trust boundary). */
function groupOptions(minWidth: number): Record<string, string | number | boolean> {
  return {
    'nodeSize.constraints': '[MINIMUM_SIZE, NODE_LABELS]',
    'nodeSize.minimum': `(${minWidth}, 0)`,
    'spacing.baseValue': 24,
    'elk.layered.spacing.edgeNodeBetweenLayers': 30,
    'elk.spacing.edgeEdge': 20,
    'spacing.nodeNode': 50,
    'elk.padding': '[top=24,left=24,bottom=24,right=24]',
    'nodeLabels.placement': '[H_CENTER V_TOP, INSIDE]',
    'elk.layered.mergeEdges': false,
    'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    'elk.layered.nodePlacement.networkSimplex.nodeFlexibility': 'PORT_POSITION',
    'elk.spacing.portsSurrounding': '[top=12,left=12,bottom=12,right=12]',
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  };
}

interface Label { layoutOptions?: Record<string, string>; width: number; height: number; text: string }
interface ElkNode { id: string; layoutOptions: Record<string, string | number | boolean>; width?: number; height?: number; children?: ElkNode[]; labels?: Label[] }
interface ElkEdge { id: string; labels: Label[]; width: number; height: number; sources: string[]; targets: string[]; text: string }
export interface WarmGraph { id: string; layoutOptions: Record<string, string | number | boolean>; children: ElkNode[]; edges: ElkEdge[] }

/**
 * `elements` elements in `boundaries` boundaries (the second holding a nested one), `flows` flows between
 * them. Deterministic: the same graph every time. Its members and numbers look like Mermaid's (measured sizes
 * are fractions; flows carry their label's size and text twice): V8 compiles ELK's code for the shapes of
 * objects it has seen, and a warm-up on integer sizes left the first real layout 40% slower.
 */
export function warmGraph(elements = 50, boundaries = 5, flows = 64): WarmGraph {
  const sizes = [[152, 40], [170, 40], [144, 80.1487045288086], [162.890625, 40]] as const;
  const node = (i: number): ElkNode => {
    const [width, height] = sizes[i % sizes.length];
    return { id: `n${i}`, layoutOptions: { 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' }, width, height };
  };
  const group = (id: string, children: ElkNode[], k: number): ElkNode => ({
    id, layoutOptions: groupOptions(120.78125 + 17.75 * k), children, labels: [{ width: 112.78125 + 17.75 * k, height: 13.999999046325684, text: `Zone ${k} · trusted` }],
  });
  const groups: ElkNode[][] = Array.from({ length: Math.max(1, boundaries) }, () => []);
  for (let i = 0; i < elements; i++) groups[i % groups.length].push(node(i));
  const children = groups.map((members, b) => group(`b${b}`, members, b));
  if (children.length > 1 && children[1].children!.length > 4) {
    const inner = children[1].children!.splice(0, Math.floor(children[1].children!.length / 2));
    children[1].children!.push(group('b-inner', inner, boundaries));
  }
  const edges: ElkEdge[] = [];
  const protocols = ['🔒 https', 'amqp', 'sql', '🔒 grpc'];
  for (let k = 0; k < flows; k++) {
    const from = (k * 7 + 3) % elements;
    let to = (k * 13 + 11) % elements;
    if (to === from) to = (to + 1) % elements;
    const text = protocols[k % protocols.length];
    const width = 30.5 + text.length * 4.0546875;
    const height = 19.999998092651367;
    edges.push({
      id: `e${k}`, labels: [{ layoutOptions: { 'edgeLabels.inline': 'true', 'edgeLabels.placement': 'CENTER' }, width, height, text }],
      width, height, sources: [`n${from}`], targets: [`n${to}`], text,
    });
  }
  return { id: 'root', layoutOptions: { ...MERMAID_ROOT_OPTIONS }, children, edges };
}
