import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import type { AnalysisSettings } from '../../../src/core/types';
import { findingLine } from '../helpers';

const NOW = new Date('2026-11-27T00:00:00Z');
const run = (text: string, s: AnalysisSettings = {}) => analyze(text, { now: NOW, ...s }).findings;
const of = (text: string, rule: string, s: AnalysisSettings = {}) => run(text, s).filter(f => f.ruleId === rule);

const model = (threat: string, extra = '') => `rampart: 1
title: T
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }
threats:
  t1:
${threat.split('\n').map(l => '    ' + l).join('\n')}
mitigations:
  m-done: { title: Done, status: implemented, evidence: [src/a.ts] }
  m-planned: { title: Planned, status: planned }
${extra}`;

describe('risk/unmitigated-above-tolerance', () => {
  const R = 'risk/unmitigated-above-tolerance';
  it('fires on an open high threat with no mitigation, on the threat id line', () => {
    const text = model('title: X\ntargets: [api]\nlikelihood: likely\nimpact: major\nstatus: open');
    const f = of(text, R);
    assert.equal(f.length, 1);
    assert.equal(findingLine(text, f[0]), 7);
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /high risk, above the medium tolerance/);
    assert.deepEqual(f[0].fixes!.map(x => x.kind), ['add-mitigation', 'accept-risk', 'accept-risk']);
  });
  it('does not fire at or below tolerance', () => {
    assert.equal(of(model('title: X\nlikelihood: possible\nimpact: moderate\nstatus: open'), R).length, 0); // medium
  });
  it('does not fire when all linked mitigations are implemented', () => {
    assert.equal(of(model('title: X\nlikelihood: likely\nimpact: major\nstatus: open\nmitigations: [m-done]'), R).length, 0);
  });
  it('fires when only some mitigations are implemented, and says so', () => {
    const f = of(model('title: X\nlikelihood: likely\nimpact: major\nstatus: open\nmitigations: [m-done, m-planned]'), R);
    assert.match(f[0].message, /only 1 of 2 mitigations/);
  });
  it('does not fire on a valid acceptance; fires again once it expired', () => {
    const acc = (d: string) => model(`title: X\nlikelihood: likely\nimpact: major\nstatus: accepted\njustification: Low exposure\naccepted_by: CISO\nexpires: ${d}`);
    assert.equal(of(acc('2027-01-01'), R).length, 0);
    assert.equal(of(acc('2026-01-01'), R).length, 1);
  });
  it('respects the tolerance override from settings', () => {
    const text = model('title: X\nlikelihood: likely\nimpact: major\nstatus: open');
    assert.equal(of(text, R, { tolerance: 'high' }).length, 0);
    assert.equal(of(model('title: X\nlikelihood: possible\nimpact: moderate\nstatus: open'), R, { tolerance: 'low' }).length, 1);
  });
  it('can be disabled or re-graded by settings', () => {
    const text = model('title: X\nlikelihood: likely\nimpact: major\nstatus: open');
    assert.equal(of(text, R, { disabledRules: ['risk/'] }).length, 0);
    assert.equal(of(text, R, { severityOverrides: { [R]: 'warning' } })[0].severity, 'warning');
    assert.equal(of(text, R, { severityOverrides: { [R]: 'off' } }).length, 0);
  });
  it('uses a custom policy matrix', () => {
    const text = model('title: X\nlikelihood: rare\nimpact: negligible\nstatus: open').replace('policy: { tolerance: medium }',
      'policy:\n  tolerance: medium\n  matrix:\n    rare: [critical, critical, critical, critical, critical]\n    unlikely: [low, low, low, low, low]\n    possible: [low, low, low, low, low]\n    likely: [low, low, low, low, low]\n    almost-certain: [low, low, low, low, low]');
    assert.match(of(text, R)[0].message, /critical risk/);
  });
});

describe('risk/expired-acceptance', () => {
  const R = 'risk/expired-acceptance';
  it('fires on the expires value of an expired acceptance', () => {
    const text = model('title: X\nlikelihood: rare\nimpact: minor\nstatus: accepted\njustification: ok\naccepted_by: me\nexpires: 2026-01-31');
    const f = of(text, R);
    assert.equal(f.length, 1);
    assert.equal(text.slice(f[0].range.start, f[0].range.end), '2026-01-31');
    assert.match(f[0].message, /expired on 2026-01-31 \(300 day\(s\) ago\)/);
  });
  it('does not fire before the date', () => {
    assert.equal(of(model('title: X\nstatus: transferred\njustification: ok\naccepted_by: me\nexpires: 2026-11-27'), R).length, 0);
  });
});

