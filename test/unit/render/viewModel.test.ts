import assert from 'node:assert/strict';
import { parseModel } from '../../../src/core/model/parse';
import { buildViewModel, fatalProblem, revealRange, selectionAt } from '../../../src/core/render/viewModel';
import { lineCol } from '../../../src/core/lines';
import { parseFromWebview, parseToWebview } from '../../../src/shared/protocol';

const YAML = `rampart: 1
title: Shop
policy: { tolerance: medium }
boundaries:
  dmz: { name: DMZ, trust: partial }
elements:
  web: { type: process, name: Web, boundary: dmz }
  db: { type: store, name: Database }
flows:
  q: { from: web, to: db, protocol: sql }
threats:
  low-one: { title: Low one, targets: [db], likelihood: rare, impact: minor, status: open }
  crit: { title: Critical one, targets: [web, q], likelihood: almost-certain, impact: severe, status: open, mitigations: [waf] }
  done: { title: Done, targets: [web], likelihood: likely, impact: major, status: mitigated, mitigations: [tls] }
  na: { title: Not applicable, targets: [db], likelihood: likely, impact: major, status: not-applicable }
  unrated: { title: Unrated, targets: [ghost], status: open }
mitigations:
  waf: { title: WAF, status: planned }
  tls: { title: TLS everywhere, status: verified }
attack_trees:
  own-db:
    goal: Own the database
    or:
      - threat: done
      - and: [{ threat: crit }, { leaf: Guess the password }]
`;

describe('render/viewModel', () => {
  const parsed = parseModel(YAML);
  const { view, ranges } = buildViewModel(parsed, { now: new Date('2026-01-01') });

  it('sorts threat rows by risk, open before closed at the same level, unrated last', () => {
    assert.deepEqual(view.threats.map(t => t.id), ['crit', 'done', 'na', 'low-one', 'unrated']);
    const crit = view.threats[0];
    assert.equal(crit.level, 'critical');
    assert.equal(crit.aboveTolerance, true);
    assert.deepEqual(crit.targets, [{ id: 'web', kind: 'element', name: 'Web' }, { id: 'q', kind: 'flow', name: 'Web → Database' }]);
    assert.deepEqual(crit.mitigations, [{ id: 'waf', title: 'WAF', status: 'planned' }]);
    assert.equal(view.threats.find(t => t.id === 'done')?.residual, 'mitigated');
    assert.deepEqual(view.threats.find(t => t.id === 'unrated')?.targets, [{ id: 'ghost', kind: 'unknown', name: 'ghost' }]);
  });

  it('counts the heat map per likelihood x impact, open and total, without not-applicable threats', () => {
    const hm = view.heatMap;
    assert.equal(hm.total[4][4], 1); // almost-certain x severe
    assert.equal(hm.open[4][4], 1);
    assert.equal(hm.total[3][3], 1); // likely x major: the mitigated one; not-applicable left out
    assert.equal(hm.open[3][3], 0);
    assert.equal(hm.total[0][1], 1);
    assert.equal(hm.unrated, 1);
    assert.equal(hm.levels[4][4], 'critical');
    assert.equal(hm.total.flat().reduce((a, b) => a + b, 0), 3);
  });

  it('colours the diagram by open risk and leaves the legend to the webview', () => {
    assert.equal(view.graph.risk.web, 'critical');
    assert.equal(view.graph.risk.db, 'low');
    // colours travel apart from the Mermaid text, so a status edit recolours without a new layout
    assert.deepEqual(view.diagram.styles.nodes[view.diagram.nodeIds.web], ['critical']);
    assert.ok(!view.diagram.text.includes('classDef'));
    assert.ok(!view.diagram.text.includes('legend'));
  });

  it('evaluates attack trees with mitigated threats blocking their leaves', () => {
    const t = view.attackTrees[0];
    assert.equal(t.id, 'own-db');
    assert.equal(t.diagram.reachable, true);
    const states = Object.values(t.diagram.nodes).filter(n => n.kind === 'threat').map(n => [n.ref, n.reachable]);
    assert.deepEqual(states, [['done', false], ['crit', true]]);
    const blockedAll = buildViewModel(parsed, { blocked: () => true }).view.attackTrees[0];
    assert.equal(blockedAll.diagram.reachable, false);
  });

  it('indexes entry ranges for reveal and for the cursor, and resolves reveal targets by id', () => {
    const r = ranges.element.db;
    assert.ok(YAML.slice(r.start, r.end).startsWith('db: { type: store'));
    assert.deepEqual(selectionAt(ranges, r.start + 5), { kind: 'element', id: 'db' });
    assert.deepEqual(selectionAt(ranges, ranges.threat.crit.start + 3), { kind: 'threat', id: 'crit' });
    assert.equal(selectionAt(ranges, 0), undefined);
    const key = revealRange(parsed, { kind: 'threat', id: 'crit' })!;
    assert.equal(YAML.slice(key.start, key.end), 'crit');
    const leaf = revealRange(parsed, { kind: 'attack_tree', id: 'own-db', node: ['or', 1, 'and', 1] })!;
    assert.equal(YAML.slice(leaf.start, leaf.end), '{ leaf: Guess the password }');
    assert.equal(revealRange(parsed, { kind: 'element', id: 'nope' }), undefined);
  });

  it('summarises problems and reports fatal ones with a line', () => {
    assert.deepEqual(view.problems, { errors: 0, warnings: 0, first: undefined });
    const broken = parseModel(YAML.replace('  waf: { title: WAF, status: planned }', '  waf: { title: [WAF, status: planned }'));
    const fatal = fatalProblem(broken);
    assert.ok(fatal);
    assert.equal(fatal.line, 18);
    assert.equal(fatalProblem(parsed), undefined);
    const invalidEntry = parseModel(YAML.replace('status: planned', 'status: someday'));
    assert.equal(fatalProblem(invalidEntry), undefined, 'a schema error is not fatal: the rest is drawn');
    const vm = buildViewModel(invalidEntry).view;
    assert.equal(vm.problems.errors, 1);
    assert.equal(vm.problems.first?.line, 18);
    assert.deepEqual(lineCol('ab\ncd\n', 4), { line: 2, column: 2 });
  });

  it('is plain JSON that passes the protocol and survives structured cloning', () => {
    assert.deepEqual(structuredClone(view), view);
    const msg = JSON.parse(JSON.stringify({ type: 'update', version: 3, view }));
    assert.equal(msg.view.diagram.text, view.diagram.text);
    assert.ok(parseToWebview(msg));
    assert.equal(parseToWebview({ type: 'update', version: -1, view }), undefined);
  });
});

