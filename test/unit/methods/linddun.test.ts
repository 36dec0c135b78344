import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { personalDataTargets } from '../../../src/core/methods/linddun';
import { LINDDUN_CATALOG, LINDDUN_PER_ELEMENT, linddunCategories, linddunStub, type LinddunEntry } from '../../../src/core/rules/linddun/catalog';
import type { CatalogTarget } from '../../../src/core/rules/stride/catalog';
import { computeFix } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { completionsAt } from '../../../src/core/lang/completions';
import { hoverAt } from '../../../src/core/lang/hover';
import { renderReport } from '../../../src/core/render/report';
import { ELEMENT_KINDS, LINDDUN, threat } from '../../../src/core/model/schema';
import type { FixSpec } from '../../../src/core/types';

const NOW = new Date('2026-11-29T12:00:00Z');

const MODEL = `rampart: 1
title: Clinic
policy:
  methods: [stride, linddun]
assets:
  records: { name: Patient records, classification: restricted, personal: true }
  catalog: { name: Price list, classification: public }
  token: { name: Session token, classification: confidential }
elements:
  patient: { type: external, name: Patient, kind: human }
  portal: { type: process, name: Portal }
  ehr: { type: store, name: EHR database, stores: [records] }
  pricing: { type: process, name: Pricing, processes: [catalog] }
  lab: { type: external, name: Lab partner, kind: third-party }
  archive: { type: store, name: Old archive, stores: [records], out_of_scope: true }
  cache: { type: store, name: Cache }
flows:
  book: { from: patient, to: portal, data: [token], data_received: [records] }
  read: { from: portal, to: ehr, data: [records] }
  prices: { from: portal, to: pricing, data: [catalog] }
  results: { from: portal, to: lab, data: [records], out_of_scope: true }
  warm: { from: portal, to: cache, data: [token] }
threats:
  portal-profiling:
    title: Portal links visits into profiles
    linddun: [linking]
    targets: [portal]
    status: open
  portal-retention:
    title: Portal keeps logs too long
    linddun: [non-compliance, data-disclosure]
    targets: [portal]
    status: not-applicable
    justification: Logs hold no personal data
`;

const coverage = (text: string) => analyze(text, { now: NOW }).findings.filter(f => f.ruleId === 'linddun/coverage');
const about = (text: string, id: string) => coverage(text).find(f => f.path?.[1] === id);
const apply = (text: string, fix: FixSpec) => applyEdits(text, computeFix(text, fix, { now: NOW }));

describe('LINDDUN: where personal data is', () => {
  it('elements that store, process, send or receive personal data, and flows that carry it, in scope only', () => {
    const a = analyze(MODEL, { now: NOW });
    const targets = personalDataTargets(a.parsed.model);
    assert.deepEqual(targets.map(t => t.id), ['patient', 'portal', 'ehr', 'lab', 'book', 'read']);
    // pricing and cache only see data that is not personal; archive and results are out of scope
    assert.deepEqual(targets.find(t => t.id === 'book')!.assets, ['records'], 'data_received counts');
    assert.deepEqual(targets.find(t => t.id === 'lab')!.assets, ['records'], 'the far end of an out-of-scope flow still receives the data');
  });

  it('nothing when no asset is personal', () => {
    const a = analyze(MODEL.replace(', personal: true', ''), { now: NOW });
    assert.deepEqual(personalDataTargets(a.parsed.model), []);
  });

  it('categories per type: people linking, identifying, unawareness; third parties disclosure and compliance; the rest six', () => {
    assert.deepEqual(linddunCategories('external', 'human'), ['linking', 'identifying', 'unawareness']);
    assert.deepEqual(linddunCategories('external'), ['linking', 'identifying', 'unawareness']);
    assert.deepEqual(linddunCategories('external', 'third-party'), ['data-disclosure', 'non-compliance']);
    for (const type of ['process', 'store', undefined]) {
      assert.deepEqual(linddunCategories(type), ['linking', 'identifying', 'non-repudiation', 'detecting', 'data-disclosure', 'non-compliance'], String(type));
    }
  });
});

