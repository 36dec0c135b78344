/** The rules of proportional mitigation (the mitigation plan, `plan/*`), one per file. */
import type { Rule } from '../types';
import { mitigationCostsMoreThanLoss } from './mitigationCostsMoreThanLoss';
import { cheapestMitigationNotPlanned } from './cheapestMitigationNotPlanned';

export const PLAN_RULES: readonly Rule[] = [mitigationCostsMoreThanLoss, cheapestMitigationNotPlanned];
