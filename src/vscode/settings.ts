/**
 * The extension's settings (`rampart.*`), read in ONE function. The core never calls `getConfiguration`: it
 * receives the `AnalysisSettings` part as an argument. Values are validated here, because settings.json is
 * edited by hand (and a workspace's .vscode/settings.json comes with a cloned repository).
 */
import * as vscode from 'vscode';
import { LEVELS, type Level } from '../core/model/schema';
import { DEFAULT_MAX_FILE_SIZE } from '../core/model/parse';
import { SEVERITIES, type AnalysisSettings, type Severity } from '../core/types';

export const SECTION = 'rampart';

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
}

export const DEFAULTS = {
  debounceMs: 300,
  diagnosticsScope: 'workspace' as DiagnosticsScope,
  codeLens: true,
  acceptanceDays: 90,
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
};

const clamp = (v: unknown, min: number, max: number, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;

/** Reads and validates `rampart.*` for a resource (a model file's URI) or the window. */
export function readSettings(scope?: vscode.ConfigurationScope): RampartSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const tolerance = c.get<string>('tolerance');
  const disabled = c.get<unknown>('disabledRules');
  const overrides = c.get<unknown>('severityOverrides');
  const severityOverrides: Record<string, Severity | 'off'> = {};
  if (overrides && typeof overrides === 'object' && !Array.isArray(overrides)) {
    for (const [rule, sev] of Object.entries(overrides as Record<string, unknown>)) {
      if (typeof sev === 'string' && (sev === 'off' || (SEVERITIES as readonly string[]).includes(sev))) severityOverrides[rule] = sev as Severity | 'off';
    }
  }
  return {
    tolerance: (LEVELS as readonly string[]).includes(tolerance ?? '') ? (tolerance as Level) : undefined,
    disabledRules: Array.isArray(disabled) ? disabled.filter((d): d is string => typeof d === 'string' && d.length > 0) : [],
    severityOverrides,
    maxFileSize: clamp(c.get('maxFileSize'), 1024, 64 * 1024 * 1024, DEFAULTS.maxFileSize),
    debounceMs: clamp(c.get('debounceMs'), 0, 10_000, DEFAULTS.debounceMs),
    diagnosticsScope: c.get('diagnostics.scope') === 'openFiles' ? 'openFiles' : 'workspace',
    codeLens: c.get('codeLens.enabled') !== false,
    acceptanceDays: clamp(c.get('acceptanceDays'), 1, 3650, DEFAULTS.acceptanceDays),
  };
}
