/**
 * The fuzzer's properties and the runner both front ends share (`test/unit/fuzz.test.ts`, seed-fixed and
 * small; `scripts/fuzz.ts`, 100,000+ cases in a watchdog worker).
 *
 * Every property takes a generated case (a generated model rendered in some YAML style, or a mutated example,
 * fixture or foreign corpus file) through a part of Rampart and checks a guarantee:
 *
 * - `parse`: `analyze` (parse, validate, every rule) answers without an exception, no rule fails
 *   (`internal/rule-failed`), finding ranges lie inside the text, the webview's error message for a fatal
 *   problem is one the protocol accepts, and (generated models) CRLF line endings or a byte-order mark change
 *   no finding but its position.
 * - `render`: the Mermaid data-flow diagram (whole and focused), every attack tree, the Markdown report, SARIF
 *   (valid against the OASIS schema), the visual editor's view model (accepted by the webview protocol, ranges
 *   inside the text) and the risk diff are produced without an exception; Mermaid text carries no control or
 *   bidi characters, directives or `click` lines and stays under Mermaid's size limit; Markdown carries no
 *   control or bidi characters, raw HTML tags from the model, unbalanced fences or live mentions.
 * - `fix`: for fixes of findings (and the visual editor's status edits) `computeFix` gives in-bounds,
 *   non-overlapping edits that split no CRLF or surrogate pair and keep the file's line endings; every comment
 *   outside the edit ranges is still a comment afterwards, no comment is inside an edit range; the result
 *   re-parses with no schema finding that was not there before (only syntax findings count in a file with a
 *   YAML syntax error; findings inside an entry the fix made valid were there before), and the fix is
 *   idempotent (computing it on the result gives no edits) and not a no-op (unless the file has a syntax error
 *   or the section the fix writes to is not a map).
 * - `import`: every importer, on mutated corpus files and on mutated exports of generated models (and on the
 *   wrong format), either throws `ImportError` or returns YAML that analyses without schema errors.
 * - `export`: both exporters, on valid generated models, the examples and imported corpus models, write JSON
 *   valid against Threat Dragon's / OTM's schema that the matching importer reads back without schema errors.
 * - `mermaid`: Mermaid's own parser accepts every generated diagram, with no click handler, link or directive.
 *
 * A case that takes more than `HANG_MS` of CPU time fails as a hang (the script's watchdog also catches a case
 * that never returns).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Parser, parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { analyze, type Analysis } from '../../src/core/analyze';
import { computeFix } from '../../src/core/edit/fixes';
import { applyEdits } from '../../src/core/edit/yamlEdit';
import { diffModels } from '../../src/core/diff';
import { exportModel, ImportError, importModel, IMPORT_FORMATS, type ExportFormat, type ImportFormat } from '../../src/core/interop/index';
import { ALL_RULE_META } from '../../src/core/rules/index';
import { attackTreeDiagram } from '../../src/core/render/attackTree';
import { MERMAID_MAX_TEXT_SIZE, modelDiagram, type DiagramFocus } from '../../src/core/render/mermaid';
import { portableMermaid, renderReport } from '../../src/core/render/report';
import { toSarif } from '../../src/core/render/sarif';
import { buildViewModel, fatalProblem, REVEAL_KINDS, revealRange, selectionAt } from '../../src/core/render/viewModel';
import { parseToWebview } from '../../src/shared/protocol';
import type { FixSpec, Finding, Path, Range, TextEdit } from '../../src/core/types';
import {
  applyMutations, dataMutationArb, modelSpecArb, mutationsArb, mutateData, renderModel,
  type DataMutation, type ModelSpec, type Mutation,
} from './arbitraries';
import { findCorpus, findSarifSchema, foreignSeeds, rampartSeeds, type ForeignSeed, type SeedText } from './corpus';

/** "Today" for every analysis, so that expiry findings do not move with the calendar. */
export const NOW = new Date('2026-06-01T00:00:00Z');
/** CPU time above which a case fails as a hang. */
export const HANG_MS = 2000;

// ---------------------------------------------------------------------------------------------------------
// Failures

/** A guarantee that does not hold; `check` names it (`fix/not-idempotent`), `detail` says how. */
export class Violation extends Error {
  constructor(readonly check: string, readonly detail: string, readonly key = '') {
    super(`${check}: ${detail}`);
    this.name = 'Violation';
  }
}

export interface Failure {
  property: string;
  kind: 'crash' | 'violation' | 'hang';
  /** What the failure is, without the case: equal signatures are the same defect. */
  signature: string;
  message: string;
  /** The stage that failed (`analyze`, `computeFix add-mitigation`, `import threagile`, ...). */
  stage: string;
  cpuMs: number;
  stack?: string;
}

let stage = '';
const stageTimes = new Map<string, number>();

/** Hooks for a watchdog in another thread: a case starts, a stage starts. */
export const hooks: { onCase?: () => void; onStage?: (name: string) => void } = {};

/** Runs one stage of a case; the stage names the failure when it throws or hangs. */
function step<T>(name: string, fn: () => T): T {
  const prev = stage;
  stage = name;
  hooks.onStage?.(name);
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    stageTimes.set(name, (stageTimes.get(name) ?? 0) + performance.now() - t0);
    stage = prev;
  }
}

/**
 * CPU time of this thread in ms: Linux's /proc/thread-self/stat (10 ms ticks), so that other threads and
 * processes on a busy machine do not count; elsewhere the process's CPU time.
 */
