/** LINDDUN privacy threats (`linddun/*`), one rule per file. */
import type { Rule } from '../types';

export const LINDDUN_RULES: readonly Rule[] = [];
