/**
 * The design rules over the data flow (one file each). Each finding is a suggested threat with a stable id
 * `<rule>@<element-or-flow>`; the engine (engine.ts) reconciles suggestions with `threats:` and adds
 * `design/obsolete-suggestion` for tracked suggestions that no longer apply.
 */
import type { Rule } from '../types';
import { buildDesignRules, type DesignRuleDef } from './engine';
import { unencryptedCrossing } from './unencryptedCrossing';
import { unauthenticatedInbound } from './unauthenticatedInbound';
import { sensitiveDataUnencryptedFlow } from './sensitiveDataUnencryptedFlow';
import { sensitiveDataUnauthenticatedFlow } from './sensitiveDataUnauthenticatedFlow';
import { unencryptedRestrictedStore } from './unencryptedRestrictedStore';
import { unencryptedConfidentialStore } from './unencryptedConfidentialStore';
import { externalWritesStore } from './externalWritesStore';
import { exposedProcessWithoutBoundary } from './exposedProcessWithoutBoundary';
import { adminInterfaceExposed } from './adminInterfaceExposed';
import { secretOutsideVault } from './secretOutsideVault';
import { storeWithoutAuditLog } from './storeWithoutAuditLog';
import { apiMissingAuthorization } from './apiMissingAuthorization';
import { apiMissingRateLimiting } from './apiMissingRateLimiting';
import { apiMissingInputValidation } from './apiMissingInputValidation';
import { privilegedUserPhishing } from './privilegedUserPhishing';
import { privilegedUserWithoutMfa } from './privilegedUserWithoutMfa';
import { personalDataToThirdParty } from './personalDataToThirdParty';
import { singlePointOfFailure } from './singlePointOfFailure';
import { dataAboveBoundaryTrust } from './dataAboveBoundaryTrust';
import { unauthenticatedStoreAccess } from './unauthenticatedStoreAccess';
import { unauthenticatedQueue } from './unauthenticatedQueue';
import { restrictedDataToThirdParty } from './restrictedDataToThirdParty';
import { storeWithoutBackup } from './storeWithoutBackup';
import { directAccessToTrustedZone } from './directAccessToTrustedZone';
import { personalDataInLogs } from './personalDataInLogs';
import { exposedProcessWithoutMonitoring } from './exposedProcessWithoutMonitoring';
import { exposedWebAppWithoutWaf } from './exposedWebAppWithoutWaf';
import { webAppWithoutOutputEncoding } from './webAppWithoutOutputEncoding';
import { privilegedProcessExposed } from './privilegedProcessExposed';
import { sensitiveDataInCache } from './sensitiveDataInCache';

export const DESIGN_RULE_DEFS: readonly DesignRuleDef[] = [
  // flows
  unencryptedCrossing, sensitiveDataUnencryptedFlow, unauthenticatedInbound, sensitiveDataUnauthenticatedFlow,
  externalWritesStore, directAccessToTrustedZone, personalDataToThirdParty,
  apiMissingAuthorization, apiMissingRateLimiting, apiMissingInputValidation,
  // stores
  unencryptedRestrictedStore, unencryptedConfidentialStore, secretOutsideVault, storeWithoutAuditLog,
  unauthenticatedStoreAccess, unauthenticatedQueue, sensitiveDataInCache, storeWithoutBackup, personalDataInLogs,
  // processes and exposure
  exposedProcessWithoutBoundary, adminInterfaceExposed, privilegedProcessExposed, exposedProcessWithoutMonitoring,
  exposedWebAppWithoutWaf, webAppWithoutOutputEncoding,
  // people, data placement, third parties, availability
  privilegedUserPhishing, privilegedUserWithoutMfa, dataAboveBoundaryTrust, restrictedDataToThirdParty,
  singlePointOfFailure,
];

export const DESIGN_RULES: Rule[] = buildDesignRules(DESIGN_RULE_DEFS);
