import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { pastaChecklist, type PastaStageStatus } from '../../../src/core/methods/pasta';
import { renderReport } from '../../../src/core/render/report';
import { PASTA_STAGES } from '../../../src/core/model/schema';
import type { Finding } from '../../../src/core/types';
import { findingLine } from '../helpers';

const NOW = new Date('2026-11-29T12:00:00Z');

/** A model that holds everything the seven stages need. */
const COMPLETE = `rampart: 1
title: Shop
scope:
  in: [Checkout, Orders]
policy:
  tolerance: medium
  methodology: pasta
pasta:
  objectives:
    - Take orders online around the clock
  threat_intel:
    - CISA KEV catalog, weekly
  vulnerability_sources:
    - Dependency scanning in CI
  sign_off: { by: Dana Lee, role: CISO, date: 2026-11-20 }
assets:
  orders: { name: Orders, classification: confidential }
boundaries:
  dmz: { name: DMZ, trust: partial }
elements:
  customer: { type: external, name: Customer }
  api: { type: process, name: API, technology: nginx 1.20.1, boundary: dmz }
  db: { type: store, name: Orders DB, components: ["pkg:npm/pg@8.11.0"], stores: [orders] }
flows:
  order: { from: customer, to: api, data: [orders] }
  save: { from: api, to: db, data: [orders] }
threats:
  sqli:
    title: SQL injection
    stride: [tampering]
    targets: [api]
    cwe: [CWE-89]
    likelihood: possible
    impact: major
    status: open
  outage:
    title: DB outage
    targets: [db]
    status: not-applicable
    justification: Managed service
attack_trees:
  steal-orders:
    goal: Steal the orders
    or:
      - threat: sqli
`;

const checklist = (text: string) => {
  const a = analyze(text, { now: NOW });
  return pastaChecklist(a.parsed.model, a.assessments);
};
const stage = (list: PastaStageStatus[], s: string) => list.find(x => x.stage === s)!;
const incomplete = (list: PastaStageStatus[]) => list.filter(s => !s.complete).map(s => s.stage);
const pastaFindings = (text: string) => analyze(text, { now: NOW }).findings.filter(f => f.ruleId.startsWith('pasta/'));
const lineOfText = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('PASTA checklist', () => {
  it('an empty model: seven stages in PASTA order, none complete, each saying what to add', () => {
    const list = checklist('rampart: 1\ntitle: Empty\n');
    assert.deepEqual(list.map(s => s.stage), [...PASTA_STAGES]);
    assert.deepEqual(list.map(s => s.number), [1, 2, 3, 4, 5, 6, 7]);
    for (const s of list) {
      assert.equal(s.complete, false, s.stage);
      assert.ok(s.missing.length > 0, s.stage);
    }
    assert.match(stage(list, 'business-objectives').missing.join(), /pasta\.objectives/);
    assert.match(stage(list, 'technical-scope').missing.join(), /scope\.in/);
    assert.match(stage(list, 'application-decomposition').missing.join(), /elements:.*flows:.*boundaries:/);
    assert.match(stage(list, 'threat-analysis').missing.join(), /threats:.*pasta\.threat_intel/);
    assert.match(stage(list, 'vulnerability-analysis').missing.join(), /pasta\.vulnerability_sources/);
    assert.match(stage(list, 'attack-modelling').missing.join(), /attack_trees:/);
    assert.match(stage(list, 'risk-and-impact-analysis').missing.join(), /policy\.tolerance.*pasta\.sign_off/);
  });

  it('a complete model: every stage complete, each saying what it holds', () => {
    assert.deepEqual(analyze(COMPLETE, { now: NOW }).findings.filter(f => f.ruleId.startsWith('schema/')), [], 'the model is valid');
    const list = checklist(COMPLETE);
    assert.deepEqual(incomplete(list), []);
    for (const s of list) {
      assert.deepEqual(s.missing, [], s.stage);
      assert.ok(s.holds.length > 0, s.stage);
    }
    assert.match(stage(list, 'application-decomposition').holds.join(), /3 elements.*2 data flows.*1 trust boundary/);
    assert.match(stage(list, 'risk-and-impact-analysis').holds.join(), /1 of 1 threat rated/);
  });

  it('a partly filled model: names exactly what each unfinished stage lacks', () => {
    const text = COMPLETE
      .replace('  sign_off: { by: Dana Lee, role: CISO, date: 2026-11-20 }\n', '')
      .replace('technology: nginx 1.20.1, ', '')
      .replace('    cwe: [CWE-89]\n    likelihood: possible\n    impact: major\n', '')
      .replace(/attack_trees:[\s\S]*$/, '');
    const list = checklist(text);
    assert.deepEqual(incomplete(list), ['technical-scope', 'vulnerability-analysis', 'attack-modelling', 'risk-and-impact-analysis']);
    const scope = stage(list, 'technical-scope');
    assert.match(scope.missing.join(), /`api`/);
    assert.doesNotMatch(scope.missing.join(), /`db`|`customer`/, 'db has components; external entities are not asked');
    assert.match(stage(list, 'vulnerability-analysis').missing.join(), /cwe/);
    assert.doesNotMatch(stage(list, 'vulnerability-analysis').missing.join(), /vulnerability_sources/);
    const risk = stage(list, 'risk-and-impact-analysis');
    assert.match(risk.missing.join(), /`sqli`/, 'the unrated threat is named');
    assert.doesNotMatch(risk.missing.join(), /`outage`/, 'a not-applicable threat needs no rating');
    assert.match(risk.missing.join(), /pasta\.sign_off/);
  });

  it('out-of-scope elements are not asked for their technology; a CVE id in a tag names a vulnerability', () => {
    const text = COMPLETE
      .replace('  db: { type: store, name: Orders DB, components: ["pkg:npm/pg@8.11.0"], stores: [orders] }', '  db: { type: store, name: Orders DB, out_of_scope: true }')
      .replace('    cwe: [CWE-89]\n', '    tags: [cve-2021-44228]\n');
    assert.deepEqual(incomplete(checklist(text)), []);
    assert.deepEqual(incomplete(checklist(text.replace('    tags: [cve-2021-44228]\n', '    tags: [log4j]\n'))), ['vulnerability-analysis']);
    assert.deepEqual(incomplete(checklist(text.replace('cve-2021-44228', 'GHSA-jfh8-c2jp-5v3q'))), [], 'a GitHub advisory id counts too');
  });

  it('`done: true` with notes completes a stage; without notes it asks for them; `done: false` keeps a stage open', () => {
    const noTrees = COMPLETE.replace(/attack_trees:[\s\S]*$/, '');
    const withStage = (s: string) => noTrees.replace('pasta:\n', `pasta:\n  stages:\n    attack-modelling: ${s}\n`);
    assert.equal(stage(checklist(withStage('{ done: true, notes: Red-team exercise in October }')), 'attack-modelling').complete, true);
    const bare = stage(checklist(withStage('{ done: true }')), 'attack-modelling');
    assert.equal(bare.complete, false);
    assert.match(bare.missing.join(), /notes/);
    const open = stage(checklist(COMPLETE.replace('pasta:\n', 'pasta:\n  stages:\n    attack-modelling: { done: false }\n')), 'attack-modelling');
    assert.equal(open.complete, false);
    assert.match(open.missing.join(), /done: false/);
  });
});

