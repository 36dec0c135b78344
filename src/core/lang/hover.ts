/**
 * Hover text as Markdown: for an id (its definition or a reference) a summary of the entry (elements: type,
 * boundary and trust, data, threats by level; threats: level, residual, CVSS, mitigations, STRIDE; mitigations:
 * status, evidence, threats covered), the meaning of an enum value, and the explanation of the rule of each
 * finding under the cursor. Every string that comes from the file goes through `mdText`; ids go in code spans
 * (they are validated kebab-case). The adapter shows the result as untrusted Markdown.
 */
import type { Analysis } from '../analyze';
import type { IdKind } from '../model/index';
import { LEVELS } from '../model/schema';
import { ruleMeta } from '../rules/index';
import { ruleWhyUrl } from '../rules/docs';
import type { Range } from '../types';
import type { RuleMeta } from '../rules/types';
import { nodeAt } from './cursor';
import { explainValue, LINDDUN_EXPLAINED, STRIDE_EXPLAINED, THREAT_STATUS_EXPLAINED, MITIGATION_STATUS_EXPLAINED, TRUST_EXPLAINED } from './explain';
import { mdText } from './markdown';
import { idAt } from './navigation';
import { annualLoss } from '../risk/ale';

export interface HoverText {
  markdown: string;
  range: Range;
}

