/**
 * "Rampart: Export Report" (the Markdown report of a model, written beside it and opened in the preview) and
 * "Rampart: Import Threat Models..." (Threagile, Threat Dragon, OTM and Threat Composer files converted with progress, each
 * written beside its source as *.threatmodel.yaml). Both are thin: the language server renders and converts
 * (`rampart/report`, `rampart/import`); the extension reads, asks and writes.
 */
import * as vscode from 'vscode';
import { ImportRequest, ReportRequest, type ImportFormatName } from '../shared/requests';
import type { RampartServer } from './client';
import { exists, readText } from './files';
import { isThreatModel } from './models';

export const INTEROP_COMMANDS = {
  exportReport: 'rampart.exportReport',
  importModels: 'rampart.importModels',
} as const;

type ImportFormat = ImportFormatName;
const IMPORT_FORMATS: readonly ImportFormat[] = ['threagile', 'threat-dragon', 'otm', 'threat-composer'];
const FORMAT_LABELS: Record<ImportFormat, string> = {
  threagile: 'Threagile (YAML)', 'threat-dragon': 'OWASP Threat Dragon (JSON)', otm: 'Open Threat Model (JSON/YAML)',
  'threat-composer': 'AWS Threat Composer (.tc.json)',
};

const baseName = (uri: vscode.Uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1);
const sibling = (uri: vscode.Uri, name: string) => vscode.Uri.joinPath(uri, '..', name);


/** Writes the report of `model` (default: the active model) to `target` (default: asked, beside the model). */
export async function exportReport(server: RampartServer, model?: vscode.Uri, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  const source = model ?? (doc && isThreatModel(doc) ? doc.uri : undefined);
  if (!source) {
    void vscode.window.showErrorMessage('Open a *.threatmodel.yaml file (or pick one in the Explorer) to export its report.');
    return undefined;
  }
  const text = await readText(source);
  const out = target ?? await vscode.window.showSaveDialog({
    title: 'Rampart: Export Report',
    defaultUri: sibling(source, baseName(source).replace(/\.threatmodel\.ya?ml$/i, '') + '.threat-report.md'),
    filters: { Markdown: ['md'] },
  });
  if (!out) return undefined;
  const { markdown: md } = await server.request(ReportRequest, {
    uri: server.uri(source), text, fileName: vscode.workspace.asRelativePath(source, false), generator: 'Rampart (VS Code)',
  });
  await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(md));
  if (!target) {
    await vscode.commands.executeCommand('markdown.showPreview', out).then(undefined, () => vscode.window.showTextDocument(out));
  }
  return out;
}

/** Why a file was not imported, in words for the user. */
class ImportProblem extends Error {}

export interface ImportOutcome {
  created: vscode.Uri[];
  failed: { file: string; message: string }[];
}

/** Imports `files` (default: asked), detecting each one's tool or asking for it; writes results beside them. */
export async function importModels(server: RampartServer, files?: readonly vscode.Uri[], format?: ImportFormat): Promise<ImportOutcome> {
  const picked = files ?? await vscode.window.showOpenDialog({
    title: 'Rampart: Import Threat Models (Threagile, Threat Dragon, OTM, Threat Composer)',
    canSelectMany: true,
    filters: { 'Threat models': ['json', 'yaml', 'yml'] },
  });
  const outcome: ImportOutcome = { created: [], failed: [] };
  if (!picked?.length) return outcome;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Rampart: importing', cancellable: true },
    async (progress, token) => {
      for (const [i, file] of picked.entries()) {
        if (token.isCancellationRequested) break;
        const name = baseName(file);
        progress.report({ message: `${name} (${i + 1} of ${picked.length})`, increment: 100 / picked.length });
        try {
          const text = await readText(file);
          const uri = file.toString();
          let result = await server.request(ImportRequest, { text, format, uri });
          if (result.status === 'unknown') {
            const choice = await vscode.window.showQuickPick(IMPORT_FORMATS.map(f => ({ label: FORMAT_LABELS[f], format: f })), { title: `Which tool wrote ${name}?` });
            if (!choice) continue;
            result = await server.request(ImportRequest, { text, format: choice.format, uri });
          }
          if (result.status === 'rampart') throw new ImportProblem('is already a Rampart model; open it directly.');
          if (result.status === 'error') throw new ImportProblem(result.message);
          if (result.status !== 'ok') throw new ImportProblem('is not a file of a tool Rampart imports.');
          const stem = name.replace(/\.(json|ya?ml)$/i, '').replace(/\.(threatmodel|tc)$/i, '');
          let out = sibling(file, `${stem}.threatmodel.yaml`);
          for (let n = 2; await exists(out); n++) out = sibling(file, `${stem}-${n}.threatmodel.yaml`);
          await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(result.yaml));
          outcome.created.push(out);
        } catch (e) {
          outcome.failed.push({ file: name, message: e instanceof ImportProblem ? e.message : `could not be imported (${(e as Error).message})` });
        }
      }
    },
  );
  if (outcome.created.length) await vscode.window.showTextDocument(outcome.created[0], { preview: false });
  const summary = `Rampart imported ${outcome.created.length} of ${picked.length} model(s).`;
  if (outcome.failed.length) {
    void vscode.window.showWarningMessage(`${summary} ${outcome.failed.map(f => `${f.file}: ${f.message}`).join(' ')}`);
  } else void vscode.window.showInformationMessage(`${summary} What could not be mapped is marked with comments in each file.`);
  return outcome;
}

export function registerInteropCommands(server: RampartServer): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(INTEROP_COMMANDS.exportReport, (model?: unknown, target?: unknown) =>
      exportReport(server, model instanceof vscode.Uri ? model : undefined, target instanceof vscode.Uri ? target : undefined)),
    vscode.commands.registerCommand(INTEROP_COMMANDS.importModels, (first?: unknown, all?: unknown, format?: unknown) => {
      // from the Explorer context menu: (clicked, selected[]); from tests: (undefined, uris, format)
      const uris = Array.isArray(all) && all.every(u => u instanceof vscode.Uri) && all.length ? all as vscode.Uri[] : first instanceof vscode.Uri ? [first] : undefined;
      return importModels(server, uris, typeof format === 'string' && (IMPORT_FORMATS as readonly string[]).includes(format) ? format as ImportFormat : undefined);
    }),
  ];
}
