/**
 * Threat statements in the grammar of AWS Threat Composer (#11): "[source] with [prerequisites] can [action],
 * which leads to [impact], negatively impacting [assets]". Plain functions and data with no dependency on the
 * schema library or the YAML parser, so the webview's statement builder shares them with the server
 * (src/core/edit/suggestions.ts re-exports them).
 */
import { clip } from '../text/clip';
import { LIMITS, type STRIDE } from '../model/vocabulary';
import { words } from '../rules/design/facts';

type Stride = (typeof STRIDE)[number];

/** The parts of a threat statement, as the schema's `statement` holds them (assets are asset ids). */
export interface StatementParts {
  source?: string;
  prerequisites?: string;
  action?: string;
  impact?: string;
  assets?: string[];
}

/** What each STRIDE category means, in one line (shown under the category picker). */
export const STRIDE_EXPLANATIONS: Readonly<Record<Stride, string>> = {
  spoofing: 'Spoofing: pretending to be someone or something else',
  tampering: 'Tampering: changing data or code without permission',
  repudiation: 'Repudiation: denying an action when nobody can prove otherwise',
  'information-disclosure': 'Information disclosure: exposing information to someone not allowed to see it',
  'denial-of-service': 'Denial of service: making a system or its data unavailable to its users',
  'elevation-of-privilege': 'Elevation of privilege: doing more than one is allowed to',
};

/** What the preview shows for a part still empty (Threat Composer's placeholders). */
export const STATEMENT_PLACEHOLDERS = { source: '[threat source]', prerequisites: '[prerequisites]', action: '[threat action]', impact: '[threat impact]', assets: '[impacted assets]' } as const;

export interface SentenceOptions {
  /** An asset's name from its id (the id itself when absent or when the asset is unknown). */
  assetName?: (id: string) => string | undefined;
  /** Show the placeholders for the empty required parts (source, action, impact) instead of leaving them out. */
  placeholders?: boolean;
}

const trimmed = (s: string | undefined) => (typeof s === 'string' ? s.trim().replace(/[\s.]+$/, '').replace(/\s+/g, ' ') : '');
export const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The clauses of a statement, each already with its connecting words; absent parts are left out. */
function clauses(s: StatementParts, placeholders: boolean): { head: string; action: string; impact: string } {
  const ph = (v: string, key: 'source' | 'action' | 'impact') => v || (placeholders ? STATEMENT_PLACEHOLDERS[key] : '');
  const source = ph(trimmed(s.source), 'source');
  const prerequisites = trimmed(s.prerequisites);
  const action = ph(trimmed(s.action), 'action');
  const impact = ph(trimmed(s.impact), 'impact');
  const head = [source, prerequisites && `with ${prerequisites}`].filter(Boolean).join(' ');
  return { head, action: action && `can ${action}`, impact: impact && `which leads to ${impact}` };
}

/** Joins "<head> can <action>" and ", which leads to <impact>" the way the grammar punctuates them. */
function join(c: { head: string; action: string; impact: string }): string {
  const first = [c.head, c.action].filter(Boolean).join(' ');
  return [first, c.impact].filter(Boolean).join(', ');
}

/**
 * The whole statement as a sentence: "An attacker with network access can submit crafted input, which leads to
 * corrupted data, negatively impacting Orders and Card data." Empty when the statement says nothing.
 */
export function statementSentence(s: StatementParts | undefined, options: SentenceOptions = {}): string {
  if (!s || typeof s !== 'object') return '';
  const placeholders = !!options.placeholders;
  const assets = (Array.isArray(s.assets) ? s.assets : []).filter(a => typeof a === 'string' && a.trim()).map(a => trimmed(options.assetName?.(a)) || a);
  const body = join(clauses(s, placeholders));
  if (!body) return '';
  const impacting = assets.length ? `, negatively impacting ${words(assets)}` : '';
  return `${upperFirst(body)}${impacting}.`;
}

/**
 * A title written from a statement: the sentence without the assets and the final full stop ("An attacker in the
 * DMZ can read orders in transit, which leads to a data breach"), within the schema's limit for a title. A
 * statement too long for a title loses its prerequisites, then its impact, then is cut at a word. Empty when
 * the statement has neither source, action nor impact.
 */
export function titleFromStatement(s: StatementParts | undefined): string {
  if (!s || typeof s !== 'object') return '';
  const full = clauses(s, false);
  const candidates = [full, clauses({ ...s, prerequisites: undefined }, false), { ...clauses({ ...s, prerequisites: undefined }, false), impact: '' }];
  for (const c of candidates) {
    const t = upperFirst(join(c));
    if (t.length <= LIMITS.name) return t;
  }
  const t = upperFirst(join(candidates[2]));
  const cut = t.slice(0, LIMITS.name - 1);
  const space = cut.lastIndexOf(' ');
  return space > LIMITS.name / 2 ? `${cut.slice(0, space).replace(/[\s,;:]+$/, '')}…` : clip(t, LIMITS.name);
}
