/**
 * Document symbols (Outline, breadcrumbs, "Go to Symbol"), CodeLens texts and cursor refactorings, as plain
 * data computed from an analysis. Built from the YAML Document rather than the validated model, so entries
 * that fail validation still show in the Outline.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { SECTION_NAMES, type Stride } from '../model/schema';
import { KIND_OF_SECTION, type IdKind } from '../model/index';
import type { Analysis } from '../analyze';
import type { FixSpec, Path, Range } from '../types';
import type { ThreatAssessment } from '../risk/assess';
import { STRIDE_PER_ELEMENT, type CatalogTarget } from '../rules/stride/catalog';
import { mitigationIdFor } from '../edit/fixes';
import { nodeAt } from './cursor';
import { entryOf } from './slots';
import { idAt } from './navigation';
import type { Annotation } from '../trace/annotations';

export interface OutlineSymbol {
  name: string;
  /** Plain text beside the name (a title or name from the file). */
  detail: string;
  /** `section` for top-level keys holding entries, `field` for other top-level keys, else the id's kind. */
  kind: IdKind | 'section' | 'field';
  /** The whole entry (key and value). */
  range: Range;
  /** The key. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

const rangeOf = (n: Node | null | undefined): Range | undefined => (n?.range ? { start: n.range[0], end: n.range[1] } : undefined);

function scalarText(n: unknown): string {
  return isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : '';
}

function field(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  for (const p of map.items) if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) return p.value;
  return undefined;
}

const DETAIL_KEYS = ['name', 'title', 'goal'];

function entryDetail(section: string, value: unknown): string {
  if (section === 'flows') {
    const from = scalarText(field(value, 'from'));
    const to = scalarText(field(value, 'to'));
    const name = scalarText(field(value, 'name'));
    return [from && to ? `${from} → ${to}` : '', name].filter(Boolean).join(' · ');
  }
  for (const k of DETAIL_KEYS) {
    const t = scalarText(field(value, k));
    if (t) return t;
  }
  return '';
}

/** Sections -> entries, and the other top-level keys, in file order. */
export function outline(analysis: Analysis): OutlineSymbol[] {
  const top = analysis.parsed.doc?.contents;
  if (!isMap(top)) return [];
  const out: OutlineSymbol[] = [];
  for (const pair of top.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const keyRange = rangeOf(pair.key as Node)!;
    const valueRange = rangeOf(pair.value as Node);
    const range = { start: keyRange.start, end: Math.max(keyRange.end, valueRange?.end ?? keyRange.end) };
    if ((SECTION_NAMES as string[]).includes(key)) {
      const children: OutlineSymbol[] = [];
      if (isMap(pair.value)) {
        for (const e of pair.value.items) {
          if (!isPair(e) || !isScalar(e.key)) continue;
          const kr = rangeOf(e.key as Node)!;
          const vr = rangeOf(e.value as Node);
          children.push({
            name: String(e.key.value), detail: entryDetail(key, e.value), kind: KIND_OF_SECTION[key],
            range: { start: kr.start, end: Math.max(kr.end, vr?.end ?? kr.end) }, selectionRange: kr, children: [],
          });
        }
      }
      out.push({ name: key, detail: children.length === 1 ? '1 entry' : `${children.length} entries`, kind: 'section', range, selectionRange: keyRange, children });
    } else {
      const detail = isScalar(pair.value) ? scalarText(pair.value) : isSeq(pair.value) ? `${pair.value.items.length} item(s)` : '';
      out.push({ name: key, detail, kind: 'field', range, selectionRange: keyRange, children: [] });
    }
  }
  return out;
}

export interface Lens {
  /** The entry's key. */
  range: Range;
  path: Path;
  title: string;
}

const RESIDUAL_WORD: Record<ThreatAssessment['residual'], string> = {
  open: 'open', 'partially-mitigated': 'partially mitigated', mitigated: 'mitigated', accepted: 'accepted',
  transferred: 'transferred', 'not-applicable': 'not applicable', expired: 'acceptance expired',
};

/** The CodeLens line of a threat: `high · open · 1/2 mitigations implemented`. */
export function threatLensTitle(a: ThreatAssessment, tolerance: string): string {
  const parts = [a.level ?? 'unrated', RESIDUAL_WORD[a.residual]];
  parts.push(a.mitigationsTotal ? `${a.mitigationsDone}/${a.mitigationsTotal} mitigations implemented` : 'no mitigations');
  if (a.aboveTolerance) parts.push(`above ${tolerance} tolerance`);
  return parts.join(' · ');
}

/** The CodeLens line of an element or flow: `2 open threats (1 high)`. */
export function targetLensTitle(analysis: Analysis, id: string): string {
  const threats = analysis.graph.threatsByTarget.get(id) ?? [];
  if (!threats.length) return 'no threats yet';
  const open = threats.map(t => analysis.assessments.get(t)).filter((a): a is ThreatAssessment => !!a?.open);
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  if (!open.length) return `${n(threats.length, 'threat')}, none open`;
  const counts = (['critical', 'high'] as const).map(l => [l, open.filter(a => a.level === l).length] as const).filter(([, c]) => c > 0);
  const severe = counts.length ? ` (${counts.map(([l, c]) => `${c} ${l}`).join(', ')})` : '';
  return `${n(open.length, 'open threat')}${severe}`;
}

const places = (n: number, what: string) => `${what} in ${n} place${n === 1 ? '' : 's'}`;

