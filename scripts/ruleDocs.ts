import type { RuleMeta } from '../src/core/rules/types';
import { ruleAnchor, ruleWhyAnchor } from '../src/core/rules/docs';

const FAMILIES: [string, string][] = [
  ['schema', 'Reading the file (`schema/*`)'],
  ['risk', 'Risk and treatment (`risk/*`)'],
  ['stride', 'STRIDE per element (`stride/*`)'],
  ['design', 'Design rules over the data flow (`design/*`)'],
  ['discover', 'Drift from what the repository declares (`discover/*`)'],
  ['trace', 'The code and the model (`trace/*`)'],
  ['plan', 'Proportional mitigation (`plan/*`)'],
  ['pasta', 'PASTA stages (`pasta/*`)'],
  ['linddun', 'LINDDUN privacy threats (`linddun/*`)'],
  ['intel', 'Threat intelligence (`intel/*`)'],
];

export function renderRuleDocs(rules: readonly RuleMeta[]): string {
  const out: string[] = [];
  for (const [cat, title] of FAMILIES) {
    const rs = rules.filter(r => r.category === cat);
    if (!rs.length) continue;
    out.push(`### ${title}`, '', '| id | severity | what it finds |', '|---|---|---|');
    for (const r of rs) out.push(`| <a id="${ruleAnchor(r.id)}"></a>\`${r.id}\` | ${r.severity} | **${r.title}.** ${r.description.replace(/\|/g, '\\|')} *Fix:* ${r.advice.replace(/\|/g, '\\|')}${r.cwe?.length ? ` (${r.cwe.join(', ')})` : ''}${r.why ? ` [Why does this matter?](#${ruleWhyAnchor(r.id)})` : ''} |`);
    out.push('');
    out.push(...renderWhy(rs));
  }
  return out.join('\n');
}

/**
 * "Why does this matter?" under a family's table: per rule with `why` in its metadata, the paragraph (anchored
 * at `ruleWhyAnchor`, where hovers on a finding link) and its example model snippet.
 */
function renderWhy(rules: readonly RuleMeta[]): string[] {
  const out: string[] = [];
  for (const r of rules.filter(x => x.why)) {
    if (!out.length) out.push('#### Why do these rules matter?', '');
    out.push(`<a id="${ruleWhyAnchor(r.id)}"></a>**\`${r.id}\`: why does this matter?** ${r.why} ([rule](#${ruleAnchor(r.id)}))`, '');
    if (r.example) out.push('```yaml', r.example.trim(), '```', '');
  }
  return out;
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
