/** Where each rule is documented: its anchor in the README's rule reference, used by every front end. */
export const HOMEPAGE = 'https://github.com/rampart-tm/rampart';

/** `risk/unmitigated-above-tolerance` -> `rule-risk-unmitigated-above-tolerance`. */
export const ruleAnchor = (id: string) => `rule-${id.replace(/[^a-z0-9]+/g, '-')}`;

export const ruleDocsUrl = (id: string) => `${HOMEPAGE}#${ruleAnchor(id)}`;

/** The anchor of a rule's "Why does this matter?" paragraph in the README (rules whose metadata has `why`). */
export const ruleWhyAnchor = (id: string) => `why-${ruleAnchor(id)}`;

export const ruleWhyUrl = (id: string) => `${HOMEPAGE}#${ruleWhyAnchor(id)}`;
