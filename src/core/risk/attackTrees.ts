/**
 * Attack-tree evaluation: is the goal still reachable given the threats' residual states, what is the
 * cheapest way there, and how likely is the likeliest one.
 *
 * Semantics (what a node means):
 * - `leaf:` an attacker step described in words: always reachable.
 * - `threat:` a step that is one of the model's threats: blocked when the threat's residual is mitigated or
 *   not-applicable; reachable when it is open, partially mitigated, accepted, transferred or expired (an
 *   accepted or transferred risk is still there). A threat id that does not exist counts as reachable (the
 *   dangling reference is a schema finding of its own; assuming the step possible is the cautious reading).
 * - `tree:` the goal of another tree. A tree that does not exist is unreachable (listed in `missingTrees`).
 *   A reference inside a cycle of trees (a tree that, directly or through others, refers back to itself)
 *   is unreachable too, whatever tree the evaluation starts from: a cyclic definition cannot be a way in.
 *   Cycles are reported (`cycle`, `attackTreeCycles`), never followed.
 * - `and:` reachable when every child is; `or:` when any child is. A tree's goal is its top `and:`/`or:`.
 *
 * Numbers:
 * - Cost: AND sums its children, OR takes the cheapest reachable child. A node without `cost` counts as 0
 *   (an unknown step is assumed free, the cautious reading); `cost` on an inner node (and/or/tree) is added
 *   to its children's. `cheapestCost` is only given when some evaluated node carries a cost.
 * - Probability: AND multiplies (steps taken as independent), OR takes the likeliest reachable child. A
 *   node without `probability` counts as 1 (assumed certain); one on an inner node multiplies its
 *   children's. `likeliestProbability` is only given when some evaluated node carries a probability. The
 *   cheapest and the likeliest way may be different ways.
 * - `path` is the cheapest reachable way: the model paths of its nodes in pre-order, starting at the tree
 *   (`['attack_trees', id]`); ties go to the likelier way, then to the first listed.
 */
import type { AttackNode, AttackTree, Model } from '../model/schema';
import type { Path } from '../types';
import { assessThreat, type Residual, type ThreatAssessment } from './assess';

export interface BlockedLeaf {
  /** Model path of the `threat:` node. */
  path: Path;
  threat: string;
  residual: Residual;
}

export interface TreeEvaluation {
  treeId: string;
  reachable: boolean;
  /** Cost of the cheapest reachable way (only when reachable and some node has a cost). */
  cheapestCost?: number;
  /** Probability of the likeliest reachable way (only when reachable and some node has a probability). */
  likeliestProbability?: number;
  /** Node paths of the cheapest reachable way, root first; empty when the goal is unreachable. */
  path: Path[];
  /** `threat:` leaves blocked by a mitigated or not-applicable threat, in this tree and the trees it uses. */
  blockedLeaves: BlockedLeaf[];
  /** A cycle of tree references this tree takes part in or leads to, closed: ['a', 'b', 'a']. */
  cycle?: string[];
  /** Ids of referenced trees that do not exist. */
  missingTrees: string[];
}

const BLOCKING: ReadonlySet<Residual> = new Set<Residual>(['mitigated', 'not-applicable']);

interface NodeResult {
  reachable: boolean;
  cost: number;
  probability: number;
  path: Path[];
}

const UNREACHABLE: NodeResult = { reachable: false, cost: Infinity, probability: 0, path: [] };

/** The trees a tree refers to with `tree:` nodes, in document order (duplicates kept). */
function treeRefs(tree: AttackTree): string[] {
  const out: string[] = [];
  const walk = (n: AttackNode) => {
    if (n.tree !== undefined) out.push(n.tree);
    for (const c of n.and ?? []) walk(c);
    for (const c of n.or ?? []) walk(c);
  };
  for (const c of tree.and ?? []) walk(c);
  for (const c of tree.or ?? []) walk(c);
  return out;
}

/** Strongly connected components of the tree-reference graph: tree id -> component number. */
function components(model: Model): { comp: Map<string, number>; members: string[][] } {
  const trees = model.attack_trees ?? {};
  const ids = Object.keys(trees);
  const edges = new Map(ids.map(id => [id, treeRefs(trees[id]).filter(r => Object.hasOwn(trees, r))]));
  // Tarjan's algorithm, iterative so deep reference chains cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comp = new Map<string, number>();
  const members: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const out = edges.get(v)!;
      if (i < out.length) {
        frame[1]++;
        const w = out[i];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.set(w, members.length);
          group.push(w);
        } while (w !== v);
        members.push(group);
      }
    }
  }
  return { comp, members };
}