function threadCpuMs(): number {
  if (procStat) {
    try {
      const s = readFileSync('/proc/thread-self/stat', 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      procStat = false;
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
let procStat = process.platform === 'linux';

const cpuMs = (start: number) => threadCpuMs() - start;

/** Numbers, quoted text and ids out of a message, so that one defect has one signature. */
export function normalizeMessage(s: string): string {
  return s.split('\n')[0]
    .replace(/`[^`]*`/g, '`…`')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

/** The first stack frame in Rampart's code or in `yaml`, as `file:function`. */
function topFrame(stack: string | undefined): string {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /at (?:(\S+) )?\(?(?:.*\/)?((?:src|node_modules\/yaml\/dist)\/[^:)]+)/.exec(line);
    if (m && !/test\/fuzz/.test(line)) return `${m[2]}:${m[1] ?? '?'}`;
  }
  return '?';
}

function classify(property: string, e: unknown, stageName: string, ms: number): Failure {
  if (e instanceof Violation) {
    return { property, kind: 'violation', signature: `${property} ${e.check}${e.key ? ` [${e.key}]` : ''}`, message: e.message, stage: stageName, cpuMs: ms };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    property, kind: 'crash', stage: stageName, cpuMs: ms, stack: err.stack,
    signature: `${property} crash in ${stageName.replace(/ again$/, '').split(' ').slice(0, 2).join(' ')}: ${err.name}: ${normalizeMessage(err.message)} @ ${topFrame(err.stack)}`,
    message: `${err.name}: ${err.message.split('\n')[0].slice(0, 500)}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Properties

export interface FuzzProperty<T = any> {
  name: string;
  arb: fc.Arbitrary<T>;
  run(c: T): void | Promise<void>;
  /** The case as a reader needs it to reproduce the failure (texts, not specs). */
  show(c: T): string;
}

/** Runs one case: undefined when every guarantee holds, else the failure. */
export async function runCase<T>(prop: FuzzProperty<T>, c: T): Promise<Failure | undefined> {
  hooks.onCase?.();
  stage = '';
  stageTimes.clear();
  const start = threadCpuMs();
  let failedStage = '';
  try {
    await prop.run(c);
  } catch (e) {
    failedStage = stage || lastStage();
    const ms = cpuMs(start);
    lastCaseCpuMs = ms;
    stage = '';
    return classify(prop.name, e, failedStage || 'case', ms);
  }
  const ms = cpuMs(start);
  lastCaseCpuMs = ms;
  if (ms > HANG_MS) {
    const slowest = [...stageTimes].sort((a, b) => b[1] - a[1])[0];
    const where = slowest ? slowest[0] : 'case';
    return {
      property: prop.name, kind: 'hang', stage: where, cpuMs: ms,
      signature: hangSignature(prop.name, where),
      message: `the case took ${Math.round(ms)} ms of CPU time (limit ${HANG_MS} ms); slowest stage ${where} (${Math.round(slowest?.[1] ?? 0)} ms wall)`,
    };
  }
  return undefined;
}

/** CPU time of the last case that returned (ms). */
let lastCaseCpuMs = 0;

/** One signature for a slow case and a case the watchdog stopped, by property and stage. */
export function hangSignature(property: string, stageName: string): string {
  return `${property} hang in ${stageName.replace(/ again$/, '').split(' ').slice(0, 2).join(' ') || 'case'}`;
}

function lastStage(): string {
  return [...stageTimes.keys()].pop() ?? '';
}

// ----- Inputs

export const RAMPART_SEEDS: SeedText[] = rampartSeeds();
export const FOREIGN_SEEDS: ForeignSeed[] = foreignSeeds();
const ALL_SEEDS: SeedText[] = [...RAMPART_SEEDS, ...FOREIGN_SEEDS];

/** A text to analyse: a generated model, a mutated one, a mutated seed file, or arbitrary characters. */
export type TextCase =
  | { kind: 'generated'; spec: ModelSpec; mutations: Mutation[] }
  | { kind: 'seed'; seed: number; foreign: boolean; mutations: Mutation[] }
  | { kind: 'chars'; text: string };

const generatedArb = (weird: boolean, mutations: number): fc.Arbitrary<TextCase> =>
  fc.record({ kind: fc.constant('generated' as const), spec: modelSpecArb({ weird }), mutations: mutations ? mutationsArb(mutations) : fc.constant([]) });
const seedArb = (foreign: boolean, maxMutations = 4): fc.Arbitrary<TextCase> =>
  fc.record({ kind: fc.constant('seed' as const), seed: fc.nat(), foreign: fc.constant(foreign), mutations: mutationsArb(maxMutations, 0) });

export function textCaseArb(opts: { foreign?: boolean; chars?: boolean } = {}): fc.Arbitrary<TextCase> {
  const arbs: fc.WeightedArbitrary<TextCase>[] = [
    { weight: 6, arbitrary: generatedArb(true, 0) },
    { weight: 2, arbitrary: generatedArb(false, 0) },
    { weight: 4, arbitrary: generatedArb(true, 3) },
    { weight: 5, arbitrary: seedArb(false) },
  ];
  if (opts.foreign && FOREIGN_SEEDS.length) arbs.push({ weight: 2, arbitrary: seedArb(true) });
  if (opts.chars) {
    arbs.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('chars' as const), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...'[]{}:-?&*!|>#\'", \n\tab1'.split('')), maxLength: 300 })) }) });
  }
  return fc.oneof(...arbs);
}

function seedOf(c: Extract<TextCase, { kind: 'seed' }>): SeedText {
  const pool = c.foreign ? FOREIGN_SEEDS : RAMPART_SEEDS;
  return pool.length ? pool[c.seed % pool.length] : { name: '(none)', text: 'rampart: 1\ntitle: empty corpus\n' };
}

/** The text before mutations (the base of a diff), and after. */
export function baseTextOf(c: TextCase): string {
  if (c.kind === 'generated') return renderModel(c.spec);
  if (c.kind === 'seed') return seedOf(c).text;
  return c.text;
}

export function textOf(c: TextCase): string {
  if (c.kind === 'chars') return c.text;
  return applyMutations(baseTextOf(c), c.mutations);
}

/** A text shown for a report: whole when short, else the changed region with context. */
function showText(label: string, text: string, base?: string): string {
  if (text.length <= 2500 || base === undefined) return `${label} (${text.length} chars):\n${JSON.stringify(text.length > 20000 ? text.slice(0, 20000) + '…' : text)}`;
  let p = 0;
  while (p < text.length && p < base.length && text[p] === base[p]) p++;
  let s = 0;
  while (s < text.length - p && s < base.length - p && text[text.length - 1 - s] === base[base.length - 1 - s]) s++;
  const from = Math.max(0, text.lastIndexOf('\n', Math.max(0, p - 300)));
  const to = Math.min(text.length, text.indexOf('\n', Math.min(text.length, text.length - s + 300)) >>> 0);
  return `${label} (${text.length} chars; the changed region ${p}..${text.length - s} with context):\n${JSON.stringify(text.slice(from, to))}`;
}

export function showTextCase(c: TextCase, label = 'text'): string {
  if (c.kind === 'seed') return `${label}: ${seedOf(c).name} with mutations ${JSON.stringify(c.mutations)}\n${showText(label, textOf(c), seedOf(c).text)}`;
  if (c.kind === 'generated' && c.mutations.length) return `${label}: generated model with mutations ${JSON.stringify(c.mutations)}\n${showText(label, textOf(c))}`;
  return showText(label, textOf(c));
}

// ----- Checks shared by the properties

const RULE_IDS = new Set(ALL_RULE_META.map(m => m.id));

function checkRange(r: Range | undefined, len: number, what: string) {
  if (!r || !Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end < r.start || r.end > len) {
    throw new Violation('range-outside-text', `${what} has range ${JSON.stringify(r)} in a text of ${len} characters`, what.split(' ')[0]);
  }
}

