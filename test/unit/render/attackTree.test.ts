import assert from 'node:assert/strict';
import type { AttackTree } from '../../../src/core/model/schema';
import { attackTreeDiagram, nodeReachable } from '../../../src/core/render/attackTree';
import { parseFlowchart } from './mermaidParser';

const TREE: AttackTree = {
  goal: 'Steal card data',
  or: [
    { threat: 'plaintext-hop' },
    { threat: 'vault-dump' },
    { and: [{ threat: 'agent-phish' }, { leaf: 'Bypass the MFA', cost: 5000, probability: 0.1 }], label: 'Through support' },
    { tree: 'other' },
  ],
};

describe('render/attackTree', () => {
  it('draws the goal, gates, leaves, threat leaves and tree references as a top-down flowchart', async () => {
    const d = attackTreeDiagram(TREE, { blocked: id => id === 'vault-dump', threatTitle: id => `Title of ${id}` });
    assert.ok(d.text.startsWith('flowchart TB\n'));
    const p = await parseFlowchart(d.text);
    const kinds = Object.entries(d.nodes).map(([id, n]) => [n.kind, p.vertices.get(id)?.type]);
    assert.deepEqual(kinds, [
      ['goal', 'stadium'], ['threat', 'subroutine'], ['threat', 'subroutine'], ['and', 'hexagon'], ['threat', 'subroutine'], ['leaf', 'square'], ['tree', 'lean_right'],
    ]);
    assert.equal(p.edges.length, 6);
    const leaf = Object.entries(d.nodes).find(([, n]) => n.kind === 'leaf')!;
    assert.deepEqual(leaf[1].path, ['or', 2, 'and', 1]);
    assert.match(d.text, /Bypass the MFA<br>cost 5000 · p 0.1/);
    assert.match(d.text, /Title of plaintext-hop<br>threat plaintext-hop<br>reachable/);
  });

  it('styles threat leaves blocked or reachable from the predicate, and combines them through the gates', async () => {
    const allBlocked = attackTreeDiagram(TREE, { blocked: () => true, treeBlocked: () => true });
    assert.equal(allBlocked.reachable, false);
    const p = await parseFlowchart(allBlocked.text);
    for (const [id, n] of Object.entries(allBlocked.nodes)) {
      if (n.kind === 'threat') assert.ok(p.vertices.get(id)?.classes.includes('blocked'), id);
    }
    // AND is blocked as soon as one child is; OR needs every child blocked.
    const onlyPhishBlocked = (id: string) => id === 'agent-phish';
    assert.equal(nodeReachable({ and: [{ threat: 'agent-phish' }, { leaf: 'x' }] }, { blocked: onlyPhishBlocked }), false);
    assert.equal(nodeReachable({ or: [{ threat: 'agent-phish' }, { leaf: 'x' }] }, { blocked: onlyPhishBlocked }), true);
    const some = attackTreeDiagram(TREE, { blocked: onlyPhishBlocked });
    assert.equal(some.reachable, true);
    const gate = Object.entries(some.nodes).find(([, n]) => n.kind === 'and')!;
    assert.equal(gate[1].reachable, false);
  });

  it('keeps labels inert and the size bounded', async () => {
    const evil = '"]); click t0 call alert(1) %%{init}%% <img src=x onerror=alert(1)>';
    const wide: AttackTree = { goal: evil, and: Array.from({ length: 100 }, (_, i) => ({ or: Array.from({ length: 5 }, (_, j) => ({ leaf: `${evil} ${i}.${j}` })) })) };
    const d = attackTreeDiagram(wide, { blocked: () => false, maxNodes: 120 });
    assert.equal(Object.keys(d.nodes).length, 121, '120 nodes and one "more" node');
    assert.equal(d.truncated, 600 - 119);
    const p = await parseFlowchart(d.text);
    assert.equal(p.vertices.size, 121);
    for (const v of p.vertices.values()) assert.ok(!v.haveCallback && v.link === undefined);
    assert.deepEqual(p.config, {});
  });
});
