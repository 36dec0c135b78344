/**
 * Minimal in-memory models for the design-rule tests: a base with the usual boundaries and assets, to which
 * each test adds the elements and flows that exercise one branch of one rule.
 */
import { stringify } from 'yaml';
import { analyze } from '../../../../src/core/analyze';
import type { Finding, FixSpec } from '../../../../src/core/types';

export const BOUNDARIES = {
  internet: { name: 'Internet', trust: 'untrusted' },
  dmz: { name: 'DMZ', trust: 'partial' },
  office: { name: 'Office', trust: 'partial' },
  core: { name: 'Core', trust: 'trusted' },
  core2: { name: 'Core 2', trust: 'trusted' },
  vendor: { name: 'Vendor cloud', trust: 'partial', ours: false },
};

export const ASSETS = {
  card: { name: 'Card data', classification: 'restricted', personal: true, criticality: 'critical' },
  pii: { name: 'Customer profiles', classification: 'confidential', personal: true },
  orders: { name: 'Orders', classification: 'internal', criticality: 'high' },
  catalogue: { name: 'Product catalogue', classification: 'public' },
  'api-key': { name: 'API key', classification: 'confidential', kind: 'secret' },
  passwords: { name: 'Password hashes', classification: 'confidential', kind: 'credentials' },
  'signing-key': { name: 'Signing key', classification: 'restricted', kind: 'key', criticality: 'critical' },
  telemetry: { name: 'Telemetry', classification: 'internal' },
} as Record<string, Record<string, unknown>>;

export interface Parts {
  elements?: Record<string, Record<string, unknown>>;
  flows?: Record<string, Record<string, unknown>>;
  threats?: Record<string, Record<string, unknown>>;
  boundaries?: Record<string, Record<string, unknown>>;
  assets?: Record<string, Record<string, unknown>>;
  attack_trees?: Record<string, unknown>;
}

/** A model text: base boundaries and assets plus the given parts. */
export function model(parts: Parts): string {
  const doc: Record<string, unknown> = {
    rampart: 1,
    title: 'Design rule test',
    assets: { ...ASSETS, ...parts.assets },
    boundaries: { ...BOUNDARIES, ...parts.boundaries },
    elements: parts.elements ?? {},
    flows: parts.flows ?? {},
  };
  if (parts.threats) doc.threats = parts.threats;
  if (parts.attack_trees) doc.attack_trees = parts.attack_trees;
  return stringify(doc);
}

export const NOW = new Date('2026-01-15');

/** Every finding of one rule on the model; fails the test when the model itself is invalid. */
export function run(ruleId: string, parts: Parts | string, disabledRules: string[] = []): Finding[] {
  const text = typeof parts === 'string' ? parts : model(parts);
  const a = analyze(text, { now: NOW, disabledRules });
  const broken = a.findings.filter(f => f.ruleId.startsWith('schema/') || f.ruleId === 'internal/rule-failed');
  if (broken.length) throw new Error(`test model is invalid: ${broken.map(f => `${f.ruleId}: ${f.message}`).join('; ')}`);
  return a.findings.filter(f => f.ruleId === ruleId);
}

/** The subjects (element or flow ids) a rule reported. */
export const subjects = (findings: Finding[]) => findings.map(f => f.stableId!.split('@')[1]).sort();

export function suggestion(f: Finding): Extract<FixSpec, { kind: 'add-suggested-threat' }> {
  const fix = f.fixes?.find(x => x.kind === 'add-suggested-threat');
  if (!fix || fix.kind !== 'add-suggested-threat') throw new Error(`finding ${f.stableId} has no add-suggested-threat fix`);
  return fix;
}

// Building blocks.
export const browser = { type: 'external', name: 'Customer browser', kind: 'browser', boundary: 'internet' };
export const api = (extra: Record<string, unknown> = {}) => ({ type: 'process', name: 'Public API', kind: 'api', boundary: 'dmz', ...extra });
export const service = (boundary: string, extra: Record<string, unknown> = {}) => ({ type: 'process', name: `Service in ${boundary}`, kind: 'service', boundary, ...extra });
export const store = (boundary: string, extra: Record<string, unknown> = {}) => ({ type: 'store', name: `Store in ${boundary}`, kind: 'database', boundary, ...extra });
