/** The PASTA completeness checklist (`pasta/*`), one rule per stage, in PASTA's order (src/core/methods/pasta.ts). */
import type { Rule } from '../types';
import { pastaBusinessObjectives } from './businessObjectives';
import { pastaTechnicalScope } from './technicalScope';
import { pastaApplicationDecomposition } from './applicationDecomposition';
import { pastaThreatAnalysis } from './threatAnalysis';
import { pastaVulnerabilityAnalysis } from './vulnerabilityAnalysis';
import { pastaAttackModelling } from './attackModelling';
import { pastaRiskAndImpactAnalysis } from './riskAndImpactAnalysis';

export const PASTA_RULES: readonly Rule[] = [
  pastaBusinessObjectives, pastaTechnicalScope, pastaApplicationDecomposition, pastaThreatAnalysis, pastaVulnerabilityAnalysis, pastaAttackModelling, pastaRiskAndImpactAnalysis,
];
