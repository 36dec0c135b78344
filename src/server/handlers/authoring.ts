/**
 * Visual authoring (#11) on the server: the edits of an intent (`rampart/intentEdit`), the ids a picker
 * offers (`rampart/modelIds`) and the statement builder's suggestions for a new threat
 * (`rampart/threatSuggestions`), all computed on the text the client sends, so they work for any document the
 * client has, open in a tab or not. The client applies the edits as one undoable edit.
 */
import { computeIntent } from '../../core/edit/intents';
import { parseIntent } from '../../core/edit/intentSchema';
import { threatSuggestions } from '../../core/edit/suggestions';
import { parseModel } from '../../core/model/parse';
import type { Model } from '../../core/model/schema';
import { IntentEditRequest, ModelIdsRequest, ThreatSuggestionsRequest, type IntentEditParams, type IntentEditResult, type ModelIdsResult, type ThreatSuggestions, type ThreatSuggestionsParams } from '../../shared/requests';
import type { ServerContext } from '../context';

export function intentEdit(params: IntentEditParams): IntentEditResult {
  if (typeof params?.text !== 'string') return { edits: [], refusal: 'No document text was sent.' };
  const parsed = parseIntent(params.intent);
  if ('problem' in parsed) return { edits: [], refusal: `This cannot be added: ${parsed.problem}.` };
  return computeIntent(params.text, parsed.intent);
}

export function modelIds(text: string): ModelIdsResult {
  const model: Partial<Model> = typeof text === 'string' ? parseModel(text).model : {};
  const list = (section: Record<string, { name?: string; title?: string }> | undefined) =>
    Object.entries(section ?? {}).map(([id, e]) => ({ id, name: (e && typeof e === 'object' && (e.name ?? e.title)) || id }));
  return { elements: list(model.elements), boundaries: list(model.boundaries), flows: list(model.flows), threats: list(model.threats), assets: list(model.assets), mitigations: list(model.mitigations) };
}

/** The statement builder's suggestions; a request without text or target gets an empty answer. */
export function suggestThreats(params: ThreatSuggestionsParams): ThreatSuggestions {
  return threatSuggestions(params?.text, params?.target);
}

export function registerAuthoring(ctx: ServerContext): void {
  ctx.connection.onRequest(IntentEditRequest, params => intentEdit(params));
  ctx.connection.onRequest(ModelIdsRequest, params => modelIds(params?.text));
  ctx.connection.onRequest(ThreatSuggestionsRequest, params => suggestThreats(params));
}