describe('LINDDUN catalog', () => {
  it('has an entry with a title, description, mitigation and statement for every category that applies', () => {
    const targets: [CatalogTarget, readonly string[]][] = [...Object.entries(LINDDUN_PER_ELEMENT) as [CatalogTarget, readonly string[]][], ['external', linddunCategories('external', 'third-party')]];
    for (const [target, cats] of targets) {
      for (const c of cats) {
        const e = LINDDUN_CATALOG[target][c as (typeof LINDDUN)[number]] as LinddunEntry;
        assert.ok(e, `${target} ${c}`);
        assert.match(e.title, /\{name\}/, e.title);
        assert.ok(e.description.length > 30 && e.mitigations[0].length > 10, e.title);
        assert.ok(e.statement.source && e.statement.prerequisites && e.statement.action && e.statement.impact, e.title);
        for (const cwe of e.cwe) assert.match(cwe, /^CWE-\d{1,5}$/);
      }
    }
  });

  it('builds stubs that the schema accepts, with the name filled in and the category set', () => {
    for (const type of ['external', 'process', 'store', undefined]) {
      for (const c of LINDDUN) {
        const stub = linddunStub(type, c, 'patient-portal', 'Patient portal');
        assert.ok(threat.safeParse(stub).success, `${type} ${c}`);
        assert.doesNotMatch(String(stub.title) + String(stub.description), /\{name\}/);
        assert.match(String(stub.title) + String(stub.description), /Patient portal/);
        assert.deepEqual(stub.linddun, [c]);
        assert.deepEqual(stub.targets, ['patient-portal']);
        assert.equal(stub.stride, undefined);
      }
    }
    assert.ok(ELEMENT_KINDS.includes('third-party'));
  });
});

describe('linddun/coverage', () => {
  it('asks each element and flow with personal data for the categories it has no threat for', () => {
    const fs = coverage(MODEL);
    assert.deepEqual(fs.map(f => f.path?.[1]), ['patient', 'portal', 'ehr', 'lab', 'book', 'read']);
    const portal = about(MODEL, 'portal')!;
    assert.equal(portal.severity, 'info');
    // linking is covered by an open threat, non-compliance and data disclosure by a not-applicable one
    assert.match(portal.message, /LINDDUN identifying, non-repudiation, detecting\.$/);
    assert.match(portal.message, /`records`/);
    assert.match(about(MODEL, 'patient')!.message, /linking, identifying, unawareness/);
    assert.match(about(MODEL, 'lab')!.message, /data-disclosure, non-compliance\.$/);
    const line = MODEL.slice(0, portal.range.start).split('\n').length;
    assert.equal(MODEL.split('\n')[line - 1].trim().startsWith('portal:'), true, 'on the element\'s line');
  });

  it('says nothing unless `policy.methods` includes linddun', () => {
    assert.equal(coverage(MODEL.replace('  methods: [stride, linddun]\n', '')).length, 0);
    assert.equal(coverage(MODEL.replace('methods: [stride, linddun]', 'methods: [stride]')).length, 0);
    assert.ok(coverage(MODEL.replace('methods: [stride, linddun]', 'methods: [linddun]')).length > 0);
  });

  it('`policy.methods: [linddun]` alone switches STRIDE coverage off', () => {
    const stride = (text: string) => analyze(text, { now: NOW }).findings.filter(f => f.ruleId === 'stride/coverage').length;
    assert.ok(stride(MODEL) > 0);
    assert.equal(stride(MODEL.replace('methods: [stride, linddun]', 'methods: [linddun]')), 0);
    assert.ok(stride(MODEL.replace('  methods: [stride, linddun]\n', '')) > 0, 'STRIDE is the default');
  });

  it('the fix adds catalog stubs for the missing categories, in the file\'s style, and the finding goes away', () => {
    const f = about(MODEL, 'ehr')!;
    const fix = f.fixes!.find(x => x.kind === 'add-linddun-stubs')!;
    assert.equal(fix.preferred, true);
    const after = apply(MODEL, fix);
    assert.match(after, /\n  ehr-linking:\n    title: Records in EHR database can be joined into profiles\n/);
    assert.match(after, /\n  ehr-detecting:\n[\s\S]*?    linddun: \[detecting\]\n    targets: \[ehr\]\n/);
    const a = analyze(after, { now: NOW });
    assert.equal(a.findings.filter(x => x.ruleId.startsWith('schema/')).length, 0, 'the stubs are valid');
    assert.equal(about(after, 'ehr'), undefined);
    assert.ok(about(after, 'portal'), 'other elements are still asked');
    assert.deepEqual(computeFix(after, fix, { now: NOW }), [], 'applying it again changes nothing');
  });

  it('the fix on a flow and on a third party uses their entries and adds only what is missing', () => {
    const flowFix = about(MODEL, 'read')!.fixes![0];
    const afterFlow = apply(MODEL, flowFix);
    assert.match(afterFlow, /\n  read-data-disclosure:\n    title: read carries more personal data than the receiver needs\n/);
    const portalFix = about(MODEL, 'portal')!.fixes![0];
    const afterPortal = apply(MODEL, portalFix);
    assert.ok(!afterPortal.includes('portal-linking:'), 'linking is already covered');
    assert.match(afterPortal, /\n  portal-identifying:\n/);
    const lab = apply(MODEL, about(MODEL, 'lab')!.fixes![0]);
    assert.match(lab, /\n  lab-non-compliance:\n    title: Sharing personal data with Lab partner has no legal basis\n/);
  });

  it('out-of-scope entries are not asked', () => {
    const text = MODEL.replace('  ehr: { type: store, name: EHR database, stores: [records] }', '  ehr: { type: store, name: EHR database, stores: [records], out_of_scope: true }');
    assert.equal(about(text, 'ehr'), undefined);
    assert.equal(about(MODEL, 'archive'), undefined);
    assert.equal(about(MODEL, 'results'), undefined);
  });
});

