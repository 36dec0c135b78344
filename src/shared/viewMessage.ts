/**
 * Reading the view out of an update message, without zod: the webview bundle imports this and stays small.
 */
import type { ViewModel } from '../core/render/viewModel';

export const isViewModel = (v: unknown): v is ViewModel => typeof v === 'object' && v !== null && 'diagram' in v && 'threats' in v;

/** The view model of an update message (parsing `viewJson`), or undefined when it holds no view. */
export function viewOfUpdate(m: { view?: unknown; viewJson?: unknown }): ViewModel | undefined {
  if (m.view !== undefined) return isViewModel(m.view) ? m.view : undefined;
  if (typeof m.viewJson !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(m.viewJson);
    return isViewModel(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
