/**
 * Likelihood x impact -> level, with the 5x5 matrix as data so a policy can redefine it; tolerance checks.
 */
import { IMPACTS, LEVELS, LIKELIHOODS, type Impact, type Level, type Likelihood, type Model, type RiskMatrix } from '../model/schema';

/** The default matrix: rows are likelihoods (rare..almost-certain), columns impacts (negligible..severe). */
export const DEFAULT_MATRIX: RiskMatrix = {
  rare: ['low', 'low', 'low', 'medium', 'medium'],
  unlikely: ['low', 'low', 'medium', 'medium', 'high'],
  possible: ['low', 'medium', 'medium', 'high', 'high'],
  likely: ['medium', 'medium', 'high', 'high', 'critical'],
  'almost-certain': ['medium', 'high', 'high', 'critical', 'critical'],
};

export const DEFAULT_TOLERANCE: Level = 'medium';

export const levelRank = (l: Level): number => LEVELS.indexOf(l);
export const isAbove = (level: Level, tolerance: Level): boolean => levelRank(level) > levelRank(tolerance);

export function matrixLevel(likelihood: Likelihood, impact: Impact, matrix: RiskMatrix = DEFAULT_MATRIX): Level {
  return matrix[likelihood][IMPACTS.indexOf(impact)];
}

export function matrixOf(model: Pick<Model, 'policy'>): RiskMatrix {
  return model.policy?.matrix ?? DEFAULT_MATRIX;
}

export function toleranceOf(model: Pick<Model, 'policy'>, override?: Level): Level {
  return override ?? model.policy?.tolerance ?? DEFAULT_TOLERANCE;
}

/** Heat-map cells: counts of threats per (likelihood, impact), rows in LIKELIHOODS order. */
export function heatMap<T extends { likelihood?: Likelihood; impact?: Impact }>(threats: Iterable<T>): number[][] {
  const grid = LIKELIHOODS.map(() => IMPACTS.map(() => 0));
  for (const t of threats) {
    if (t.likelihood && t.impact) grid[LIKELIHOODS.indexOf(t.likelihood)][IMPACTS.indexOf(t.impact)]++;
  }
  return grid;
}