/** An id in a code span; ids of the model are kebab-case, but backticks are removed all the same. */
const code = (id: string) => '`' + String(id).replace(/`/g, '').slice(0, 130) + '`';
const para = (...lines: (string | false | undefined)[]) => lines.filter(Boolean).join('\n\n');

function elementHover(a: Analysis, id: string): string {
  const m = a.parsed.model;
  const e = m.elements![id];
  const head = `**${mdText(e.name)}** ${code(id)} · ${e.type}${e.kind ? ` (${e.kind})` : ''}${e.technology ? ` · ${mdText(e.technology)}` : ''}`;
  const chain = a.graph.boundaryChain(e.boundary);
  const boundary = e.boundary
    ? `Boundary: ${chain.map(b => `${mdText(m.boundaries![b].name)} (${m.boundaries![b].trust})`).join(' ⊂ ') || code(e.boundary) + ' (not defined)'}`
    : 'Boundary: none (outside every trust boundary)';
  const assetName = (x: string) => `${code(x)}${m.assets?.[x] ? ` ${mdText(m.assets[x].name, 60)} (${m.assets[x].classification})` : ''}`;
  const data: string[] = [];
  if (e.stores?.length) data.push(`stores ${e.stores.map(assetName).join(', ')}`);
  if (e.processes?.length) data.push(`processes ${e.processes.map(assetName).join(', ')}`);
  const flowData = new Set<string>();
  for (const [, f] of [...(a.graph.flowsFrom.get(id) ?? []), ...(a.graph.flowsTo.get(id) ?? [])]) for (const d of f.data ?? []) flowData.add(d);
  if (flowData.size) data.push(`sends or receives ${[...flowData].map(assetName).join(', ')}`);
  const flows = `Flows: ${(a.graph.flowsFrom.get(id) ?? []).length} out, ${(a.graph.flowsTo.get(id) ?? []).length} in`;
  return para(head, e.description && mdText(e.description), boundary, data.length ? `Data: ${data.join('; ')}` : undefined, flows, threatsByLevel(a, id));
}

function threatsByLevel(a: Analysis, target: string): string {
  const ids = a.graph.threatsByTarget.get(target) ?? [];
  if (!ids.length) return 'Threats: none yet (see the STRIDE coverage suggestions).';
  const groups = new Map<string, string[]>();
  for (const t of ids) {
    const as = a.assessments.get(t);
    const key = as?.level ?? 'unrated';
    groups.set(key, [...(groups.get(key) ?? []), `${code(t)}${as?.open ? '' : ` (${as?.residual ?? 'invalid'})`}`]);
  }
  const order = [...[...LEVELS].reverse(), 'unrated'];
  const lines = order.filter(l => groups.has(l)).map(l => `- **${l}**: ${groups.get(l)!.join(', ')}`);
  return `Threats (${ids.length}):\n\n${lines.join('\n')}`;
}

function threatHover(a: Analysis, id: string): string {
  const m = a.parsed.model;
  const t = m.threats![id];
  const as = a.assessments.get(id);
  const currency = m.policy?.currency ?? '';
  const level = as?.level ? `**${as.level}**` : '**unrated** (add likelihood and impact)';
  const matrix = t.likelihood && t.impact ? ` (${t.likelihood} × ${t.impact})` : '';
  const residual = as ? `residual: ${as.residual.replace(/-/g, ' ')}` : '';
  const above = as?.aboveTolerance ? ` · **above the ${a.tolerance} tolerance**` : '';
  const cvss = as?.cvss ? `CVSS ${as.cvss.version}: **${as.cvss.baseScore.toFixed(1)}** ${as.cvss.severity}${as.cvss.score !== as.cvss.baseScore ? ` (environmental/temporal ${as.cvss.score.toFixed(1)})` : ''} · ${mdText(as.cvss.vector, 200)}` : undefined;
  const links = t.mitigations ?? [];
  const mits = links.length
    ? `Mitigations: ${as?.mitigationsDone ?? 0}/${links.length} implemented\n\n${links.map(x => `- ${code(x)} ${m.mitigations?.[x] ? `${mdText(m.mitigations[x].title, 100)} (${m.mitigations[x].status})` : '(not defined)'}`).join('\n')}`
    : 'Mitigations: none linked';
  const status = `Status: ${t.status}. ${THREAT_STATUS_EXPLAINED[t.status] ?? ''}`;
  const acceptance = (t.status === 'accepted' || t.status === 'transferred')
    ? `${t.status === 'accepted' ? 'Accepted' : 'Transferred'}${t.accepted_by ? ` by ${mdText(t.accepted_by, 80)}` : ''}${t.expires ? ` until ${mdText(t.expires)}` : ''}${as?.expiredDays ? ` (expired ${as.expiredDays} day(s) ago)` : ''}${t.justification ? `: ${mdText(t.justification)}` : ' (no justification)'}`
    : undefined;
  const stride = t.stride?.length ? `STRIDE:\n\n${t.stride.map(s => `- ${STRIDE_EXPLAINED[s] ?? s}`).join('\n')}` : undefined;
  const linddun = t.linddun?.length ? `LINDDUN:\n\n${t.linddun.map(l => `- ${LINDDUN_EXPLAINED[l] ?? l}`).join('\n')}` : undefined;
  const targets = t.targets?.length ? `Targets: ${t.targets.map(x => `${code(x)}${m.elements?.[x] ? ' ' + mdText(m.elements[x].name, 60) : m.flows?.[x] ? ' (flow)' : ' (not defined)'}`).join(', ')}` : undefined;
  const loss = annualLoss(m, id);
  const ale = loss !== undefined ? `Expected annual loss: ${Math.round(loss).toLocaleString('en-US')}${currency ? ' ' + mdText(currency) : ''}` : undefined;
  const refs = [...(t.cwe ?? []), ...(t.capec ?? [])].map(x => mdText(x)).join(', ');
  return para(`**${mdText(t.title)}** ${code(id)}`, `Risk: ${level}${matrix}${residual ? ' · ' + residual : ''}${above}`, cvss, ale, status, acceptance, mits, stride, linddun, targets, refs && `References: ${refs}`);
}

function mitigationHover(a: Analysis, id: string): string {
  const m = a.parsed.model;
  const x = m.mitigations![id];
  const covered = Object.entries(m.threats ?? {}).filter(([, t]) => (t.mitigations ?? []).includes(id));
  const evidence = x.evidence?.length ? `Evidence:\n\n${x.evidence.map(e => `- ${mdText(e, 200)}`).join('\n')}` : 'Evidence: none';
  const threats = covered.length
    ? `Covers ${covered.length} threat(s):\n\n${covered.map(([t, th]) => `- ${code(t)} ${mdText(th.title, 80)} (${a.assessments.get(t)?.level ?? 'unrated'})`).join('\n')}`
    : 'Covers no threat yet: link it from a threat\'s `mitigations:`.';
  return para(`**${mdText(x.title)}** ${code(id)}`, `Status: **${x.status}**. ${MITIGATION_STATUS_EXPLAINED[x.status] ?? ''}`, x.owner && `Owner: ${mdText(x.owner, 80)}`, evidence, threats);
}

function boundaryHover(a: Analysis, id: string): string {
  const m = a.parsed.model;
  const b = m.boundaries![id];
  const chain = a.graph.boundaryChain(id);
  const inside = Object.entries(m.elements ?? {}).filter(([, e]) => e.boundary === id).map(([e]) => code(e));
  return para(`**${mdText(b.name)}** ${code(id)} · trust boundary`, `Trust: **${b.trust}**. ${TRUST_EXPLAINED[b.trust] ?? ''}`,
    chain.length > 1 && `Inside: ${chain.slice(1).map(c => code(c)).join(' ⊂ ')}`, `Elements: ${inside.join(', ') || 'none'}`);
}

function assetHover(a: Analysis, id: string): string {
  const m = a.parsed.model;
  const x = m.assets![id];
  const storedIn = Object.entries(m.elements ?? {}).filter(([, e]) => (e.stores ?? []).includes(id)).map(([e]) => code(e));
  const carried = Object.entries(m.flows ?? {}).filter(([, f]) => (f.data ?? []).includes(id)).map(([f]) => code(f));
  const value = x.value !== undefined ? `Value: ${x.value.toLocaleString('en-US')}${m.policy?.currency ? ' ' + mdText(m.policy.currency) : ''}` : undefined;
  return para(`**${mdText(x.name)}** ${code(id)} · asset`, `Classification: **${x.classification}**`, value,
    `Stored in: ${storedIn.join(', ') || 'nothing'}`, `Carried by: ${carried.join(', ') || 'no flow'}`);
}

function flowHover(a: Analysis, id: string): string {
  const m = a.parsed.model;
  const f = m.flows![id];
  const yes = (v: boolean | undefined, w: string) => (v === undefined ? `${w}: not stated` : `${w}: ${v ? 'yes' : '**no**'}`);
  const crosses = a.graph.crossesBoundary(f) ? 'Crosses a trust boundary.' : undefined;
  return para(`**${mdText(f.name ?? id)}** ${code(id)} · flow ${code(f.from)} → ${code(f.to)}${f.protocol ? ` over ${mdText(f.protocol, 40)}` : ''}`,
    [yes(f.encrypted, 'encrypted'), yes(f.authenticated, 'authenticated')].join(' · '), crosses,
    f.data?.length ? `Data: ${f.data.map(d => code(d)).join(', ')}` : 'Data: not stated', threatsByLevel(a, id));
}

function entityHover(a: Analysis, kind: IdKind, id: string): string | undefined {
  const m = a.parsed.model;
  switch (kind) {
    case 'element': return m.elements?.[id] && elementHover(a, id);
    case 'threat': return m.threats?.[id] && threatHover(a, id);
    case 'mitigation': return m.mitigations?.[id] && mitigationHover(a, id);
    case 'boundary': return m.boundaries?.[id] && boundaryHover(a, id);
    case 'asset': return m.assets?.[id] && assetHover(a, id);
    case 'flow': return m.flows?.[id] && flowHover(a, id);
    case 'attack_tree': return m.attack_trees?.[id] && para(`**${mdText(m.attack_trees[id].goal)}** ${code(id)} · attack tree`);
  }
}

/** The metadata of rules that are not built in: those of the model's team libraries (src/core/library). */
export type RuleLookup = (ruleId: string) => RuleMeta | undefined;

function ruleHover(ruleId: string, why: string | undefined, lookup?: RuleLookup): string {
  const meta = ruleMeta(ruleId);
  if (!meta) {
    // A team library's rule: its texts come from a library file (untrusted), so every one is escaped.
    const lib = lookup?.(ruleId);
    if (!lib) return para(`Rule ${code(ruleId)}`, why && `Why: ${mdText(why, 1000)}`);
    return para(`**${mdText(lib.title, 200)}** · rule ${code(lib.id)} of a team library`, lib.description && mdText(lib.description, 1000),
      lib.advice && `What to do: ${mdText(lib.advice, 1000)}`, why && `Why: ${mdText(why, 1000)}`,
      lib.why && `Why it matters: ${mdText(lib.why, 1000)}`);
  }
  // Rule metadata is our own text (it uses backticks for code on purpose); `why` is built from the file.
  return para(`**${meta.title}** · rule ${code(meta.id)}`, meta.description, `What to do: ${meta.advice}`,
    why && `Why: ${mdText(why, 1000)}`, meta.falsePositives && `False positives: ${meta.falsePositives}`,
    meta.why && `[Why does this matter?](${ruleWhyUrl(meta.id)})`);
}

export function hoverAt(a: Analysis, offset: number, lookup?: RuleLookup): HoverText | undefined {
  const parts: string[] = [];
  let range: Range | undefined;
  const at = idAt(a, offset);
  if (at) {
    const text = entityHover(a, at.kind, at.id);
    if (text) parts.push(text);
    else if (!at.defined) parts.push(`${code(at.id)} is not defined in this file.`);
    range = at.range;
  } else {
    const node = nodeAt(a.parsed.doc, offset);
    if (node?.role === 'value' && node.value !== undefined) {
      // A threat's `rule:` (the design rule that suggested it) explains that rule.
      const text = explainValue(node.path, node.value) ?? (node.path[0] === 'threats' && node.path[2] === 'rule' && (ruleMeta(node.value) || lookup?.(node.value)) ? ruleHover(node.value, undefined, lookup) : undefined);
      if (text) { parts.push(text); range = node.range; }
    }
  }
  const seen = new Set<string>();
  for (const f of a.findings) {
    if (f.range.start > offset || offset > f.range.end || seen.has(f.ruleId)) continue;
    seen.add(f.ruleId);
    parts.push(ruleHover(f.ruleId, f.why, lookup));
    range ??= f.range;
  }
  if (!parts.length || !range) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}

