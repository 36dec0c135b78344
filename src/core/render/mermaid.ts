/**
 * The data-flow diagram as Mermaid `flowchart` text, generated from the model and never copied from it:
 * node ids are generated (`n0`, `n1`, …; subgraphs `b0`…, collapsed groups `g0`…, edges `e0`…), every label
 * goes through `mermaidString`/`mermaidLines` (quoted, entity-encoded), class names come from the fixed
 * RISK_CLASSES set, and no `click`, `%%` directive, front-matter or user-supplied style is ever emitted.
 *
 * Trust boundaries become nested subgraphs (parent chains are followed cycle-safely), element types get
 * distinct shapes (external `[ ]`, process `([ ])`, store `[( )]`), flows are labelled edges (dashed when not
 * encrypted), and nodes are coloured by the highest open risk of the threats that target them.
 *
 * Mermaid refuses more than 500 edges and draws an error picture past 50,000 characters of text, so a model
 * that would pass `DEFAULT_LIMITS` gets a focused view instead: one boundary expanded and every other one
 * collapsed into a single node with a count, or (when even one boundary is too big) the neighbourhood of one
 * element. The result says so in `focused` and `note`.
 */
import type { Element, ElementType, Level, Model, Trust } from '../model/schema';
import { mermaidLines, mermaidString, NODE_LABEL_WRAP, truncate, WIDE_LABEL_WRAP } from './encode';

/** Mermaid's own hard limits (mermaid 11/12 defaults). */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT_SIZE = 50_000;

export interface DiagramLimits {
  /** Element and group nodes above which a focused view is produced. */
  maxNodes: number;
  /** Edges above which a focused view is produced (Mermaid throws past 500). */
  maxEdges: number;
  /** Characters of Mermaid text above which a focused view is produced (Mermaid fails past 50,000). */
  maxTextSize: number;
}
export const DEFAULT_LIMITS: DiagramLimits = { maxNodes: 100, maxEdges: 400, maxTextSize: 40_000 };

export const RISK_CLASSES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];
const LEVEL_ORDER: Record<RiskClass, number> = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Fixed styles: the only `classDef`s ever written. Colours carry their own text colour so both themes read. */
export const CLASS_DEFS: Record<RiskClass | 'group' | 'placeholder' | 'outofscope', string> = {
  critical: 'fill:#b71c1c,stroke:#ff8a80,stroke-width:3px,color:#ffffff',
  high: 'fill:#e65100,stroke:#ffb74d,stroke-width:2px,color:#ffffff',
  medium: 'fill:#f9a825,stroke:#8d6e00,stroke-width:2px,color:#000000',
  low: 'fill:#2e7d32,stroke:#a5d6a7,stroke-width:1px,color:#ffffff',
  none: 'stroke-width:1px',
  group: 'stroke-dasharray:6 3,stroke-width:2px',
  placeholder: 'stroke-dasharray:2 2,font-style:italic',
  /** An element marked `out_of_scope`: greyed, whatever its risk. */
  outofscope: 'fill:#9e9e9e,stroke:#616161,stroke-dasharray:3 3,color:#212121,opacity:0.55',
};
/**
 * The order in which classes apply (a later one wins): risk colours, then the dashes of groups and placeholders,
 * then the grey of what is out of scope.
 */
export const STYLE_ORDER = [...RISK_CLASSES, 'group', 'placeholder', 'outofscope'] as const;
/** A flow's edge style: the level of the open threats that target it, or `outofscope`. */
export type LinkClass = Exclude<RiskClass, 'none'> | 'outofscope';
/** Edge colours for flows that are themselves targeted by open threats (by level), and for out-of-scope flows. */
export const LINK_STYLES: Record<LinkClass, string> = {
  critical: 'stroke:#d32f2f,stroke-width:3px',
  high: 'stroke:#ef6c00,stroke-width:3px',
  medium: 'stroke:#f9a825,stroke-width:2px',
  low: 'stroke:#43a047,stroke-width:2px',
  outofscope: 'stroke:#9e9e9e,stroke-dasharray:3 3,opacity:0.55',
};

