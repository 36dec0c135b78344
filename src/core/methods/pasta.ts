/**
 * The PASTA checklist (Process for Attack Simulation and Threat Analysis): for each of the seven stages, what
 * the model already holds for it and what is still missing. Most stages are answered by the rest of the model
 * (scope, elements, flows, boundaries, threats, attack trees, risk ratings); the `pasta:` section holds only
 * what nothing else does (objectives, threat-intelligence and vulnerability sources, notes, sign-off).
 *
 * A stage is complete when everything it needs is present, or when `pasta.stages.<stage>` says `done: true`
 * with notes (a team that did the stage outside the model says how). `done: false` keeps a stage open.
 *
 * Pure and linear in the model. `holds` and `missing` are our own sentences: they quote field names and ids
 * (validated kebab-case) in backticks and never hold text from the file, so renderers can encode them as rule
 * messages (`mdMessage`). The rules (`pasta/*`) and the report's PASTA chapter both read this.
 */
import { PASTA_STAGES, type Model, type PastaStage } from '../model/schema';
import type { ThreatAssessment } from '../risk/assess';

export interface PastaStageStatus {
  stage: PastaStage;
  /** 1 to 7, in PASTA's order. */
  number: number;
  title: string;
  complete: boolean;
  /** `pasta.stages.<stage>.done` as written (undefined when not written). */
  done: boolean | undefined;
  /** What the model holds for the stage. */
  holds: string[];
  /** What to add for the stage to be complete (empty when complete). */
  missing: string[];
}

export const PASTA_STAGE_TITLES: Record<PastaStage, string> = {
  'business-objectives': 'Business objectives',
  'technical-scope': 'Technical scope',
  'application-decomposition': 'Application decomposition',
  'threat-analysis': 'Threat analysis',
  'vulnerability-analysis': 'Vulnerability analysis',
  'attack-modelling': 'Attack modelling',
  'risk-and-impact-analysis': 'Risk and impact analysis',
};

/** How many ids a sentence names before it says "and N more". */
const NAMED = 5;
/** A CVE id, or a GitHub advisory id (the threat-intelligence fixes write them as tags). */
const VULNERABILITY_ID = /\b(?:CVE-\d{4}-\d{4,7}|GHSA(?:-[a-z0-9]{4}){3})\b/i;

const count = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const idList = (ids: readonly string[]) =>
  ids.slice(0, NAMED).map(id => `\`${id}\``).join(', ') + (ids.length > NAMED ? ` and ${ids.length - NAMED} more` : '');
const filled = (list: readonly string[] | undefined) => (list ?? []).filter(s => s.trim() !== '').length;

/** Whether a threat names a vulnerability: CWE ids, a CVSS vector, or a CVE (or GHSA) id in its text, tags or ticket. */
export function namesVulnerability(t: NonNullable<Model['threats']>[string]): boolean {
  if (t.cwe?.length || t.cvss) return true;
  return [t.title, t.description, t.ticket, t.source_id, ...(t.tags ?? [])].some(s => typeof s === 'string' && VULNERABILITY_ID.test(s));
}

