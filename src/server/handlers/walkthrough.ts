/**
 * `rampart/modelProgress` (src/shared/requests.ts): what the guided first model (the VS Code walkthrough
 * `rampart.firstModel`) needs to know to tick its steps off, computed from the text the client sends.
 */
import { parseModel } from '../../core/model/parse';
import type { Model } from '../../core/model/schema';
import { ModelProgressRequest, type ModelProgress } from '../../shared/requests';
import type { ServerContext } from '../context';

export function modelProgress(text: unknown): ModelProgress {
  const model: Partial<Model> = typeof text === 'string' ? parseModel(text).model : {};
  const threats = Object.values(model.threats ?? {}).filter(t => t && typeof t === 'object');
  return {
    elements: Object.keys(model.elements ?? {}).length,
    threats: threats.length,
    rated: threats.filter(t => (t.likelihood && t.impact) || t.cvss || t.priority).length,
    tolerance: !!model.policy?.tolerance,
    treated: Object.keys(model.mitigations ?? {}).length + threats.filter(t => t.status === 'accepted' || t.status === 'transferred').length,
  };
}

export function registerWalkthrough(ctx: ServerContext): void {
  ctx.connection.onRequest(ModelProgressRequest, params => modelProgress(params?.text));
}
