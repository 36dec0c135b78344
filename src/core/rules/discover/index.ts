/**
 * The `discover/*` rules: drift between the model and what the repository declares. They read the Discovery
 * given in `settings.discovery` (computed beforehand by src/core/discover, which may be asynchronous) and find
 * nothing without one, so the analysis itself stays synchronous.
 */
import type { Rule } from '../types';
import { undeclaredComponent } from './undeclaredComponent';
import { undeclaredFlow } from './undeclaredFlow';
import { unauthenticatedOperation } from './unauthenticatedOperation';
import { missingSource } from './missingSource';

export const DISCOVER_RULES: readonly Rule[] = [undeclaredComponent, undeclaredFlow, unauthenticatedOperation, missingSource];
export { DISCOVERY_INPUT_RULES } from './inputFindings';