describe('shared/protocol (messages from the webview)', () => {
  it('accepts the four well-formed messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.ok(parseFromWebview({ type: 'reveal', kind: 'element', id: 'web' }));
    assert.ok(parseFromWebview({ type: 'reveal', kind: 'threat', id: 'design-unencrypted-flow@q' }));
    assert.ok(parseFromWebview({ type: 'reveal', kind: 'attack_tree', id: 'own-db', node: ['or', 1, 'and', 0] }));
    assert.ok(parseFromWebview({ type: 'setThreatStatus', id: 'crit', status: 'mitigated', version: 4 }));
    assert.ok(parseFromWebview({ type: 'setMitigationStatus', id: 'waf', status: 'implemented', version: 4 }));
  });

  it('refuses anything else: unknown types, extra keys, bad ids, statuses, paths and versions', () => {
    const bad = [
      null, 'ready', {}, { type: 'eval', code: 'x' },
      { type: 'ready', extra: 1 },
      { type: 'reveal', kind: 'element', id: '../../etc/passwd' },
      { type: 'reveal', kind: 'element', id: 'a@b' },
      { type: 'reveal', kind: 'file', id: 'x' },
      { type: 'reveal', kind: 'element', id: 'web', range: { start: 0, end: 10 } },
      { type: 'reveal', kind: 'attack_tree', id: 't', node: ['__proto__', 1] },
      { type: 'reveal', kind: 'attack_tree', id: 't', node: [1, 'or'] },
      { type: 'setThreatStatus', id: 'crit', status: 'done', version: 1 },
      { type: 'setThreatStatus', id: 'crit', status: 'open' },
      { type: 'setThreatStatus', id: 'crit', status: 'open', version: 1.5 },
      { type: 'setMitigationStatus', id: 'WAF', status: 'verified', version: 1 },
      { type: 'setMitigationStatus', id: 'x'.repeat(200), status: 'verified', version: 1 },
      { type: 'addEntry', intent: { kind: 'add-element', type: 'process', name: 'A' } },
      { type: 'addEntry', intent: { kind: 'write-file', path: '/etc/passwd' }, version: 1 },
      { type: 'addEntry', intent: 'add-element', version: 1 },
      { type: 'addEntry', intent: { kind: 'add-element', name: 'x'.repeat(30_000) }, version: 1 },
    ];
    for (const m of bad) assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
  });

  it('passes an addEntry intent of a known kind on (the server checks its fields with the full schema)', () => {
    const m = { type: 'addEntry', intent: { kind: 'add-flow', from: 'web', to: 'db', protocol: 'https' }, version: 4 };
    assert.deepEqual(parseFromWebview(m), m);
  });
});
