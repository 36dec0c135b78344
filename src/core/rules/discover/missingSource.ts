import type { Rule, RuleFinding } from '../types';
import { quote, valueRange } from '../helpers';
import { discoveryOf } from './context';
import { declaredByFile, parseSource, SECTION_ORDER } from '../../discover/match';
import { normalizePath } from '../../discover/paths';

const WORD = { boundaries: 'Boundary', assets: 'Asset', elements: 'Element', flows: 'Flow' } as const;

/** A model entry whose `source:` file is gone, or no longer declares it. */
export const missingSource: Rule = {
  meta: {
    id: 'discover/missing-source',
    title: 'Source of an entry no longer declares it',
    category: 'discover',
    severity: 'warning',
    description: 'An element, flow, boundary or asset has a `source:` (written by `rampart discover`) whose file no longer exists, or was discovered again and no longer declares an entry of that id or at that line. Checked only with discovery; paths are relative to the model file.',
    advice: 'Remove the entry if the component is gone, or update its `source:` to where it is declared now.',
  },
  check(ctx) {
    const x = discoveryOf(ctx);
    if (!x) return [];
    const read = new Set(x.d.files.map(f => normalizePath(f)));
    const declared = declaredByFile(x.d);
    const out: RuleFinding[] = [];
    for (const section of SECTION_ORDER) {
      for (const [id, e] of Object.entries((ctx.model[section] ?? {}) as Record<string, { source?: string }>)) {
        if (typeof e?.source !== 'string') continue;
        const { file, line } = parseSource(e.source);
        const p = normalizePath(file);
        let why: string | undefined;
        if (read.has(p)) {
          const here = declared.get(`${section}\u0000${p}`);
          if (!here?.ids.has(id) && !(line !== undefined && here?.lines.has(line))) why = 'no longer declares it';
        } else if (ctx.settings.fileExists?.(file) === false) why = 'no longer exists';
        if (!why) continue;
        const path = [section, id, 'source'];
        out.push({
          path, range: valueRange(ctx, path), stableId: `discover/missing-source@${id}`,
          message: `${WORD[section]} ${quote(id)} was discovered in ${file}, but that file ${why}: remove the ${WORD[section].toLowerCase()} if it is gone, or update its \`source:\`.`,
        });
      }
    }
    return out;
  },
};
