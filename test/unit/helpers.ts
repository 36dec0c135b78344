/** Test helpers: line of a finding, and a tiny valid model to start from. */
import type { Finding } from '../../src/core/types';

export const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
export const findingLine = (text: string, f: Finding) => lineOf(text, f.range.start);
export const ids = (fs: Finding[]) => fs.map(f => f.ruleId);

export const MINIMAL = `rampart: 1
title: Minimal
elements:
  api: { type: process, name: API }
`;
