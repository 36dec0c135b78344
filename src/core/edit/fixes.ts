/**
 * Fixes as data -> text edits. Every fix is idempotent: computing it on the text it produced returns no edits.
 * The CLI, the extension's code actions and the visual editor all call `computeFix`.
 *
 * The text is untrusted: `computeFix` never throws. It returns no edits when a fix cannot be made safely, and
 * `computeFixResult` says why (`refusal`). Before returning edits, both check the result: the YAML has no
 * new errors, every entry the fix is not about keeps its value (nothing changes through an alias or anchor),
 * and computing the fix again on the result gives no edits.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { LIMITS, LINDDUN, STRIDE, type Stride } from '../model/schema';
import type { FixSpec, Path, SuggestedThreat, TextEdit } from '../types';
import { applyEdits, EditRefusal, YamlEditor } from './yamlEdit';
import { isoDay } from '../risk/assess';
import { catalogStub } from '../rules/stride/catalog';
import { linddunStub, linddunStubId } from '../rules/linddun/catalog';
import { clip } from '../text/clip';
import { RESERVED_KEYS } from '../model/parse';

export interface FixOptions {
  now?: Date;
  /** Days until a new acceptance expires (default 90). */
  acceptanceDays?: number;
  /**
   * Computes an `add-discovered` fix (src/core/discover/drift.ts `addToModel` with the discovery the adapter
   * holds); without it such a fix is refused.
   */
  addDiscovered?: (text: string, fix: Extract<FixSpec, { kind: 'add-discovered' }>) => FixResult;
}

export const STRIDE_SHORT: Record<Stride, string> = {
  spoofing: 'spoofing', tampering: 'tampering', repudiation: 'repudiation',
  'information-disclosure': 'disclosure', 'denial-of-service': 'dos', 'elevation-of-privilege': 'eop',
};

/** The id the "add mitigation" fix gives the mitigation of a threat. */
export const mitigationIdFor = (threatId: string) => `mitigate-${threatId.replace(/[@.]/g, '-')}`.slice(0, 64).replace(/-+$/, '');
export const strideStubId = (target: string, c: Stride) => `${target}-${STRIDE_SHORT[c]}`.slice(0, 128);
export const TODO = 'TODO';

/** The edits of a fix, or none and the reason when it cannot be made safely. */
export interface FixResult {
  edits: TextEdit[];
  /** Why there are no edits although the fix had something to do (absent when the fix is simply done already). */
  refusal?: string;
}

export function computeFix(text: string, fix: FixSpec, opts: FixOptions = {}): TextEdit[] {
  return computeFixResult(text, fix, opts).edits;
}

/** Like `computeFix`, with the reason when a fix is refused. Never throws. */
export function computeFixResult(text: string, fix: FixSpec, opts: FixOptions = {}): FixResult {
  try {
    if (fix.kind === 'replace') return { edits: replaceEdits(text, fix) };
    if (fix.kind === 'add-discovered') {
      return opts.addDiscovered?.(text, fix) ?? { edits: [], refusal: 'Adding what the repository declares needs its discovery: open the model in a workspace folder with discovery enabled (rampart.discover.enabled).' };
    }
    const ed = new YamlEditor(text);
    const edits = editsOf(ed, fix, opts);
    if (!edits.length) return { edits };
    const after = applyEdits(text, edits);
    if (after !== ed.text) throw new Error('the edits do not reproduce the edited text');
    const refusal = writesAfterError(text, ed.originalDocument, edits) ?? verify(ed.originalDocument, ed.document, after, fix, opts);
    return refusal ? { edits: [], refusal } : { edits };
  } catch (e) {
    if (e instanceof EditRefusal) return { edits: [], refusal: e.message };
    return { edits: [], refusal: `This fix cannot be applied to this file safely (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); edit it by hand.` };
  }
}

function replaceEdits(text: string, fix: Extract<FixSpec, { kind: 'replace' }>): TextEdit[] {
  const { start, end } = fix.range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) return [];
  // Made on other surroundings (or applied already, when the replacement shortens what it replaces).
  if (fix.expectAfter !== undefined && text.slice(end, end + 1) !== fix.expectAfter) return [];
  // Done already: a replacement that extends what it replaces (`mediu` -> `medium`) leaves the old characters
  // in the range, so the range alone cannot tell; the text there then starts with the whole replacement. The
  // range was a whole key or value, so in the original the characters after it never continue the
  // replacement. (A replacement that shortens (`a>` -> `a`) is told by the range: it no longer holds `a>`.)
  if (fix.text.length > fix.expect.length && fix.text.startsWith(fix.expect) && text.startsWith(fix.text, start)) return [];
  return text.slice(start, end) !== fix.expect ? [] : [{ offset: start, length: end - start, text: fix.text }];
}

