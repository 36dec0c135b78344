/**
 * SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, Azure DevOps, the SARIF viewer): one run,
 * every rule Rampart knows in `tool.driver.rules` (so a result's `ruleIndex` always resolves and the rules
 * are documented even when nothing fires), one result per finding, located on the exact YAML range.
 *
 * Decisions:
 * - Severity maps to `level`: error -> error, warning -> warning, info -> note.
 * - Regions are 1-based with an exclusive end column, columns in UTF-16 code units (`columnKind`).
 * - `partialFingerprints["rampart/v1"]` is the finding's stable id (`rule@element`), else rule id + model
 *   path, else the rule id and its ordinal among such findings; never the line or the message, so an edit
 *   elsewhere in the file does not turn an alert into a new one. Duplicates in one file get `#2`, `#3`.
 * - Tags follow GitHub's conventions: `security` for risk, STRIDE and design rules (which makes them
 *   security alerts), `external/cwe/cwe-NNN` for CWE ids, plus the category and the STRIDE words.
 *   `security-severity` is set for risk and design rules from their default severity (error 8.0 = high,
 *   warning 5.0 = medium, info 2.0 = low); `precision` is very-high for schema findings (facts about the
 *   file), high for risk findings, medium for STRIDE coverage and design suggestions.
 * - `message.text` is plain text with embedded-link syntax (§3.11.6): user text in it is made visible-safe and its
 *   backslashes and square brackets are escaped (`sarifText`), so it can neither form a link nor hide behind a
 *   bidi override.
 * - Fixes are not emitted: they are model edits that the editor and `rampart` apply, not text patches a
 *   viewer should offer blindly.
 */
import { ALL_RULE_META } from '../rules/index';
import type { RuleMeta } from '../rules/types';
import type { Analysis } from '../analyze';
import type { Finding, Severity } from '../types';
import { LineIndex } from '../lines';
import { escapeControls } from '../text/safe';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'rampart/v1';

export interface SarifInput {
  /** Path relative to the repository root, with forward slashes (e.g. `threats/payments.threatmodel.yaml`). */
  uri: string;
  text: string;
  analysis: Pick<Analysis, 'findings'>;
}

export interface SarifOptions {
  toolVersion: string;
  informationUri: string;
  /** Documentation URL of a rule (`helpUri`), when there is one. */
  ruleHelpUri?: (ruleId: string) => string | undefined;
  /** `automationDetails.id` (GitHub's analysis category), e.g. `rampart/`. */
  category?: string;
  /** Absolute `file:` URI of the repository root, ending in `/` (`originalUriBaseIds`); omitted when unknown. */
  srcRoot?: string;
  /** Rules besides the built-in ones, listed in the driver: a team library's (`libraryRuleMeta(library)`). */
  extraRules?: readonly RuleMeta[];
}

type Level = 'error' | 'warning' | 'note';
export const sarifLevel = (s: Severity): Level => (s === 'info' ? 'note' : s);

const PRECISION: Record<RuleMeta['category'], string> = {
  schema: 'very-high', risk: 'high', stride: 'medium', design: 'medium', discover: 'high', trace: 'high', plan: 'high', pasta: 'very-high', linddun: 'medium', intel: 'high', library: 'medium',
};
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/** `Unmitigated threat above tolerance` -> `UnmitigatedThreatAboveTolerance`; falls back to the id. */
export function pascalCase(title: string, fallback: string): string {
  const words = (t: string) => t.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words(title).map(w => w[0].toUpperCase() + w.slice(1)).join('');
  return name && /^[A-Za-z]/.test(name) ? name : words(fallback).map(w => w[0].toUpperCase() + w.slice(1)).join('') || 'Rule';
}

/** `CWE-306` -> `external/cwe/cwe-306` (GitHub's tag); other strings give undefined. */
export function cweTag(cwe: string): string | undefined {
  const m = /^CWE-(\d+)$/i.exec(cwe.trim());
  return m ? `external/cwe/cwe-${Number(m[1])}` : undefined;
}

/**
 * The fingerprint of each finding, in order: stable id, else rule id + model path, else rule id + ordinal;
 * duplicates within the list get `#2`, `#3`. Used by SARIF and by the risk diff to match findings.
 */
