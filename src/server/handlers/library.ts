/**
 * Team threat libraries (#16): the requests behind "Add Component from Template..." and "Add Threat from
 * Library..." (src/shared/requests.ts). The model's libraries are those of its file (`uri`: its `.rampart/`
 * folders and `policy.libraries`, read now if not yet); the edits are computed by the core (`insertTemplate`,
 * `addLibraryThreat`) on the text the client sends, as offsets into it.
 */
import { addLibraryThreat, insertTemplate, libraryThreatsFor, type Library } from '../../core/library/index';
import { parseModel } from '../../core/model/parse';
import type { Model } from '../../core/model/schema';
import { fill } from '../../core/rules/stride/catalog';
import {
  LibraryTemplatesRequest, LibraryThreatEditRequest, LibraryThreatsRequest, TemplateEditRequest,
  type LibraryEditResult, type LibraryTemplatesResult, type LibraryThreatEditParams, type LibraryThreatsParams, type TemplateEditParams,
} from '../../shared/requests';
import type { ServerContext } from '../context';
import { uriToPath } from '../fileIndex';

async function libraryOf(ctx: ServerContext, uri: string, model: Model): Promise<Library | undefined> {
  const file = typeof uri === 'string' ? uriToPath(uri) : undefined;
  if (!file || !ctx.libraries) return undefined;
  return ctx.libraries.forModel(file, model);
}

const modelOf = (text: unknown): Model => parseModel(typeof text === 'string' ? text : '').model;

export async function libraryTemplates(ctx: ServerContext, params: { uri: string; text: string }): Promise<LibraryTemplatesResult> {
  const model = modelOf(params?.text);
  const library = await libraryOf(ctx, params?.uri, model);
  const boundaries = Object.entries(model.boundaries ?? {}).map(([id, b]) => ({ id, name: (b && typeof b === 'object' && b.name) || id }));
  if (!library) return { templates: [], libraries: [], boundaries };
  const templates = [...library.templates.values()].map(t => ({
    id: t.id, title: t.title, ...(t.description ? { description: t.description } : {}), library: t.library,
    type: t.element.type ?? 'process', ...(t.element.kind ? { kind: t.element.kind } : {}), ...(t.element.technology ? { technology: t.element.technology } : {}),
    threats: t.threats.length, mitigations: Object.keys(t.mitigations).length, extends: t.extends,
  }));
  return { templates, libraries: library.names, boundaries };
}

export async function templateEdit(ctx: ServerContext, params: TemplateEditParams): Promise<LibraryEditResult> {
  if (typeof params?.text !== 'string' || typeof params.template !== 'string') return { edits: [], refusal: 'No document text or template was sent.' };
  const library = await libraryOf(ctx, params.uri, modelOf(params.text));
  if (!library) return { edits: [], refusal: 'This model uses no team library: add one in .rampart/ (beside the model or above it) or name it in policy.libraries.' };
  const opts = {
    ...(typeof params.id === 'string' ? { id: params.id } : {}), ...(typeof params.name === 'string' ? { name: params.name } : {}),
    ...(typeof params.boundary === 'string' ? { boundary: params.boundary } : {}),
  };
  return insertTemplate(params.text, library, params.template, opts);
}

export async function libraryThreats(ctx: ServerContext, params: LibraryThreatsParams): Promise<{ threats: LibraryEditThreat[]; libraries: string[] }> {
  const model = modelOf(params?.text);
  const library = await libraryOf(ctx, params?.uri, model);
  if (!library || typeof params.target !== 'string') return { threats: [], libraries: library?.names ?? [] };
  const name = model.elements?.[params.target]?.name ?? model.flows?.[params.target]?.name ?? params.target;
  const threats = libraryThreatsFor(library, model, params.target).map(e => ({
    id: e.id, title: fill(e.data.title, String(name)), ...(e.data.description ? { description: fill(e.data.description, String(name)) } : {}),
    ...(e.data.stride?.length ? { stride: [...e.data.stride] } : {}), library: e.library,
  }));
  return { threats, libraries: library.names };
}
type LibraryEditThreat = { id: string; title: string; description?: string; stride?: string[]; library: string };

export async function libraryThreatEdit(ctx: ServerContext, params: LibraryThreatEditParams): Promise<LibraryEditResult> {
  if (typeof params?.text !== 'string' || typeof params.entry !== 'string' || typeof params.target !== 'string') return { edits: [], refusal: 'No document text, catalog entry or target was sent.' };
  const library = await libraryOf(ctx, params.uri, modelOf(params.text));
  if (!library) return { edits: [], refusal: 'This model uses no team library.' };
  return addLibraryThreat(params.text, library, params.entry, params.target);
}

export function registerLibrary(ctx: ServerContext): void {
  const c = ctx.connection;
  c.onRequest(LibraryTemplatesRequest, params => libraryTemplates(ctx, params));
  c.onRequest(TemplateEditRequest, params => templateEdit(ctx, params));
  c.onRequest(LibraryThreatsRequest, params => libraryThreats(ctx, params));
  c.onRequest(LibraryThreatEditRequest, params => libraryThreatEdit(ctx, params));
}
