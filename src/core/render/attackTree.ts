/**
 * Attack trees as Mermaid `flowchart TB`: the goal on top, AND/OR gates as hexagons, plain leaves as
 * rectangles, threat leaves as subroutine boxes styled `blocked` or `reachable`, references to other trees as
 * parallelograms. Whether a threat leaf is blocked is the caller's business (a `blocked(threatId)` predicate;
 * the attack-tree evaluation lives in core/risk); gates combine their children (AND is reachable when every
 * child is, OR when one is). As in the data-flow diagram, ids are generated and every label is encoded.
 */
import type { AttackNode, AttackTree } from '../model/schema';
import { mermaidLines, WIDE_LABEL_WRAP } from './encode';

export interface AttackTreeOptions {
  /** Whether the threat with this id no longer opens the attack path (e.g. it is mitigated). */
  blocked: (threatId: string) => boolean;
  /** Whether a referenced tree's goal is blocked; unknown trees count as reachable. */
  treeBlocked?: (treeId: string) => boolean | undefined;
  /** Display title of a threat (defaults to its id). */
  threatTitle?: (threatId: string) => string | undefined;
  /** Display goal of another tree (defaults to its id). */
  treeGoal?: (treeId: string) => string | undefined;
  /** Nodes drawn before the rest is summarised in one "more" node (default 200). */
  maxNodes?: number;
}

export type AttackNodeKind = 'goal' | 'and' | 'or' | 'leaf' | 'threat' | 'tree' | 'more';

export interface AttackTreeNodeInfo {
  kind: AttackNodeKind;
  /** The threat id (threat leaves) or tree id (tree references). */
  ref?: string;
  /** Path of the node below the tree entry, e.g. ['or', 1, 'and', 0]; [] for the goal. */
  path: (string | number)[];
  reachable: boolean;
}

export interface AttackTreeDiagram {
  text: string;
  /** Mermaid node id -> what it is. */
  nodes: Record<string, AttackTreeNodeInfo>;
  /** Whether the goal is reachable. */
  reachable: boolean;
  /** Nodes left out because of `maxNodes`. */
  truncated: number;
}

export const ATTACK_CLASS_DEFS = {
  reachable: 'fill:#b71c1c,stroke:#ff8a80,stroke-width:2px,color:#ffffff',
  blocked: 'fill:#2e7d32,stroke:#a5d6a7,stroke-width:1px,color:#ffffff,stroke-dasharray:4 2',
  gate: 'stroke-width:2px',
  goal: 'stroke-width:3px',
} as const;

const GATE_WORD = { and: 'AND · all of', or: 'OR · any of' } as const;

/** Whether `node` is reachable (AND: all children; OR: any child; leaves reachable; threats per predicate). */
export function nodeReachable(node: AttackNode, opts: AttackTreeOptions, depth = 0): boolean {
  if (depth > 64) return true;
  if (node.threat !== undefined) return !opts.blocked(node.threat);
  if (node.tree !== undefined) return !(opts.treeBlocked?.(node.tree) ?? false);
  if (node.and) return node.and.every(c => nodeReachable(c, opts, depth + 1));
  if (node.or) return node.or.some(c => nodeReachable(c, opts, depth + 1));
  return true;
}

function details(node: AttackNode): string | undefined {
  const parts: string[] = [];
  if (node.cost !== undefined) parts.push(`cost ${node.cost}`);
  if (node.probability !== undefined) parts.push(`p ${node.probability}`);
  return parts.length ? parts.join(' · ') : undefined;
}

