import assert from 'node:assert/strict';
import { IMPACTS, LIKELIHOODS, type Model, type RiskMatrix } from '../../../src/core/model/schema';
import { DEFAULT_MATRIX, DEFAULT_TOLERANCE, heatMap, isAbove, levelRank, matrixLevel, matrixOf, toleranceOf } from '../../../src/core/risk/matrix';

describe('risk matrix', () => {
  describe('default 5x5 matrix', () => {
    it('gives the documented level at the corners and the centre', () => {
      assert.equal(matrixLevel('rare', 'negligible'), 'low');
      assert.equal(matrixLevel('rare', 'severe'), 'medium');
      assert.equal(matrixLevel('almost-certain', 'negligible'), 'medium');
      assert.equal(matrixLevel('almost-certain', 'severe'), 'critical');
      assert.equal(matrixLevel('possible', 'moderate'), 'medium');
    });

    it('reaches critical only with a likely or almost-certain, major or severe threat', () => {
      const critical = LIKELIHOODS.flatMap(l => IMPACTS.filter(i => matrixLevel(l, i) === 'critical').map(i => `${l}/${i}`));
      assert.deepEqual(critical, ['likely/severe', 'almost-certain/major', 'almost-certain/severe']);
    });

    it('never lowers the level when likelihood or impact grows', () => {
      for (const [li, l] of LIKELIHOODS.entries()) {
        for (const [ii, i] of IMPACTS.entries()) {
          const here = levelRank(matrixLevel(l, i));
          if (li + 1 < LIKELIHOODS.length) assert.ok(levelRank(matrixLevel(LIKELIHOODS[li + 1], i)) >= here, `${l}/${i} vs more likely`);
          if (ii + 1 < IMPACTS.length) assert.ok(levelRank(matrixLevel(l, IMPACTS[ii + 1])) >= here, `${l}/${i} vs more impact`);
        }
      }
    });
  });

  describe('a policy matrix', () => {
    const strict: RiskMatrix = {
      rare: ['low', 'medium', 'medium', 'high', 'critical'],
      unlikely: ['medium', 'medium', 'high', 'high', 'critical'],
      possible: ['medium', 'high', 'high', 'critical', 'critical'],
      likely: ['high', 'high', 'critical', 'critical', 'critical'],
      'almost-certain': ['high', 'critical', 'critical', 'critical', 'critical'],
    };

    it('redefines the levels', () => {
      assert.equal(matrixLevel('rare', 'severe', strict), 'critical');
      assert.equal(matrixLevel('rare', 'severe'), 'medium');
    });

    it('is taken from policy.matrix, with the default otherwise', () => {
      const m: Pick<Model, 'policy'> = { policy: { matrix: strict } };
      assert.equal(matrixOf(m), strict);
      assert.equal(matrixOf({}), DEFAULT_MATRIX);
      assert.equal(matrixOf({ policy: { tolerance: 'high' } }), DEFAULT_MATRIX);
    });
  });

  describe('tolerance', () => {
    it('comes from the override, then policy.tolerance, then the default (medium)', () => {
      assert.equal(toleranceOf({ policy: { tolerance: 'high' } }, 'low'), 'low');
      assert.equal(toleranceOf({ policy: { tolerance: 'high' } }), 'high');
      assert.equal(toleranceOf({}), DEFAULT_TOLERANCE);
      assert.equal(DEFAULT_TOLERANCE, 'medium');
    });

    it('isAbove is strict: a level equal to the tolerance is within it', () => {
      assert.equal(isAbove('high', 'medium'), true);
      assert.equal(isAbove('medium', 'medium'), false);
      assert.equal(isAbove('low', 'medium'), false);
      assert.equal(isAbove('critical', 'high'), true);
      assert.equal(isAbove('critical', 'critical'), false);
    });

    it('orders levels low < medium < high < critical', () => {
      assert.deepEqual(['critical', 'low', 'high', 'medium'].map(l => levelRank(l as never)), [3, 0, 2, 1]);
    });
  });

  describe('heat map', () => {
    it('counts threats per (likelihood, impact) cell and skips unrated ones', () => {
      const grid = heatMap([
        { likelihood: 'likely', impact: 'major' },
        { likelihood: 'likely', impact: 'major' },
        { likelihood: 'rare', impact: 'negligible' },
        { likelihood: 'possible' },
        {},
      ]);
      assert.equal(grid.length, 5);
      assert.ok(grid.every(row => row.length === 5));
      assert.equal(grid[LIKELIHOODS.indexOf('likely')][IMPACTS.indexOf('major')], 2);
      assert.equal(grid[0][0], 1);
      assert.equal(grid.flat().reduce((a, b) => a + b, 0), 3);
    });
  });
});