/** What each stage needs, from the model alone: [holds, missing]. */
function evidence(model: Model, assessments: ReadonlyMap<string, ThreatAssessment>): Record<PastaStage, [string[], string[]]> {
  const pasta = model.pasta ?? {};
  const elements = Object.entries(model.elements ?? {});
  const flows = Object.keys(model.flows ?? {});
  const boundaries = Object.keys(model.boundaries ?? {});
  const assets = Object.keys(model.assets ?? {});
  const threats = Object.entries(model.threats ?? {});
  const trees = Object.keys(model.attack_trees ?? {});
  const out = {} as Record<PastaStage, [string[], string[]]>;

  // 1. Business objectives: only the pasta section can hold them.
  {
    const n = filled(pasta.objectives);
    out['business-objectives'] = n
      ? [[`${count(n, 'business objective')} (\`pasta.objectives\`)`], []]
      : [[], ['the business objectives the system serves, and what failing them would cost (`pasta.objectives`)']];
  }

  // 2. Technical scope: what is in scope, and what our own processes and stores run on.
  {
    const holds: string[] = [];
    const missing: string[] = [];
    const inScope = filled(model.scope?.in);
    if (inScope) holds.push(`${count(inScope, 'item')} in scope (\`scope.in\`)`);
    else missing.push('what is in scope (`scope.in`)');
    if (filled(model.scope?.out)) holds.push(`${count(filled(model.scope?.out), 'item')} out of scope (\`scope.out\`)`);
    const ours = elements.filter(([, e]) => e.type !== 'external' && !e.out_of_scope);
    const described = ours.filter(([, e]) => e.technology || e.components?.length || e.sbom);
    if (described.length) holds.push(`the technology of ${described.length} of ${count(ours.length, 'process and data store', 'processes and data stores')} (\`technology\`, \`components\`, \`sbom\`)`);
    const undescribed = ours.filter(([, e]) => !(e.technology || e.components?.length || e.sbom)).map(([id]) => id);
    if (!ours.length) missing.push('the processes and data stores in scope, with what they run on (`technology`)');
    else if (undescribed.length) missing.push(`what ${idList(undescribed)} ${undescribed.length === 1 ? 'runs' : 'run'} on (\`technology\`, \`components\` or \`sbom\`)`);
    out['technical-scope'] = [holds, missing];
  }

  // 3. Application decomposition: the data-flow diagram.
  {
    const holds: string[] = [];
    const missing: string[] = [];
    if (elements.length) holds.push(count(elements.length, 'element')); else missing.push('the elements: external entities, processes and data stores (`elements:`)');
    if (flows.length) holds.push(count(flows.length, 'data flow')); else missing.push('the data flows between them (`flows:`)');
    if (boundaries.length) holds.push(count(boundaries.length, 'trust boundary', 'trust boundaries')); else missing.push('the trust boundaries (`boundaries:`)');
    if (assets.length) holds.push(count(assets.length, 'asset'));
    out['application-decomposition'] = [holds, missing];
  }

  // 4. Threat analysis: the threats, and where intelligence about them comes from.
  {
    const holds: string[] = [];
    const missing: string[] = [];
    if (threats.length) {
      const categorised = threats.filter(([, t]) => t.stride?.length || t.linddun?.length).length;
      holds.push(`${count(threats.length, 'threat')} (${categorised} with STRIDE or LINDDUN categories)`);
    } else missing.push('the threats to the system (`threats:`)');
    const intel = filled(pasta.threat_intel);
    if (intel) holds.push(`${count(intel, 'threat-intelligence source')} (\`pasta.threat_intel\`)`);
    else missing.push('where threat intelligence comes from: feeds, reports, incident history (`pasta.threat_intel`)');
    out['threat-analysis'] = [holds, missing];
  }

  // 5. Vulnerability analysis: where vulnerabilities are found, and the threats that name them.
  {
    const holds: string[] = [];
    const missing: string[] = [];
    const sources = filled(pasta.vulnerability_sources);
    if (sources) holds.push(`${count(sources, 'vulnerability source')} (\`pasta.vulnerability_sources\`)`);
    else missing.push('where vulnerabilities come from: scanners, SBOMs, pen tests, bug bounty (`pasta.vulnerability_sources`)');
    const named = threats.filter(([, t]) => namesVulnerability(t)).length;
    if (named) holds.push(`${count(named, 'threat')} naming a vulnerability (CWE, CVE or CVSS)`);
    else missing.push('the vulnerabilities behind the threats: `cwe`, a CVE id or a `cvss` vector on a threat');
    out['vulnerability-analysis'] = [holds, missing];
  }

  // 6. Attack modelling: the attack trees.
  out['attack-modelling'] = trees.length
    ? [[count(trees.length, 'attack tree')], []]
    : [[], ['attack trees for the goals an attacker would pursue (`attack_trees:`)']];

  // 7. Risk and impact analysis: every threat rated against a declared tolerance, and a sign-off.
  {
    const holds: string[] = [];
    const missing: string[] = [];
    const tolerance = model.policy?.tolerance;
    if (tolerance) holds.push(`risk tolerance ${tolerance} (\`policy.tolerance\`)`);
    else missing.push('the risk tolerance the threats are rated against (`policy.tolerance`)');
    const ratable = threats.filter(([, t]) => t.status !== 'not-applicable').map(([id]) => id);
    const unrated = ratable.filter(id => assessments.get(id)?.level === undefined);
    const rated = ratable.length - unrated.length;
    if (rated) holds.push(`${rated} of ${count(ratable.length, 'threat')} rated`);
    const above = [...assessments.values()].filter(a => a.aboveTolerance).length;
    if (rated) holds.push(`${count(above, 'open threat')} above tolerance`);
    if (!ratable.length) missing.push('threats rated by likelihood and impact, or CVSS');
    else if (unrated.length) missing.push(`a rating (\`likelihood\` and \`impact\`, or \`cvss\`) for ${idList(unrated)}`);
    if (pasta.sign_off) holds.push(`a sign-off of ${pasta.sign_off.date} (\`pasta.sign_off\`)`);
    else missing.push('who signed the analysis off, and when (`pasta.sign_off`: by, date)');
    out['risk-and-impact-analysis'] = [holds, missing];
  }
  return out;
}

/** The seven stages in order, each with its status, what the model holds for it and what it lacks. */
export function pastaChecklist(model: Model, assessments: ReadonlyMap<string, ThreatAssessment>): PastaStageStatus[] {
  const found = evidence(model, assessments);
  return PASTA_STAGES.map((stage, i) => {
    const marked = model.pasta?.stages?.[stage];
    const notes = marked?.notes?.trim();
    const [holds, needed] = found[stage];
    const missing = [...needed];
    let complete = missing.length === 0;
    if (marked?.done === true) {
      if (notes) {
        complete = true;
        holds.push(`marked done, with notes (\`pasta.stages.${stage}\`)`);
        missing.length = 0;
      } else if (!complete) {
        missing.push(`notes on how the stage was done, to go with \`done: true\` (\`pasta.stages.${stage}.notes\`)`);
      }
    } else if (marked?.done === false) {
      complete = false;
      missing.push(`the stage is marked \`done: false\` (\`pasta.stages.${stage}\`): set it to true when it is`);
    }
    return { stage, number: i + 1, title: PASTA_STAGE_TITLES[stage], complete, done: marked?.done, holds, missing };
  });
}
