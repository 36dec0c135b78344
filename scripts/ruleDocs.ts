import type { RuleMeta } from '../src/core/rules/types';
import { ruleAnchor } from '../src/core/rules/docs';

const FAMILIES: [string, string][] = [
  ['schema', 'Reading the file (`schema/*`)'],
  ['risk', 'Risk and treatment (`risk/*`)'],
  ['stride', 'STRIDE per element (`stride/*`)'],
  ['design', 'Design rules over the data flow (`design/*`)'],
  ['discover', 'Drift from what the repository declares (`discover/*`)'],
  ['trace', 'The code and the model (`trace/*`)'],
];

export function renderRuleDocs(rules: readonly RuleMeta[]): string {
  const out: string[] = [];
  for (const [cat, title] of FAMILIES) {
    const rs = rules.filter(r => r.category === cat);
    if (!rs.length) continue;
    out.push(`### ${title}`, '', '| id | severity | what it finds |', '|---|---|---|');
    for (const r of rs) out.push(`| <a id="${ruleAnchor(r.id)}"></a>\`${r.id}\` | ${r.severity} | **${r.title}.** ${r.description.replace(/\|/g, '\\|')} *Fix:* ${r.advice.replace(/\|/g, '\\|')}${r.cwe?.length ? ` (${r.cwe.join(', ')})` : ''} |`);
    out.push('');
  }
  return out.join('\n');
}

interface SettingSchema {
  type: string;
  default?: unknown;
  enum?: string[];
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
}

/** One heading per setting, from package.json's `contributes.configuration`. */
export function renderSettingsDocs(props: Record<string, SettingSchema>): string {
  const out: string[] = [];
  for (const [key, s] of Object.entries(props)) {
    out.push(`#### \`${key}\``, '', `${s.markdownDescription ?? ''} Default: \`${JSON.stringify(s.default)}\`.`, '');
    if (s.enum && s.markdownEnumDescriptions) {
      s.enum.forEach((v, i) => out.push(`- \`${v}\`: ${s.markdownEnumDescriptions![i] ?? ''}`));
      out.push('');
    }
  }
  return out.join('\n');
}
