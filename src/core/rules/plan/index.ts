/** The rules of proportional mitigation (the mitigation plan, `plan/*`), one per file. */
import type { Rule } from '../types';

export const PLAN_RULES: readonly Rule[] = [];