describe('LINDDUN in the editor and the report', () => {
  it('completion offers the LINDDUN categories with their meaning', () => {
    const text = MODEL.replace('linddun: [linking]', 'linddun: [linking, ]');
    const at = text.indexOf('linddun: [linking, ') + 'linddun: [linking, '.length;
    const items = completionsAt(text, at, analyze(text, { now: NOW }))!.items;
    assert.deepEqual(items.filter(i => i.kind === 'enum').map(i => i.label), LINDDUN.filter(c => c !== 'linking'));
    assert.match(items.find(i => i.label === 'detecting')!.documentation!, /undetectability/);
  });

  it('hovers explain a category and list a threat\'s categories', () => {
    const a = analyze(MODEL, { now: NOW });
    const value = hoverAt(a, MODEL.indexOf('linking]') + 2)!;
    assert.match(value.markdown, /^Linking \(L\)/);
    const onThreat = hoverAt(a, MODEL.indexOf('portal-retention:') + 2)!;
    assert.match(onThreat.markdown, /LINDDUN:\n\n- Non-compliance \(N\)[^\n]*\n- Data disclosure \(D\)/);
    const method = hoverAt(a, MODEL.indexOf('linddun]') + 2)!;
    assert.match(method.markdown, /personal: true/, 'the method in policy.methods is explained too');
  });

  it('the report shows a threat\'s LINDDUN categories next to STRIDE', () => {
    const text = MODEL.replace('    linddun: [linking]\n    targets: [portal]\n    status: open', '    stride: [information-disclosure]\n    linddun: [linking]\n    targets: [portal]\n    likelihood: likely\n    impact: major\n    status: open');
    const md = renderReport(analyze(text, { now: NOW }), { fileName: 'clinic.yaml', now: NOW });
    assert.match(md, /STRIDE: information-disclosure · LINDDUN: linking/);
  });
});
