import assert from 'node:assert/strict';
import { diffModels } from '../../src/core/diff';

const NOW = new Date('2026-11-01T00:00:00Z');
const settings = { now: NOW };

const BASE = `# Payments model
rampart: 1
title: Payments API
policy: { tolerance: medium, currency: EUR }
assets:
  card-data: { name: Cardholder data, classification: restricted, value: 100000 }
elements:
  browser: { type: external, name: Browser }
  api: { type: process, name: API, processes: [card-data] }
  db: { type: store, name: DB, stores: [card-data], encrypted: true }
flows:
  query: { from: api, to: db, protocol: postgres, encrypted: true, authenticated: true }
threats:
  sqli:
    title: SQL injection
    stride: [tampering]
    targets: [api]
    likelihood: likely
    impact: major
    annual_rate: 0.5
    status: open
    mitigations: [prepared]
  replay:
    title: Token replay
    stride: [spoofing]
    targets: [api]
    likelihood: possible
    impact: major
    annual_rate: 0.1
    status: open
  dos:
    title: Flooding
    stride: [denial-of-service]
    targets: [api]
    likelihood: unlikely
    impact: minor
    status: open
mitigations:
  prepared: { title: Prepared statements, status: planned }
`;

/** The same model, reformatted: comments, key order, quoting, flow vs block style, CRLF. */
const REFORMATTED = `rampart: 1   # format version
"title": 'Payments API'
policy:
  currency: EUR
  tolerance: medium
assets:
  card-data:
    classification: restricted
    name: "Cardholder data"
    value: 100000
elements:
  api: { name: API, type: process, processes: [ card-data ] }
  browser: { type: external, name: Browser }
  db: { type: store, name: DB, stores: [card-data], encrypted: true }
flows:
  query: {from: api, to: db, protocol: postgres, encrypted: true, authenticated: true}
threats:
  # reordered, with comments
  dos: { title: Flooding, stride: [denial-of-service], targets: [api], likelihood: unlikely, impact: minor, status: open }
  replay:
    title: Token replay
    stride: [spoofing]
    targets: [api]
    likelihood: possible
    impact: major
    annual_rate: 0.1
    status: open
  sqli:
    title: SQL injection
    stride: [tampering]
    targets: [api]
    likelihood: likely
    impact: major
    annual_rate: 0.5
    status: open
    mitigations:
      - prepared
mitigations:
  prepared:
    title: Prepared statements
    status: planned   # ticket DB-12
`.replace(/\n/g, '\r\n');

/**
 * Head: `prepared` shipped (planned -> implemented, with evidence), so `sqli` is mitigated; `replay` is
 * accepted with a justification; `dos` is removed; `xss` is added (high, open); a flow `login` is added.
 */
const HEAD = BASE
  .replace('prepared: { title: Prepared statements, status: planned }', 'prepared: { title: Prepared statements, status: implemented, evidence: [src/db.ts] }')
  .replace(`    annual_rate: 0.1
    status: open`, `    annual_rate: 0.1
    status: accepted
    justification: Tokens expire after 5 minutes.
    accepted_by: CISO
    expires: 2027-06-30`)
  .replace(/  dos:\n(    .*\n)+?(?=mitigations:)/, `  xss:
    title: Stored XSS in the admin page
    stride: [tampering]
    targets: [api]
    likelihood: likely
    impact: major
    status: open
`)
  .replace('flows:\n', 'flows:\n  login: { from: browser, to: api, protocol: https, encrypted: true, authenticated: true }\n');