export function findingKeys(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  const ordinal = new Map<string, number>();
  return findings.map(f => {
    let base = f.stableId;
    if (!base && f.path && f.path.length > 0) base = `${f.ruleId}@${f.path.join('.')}`;
    if (!base) {
      const n = (ordinal.get(f.ruleId) ?? 0) + 1;
      ordinal.set(f.ruleId, n);
      base = n === 1 ? f.ruleId : `${f.ruleId}#${n}`;
    }
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
}

function helpMarkdown(m: RuleMeta): string {
  const parts = [`**${m.title}** (\`${m.id}\`)`, m.description, `**What to do:** ${m.advice}`];
  if (m.detection) parts.push(`**How it decides:** ${m.detection}`);
  if (m.falsePositives) parts.push(`**False positives:** ${m.falsePositives}`);
  if (m.stride?.length) parts.push(`**STRIDE:** ${m.stride.join(', ')}`);
  const refs = [
    ...(m.cwe ?? []).map(c => { const n = /^CWE-(\d+)$/i.exec(c)?.[1]; return n ? `[${c}](https://cwe.mitre.org/data/definitions/${n}.html)` : c; }),
    ...(m.capec ?? []).map(c => { const n = /^CAPEC-(\d+)$/i.exec(c)?.[1]; return n ? `[${c}](https://capec.mitre.org/data/definitions/${n}.html)` : c; }),
  ];
  if (refs.length) parts.push(`**References:** ${refs.join(', ')}`);
  return parts.join('\n\n');
}

function helpText(m: RuleMeta): string {
  const parts = [m.description, `What to do: ${m.advice}`];
  if (m.detection) parts.push(`How it decides: ${m.detection}`);
  if (m.falsePositives) parts.push(`False positives: ${m.falsePositives}`);
  return parts.join('\n\n');
}

/** The SARIF `reportingDescriptor` of a rule. */
export function ruleDescriptor(m: RuleMeta, opts: Pick<SarifOptions, 'ruleHelpUri'> = {}): Record<string, unknown> {
  const tags = new Set<string>();
  if (m.category !== 'schema') tags.add('security');
  else tags.add('correctness');
  tags.add(m.category);
  for (const s of m.stride ?? []) tags.add(s);
  for (const c of m.cwe ?? []) { const t = cweTag(c); if (t) tags.add(t); }
  const properties: Record<string, unknown> = { tags: [...tags], precision: PRECISION[m.category] };
  if (m.category === 'risk' || m.category === 'design' || m.category === 'library') properties['security-severity'] = SECURITY_SEVERITY[m.severity];
  const helpUri = opts.ruleHelpUri?.(m.id);
  return {
    id: m.id,
    name: pascalCase(m.title, m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    ...(helpUri ? { helpUri } : {}),
    help: { text: helpText(m), markdown: helpMarkdown(m) },
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties,
  };
}

/** A relative path as a URI reference: forward slashes, no leading `./`, each segment percent-encoded. */
export function artifactUri(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').split('/').map(seg => encodeURIComponent(seg)).join('/');
}

/** A rule id a finding carries but no registry entry documents (e.g. `internal/rule-failed`). */
function unknownRule(id: string, severity: Severity): RuleMeta {
  return { id, title: id, category: id.startsWith('schema/') ? 'schema' : 'risk', severity, description: `Findings of ${id}.`, advice: 'See the message of each result.' };
}

/**
 * `message.text` from untrusted text (rule messages quote model keys and names): control, bidi and line
 * separator characters become visible escapes (`escapeControls`), then backslashes and square brackets are
 * backslash-escaped, so a viewer never reads user text as an embedded link (`[text](1)` or
 * `[x](javascript:…)`, SARIF §3.11.6) and shows the text as it was escaped.
 */
export function sarifText(text: string): string {
  return escapeControls(text).replace(/[\\[\]]/g, c => '\\' + c);
}

/** Placeholder for the items of `jsonPieces`: the one array whose elements are given as JSON text. */
export const JSON_ITEMS = '\u0000json-items\u0000';

/**
 * `JSON.stringify(value, null, 2)`, in pieces, of a value in which one array stands as `JSON_ITEMS` and its
 * elements are given as (compact) JSON texts: joined, the pieces are exactly that text. Each element is
 * pretty-printed only when its piece is taken, so a long list can be kept as compact text while it is produced
 * and written out piece by piece without ever holding the whole list's objects or the whole text.
 */
export function* jsonPieces(value: unknown, items: Iterable<string>): Generator<string> {
  const text = JSON.stringify(value, null, 2);
  const marker = JSON.stringify(JSON_ITEMS);
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + marker.length) >= 0) throw new Error('jsonPieces: JSON_ITEMS must occur exactly once');
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const pad = ' '.repeat(/^ */.exec(text.slice(lineStart, at))![0].length);
  const inner = pad + '  ';
  let first = true;
  for (const item of items) {
    const pretty = JSON.stringify(JSON.parse(item), null, 2).replace(/\n/g, '\n' + inner);
    yield first ? `${text.slice(0, at)}[\n${inner}${pretty}` : `,\n${inner}${pretty}`;
    first = false;
  }
  yield first ? `${text.slice(0, at)}[]${text.slice(at + marker.length)}` : `\n${pad}]${text.slice(at + marker.length)}`;
}

/**
 * Builds the SARIF log of one `rampart check` run file by file: `add` turns a file's findings into SARIF results
 * and serialises them (compact JSON) at once, so a caller can drop the file's text and analysis before analysing
 * the next one, and memory stays bounded by the size of the results' text, not by the analyses or result objects
 * of every file. `pieces` writes the log out without building it whole.
 */
export class SarifLogBuilder {
  private readonly metas: RuleMeta[] = [...ALL_RULE_META];
  private readonly index = new Map(this.metas.map((m, i) => [m.id, i]));
  /** Each result as compact JSON text. */
  private readonly results: string[] = [];

  constructor(private readonly opts: SarifOptions) {
    this.addRules(opts.extraRules ?? []);
  }

  /** Lists more rules in the driver (a team library's, `libraryRuleMeta`); ids already listed are kept as they are. */
  addRules(metas: readonly RuleMeta[]): void {
    for (const m of metas) if (!this.index.has(m.id)) this.index.set(m.id, this.metas.push(m) - 1);
  }

  /** Adds the results of one file; keeps nothing of `file` but the results' JSON text. */
  add(file: SarifInput): void {
    const lines = new LineIndex(file.text);
    const keys = findingKeys(file.analysis.findings);
    const uri = artifactUri(file.uri);
    const location = (range: Finding['range']) => ({
      artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
      region: lines.region(range),
    });
    file.analysis.findings.forEach((f, i) => {
      let ruleIndex = this.index.get(f.ruleId);
      if (ruleIndex === undefined) {
        ruleIndex = this.metas.push(unknownRule(f.ruleId, f.severity)) - 1;
        this.index.set(f.ruleId, ruleIndex);
      }
      const result: Record<string, unknown> = {
        ruleId: f.ruleId,
        ruleIndex,
        level: sarifLevel(f.severity),
        message: { text: f.why ? `${sarifText(f.message)}\nWhy: ${sarifText(f.why)}` : sarifText(f.message) },
        locations: [{
          physicalLocation: location(f.range),
          ...(f.path && f.path.length ? { logicalLocations: [{ fullyQualifiedName: f.path.join('.') }] } : {}),
        }],
        partialFingerprints: { [FINGERPRINT_KEY]: keys[i] },
      };
      if (f.related?.length) {
        result.relatedLocations = f.related.map((r, j) => ({ id: j + 1, physicalLocation: location(r.range), message: { text: sarifText(r.message) } }));
      }
      this.results.push(JSON.stringify(result));
    });
  }

  /** The log of every file added so far, as an object. */
  log(): Record<string, unknown> {
    return this.frame(this.results.map(r => JSON.parse(r) as unknown));
  }

  /** The log's `JSON.stringify(log, null, 2)` text in pieces (see `jsonPieces`), built from the serialised results. */
  pieces(): Generator<string> {
    return jsonPieces(this.frame(JSON_ITEMS), this.results);
  }

  private frame(results: unknown): Record<string, unknown> {
    const opts = this.opts;
    const run: Record<string, unknown> = {
      tool: {
        driver: {
          name: 'Rampart',
          version: opts.toolVersion,
          ...(/^\d+\.\d+\.\d+/.test(opts.toolVersion) ? { semanticVersion: opts.toolVersion } : {}),
          informationUri: opts.informationUri,
          rules: this.metas.map(m => ruleDescriptor(m, opts)),
        },
      },
      ...(opts.category ? { automationDetails: { id: opts.category.endsWith('/') ? opts.category : opts.category + '/' } } : {}),
      ...(opts.srcRoot ? { originalUriBaseIds: { '%SRCROOT%': { uri: opts.srcRoot.endsWith('/') ? opts.srcRoot : opts.srcRoot + '/' } } } : {}),
      columnKind: 'utf16CodeUnits',
      results,
    };
    return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  }
}

/**
 * The SARIF log of one `rampart check` run over several files. Pure: same input, same output (no dates,
 * no absolute paths unless `srcRoot` is given).
 */
export function toSarif(results: readonly SarifInput[], opts: SarifOptions): Record<string, unknown> {
  const builder = new SarifLogBuilder(opts);
  for (const file of results) builder.add(file);
  return builder.log();
}
