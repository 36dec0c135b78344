/** `rampart/modelProgress`: what the guided first model's steps wait for, read from a model's text. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { modelProgress } from '../../../src/server/handlers/walkthrough';

describe('server: model progress for the walkthrough', () => {
  it('an empty model has done nothing yet; text that is not a model counts nothing', () => {
    assert.deepEqual(modelProgress('rampart: 1\ntitle: New\n'), { elements: 0, threats: 0, rated: 0, tolerance: false, treated: 0 });
    assert.deepEqual(modelProgress(': : [\n'), { elements: 0, threats: 0, rated: 0, tolerance: false, treated: 0 });
    assert.deepEqual(modelProgress(undefined), { elements: 0, threats: 0, rated: 0, tolerance: false, treated: 0 });
  });

  it('counts elements, threats, rated threats, the tolerance and treatments (mitigations and accepted risks)', () => {
    const text = `rampart: 1
title: Shop
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }
  db: { type: store, name: DB }
threats:
  rated: { title: Rated, stride: [spoofing], targets: [api], likelihood: likely, impact: major, status: open }
  scored: { title: Scored, stride: [tampering], targets: [api], cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", status: open }
  unrated: { title: Unrated, stride: [tampering], targets: [db], status: open }
  accepted: { title: Accepted, stride: [denial-of-service], targets: [db], likelihood: rare, impact: minor, status: accepted, justification: Small, accepted_by: Me, expires: 2030-01-01 }
`;
    assert.deepEqual(modelProgress(text), { elements: 2, threats: 4, rated: 3, tolerance: true, treated: 1 });
    const withMitigation = text.replace('status: open }\n  scored', 'status: open, mitigations: [m] }\n  scored') + 'mitigations:\n  m: { title: M, status: proposed }\n';
    assert.equal(modelProgress(withMitigation).treated, 2);
  });

  it('the starter model of "New Threat Model" has every step done but the report', () => {
    const p = modelProgress(fs.readFileSync(path.resolve(__dirname, '../../../examples/starter.threatmodel.yaml'), 'utf8'));
    assert.ok(p.elements > 0 && p.threats > 0 && p.rated > 0 && p.tolerance && p.treated > 0, JSON.stringify(p));
  });
});
