/**
 * A Discovery -> the YAML text of a new model. Every entry carries `source: file:line` (the reviewer checks
 * it; `discover/missing-source` watches it), fields come in a reading order (what it is, where, then the rest),
 * and a header says what was read and lists the findings about the files. The draft passes `rampart check`
 * without schema findings; the design rules then judge what was found.
 */
import { Document, isMap, type Scalar, type YAMLMap } from 'yaml';
import { commentText, pairsByKey } from '../interop/common';
import { clipName } from './collect';
import { formatSource, SECTION_ORDER } from './match';
import type { Discovered, DiscoveredSection, Discovery } from './types';

export interface DraftOptions {
  /** The model's title (default "Drafted threat model"). */
  title?: string;
}

/** Fields first in this order, `description` and `source` last, the rest as built. */
const FIRST = ['type', 'name', 'kind', 'technology', 'trust', 'parent', 'classification', 'from', 'to', 'protocol', 'boundary', 'internet_facing'];
const LAST = ['description', 'source'];

/** An entry as written: fields in reading order, no empty values, `source` last. */
export function entryValue(x: Discovered<object>): Record<string, unknown> {
  const e: Record<string, unknown> = { ...(x.entry as Record<string, unknown>), source: formatSource(x.source) };
  const keys = [...FIRST.filter(k => k in e), ...Object.keys(e).filter(k => !FIRST.includes(k) && !LAST.includes(k)), ...LAST.filter(k => k in e)];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = e[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/**
 * YAML text of `top` keys followed by the sections, with `header` as the comment at the top and a comment
 * above the entries of `comments` (`section\0id` -> lines).
 */
export function sectionsYaml(top: Record<string, unknown>, sections: Partial<Record<DiscoveredSection, [string, Record<string, unknown>][]>>, header: string[], comments = new Map<string, string[]>()): string {
  const data: Record<string, unknown> = { ...top };
  for (const s of SECTION_ORDER) {
    const list = sections[s];
    if (list?.length) data[s] = Object.fromEntries(list);
  }
  const doc = new Document(data, { version: '1.2', aliasDuplicateObjects: false });
  doc.commentBefore = commentText(header);
  const root = doc.contents as YAMLMap;
  const rootKeys = pairsByKey(root);
  for (const [key, lines] of comments) {
    const [section, id] = key.split('\u0000');
    const map = rootKeys.get(section)?.value;
    const pair = isMap(map) ? pairsByKey(map).get(id) : undefined;
    if (pair) (pair.key as Scalar).commentBefore = commentText(lines);
  }
  return doc.toString({ lineWidth: 0, indent: 2 });
}

/** The files of a discovery in words: the first few, then how many more. */
export function fileList(files: readonly string[], max = 5): string {
  const shown = files.slice(0, max).map(f => `\`${f}\``).join(', ');
  return files.length > max ? `${shown} and ${files.length - max} more` : shown;
}

/** The findings about the discovered files as comment lines (at most `max`). */
export function findingLines(d: Discovery, max = 30): string[] {
  if (!d.findings.length) return [];
  const lines = ['', 'Findings about the files read (not copied into the model; see `rampart discover` output):'];
  for (const f of d.findings.slice(0, max)) lines.push(`- ${formatSource(f.source)} ${f.ruleId}: ${f.message}`);
  if (d.findings.length > max) lines.push(`- ... and ${d.findings.length - max} more.`);
  return lines;
}

/** The YAML text of a new model drafted from `discovery`. */
export function draftModel(discovery: Discovery, options: DraftOptions = {}): string {
  const header = [
    `Drafted by \`rampart discover\` from ${discovery.files.length} file${discovery.files.length === 1 ? '' : 's'}${discovery.files.length ? `: ${fileList(discovery.files)}` : ''}.`,
    'Every entry says where it was found in `source:` (paths relative to this file). Discovery sees what the files',
    'declare, not what the code does: review kinds, boundaries and trust, add the data each flow carries, and',
    'whether flows are authenticated and encrypted, then run `rampart check`.',
    ...findingLines(discovery),
  ];
  const sections: Partial<Record<DiscoveredSection, [string, Record<string, unknown>][]>> = {};
  for (const s of SECTION_ORDER) sections[s] = (discovery[s] as Discovered<object>[]).map(x => [x.id, entryValue(x)]);
  return sectionsYaml({ rampart: 1, title: clipName(options.title ?? 'Drafted threat model') }, sections, header);
}