/** The slice of the model the diagram needs (small enough to send to the webview for re-focusing). */
export interface DiagramInput {
  boundaries: Record<string, { name: string; trust?: Trust; parent?: string }>;
  elements: Record<string, { type: ElementType; name: string; boundary?: string; outOfScope?: boolean }>;
  flows: Record<string, { from: string; to: string; name?: string; protocol?: string; data?: string[]; encrypted?: boolean; authenticated?: boolean; bidirectional?: boolean; outOfScope?: boolean }>;
  /** Asset names by id (for flow labels). */
  assets: Record<string, string>;
  /** Highest level among open threats targeting each element or flow id. */
  risk: Record<string, Level>;
}

export type DiagramFocus = { boundary: string } | { element: string };

export interface DataFlowOptions {
  focus?: DiagramFocus;
  /** Draw the legend subgraph (default true). */
  legend?: boolean;
  direction?: 'LR' | 'TB';
  limits?: Partial<DiagramLimits>;
  /**
   * `inline` (default): the colours are in the text (`classDef`, `class`, `linkStyle`), for the report, the CLI
   * and GitHub. `separate`: the text holds only the structure (what Mermaid lays out) and the colours are in
   * `styles`, so the visual editor can recolour a drawn diagram without drawing it again.
   */
  styles?: 'inline' | 'separate';
}

/** The colours of a diagram apart from its text: classes per Mermaid node id, risk level per edge id. */
export interface DiagramStyles {
  /** Node id -> its classes (`CLASS_DEFS` keys), in the order their styles apply (later wins). */
  nodes: Record<string, string[]>;
  /** Edge id (`e3`) -> the level of its `LINK_STYLES`. */
  links: Record<string, LinkClass>;
}

export interface DataFlowDiagram {
  /** The Mermaid text (without colours when built with `styles: 'separate'`). */
  text: string;
  /** The colours, also when they are in the text. */
  styles: DiagramStyles;
  /** Element id -> Mermaid node id (an element hidden in a collapsed group maps to the group's node). */
  nodeIds: Record<string, string>;
  /** Flow id -> Mermaid edge id (flows merged into one edge between groups share its id). */
  edgeIds: Record<string, string>;
  /** Boundary id -> subgraph id, or the group node id when the boundary is collapsed. */
  boundaryIds: Record<string, string>;
  /** Collapsed group node id -> what it stands for (click to expand `boundary`). */
  groups: Record<string, { boundary?: string; elements: number }>;
  focused: boolean;
  focus?: DiagramFocus;
  /** Why the view is focused and what is hidden, in words. */
  note?: string;
  stats: { nodes: number; edges: number; subgraphs: number; chars: number };
}

const own = <T>(o: Record<string, T> | undefined, k: string): T | undefined =>
  o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

export function maxLevel(a: Level | undefined, b: Level | undefined): Level | undefined {
  if (!a) return b;
  if (!b) return a;
  return LEVEL_ORDER[a] >= LEVEL_ORDER[b] ? a : b;
}

/**
 * The diagram input from a model and per-threat assessments (`open` and `level`, as `assessAll` returns).
 */
export function diagramInput(model: Pick<Model, 'boundaries' | 'elements' | 'flows' | 'assets' | 'threats'>, assessments?: ReadonlyMap<string, { open: boolean; level: Level | undefined }>): DiagramInput {
  const risk: Record<string, Level> = {};
  for (const [id, t] of Object.entries(model.threats ?? {})) {
    const a = assessments?.get(id);
    if (!a || !a.open || !a.level) continue;
    for (const target of t.targets ?? []) {
      const l = maxLevel(own(risk, target), a.level);
      if (l) risk[target] = l;
    }
  }
  const boundaries: DiagramInput['boundaries'] = {};
  for (const [id, b] of Object.entries(model.boundaries ?? {})) boundaries[id] = { name: b.name, trust: b.trust, parent: b.parent };
  const elements: DiagramInput['elements'] = {};
  for (const [id, e] of Object.entries(model.elements ?? {}) as [string, Element][]) {
    elements[id] = { type: e.type, name: e.name, boundary: e.boundary, ...(e.out_of_scope ? { outOfScope: true } : {}) };
  }
  const flows: DiagramInput['flows'] = {};
  for (const [id, f] of Object.entries(model.flows ?? {})) {
    flows[id] = {
      from: f.from, to: f.to, name: f.name, protocol: f.protocol, data: f.data, encrypted: f.encrypted, authenticated: f.authenticated, bidirectional: f.bidirectional,
      ...(f.out_of_scope ? { outOfScope: true } : {}),
    };
  }
  const assets: Record<string, string> = {};
  for (const [id, a] of Object.entries(model.assets ?? {})) assets[id] = a.name;
  return { boundaries, elements, flows, assets, risk };
}

