/**
 * Import from and export to other threat-modeling tools: Threagile (YAML), OWASP Threat Dragon v2 (JSON), the
 * Open Threat Model (OTM, JSON or YAML) and AWS Threat Composer (JSON). Each importer documents its mapping table in its JSDoc and exports
 * its status mapping as a constant (for the README).
 *
 * Importers return readable Rampart YAML with comments for what could not be mapped, and throw `ImportError`
 * (a message for the user, no stack trace needed) for input that is not what `from` names, for input that is
 * malformed beyond reading, and for a model that `rampart check` would refuse (over the size cap, or a
 * section with more than `LIMITS.entries` entries). The input is untrusted: every step is linear or
 * n log n in its size.
 */
import type { Model } from '../model/schema';
import { ImportError, type ExportResult, type ImportOptions, type ImportResult } from './common';
import { importOtm } from './otm';
import { exportOtm } from './otmExport';
import { importThreagile } from './threagile';
import { exportThreagile } from './threagileExport';
import { importThreatComposer } from './threatComposer';
import { exportThreatComposer } from './threatComposerExport';
import { importThreatDragon } from './threatDragon';
import { exportThreatDragon } from './threatDragonExport';

export type ImportFormat = 'threagile' | 'threat-dragon' | 'otm' | 'threat-composer';
export type ExportFormat = ImportFormat;
export const IMPORT_FORMATS: readonly ImportFormat[] = ['threagile', 'threat-dragon', 'otm', 'threat-composer'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['threagile', 'threat-dragon', 'otm', 'threat-composer'];

/**
 * `options.maxFileSize`: the size cap of the model written, as the `rampart.maxFileSize` setting (default 2 MiB,
 * the default of `rampart check`); a bigger result is an ImportError that says to split the source model.
 */
export function importModel(from: ImportFormat, text: string, options: ImportOptions = {}): ImportResult {
  switch (from) {
    case 'threagile': return importThreagile(text, options);
    case 'threat-dragon': return importThreatDragon(text, options);
    case 'otm': return importOtm(text, options);
    case 'threat-composer': return importThreatComposer(text, options);
    default: throw new ImportError(`Unknown import format "${String(from)}": use one of ${IMPORT_FORMATS.join(', ')}.`);
  }
}

/** The model as the other tool's file (JSON; YAML for Threagile), with what the format could not hold. */
export function exportModelWithNotes(to: ExportFormat, model: Model): ExportResult {
  switch (to) {
    case 'threagile': return exportThreagile(model);
    case 'threat-dragon': return exportThreatDragon(model);
    case 'otm': return exportOtm(model);
    case 'threat-composer': return exportThreatComposer(model);
    default: throw new ImportError(`Unknown export format "${String(to)}": use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
}

/** The model as the other tool's file text. */
export function exportModel(to: ExportFormat, model: Model): string {
  return exportModelWithNotes(to, model).text;
}

export { ImportError, detectFormat, type ExportResult, type ImportOptions, type ImportResult, type ImportStats } from './common';
export { THREAGILE_STATUS_MAP, THREAGILE_STATUS_TAGS, THREAGILE_CLASSIFICATION_MAP, THREAGILE_ELEMENT_TYPE_MAP } from './threagile';
export { THREAGILE_EXPORT_STATUS } from './threagileExport';
export { THREAT_DRAGON_STATUS_MAP, THREAT_DRAGON_SEVERITY_MAP, THREAT_DRAGON_ELEMENT_TYPE_MAP } from './threatDragon';
export { THREAT_COMPOSER_THREAT_STATUS_MAP, THREAT_COMPOSER_MITIGATION_STATUS_MAP } from './threatComposer';
export { THREAT_COMPOSER_EXPORT_THREAT_STATUS, THREAT_COMPOSER_EXPORT_MITIGATION_STATUS } from './threatComposerExport';
export {
  OTM_THREAT_STATE_MAP, OTM_MITIGATION_STATE_MAP, OTM_LIKELIHOOD_BUCKETS, OTM_IMPACT_BUCKETS, OTM_TRUST_BUCKETS, OTM_CONFIDENTIALITY_BUCKETS,
} from './otm';
export { THREAT_DRAGON_EXPORT_STATUS, THREAT_DRAGON_EXPORT_SEVERITY } from './threatDragonExport';
export { OTM_EXPORT_THREAT_STATE, OTM_EXPORT_MITIGATION_STATE, OTM_EXPORT_TRUST_RATING } from './otmExport';