/** The model paths a fix may change: everything else must keep its value. */
function touchedPaths(fix: FixSpec): Path[] {
  switch (fix.kind) {
    case 'add-mitigation': return [['mitigations', mitigationIdFor(fix.threat)], ['threats', fix.threat, 'mitigations']];
    case 'accept-risk': return ['status', 'justification', 'accepted_by', 'expires'].map(k => ['threats', fix.threat, k]);
    case 'add-stride-stubs': return fix.categories.map(c => ['threats', strideStubId(fix.target, c)]);
    case 'add-linddun-stubs': return fix.categories.map(c => ['threats', linddunStubId(fix.target, c)]);
    case 'create-element': return [[fix.section, fix.id]];
    case 'set-threat-status': return [['threats', fix.threat, 'status']];
    case 'set-mitigation-status': return [['mitigations', fix.mitigation, 'status']];
    case 'add-suggested-threat': return [['threats', fix.id]];
    case 'add-suggested-threats': return fix.threats.map(t => ['threats', t.id]);
    case 'add-evidence': return [['mitigations', fix.mitigation, 'evidence']];
    case 'mark-reviewed': return [['elements', fix.element, 'reviewed']];
    case 'replace': case 'add-discovered': return [];
  }
}

/** Why the edited text (`after`, read as `a`; `b` is the original) is not acceptable, or undefined when it is. */
/**
 * A refusal when an edit lands on a line after the point where the YAML reader gave up on it (an unclosed
 * quote, a stray token): what the fix writes there would mean whatever the broken text around it makes of it
 * (`cvss: 'a, "rule": 'b' }` turned an inserted `accepted_by: TODO` into `TODOb'`). An edit before that point
 * (an item put before a comment the reader stumbled on) is fine.
 */
function writesAfterError(text: string, before: Document, edits: readonly TextEdit[]): string | undefined {
  for (const e of before.errors) {
    const at = e.pos[0];
    const lineEnd = text.indexOf('\n', at);
    const end = lineEnd < 0 ? text.length : lineEnd;
    if (edits.some(x => x.offset > at && x.offset <= end)) {
      return 'This fix would write into a line the YAML reader cannot read (a quote left open, or a stray character); fix the YAML error first.';
    }
  }
  return undefined;
}

function verify(b: Document, a: Document, after: string, fix: FixSpec, opts: FixOptions): string | undefined {
  const codes = (errs: readonly { code: string }[]) => errs.reduce((m, e) => m.set(e.code, (m.get(e.code) ?? 0) + 1), new Map<string, number>());
  const was = codes(b.errors);
  for (const [code, n] of codes(a.errors)) {
    if (n > (was.get(code) ?? 0)) return `This fix would break the YAML of this file (${code}); edit it by hand.`;
  }
  if (!sameExcept(comparable(b), comparable(a), touchedPaths(fix), [])) {
    return 'This fix would also change other entries (they share a value through a YAML anchor or alias, or the file has an unusual layout); edit it by hand.';
  }
  if (editsOf(new YamlEditor(after, a), fix, opts).length) return 'This fix does not settle in one step on this file; edit it by hand.';
  return undefined;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrefix = (p: Path, of: Path) => p.length <= of.length && p.every((s, i) => String(s) === String(of[i]));

/** Deeper than any threat model (the parser stops at 64 levels); also how a value an alias nests in itself ends. */
const MAX_COMPARE_DEPTH = 200;
const tooDeep = () => new EditRefusal('The file nests values too deeply, or an alias refers to the value it is in; edit it by hand.');

/** Values a comparison expands at most (aliases of aliases can multiply a small file). */
const COMPARE_BUDGET = 1_000_000;

/**
 * A document as plain data to compare before and after a fix: aliases expanded (an edit through an anchor
 * shows wherever the anchor is used), a value that an alias nests in itself marked instead of expanded, complex
 * keys left out, the first of duplicate keys kept, reserved words kept as keys. Never yaml's `toJS`: it
 * stringifies complex keys, in time exponential in their nesting.
 */
function comparable(doc: Document): unknown {
  let budget = COMPARE_BUDGET;
  const open = new Set<unknown>();
  const walk = (node: unknown, depth: number): unknown => {
    if (--budget < 0) throw new EditRefusal('The file expands to too many values through aliases; edit it by hand.');
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return null;
      return open.has(target) ? `\u0000alias of an enclosing value: ${node.source}` : walk(target, depth);
    }
    if (isScalar(node)) return node.value;
    if (depth > MAX_COMPARE_DEPTH) throw tooDeep();
    if (isMap(node)) {
      open.add(node);
      const out: Record<string, unknown> = Object.create(null);
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const key = String(item.key.value);
        if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = walk(item.value, depth + 1);
      }
      open.delete(node);
      return out;
    }
    if (isSeq(node)) {
      open.add(node);
      const out = node.items.map(item => walk(item, depth + 1));
      open.delete(node);
      return out;
    }
    return null;
  };
  return walk(doc.contents, 0);
}