/** Each boundary's parent, with cycles broken: a boundary whose parent chain leads back to it is a root. */
export function effectiveParents(boundaries: DiagramInput['boundaries']): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const id of Object.keys(boundaries)) {
    const p = boundaries[id].parent;
    if (!p || !own(boundaries, p) || p === id) {
      out.set(id, undefined);
      continue;
    }
    const seen = new Set<string>();
    let cur: string | undefined = p;
    let cycle = false;
    while (cur && own(boundaries, cur) && !seen.has(cur)) {
      if (cur === id) {
        cycle = true;
        break;
      }
      seen.add(cur);
      cur = boundaries[cur].parent;
    }
    out.set(id, cycle ? undefined : p);
  }
  return out;
}

interface Tree {
  parent: Map<string, string | undefined>;
  children: Map<string | undefined, string[]>;
}

function boundaryTree(input: DiagramInput): Tree {
  const parent = effectiveParents(input.boundaries);
  const children = new Map<string | undefined, string[]>();
  for (const [id, p] of parent) {
    const list = children.get(p);
    if (list) list.push(id);
    else children.set(p, [id]);
  }
  return { parent, children };
}

/** The boundary of an element if it exists, else undefined (dangling references are reported elsewhere). */
function boundaryOf(input: DiagramInput, elementId: string): string | undefined {
  const b = input.elements[elementId]?.boundary;
  return b && own(input.boundaries, b) ? b : undefined;
}

function chainOf(tree: Tree, boundaryId: string | undefined): string[] {
  const chain: string[] = [];
  let cur = boundaryId;
  while (cur !== undefined && !chain.includes(cur)) {
    chain.push(cur);
    cur = tree.parent.get(cur);
  }
  return chain;
}

function subtreeOf(tree: Tree, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const b = stack.pop()!;
    if (out.has(b)) continue;
    out.add(b);
    stack.push(...(tree.children.get(b) ?? []));
  }
  return out;
}

const shape = (type: ElementType, label: string): string =>
  type === 'process' ? `([${label}])` : type === 'store' ? `[(${label})]` : `[${label}]`;

const TRUST_WORD: Record<Trust, string> = { untrusted: 'untrusted', partial: 'partly trusted', trusted: 'trusted' };

function boundaryLabel(b: DiagramInput['boundaries'][string]): string {
  return mermaidString(b.trust ? `${truncate(b.name, 40)} · ${TRUST_WORD[b.trust]}` : b.name, 60);
}

function flowLabel(input: DiagramInput, f: DiagramInput['flows'][string]): string {
  const head = [f.name, f.protocol].filter(Boolean).join(' · ');
  const names = (f.data ?? []).map(d => own(input.assets, d) ?? d);
  const data = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
  const first = f.encrypted === true ? `🔒 ${head || 'encrypted'}` : head;
  const warnings = [f.encrypted === false ? 'unencrypted' : '', f.authenticated === false ? 'no auth' : ''].filter(Boolean);
  return mermaidLines([first, data, warnings.length ? `⚠ ${warnings.join(' · ')}` : ''], 48, WIDE_LABEL_WRAP);
}

function arrow(f: { encrypted?: boolean; bidirectional?: boolean }): string {
  const dashed = f.encrypted !== true;
  if (f.bidirectional) return dashed ? '<-.->' : '<-->';
  return dashed ? '-.->' : '-->';
}

/** What to draw: which boundaries are subgraphs, which elements are their own node, which are grouped. */
interface Plan {
  expanded: Set<string>;
  individual: Set<string>;
  /** element id -> group key, for elements drawn as part of a collapsed group. */
  grouped: Map<string, string>;
  groups: Map<string, { label: string; boundary?: string; parent?: string; count: number; risk?: Level }>;
  hidden: number;
}

interface Built extends DataFlowDiagram {
  fits: boolean;
  /** Flows left out because Mermaid's edge limit was reached. */
  dropped: number;
}