describe('risk diff', () => {
  it('reports nothing when only comments and formatting changed', () => {
    const { changes, markdown } = diffModels(BASE, REFORMATTED, settings, { fileName: 'payments.threatmodel.yaml' });
    assert.equal(changes.changed, false, JSON.stringify({ ...changes, before: undefined, after: undefined }, null, 1));
    assert.deepEqual(changes.threats, []);
    assert.deepEqual(changes.mitigations, []);
    assert.deepEqual(changes.sections, []);
    assert.deepEqual(changes.settings, []);
    assert.deepEqual(changes.findings, { introduced: [], fixed: [] });
    assert.match(markdown, /No risk-relevant change/);
  });

  it('matches findings by identity, not by line: lines shifted by an edit above are no change', () => {
    const shifted = BASE.replace('title: Payments API\n', 'title: Payments API\n# a\n# b\n# c\n');
    assert.equal(diffModels(BASE, shifted, settings).changes.changed, false);
    // A description is a real (settings) change, but no finding appears or disappears.
    const described = BASE.replace('title: Payments API\n', 'title: Payments API\ndescription: >\n  Card payments\n  for the shop.\n');
    const d = diffModels(BASE, described, settings).changes;
    assert.deepEqual(d.settings, ['description']);
    assert.deepEqual(d.findings, { introduced: [], fixed: [] });
    assert.deepEqual(d.threats, []);
  });

  it('names exactly what changed between two versions', () => {
    const { changes: d, markdown } = diffModels(BASE, HEAD, settings, { fileName: 'payments.threatmodel.yaml', baseLabel: 'main', headLabel: 'PR' });
    const byId = Object.fromEntries(d.threats.map(t => [t.id, t]));
    assert.deepEqual(Object.keys(byId).sort(), ['dos', 'replay', 'sqli', 'xss']);
    assert.equal(byId.xss.kind, 'added');
    assert.equal(byId.xss.after!.level, 'high');
    assert.equal(byId.xss.after!.aboveTolerance, true);
    assert.equal(byId.dos.kind, 'removed');

    // sqli: nothing in its entry changed, but its mitigation shipped.
    assert.equal(byId.sqli.kind, 'changed');
    assert.deepEqual(byId.sqli.fields, []);
    assert.deepEqual(byId.sqli.derived, ['residual', 'aboveTolerance']);
    assert.equal(byId.sqli.before!.residual, 'open');
    assert.equal(byId.sqli.after!.residual, 'mitigated');

    assert.deepEqual(byId.replay.fields.sort(), ['accepted_by', 'expires', 'justification', 'status']);
    assert.deepEqual(byId.replay.derived, ['residual', 'aboveTolerance']);

    assert.deepEqual(d.mitigations, [{ id: 'prepared', kind: 'changed', title: 'Prepared statements', statusBefore: 'planned', statusAfter: 'implemented', fields: ['status', 'evidence'] }]);
    assert.deepEqual(d.sections, [{ section: 'flows', added: ['login'], removed: [], changed: [] }]);
    assert.deepEqual(d.settings, []);

    // Totals before/after: above tolerance sqli+replay -> xss; annual loss 50,000+10,000 open -> 0.
    assert.equal(d.before.aboveTolerance, 2);
    assert.equal(d.after.aboveTolerance, 1);
    assert.equal(d.before.annualLoss, 60_000);
    assert.equal(d.after.annualLoss, 0);
    assert.equal(d.after.byResidual.accepted, 1);
    assert.equal(d.riskDecreased, true);
    assert.equal(d.riskIncreased, false);

    // Findings by stable id.
    const intro = d.findings.introduced.map(f => f.key);
    const fixed = d.findings.fixed.map(f => f.key);
    assert.ok(intro.includes('risk/unmitigated-above-tolerance@xss'), intro.join());
    assert.ok(fixed.includes('risk/unmitigated-above-tolerance@sqli'), fixed.join());
    assert.ok(fixed.includes('risk/unmitigated-above-tolerance@replay'), fixed.join());
    assert.ok(!intro.some(k => k.includes('@sqli') || k.includes('@replay')));
    const xssLine = HEAD.split('\n').findIndex(l => l.trim() === 'xss:') + 1;
    assert.equal(d.findings.introduced.find(f => f.key === 'risk/unmitigated-above-tolerance@xss')!.line, xssLine);

    // The Markdown says the same.
    assert.match(markdown, /^## Rampart risk diff: Payments API$/m);
    assert.match(markdown, /`payments.threatmodel.yaml` · main → PR/);
    assert.match(markdown, /> \*\*Risk went down:\*\* 1 open threat above the medium tolerance \(was 2\)/);
    assert.match(markdown, /\| Open threats above tolerance \| 2 \| 1 \| −1 \|/);
    assert.match(markdown, /\| Annual loss, open threats \| EUR 60,000 \| EUR 0 \| −EUR 60,000 \|/);
    assert.match(markdown, /Stored XSS in the admin page<br>`xss` \| ➕ added \| 🟠 high \| ⛔ open \|/);
    assert.match(markdown, /`dos` \| ➖ removed \|/);
    assert.match(markdown, /`sqli` \| ✏️ residual open → mitigated \|/);
    assert.match(markdown, /`replay` \| ✏️ status open → accepted; residual open → accepted; changed: `justification`, `accepted_by`, `expires` \|/);
    assert.match(markdown, /`prepared` \| ✏️ status planned → implemented; changed: `evidence` \|/);
    assert.match(markdown, /- \*\*flows\*\*: added `login`/);
    assert.match(markdown, /\*\*Introduced \(\d+\)\*\*/);
    assert.match(markdown, /\*\*Fixed \(\d+\)\*\*/);
  });

  it('flags a risk increase and the level change of an edited threat', () => {
    const worse = BASE.replace('likelihood: unlikely\n    impact: minor', 'likelihood: likely\n    impact: severe');
    const { changes: d, markdown } = diffModels(BASE, worse, settings);
    assert.deepEqual(d.threats.map(t => [t.id, t.fields, t.derived]), [['dos', ['likelihood', 'impact'], ['level', 'aboveTolerance']]]);
    assert.equal(d.riskIncreased, true);
    assert.match(markdown, /Risk went up/);
    assert.match(markdown, /level 🟢 low → 🔴 critical; now above tolerance; changed: `likelihood`, `impact`/);
    assert.deepEqual(d.findings.introduced.map(f => f.key), ['risk/unmitigated-above-tolerance@dos']);
  });

  it('a new model and a deleted model', () => {
    const added = diffModels(null, BASE, settings, { fileName: 'new.threatmodel.yaml' });
    assert.equal(added.changes.threats.length, 3);
    assert.ok(added.changes.threats.every(t => t.kind === 'added'));
    assert.deepEqual(added.changes.findings.fixed, []);
    assert.match(added.markdown, /new model/);
    const removed = diffModels(BASE, null, settings);
    assert.ok(removed.changes.threats.every(t => t.kind === 'removed'));
    assert.equal(removed.changes.title, 'Payments API');
    assert.deepEqual(removed.changes.findings.introduced, []);
    assert.match(removed.markdown, /model deleted/);
  });

  it('escapes model text in the comment', () => {
    const evil = BASE.replace('title: Flooding', 'title: "Flood | <img src=x> [x](javascript:1) @team"');
    const { markdown } = diffModels(BASE, evil, settings);
    assert.ok(!markdown.includes('<img'));
    assert.ok(!/(?<!\\)\]\(javascript/.test(markdown), 'no link');
    assert.ok(markdown.includes('@\u200bteam'));
    assert.match(markdown, /Flood \\\| &lt;img src=x&gt; \\\[x\\\]\(javascript:1\)/);
    assert.match(markdown, /✏️ title \(was “Flooding”\)/);
  });
});
