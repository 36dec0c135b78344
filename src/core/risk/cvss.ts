/**
 * CVSS 3.1 / 4.0 vector validation and base scoring. (Placeholder interface: scoring lands with the CVSS
 * library in the analysis-depth work; until then every vector is reported as unscored.)
 */
import type { Level } from '../model/schema';

export interface CvssScore {
  ok: true;
  version: '3.0' | '3.1' | '4.0';
  vector: string;
  baseScore: number;
  severity: 'none' | 'low' | 'medium' | 'high' | 'critical';
}
export interface CvssError {
  ok: false;
  error: string;
}

export function scoreCvss(vector: string): CvssScore | CvssError {
  return { ok: false, error: `CVSS scoring is not available yet for ${vector}` };
}

export function cvssLevel(score: CvssScore): Level {
  return score.severity === 'none' ? 'low' : score.severity;
}
