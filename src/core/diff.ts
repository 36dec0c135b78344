/**
 * The risk diff between two versions of a threat model (`rampart diff BASE HEAD`, `rampart diff --git REV`),
 * as data and as Markdown for a pull-request comment.
 *
 * Everything is matched by id, never by position or wording: threats, mitigations and the other sections by
 * their keys; findings by their fingerprint (`findingKeys`: the stable id `rule@element`, else rule id + model
 * path), never by message text or line. Comparisons are on the validated model data and the assessments,
 * so a change to comments, key order, quoting or indentation is no change at all.
 *
 * What it reports:
 * - threats added and removed; for a threat in both, the fields of the model entry that changed (status,
 *   likelihood, description, ...) and the derived changes (level, residual state, above tolerance, CVSS,
 *   annual loss), including those caused elsewhere (a mitigation shipped makes its threat's residual change);
 * - mitigations added, removed, and changed (status, evidence, ...);
 * - other sections (elements, flows, boundaries, assets, attack trees): ids added, removed, changed; and
 *   top-level settings that changed (title, policy, scope, ...);
 * - totals before and after: threats by residual state, open threats above tolerance, annual loss (open
 *   threats and inherent), findings by severity;
 * - findings introduced and fixed.
 *
 * A side that does not exist (`null`: the file is new, or deleted) counts as an empty model.
 */
import { analyze, type Analysis } from './analyze';
import type { Level } from './model/schema';
import { SECTION_NAMES, type Section } from './model/schema';
import type { Residual } from './risk/assess';
import { annualLoss, lossSummary } from './risk/ale';
import type { AnalysisSettings, Finding, Severity } from './types';
import { LineIndex } from './lines';
import { findingKeys } from './render/sarif';
import { LEVEL_ICON, RESIDUAL_WORDS } from './render/report';
import { formatMoney, mdCell, mdCode, mdMessage, mdTable, mdText, plural } from './render/markdown';

export interface ThreatState {
  title: string;
  status: string;
  level: Level | undefined;
  residual: Residual;
  aboveTolerance: boolean;
  cvss: number | undefined;
  annualLoss: number | undefined;
  mitigations: string[];
}

export interface ThreatChange {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  before?: ThreatState;
  after?: ThreatState;
  /** Keys of the threat's entry whose value changed (`status`, `likelihood`, `mitigations`, ...). */
  fields: string[];
  /** Derived values that changed: `level`, `residual`, `aboveTolerance`, `cvss`, `annualLoss`. */
  derived: string[];
}

export interface MitigationChange {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  title: string;
  statusBefore?: string;
  statusAfter?: string;
  fields: string[];
}

export interface SectionChange {
  section: Exclude<Section, 'threats' | 'mitigations'>;
  added: string[];
  removed: string[];
  changed: string[];
}

export interface FindingRef {
  key: string;
  ruleId: string;
  severity: Severity;
  message: string;
  /** 1-based line in the version it belongs to (head for introduced, base for fixed). */
  line: number;
}

export interface Totals {
  threats: number;
  byResidual: Record<Residual, number>;
  open: number;
  aboveTolerance: number;
  /** Annual loss of open threats, and before any mitigation, in `currency`. */
  annualLoss: number;
  annualLossInherent: number;
  currency: string | undefined;
  tolerance: Level;
  findings: Record<Severity, number>;
}

export interface RiskDiff {
  title: string;
  threats: ThreatChange[];
  mitigations: MitigationChange[];
  sections: SectionChange[];
  /** Top-level keys that changed: `title`, `description`, `policy`, `scope`, `team`, `version`. */
  settings: string[];
  findings: { introduced: FindingRef[]; fixed: FindingRef[] };
  before: Totals;
  after: Totals;
  /** Whether anything in the model's data or its findings differs. */
  changed: boolean;
  /** More open threats above tolerance, or more errors, than before. */
  riskIncreased: boolean;
  /** Fewer open threats above tolerance (and no more errors) than before. */
  riskDecreased: boolean;
}

export interface DiffOptions {
  /** The model file, shown in the Markdown heading. */
  fileName?: string;
  /** Labels of the two versions (e.g. `main`, `HEAD`). */
  baseLabel?: string;
  headLabel?: string;
}

