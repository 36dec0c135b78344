/**
 * The entries the visual editor's properties panel shows, and their sections. On their own, free of zod, so the
 * webview (which imports only types from the protocol) and the extension share one list.
 */
import type { FormSection } from '../core/edit/entryForm';
import type { RevealKind } from '../core/render/viewModel';

export const FORM_KINDS = ['element', 'flow', 'boundary', 'asset', 'threat', 'mitigation'] as const satisfies readonly RevealKind[];
export type FormKind = (typeof FORM_KINDS)[number];

export const FORM_SECTION_OF = {
  element: 'elements', flow: 'flows', boundary: 'boundaries', asset: 'assets', threat: 'threats', mitigation: 'mitigations',
} as const satisfies Record<FormKind, FormSection>;

export const KIND_OF_FORM_SECTION: Partial<Record<string, FormKind>> = Object.fromEntries(Object.entries(FORM_SECTION_OF).map(([k, v]) => [v, k as FormKind]));
