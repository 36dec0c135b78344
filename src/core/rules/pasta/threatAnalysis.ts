import type { Rule } from '../types';
import { checkStage } from './stage';

export const pastaThreatAnalysis: Rule = {
  meta: {
    id: 'pasta/threat-analysis',
    title: 'PASTA stage 4: threat analysis incomplete',
    category: 'pasta',
    severity: 'info',
    description: 'With `policy.methodology: pasta`, stage 4 (threat analysis) needs threats in the model and the sources of threat intelligence they draw on (`pasta.threat_intel`: feeds, reports, incident history).',
    advice: 'Add threats (the STRIDE and LINDDUN coverage fixes add stubs) and list the threat-intelligence sources under `pasta.threat_intel`, or mark the stage `done: true` with `notes` in `pasta.stages.threat-analysis`.',
    why: 'A threat list drawn only from the team\'s imagination misses what attackers are actually doing. Naming the threat-intelligence sources (feeds, sector reports, your own incidents) shows which real-world threats the analysis weighed, and where to look again when they change.',
    example: `
pasta:
  threat_intel:
    - CISA Known Exploited Vulnerabilities catalog, checked weekly
    - Our incident history (the 2024 credential-stuffing wave)
threats:
  credential-stuffing:
    title: Leaked passwords are tried against the login
    stride: [spoofing]
    targets: [api]
    status: open
`,
  },
  check: ctx => checkStage(ctx, 'threat-analysis'),
};
