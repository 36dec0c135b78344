/**
 * Everything the visual editor shows, computed once from a parsed model: the data-flow diagram (and the slim
 * graph the webview needs to re-focus it), the threat rows sorted by risk, the mitigations, the 5x5 heat map,
 * the attack trees as Mermaid, a text fallback of elements and flows, and a summary of the file's problems.
 * Beside the view (plain JSON, posted to the webview) it returns the YAML ranges of every entry, which the
 * extension keeps to reveal an id the webview names and to find the entry under the cursor.
 */
import { lineCol } from '../lines';
import { IMPACTS, LEVELS, LIKELIHOODS, MITIGATION_STATUSES, THREAT_STATUSES, type Impact, type Level, type Likelihood, type MitigationStatus, type Stride, type ThreatStatus } from '../model/schema';
import type { ParsedModel } from '../model/parse';
import { assessAll, type Residual, type ThreatAssessment } from '../risk/assess';
import { matrixOf, toleranceOf } from '../risk/matrix';
import type { Finding, Range } from '../types';
import { dataFlowDiagram, diagramInput, type DataFlowDiagram, type DataFlowOptions, type DiagramInput } from './mermaid';
import { attackTreeDiagram, nodeReachable, type AttackTreeDiagram } from './attackTree';
import { mitigationPlan } from '../risk/plan';
import { formatMoney } from './markdown';
import { reductionText, rosiText } from './plan';

export const REVEAL_KINDS = ['element', 'flow', 'boundary', 'threat', 'mitigation', 'attack_tree', 'asset'] as const;
export type RevealKind = (typeof REVEAL_KINDS)[number];
const SECTION: Record<RevealKind, string> = {
  element: 'elements', flow: 'flows', boundary: 'boundaries', threat: 'threats', mitigation: 'mitigations', attack_tree: 'attack_trees', asset: 'assets',
};

export interface ThreatRow {
  id: string;
  title: string;
  status: ThreatStatus;
  residual: Residual;
  open: boolean;
  aboveTolerance: boolean;
  level?: Level;
  likelihood?: Likelihood;
  impact?: Impact;
  cvss?: { score: number; severity: string; version: string };
  stride: Stride[];
  targets: { id: string; kind: 'element' | 'flow' | 'unknown'; name: string }[];
  mitigations: { id: string; title?: string; status?: MitigationStatus }[];
  owner?: string;
  expires?: string;
}

export interface MitigationRow {
  id: string;
  title: string;
  status: MitigationStatus;
  /** Threats that link to it. */
  threats: string[];
}

/** A row of the mitigation plan (fix first, risk/plan.ts), its amounts as text in the policy currency. */
export interface PlanRow {
  rank: number;
  id: string;
  title: string;
  status: MitigationStatus;
  /** The highest level among the threats it closes. */
  level?: Level;
  /** The open threats it closes (at most 10; `moreThreats` counts the rest). */
  threats: { id: string; level?: Level; aboveTolerance: boolean }[];
  moreThreats: number;
  /** Annual loss reduction (`≥ EUR 1,000` for a lower bound, `unknown`). */
  reduction: string;
  annualCost: string;
  oneOffCost: string;
  /** ROSI as a percentage (`+150 %`), `free`, or `—`. */
  rosi: string;
  /** ROSI below 0: it costs more a year than the loss it takes away. */
  losing: boolean;
}

export interface PlanView {
  rows: PlanRow[];
  /** "EUR 77,100 a year of loss reduction for EUR 9,000 a year". */
  total: string;
}

export interface HeatMapView {
  likelihoods: readonly Likelihood[];
  impacts: readonly Impact[];
  /** levels[likelihood][impact] from the model's matrix. */
  levels: Level[][];
  /** Threats still open per cell, and all threats (except not-applicable) per cell. */
  open: number[][];
  total: number[][];
  /** Threats without likelihood or impact (not in any cell). */
  unrated: number;
}

export interface AttackTreeView {
  id: string;
  goal: string;
  diagram: AttackTreeDiagram;
}

export interface ElementRow {
  id: string;
  name: string;
  type: 'external' | 'process' | 'store';
  boundary?: string;
  boundaryName?: string;
  risk?: Level;
  /** Threats targeting the element (any status). */
  threats: number;
}

export interface FlowRow {
  id: string;
  from: string;
  to: string;
  fromName: string;
  toName: string;
  name?: string;
  protocol?: string;
  encrypted?: boolean;
  authenticated?: boolean;
  risk?: Level;
}

