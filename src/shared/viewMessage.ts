/**
 * Reading the view out of an update message, without zod: the webview bundle imports this and stays small.
 */
import type { ViewModel } from '../core/render/viewModel';
import { applyDelta } from './viewDelta';

export const isViewModel = (v: unknown): v is ViewModel => typeof v === 'object' && v !== null && 'diagram' in v && 'threats' in v;

/** What an update message may carry: the view, its JSON text, or a delta against the view `base` (see viewDelta.ts). */
export interface UpdatePayload { view?: unknown; viewJson?: unknown; deltaJson?: unknown; base?: unknown }

/** The view held by whoever reads updates: the id of the update it came from, and the view. */
export interface HeldView { id: number; view: ViewModel }

/**
 * The view model of an update message (parsing `viewJson`, or applying `deltaJson` to `held`), or undefined when
 * it holds no view, or a delta made against another view than `held` (the reader then asks for the whole view).
 */
export function viewOfUpdate(m: UpdatePayload, held?: HeldView): ViewModel | undefined {
  if (m.view !== undefined) return isViewModel(m.view) ? m.view : undefined;
  const json = m.viewJson ?? m.deltaJson;
  if (typeof json !== 'string') return undefined;
  if (m.deltaJson !== undefined && (!held || m.base !== held.id)) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    const v = m.deltaJson !== undefined ? applyDelta(held!.view, parsed) : parsed;
    return isViewModel(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