describe('risk/mitigated-not-implemented', () => {
  const R = 'risk/mitigated-not-implemented';
  it('fires when a mitigated threat links a planned mitigation', () => {
    const text = model('title: X\nstatus: mitigated\nmitigations: [m-planned]');
    const f = of(text, R);
    assert.equal(text.slice(f[0].range.start, f[0].range.end), 'mitigated');
    assert.match(f[0].message, /`m-planned` is not implemented/);
  });
  it('fires when a mitigated threat links nothing', () => {
    assert.match(of(model('title: X\nstatus: mitigated'), R)[0].message, /links no mitigation/);
  });
  it('does not fire when all are implemented', () => {
    assert.equal(of(model('title: X\nstatus: mitigated\nmitigations: [m-done]'), R).length, 0);
  });
});

describe('risk/acceptance-without-justification', () => {
  const R = 'risk/acceptance-without-justification';
  it('fires when justification, owner or expiry is missing or a TODO', () => {
    assert.match(of(model('title: X\nstatus: accepted'), R)[0].message, /without `justification`, `accepted_by`, `expires`/);
    assert.match(of(model('title: X\nstatus: accepted\njustification: "TODO: fill"\naccepted_by: Ann\nexpires: 2027-01-01'), R)[0].message, /without `justification`/);
  });
  it('does not fire on a complete acceptance', () => {
    assert.equal(of(model('title: X\nstatus: accepted\njustification: Internal only\naccepted_by: Ann\nexpires: 2027-01-01'), R).length, 0);
  });
});

describe('risk/implemented-without-evidence and risk/evidence-not-found', () => {
  it('flags an implemented mitigation without evidence', () => {
    const text = model('title: X\nstatus: open', '  m-bare: { title: Bare, status: verified }\n');
    const f = of(text, 'risk/implemented-without-evidence');
    assert.equal(f.length, 1);
    assert.equal(findingLine(text, f[0]), 13);
  });
  it('checks evidence paths only when the front end can see files', () => {
    const text = model('title: X\nstatus: open');
    assert.equal(of(text, 'risk/evidence-not-found').length, 0);
    assert.equal(of(text, 'risk/evidence-not-found', { fileExists: () => false }).length, 1);
    assert.equal(of(text, 'risk/evidence-not-found', { fileExists: p => p === 'src/a.ts' }).length, 0);
  });
});

describe('risk/unrated-threat', () => {
  it('flags an open threat without likelihood/impact, not a closed one', () => {
    assert.equal(of(model('title: X\nstatus: open'), 'risk/unrated-threat').length, 1);
    assert.equal(of(model('title: X\nstatus: not-applicable'), 'risk/unrated-threat').length, 0);
  });
});

describe('stride/coverage', () => {
  const base = `rampart: 1
title: S
elements:
  user: { type: external, name: User }
  api: { type: process, name: API }
  db: { type: store, name: DB }
flows:
  q: { from: api, to: db }
`;
  it('reports the missing categories per element type', () => {
    const f = of(base, 'stride/coverage');
    const byId = Object.fromEntries(f.map(x => [x.path![1], x.message]));
    assert.match(byId.user, /spoofing, repudiation\.$/);
    assert.match(byId.api, /spoofing, tampering, repudiation, information-disclosure, denial-of-service, elevation-of-privilege/);
    assert.match(byId.db, /tampering, repudiation, information-disclosure, denial-of-service\.$/);
    assert.match(byId.q, /tampering, information-disclosure, denial-of-service\.$/);
    assert.equal(f[0].severity, 'info');
  });
  it('counts any threat status, including not-applicable', () => {
    const text = base + 'threats:\n  u1: { title: a, stride: [spoofing, repudiation], targets: [user], status: not-applicable }\n';
    assert.ok(!of(text, 'stride/coverage').some(f => f.path![1] === 'user'));
  });
});