export interface ProblemSummary {
  errors: number;
  warnings: number;
  first?: { message: string; ruleId: string; line: number; column: number };
}

export interface ViewModel {
  title: string;
  tolerance: Level;
  diagram: DataFlowDiagram;
  /** The slim model behind the diagram, for re-focusing it in the webview. */
  graph: DiagramInput;
  elements: ElementRow[];
  flows: FlowRow[];
  boundaries: { id: string; name: string; trust?: string }[];
  threats: ThreatRow[];
  mitigations: MitigationRow[];
  heatMap: HeatMapView;
  attackTrees: AttackTreeView[];
  /** The mitigation plan ("fix first"): the mitigations still to do, in the order to do them. */
  plan?: PlanView;
  problems: ProblemSummary;
  counts: { elements: number; flows: number; threats: number; open: number; aboveTolerance: number };
  /** The format's vocabularies, so the webview bundle need not import the zod schema. */
  vocabulary: { levels: readonly Level[]; threatStatuses: readonly ThreatStatus[]; mitigationStatuses: readonly MitigationStatus[] };
}

/** kind -> id -> range of the whole entry (key and value). */
export type RangeIndex = Record<RevealKind, Record<string, Range>>;

export interface ViewModelOptions {
  /** Assessments from `analyze`; computed with `assessAll` when absent. */
  assessments?: Map<string, ThreatAssessment>;
  /** Findings to summarise (defaults to the parser's). */
  findings?: readonly Finding[];
  tolerance?: Level;
  now?: Date;
  /** Whether a threat blocks the attack paths through it; default: mitigated or not applicable. */
  blocked?: (threatId: string) => boolean;
  diagram?: DataFlowOptions;
}

const levelRank = (l: Level | undefined) => (l === undefined ? -1 : LEVELS.indexOf(l));

/** Findings that make the file unusable for drawing: the webview keeps its last good view and shows this. */
const FATAL = new Set(['schema/yaml-syntax', 'schema/empty-file', 'schema/file-too-large', 'schema/nesting-too-deep', 'schema/not-a-threat-model', 'schema/too-large', 'schema/multiple-documents']);

/** The first fatal problem of a parse (with its line), or undefined when the model can be drawn. */
export function fatalProblem(parsed: Pick<ParsedModel, 'text' | 'findings' | 'doc'>): { message: string; line: number; column: number } | undefined {
  const f = parsed.findings.filter(x => FATAL.has(x.ruleId) && x.severity === 'error').sort((a, b) => a.range.start - b.range.start)[0];
  if (!f && parsed.doc) return undefined;
  const finding = f ?? parsed.findings[0];
  if (!finding) return { message: 'The file could not be read as a threat model.', line: 1, column: 1 };
  return { message: finding.message, ...lineCol(parsed.text, finding.range.start) };
}

export function summarizeProblems(text: string, findings: readonly Finding[]): ProblemSummary {
  const errors = findings.filter(f => f.severity === 'error');
  const warnings = findings.filter(f => f.severity === 'warning').length;
  const first = [...(errors.length ? errors : findings.filter(f => f.severity === 'warning'))].sort((a, b) => a.range.start - b.range.start)[0];
  return {
    errors: errors.length,
    warnings,
    first: first ? { message: first.message, ruleId: first.ruleId, ...lineCol(text, first.range.start) } : undefined,
  };
}

