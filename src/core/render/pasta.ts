/**
 * The PASTA chapter of the Markdown report (render/report.ts): the seven stages with their status, what the
 * model holds for each and what is missing (src/core/methods/pasta.ts), then what the `pasta:` section says
 * in the team's words (objectives, threat-intelligence and vulnerability sources, stage notes, sign-off).
 *
 * Written for a model that follows PASTA (`policy.methodology: pasta`) or has a `pasta:` section; nothing
 * otherwise. The checklist's sentences are ours (`mdMessage`); every string from the model goes through
 * `mdText`/`mdCell`.
 */
import type { Analysis } from '../analyze';
import { pastaChecklist } from '../methods/pasta';
import { mdMessage, mdTable, mdText } from './markdown';

/** The chapter's lines (ending with a blank line), or none when the model does not use PASTA. */
export function pastaChapter(analysis: Analysis): string[] {
  const model = analysis.parsed.model;
  const follows = model.policy?.methodology === 'pasta';
  if (!follows && !model.pasta) return [];
  const stages = pastaChecklist(model, analysis.assessments);
  const done = stages.filter(s => s.complete).length;
  const out: string[] = ['## PASTA', ''];
  out.push(follows
    ? `The model follows PASTA (\`policy.methodology: pasta\`): **${done} of ${stages.length} stages complete**. A stage is complete when the model holds what it needs, or when \`pasta.stages\` marks it \`done: true\` with notes.`
    : `The model has a \`pasta:\` section but does not follow PASTA: set \`policy.methodology: pasta\` to have each stage that is not complete reported. ${done} of ${stages.length} stages complete.`, '');
  const cell = (items: readonly string[]) => items.map(i => mdMessage(i, 500)).join('<br>') || '—';
  out.push(mdTable(['#', 'Stage', 'Status', 'The model holds', 'Missing'], stages.map(s => [
    String(s.number), s.title, s.complete ? '✅ complete' : '⬜ not complete', cell(s.holds), cell(s.missing),
  ]), ['r', 'l', 'l', 'l', 'l']), '');

  const p = model.pasta;
  const list = (title: string, items: readonly string[] | undefined) => {
    const shown = (items ?? []).filter(i => i.trim() !== '');
    if (shown.length) out.push(`**${title}**`, '', ...shown.map(i => `- ${mdText(i)}`), '');
  };
  list('Business objectives', p?.objectives);
  list('Threat-intelligence sources', p?.threat_intel);
  list('Vulnerability sources', p?.vulnerability_sources);
  const notes = stages.filter(s => p?.stages?.[s.stage]?.notes?.trim());
  if (notes.length) {
    out.push('**Stage notes**', '', ...notes.map(s => `- **${s.number}. ${s.title}**${p!.stages![s.stage]!.done === true ? ' (marked done)' : ''}: ${mdText(p!.stages![s.stage]!.notes)}`), '');
  }
  if (p?.sign_off) {
    const so = p.sign_off;
    out.push(`**Signed off** by ${mdText(so.by, 200)}${so.role ? ` (${mdText(so.role, 200)})` : ''} on ${mdText(so.date, 10)}.`, '');
  }
  return out;
}