const RESIDUALS: readonly Residual[] = ['open', 'partially-mitigated', 'expired', 'mitigated', 'accepted', 'transferred', 'not-applicable'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const TOP_SETTINGS = ['title', 'description', 'version', 'team', 'scope', 'policy'] as const;

/** Structural equality of plain model data (validated JSON-like values). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ka = Object.keys(a as object).filter(k => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter(k => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every(k => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter(k => !same(a[k], b[k]));
}

function threatState(analysis: Analysis, id: string): ThreatState {
  const model = analysis.parsed.model;
  const t = model.threats![id];
  const a = analysis.assessments.get(id)!;
  return {
    title: t.title,
    status: t.status,
    level: a.level,
    residual: a.residual,
    aboveTolerance: a.aboveTolerance,
    cvss: a.cvss?.baseScore,
    annualLoss: annualLoss(model, id),
    mitigations: [...(t.mitigations ?? [])],
  };
}

function totals(analysis: Analysis): Totals {
  const model = analysis.parsed.model;
  const byResidual = Object.fromEntries(RESIDUALS.map(r => [r, 0])) as Record<Residual, number>;
  let open = 0;
  let above = 0;
  for (const a of analysis.assessments.values()) {
    byResidual[a.residual]++;
    if (a.open) open++;
    if (a.aboveTolerance) above++;
  }
  const loss = lossSummary(model, analysis.assessments);
  const findings = Object.fromEntries(SEVERITIES.map(s => [s, analysis.findings.filter(f => f.severity === s).length])) as Record<Severity, number>;
  return {
    threats: analysis.assessments.size, byResidual, open, aboveTolerance: above,
    annualLoss: loss.total, annualLossInherent: loss.totalInherent, currency: loss.currency,
    tolerance: analysis.tolerance, findings,
  };
}

function findingRefs(analysis: Analysis): Map<string, FindingRef> {
  const lines = new LineIndex(analysis.parsed.text);
  const keys = findingKeys(analysis.findings);
  const out = new Map<string, FindingRef>();
  analysis.findings.forEach((f: Finding, i) => {
    out.set(keys[i], { key: keys[i], ruleId: f.ruleId, severity: f.severity, message: f.message, line: lines.lineCol(f.range.start).line });
  });
  return out;
}

const EMPTY_TEXT = 'rampart: 1\ntitle: (none)\n';

/** The risk diff of two analysed versions; see the module comment. */
export function diffAnalyses(base: Analysis, head: Analysis, present: { base: boolean; head: boolean } = { base: true, head: true }): RiskDiff {
  const bm = base.parsed.model;
  const hm = head.parsed.model;

  // Threats.
  const threats: ThreatChange[] = [];
  const bt = bm.threats ?? {};
  const ht = hm.threats ?? {};
  for (const id of Object.keys(ht)) {
    if (!Object.hasOwn(bt, id)) {
      threats.push({ id, kind: 'added', after: threatState(head, id), fields: [], derived: [] });
      continue;
    }
    const before = threatState(base, id);
    const after = threatState(head, id);
    const fields = changedKeys(bt[id] as Record<string, unknown>, ht[id] as Record<string, unknown>);
    const derived = (['level', 'residual', 'aboveTolerance', 'cvss', 'annualLoss'] as const).filter(k => before[k] !== after[k]);
    if (fields.length || derived.length) threats.push({ id, kind: 'changed', before, after, fields, derived: [...derived] });
  }
  for (const id of Object.keys(bt)) {
    if (!Object.hasOwn(ht, id)) threats.push({ id, kind: 'removed', before: threatState(base, id), fields: [], derived: [] });
  }

  // Mitigations.
  const mitigations: MitigationChange[] = [];
  const bmi = bm.mitigations ?? {};
  const hmi = hm.mitigations ?? {};
  for (const [id, m] of Object.entries(hmi)) {
    if (!Object.hasOwn(bmi, id)) mitigations.push({ id, kind: 'added', title: m.title, statusAfter: m.status, fields: [] });
    else {
      const fields = changedKeys(bmi[id] as Record<string, unknown>, m as Record<string, unknown>);
      if (fields.length) mitigations.push({ id, kind: 'changed', title: m.title, statusBefore: bmi[id].status, statusAfter: m.status, fields });
    }
  }
  for (const [id, m] of Object.entries(bmi)) {
    if (!Object.hasOwn(hmi, id)) mitigations.push({ id, kind: 'removed', title: m.title, statusBefore: m.status, fields: [] });
  }

  // Other sections and top-level settings.
  const sections: SectionChange[] = [];
  for (const section of SECTION_NAMES) {
    if (section === 'threats' || section === 'mitigations') continue;
    const b = (bm[section] ?? {}) as Record<string, unknown>;
    const h = (hm[section] ?? {}) as Record<string, unknown>;
    const added = Object.keys(h).filter(id => !Object.hasOwn(b, id));
    const removed = Object.keys(b).filter(id => !Object.hasOwn(h, id));
    const changed = Object.keys(h).filter(id => Object.hasOwn(b, id) && !same(b[id], h[id]));
    if (added.length || removed.length || changed.length) sections.push({ section, added, removed, changed });
  }
  const settings = present.base && present.head ? TOP_SETTINGS.filter(k => !same(bm[k], hm[k])) : [];

  // Findings, by fingerprint.
  const bf = findingRefs(base);
  const hf = findingRefs(head);
  const introduced = [...hf.values()].filter(f => !bf.has(f.key));
  const fixed = [...bf.values()].filter(f => !hf.has(f.key));

  const before = totals(base);
  const after = totals(head);
  const changed = threats.length + mitigations.length + sections.length + settings.length + introduced.length + fixed.length > 0 || present.base !== present.head;
  const riskIncreased = after.aboveTolerance > before.aboveTolerance || after.findings.error > before.findings.error;
  const riskDecreased = !riskIncreased && after.aboveTolerance < before.aboveTolerance;
  return {
    title: present.head ? hm.title : bm.title,
    threats, mitigations, sections, settings,
    findings: { introduced, fixed },
    before, after, changed, riskIncreased, riskDecreased,
  };
}

/**
 * The risk diff of two versions of a model file. `null` for a side means the file does not exist there (a
 * new or deleted model). For `rampart diff --git REV`, the CLI reads the base with `git show REV:path` and
 * passes it here (or `null` when git says the path does not exist at REV).
 */
export function diffModels(baseText: string | null, headText: string | null, settings: AnalysisSettings = {}, opts: DiffOptions = {}): { markdown: string; changes: RiskDiff } {
  const now = settings.now ?? new Date();
  const s = { ...settings, now };
  const base = analyze(baseText ?? EMPTY_TEXT, s);
  const head = analyze(headText ?? EMPTY_TEXT, s);
  const changes = diffAnalyses(base, head, { base: baseText !== null, head: headText !== null });
  if (baseText === null) changes.findings.fixed = [];
  if (headText === null) changes.findings.introduced = [];
  return { markdown: renderDiff(changes, { ...opts, newFile: baseText === null, deletedFile: headText === null }), changes };
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

const levelText = (l: Level | undefined) => (l ? `${LEVEL_ICON[l]} ${l}` : 'unrated');
const residualText = (s: ThreatState) => `${s.aboveTolerance ? '⛔ ' : ''}${RESIDUAL_WORDS[s.residual]}`;
const arrow = (a: string, b: string) => `${a} → ${b}`;

function signed(n: number, fmt: (x: number) => string = String): string {
  if (n === 0) return '—';
  return `${n > 0 ? '+' : '−'}${fmt(Math.abs(n))}`;
}

function threatChangeText(c: ThreatChange): string {
  const b = c.before!;
  const a = c.after!;
  const parts: string[] = [];
  if (b.status !== a.status) parts.push(`status ${arrow(b.status, a.status)}`);
  if (c.derived.includes('level')) parts.push(`level ${arrow(levelText(b.level), levelText(a.level))}`);
  if (c.derived.includes('residual')) parts.push(`residual ${arrow(RESIDUAL_WORDS[b.residual], RESIDUAL_WORDS[a.residual])}`);
  else if (c.derived.includes('aboveTolerance')) parts.push(a.aboveTolerance ? 'now above tolerance' : 'no longer above tolerance');
  if (c.derived.includes('cvss')) parts.push(`CVSS ${arrow(b.cvss?.toFixed(1) ?? 'none', a.cvss?.toFixed(1) ?? 'none')}`);
  const addedM = a.mitigations.filter(m => !b.mitigations.includes(m));
  const removedM = b.mitigations.filter(m => !a.mitigations.includes(m));
  if (addedM.length) parts.push(`mitigation ${addedM.map(m => `+${mdCode(m)}`).join(' ')} linked`);
  if (removedM.length) parts.push(`mitigation ${removedM.map(m => `−${mdCode(m)}`).join(' ')} unlinked`);
  if (b.title !== a.title) parts.push(`title (was “${mdText(b.title, 200)}”)`);
  const shown = new Set(['status', 'mitigations', 'title']);
  const other = c.fields.filter(f => !shown.has(f) && !(f === 'cvss' && c.derived.includes('cvss')));
  if (other.length) parts.push(`changed: ${other.map(f => mdCode(f)).join(', ')}`);
  return parts.join('; ') || 'annual loss';
}

function loss(n: number, currency: string | undefined): string {
  return formatMoney(n, currency);
}

/** The PR-comment Markdown of a risk diff. */
export function renderDiff(d: RiskDiff, opts: DiffOptions & { newFile?: boolean; deletedFile?: boolean } = {}): string {
  const out: string[] = [];
  const push = (...s: string[]) => out.push(...s);
  push(`## Rampart risk diff: ${mdText(d.title || opts.fileName || 'threat model', 200)}`, '');
  const where = [opts.fileName ? mdCode(opts.fileName) : '', opts.baseLabel || opts.headLabel ? `${mdText(opts.baseLabel ?? 'base')} → ${mdText(opts.headLabel ?? 'head')}` : ''].filter(Boolean);
  if (opts.newFile) where.push('new model');
  if (opts.deletedFile) where.push('model deleted');
  if (where.length) push(where.join(' · '), '');

  if (!d.changed) {
    push('No risk-relevant change: the model\'s content and findings are the same (only comments or formatting differ, if anything).', '');
    return out.join('\n');
  }

  const { before: b, after: a } = d;
  if (d.riskIncreased) push(`> [!WARNING]`, `> **Risk went up:** ${plural(a.aboveTolerance, 'open threat')} above the ${a.tolerance} tolerance (was ${b.aboveTolerance})${a.findings.error > b.findings.error ? `, ${plural(a.findings.error, 'error')} (was ${b.findings.error})` : ''}.`, '');
  else if (d.riskDecreased) push(`> [!TIP]`, `> **Risk went down:** ${plural(a.aboveTolerance, 'open threat')} above the ${a.tolerance} tolerance (was ${b.aboveTolerance}).`, '');

  const cur = a.currency ?? b.currency;
  const rows: string[][] = [
    ['Open threats above tolerance', String(b.aboveTolerance), String(a.aboveTolerance), signed(a.aboveTolerance - b.aboveTolerance)],
    ['Open threats', String(b.open), String(a.open), signed(a.open - b.open)],
    ['Threats', String(b.threats), String(a.threats), signed(a.threats - b.threats)],
  ];
  for (const r of RESIDUALS) {
    if (r === 'open') continue;
    if (b.byResidual[r] || a.byResidual[r]) rows.push([`… ${RESIDUAL_WORDS[r]}`, String(b.byResidual[r]), String(a.byResidual[r]), signed(a.byResidual[r] - b.byResidual[r])]);
  }
  if (b.annualLoss || a.annualLoss || b.annualLossInherent || a.annualLossInherent) {
    rows.push(['Annual loss, open threats', loss(b.annualLoss, cur), loss(a.annualLoss, cur), signed(a.annualLoss - b.annualLoss, x => loss(x, cur))]);
    rows.push(['Annual loss before mitigation', loss(b.annualLossInherent, cur), loss(a.annualLossInherent, cur), signed(a.annualLossInherent - b.annualLossInherent, x => loss(x, cur))]);
  }
  for (const s of SEVERITIES) rows.push([`Findings: ${s}`, String(b.findings[s]), String(a.findings[s]), signed(a.findings[s] - b.findings[s])]);
  if (b.tolerance !== a.tolerance) rows.unshift(['Risk tolerance', b.tolerance, a.tolerance, 'changed']);
  push(mdTable(['', mdText(opts.baseLabel ?? 'Before'), mdText(opts.headLabel ?? 'After'), 'Change'], rows, ['l', 'r', 'r', 'r']), '');

  if (d.threats.length) {
    push('### Threats', '');
    const order = { added: 0, changed: 1, removed: 2 };
    const list = [...d.threats].sort((x, y) => order[x.kind] - order[y.kind] || (x.id < y.id ? -1 : 1));
    push(mdTable(['Threat', 'Change', 'Level', 'Residual'], list.map(c => {
      const s = (c.after ?? c.before)!;
      const name = `${mdCell(s.title, 200)}<br>${mdCode(c.id)}`;
      if (c.kind === 'added') return [name, '➕ added', levelText(s.level), residualText(s)];
      if (c.kind === 'removed') return [name, '➖ removed', levelText(s.level), `was ${residualText(s)}`];
      return [name, `✏️ ${threatChangeText(c)}`, levelText(s.level), residualText(s)];
    })), '');
  }

  if (d.mitigations.length) {
    push('### Mitigations', '');
    push(mdTable(['Mitigation', 'Change'], d.mitigations.map(m => {
      const name = `${mdCell(m.title, 200)}<br>${mdCode(m.id)}`;
      if (m.kind === 'added') return [name, `➕ added (${m.statusAfter})`];
      if (m.kind === 'removed') return [name, `➖ removed (was ${m.statusBefore})`];
      const parts: string[] = [];
      if (m.statusBefore !== m.statusAfter) parts.push(`status ${arrow(m.statusBefore!, m.statusAfter!)}`);
      const other = m.fields.filter(f => f !== 'status');
      if (other.length) parts.push(`changed: ${other.map(f => mdCode(f)).join(', ')}`);
      return [name, `✏️ ${parts.join('; ')}`];
    })), '');
  }

  if (d.sections.length || d.settings.length) {
    push('### Model', '');
    for (const s of d.sections) {
      const parts: string[] = [];
      if (s.added.length) parts.push(`added ${s.added.map(x => mdCode(x)).join(', ')}`);
      if (s.removed.length) parts.push(`removed ${s.removed.map(x => mdCode(x)).join(', ')}`);
      if (s.changed.length) parts.push(`changed ${s.changed.map(x => mdCode(x)).join(', ')}`);
      push(`- **${s.section.replace('_', ' ')}**: ${parts.join('; ')}`);
    }
    if (d.settings.length) push(`- **settings**: ${d.settings.map(x => mdCode(x)).join(', ')} changed`);
    push('');
  }

  const { introduced, fixed } = d.findings;
  if (introduced.length || fixed.length) {
    push('### Findings', '');
    const sev = { error: '⛔ error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;
    const rank = (f: FindingRef) => SEVERITIES.indexOf(f.severity);
    const table = (fs: FindingRef[]) => mdTable(['Severity', 'Rule', 'Line', 'Finding'], [...fs].sort((x, y) => rank(x) - rank(y) || x.line - y.line).map(f => [sev[f.severity], mdCode(f.ruleId), String(f.line), mdMessage(f.message)]), ['l', 'l', 'r', 'l']);
    const important = (fs: FindingRef[]) => fs.filter(f => f.severity !== 'info');
    const infos = (fs: FindingRef[]) => fs.filter(f => f.severity === 'info');
    if (introduced.length) {
      push(`**Introduced (${introduced.length})**`, '');
      if (important(introduced).length) push(table(important(introduced)), '');
      if (infos(introduced).length) push(`<details><summary>${plural(infos(introduced).length, 'suggestion')}</summary>`, '', table(infos(introduced)), '', '</details>', '');
    }
    if (fixed.length) {
      push(`**Fixed (${fixed.length})**`, '');
      if (important(fixed).length) push(table(important(fixed)), '');
      if (infos(fixed).length) push(`<details><summary>${plural(infos(fixed).length, 'suggestion')} resolved</summary>`, '', table(infos(fixed)), '', '</details>', '');
    }
  }
  return out.join('\n');
}