interface BuildOptions {
  /** Draw only the flows that start or end at this element. */
  touching?: string;
  /** Label the edges (default true). */
  labels?: boolean;
}

function build(input: DiagramInput, tree: Tree, plan: Plan, opts: DataFlowOptions, limits: DiagramLimits, bo: BuildOptions = {}): Built {
  const lines: string[] = [`flowchart ${opts.direction ?? 'LR'}`];
  const nodeIds: Record<string, string> = {};
  const boundaryIds: Record<string, string> = {};
  const edgeIds: Record<string, string> = {};
  const groups: DataFlowDiagram['groups'] = {};
  const classes = new Map<string, string[]>();
  const addClass = (cls: string, id: string) => {
    const l = classes.get(cls);
    if (l) l.push(id);
    else classes.set(cls, [id]);
  };
  let nodes = 0;
  let subgraphs = 0;
  let n = 0;
  let g = 0;
  let b = 0;
  let p = 0;

  // Elements per boundary (undefined = outside every boundary), groups per parent boundary.
  const elementsIn = new Map<string | undefined, string[]>();
  for (const id of Object.keys(input.elements)) {
    if (!plan.individual.has(id)) continue;
    const key = boundaryOf(input, id);
    const l = elementsIn.get(key);
    if (l) l.push(id);
    else elementsIn.set(key, [id]);
  }
  const groupsIn = new Map<string | undefined, string[]>();
  for (const [key, grp] of plan.groups) {
    const l = groupsIn.get(grp.parent);
    if (l) l.push(key);
    else groupsIn.set(grp.parent, [key]);
  }
  const groupNode = new Map<string, string>();
  // Boundaries with something to show in their subtree (others get a placeholder).
  const hasContent = (bid: string): boolean => {
    for (const x of subtreeOf(tree, bid)) if (elementsIn.get(x)?.length || groupsIn.get(x)?.length) return true;
    return false;
  };

  const emitMembers = (container: string | undefined, indent: string) => {
    for (const id of elementsIn.get(container) ?? []) {
      const e = input.elements[id];
      const nid = `n${n++}`;
      nodeIds[id] = nid;
      nodes++;
      lines.push(`${indent}${nid}${shape(e.type, mermaidString(e.name, 60, NODE_LABEL_WRAP))}`);
      addClass(own(input.risk, id) ?? 'none', nid);
      if (e.outOfScope) addClass('outofscope', nid);
    }
    for (const key of groupsIn.get(container) ?? []) {
      const grp = plan.groups.get(key)!;
      const gid = `g${g++}`;
      groupNode.set(key, gid);
      groups[gid] = { boundary: grp.boundary, elements: grp.count };
      if (grp.boundary) boundaryIds[grp.boundary] = gid;
      nodes++;
      lines.push(`${indent}${gid}[${mermaidLines([grp.label, `${grp.count} element${grp.count === 1 ? '' : 's'} · collapsed`], 60, NODE_LABEL_WRAP)}]`);
      addClass('group', gid);
      if (grp.risk) addClass(grp.risk, gid);
    }
  };

  const emitBoundary = (bid: string, indent: string) => {
    if (!plan.expanded.has(bid)) return;
    const sid = `b${b++}`;
    boundaryIds[bid] = sid;
    subgraphs++;
    lines.push(`${indent}subgraph ${sid}[${boundaryLabel(input.boundaries[bid])}]`);
    if (!hasContent(bid)) {
      const pid = `p${p++}`;
      lines.push(`${indent}  ${pid}["no elements"]`);
      addClass('placeholder', pid);
    }
    emitMembers(bid, indent + '  ');
    for (const child of tree.children.get(bid) ?? []) emitBoundary(child, indent + '  ');
    lines.push(`${indent}end`);
  };

  for (const root of tree.children.get(undefined) ?? []) emitBoundary(root, '  ');
  emitMembers(undefined, '  ');
  for (const [key, grp] of plan.groups) if (grp.boundary && !boundaryIds[grp.boundary]) boundaryIds[grp.boundary] = groupNode.get(key)!;
  for (const [el, key] of plan.grouped) nodeIds[el] = groupNode.get(key)!;

  // Edges: real flows between individual nodes, merged edges when one end is a group.
  let e = 0;
  let dropped = 0;
  const linkStyles = new Map<string, number[]>();
  const merged = new Map<string, { from: string; to: string; flows: string[]; dashed: boolean; risk?: Level }>();
  const label = (f: DiagramInput['flows'][string]) => (bo.labels === false ? '' : `|${flowLabel(input, f)}|`);
  for (const [fid, f] of Object.entries(input.flows)) {
    if (bo.touching !== undefined && f.from !== bo.touching && f.to !== bo.touching) continue;
    const from = plan.individual.has(f.from) ? nodeIds[f.from] : plan.grouped.has(f.from) ? nodeIds[f.from] : undefined;
    const to = plan.individual.has(f.to) ? nodeIds[f.to] : plan.grouped.has(f.to) ? nodeIds[f.to] : undefined;
    if (!from || !to) continue;
    if (plan.individual.has(f.from) && plan.individual.has(f.to)) {
      if (e >= limits.maxEdges) {
        dropped++;
        continue;
      }
      const eid = `e${e}`;
      edgeIds[fid] = eid;
      lines.push(`  ${from} ${eid}@${arrow(f)}${label(f)} ${to}`);
      const r: LinkClass | undefined = f.outOfScope ? 'outofscope' : own(input.risk, fid);
      if (r) linkStyles.set(r, [...(linkStyles.get(r) ?? []), e]);
      e++;
      continue;
    }
    if (from === to) {
      edgeIds[fid] = from;
      continue;
    }
    const key = `${from}>${to}`;
    const m = merged.get(key);
    const r = own(input.risk, fid);
    if (m) {
      m.flows.push(fid);
      m.dashed ||= f.encrypted !== true;
      m.risk = maxLevel(m.risk, r);
    } else merged.set(key, { from, to, flows: [fid], dashed: f.encrypted !== true, risk: r });
  }
  for (const m of merged.values()) {
    if (e >= limits.maxEdges) {
      dropped += m.flows.length;
      continue;
    }
    const eid = `e${e}`;
    for (const fid of m.flows) edgeIds[fid] = eid;
    const text = bo.labels === false ? '' : `|${m.flows.length === 1 ? flowLabel(input, input.flows[m.flows[0]]) : mermaidString(`${m.flows.length} flows`)}|`;
    lines.push(`  ${m.from} ${eid}@${m.dashed ? '-.->' : '-->'}${text} ${m.to}`);
    if (m.risk) linkStyles.set(m.risk, [...(linkStyles.get(m.risk) ?? []), e]);
    e++;
  }
  const edges = e;

  if (opts.legend !== false) {
    lines.push('  subgraph legend["Legend"]');
    lines.push('    direction TB');
    lines.push('    lg0["External entity"]', '    lg1(["Process"])', '    lg2[("Data store")]');
    lines.push('    lg3["Critical risk"]', '    lg4["High risk"]', '    lg5["Medium risk"]', '    lg6["Low risk"]');
    lines.push('    lg0 ~~~ lg1 ~~~ lg2 ~~~ lg3 ~~~ lg4 ~~~ lg5 ~~~ lg6');
    lines.push('  end');
    addClass('critical', 'lg3');
    addClass('high', 'lg4');
    addClass('medium', 'lg5');
    addClass('low', 'lg6');
    addClass('none', 'lg0');
    addClass('none', 'lg1');
    addClass('none', 'lg2');
  }

  const styles: DiagramStyles = { nodes: {}, links: {} };
  const styleLines: string[] = [];
  // Every model's diagram declares the same classes; the grey of what is out of scope only where it is used.
  for (const cls of STYLE_ORDER) if (cls !== 'outofscope' || classes.has(cls)) styleLines.push(`  classDef ${cls} ${CLASS_DEFS[cls]}`);
  for (const cls of STYLE_ORDER) {
    const ids = classes.get(cls);
    if (!ids?.length) continue;
    for (const id of ids) (styles.nodes[id] ??= []).push(cls);
    for (let i = 0; i < ids.length; i += 50) styleLines.push(`  class ${ids.slice(i, i + 50).join(',')} ${cls}`);
  }
  for (const [level, idx] of linkStyles) {
    for (const i of idx) styles.links[`e${i}`] = level as LinkClass;
    styleLines.push(`  linkStyle ${idx.join(',')} ${LINK_STYLES[level as LinkClass]}`);
  }

  const structure = lines.join('\n') + '\n';
  const inline = structure + styleLines.join('\n') + '\n';
  const text = opts.styles === 'separate' ? structure : inline;
  // sized as the text with its colours, so both kinds of text make the same choices of what to show
  const fits = dropped === 0 && nodes <= limits.maxNodes && edges <= limits.maxEdges && inline.length <= limits.maxTextSize;
  return { text, styles, nodeIds, edgeIds, boundaryIds, groups, focused: false, stats: { nodes, edges, subgraphs, chars: inline.length }, fits, dropped };
}

