import assert from 'node:assert/strict';
import type { AttackTree, Model } from '../../../src/core/model/schema';
import { assessAll } from '../../../src/core/risk/assess';
import { attackTreeCycles, evaluateTree, evaluateTrees } from '../../../src/core/risk/attackTrees';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Threats in every residual state the trees care about. */
function model(trees: Record<string, AttackTree>): Model {
  return {
    rampart: 1,
    title: 'Attack trees',
    mitigations: {
      done: { title: 'Done', status: 'implemented' },
      planned: { title: 'Planned', status: 'planned' },
    },
    threats: {
      open: { title: 'Open', status: 'open' },
      mitigated: { title: 'Mitigated', status: 'mitigated', mitigations: ['done'] },
      partial: { title: 'Partial', status: 'open', mitigations: ['done', 'planned'] },
      accepted: { title: 'Accepted', status: 'accepted', justification: 'j', accepted_by: 'CISO', expires: '2027-01-01' },
      transferred: { title: 'Transferred', status: 'transferred', justification: 'insured', expires: '2027-01-01' },
      expired: { title: 'Expired', status: 'accepted', justification: 'j', accepted_by: 'CISO', expires: '2026-01-01' },
      na: { title: 'N/A', status: 'not-applicable' },
    },
    attack_trees: trees,
  };
}

function evaluate(m: Model, id: string) {
  const r = evaluateTree(m, id, assessAll(m, { now: NOW }));
  assert.ok(r, `tree ${id} exists`);
  return r;
}

