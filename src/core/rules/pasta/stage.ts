/**
 * What the `pasta/*` rules share: with `policy.methodology: pasta`, one finding for a stage of the checklist
 * (src/core/methods/pasta.ts) that is not complete, saying what to add. It lands on the stage's entry in
 * `pasta.stages`, else on the field of the `pasta:` section the stage is about, else on `pasta:`, else on
 * `policy.methodology`.
 */
import type { RuleContext, RuleFinding } from '../types';
import type { PastaStage } from '../../model/schema';
import type { Path } from '../../types';
import { pastaChecklist, type PastaStageStatus } from '../../methods/pasta';
import type { ThreatAssessment } from '../../risk/assess';

/** The field of the `pasta:` section each stage is about, when it has one. */
const STAGE_FIELD: Partial<Record<PastaStage, string>> = {
  'business-objectives': 'objectives',
  'threat-analysis': 'threat_intel',
  'vulnerability-analysis': 'vulnerability_sources',
  'risk-and-impact-analysis': 'sign_off',
};

/** One checklist per analysis (the seven rules share it): assessments are new for every analysis. */
const checklists = new WeakMap<ReadonlyMap<string, ThreatAssessment>, PastaStageStatus[]>();

function checklist(ctx: RuleContext): PastaStageStatus[] {
  let list = checklists.get(ctx.assessments);
  if (!list) {
    list = pastaChecklist(ctx.model, ctx.assessments);
    checklists.set(ctx.assessments, list);
  }
  return list;
}

function where(ctx: RuleContext, stage: PastaStage): Path {
  const field = STAGE_FIELD[stage];
  const candidates: Path[] = [['pasta', 'stages', stage], ...(field ? [['pasta', field]] : []), ['pasta'], ['policy', 'methodology']];
  return candidates.find(p => ctx.source.keyRange(p)) ?? ['policy', 'methodology'];
}

export function checkStage(ctx: RuleContext, stage: PastaStage): RuleFinding[] {
  if (ctx.model.policy?.methodology !== 'pasta') return [];
  const s = checklist(ctx).find(x => x.stage === stage);
  if (!s || s.complete) return [];
  const path = where(ctx, stage);
  return [{
    path,
    range: ctx.source.rangeFor(path),
    stableId: `pasta/${stage}`,
    message: `PASTA stage ${s.number}, ${s.title.toLowerCase()}, is not complete. To add: ${s.missing.join('; ')}.`,
    // `why` is shown as plain text: the checklist's code spans lose their backticks.
    why: `The model follows PASTA (policy.methodology: pasta). For this stage it holds ${s.holds.length ? s.holds.join('; ').replace(/`/g, '') : 'nothing yet'}.`,
  }];
}