describe('schema reference rules', () => {
  it('dangling references in every slot, each on its value', () => {
    const text = `rampart: 1
title: R
boundaries:
  dmz: { name: DMZ, trust: partial, parent: nowhere }
elements:
  api: { type: process, name: API, boundary: dmx, stores: [ghost-asset] }
flows:
  f1: { from: api, to: dbb, data: [ghost-asset] }
threats:
  t1: { title: T, targets: [apii], mitigations: [no-such], status: open }
attack_trees:
  g: { goal: G, or: [{ threat: t2 }, { tree: nope }] }
`;
    const f = of(text, 'schema/dangling-reference');
    const got = f.map(x => text.slice(x.range.start, x.range.end));
    assert.deepEqual(got.sort(), ['apii', 'dbb', 'dmx', 'ghost-asset', 'ghost-asset', 'no-such', 'nope', 'nowhere', 't2'].sort());
    assert.match(f.find(x => text.slice(x.range.start, x.range.end) === 'dmx')!.message, /Did you mean `dmz`\?/);
  });
  it('boundary parent cycles', () => {
    const text = 'rampart: 1\ntitle: C\nboundaries:\n  a: { name: A, trust: trusted, parent: b }\n  b: { name: B, trust: trusted, parent: a }\n';
    const f = of(text, 'schema/boundary-cycle');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /a -> b -> a/);
  });
  it('attack tree cycles', () => {
    const text = 'rampart: 1\ntitle: C\nattack_trees:\n  x: { goal: X, or: [{ tree: y }] }\n  y: { goal: Y, and: [{ leaf: step }, { tree: x }] }\n';
    const f = of(text, 'schema/attack-tree-cycle');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /x -> y -> x/);
  });
  it('an id shared by an element and a flow', () => {
    const text = 'rampart: 1\ntitle: D\nelements:\n  api: { type: process, name: API }\n  db: { type: store, name: DB }\nflows:\n  api: { from: api, to: db }\n';
    const f = of(text, 'schema/duplicate-id');
    assert.equal(f.length, 1);
    assert.equal(findingLine(text, f[0]), 7);
  });
  it('a reference to an entry that exists but is invalid is not dangling', () => {
    const text = 'rampart: 1\ntitle: D\nelements:\n  api: { type: proces, name: API }\n  db: { type: store, name: DB }\nflows:\n  f: { from: api, to: db }\n';
    assert.equal(of(text, 'schema/dangling-reference').length, 0);
    assert.equal(of(text, 'schema/invalid-value').length, 1);
  });
});

describe('risk/invalid-cvss', () => {
  it('flags a bad vector on its value, not a good one', () => {
    const bad = model('title: X\nstatus: open\ncvss: CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const f = of(bad, 'risk/invalid-cvss');
    assert.equal(f.length, 1);
    assert.equal(bad.slice(f[0].range.start, f[0].range.end), 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    assert.match(f[0].message, /AV/);
    assert.equal(of(model('title: X\nstatus: open\ncvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 'risk/invalid-cvss').length, 0);
  });
  it('a valid CVSS drives the level when the policy says so', () => {
    const text = model('title: X\nstatus: open\nlikelihood: rare\nimpact: minor\ncvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').replace('policy: { tolerance: medium }', 'policy: { tolerance: medium, risk_driver: cvss }');
    assert.match(of(text, 'risk/unmitigated-above-tolerance')[0].message, /critical risk/);
  });
});

describe('risk/attack-goal-reachable', () => {
  const R = 'risk/attack-goal-reachable';
  const tree = (goalThreatStatus: string, skimStatus: string, skimMitigations = '') => `rampart: 1
title: T
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }
threats:
  theft: { title: Card theft, targets: [api], likelihood: likely, impact: severe, status: ${goalThreatStatus} }
  skim: { title: Skimming, targets: [api], likelihood: possible, impact: major, status: ${skimStatus}${skimMitigations} }
mitigations:
  csp: { title: CSP, status: implemented, evidence: [https://example.org/csp] }
attack_trees:
  steal:
    goal: Steal cards
    threat: theft
    or:
      - threat: skim
      - and: [{ leaf: Phish an operator, cost: 500 }, { threat: theft }]
`;
  it('fires when a path to the goal of a high-risk threat is open, naming the path', () => {
    const text = tree('open', 'open');
    const f = of(text, R);
    assert.equal(f.length, 1);
    assert.equal(findingLine(text, f[0]), 12);
    assert.match(f[0].message, /`steal` \("Steal cards"\), which realises the critical-risk threat `theft`, is still reachable: Skimming \(skim\)/);
  });
  it('does not fire once every path is blocked by a mitigated threat', () => {
    assert.equal(of(tree('open', 'open', ', mitigations: [csp]').replace('status: open }\n  skim', 'status: open, mitigations: [csp] }\n  skim'), R).length, 0);
  });
  it('does not fire when the goal threat is within tolerance', () => {
    assert.equal(of(tree('open', 'open').replace('likelihood: likely, impact: severe', 'likelihood: rare, impact: minor'), R).length, 0);
  });
});