describe('PASTA rules', () => {
  it('say nothing unless the model follows PASTA', () => {
    assert.equal(pastaFindings(COMPLETE.replace('  methodology: pasta\n', '')).length, 0);
    assert.equal(pastaFindings('rampart: 1\ntitle: Empty\npasta:\n  objectives: []\n').length, 0);
    assert.equal(pastaFindings(COMPLETE.replace('methodology: pasta', 'methodology: stride').replace(/attack_trees:[\s\S]*$/, '')).length, 0);
    assert.equal(pastaFindings(COMPLETE).length, 0, 'a complete model has no finding');
  });

  it('one finding per stage that is not complete, saying which stage and what to add', () => {
    const text = 'rampart: 1\ntitle: Empty\npolicy:\n  methodology: pasta\n';
    const fs = pastaFindings(text);
    assert.deepEqual(fs.map(f => f.ruleId).sort(), PASTA_STAGES.map(s => `pasta/${s}`).sort());
    const first = fs.find(f => f.ruleId === 'pasta/business-objectives')!;
    assert.match(first.message, /stage 1, business objectives/);
    assert.match(first.message, /pasta\.objectives/);
    assert.equal(first.severity, 'info');
  });

  it('lands on the stage entry, else the stage\'s field of `pasta:`, else `pasta:`, else `policy.methodology`', () => {
    const bare = 'rampart: 1\ntitle: Empty\npolicy:\n  methodology: pasta\n';
    const at = (text: string, rule: string) => {
      const f = pastaFindings(text).find(x => x.ruleId === rule) as Finding;
      return findingLine(text, f);
    };
    assert.equal(at(bare, 'pasta/attack-modelling'), lineOfText(bare, 'methodology'));
    const withPasta = bare + 'pasta:\n  objectives: []\n  stages:\n    threat-analysis: { notes: started }\n';
    assert.equal(at(withPasta, 'pasta/attack-modelling'), lineOfText(withPasta, 'pasta:'));
    assert.equal(at(withPasta, 'pasta/business-objectives'), lineOfText(withPasta, 'objectives: []'));
    assert.equal(at(withPasta, 'pasta/threat-analysis'), lineOfText(withPasta, 'threat-analysis:'));
  });

  it('the finding goes away once the stage holds what it needs', () => {
    const noSignOff = COMPLETE.replace('  sign_off: { by: Dana Lee, role: CISO, date: 2026-11-20 }\n', '');
    assert.deepEqual(pastaFindings(noSignOff).map(f => f.ruleId), ['pasta/risk-and-impact-analysis']);
    assert.deepEqual(pastaFindings(COMPLETE), []);
  });
});

describe('PASTA chapter of the report', () => {
  const report = (text: string) => renderReport(analyze(text, { now: NOW }), { fileName: 'shop.threatmodel.yaml', now: NOW });

  it('lists the seven stages with their status, what they hold and what they lack', () => {
    const text = COMPLETE.replace('  sign_off: { by: Dana Lee, role: CISO, date: 2026-11-20 }\n', '');
    const md = report(text);
    const chapter = md.slice(md.indexOf('## PASTA'), md.indexOf('## Findings'));
    assert.ok(md.indexOf('## PASTA') > 0, 'the chapter is there');
    assert.match(chapter, /6 of 7 stages complete/);
    assert.match(chapter, /\| 1 \| Business objectives \| ✅ complete \|/);
    assert.match(chapter, /\| 7 \| Risk and impact analysis \| ⬜ not complete \|.*`pasta\.sign_off`/);
    assert.match(chapter, /- Take orders online around the clock/);
  });

  it('encodes the team\'s text and is left out for a model that does not use PASTA', () => {
    const md = report(COMPLETE.replace('Take orders online around the clock', '"<img src=x> [click](https://evil.example)"'));
    assert.ok(md.includes('&lt;img src=x&gt; \\[click\\](https://evil.example)'));
    assert.ok(!md.includes('<img'));
    assert.ok(!report(COMPLETE.replace('  methodology: pasta\n', '').replace(/pasta:\n(  .*\n)+/, '')).includes('## PASTA'));
  });
});