function deepEqual(x: unknown, y: unknown, depth = 0): boolean {
  if (Object.is(x, y)) return true;
  if (depth > MAX_COMPARE_DEPTH) throw tooDeep();
  if (Array.isArray(x) || Array.isArray(y)) {
    return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => deepEqual(v, y[i], depth + 1));
  }
  if (!isPlain(x) || !isPlain(y)) return false;
  const kx = Object.keys(x);
  return kx.length === Object.keys(y).length && kx.every(k => Object.prototype.hasOwnProperty.call(y, k) && deepEqual(x[k], y[k], depth + 1));
}

/**
 * Whether `after` equals `before` outside the `touched` paths. Maps on the way to a touched path may be
 * created (absent, null or empty before) or get new touched entries; nothing else may change.
 */
function sameExcept(before: unknown, after: unknown, touched: Path[], path: Path): boolean {
  if (touched.some(t => isPrefix(t, path))) return true;
  if (!touched.some(t => isPrefix(path, t))) return deepEqual(before, after, path.length);
  const b = isPlain(before) ? before : before === undefined || before === null || before === '' ? {} : undefined;
  if (!b || !isPlain(after)) return deepEqual(before, after, path.length);
  const keys = new Set([...Object.keys(b), ...Object.keys(after)]);
  for (const k of keys) {
    if (!sameExcept(b[k], after[k], touched, [...path, k])) return false;
  }
  return true;
}