export function attackTreeDiagram(tree: AttackTree, opts: AttackTreeOptions): AttackTreeDiagram {
  const maxNodes = opts.maxNodes ?? 200;
  const lines = ['flowchart TB'];
  const edges: string[] = [];
  const nodes: Record<string, AttackTreeNodeInfo> = {};
  const classes: Record<'reachable' | 'blocked' | 'gate' | 'goal', string[]> = { reachable: [], blocked: [], gate: [], goal: [] };
  let next = 0;
  let truncated = 0;

  const op = tree.and ? 'and' : 'or';
  const children = tree.and ?? tree.or ?? [];
  const rootReachable = nodeReachable({ [op]: children } as AttackNode, opts);
  const goal = `t${next++}`;
  nodes[goal] = { kind: 'goal', path: [], reachable: rootReachable };
  lines.push(`  ${goal}([${mermaidLines([`Goal · ${tree.goal}`, GATE_WORD[op], rootReachable ? 'reachable' : 'blocked'], 70, WIDE_LABEL_WRAP)}])`);
  classes.goal.push(goal);
  classes[rootReachable ? 'reachable' : 'blocked'].push(goal);

  const visit = (node: AttackNode, parent: string, path: (string | number)[], depth: number) => {
    if (next >= maxNodes || depth > 64) {
      truncated += 1 + countNodes(node);
      return;
    }
    const id = `t${next++}`;
    const reachable = nodeReachable(node, opts);
    const state = reachable ? 'reachable' : 'blocked';
    if (node.threat !== undefined) {
      nodes[id] = { kind: 'threat', ref: node.threat, path, reachable };
      const title = opts.threatTitle?.(node.threat) ?? node.threat;
      lines.push(`  ${id}[[${mermaidLines([title, `threat ${node.threat} · ${state}`, details(node)], 60, WIDE_LABEL_WRAP)}]]`);
      classes[state].push(id);
    } else if (node.tree !== undefined) {
      nodes[id] = { kind: 'tree', ref: node.tree, path, reachable };
      lines.push(`  ${id}[/${mermaidLines([`See tree: ${opts.treeGoal?.(node.tree) ?? node.tree}`, state], 60, WIDE_LABEL_WRAP)}/]`);
      classes[state].push(id);
    } else if (node.and || node.or) {
      const gate = node.and ? 'and' : 'or';
      nodes[id] = { kind: gate, path, reachable };
      lines.push(`  ${id}{{${mermaidLines([node.label, GATE_WORD[gate], details(node)], 60, WIDE_LABEL_WRAP)}}}`);
      classes.gate.push(id);
      classes[state].push(id);
    } else {
      nodes[id] = { kind: 'leaf', path, reachable };
      lines.push(`  ${id}[${mermaidLines([node.leaf ?? node.label ?? 'step', details(node)], 60, WIDE_LABEL_WRAP)}]`);
    }
    edges.push(`  ${parent} --> ${id}`);
    const kids = node.and ?? node.or;
    if (kids) kids.forEach((c, i) => visit(c, id, [...path, node.and ? 'and' : 'or', i], depth + 1));
  };
  children.forEach((c, i) => visit(c, goal, [op, i], 1));

  if (truncated > 0) {
    const id = `t${next++}`;
    nodes[id] = { kind: 'more', path: [], reachable: rootReachable };
    lines.push(`  ${id}[${mermaidLines([`${truncated} more steps not drawn`], undefined, WIDE_LABEL_WRAP)}]`);
    edges.push(`  ${goal} -.- ${id}`);
  }
  lines.push(...edges);
  for (const [cls, style] of Object.entries(ATTACK_CLASS_DEFS)) lines.push(`  classDef ${cls} ${style}`);
  for (const [cls, ids] of Object.entries(classes)) {
    for (let i = 0; i < ids.length; i += 50) if (ids.length) lines.push(`  class ${ids.slice(i, i + 50).join(',')} ${cls}`);
  }
  return { text: lines.join('\n') + '\n', nodes, reachable: rootReachable, truncated };
}

function countNodes(node: AttackNode, depth = 0): number {
  if (depth > 64) return 0;
  let n = 0;
  for (const c of node.and ?? node.or ?? []) n += 1 + countNodes(c, depth + 1);
  return n;
}