export function buildViewModel(parsed: Pick<ParsedModel, 'text' | 'model' | 'source' | 'findings'>, opts: ViewModelOptions = {}): { view: ViewModel; ranges: RangeIndex } {
  const model = parsed.model;
  const assessments = opts.assessments ?? assessAll(model, { tolerance: opts.tolerance, now: opts.now });
  const graph = diagramInput(model, assessments);
  // The webview shows its own HTML legend, so the diagram goes without the legend subgraph unless asked.
  const diagram = dataFlowDiagram(graph, { legend: false, styles: 'separate', ...opts.diagram });
  const elements = model.elements ?? {};
  const flows = model.flows ?? {};
  const mitigations = model.mitigations ?? {};
  const boundaries = model.boundaries ?? {};
  const has = <T>(o: Record<string, T>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

  const threatsPerTarget = new Map<string, number>();
  const linkedThreats = new Map<string, string[]>();
  const threats: ThreatRow[] = [];
  for (const [id, t] of Object.entries(model.threats ?? {})) {
    const a = assessments.get(id);
    for (const target of t.targets ?? []) threatsPerTarget.set(target, (threatsPerTarget.get(target) ?? 0) + 1);
    for (const m of t.mitigations ?? []) linkedThreats.set(m, [...(linkedThreats.get(m) ?? []), id]);
    threats.push({
      id,
      title: t.title,
      status: t.status,
      residual: a?.residual ?? 'open',
      open: a?.open ?? t.status === 'open',
      aboveTolerance: a?.aboveTolerance ?? false,
      level: a?.level,
      likelihood: t.likelihood,
      impact: t.impact,
      cvss: a?.cvss ? { score: a.cvss.baseScore, severity: a.cvss.severity, version: a.cvss.version } : undefined,
      stride: t.stride ?? [],
      targets: (t.targets ?? []).map(x =>
        has(elements, x) ? { id: x, kind: 'element' as const, name: elements[x].name }
          : has(flows, x) ? { id: x, kind: 'flow' as const, name: flows[x].name ?? `${elements[flows[x].from]?.name ?? flows[x].from} → ${elements[flows[x].to]?.name ?? flows[x].to}` }
            : { id: x, kind: 'unknown' as const, name: x }),
      mitigations: (t.mitigations ?? []).map(m => (has(mitigations, m) ? { id: m, title: mitigations[m].title, status: mitigations[m].status } : { id: m })),
      owner: t.owner,
      expires: t.expires,
    });
  }
  threats.sort((x, y) => levelRank(y.level) - levelRank(x.level) || Number(y.open) - Number(x.open) || Number(y.aboveTolerance) - Number(x.aboveTolerance) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

  const matrix = matrixOf(model);
  const heatMap: HeatMapView = {
    likelihoods: LIKELIHOODS,
    impacts: IMPACTS,
    levels: LIKELIHOODS.map(l => [...matrix[l]]),
    open: LIKELIHOODS.map(() => IMPACTS.map(() => 0)),
    total: LIKELIHOODS.map(() => IMPACTS.map(() => 0)),
    unrated: 0,
  };
  for (const t of threats) {
    if (t.status === 'not-applicable') continue;
    if (!t.likelihood || !t.impact) {
      heatMap.unrated++;
      continue;
    }
    const r = LIKELIHOODS.indexOf(t.likelihood);
    const c = IMPACTS.indexOf(t.impact);
    heatMap.total[r][c]++;
    if (t.open) heatMap.open[r][c]++;
  }

  const blocked = opts.blocked ?? ((id: string) => {
    const r = assessments.get(id)?.residual;
    return r === 'mitigated' || r === 'not-applicable';
  });
  const trees = model.attack_trees ?? {};
  const treeBlocked = (id: string, seen: Set<string>): boolean | undefined => {
    const tree = has(trees, id) ? trees[id] : undefined;
    if (!tree || seen.has(id)) return undefined;
    const next = new Set(seen).add(id);
    const root = tree.and ? { and: tree.and } : { or: tree.or ?? [] };
    return !nodeReachable(root, { blocked, treeBlocked: x => treeBlocked(x, next) });
  };
  const attackTrees: AttackTreeView[] = Object.entries(trees).map(([id, tree]) => ({
    id,
    goal: tree.goal,
    diagram: attackTreeDiagram(tree, {
      blocked,
      treeBlocked: x => treeBlocked(x, new Set([id])),
      threatTitle: x => model.threats?.[x]?.title,
      treeGoal: x => (has(trees, x) ? trees[x].goal : undefined),
    }),
  }));

  const elementRows: ElementRow[] = Object.entries(elements).map(([id, e]) => ({
    id, name: e.name, type: e.type, boundary: e.boundary,
    boundaryName: e.boundary && has(boundaries, e.boundary) ? boundaries[e.boundary].name : undefined,
    risk: graph.risk[id], threats: threatsPerTarget.get(id) ?? 0,
  }));
  const flowRows: FlowRow[] = Object.entries(flows).map(([id, f]) => ({
    id, from: f.from, to: f.to,
    fromName: has(elements, f.from) ? elements[f.from].name : f.from,
    toName: has(elements, f.to) ? elements[f.to].name : f.to,
    name: f.name, protocol: f.protocol, encrypted: f.encrypted, authenticated: f.authenticated, risk: graph.risk[id],
  }));

  const view: ViewModel = {
    title: model.title,
    tolerance: toleranceOf(model, opts.tolerance),
    diagram,
    graph,
    elements: elementRows,
    flows: flowRows,
    boundaries: Object.entries(boundaries).map(([id, b]) => ({ id, name: b.name, trust: b.trust })),
    threats,
    mitigations: Object.entries(mitigations).map(([id, m]) => ({ id, title: m.title, status: m.status, threats: linkedThreats.get(id) ?? [] })),
    heatMap,
    attackTrees,
    plan: planView(model, assessments),
    problems: summarizeProblems(parsed.text, opts.findings ?? parsed.findings),
    counts: {
      elements: elementRows.length,
      flows: flowRows.length,
      threats: threats.length,
      open: threats.filter(t => t.open).length,
      aboveTolerance: threats.filter(t => t.aboveTolerance).length,
    },
    vocabulary: { levels: LEVELS, threatStatuses: THREAT_STATUSES, mitigationStatuses: MITIGATION_STATUSES },
  };

  return { view, ranges: entryRanges(parsed) };
}

/** The YAML range of every entry the webview shows, by kind and id (without building the view). */
export function entryRanges(parsed: Pick<ParsedModel, 'model' | 'source'>): RangeIndex {
  const ranges = {} as RangeIndex;
  for (const kind of REVEAL_KINDS) {
    ranges[kind] = {};
    const section = (parsed.model as unknown as Record<string, Record<string, unknown> | undefined>)[SECTION[kind]] ?? {};
    for (const id of Object.keys(section)) {
      const r = parsed.source.entryRange([SECTION[kind], id]);
      if (r) ranges[kind][id] = r;
    }
  }
  return ranges;
}

/** The mitigation plan as the webview shows it (amounts as text: the webview bundle has no formatting code). */
function planView(model: ParsedModel['model'], assessments: Map<string, ThreatAssessment>): PlanView {
  const plan = mitigationPlan(model, assessments);
  const money = (x: number | undefined) => (x === undefined ? '—' : formatMoney(x, plan.currency));
  const unknownYearly = plan.withoutAnnualCost.length === plan.entries.length;
  return {
    rows: plan.entries.map(e => ({
      rank: e.rank, id: e.id, title: e.title, status: e.status, level: e.level,
      threats: e.threats.slice(0, 10).map(t => ({ id: t.id, level: t.level, aboveTolerance: t.aboveTolerance })),
      moreThreats: Math.max(0, e.threats.length - 10),
      reduction: reductionText(e), annualCost: money(e.annualCost), oneOffCost: money(e.oneOffCost), rosi: rosiText(e),
      losing: e.rosi !== undefined && e.rosi < 0,
    })),
    total: `${money(plan.totals.reduction)} a year of loss reduction for ${unknownYearly ? 'an unknown cost' : money(plan.totals.annualCost)} a year`
      + `${plan.withoutAnnualCost.length && !unknownYearly ? ' (known costs only)' : ''}${plan.totals.oneOffCost ? ` and ${money(plan.totals.oneOffCost)} once` : ''}`,
  };
}

/** What the webview may ask to reveal: an entry by kind and id, optionally a node inside an attack tree. */
export interface RevealTarget {
  kind: RevealKind;
  id: string;
  /** For attack trees: the node's path below the tree, e.g. ['or', 1, 'and', 0]. */
  node?: readonly (string | number)[];
}

/** The range to reveal for a target, looked up in the current parse (never trusting anything but the id). */
export function revealRange(parsed: Pick<ParsedModel, 'source'>, target: RevealTarget): Range | undefined {
  const base = [SECTION[target.kind], target.id];
  if (target.kind === 'attack_tree' && target.node?.length) {
    const r = parsed.source.entryRange([...base, ...target.node]) ?? parsed.source.valueRange([...base, ...target.node]);
    if (r) return r;
  }
  return parsed.source.keyRange(base);
}

/** The entry (of the kinds the diagram and table show) that contains `offset`, innermost section first. */
export function selectionAt(ranges: RangeIndex, offset: number): { kind: RevealKind; id: string } | undefined {
  for (const kind of ['element', 'flow', 'boundary', 'threat', 'mitigation', 'attack_tree'] as const) {
    for (const [id, r] of Object.entries(ranges[kind])) if (offset >= r.start && offset <= r.end) return { kind, id };
  }
  return undefined;
}