describe('attack trees', () => {
  describe('threat leaves follow the threat\'s residual state', () => {
    for (const [threat, reachable] of [
      ['open', true], ['partial', true], ['accepted', true], ['transferred', true], ['expired', true],
      ['mitigated', false], ['na', false],
    ] as const) {
      it(`${threat}: ${reachable ? 'reachable' : 'blocked'}`, () => {
        const r = evaluate(model({ g: { goal: 'G', or: [{ threat }] } }), 'g');
        assert.equal(r.reachable, reachable);
        assert.deepEqual(r.blockedLeaves.map(b => b.threat), reachable ? [] : [threat]);
      });
    }

    it('a threat id that does not exist counts as reachable', () => {
      assert.equal(evaluate(model({ g: { goal: 'G', or: [{ threat: 'ghost' }] } }), 'g').reachable, true);
    });

    it('a mitigation implemented since the model was written blocks the goal (status stays open)', () => {
      const m = model({ g: { goal: 'G', and: [{ threat: 'open' }, { leaf: 'Phish' }] } });
      m.threats!.open = { title: 'Open', status: 'open', mitigations: ['done'] };
      const r = evaluate(m, 'g');
      assert.equal(r.reachable, false);
      assert.deepEqual(r.blockedLeaves, [{ path: ['attack_trees', 'g', 'and', 0], threat: 'open', residual: 'mitigated' }]);
      assert.deepEqual(r.path, []);
    });
  });

  describe('AND and OR', () => {
    it('OR with one open branch is reachable through it', () => {
      const r = evaluate(model({ g: { goal: 'G', or: [{ threat: 'mitigated' }, { threat: 'open' }, { threat: 'na' }] } }), 'g');
      assert.equal(r.reachable, true);
      assert.deepEqual(r.path, [['attack_trees', 'g'], ['attack_trees', 'g', 'or', 1]]);
      assert.deepEqual(r.blockedLeaves.map(b => b.threat), ['mitigated', 'na']);
    });

    it('AND with one blocked child is unreachable', () => {
      const r = evaluate(model({ g: { goal: 'G', and: [{ leaf: 'Phish an operator' }, { threat: 'mitigated' }, { threat: 'open' }] } }), 'g');
      assert.equal(r.reachable, false);
      assert.equal(r.cheapestCost, undefined);
    });

    it('nested AND inside OR: the goal holds while one whole branch is open', () => {
      const m = model({
        g: { goal: 'G', or: [
          { threat: 'mitigated' },
          { and: [{ leaf: 'Phish an operator' }, { threat: 'accepted' }] },
        ] },
      });
      const r = evaluate(m, 'g');
      assert.equal(r.reachable, true);
      assert.deepEqual(r.path, [
        ['attack_trees', 'g'],
        ['attack_trees', 'g', 'or', 1],
        ['attack_trees', 'g', 'or', 1, 'and', 0],
        ['attack_trees', 'g', 'or', 1, 'and', 1],
      ]);
    });
  });

  describe('cost and probability', () => {
    const m = model({
      steal: { goal: 'Steal cards', or: [
        { label: 'Insider', and: [{ leaf: 'Bribe an admin', cost: 50_000, probability: 0.1 }, { leaf: 'Copy the vault', cost: 1_000, probability: 0.9 }] },
        { label: 'Replay', and: [{ threat: 'open', cost: 500, probability: 0.3 }, { leaf: 'Find a token', cost: 2_000, probability: 0.5 }] },
        { threat: 'mitigated', cost: 10, probability: 0.99 },
        { leaf: 'Brute force', cost: 20_000, probability: 0.2 },
      ] },
    });
    const r = evaluate(m, 'steal');

    it('AND sums costs, OR takes the cheapest reachable branch (a blocked cheaper one does not count)', () => {
      assert.equal(r.cheapestCost, 2_500);
      assert.deepEqual(r.path, [
        ['attack_trees', 'steal'],
        ['attack_trees', 'steal', 'or', 1],
        ['attack_trees', 'steal', 'or', 1, 'and', 0],
        ['attack_trees', 'steal', 'or', 1, 'and', 1],
      ]);
    });

    it('AND multiplies probabilities, OR takes the likeliest reachable branch, independently of cost', () => {
      // Insider 0.09, Replay 0.15, Brute force 0.2; the blocked 0.99 does not count.
      assert.equal(r.likeliestProbability, 0.2);
    });

    it('missing costs count as 0 and missing probabilities as 1; no numbers at all gives none', () => {
      const partial = evaluate(model({ g: { goal: 'G', and: [{ leaf: 'A', cost: 100 }, { leaf: 'B' }] } }), 'g');
      assert.equal(partial.cheapestCost, 100);
      assert.equal(partial.likeliestProbability, undefined);
      const cheapUnknown = evaluate(model({ g: { goal: 'G', or: [{ leaf: 'Known', cost: 100 }, { leaf: 'Unknown' }] } }), 'g');
      assert.equal(cheapUnknown.cheapestCost, 0);
      assert.deepEqual(cheapUnknown.path.at(-1), ['attack_trees', 'g', 'or', 1]);
      const none = evaluate(model({ g: { goal: 'G', or: [{ leaf: 'A' }] } }), 'g');
      assert.equal(none.cheapestCost, undefined);
      assert.equal(none.likeliestProbability, undefined);
    });

    it('a cost on an inner node is added, a probability multiplied', () => {
      const e = evaluate(model({ g: { goal: 'G', or: [{ cost: 10, probability: 0.5, and: [{ leaf: 'A', cost: 5, probability: 0.5 }] }] } }), 'g');
      assert.equal(e.cheapestCost, 15);
      assert.equal(e.likeliestProbability, 0.25);
    });

    it('equal costs: the likelier way is the path', () => {
      const e = evaluate(model({ g: { goal: 'G', or: [{ leaf: 'A', cost: 5, probability: 0.1 }, { leaf: 'B', cost: 5, probability: 0.7 }] } }), 'g');
      assert.deepEqual(e.path.at(-1), ['attack_trees', 'g', 'or', 1]);
    });
  });

  describe('tree references', () => {
    it('follows a tree: reference into the other tree, with its costs and paths', () => {
      const m = model({
        main: { goal: 'Main', and: [{ leaf: 'Get in', cost: 1 }, { tree: 'sub', cost: 2 }] },
        sub: { goal: 'Sub', or: [{ threat: 'mitigated', cost: 0 }, { leaf: 'Other way', cost: 7 }] },
      });
      const r = evaluate(m, 'main');
      assert.equal(r.reachable, true);
      assert.equal(r.cheapestCost, 10);
      assert.deepEqual(r.path, [
        ['attack_trees', 'main'],
        ['attack_trees', 'main', 'and', 0],
        ['attack_trees', 'main', 'and', 1],
        ['attack_trees', 'sub'],
        ['attack_trees', 'sub', 'or', 1],
      ]);
      assert.deepEqual(r.blockedLeaves.map(b => b.path), [['attack_trees', 'sub', 'or', 0]]);
      assert.equal(r.cycle, undefined);
    });

    it('a referenced tree whose goal is blocked blocks the AND that needs it', () => {
      const m = model({
        main: { goal: 'Main', and: [{ leaf: 'Get in' }, { tree: 'sub' }] },
        sub: { goal: 'Sub', and: [{ threat: 'na' }] },
      });
      assert.equal(evaluate(m, 'main').reachable, false);
    });

    it('a dangling tree reference is tolerated, unreachable and listed', () => {
      const m = model({ main: { goal: 'Main', or: [{ tree: 'nowhere' }, { threat: 'mitigated' }] } });
      const r = evaluate(m, 'main');
      assert.equal(r.reachable, false);
      assert.deepEqual(r.missingTrees, ['nowhere']);
      const withWay = evaluate(model({ main: { goal: 'Main', or: [{ tree: 'nowhere' }, { leaf: 'Walk in' }] } }), 'main');
      assert.equal(withWay.reachable, true);
    });

    it('a cycle is detected, reported and never followed', () => {
      const m = model({
        a: { goal: 'A', or: [{ tree: 'b' }, { leaf: 'Direct', cost: 9 }] },
        b: { goal: 'B', and: [{ tree: 'c' }] },
        c: { goal: 'C', or: [{ tree: 'a' }] },
      });
      const r = evaluate(m, 'a');
      assert.deepEqual(r.cycle, ['a', 'b', 'c', 'a']);
      assert.equal(r.reachable, true);
      assert.equal(r.cheapestCost, 9);
      // b's only way is through the cycle: unreachable, not an endless loop
      const b = evaluate(m, 'b');
      assert.equal(b.reachable, false);
      assert.deepEqual(b.cycle, ['a', 'b', 'c', 'a']);
    });

    it('a tree that leads into a cycle reports it; one outside does not', () => {
      const m = model({
        entry: { goal: 'Entry', or: [{ tree: 'x' }, { leaf: 'Other' }] },
        x: { goal: 'X', or: [{ tree: 'y' }] },
        y: { goal: 'Y', or: [{ tree: 'x' }] },
        apart: { goal: 'Apart', or: [{ leaf: 'Alone' }] },
      });
      assert.deepEqual(evaluate(m, 'entry').cycle, ['x', 'y', 'x']);
      assert.equal(evaluate(m, 'entry').reachable, true);
      assert.equal(evaluate(m, 'apart').cycle, undefined);
    });

    it('a tree referring to itself is a cycle of one', () => {
      const m = model({ self: { goal: 'Self', or: [{ tree: 'self' }, { leaf: 'Way' }] } });
      const r = evaluate(m, 'self');
      assert.deepEqual(r.cycle, ['self', 'self']);
      assert.deepEqual(r.path, [['attack_trees', 'self'], ['attack_trees', 'self', 'or', 1]]);
    });

    it('a tree used twice is evaluated once and gives the same answer both times', () => {
      const m = model({
        main: { goal: 'Main', and: [{ tree: 'sub' }, { tree: 'sub' }] },
        sub: { goal: 'Sub', or: [{ leaf: 'Step', cost: 3 }, { threat: 'mitigated' }] },
      });
      const r = evaluate(m, 'main');
      assert.equal(r.cheapestCost, 6);
      assert.equal(r.blockedLeaves.length, 1);
    });

    it('a long chain of tree references does not overflow', () => {
      const trees: Record<string, AttackTree> = {};
      for (let i = 0; i < 1000; i++) trees[`t${i}`] = { goal: `T${i}`, or: [i === 999 ? { leaf: 'End', cost: 1 } : { tree: `t${i + 1}`, cost: 1 }] };
      const r = evaluate(model(trees), 't0');
      assert.equal(r.reachable, true);
      assert.equal(r.cheapestCost, 1000);
    });
  });

  describe('attackTreeCycles (for the schema finding)', () => {
    it('lists one closed cycle per group of trees referring to each other, in file order', () => {
      const m = model({
        ok: { goal: 'OK', or: [{ leaf: 'x' }] },
        p: { goal: 'P', or: [{ and: [{ leaf: 'y' }, { tree: 'q' }] }] },
        q: { goal: 'Q', or: [{ tree: 'p' }, { tree: 'ok' }] },
        s: { goal: 'S', or: [{ tree: 's' }] },
        u: { goal: 'U', or: [{ tree: 'v' }] },
        v: { goal: 'V', or: [{ tree: 'w' }, { tree: 'u' }] },
        w: { goal: 'W', or: [{ tree: 'u' }] },
      });
      assert.deepEqual(attackTreeCycles(m), [['p', 'q', 'p'], ['s', 's'], ['u', 'v', 'u']]);
    });

    it('finds none in an acyclic model, or without trees', () => {
      assert.deepEqual(attackTreeCycles(model({ a: { goal: 'A', or: [{ tree: 'b' }, { tree: 'missing' }] }, b: { goal: 'B', or: [{ leaf: 'x' }] } })), []);
      assert.deepEqual(attackTreeCycles({ rampart: 1, title: 'Empty' }), []);
    });
  });

  describe('evaluateTrees / unknown ids', () => {
    it('evaluates every tree; an unknown tree id gives undefined', () => {
      const m = model({ a: { goal: 'A', or: [{ threat: 'open' }] }, b: { goal: 'B', or: [{ threat: 'na' }] } });
      const all = evaluateTrees(m, assessAll(m, { now: NOW }));
      assert.deepEqual([...all].map(([id, e]) => [id, e.reachable]), [['a', true], ['b', false]]);
      assert.equal(evaluateTree(m, 'zzz', new Map()), undefined);
    });
  });
});
