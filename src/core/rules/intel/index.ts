/** Offline threat intelligence (`intel/*`): known-exploited and known-vulnerable components, one rule per file. */
import type { Rule } from '../types';

export const INTEL_RULES: readonly Rule[] = [];