function analyzeChecked(text: string, label = 'analyze'): Analysis {
  const a = step(label, () => analyze(text, { now: NOW }));
  for (const f of a.findings) {
    if (f.ruleId === 'internal/rule-failed') throw new Violation('rule-failed', f.message, normalizeMessage(f.message));
    if (!RULE_IDS.has(f.ruleId)) throw new Violation('unknown-rule-id', `finding with rule id ${JSON.stringify(f.ruleId)}`, f.ruleId);
    if (typeof f.message !== 'string' || !f.message.trim()) throw new Violation('empty-message', `${f.ruleId} has no message`, f.ruleId);
    checkRange(f.range, text.length, `${f.ruleId} finding`);
    for (const r of f.related ?? []) checkRange(r.range, text.length, `${f.ruleId} related location`);
  }
  return a;
}

const MERMAID_BAD = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;

export function checkMermaid(text: string, what: string) {
  if (typeof text !== 'string') throw new Violation('mermaid-not-text', `${what} is ${typeof text}`, what);
  for (const line of text.split('\n')) {
    const m = MERMAID_BAD.exec(line);
    if (m) throw new Violation('mermaid-control-char', `${what} holds U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} in line ${JSON.stringify(line.slice(0, 200))}`, what);
    if (/^\s*click\b/.test(line)) throw new Violation('mermaid-click', `${what} has a click line ${JSON.stringify(line.slice(0, 200))}`, what);
  }
  if (text.includes('%%{')) throw new Violation('mermaid-directive', `${what} holds a %%{ directive`, what);
  if (text.length > MERMAID_MAX_TEXT_SIZE) throw new Violation('mermaid-too-large', `${what} is ${text.length} characters, over Mermaid's limit ${MERMAID_MAX_TEXT_SIZE}`, what);
}

/** Controls and bidi characters Markdown output must not carry (as `render/markdown.ts` drops them). */
const MD_BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

