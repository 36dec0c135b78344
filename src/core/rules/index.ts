/**
 * The rule registry: an explicit list keyed by id. `ALL_RULE_META` also lists the findings produced while
 * parsing, so every rule id a user can see is documented (README, hovers, SARIF).
 */
import type { Rule, RuleMeta } from './types';
import { PARSER_RULES } from './schema/parserFindings';
import { danglingReference } from './schema/danglingReference';
import { boundaryCycle } from './schema/boundaryCycle';
import { attackTreeCycle } from './schema/attackTreeCycle';
import { duplicateId } from './schema/duplicateId';
import { unmitigatedAboveTolerance } from './risk/unmitigatedAboveTolerance';
import { expiredAcceptance } from './risk/expiredAcceptance';
import { mitigatedNotImplemented } from './risk/mitigatedNotImplemented';
import { acceptanceWithoutJustification } from './risk/acceptanceWithoutJustification';
import { implementedWithoutEvidence } from './risk/implementedWithoutEvidence';
import { evidenceNotFound } from './risk/evidenceNotFound';
import { evidenceOutsideRepository } from './risk/evidenceOutsideRepository';
import { unratedThreat } from './risk/unratedThreat';
import { invalidCvss } from './risk/invalidCvss';
import { attackGoalReachable } from './risk/attackGoalReachable';
import { strideCoverage } from './stride/coverage';
import { DESIGN_RULES } from './design/index';
import { DISCOVER_RULES, DISCOVERY_INPUT_RULES } from './discover/index';
import { TRACE_RULES, UNKNOWN_ANNOTATION_ID } from './trace/index';
import { PLAN_RULES } from './plan/index';
import { PASTA_RULES } from './pasta/index';
import { LINDDUN_RULES } from './linddun/index';
import { INTEL_RULES } from './intel/index';

export const RULES: readonly Rule[] = [
  danglingReference, boundaryCycle, attackTreeCycle, duplicateId,
  unmitigatedAboveTolerance, expiredAcceptance, mitigatedNotImplemented, acceptanceWithoutJustification,
  implementedWithoutEvidence, evidenceNotFound, evidenceOutsideRepository, unratedThreat, invalidCvss, attackGoalReachable,
  strideCoverage,
  ...DESIGN_RULES,
  ...DISCOVER_RULES,
  ...TRACE_RULES,
  ...PLAN_RULES,
  ...PASTA_RULES,
  ...LINDDUN_RULES,
  ...INTEL_RULES,
];

export const ALL_RULE_META: readonly RuleMeta[] = [...PARSER_RULES, ...RULES.map(r => r.meta), ...DISCOVERY_INPUT_RULES, UNKNOWN_ANNOTATION_ID];

const byId = new Map<string, RuleMeta>();
for (const meta of ALL_RULE_META) {
  if (byId.has(meta.id)) throw new Error(`rule id ${meta.id} is registered twice`);
  byId.set(meta.id, meta);
}

export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}
