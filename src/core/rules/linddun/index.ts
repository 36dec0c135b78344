/** LINDDUN privacy threats (`linddun/*`), one rule per file. */
import type { Rule } from '../types';
import { linddunCoverage } from './coverage';

export const LINDDUN_RULES: readonly Rule[] = [linddunCoverage];
