/**
 * Ids across a file: which id is under the cursor, where it is defined, where it is used, and the edits that
 * rename it everywhere. Pure; src/vscode/navigation.ts adapts it to definition, references and rename.
 */
import { ID_PATTERN, LIMITS, THREAT_ID_PATTERN } from '../model/schema';
import { SECTION_OF, type IdKind } from '../model/index';
import type { Analysis } from '../analyze';
import type { Range, TextEdit } from '../types';

export interface IdAt {
  kind: IdKind;
  id: string;
  /** Range of the id's characters (inside quotes, when quoted). */
  range: Range;
  /** The cursor is on the definition (the entry's key), not on a reference. */
  isDefinition: boolean;
  /** The id is defined in the file. */
  defined: boolean;
}

export interface Occurrence {
  range: Range;
  isDefinition: boolean;
}

const contains = (r: Range, offset: number) => r.start <= offset && offset <= r.end;

/** The characters of a scalar without its quotes. */
export function innerRange(text: string, r: Range): Range {
  const first = text[r.start];
  if ((first === '"' || first === "'") && r.end - r.start >= 2 && text[r.end - 1] === first) return { start: r.start + 1, end: r.end - 1 };
  return r;
}

/** The id under the cursor: an entry's key, or a reference to an id. */
export function idAt(analysis: Analysis, offset: number): IdAt | undefined {
  const { index, parsed } = analysis;
  for (const d of index.definitions) {
    if (contains(d.range, offset)) return { kind: d.kind, id: d.id, range: innerRange(parsed.text, d.range), isDefinition: true, defined: true };
  }
  for (const r of index.references) {
    if (!contains(r.range, offset)) continue;
    const def = index.lookup(r.id, r.kinds);
    return { kind: def?.kind ?? r.kinds[0], id: r.id, range: innerRange(parsed.text, r.range), isDefinition: false, defined: !!def };
  }
  return undefined;
}

/** The definition (key range) of the id under the cursor. */
export function definitionAt(analysis: Analysis, offset: number): { kind: IdKind; id: string; range: Range } | undefined {
  const at = idAt(analysis, offset);
  if (!at?.defined) return undefined;
  const def = analysis.index.byKind.get(at.kind)?.get(at.id);
  return def && { kind: def.kind, id: def.id, range: innerRange(analysis.parsed.text, def.range) };
}

/** Every place an id of `kind` appears: its definition and each reference that resolves to it. */
export function occurrences(analysis: Analysis, kind: IdKind, id: string): Occurrence[] {
  const { index, parsed } = analysis;
  const out: Occurrence[] = [];
  const def = index.byKind.get(kind)?.get(id);
  if (def) out.push({ range: innerRange(parsed.text, def.range), isDefinition: true });
  for (const r of index.references) {
    if (r.id !== id || !r.kinds.includes(kind)) continue;
    // A threat target may name an element or a flow: it belongs to the one it resolves to.
    const resolved = index.lookup(r.id, r.kinds);
    if (resolved && resolved.kind !== kind) continue;
    out.push({ range: innerRange(parsed.text, r.range), isDefinition: false });
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** Why `name` cannot be the new id of an entry of `kind` (undefined when it can). */
export function renameProblem(analysis: Analysis, kind: IdKind, oldId: string, name: string): string | undefined {
  const pattern = kind === 'threat' ? THREAT_ID_PATTERN : ID_PATTERN;
  const max = kind === 'threat' ? LIMITS.id * 2 : LIMITS.id;
  if (name === oldId) return undefined;
  if (!pattern.test(name)) {
    return `"${name}" is not a valid id: ids are kebab-case (lowercase letters, digits and single dashes${kind === 'threat' ? '; a suggested threat may use rule@element' : ''}).`;
  }
  if (name.length > max) return `Ids are at most ${max} characters.`;
  // Elements and flows share the namespace of threat targets.
  const clash: IdKind[] = kind === 'element' || kind === 'flow' ? ['element', 'flow'] : [kind];
  for (const k of clash) {
    if (analysis.index.byKind.get(k)?.has(name)) return `An ${k === 'element' ? 'element' : k} \`${name}\` already exists in ${SECTION_OF[k]}.`;
  }
  return undefined;
}

export type RenameResult = { edits: TextEdit[] } | { error: string };

/** Where a rename can start: the id under the cursor, when it is defined in this file. */
export function prepareRenameAt(analysis: Analysis, offset: number): { range: Range; id: string } | { error: string } {
  const at = idAt(analysis, offset);
  if (!at) return { error: 'Rename works on ids: put the cursor on an entry\'s key or on a reference to it.' };
  if (!at.defined) return { error: `\`${at.id}\` is not defined in this file, so it cannot be renamed here.` };
  return { range: at.range, id: at.id };
}

/** The edits that rename the id under the cursor to `name`: its key and every reference to it. */
export function renameAt(analysis: Analysis, offset: number, name: string): RenameResult {
  const at = idAt(analysis, offset);
  if (!at?.defined) return { error: at ? `\`${at.id}\` is not defined in this file.` : 'No id under the cursor.' };
  const problem = renameProblem(analysis, at.kind, at.id, name);
  if (problem) return { error: problem };
  if (name === at.id) return { edits: [] };
  return { edits: occurrences(analysis, at.kind, at.id).map(o => ({ offset: o.range.start, length: o.range.end - o.range.start, text: name })) };
}
