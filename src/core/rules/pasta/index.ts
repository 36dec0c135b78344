/** The PASTA completeness checklist (`pasta/*`), one rule per file. */
import type { Rule } from '../types';

export const PASTA_RULES: readonly Rule[] = [];
