/**
 * Where LINDDUN privacy threats apply: the elements and flows that handle personal data, meaning an asset with
 * `personal: true` that a flow carries (`data` or `data_received`), or that an element stores, processes, or
 * sends or receives over a flow. Entries marked `out_of_scope: true` are left out.
 *
 * Pure and linear in the model: one pass over the flows and one over the elements.
 */
import type { Linddun, Model } from '../model/schema';
import { linddunCategories } from '../rules/linddun/catalog';

export interface PersonalDataTarget {
  id: string;
  section: 'elements' | 'flows';
  /** The element's type; undefined for a flow. */
  type?: 'external' | 'process' | 'store';
  kind?: string;
  name: string;
  /** The personal assets it handles, in first-seen order. */
  assets: string[];
  /** The LINDDUN categories that apply to it. */
  categories: readonly Linddun[];
}

/** The in-scope elements, then flows, that handle personal data, in file order. */
export function personalDataTargets(model: Model): PersonalDataTarget[] {
  const personal = new Set(Object.entries(model.assets ?? {}).filter(([, a]) => a.personal === true).map(([id]) => id));
  if (!personal.size) return [];
  const byElement = new Map<string, Set<string>>();
  const add = (element: string, assets: readonly string[]) => {
    if (!assets.length) return;
    let set = byElement.get(element);
    if (!set) byElement.set(element, (set = new Set()));
    for (const a of assets) set.add(a);
  };
  const flows: PersonalDataTarget[] = [];
  for (const [id, f] of Object.entries(model.flows ?? {})) {
    const carried = [...new Set([...(f.data ?? []), ...(f.data_received ?? [])])].filter(a => personal.has(a));
    if (!carried.length) continue;
    // The data reaches both ends whether or not the flow itself is analysed.
    add(f.from, carried);
    add(f.to, carried);
    if (!f.out_of_scope) flows.push({ id, section: 'flows', name: f.name ?? id, assets: carried, categories: linddunCategories(undefined) });
  }
  const elements: PersonalDataTarget[] = [];
  for (const [id, e] of Object.entries(model.elements ?? {})) {
    if (e.out_of_scope) continue;
    const held = [...(e.stores ?? []), ...(e.processes ?? [])].filter(a => personal.has(a));
    const assets = [...new Set([...held, ...(byElement.get(id) ?? [])])];
    if (!assets.length) continue;
    elements.push({ id, section: 'elements', type: e.type, ...(e.kind ? { kind: e.kind } : {}), name: e.name, assets, categories: linddunCategories(e.type, e.kind) });
  }
  return [...elements, ...flows];
}