function riskOf(input: DiagramInput, elementIds: Iterable<string>): Level | undefined {
  let r: Level | undefined;
  for (const id of elementIds) r = maxLevel(r, own(input.risk, id));
  return r;
}

function fullPlan(input: DiagramInput): Plan {
  return { expanded: new Set(Object.keys(input.boundaries)), individual: new Set(Object.keys(input.elements)), grouped: new Map(), groups: new Map(), hidden: 0 };
}

/** One boundary (and its sub-boundaries) expanded; every other boundary collapsed to a node with a count. */
function boundaryPlan(input: DiagramInput, tree: Tree, focus: string): Plan {
  const sub = subtreeOf(tree, focus);
  const ancestors = new Set(chainOf(tree, focus).slice(1));
  const expanded = new Set([...sub, ...ancestors]);
  const plan: Plan = { expanded, individual: new Set(), grouped: new Map(), groups: new Map(), hidden: 0 };
  const members = new Map<string, string[]>();
  for (const id of Object.keys(input.elements)) {
    const own = boundaryOf(input, id);
    if (own !== undefined && sub.has(own)) {
      plan.individual.add(id);
      continue;
    }
    let key: string;
    let label: string;
    let boundary: string | undefined;
    let parent: string | undefined;
    if (own === undefined) {
      key = 'outside';
      label = 'Outside any boundary';
    } else {
      const chain = chainOf(tree, own);
      const i = chain.findIndex(x => ancestors.has(x));
      if (i === 0) {
        key = `direct:${own}`;
        label = `Other elements of ${input.boundaries[own].name}`;
        parent = own;
      } else {
        boundary = i > 0 ? chain[i - 1] : chain[chain.length - 1];
        key = `boundary:${boundary}`;
        label = input.boundaries[boundary].name;
        parent = i > 0 ? chain[i] : undefined;
      }
    }
    plan.grouped.set(id, key);
    const grp = plan.groups.get(key);
    if (grp) grp.count++;
    else plan.groups.set(key, { label, boundary, parent, count: 1 });
    members.set(key, [...(members.get(key) ?? []), id]);
  }
  for (const [key, grp] of plan.groups) grp.risk = riskOf(input, members.get(key) ?? []);
  return plan;
}

