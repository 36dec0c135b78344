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
 * - Fixes are not emitted: they are model edits that the editor and `rampart` apply, not text patches a
 *   viewer should offer blindly.
 */
import { ALL_RULE_META } from '../rules/index';
import type { RuleMeta } from '../rules/types';
import type { Analysis } from '../analyze';
import type { Finding, Severity } from '../types';
import { LineIndex } from '../lines';

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
}

type Level = 'error' | 'warning' | 'note';
export const sarifLevel = (s: Severity): Level => (s === 'info' ? 'note' : s);

const PRECISION: Record<RuleMeta['category'], string> = { schema: 'very-high', risk: 'high', stride: 'medium', design: 'medium' };
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
  if (m.category === 'risk' || m.category === 'design') properties['security-severity'] = SECURITY_SEVERITY[m.severity];
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
 * The SARIF log of one `rampart check` run over several files. Pure: same input, same output (no dates,
 * no absolute paths unless `srcRoot` is given).
 */
export function toSarif(results: readonly SarifInput[], opts: SarifOptions): Record<string, unknown> {
  const metas: RuleMeta[] = [...ALL_RULE_META];
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const sarifResults: Record<string, unknown>[] = [];

  for (const file of results) {
    const lines = new LineIndex(file.text);
    const keys = findingKeys(file.analysis.findings);
    const uri = artifactUri(file.uri);
    const location = (range: Finding['range']) => ({
      artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
      region: lines.region(range),
    });
    file.analysis.findings.forEach((f, i) => {
      let ruleIndex = index.get(f.ruleId);
      if (ruleIndex === undefined) {
        ruleIndex = metas.push(unknownRule(f.ruleId, f.severity)) - 1;
        index.set(f.ruleId, ruleIndex);
      }
      const result: Record<string, unknown> = {
        ruleId: f.ruleId,
        ruleIndex,
        level: sarifLevel(f.severity),
        message: { text: f.why ? `${f.message}\nWhy: ${f.why}` : f.message },
        locations: [{
          physicalLocation: location(f.range),
          ...(f.path && f.path.length ? { logicalLocations: [{ fullyQualifiedName: f.path.join('.') }] } : {}),
        }],
        partialFingerprints: { [FINGERPRINT_KEY]: keys[i] },
      };
      if (f.related?.length) {
        result.relatedLocations = f.related.map((r, j) => ({ id: j + 1, physicalLocation: location(r.range), message: { text: r.message } }));
      }
      sarifResults.push(result);
    });
  }

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'Rampart',
        version: opts.toolVersion,
        ...(/^\d+\.\d+\.\d+/.test(opts.toolVersion) ? { semanticVersion: opts.toolVersion } : {}),
        informationUri: opts.informationUri,
        rules: metas.map(m => ruleDescriptor(m, opts)),
      },
    },
    ...(opts.category ? { automationDetails: { id: opts.category.endsWith('/') ? opts.category : opts.category + '/' } } : {}),
    ...(opts.srcRoot ? { originalUriBaseIds: { '%SRCROOT%': { uri: opts.srcRoot.endsWith('/') ? opts.srcRoot : opts.srcRoot + '/' } } } : {}),
    columnKind: 'utf16CodeUnits',
    results: sarifResults,
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}
