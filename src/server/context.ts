/**
 * What every handler gets: the connection, the document store, settings, the workspace file index and the
 * client's features; plus `snapshotFor`, the one way a request handler obtains the analysis it answers from,
 * cancelled when the client cancels the request and refused when the document changed while it waited.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { ClientFeatures } from './capabilities';
import { StaleAnalysis, type ModelDocuments, type ModelSnapshot } from './documents';
import type { WorkspaceDiscovery } from './discovery';
import type { WorkspaceFiles } from './fileIndex';
import type { WorkspaceTrace } from './trace';
import type { SettingsStore } from './settings';
import type { WorkspaceLibraries } from './library';

export interface ServerContext {
  connection: Connection;
  documents: ModelDocuments;
  settings: SettingsStore;
  files: WorkspaceFiles;
  /** What each workspace folder declares (Compose, Kubernetes, OpenAPI): drift findings and "Add to model". */
  discovery: WorkspaceDiscovery;
  /** What each workspace folder's code says about its models (annotations, evidence, git). */
  trace: WorkspaceTrace;
  /** The team threat libraries of each model (#16): rules, catalog threats and templates. */
  libraries?: WorkspaceLibraries;
  features: ClientFeatures;
  log: (message: string) => void;
}

export const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
export const contentModified = () => new ResponseError(LSPErrorCodes.ContentModified, 'The document changed while the request was served.');

/**
 * The analysis of the open model `uri` at the version the request was made on; undefined when `uri` is not an
 * open threat model (the request then gets an empty answer). Throws RequestCancelled or ContentModified.
 */
export async function snapshotFor(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<ModelSnapshot | undefined> {
  const pending = ctx.documents.analysisOf(uri);
  if (!pending) return undefined;
  if (token?.isCancellationRequested) throw cancelled();
  let snap: ModelSnapshot;
  try {
    snap = await pending;
  } catch (e) {
    if (e instanceof StaleAnalysis) throw contentModified();
    throw e;
  }
  if (token?.isCancellationRequested) throw cancelled();
  if (!ctx.documents.isCurrent(uri, snap.version)) throw contentModified();
  return snap;
}