/** What the code's annotations say of a threat, a mitigation or an element (` · mitigated in 2 places`), or ''. */
function annotatedTitle(annotations: readonly Annotation[], kind: 'threat' | 'mitigation' | 'element', id: string): string {
  if (!annotations.length) return '';
  const count = (k: Annotation['kind']) => annotations.filter(a => a.kind === k && a.id === id).length;
  const parts: string[] = [];
  if (kind === 'threat') {
    const [m, t, a] = [count('mitigates'), count('threat'), count('accepts')];
    if (m) parts.push(places(m, 'mitigated'));
    if (t) parts.push(places(t, 'exposed'));
    if (a) parts.push(places(a, 'accepted'));
  } else if (kind === 'mitigation') {
    const w = annotations.filter(a => a.with === id).length;
    if (w) parts.push(places(w, 'implemented'));
  } else {
    const files = new Set(annotations.filter(a => a.kind === 'model' && a.id === id).map(a => a.file)).size;
    if (files) parts.push(`code in ${files} file${files === 1 ? '' : 's'}`);
  }
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}

/** One lens over each threat, element and flow, and over each mitigation the code's annotations name. */
export function lenses(analysis: Analysis, annotations: readonly Annotation[] = []): Lens[] {
  const { assessments, tolerance, index } = analysis;
  const out: Lens[] = [];
  for (const kind of ['element', 'flow', 'threat'] as const) {
    for (const def of index.byKind.get(kind)?.values() ?? []) {
      if (kind === 'threat') {
        const a = assessments.get(def.id);
        if (a) out.push({ range: def.range, path: def.path, title: threatLensTitle(a, tolerance) + annotatedTitle(annotations, 'threat', def.id) });
      } else {
        out.push({ range: def.range, path: def.path, title: targetLensTitle(analysis, def.id) + (kind === 'element' ? annotatedTitle(annotations, 'element', def.id) : '') });
      }
    }
  }
  if (annotations.length) {
    for (const def of index.byKind.get('mitigation')?.values() ?? []) {
      const title = annotatedTitle(annotations, 'mitigation', def.id);
      if (title) out.push({ range: def.range, path: def.path, title: title.slice(3) });
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** The STRIDE categories an element or flow still lacks a threat for. */
export function missingStride(analysis: Analysis, id: string): Stride[] {
  const m = analysis.parsed.model;
  const type: CatalogTarget | undefined = m.elements?.[id]?.type ?? (m.flows?.[id] ? 'flow' : undefined);
  if (!type) return [];
  const covered = new Set<Stride>();
  for (const t of analysis.graph.threatsByTarget.get(id) ?? []) for (const s of m.threats?.[t]?.stride ?? []) covered.add(s);
  return STRIDE_PER_ELEMENT[type].filter(s => !covered.has(s));
}

/**
 * Whether a fix would change nothing on the analysed text, judged from the model without computing edits (so
 * it is cheap enough for every code-action request). Only what a finding can still carry after its fix was
 * applied is checked: a threat whose "add mitigation" stub is already linked.
 */
export function fixIsNoop(analysis: Analysis, fix: FixSpec): boolean {
  if (fix.kind === 'add-mitigation') {
    const t = analysis.parsed.model.threats?.[fix.threat];
    return !!t && (t.mitigations ?? []).includes(mitigationIdFor(fix.threat));
  }
  return false;
}

const sameFix = (a: FixSpec, b: FixSpec) => {
  const key = (f: FixSpec) => JSON.stringify({ ...f, title: undefined, preferred: undefined });
  return key(a) === key(b);
};

/**
 * Refactorings at the cursor, offered with or without a diagnostic: add a mitigation for the threat the cursor
 * is in, accept its risk, add STRIDE stubs for the element or flow the cursor is in (or names), create the
 * entry a dangling reference names. Fixes that a finding at the cursor already offers are left out.
 */
export function refactoringsAt(analysis: Analysis, offset: number): FixSpec[] {
  const { parsed } = analysis;
  const model = parsed.model;
  const out: FixSpec[] = [];
  const ref = idAt(analysis, offset);
  const at = nodeAt(parsed.doc, offset);
  const entry = at && entryOf(at.path);

  let threat: string | undefined;
  let target: string | undefined;
  if (ref && !ref.isDefinition) {
    if (ref.defined && (ref.kind === 'element' || ref.kind === 'flow')) target = ref.id;
    else if (ref.defined && ref.kind === 'threat') threat = ref.id;
  }
  if (entry?.section === 'threats' && model.threats?.[entry.id]) threat ??= entry.id;
  if ((entry?.section === 'elements' && model.elements?.[entry.id]) || (entry?.section === 'flows' && model.flows?.[entry.id])) target ??= entry.id;

  if (threat) {
    const t = model.threats![threat];
    const add: FixSpec = { kind: 'add-mitigation', title: `Add a mitigation for ${threat}`, threat };
    if (!fixIsNoop(analysis, add)) out.push(add);
    if (t.status !== 'accepted' && t.status !== 'transferred' && t.status !== 'not-applicable') {
      out.push({ kind: 'accept-risk', title: `Accept the risk of ${threat}… (justification, owner, expiry)`, threat });
    }
  }
  if (target) {
    const missing = missingStride(analysis, target);
    if (missing.length) out.push({ kind: 'add-stride-stubs', title: `Add STRIDE threat stubs for ${target} (${missing.join(', ')})`, target, categories: missing });
  }
  if (ref && !ref.defined && !ref.isDefinition) {
    const section = ({ element: 'elements', boundary: 'boundaries', asset: 'assets', mitigation: 'mitigations', threat: 'threats' } as const)[ref.kind as 'element'];
    if (section) out.push({ kind: 'create-element', title: `Create ${ref.kind} ${ref.id}`, section, id: ref.id });
  }
  const offered = analysis.findings.filter(f => f.range.start <= offset && offset <= f.range.end).flatMap(f => f.fixes ?? []);
  return out.filter(f => !offered.some(o => sameFix(o, f)));
}
