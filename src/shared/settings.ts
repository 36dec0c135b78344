/**
 * The `rampart.*` settings as plain data, validated in ONE function that every front end can call: the language
 * server (settings pulled with `workspace/configuration` or pushed with `didChangeConfiguration`) and, later,
 * the VS Code client. Values are validated here because settings files are edited by hand (and a workspace's
 * settings come with a cloned repository). Nothing here knows about VS Code or LSP.
 *
 * `parseSettings` accepts what a client sends for the `rampart` section: nested objects as VS Code returns
 * them (`{ diagnostics: { scope } }`), or the dotted keys of package.json (`{ 'diagnostics.scope': ... }`), as
 * a hand-written Neovim or Helix configuration may use.
 */
import { DEFAULT_MAX_FILE_SIZE, LEVELS, type Level } from '../core/model/vocabulary';
import { SEVERITIES, type AnalysisSettings, type Severity } from '../core/types';

export { SECTION } from './section';

export type DiagnosticsScope = 'workspace' | 'openFiles';

export interface RampartSettings extends AnalysisSettings {
  /** Milliseconds to wait after the last keystroke before analysing. */
  debounceMs: number;
  /** Report problems of every model in the workspace, or only of open ones. */
  diagnosticsScope: DiagnosticsScope;
  /** Show the risk CodeLens over threats, elements and flows. */
  codeLens: boolean;
  /** Days until an acceptance added by the "Accept risk" fix expires. */
  acceptanceDays: number;
  /**
   * Discover the workspace folder's Compose files, Kubernetes manifests and OpenAPI descriptions, and report
   * what the models lack (`discover/*`). Finds nothing where there are no such files.
   */
  discoverEnabled: boolean;
  /**
   * Read the workspace folder's source files for annotations (`@mitigates`, `@threat`, `@accepts`, `@model`),
   * the files evidence names, and git since an element's review (`trace/*` rules).
   */
  traceEnabled: boolean;
  /**
   * Threat-intelligence feed files (CISA KEV catalog, OSV records or a folder of them), relative to the workspace
   * folder: the elements' technology, components and SBOMs are checked against them (`intel/*`). Read from disk only.
   */
  intelFiles: string[];
}

export const DEFAULTS = {
  debounceMs: 300,
  diagnosticsScope: 'workspace' as DiagnosticsScope,
  codeLens: true,
  acceptanceDays: 90,
  discoverEnabled: true,
  traceEnabled: true,
  intelFiles: [] as string[],
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
};

const clamp = (v: unknown, min: number, max: number, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `get(raw, 'diagnostics.scope')`: the nested value, or the dotted key. */
function get(raw: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(raw, key)) return raw[key];
  let node: unknown = raw;
  for (const part of key.split('.')) {
    if (!isRecord(node) || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** Validates a `rampart` settings section (anything: a client may send null or garbage); missing values get defaults. */
export function parseSettings(section: unknown): RampartSettings {
  const raw = isRecord(section) ? section : {};
  const tolerance = get(raw, 'tolerance');
  const disabled = get(raw, 'disabledRules');
  const overrides = get(raw, 'severityOverrides');
  const severityOverrides: Record<string, Severity | 'off'> = {};
  if (isRecord(overrides)) {
    for (const [rule, sev] of Object.entries(overrides)) {
      if (typeof sev === 'string' && (sev === 'off' || (SEVERITIES as readonly string[]).includes(sev))) severityOverrides[rule] = sev as Severity | 'off';
    }
  }
  return {
    tolerance: typeof tolerance === 'string' && (LEVELS as readonly string[]).includes(tolerance) ? (tolerance as Level) : undefined,
    disabledRules: Array.isArray(disabled) ? disabled.filter((d): d is string => typeof d === 'string' && d.length > 0) : [],
    severityOverrides,
    maxFileSize: clamp(get(raw, 'maxFileSize'), 1024, 64 * 1024 * 1024, DEFAULTS.maxFileSize),
    debounceMs: clamp(get(raw, 'debounceMs'), 0, 10_000, DEFAULTS.debounceMs),
    diagnosticsScope: get(raw, 'diagnostics.scope') === 'openFiles' ? 'openFiles' : 'workspace',
    codeLens: get(raw, 'codeLens.enabled') !== false,
    acceptanceDays: clamp(get(raw, 'acceptanceDays'), 1, 3650, DEFAULTS.acceptanceDays),
    discoverEnabled: get(raw, 'discover.enabled') !== false,
    traceEnabled: get(raw, 'trace.enabled') !== false,
    intelFiles: (v => (Array.isArray(v) ? [...new Set(v.filter((p): p is string => typeof p === 'string' && p.trim().length > 0 && p.length <= 1000 && !p.includes('\0')).map(p => p.trim()))].slice(0, 50) : []))(get(raw, 'intel.files')),
  };
}
