/**
 * Fixes as data -> text edits. Every fix is idempotent: computing it on the text it produced returns no edits.
 * The CLI, the extension's code actions and the visual editor all call `computeFix`.
 */
import { STRIDE, type Stride } from '../model/schema';
import type { FixSpec, SuggestedThreat, TextEdit } from '../types';
import { YamlEditor } from './yamlEdit';
import { isoDay } from '../risk/assess';
import { catalogStub } from '../rules/stride/catalog';

export interface FixOptions {
  now?: Date;
  /** Days until a new acceptance expires (default 90). */
  acceptanceDays?: number;
}

export const STRIDE_SHORT: Record<Stride, string> = {
  spoofing: 'spoofing', tampering: 'tampering', repudiation: 'repudiation',
  'information-disclosure': 'disclosure', 'denial-of-service': 'dos', 'elevation-of-privilege': 'eop',
};

/** The id the "add mitigation" fix gives the mitigation of a threat. */
export const mitigationIdFor = (threatId: string) => `mitigate-${threatId.replace(/[@.]/g, '-')}`.slice(0, 64).replace(/-+$/, '');
export const strideStubId = (target: string, c: Stride) => `${target}-${STRIDE_SHORT[c]}`.slice(0, 128);
export const TODO = 'TODO';

export function computeFix(text: string, fix: FixSpec, opts: FixOptions = {}): TextEdit[] {
  const ed = new YamlEditor(text);
  const now = opts.now ?? new Date();
  switch (fix.kind) {
    case 'replace':
      return text.slice(fix.range.start, fix.range.end) !== fix.expect ? [] : [{ offset: fix.range.start, length: fix.range.end - fix.range.start, text: fix.text }];
    case 'add-mitigation': {
      const title = ed.get(['threats', fix.threat, 'title']);
      const mid = mitigationIdFor(fix.threat);
      if (!ed.has(['mitigations', mid])) {
        ed.insertEntry(['mitigations'], mid, { title: `${TODO}: mitigate "${typeof title === 'string' ? title : fix.threat}"`, status: 'proposed' });
      }
      ed.appendToSeq(['threats', fix.threat, 'mitigations'], mid);
      return ed.edits();
    }
    case 'accept-risk': {
      const status = fix.status ?? 'accepted';
      const p = ['threats', fix.threat];
      if (ed.get([...p, 'status']) !== status) ed.setScalar([...p, 'status'], status);
      if (!ed.get([...p, 'justification'])) ed.setScalar([...p, 'justification'], `${TODO}: why this risk is acceptable`);
      if (!ed.get([...p, 'accepted_by'])) ed.setScalar([...p, 'accepted_by'], TODO);
      if (!ed.get([...p, 'expires'])) {
        const expiry = new Date(now.getTime() + (opts.acceptanceDays ?? 90) * 86_400_000);
        ed.setScalar([...p, 'expires'], isoDay(expiry));
      }
      return ed.edits();
    }
    case 'add-stride-stubs': {
      for (const c of STRIDE.filter(s => fix.categories.includes(s))) {
        const id = strideStubId(fix.target, c);
        if (ed.has(['threats', id])) continue;
        const name = ed.get(['elements', fix.target, 'name']) ?? ed.get(['flows', fix.target, 'name']) ?? fix.target;
        ed.insertEntry(['threats'], id, catalogStub(ed.get(['elements', fix.target, 'type']) as string | undefined, c, fix.target, String(name), ed.get(['elements', fix.target, 'kind']) as string | undefined));
      }
      return ed.edits();
    }
    case 'create-element': {
      if (ed.has([fix.section, fix.id])) return [];
      const name = fix.id.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join(' ');
      const stub: Record<string, Record<string, unknown>> = {
        elements: { type: 'process', name },
        boundaries: { name, trust: 'partial' },
        assets: { name, classification: 'internal' },
        mitigations: { title: `${TODO}: ${name}`, status: 'proposed' },
        threats: { title: `${TODO}: ${name}`, status: 'open' },
      };
      ed.insertEntry([fix.section], fix.id, stub[fix.section]);
      return ed.edits();
    }
    case 'set-threat-status':
      if (!ed.has(['threats', fix.threat])) return [];
      ed.setScalar(['threats', fix.threat, 'status'], fix.status);
      return ed.edits();
    case 'set-mitigation-status':
      if (!ed.has(['mitigations', fix.mitigation])) return [];
      ed.setScalar(['mitigations', fix.mitigation, 'status'], fix.status);
      return ed.edits();
    case 'add-suggested-threat':
      addSuggested(ed, fix.id, fix.threat);
      return ed.edits();
    case 'add-suggested-threats':
      for (const t of fix.threats) addSuggested(ed, t.id, t.threat);
      return ed.edits();
  }
}

function addSuggested(ed: YamlEditor, id: string, t: SuggestedThreat) {
  if (ed.has(['threats', id])) return;
  const entry: Record<string, unknown> = { title: t.title };
  if (t.description) entry.description = t.description;
  if (t.statement && Object.values(t.statement).some(v => v !== undefined)) {
    entry.statement = Object.fromEntries(Object.entries(t.statement).filter(([, v]) => v !== undefined));
  }
  entry.stride = t.stride;
  entry.targets = t.targets;
  if (t.likelihood) entry.likelihood = t.likelihood;
  if (t.impact) entry.impact = t.impact;
  if (t.cwe?.length) entry.cwe = t.cwe;
  if (t.capec?.length) entry.capec = t.capec;
  entry.status = 'open';
  entry.rule = t.rule;
  ed.insertEntry(['threats'], id, entry);
}