/**
 * Cycles of `tree:` references, one per group of trees that refer to each other (and one per tree that
 * refers to itself), each closed (['a', 'b', 'a']) and starting at the group's first tree in the file.
 */
export function attackTreeCycles(model: Model): string[][] {
  const trees = model.attack_trees ?? {};
  const ids = Object.keys(trees);
  const order = new Map(ids.map((id, i) => [id, i]));
  const { comp, members } = components(model);
  const cycles: string[][] = [];
  for (const group of members) {
    const start = group.reduce((a, b) => (order.get(a)! <= order.get(b)! ? a : b));
    const c = comp.get(start)!;
    const refs = (id: string) => treeRefs(trees[id]).filter(r => comp.get(r) === c);
    if (group.length === 1 && !refs(start).includes(start)) continue;
    // Shortest cycle through `start` within the group (breadth-first).
    const prev = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    for (let q = 0; q < queue.length && closing === undefined; q++) {
      const v = queue[q];
      for (const w of refs(v)) {
        if (w === start) { closing = v; break; }
        if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
      }
    }
    const cycle = [start];
    for (let v = closing!; v !== start; v = prev.get(v)!) cycle.splice(1, 0, v);
    cycle.push(start);
    cycles.push(cycle);
  }
  return cycles.sort((a, b) => order.get(a[0])! - order.get(b[0])!);
}

/** Evaluates one attack tree; undefined when the model has no tree of that id. */
export function evaluateTree(model: Model, treeId: string, assessments: ReadonlyMap<string, ThreatAssessment>): TreeEvaluation | undefined {
  const trees = model.attack_trees ?? {};
  if (!Object.hasOwn(trees, treeId)) return undefined;
  const { comp } = components(model);
  /** Tree id -> [cheapest way, likeliest probability]; results do not depend on where a tree is used. */
  const memo = new Map<string, [NodeResult, number]>();
  const visited = new Set<string>();
  const blockedLeaves: BlockedLeaf[] = [];
  const missingTrees = new Set<string>();
  let anyCost = false;
  let anyProbability = false;
  /** The tree whose nodes are being evaluated (a `tree:` reference is cut when it stays in its cycle). */
  let currentTree = treeId;

  const residualOf = (id: string): Residual | undefined => {
    const a = assessments.get(id);
    if (a) return a.residual;
    const t = model.threats && Object.hasOwn(model.threats, id) ? model.threats[id] : undefined;
    return t ? assessThreat(model, id, t).residual : undefined;
  };

  /** Applies an inner node's own cost and probability to its children's result. */
  const own = (node: { cost?: number; probability?: number }, r: NodeResult, best: number): [NodeResult, number] => {
    if (node.cost !== undefined) anyCost = true;
    if (node.probability !== undefined) anyProbability = true;
    if (!r.reachable) return [r, 0];
    const p = node.probability ?? 1;
    return [{ ...r, cost: r.cost + (node.cost ?? 0), probability: r.probability * p }, best * p];
  };

  /** Combines children: AND needs all, OR takes the cheapest (ties: likelier, then first). */
  const combine = (op: 'and' | 'or', children: AttackNode[], path: Path): [NodeResult, number] => {
    const results = children.map((c, i) => node(c, [...path, op, i]));
    if (op === 'and') {
      if (results.length === 0 || results.some(([r]) => !r.reachable)) return [UNREACHABLE, 0];
      return [{
        reachable: true,
        cost: results.reduce((s, [r]) => s + r.cost, 0),
        probability: results.reduce((s, [r]) => s * r.probability, 1),
        path: [path, ...results.flatMap(([r]) => r.path)],
      }, results.reduce((s, [, b]) => s * b, 1)];
    }
    let best: NodeResult | undefined;
    let bestProbability = 0;
    for (const [r, b] of results) {
      if (!r.reachable) continue;
      bestProbability = Math.max(bestProbability, b);
      if (!best || r.cost < best.cost || (r.cost === best.cost && r.probability > best.probability)) best = r;
    }
    return best ? [{ ...best, path: [path, ...best.path] }, bestProbability] : [UNREACHABLE, 0];
  };

  const node = (n: AttackNode, path: Path): [NodeResult, number] => {
    if (n.leaf !== undefined) {
      return own(n, { reachable: true, cost: 0, probability: 1, path: [path] }, 1);
    }
    if (n.threat !== undefined) {
      const residual = residualOf(n.threat);
      if (residual && BLOCKING.has(residual)) {
        blockedLeaves.push({ path, threat: n.threat, residual });
        return own(n, UNREACHABLE, 0);
      }
      return own(n, { reachable: true, cost: 0, probability: 1, path: [path] }, 1);
    }
    if (n.tree !== undefined) {
      const [r, b] = tree(n.tree, currentTree);
      return own(n, r.reachable ? { ...r, path: [path, ...r.path] } : r, b);
    }
    if (n.and !== undefined) return own(n, ...combine('and', n.and, path));
    if (n.or !== undefined) return own(n, ...combine('or', n.or, path));
    return [UNREACHABLE, 0];
  };

  const tree = (id: string, from: string | undefined): [NodeResult, number] => {
    if (!Object.hasOwn(trees, id)) {
      missingTrees.add(id);
      return [UNREACHABLE, 0];
    }
    if (from !== undefined && comp.get(id) === comp.get(from)) return [UNREACHABLE, 0];
    const cached = memo.get(id);
    if (cached) return cached;
    visited.add(id);
    const saved = currentTree;
    currentTree = id;
    const t = trees[id];
    const path: Path = ['attack_trees', id];
    const result: [NodeResult, number] = t.and !== undefined ? combine('and', t.and, path) : t.or !== undefined ? combine('or', t.or, path) : [UNREACHABLE, 0];
    currentTree = saved;
    memo.set(id, result);
    return result;
  };

  const [root, best] = tree(treeId, undefined);
  const cycle = attackTreeCycles(model).find(c => c.some(id => visited.has(id)));
  const out: TreeEvaluation = {
    treeId,
    reachable: root.reachable,
    path: root.path,
    blockedLeaves,
    missingTrees: [...missingTrees],
  };
  if (root.reachable && anyCost) out.cheapestCost = root.cost;
  if (root.reachable && anyProbability) out.likeliestProbability = best;
  if (cycle) out.cycle = cycle;
  return out;
}

