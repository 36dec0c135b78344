/**
 * Import from and export to other threat-modeling tools: Threagile (YAML), OWASP Threat Dragon v2 (JSON) and
 * the Open Threat Model (OTM, JSON or YAML). Each importer documents its mapping table in its JSDoc and exports
 * its status mapping as a constant (for the README).
 *
 * Importers return readable Rampart YAML with comments for what could not be mapped, and throw `ImportError`
 * (a message for the user, no stack trace needed) for input that is not what `from` names, for input that is
 * malformed beyond reading, and for a model that `rampart check` would refuse (over the size cap, or a
 * section with more than `LIMITS.entries` entries). The input is untrusted: every step is linear or
 * n log n in its size.
 */
import type { Model } from '../model/schema';
import { ImportError, type ImportOptions, type ImportResult } from './common';
import { importOtm } from './otm';
import { exportOtm } from './otmExport';
import { importThreagile } from './threagile';
import { importThreatDragon } from './threatDragon';
import { exportThreatDragon } from './threatDragonExport';

export type ImportFormat = 'threagile' | 'threat-dragon' | 'otm';
export type ExportFormat = 'threat-dragon' | 'otm';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['threagile', 'threat-dragon', 'otm'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['threat-dragon', 'otm'];

/**
 * `options.maxFileSize`: the size cap of the model written, as the `rampart.maxFileSize` setting (default 2 MiB,
 * the default of `rampart check`); a bigger result is an ImportError that says to split the source model.
 */
export function importModel(from: ImportFormat, text: string, options: ImportOptions = {}): ImportResult {
  switch (from) {
    case 'threagile': return importThreagile(text, options);
    case 'threat-dragon': return importThreatDragon(text, options);
    case 'otm': return importOtm(text, options);
    default: throw new ImportError(`Unknown import format "${String(from)}": use one of ${IMPORT_FORMATS.join(', ')}.`);
  }
}

/** The model as the other tool's JSON text. */
export function exportModel(to: ExportFormat, model: Model): string {
  switch (to) {
    case 'threat-dragon': return exportThreatDragon(model);
    case 'otm': return exportOtm(model);
    default: throw new ImportError(`Unknown export format "${String(to)}": use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
}

export { ImportError, detectFormat, type ImportOptions, type ImportResult, type ImportStats } from './common';
export { THREAGILE_STATUS_MAP, THREAGILE_CLASSIFICATION_MAP, THREAGILE_ELEMENT_TYPE_MAP } from './threagile';
export { THREAT_DRAGON_STATUS_MAP, THREAT_DRAGON_SEVERITY_MAP, THREAT_DRAGON_ELEMENT_TYPE_MAP } from './threatDragon';
export {
  OTM_THREAT_STATE_MAP, OTM_MITIGATION_STATE_MAP, OTM_LIKELIHOOD_BUCKETS, OTM_IMPACT_BUCKETS, OTM_TRUST_BUCKETS, OTM_CONFIDENTIALITY_BUCKETS,
} from './otm';
export { THREAT_DRAGON_EXPORT_STATUS } from './threatDragonExport';
export { OTM_EXPORT_THREAT_STATE, OTM_EXPORT_MITIGATION_STATE, OTM_EXPORT_TRUST_RATING } from './otmExport';
