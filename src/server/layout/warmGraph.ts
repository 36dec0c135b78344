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

interface ElkNode { id: string; layoutOptions: Record<string, string | number | boolean>; width?: number; height?: number; children?: ElkNode[]; labels?: { text: string; width: number; height: number }[] }
interface ElkEdge { id: string; sources: string[]; targets: string[]; labels: { text: string; width: number; height: number; layoutOptions: Record<string, string> }[] }
export interface WarmGraph { id: string; layoutOptions: Record<string, string | number | boolean>; children: ElkNode[]; edges: ElkEdge[] }

/**
 * `elements` elements in `boundaries` boundaries (the second holding a nested one), `flows` flows between
 * them. Deterministic: the same graph every time.
 */
export function warmGraph(elements = 50, boundaries = 5, flows = 64): WarmGraph {
  const sizes = [[152, 40], [170, 40], [144, 80]] as const;
  const node = (i: number): ElkNode => {
    const [width, height] = sizes[i % sizes.length];
    return { id: `n${i}`, layoutOptions: { 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' }, width, height };
  };
  const group = (id: string, children: ElkNode[]): ElkNode => ({
    id, layoutOptions: groupOptions(130), children, labels: [{ text: `Zone ${id}`, width: 120, height: 14 }],
  });
  const groups: ElkNode[][] = Array.from({ length: Math.max(1, boundaries) }, () => []);
  for (let i = 0; i < elements; i++) groups[i % groups.length].push(node(i));
  const children = groups.map((members, b) => group(`b${b}`, members));
  if (children.length > 1 && children[1].children!.length > 4) {
    const inner = children[1].children!.splice(0, Math.floor(children[1].children!.length / 2));
    children[1].children!.push(group('b-inner', inner));
  }
  const edges: ElkEdge[] = [];
  for (let k = 0; k < flows; k++) {
    const from = (k * 7 + 3) % elements;
    let to = (k * 13 + 11) % elements;
    if (to === from) to = (to + 1) % elements;
    const text = k % 3 === 0 ? 'https' : k % 3 === 1 ? 'amqp' : 'sql';
    edges.push({ id: `e${k}`, sources: [`n${from}`], targets: [`n${to}`], labels: [{ text, width: 50, height: 20, layoutOptions: { 'edgeLabels.inline': 'true', 'edgeLabels.placement': 'CENTER' } }] });
  }
  return { id: 'root', layoutOptions: { ...MERMAID_ROOT_OPTIONS }, children, edges };
}
