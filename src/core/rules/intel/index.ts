/** Offline threat intelligence (`intel/*`): known-exploited and known-vulnerable components, one rule per file. */
import type { Rule } from '../types';
import { knownExploited } from './knownExploited';
import { vulnerableComponent } from './vulnerableComponent';
import { staleFeed } from './staleFeed';
import { unreadableFeed } from './unreadableFeed';
import { unreadableSbom } from './unreadableSbom';

export const INTEL_RULES: readonly Rule[] = [knownExploited, vulnerableComponent, staleFeed, unreadableFeed, unreadableSbom];