/** Every tree of the model, evaluated, keyed by tree id. */
export function evaluateTrees(model: Model, assessments: ReadonlyMap<string, ThreatAssessment>): Map<string, TreeEvaluation> {
  const out = new Map<string, TreeEvaluation>();
  for (const id of Object.keys(model.attack_trees ?? {})) out.set(id, evaluateTree(model, id, assessments)!);
  return out;
}

/** The node of an attack tree at a model path (['attack_trees', id, 'or', 1, 'and', 0]). */
export function attackNodeAt(model: Model, path: Path): AttackNode | undefined {
  let cur: unknown = model;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg as string];
  }
  return cur && typeof cur === 'object' ? (cur as AttackNode) : undefined;
}

export interface StepFormat {
  leaf(text: string): string;
  threat(id: string, title: string | undefined): string;
  trees(ids: string[]): string;
}

const PLAIN_STEPS: StepFormat = {
  leaf: t => t,
  threat: (id, title) => (title ? `${title} (${id})` : id),
  trees: ids => `through the goal of ${ids.join(', ')}`,
};

/**
 * The steps of an attack path in words: leaves and threats in order (gates are implied), then the other
 * trees whose goals the path goes through. `format` renders each (plain text by default; Markdown in reports).
 */
export function pathSteps(model: Model, paths: readonly Path[], format: StepFormat = PLAIN_STEPS): string[] {
  const steps: string[] = [];
  const via: string[] = [];
  for (const p of paths) {
    if (p[0] === 'attack_trees' && p.length === 2) continue; // a tree's root (its own `threat:` is the goal, not a step)
    const n = attackNodeAt(model, p);
    if (!n) continue;
    if (n.leaf !== undefined) steps.push(format.leaf(n.leaf));
    else if (n.threat !== undefined) steps.push(format.threat(n.threat, model.threats?.[n.threat]?.title));
    else if (n.tree !== undefined) via.push(n.tree);
  }
  if (via.length) steps.push(format.trees(via));
  return steps;
}