export function checkMarkdown(md: string, what: string) {
  if (typeof md !== 'string') throw new Violation('markdown-not-text', `${what} is ${typeof md}`, what);
  const m = MD_BAD.exec(md);
  if (m) {
    const at = m.index;
    throw new Violation('markdown-control-char', `${what} holds U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in ${JSON.stringify(md.slice(Math.max(0, at - 80), at + 40))}`, what);
  }
  const tag = /<(script|img|iframe|svg|object|embed|style|a\s)/i.exec(md);
  if (tag) throw new Violation('markdown-html', `${what} holds a raw <${tag[1]} tag: ${JSON.stringify(md.slice(Math.max(0, tag.index - 60), tag.index + 60))}`, what);
  const fences = md.split('\n').filter(l => /^ {0,3}(```|~~~)/.test(l)).length;
  if (fences % 2) throw new Violation('markdown-fence', `${what} has ${fences} fence lines (unbalanced)`, what);
  const mention = /(^|[\s(])@(everyone|org\/team)\b/.exec(md);
  if (mention) throw new Violation('markdown-mention', `${what} would notify ${mention[0].trim()}`, what);
}

// SARIF schema (draft-04) and the Threat Dragon / OTM schemas (draft-07), when the shared folders are there.
/* eslint-disable @typescript-eslint/no-require-imports */
const validators = (() => {
  const out: { sarif?: (v: unknown) => boolean; td?: (v: unknown) => boolean; otm?: (v: unknown) => boolean; errors: (v: any) => string } = {
    errors: v => JSON.stringify(v.errors?.slice(0, 3)),
  };
  const sarifPath = findSarifSchema();
  if (sarifPath) {
    const Ajv4 = require('ajv-draft-04');
    const ajv4 = new Ajv4({ strict: false, allErrors: false });
    require('ajv-formats')(ajv4);
    out.sarif = ajv4.compile(JSON.parse(readFileSync(sarifPath, 'utf8')));
  }
  const corpus = findCorpus();
  if (corpus) {
    const Ajv = require('ajv');
    const ajv = new Ajv({ strict: false, allErrors: false });
    try { out.td = ajv.compile(JSON.parse(readFileSync(`${corpus}/threat-dragon/schema/threat-dragon-v2.schema.json`, 'utf8'))); } catch { /* absent */ }
    try { out.otm = ajv.compile(JSON.parse(readFileSync(`${corpus}/otm/otm_schema.json`, 'utf8'))); } catch { /* absent */ }
  }
  return out;
})();
/* eslint-enable @typescript-eslint/no-require-imports */

function validate(kind: 'sarif' | 'td' | 'otm', value: unknown, what: string) {
  const v = validators[kind];
  if (v && !v(value)) throw new Violation(`${kind}-schema`, `${what} is not valid against the schema: ${validators.errors(v)}`, what);
}

// ----- parse

export const parseProperty: FuzzProperty<TextCase> = {
  name: 'parse',
  arb: textCaseArb({ foreign: true, chars: true }),
  run(c) {
    const text = step('generate', () => textOf(c));
    const a = analyzeChecked(text);
    if (c.kind === 'generated' && c.mutations.length === 0) {
      // metamorphic: line endings and a byte-order mark change where findings are, not what they say
      const flip = c.spec.layout.seed % 2 === 0 ? 'crlf' : 'bom';
      const other = renderModel({ ...c.spec, layout: { ...c.spec.layout, [flip]: !c.spec.layout[flip] } });
      const b = analyzeChecked(other, `analyze ${flip === 'crlf' ? 'other line endings' : 'other BOM'}`);
      const key = (f: Finding) => `${f.ruleId} ${JSON.stringify(f.path ?? null)} ${normalizeMessage(f.message)}`;
      const ka = a.findings.map(key).sort();
      const kb = b.findings.map(key).sort();
      const onlyA = ka.filter(k => !kb.includes(k));
      const onlyB = kb.filter(k => !ka.includes(k));
      if (onlyA.length || onlyB.length) {
        const what = flip === 'crlf' ? 'line endings' : 'a byte-order mark';
        throw new Violation('findings-depend-on-layout', `changing ${what} (${flip} ${c.spec.layout[flip]} -> ${!c.spec.layout[flip]}) changes the findings: only before ${JSON.stringify(onlyA.slice(0, 3))}, only after ${JSON.stringify(onlyB.slice(0, 3))}`, `${flip} ${(onlyA[0] ?? onlyB[0]).split(' ')[0]}`);
      }
    }
    step('fatal problem', () => {
      const fatal = fatalProblem(a.parsed);
      if (fatal && !parseToWebview({ type: 'error', version: 1, message: fatal.message, line: fatal.line, column: fatal.column })) {
        throw new Violation('webview-error-message', `the protocol refuses the error message ${JSON.stringify({ ...fatal, message: fatal.message.slice(0, 200) })}`);
      }
    });
  },
  show: c => showTextCase(c),
};

// ----- render

export interface RenderCase { src: TextCase; other: TextCase; focus: number; fileName: string }

const FILE_NAMES = ['models/shop.threatmodel.yaml', 'a b/ü.threatmodel.yaml', 'x`y|z*.threatmodel.yaml', '<img src=x>.threatmodel.yaml', '../up.threatmodel.yaml'];

export const renderProperty: FuzzProperty<RenderCase> = {
  name: 'render',
  arb: fc.record({ src: textCaseArb(), other: textCaseArb(), focus: fc.nat(), fileName: fc.constantFrom(...FILE_NAMES) }),
  run(c) {
    const text = step('generate', () => textOf(c.src));
    const a = analyzeChecked(text);
    const { model } = a.parsed;
    const d = step('mermaid', () => modelDiagram(model, a.assessments));
    checkMermaid(d.text, 'data-flow diagram');
    checkMermaid(step('mermaid portable', () => portableMermaid(d.text)), 'portable data-flow diagram');
    const focusIds: DiagramFocus[] = [
      ...Object.keys(model.boundaries ?? {}).map(boundary => ({ boundary })),
      ...Object.keys(model.elements ?? {}).map(element => ({ element })),
    ];
    if (focusIds.length) {
      const focus = focusIds[c.focus % focusIds.length];
      checkMermaid(step('mermaid focus', () => modelDiagram(model, a.assessments, { focus })).text, `diagram focused on ${JSON.stringify(focus)}`);
    }
    const blocked = (tid: string) => { const x = a.assessments.get(tid); return !!x && (x.residual === 'mitigated' || x.residual === 'not-applicable'); };
    for (const [id, tree] of Object.entries(model.attack_trees ?? {}).slice(0, 4)) {
      const t = step('attack tree', () => attackTreeDiagram(tree, { blocked, threatTitle: tid => model.threats?.[tid]?.title, treeGoal: gid => model.attack_trees?.[gid]?.goal }));
      checkMermaid(t.text, `attack tree ${id}`);
    }
    checkMarkdown(step('report', () => renderReport(a, { fileName: c.fileName, now: NOW, generator: 'Rampart fuzz' })), 'report');
    step('sarif', () => {
      const log = JSON.parse(JSON.stringify(toSarif([{ uri: c.fileName, text, analysis: a }], { toolVersion: '0.1.0', informationUri: 'https://example.com/rampart', category: 'rampart/', srcRoot: 'file:///repo/' })));
      validate('sarif', log, 'SARIF log');
      const lines = text.split(/\r\n|\r|\n/).length; // YAML's line breaks, as src/core/lines.ts counts them
      for (const r of log.runs[0].results) {
        const reg = r.locations[0].physicalLocation.region;
        if (!(reg.startLine >= 1 && reg.startLine <= lines && (reg.endLine ?? reg.startLine) >= reg.startLine && (reg.endLine ?? reg.startLine) <= lines)) {
          throw new Violation('sarif-region', `result ${r.ruleId} has region ${JSON.stringify(reg)} in a file of ${lines} lines`, r.ruleId);
        }
      }
    });
    step('view model', () => {
      if (fatalProblem(a.parsed)) return;
      const { view, ranges } = buildViewModel(a.parsed, { assessments: a.assessments, findings: a.findings, tolerance: a.tolerance });
      const message = { type: 'update', version: 1, view: structuredClone(view) };
      if (!parseToWebview(message)) throw new Violation('webview-update-message', 'the protocol refuses the update message');
      checkMermaid(view.diagram.text, 'view diagram');
      for (const t of view.attackTrees) checkMermaid(t.diagram.text, `view attack tree ${t.id}`);
      for (const kind of REVEAL_KINDS) for (const [id, r] of Object.entries(ranges[kind])) checkRange(r, text.length, `${kind} ${id} view range`);
      selectionAt(ranges, c.focus % (text.length + 1));
      for (const kind of REVEAL_KINDS) {
        const section = { element: 'elements', flow: 'flows', boundary: 'boundaries', threat: 'threats', mitigation: 'mitigations', attack_tree: 'attack_trees', asset: 'assets' }[kind];
        for (const id of Object.keys((model as unknown as Record<string, Record<string, unknown> | undefined>)[section] ?? {}).slice(0, 5)) {
          const r = revealRange(a.parsed, { kind, id, node: kind === 'attack_tree' ? ['or', 0] : undefined });
          if (r) checkRange(r, text.length, `reveal ${kind} ${id}`);
        }
      }
    });
    // one diff per case (each costs two analyses): against another text, or as a new or deleted model
    if (c.focus % 3 === 0) {
      const other = step('generate', () => textOf(c.other));
      checkMarkdown(step('diff', () => diffModels(other, text, { now: NOW }, { fileName: c.fileName, baseLabel: 'main', headLabel: 'HEAD' })).markdown, 'risk diff');
    } else {
      const added = c.focus % 3 === 1;
      checkMarkdown(step('diff', () => diffModels(added ? null : text, added ? text : null, { now: NOW }, { fileName: c.fileName })).markdown, `risk diff of a ${added ? 'new' : 'deleted'} model`);
    }
  },
  show: c => `${showTextCase(c.src)}\n${c.focus % 3 === 0 ? showTextCase(c.other, 'diff base') + '\n' : ''}focus pick ${c.focus}, file name ${JSON.stringify(c.fileName)}`,
};

// ----- fix

export interface FixCase { src: TextCase; picks: number[]; status: number }

let lastComments: { text: string; comments: Map<number, string> } | undefined;

/** Comments of a text as the YAML lexer sees them: offset -> source. */
export function commentsOf(text: string): Map<number, string> {
  if (lastComments?.text === text) return lastComments.comments;
  const out = new Map<number, string>();
  lastComments = { text, comments: out };
  const seen = new Set<unknown>();
  const visit = (t: unknown) => {
    if (!t || typeof t !== 'object' || seen.has(t)) return;
    seen.add(t);
    const tok = t as { type?: string; offset?: number; source?: string };
    if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string') out.set(tok.offset, tok.source);
    for (const v of Object.values(t)) if (v && typeof v === 'object') visit(v);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return out;
}

function sortedEdits(text: string, edits: readonly TextEdit[], what: string): TextEdit[] {
  if (!Array.isArray(edits)) throw new Violation('fix-edits-not-a-list', `${what} returned ${typeof edits}`, what);
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const e of sorted) {
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset < 0 || e.length < 0 || e.offset + e.length > text.length || typeof e.text !== 'string') {
      throw new Violation('fix-edit-out-of-bounds', `${what}: edit ${JSON.stringify(e).slice(0, 200)} in a text of ${text.length}`, what);
    }
    if (e.offset < end) throw new Violation('fix-edits-overlap', `${what}: edits overlap at ${e.offset}`, what);
    end = e.offset + e.length;
  }
  return sorted;
}

const splitsPair = (text: string, at: number) =>
  at > 0 && at < text.length && ((text[at - 1] === '\r' && text[at] === '\n') || (/[\ud800-\udbff]/.test(text[at - 1]) && /[\udc00-\udfff]/.test(text[at])));

/** The fixes a case tries: those of its findings, plus the visual editor's status edits of listed entries. */
function fixesOf(a: Analysis, c: FixCase): { fix: FixSpec; from: string }[] {
  const all: { fix: FixSpec; from: string }[] = [];
  for (const f of a.findings) for (const fix of f.fixes ?? []) all.push({ fix, from: f.ruleId });
  const threats = Object.keys(a.parsed.model.threats ?? {});
  const mitigations = Object.keys(a.parsed.model.mitigations ?? {});
  const ts = ['open', 'mitigated', 'accepted', 'transferred', 'not-applicable'] as const;
  const ms = ['proposed', 'planned', 'in-progress', 'implemented', 'verified'];
  if (threats.length) all.push({ fix: { kind: 'set-threat-status', title: '', threat: threats[c.status % threats.length], status: ts[c.status % ts.length] }, from: 'visual editor' });
  if (mitigations.length) all.push({ fix: { kind: 'set-mitigation-status', title: '', mitigation: mitigations[c.status % mitigations.length], status: ms[(c.status >> 3) % ms.length] }, from: 'visual editor' });
  if (!all.length) return [];
  return [...new Set(c.picks.map(p => p % all.length))].map(i => all[i]);
}

/**
 * The schema findings of an analysis as a multiset of keys: rule id and model path (messages may change
 * with the model, e.g. a "did you mean" suggestion), or rule id and message for findings without a path.
 * In a text with YAML syntax errors only the syntax findings count: schema complaints inside text the parser
 * could not read are suppressed (`damagedRegions` in parse.ts), so an edit elsewhere may show or hide them.
 */
export function schemaKeys(a: Analysis, broken = a.findings.some(f => f.ruleId === 'schema/yaml-syntax')): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of a.findings) {
    if (!f.ruleId.startsWith('schema/') || (broken && f.ruleId !== 'schema/yaml-syntax')) continue;
    const key = `${f.ruleId}: ${f.path ? JSON.stringify(f.path) : normalizeMessage(f.message)}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/** The sections a fix writes to. */
function sectionsWritten(fix: FixSpec): string[] {
  switch (fix.kind) {
    case 'add-mitigation': return ['mitigations', 'threats'];
    case 'create-element': return [fix.section];
    case 'set-mitigation-status': return ['mitigations'];
    case 'replace': return [];
    default: return ['threats'];
  }
}

export function checkFix(text: string, fix: FixSpec, before: Analysis, from: string) {
  const what = `${fix.kind} (from ${from})`;
  const edits = step(`computeFix ${fix.kind}`, () => computeFix(text, fix, { now: NOW }));
  const sorted = sortedEdits(text, edits, what);
  if (sorted.length === 0) {
    // A fix may refuse to edit a file the YAML parser cannot read, or a section (or entry) it would write to
    // that is not a map (`threats: []`): the schema finding says what to do there. Otherwise it must edit.
    const broken = before.findings.some(f => f.ruleId === 'schema/yaml-syntax');
    const sections = sectionsWritten(fix);
    const wrongType = before.findings.some(f => f.ruleId === 'schema/invalid-type' && f.path && f.path.length <= 2 && sections.includes(String(f.path[0])));
    // A fix that writes to a value shared through an alias first writes the alias out as its value; a value
    // holding a reserved word (`__proto__`) or a complex or null key as a key cannot be written out without
    // losing that key (the model never has it), so the fix refuses and the schema finding says what to rename.
    const unwritable = before.findings.some(f => f.ruleId === 'schema/reserved-key' || f.ruleId === 'schema/invalid-key');
    if (from !== 'visual editor' && !broken && !wrongType && !unwritable) throw new Violation('fix-no-op', `${what} offered on a finding makes no edit`, fix.kind);
    return;
  }
  const crlf = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
  const lf = !text.includes('\r');
  for (const e of sorted) {
    if (splitsPair(text, e.offset) || splitsPair(text, e.offset + e.length)) throw new Violation('fix-splits-pair', `${what}: edit at ${e.offset}+${e.length} splits a CRLF or a surrogate pair`, fix.kind);
    if (crlf && /(^|[^\r])\n/.test(e.text)) throw new Violation('fix-line-endings', `${what} inserts LF line breaks into a CRLF file: ${JSON.stringify(e.text.slice(0, 120))}`, fix.kind);
    if (lf && e.text.includes('\r')) throw new Violation('fix-line-endings', `${what} inserts CR into an LF file`, fix.kind);
  }
  // every byte outside the edit ranges is kept: rebuild the result from the pieces
  let rebuilt = '';
  let at = 0;
  for (const e of sorted) { rebuilt += text.slice(at, e.offset) + e.text; at = e.offset + e.length; }
  rebuilt += text.slice(at);
  const after = step('applyEdits', () => applyEdits(text, edits));
  if (after !== rebuilt) throw new Violation('fix-apply-mismatch', `${what}: applyEdits differs from applying the edits one by one`, fix.kind);
  // every comment survives: none inside a replaced range, and each other one is still a comment where it moved
  step('comments', () => {
    const beforeComments = commentsOf(text);
    const afterComments = commentsOf(after);
    for (const [off, raw] of beforeComments) {
      // a comment's trailing spaces are not part of what it says (a fix may trim the end of the file)
      const src = raw.trimEnd();
      const inside = sorted.find(e => e.length > 0 && off < e.offset + e.length && off + src.length > e.offset);
      if (inside) {
        // an edit that spans a comment must write it again, as a comment, inside its new text
        const start = inside.offset + sorted.filter(e => e.offset + e.length <= inside.offset).reduce((n, e) => n + e.text.length - e.length, 0);
        const kept = [...afterComments].some(([o, c]) => o >= start && o < start + inside.text.length && c.trimEnd() === src);
        if (kept) continue;
      }
      if (inside) throw new Violation('fix-removes-comment', `${what} replaces ${JSON.stringify(text.slice(inside.offset, inside.offset + inside.length).slice(0, 120))}, which holds the comment ${JSON.stringify(src.slice(0, 80))}`, fix.kind);
      const moved = off + sorted.filter(e => e.offset + e.length <= off).reduce((n, e) => n + e.text.length - e.length, 0);
      if (afterComments.get(moved)?.trimEnd() !== src) {
        throw new Violation('fix-comment-lost', `${what}: the comment ${JSON.stringify(src.slice(0, 80))} (offset ${off}) is no longer a comment after the edit ${JSON.stringify(sorted.map(e => ({ ...e, text: e.text.slice(0, 120) })))}`, fix.kind);
      }
    }
  });
  const reanalysed = analyzeChecked(after, `analyze after ${fix.kind}`);
  const was = schemaKeys(before);
  // Compared as the text before the fix is: when it had a YAML syntax error, only syntax findings count after
  // the fix too. A fix whose edit lands in the text the parser could not read may remove the error; every
  // schema finding then counts again, those reported before (a `__proto__` key elsewhere) and those hidden as
  // echoes of the error, and none of them is the fix's.
  const brokenBefore = before.findings.some(f => f.ruleId === 'schema/yaml-syntax');
  for (const [key, n] of schemaKeys(reanalysed, brokenBefore || undefined)) {
    // An entry that failed validation before (e.g. `status: 'open '`) is checked in full once the fix
    // repairs it: what that shows inside it (a dangling reference) was there before, only unreported.
    const m = /^schema\/[a-z-]+: \["([^"]+)","((?:[^"\\]|\\.)*)"/.exec(key);
    if (m && before.parsed.rejected.has(JSON.parse(`"${m[2]}"`))) continue;
    if (n > (was.get(key) ?? 0)) {
      const f0 = reanalysed.findings.find(x => x.path && key === `${x.ruleId}: ${JSON.stringify(x.path)}`);
      const top = f0?.path?.[0];
      // A rename (`replace`) of an unknown key to a section or field brings its content under validation:
      // what is wrong inside it was there before, under the unknown key.
      if (fix.kind === 'replace' && typeof top === 'string' && !(before.parsed.data && typeof before.parsed.data === 'object' && Object.hasOwn(before.parsed.data, top))) continue;
      // The same for a nested field (`policy: { expiry_warnng_days: -1 }` renamed): the finding is at or under
      // the new key, which did not exist before.
      if (fix.kind === 'replace' && f0?.path) {
        const i = f0.path.findIndex(seg => seg === fix.text);
        const valueAt = (data: unknown, path: Path) => path.reduce<unknown>((v, k) => (v && typeof v === 'object' && Object.hasOwn(v, String(k)) ? (v as Record<string, unknown>)[String(k)] : undefined), data);
        if (i >= 0 && valueAt(before.parsed.data, f0.path.slice(0, i + 1)) === undefined) continue;
      }
      if (f0?.ruleId === 'schema/dangling-reference' && f0.path) {
        // the same missing id was reported before (at the anchor of an alias the fix wrote out): not new
        if (before.findings.some(x => x.ruleId === f0.ruleId && x.message === f0.message)) continue;
        // The same reference at the same path before and after, and never reported before: the fix did not
        // make it dangle, the first analysis missed it (e.g. a reference reached only through an alias).
        const at = (data: unknown) => f0.path!.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k as string] : undefined), data);
        const was0 = JSON.stringify(at(before.parsed.data));
        if (was0 !== undefined && was0 === JSON.stringify(at(reanalysed.parsed.data))) {
          throw new Violation('finding-hidden-before', `${f0.ruleId} at ${JSON.stringify(f0.path)} (${f0.message.slice(0, 200)}) is reported only after ${what} edited elsewhere; the reference is the same before and after: ${was0.slice(0, 200)}`, f0.ruleId);
        }
      }
      const f = reanalysed.findings.find(x => key.startsWith(x.ruleId + ':') && (x.path ? key.endsWith(JSON.stringify(x.path)) : true));
      throw new Violation('fix-new-schema-finding', `${what} leaves a new ${key.slice(0, 300)} (${f?.message.slice(0, 300)}); edits ${JSON.stringify(sorted.map(e => ({ ...e, text: e.text.slice(0, 200) })))}`, `${fix.kind} -> ${key.split(':')[0]}`);
    }
  }
  const again = step(`computeFix again ${fix.kind}`, () => computeFix(after, fix, { now: NOW }));
  if (again.length) throw new Violation('fix-not-idempotent', `${what} applied twice edits again: ${JSON.stringify(again.map(e => ({ ...e, text: e.text.slice(0, 200) })))}`, fix.kind);
}

export const fixProperty: FuzzProperty<FixCase> = {
  name: 'fix',
  arb: fc.record({
    src: fc.oneof(
      { weight: 5, arbitrary: generatedArb(true, 0) },
      { weight: 3, arbitrary: generatedArb(false, 0) },
      { weight: 2, arbitrary: generatedArb(true, 2) },
      { weight: 3, arbitrary: seedArb(false, 3) },
    ),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    status: fc.nat(),
  }),
  run(c) {
    const text = step('generate', () => textOf(c.src));
    const before = analyzeChecked(text);
    for (const { fix, from } of fixesOf(before, c)) checkFix(text, fix, before, from);
  },
  show: c => `${showTextCase(c.src)}\nfix picks ${JSON.stringify(c.picks)}, status pick ${c.status}`,
};

// ----- import

export interface ImportCase {
  /** A corpus file (index), or a generated valid model exported to `via`. */
  source: { seed: number } | { spec: ModelSpec; via: ExportFormat };
  /** Which importer reads it: the matching one, or (when `wrong`) another one. */
  importer: number;
  wrong: boolean;
  data: DataMutation[];
  /** How mutated data is written back: JSON, pretty JSON, YAML. */
  writeAs: number;
  text: Mutation[];
}

const EXPORT_FORMATS: ExportFormat[] = ['threat-dragon', 'otm'];

export function importInput(c: ImportCase): { format: ImportFormat; text: string; name: string } {
  let text: string, format: ImportFormat, name: string;
  if ('seed' in c.source) {
    const s = FOREIGN_SEEDS[c.source.seed % FOREIGN_SEEDS.length];
    ({ text, format, name } = s);
  } else {
    const { spec, via } = c.source;
    const model = analyze(renderModel(spec), { now: NOW }).parsed.model;
    text = step(`export ${via}`, () => exportModel(via, model));
    format = via;
    name = `generated model exported to ${via}`;
  }
  if (c.data.length) {
    let data: unknown;
    try {
      data = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text, { merge: true, maxAliasCount: -1, logLevel: 'silent' });
    } catch {
      data = undefined; // a seed only lenient readers take (OTM's EXAMPLE.yaml): mutate its text only
    }
    if (data !== undefined) {
      const mutated = mutateData(data, c.data);
      text = c.writeAs % 3 === 0 ? JSON.stringify(mutated) : c.writeAs % 3 === 1 ? JSON.stringify(mutated, null, 2) : stringifyYaml(mutated);
    }
  }
  text = applyMutations(text, c.text);
  if (c.wrong) format = IMPORT_FORMATS.filter(f => f !== format)[c.importer % 2];
  return { format, text, name };
}

export const importProperty: FuzzProperty<ImportCase> = {
  name: 'import',
  arb: fc.record({
    source: (FOREIGN_SEEDS.length
      ? fc.oneof({ weight: 3, arbitrary: fc.record({ seed: fc.nat() }) }, { weight: 2, arbitrary: fc.record({ spec: modelSpecArb({ weird: false }), via: fc.constantFrom(...EXPORT_FORMATS) }) })
      : fc.record({ spec: modelSpecArb({ weird: false }), via: fc.constantFrom(...EXPORT_FORMATS) })) as fc.Arbitrary<ImportCase['source']>,
    importer: fc.nat(),
    wrong: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    data: fc.oneof({ weight: 1, arbitrary: fc.constant([] as DataMutation[]) }, { weight: 3, arbitrary: fc.array(dataMutationArb, { minLength: 1, maxLength: 5 }) }),
    writeAs: fc.nat(),
    text: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Mutation[]) }, { weight: 1, arbitrary: mutationsArb(2) }),
  }),
  run(c) {
    const { format, text } = step('generate', () => importInput(c));
    let result;
    try {
      result = step(`import ${format}`, () => importModel(format, text));
    } catch (e) {
      if (e instanceof ImportError) {
        if (!e.message.trim()) throw new Violation('import-error-without-message', 'an ImportError with no message');
        return;
      }
      throw e;
    }
    if (typeof result.yaml !== 'string') throw new Violation('import-no-yaml', `${format} import returned ${typeof result.yaml}`, format);
    for (const [k, n] of Object.entries(result.stats)) if (!Number.isInteger(n) || n < 0) throw new Violation('import-stats', `${k} = ${n}`, format);
    const a = analyzeChecked(result.yaml, `analyze imported ${format}`);
    const errors = a.findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
    if (errors.length) {
      const f = errors[0];
      throw new Violation('import-invalid-model', `${format} import wrote a model with ${errors.length} schema error(s), first ${f.ruleId}: ${f.message.slice(0, 300)} at ${JSON.stringify(result.yaml.slice(Math.max(0, f.range.start - 100), f.range.end + 100))}`, `${format} ${f.ruleId}`);
    }
  },
  show: c => {
    const { format, text, name } = importInput(c);
    return `source: ${name}; importer ${format}${c.wrong ? ' (the wrong one)' : ''}; data mutations ${JSON.stringify(c.data).slice(0, 2000)}; written as ${['JSON', 'pretty JSON', 'YAML'][c.writeAs % 3]}; text mutations ${JSON.stringify(c.text)}\n${showText('input', text)}`;
  },
};

// ----- export

export type ExportCase = { spec: ModelSpec } | { seed: number } | { foreign: number };

function exportSource(c: ExportCase): { text: string; name: string } | undefined {
  if ('spec' in c) return { text: renderModel(c.spec), name: 'generated model' };
  if ('seed' in c) { const s = RAMPART_SEEDS[c.seed % RAMPART_SEEDS.length]; return { text: s.text, name: s.name }; }
  const s = FOREIGN_SEEDS[c.foreign % FOREIGN_SEEDS.length];
  try {
    return { text: importModel(s.format, s.text).yaml, name: `${s.name} imported` };
  } catch (e) {
    if (e instanceof ImportError) return undefined;
    throw e;
  }
}

export const exportProperty: FuzzProperty<ExportCase> = {
  name: 'export',
  arb: fc.oneof(
    { weight: 8, arbitrary: fc.record({ spec: modelSpecArb({ weird: false }) }) },
    { weight: 1, arbitrary: fc.record({ seed: fc.nat() }) },
    ...(FOREIGN_SEEDS.length ? [{ weight: 1, arbitrary: fc.record({ foreign: fc.nat() }) }] : []),
  ),
  run(c) {
    const src = step('generate', () => exportSource(c));
    if (!src) return;
    const a = analyzeChecked(src.text);
    // `rampart export` refuses a model with schema errors; the exporters are for valid models.
    if (a.findings.some(f => f.ruleId.startsWith('schema/') && f.severity === 'error')) return;
    for (const format of EXPORT_FORMATS) {
      const out = step(`export ${format}`, () => exportModel(format, a.parsed.model));
      let json: unknown;
      try { json = JSON.parse(out); } catch (e) { throw new Violation('export-not-json', `${format}: ${(e as Error).message}`, format); }
      step(`validate ${format}`, () => validate(format === 'threat-dragon' ? 'td' : 'otm', json, `${format} export`));
      let back;
      try {
        back = step(`reimport ${format}`, () => importModel(format, out));
      } catch (e) {
        if (e instanceof ImportError) throw new Violation('reimport-refused', `the ${format} importer refuses our own export: ${e.message}`, format);
        throw e;
      }
      const b = analyzeChecked(back.yaml, `analyze reimported ${format}`);
      const errors = b.findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
      if (errors.length) throw new Violation('reimport-invalid-model', `${format} export read back gives ${errors[0].ruleId}: ${errors[0].message.slice(0, 300)}`, `${format} ${errors[0].ruleId}`);
    }
  },
  show: c => {
    const src = exportSource(c);
    return src ? showText(`model (${src.name})`, src.text) : 'model: (the corpus file does not import)';
  },
};

// ----- mermaid (Mermaid's own parser; slow, so fewer runs)

export const mermaidProperty: FuzzProperty<{ spec: ModelSpec }> = {
  name: 'mermaid',
  arb: fc.record({ spec: fc.oneof(modelSpecArb({ weird: false }), modelSpecArb({ weird: true })) }),
  async run(c) {
    const text = step('generate', () => renderModel(c.spec));
    const a = analyzeChecked(text);
    const { model } = a.parsed;
    const texts: [string, string][] = [['data-flow diagram', step('mermaid', () => modelDiagram(model, a.assessments).text)]];
    const blocked = (tid: string) => { const x = a.assessments.get(tid); return !!x && (x.residual === 'mitigated' || x.residual === 'not-applicable'); };
    for (const [id, tree] of Object.entries(model.attack_trees ?? {}).slice(0, 2)) {
      texts.push([`attack tree ${id}`, step('attack tree', () => attackTreeDiagram(tree, { blocked, threatTitle: tid => model.threats?.[tid]?.title }).text)]);
    }
    // required, not imported: the worker threads load TypeScript through tsx's CommonJS hook only
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseFlowchart } = require('../unit/render/mermaidParser') as typeof import('../unit/render/mermaidParser');
    for (const [what, t] of texts) {
      stage = 'mermaid.parse';
      hooks.onStage?.(stage);
      let parsed;
      try {
        parsed = await parseFlowchart(t);
      } catch (e) {
        throw new Violation('mermaid-syntax', `Mermaid cannot parse the ${what}: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}\n${t.slice(0, 3000)}`, what.split(' ')[0]);
      }
      for (const v of parsed.vertices.values()) {
        if (v.haveCallback || v.link) throw new Violation('mermaid-click', `${what}: node ${v.id} has a click handler or link`, what.split(' ')[0]);
      }
      if (parsed.tooltips) throw new Violation('mermaid-click', `${what}: tooltips`, what.split(' ')[0]);
      if (parsed.config && Object.keys(parsed.config as object).length) throw new Violation('mermaid-directive', `${what}: configuration from the text ${JSON.stringify(parsed.config)}`, what.split(' ')[0]);
    }
    stage = '';
  },
  show: c => showText('model', renderModel(c.spec)),
};

export const PROPERTIES: FuzzProperty[] = [parseProperty, renderProperty, fixProperty, importProperty, exportProperty, mermaidProperty];

// ---------------------------------------------------------------------------------------------------------
// Runner

export interface FailureRecord extends Failure {
  /** How many cases failed with this signature. */
  count: number;
  /** The first failing case: seed and path replay it (`fc.check(..., { seed, path })`). */
  seed: number;
  path: string;
  /** The (shrunk, when shrinking is on) counterexample, shown. */
  example?: string;
}

export interface PropertyReport {
  property: string;
  seed: number;
  runs: number;
  passed: number;
  failed: number;
  failures: FailureRecord[];
  /** Time running the cases (wall and this thread's CPU), and time shrinking failures (ms). */
  ms: number;
  cpuMs: number;
  shrinkMs: number;
}

export interface RunOptions {
  seed: number;
  numRuns: number;
  /** Shrink the first case of each new signature (default true); `skip` signatures are never shrunk. */
  shrink?: boolean | ((signature: string) => boolean);
  /** Time limit for shrinking one failure (ms, default 60 s). */
  shrinkMs?: number;
  /** Called before each case with its index (the watchdog's heartbeat). */
  onCase?: (index: number) => void;
  /** Called with each failure as it happens. */
  onFailure?: (f: Failure, index: number) => void;
  /** Called when every case has run and shrinking starts. */
  onShrink?: () => void;
}

/** Runs `numRuns` cases of a property from `seed`, counting passes and failures (it does not stop at the first). */
export async function runProperty(prop: FuzzProperty, opts: RunOptions): Promise<PropertyReport> {
  const t0 = performance.now();
  const bySig = new Map<string, FailureRecord>();
  let index = -1;
  let failed = 0;
  let cpu = 0;
  await fc.check(fc.asyncProperty(prop.arb, async c => {
    index++;
    opts.onCase?.(index);
    const f = await runCase(prop, c);
    cpu += lastCaseCpuMs;
    if (f) {
      failed++;
      opts.onFailure?.(f, index);
      const r = bySig.get(f.signature);
      if (r) r.count++;
      else bySig.set(f.signature, { ...f, count: 1, seed: opts.seed, path: String(index) });
    }
    return true;
  }), { seed: opts.seed, numRuns: opts.numRuns });
  const runs = index + 1;
  const ms = performance.now() - t0;
  opts.onShrink?.();
  for (const r of bySig.values()) {
    const shrink = typeof opts.shrink === 'function' ? opts.shrink(r.signature) : opts.shrink !== false;
    if (shrink) Object.assign(r, await shrinkFailure(prop, r, opts.shrinkMs ?? 60_000));
    else r.example = showSafely(prop, fc.sample(prop.arb, { seed: r.seed, path: r.path, numRuns: 1 })[0]);
  }
  return { property: prop.name, seed: opts.seed, runs, passed: runs - failed, failed, failures: [...bySig.values()], ms, cpuMs: cpu, shrinkMs: performance.now() - t0 - ms };
}

/** Shrinks the case at `r.seed`/`r.path` to a smaller one with the same signature. */
export async function shrinkFailure(prop: FuzzProperty, r: Pick<FailureRecord, 'seed' | 'path' | 'signature'>, ms: number): Promise<Partial<FailureRecord>> {
  let last: Failure | undefined;
  const details = await fc.check(fc.asyncProperty(prop.arb, async c => {
    const f = await runCase(prop, c);
    if (f && f.signature === r.signature) { last = f; return false; }
    return true;
  }), { seed: r.seed, path: r.path, interruptAfterTimeLimit: ms, markInterruptAsFailure: false });
  if (details.failed && details.counterexample) {
    return { example: showSafely(prop, details.counterexample[0]), path: details.counterexamplePath ?? r.path, message: last?.message ?? '', stack: last?.stack };
  }
  // not reproduced (a hang on a busy machine): show the original case
  return { example: showSafely(prop, fc.sample(prop.arb, { seed: r.seed, path: r.path, numRuns: 1 })[0]) + '\n(not reproduced when shrinking)' };
}

/** `prop.show`, which may call the code under test (an export), never throws. */
export function showSafely(prop: FuzzProperty, c: unknown): string {
  try {
    return prop.show(c);
  } catch (e) {
    return `(the case cannot be shown: ${(e as Error).message.split('\n')[0]}) ${JSON.stringify(c)?.slice(0, 5000)}`;
  }
}

export function formatFailure(r: FailureRecord, known?: string): string {
  return [
    `  ✗ ${r.signature}${known ? `   [known: ${known}]` : ''}`,
    `    ${r.count} case(s); first: seed ${r.seed} path ${r.path} (replay: npm run fuzz -- --property ${r.property} --seed ${r.seed} --path ${r.path})`,
    `    ${r.message.slice(0, 1500)}`,
    ...(r.stack && r.kind === 'crash' ? [r.stack.split('\n').slice(1, 6).map(l => '   ' + l).join('\n')] : []),
    ...(r.example ? ['    counterexample:', r.example.split('\n').map(l => '      ' + l).join('\n')] : []),
  ].join('\n');
}
