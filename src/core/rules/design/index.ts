/** The design rules over the data flow (one file each); each finding is a suggested threat. */
import type { Rule } from '../types';

export const DESIGN_RULES: Rule[] = [];
