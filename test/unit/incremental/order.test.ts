/**
 * The incremental analyzer reports an edited model's findings in the order of a full analysis, also where the
 * order is not the file's: an entry whose key is a number (`2024:`) is one JavaScript enumerates first, so one
 * validation of the whole model reports it first (found by the property test).
 */
import { analyze } from '../../../src/core/analyze';
import { IncrementalAnalyzer } from '../../../src/core/incremental/analyzer';
import { assertSameAnalysis } from './equal';

const SETTINGS = { now: new Date('2026-03-01T00:00:00Z') };
const MODEL = `rampart: 1
title: Numbered
elements:
  browser: { name: Browser }
  api: { type: process, name: API }
`;

describe('incremental analysis: the order of findings', () => {
  it('an invalid entry keyed by a number is reported where a full analysis reports it, before the others', () => {
    const a = new IncrementalAnalyzer();
    a.update(MODEL, SETTINGS);
    const edited = MODEL.replace('  api:', '  2024: 1\n  api:');
    assertSameAnalysis(a.update(edited, SETTINGS), analyze(edited, SETTINGS), 'numbered entry added');
    const again = edited.replace('  browser: { name: Browser }\n', '');
    assertSameAnalysis(a.update(again, SETTINGS), analyze(again, SETTINGS), 'an entry removed');
  });
});