/** The edits of an editor-based fix on the editor's text, unchecked. */
function editsOf(ed: YamlEditor, fix: FixSpec, opts: FixOptions): TextEdit[] {
  const now = opts.now ?? new Date();
  switch (fix.kind) {
    case 'replace':
      return replaceEdits(ed.text, fix);
    case 'add-discovered':
      return []; // computed by computeFixResult with the adapter's discovery
    case 'add-evidence':
      if (!ed.has(['mitigations', fix.mitigation])) throw new EditRefusal(`The model has no mitigation \`${fix.mitigation}\`.`);
      ed.appendToSeq(['mitigations', fix.mitigation, 'evidence'], fix.evidence);
      return ed.edits();
    case 'mark-reviewed': {
      if (!ed.has(['elements', fix.element])) throw new EditRefusal(`The model has no element \`${fix.element}\`.`);
      const at = ['elements', fix.element, 'reviewed'];
      if (ed.has(at) && !(ed.get(at) && typeof ed.get(at) === 'object')) throw new EditRefusal(`\`reviewed\` of \`${fix.element}\` is not a map: write it as { date, commit }.`);
      ed.setScalar([...at, 'date'], fix.date);
      ed.setScalar([...at, 'commit'], fix.commit);
      if (fix.by) ed.setScalar([...at, 'by'], fix.by);
      return ed.edits();
    }
    case 'add-mitigation': {
      const title = ed.get(['threats', fix.threat, 'title']);
      const mid = mitigationIdFor(fix.threat);
      if (!ed.has(['mitigations', mid])) {
        // the threat's title may take the whole length a title may have: it is shortened to fit
        const quoted = `${TODO}: mitigate ""`;
        ed.insertEntry(['mitigations'], mid, { title: `${TODO}: mitigate "${clip(typeof title === 'string' ? title : fix.threat, LIMITS.name - quoted.length)}"`, status: 'proposed' });
      }
      ed.appendToSeq(['threats', fix.threat, 'mitigations'], mid);
      return ed.edits();
    }
    case 'accept-risk': {
      const status = fix.status ?? 'accepted';
      const p = ['threats', fix.threat];
      const expires = ed.get([...p, 'expires']);
      // An expired acceptance (the same test as the risk assessment: `expires` before today) is renewed: a
      // new expiry, and the justification and accepted_by go back to TODO placeholders. Renewing is a new
      // decision that someone has to justify and sign again; keeping the old name would claim that this
      // person accepted the risk once more. (The old values stay in the file's history.)
      const expired = typeof expires === 'string' && expires < isoDay(now);
      if (ed.get([...p, 'status']) !== status) ed.setScalar([...p, 'status'], status);
      if (expired) ed.setScalar([...p, 'justification'], `${TODO}: why this risk is still acceptable (the previous decision expired on ${expires})`);
      else if (!ed.get([...p, 'justification'])) ed.setScalar([...p, 'justification'], `${TODO}: why this risk is acceptable`);
      if (expired || !ed.get([...p, 'accepted_by'])) ed.setScalar([...p, 'accepted_by'], TODO);
      if (expired || !ed.get([...p, 'expires'])) {
        const expiry = new Date(now.getTime() + (opts.acceptanceDays ?? 90) * 86_400_000);
        ed.setScalar([...p, 'expires'], isoDay(expiry));
      }
      return ed.edits();
    }
    case 'add-stride-stubs': {
      for (const c of STRIDE.filter(s => fix.categories.includes(s))) {
        const id = strideStubId(fix.target, c);
        if (ed.has(['threats', id])) continue;
        const name = ed.get(['elements', fix.target, 'name']) ?? ed.get(['flows', fix.target, 'name']) ?? fix.target;
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        ed.insertEntry(['threats'], id, fix.entries?.[c] ?? catalogStub(str(ed.get(['elements', fix.target, 'type'])), c, fix.target, String(name), str(ed.get(['elements', fix.target, 'kind']))));
      }
      return ed.edits();
    }
    case 'add-linddun-stubs': {
      for (const c of LINDDUN.filter(l => fix.categories.includes(l))) {
        const id = linddunStubId(fix.target, c);
        if (ed.has(['threats', id])) continue;
        const name = ed.get(['elements', fix.target, 'name']) ?? ed.get(['flows', fix.target, 'name']) ?? fix.target;
        const type = ed.get(['elements', fix.target, 'type']);
        ed.insertEntry(['threats'], id, linddunStub(typeof type === 'string' ? type : undefined, c, fix.target, String(name)));
      }
      return ed.edits();
    }
    case 'create-element': {
      if (ed.has([fix.section, fix.id])) return [];
      if (RESERVED_KEYS.has(fix.id)) throw new EditRefusal(`\`${fix.id}\` is a reserved word and cannot be an id; give the entry another id.`);
      const name = fix.id.split('-').map(w => (w ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
      const stub: Record<string, Record<string, unknown>> = {
        elements: { type: 'process', name },
        boundaries: { name, trust: 'partial' },
        assets: { name, classification: 'internal' },
        mitigations: { title: `${TODO}: ${name}`, status: 'proposed' },
        threats: { title: `${TODO}: ${name}`, status: 'open' },
      };
      ed.insertEntry([fix.section], fix.id, stub[fix.section]);
      return ed.edits();
    }
    case 'set-threat-status':
      if (!ed.has(['threats', fix.threat])) return [];
      ed.setScalar(['threats', fix.threat, 'status'], fix.status);
      return ed.edits();
    case 'set-mitigation-status':
      if (!ed.has(['mitigations', fix.mitigation])) return [];
      ed.setScalar(['mitigations', fix.mitigation, 'status'], fix.status);
      return ed.edits();
    case 'add-suggested-threat':
      addSuggested(ed, fix.id, fix.threat);
      return ed.edits();
    case 'add-suggested-threats':
      for (const t of fix.threats) addSuggested(ed, t.id, t.threat);
      return ed.edits();
  }
}

function addSuggested(ed: YamlEditor, id: string, t: SuggestedThreat) {
  if (ed.has(['threats', id])) return;
  const entry: Record<string, unknown> = { title: t.title };
  if (t.description) entry.description = t.description;
  if (t.statement && Object.values(t.statement).some(v => v !== undefined)) {
    entry.statement = Object.fromEntries(Object.entries(t.statement).filter(([, v]) => v !== undefined));
  }
  entry.stride = t.stride;
  if (t.linddun?.length) entry.linddun = t.linddun;
  entry.targets = t.targets;
  if (t.likelihood) entry.likelihood = t.likelihood;
  if (t.impact) entry.impact = t.impact;
  if (t.cwe?.length) entry.cwe = t.cwe;
  if (t.capec?.length) entry.capec = t.capec;
  if (t.tags?.length) entry.tags = t.tags;
  entry.status = 'open';
  entry.rule = t.rule;
  ed.insertEntry(['threats'], id, entry);
}
