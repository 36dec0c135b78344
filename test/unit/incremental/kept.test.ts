/**
 * The language server keeps an unchanged finding (and the diagnostic made of it) from one keystroke to the next
 * instead of building it again (core/rules/types.ts, `keptFindings`). What a user sees must never be stale: a
 * changed severity setting, an edit that moves the following lines without changing the text's length, a threat
 * that tracks another suggestion for the same element (the "Add all" fix), all show at once.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../../../src/core/analyze';
import { IncrementalAnalyzer } from '../../../src/core/incremental/analyzer';
import type { AnalysisSettings } from '../../../src/core/types';
import { diagnosticsOf } from '../../../src/server/handlers/diagnostics';
import { generateModel } from '../../../scripts/genModel';
import { assertSameAnalysis } from './equal';

const NOW = new Date('2026-03-01T00:00:00Z');
const MODEL = `rampart: 1
title: Kept findings
elements:
  browser: { type: external, name: Browser }
  api: { type: process, name: API }
  db: { type: store, name: Orders DB }
flows:
  browser-to-api: { from: browser, to: api, protocol: http }
  api-to-db: { from: api, to: db }
threats:
  t1:
    title: Token replay
    targets: [api]
    stride: [spoofing]
    likelihood: likely
    impact: major
    status: open
`;

const features = { diagnosticRelatedInformation: true, diagnosticTags: true, maxDiagnosticsPerFile: 1000 };
const uri = 'file:///kept.threatmodel.yaml';
const diagnostics = (text: string, version: number, settings: AnalysisSettings, a: IncrementalAnalyzer) =>
  diagnosticsOf(a.update(text, settings).findings, TextDocument.create(uri, 'threatmodel', version, text), uri, features);
const expected = (text: string, version: number, settings: AnalysisSettings) =>
  diagnosticsOf(analyze(text, settings).findings, TextDocument.create(uri, 'threatmodel', version, text), uri, features);

describe('incremental analysis: findings kept between updates', () => {
  it('a finding kept from the last update gets the severity the settings now give it', () => {
    const a = new IncrementalAnalyzer();
    const plain = { now: NOW };
    const first = a.update(MODEL, plain).findings.filter(f => f.ruleId === 'stride/coverage');
    assert.ok(first.length > 0 && first.every(f => f.severity === 'info'), 'stride/coverage is information by default');
    const edited = MODEL.replace('Token replay', 'Token replayed');
    const stricter = { now: NOW, severityOverrides: { 'stride/coverage': 'error' as const } };
    const after = a.update(edited, stricter);
    assertSameAnalysis(after, analyze(edited, stricter), 'severity override');
    assert.ok(after.findings.filter(f => f.ruleId === 'stride/coverage').every(f => f.severity === 'error'));
    const back = a.update(MODEL, plain);
    assertSameAnalysis(back, analyze(MODEL, plain), 'override removed');
    assert.ok(back.findings.filter(f => f.ruleId === 'stride/coverage').every(f => f.severity === 'info'));
  });

  it('an edit of the same length that moves the next lines down moves their diagnostics with them', () => {
    const a = new IncrementalAnalyzer();
    const settings = { now: NOW };
    diagnostics(MODEL, 1, settings, a);
    // A space replaced by a line break in the title: no offset moves, every following line does.
    const edited = MODEL.replace('title: Kept findings', 'title: Kept\n finding');
    assert.equal(edited.length, MODEL.length);
    for (const [i, text] of [edited, MODEL].entries()) {
      assert.deepEqual(diagnostics(text, i + 2, settings, a), expected(text, i + 2, settings), `edit ${i}`);
    }
    assert.notDeepEqual(expected(edited, 2, settings).map(d => d.range), expected(MODEL, 3, settings).map(d => d.range));
  });

  it('a threat that tracks one of two suggestions for an element takes the "Add all" fix off the other, and gives it back when removed', () => {
    // el-2, a store of customer data, has two suggestions; a threat for one of them changes the other's fixes
    // although nothing the other's rule reads has changed.
    const text = generateModel(10);
    const edited = text.replace('threats:\n', 'threats:\n  data-above-boundary-trust@el-2:\n    title: Customer data above the boundary\'s trust\n    stride: [information-disclosure]\n    targets: [el-2]\n    likelihood: unlikely\n    impact: major\n    status: open\n');
    assert.notEqual(edited, text);
    const a = new IncrementalAnalyzer();
    const settings = { now: NOW };
    const titles = (an: Analysis) => an.findings.filter(x => x.ruleId === 'design/unencrypted-confidential-store' && x.path?.[1] === 'el-2').flatMap(x => (x.fixes ?? []).map(fx => fx.title));
    const one = a.update(text, settings);
    assert.deepEqual(titles(one), ['Add suggested threat unencrypted-confidential-store@el-2', 'Add all 2 suggested threats for el-2']);
    const two = a.update(edited, settings);
    assertSameAnalysis(two, analyze(edited, settings), 'threat added');
    assert.deepEqual(titles(two), ['Add suggested threat unencrypted-confidential-store@el-2']);
    const back = a.update(text, settings);
    assertSameAnalysis(back, analyze(text, settings), 'threat removed');
    assert.deepEqual(titles(back), titles(one));
  });

  it('a threat that now considers another STRIDE category for an element takes it out of the element\'s coverage finding', () => {
    const a = new IncrementalAnalyzer();
    const settings = { now: NOW };
    const coverage = (an: Analysis) => an.findings.find(f => f.ruleId === 'stride/coverage' && f.path?.[1] === 'api')?.message;
    assert.match(coverage(a.update(MODEL, settings)) ?? '', /for tampering, repudiation/);
    const edited = MODEL.replace('stride: [spoofing]', 'stride: [spoofing, tampering]');
    const after = a.update(edited, settings);
    assertSameAnalysis(after, analyze(edited, settings), 'stride added');
    assert.match(coverage(after) ?? '', /for repudiation/);
    assert.doesNotMatch(coverage(after) ?? '', /tampering/);
  });
});
