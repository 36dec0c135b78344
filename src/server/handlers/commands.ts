/**
 * The requests behind the VS Code client's commands and status bar (src/shared/requests.ts):
 * `rampart/riskSummary` (threats above tolerance in an open model), `rampart/checkWorkspace` (re-analyse open
 * models and run the workspace pass now), `rampart/report` (the Markdown report of a model's text) and
 * `rampart/import` (another tool's file as a Rampart model). The core does the work; this file adapts it.
 */
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { CancellationToken } from 'vscode-languageserver/node';
import { detectFormat, importModel, ImportError, IMPORT_FORMATS } from '../../core/interop/index';
import { renderReport } from '../../core/render/report';
import { includeReader } from '../../node/includes';
import {
  CheckWorkspaceRequest, ImportRequest, ReportRequest, RiskSummaryRequest,
  type ImportParams, type ImportResultMessage, type ReportParams, type RiskSummary,
} from '../../shared/requests';
import { cancelled, snapshotFor, type ServerContext } from '../context';
import type { DiagnosticsPublisher } from './diagnostics';

export const HEADLINE_RULE = 'risk/unmitigated-above-tolerance';

export async function riskSummary(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<RiskSummary | null> {
  const snap = await snapshotFor(ctx, uri, token);
  if (!snap) return null;
  const findings = snap.analysis.findings;
  return {
    version: snap.version,
    aboveTolerance: findings.filter(f => f.ruleId === HEADLINE_RULE).length,
    errors: findings.filter(f => f.severity === 'error').length,
    findings: findings.length,
    tolerance: snap.analysis.tolerance,
  };
}

export async function report(ctx: ServerContext, params: ReportParams, token?: CancellationToken): Promise<{ markdown: string }> {
  const { analysis } = await ctx.documents.analyzeText(params.uri, params.text);
  if (token?.isCancellationRequested) throw cancelled();
  return { markdown: renderReport(analysis, { fileName: params.fileName, generator: params.generator ?? 'Rampart' }) };
}

/** What another tool's file is, by its content (JSON, else YAML with aliases bounded). */
function sniffFormat(text: string): ReturnType<typeof detectFormat> | undefined {
  let data: unknown;
  try { data = JSON.parse(text); } catch {
    try { data = parseYaml(text, { maxAliasCount: 100 }); } catch { return undefined; }
  }
  return detectFormat(data);
}

export function importFile(params: ImportParams): ImportResultMessage {
  try {
    const format = params.format && IMPORT_FORMATS.includes(params.format) ? params.format : sniffFormat(params.text);
    if (format === 'rampart') return { status: 'rampart' };
    if (!format) return { status: 'unknown' };
    const file = params.uri?.startsWith('file:') ? fileURLToPath(params.uri) : undefined;
    const result = importModel(format, params.text, file ? { readInclude: includeReader(file) } : {});
    return { status: 'ok', yaml: result.yaml, notes: result.notes };
  } catch (e) {
    return { status: 'error', message: e instanceof ImportError ? e.message : `could not be imported (${(e as Error).message})` };
  }
}

export function registerCommandRequests(ctx: ServerContext, diagnostics: DiagnosticsPublisher): void {
  const c = ctx.connection;
  c.onRequest(RiskSummaryRequest, (params, token) => riskSummary(ctx, params.uri, token));
  c.onRequest(CheckWorkspaceRequest, async () => {
    diagnostics.refreshOpen();
    const { files } = await diagnostics.workspacePass();
    return { files };
  });
  c.onRequest(ReportRequest, (params, token) => report(ctx, params, token));
  c.onRequest(ImportRequest, params => importFile(params));
}