/** One element and the elements it exchanges flows with; everything else is left out. */
function elementPlan(input: DiagramInput, tree: Tree, focus: string, maxNodes: number): Plan {
  const shown = new Set<string>([focus]);
  for (const f of Object.values(input.flows)) {
    if (shown.size >= maxNodes) break;
    if (f.from === focus && own(input.elements, f.to)) shown.add(f.to);
    else if (f.to === focus && own(input.elements, f.from)) shown.add(f.from);
  }
  const expanded = new Set<string>();
  for (const id of shown) for (const x of chainOf(tree, boundaryOf(input, id))) expanded.add(x);
  return { expanded, individual: shown, grouped: new Map(), groups: new Map(), hidden: Object.keys(input.elements).length - shown.size };
}

/** The highest-risk element (then the one with most flows) among `ids`. */
function pickElement(input: DiagramInput, ids: string[]): string | undefined {
  const degree = new Map<string, number>();
  for (const f of Object.values(input.flows)) {
    degree.set(f.from, (degree.get(f.from) ?? 0) + 1);
    degree.set(f.to, (degree.get(f.to) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestKey = [-1, -1];
  for (const id of ids) {
    const key = [LEVEL_ORDER[own(input.risk, id) ?? 'none'], degree.get(id) ?? 0];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = id;
      bestKey = key;
    }
  }
  return best;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The data-flow diagram of a model; see the file header for the rules it follows. */
export function dataFlowDiagram(input: DiagramInput, opts: DataFlowOptions = {}): DataFlowDiagram {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  limits.maxEdges = Math.min(limits.maxEdges, MERMAID_MAX_EDGES);
  limits.maxTextSize = Math.min(limits.maxTextSize, MERMAID_MAX_TEXT_SIZE);
  const tree = boundaryTree(input);
  const total = Object.keys(input.elements).length;
  const done = (x: Built, focus: DiagramFocus | undefined, note: string | undefined): DataFlowDiagram => {
    const { fits: _fits, dropped, ...rest } = x;
    const more = dropped ? ` ${count(dropped, 'flow')} not drawn (Mermaid draws at most ${limits.maxEdges} edges).` : '';
    return { ...rest, focused: focus !== undefined, focus, note: note || more ? `${note ?? ''}${more}`.trim() : undefined };
  };

  // Neighbourhood of one element; when even that is too big: fewer neighbours, only its own flows, no labels.
  const byElement = (id: string, why: string): DataFlowDiagram => {
    const small = Math.max(1, Math.floor(limits.maxNodes / 4));
    let x = build(input, tree, elementPlan(input, tree, id, limits.maxNodes), opts, limits);
    if (!x.fits) x = build(input, tree, elementPlan(input, tree, id, small), opts, limits, { touching: id });
    if (!x.fits) x = build(input, tree, elementPlan(input, tree, id, small), opts, limits, { touching: id, labels: false });
    const name = input.elements[id]?.name ?? id;
    return done(x, { element: id }, `${why}Showing ${name} and ${count(x.stats.nodes - 1, 'neighbour')}; ${count(total - x.stats.nodes, 'other element')} hidden.`);
  };
  const byBoundary = (bid: string, why: string): DataFlowDiagram | undefined => {
    const x = build(input, tree, boundaryPlan(input, tree, bid), opts, limits);
    if (!x.fits) return undefined;
    const collapsed = Object.keys(x.groups).length;
    return done(x, { boundary: bid }, `${why}Showing ${input.boundaries[bid].name} expanded and ${count(collapsed, 'group')} collapsed; click a collapsed group to expand it.`);
  };

  const focus = opts.focus;
  if (focus && 'element' in focus && own(input.elements, focus.element)) return byElement(focus.element, '');
  if (focus && 'boundary' in focus && own(input.boundaries, focus.boundary)) {
    const r = byBoundary(focus.boundary, '');
    if (r) return r;
    const inside = Object.keys(input.elements).filter(id => subtreeOf(tree, focus.boundary).has(boundaryOf(input, id) ?? ''));
    const pick = pickElement(input, inside);
    if (pick) return byElement(pick, `${input.boundaries[focus.boundary].name} is too large to draw at once. `);
  }

  const full = build(input, tree, fullPlan(input), opts, limits);
  if (full.fits) return done(full, undefined, undefined);

  const why = `This model is too large to draw at once (${count(total, 'element')}, ${count(Object.keys(input.flows).length, 'flow')}). `;
  // Candidate boundaries: highest risk first, then the largest subtree (a parent before its children).
  const candidates = Object.keys(input.boundaries)
    .map(bid => {
      const sub = subtreeOf(tree, bid);
      const inside = Object.keys(input.elements).filter(id => sub.has(boundaryOf(input, id) ?? ''));
      return { bid, size: inside.length, risk: LEVEL_ORDER[riskOf(input, inside) ?? 'none'] };
    })
    .filter(c => c.size > 0)
    .sort((a, b) => b.risk - a.risk || b.size - a.size);
  for (const c of candidates) {
    const r = byBoundary(c.bid, why);
    if (r) return r;
  }
  const pick = pickElement(input, Object.keys(input.elements));
  if (pick) return byElement(pick, why);
  return done(full, undefined, undefined);
}

/** Convenience for callers with only a model: `dataFlowDiagram(diagramInput(model, assessments), opts)`. */
export function modelDiagram(model: Model, assessments?: ReadonlyMap<string, { open: boolean; level: Level | undefined }>, opts?: DataFlowOptions): DataFlowDiagram {
  return dataFlowDiagram(diagramInput(model, assessments), opts);
}

