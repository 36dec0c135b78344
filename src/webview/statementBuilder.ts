/**
 * The threat statement builder of the visual editor (#11): a threat written in the grammar of AWS Threat
 * Composer, "[source] with [prerequisites] can [action], which leads to [impact], negatively impacting
 * [assets]", with the STRIDE category explained in one line, suggestion lists for every part, buttons that fill
 * every field from a catalog threat or a design rule's finding, a live preview of the sentence and a title
 * written from the statement until the user writes their own.
 *
 * Browser code: text goes in as text only (`textContent`, text nodes), never as HTML. It shares the sentence
 * and title functions with the server (src/core/edit/statement.ts, free of the schema library and the YAML
 * parser); the suggestions themselves come from the server (`rampart/threatSuggestions`) through
 * `setSuggestions`.
 */
import { STRIDE } from '../core/model/vocabulary';
import { STATEMENT_PLACEHOLDERS, STRIDE_EXPLANATIONS, statementSentence, titleFromStatement, type StatementParts } from '../core/edit/statement';
import type { StatementPart, StrideCategory, ThreatSuggestion, ThreatSuggestions } from '../core/edit/suggestions';
import { h, replace } from './dom';

type Stride = (typeof STRIDE)[number];

export interface StatementValue {
  stride: Stride;
  title: string;
  statement: StatementParts;
}

export interface StatementBuilderOptions {
  /** The category selected at first (else the first one that applies to the target). */
  stride?: Stride;
  /** Called after every change the user makes (typing, picking, using a suggestion). */
  onChange?: (value: StatementValue) => void;
}

const PARTS: readonly { part: StatementPart; label: string; hint: string }[] = [
  { part: 'source', label: 'Threat source', hint: 'Who or what: "An attacker on the internet"' },
  { part: 'prerequisites', label: 'Prerequisites (optional)', hint: 'With what: "network access to the API"' },
  { part: 'action', label: 'Threat action', hint: 'Can do what: "submit crafted input"' },
  { part: 'impact', label: 'Threat impact', hint: 'Which leads to: "corrupted orders"' },
];

const CATEGORY_WORDS: Record<Stride, string> = {
  spoofing: 'Spoofing', tampering: 'Tampering', repudiation: 'Repudiation', 'information-disclosure': 'Information disclosure',
  'denial-of-service': 'Denial of service', 'elevation-of-privilege': 'Elevation of privilege',
};

let instances = 0;

export class StatementBuilder {
  readonly root: HTMLElement;
  private readonly uid = `sb${++instances}`;
  private readonly stride: HTMLSelectElement;
  private readonly explanation: HTMLElement;
  private readonly inputs = {} as Record<StatementPart, HTMLInputElement>;
  private readonly datalists = {} as Record<StatementPart, HTMLDataListElement>;
  private readonly assetBox: HTMLElement;
  private readonly suggestionList: HTMLElement;
  private readonly preview: HTMLElement;
  private readonly title: HTMLInputElement;
  private suggestions: ThreatSuggestions | undefined;
  private categories: StrideCategory[] = STRIDE.map(stride => ({ stride, applies: true, explanation: STRIDE_EXPLANATIONS[stride] }));
  /** Asset id -> its checkbox, in display order. */
  private assetChecks = new Map<string, HTMLInputElement>();
  private assetNames = new Map<string, string>();
  /** Where the title comes from: written from the statement, a used suggestion's, or the user's own. */
  private titleFrom: 'statement' | 'suggestion' | 'user' = 'statement';
  private strideChosen: boolean;

  constructor(container: HTMLElement | undefined, private readonly options: StatementBuilderOptions = {}) {
    const id = (s: string) => `${this.uid}-${s}`;
    this.stride = h('select', { id: id('stride'), name: 'stride', 'aria-describedby': id('stride-explain') });
    this.strideChosen = !!options.stride;
    this.explanation = h('p', { id: id('stride-explain'), class: 'stride-explain', 'aria-live': 'polite' });
    this.stride.addEventListener('change', () => {
      this.strideChosen = true;
      this.explain();
      this.changed();
    });

    const partFields = PARTS.map(({ part, label, hint }) => {
      const list = h('datalist', { id: id(`${part}-list`) });
      const input = h('input', { type: 'text', id: id(part), name: `statement-${part}`, list: id(`${part}-list`), placeholder: STATEMENT_PLACEHOLDERS[part], title: hint, autocomplete: 'off', spellcheck: 'true' });
      input.addEventListener('input', () => this.changed());
      this.inputs[part] = input;
      this.datalists[part] = list;
      return h('div', { class: `field part-${part}` }, h('label', { for: input.id }, label), input, list);
    });

    this.assetBox = h('fieldset', { class: 'statement-assets' });
    this.suggestionList = h('ul', { class: 'statement-suggestions', 'aria-labelledby': id('suggestions-label') });
    // <output> is a polite live region: screen readers read the sentence as it changes.
    this.preview = h('output', { id: id('preview'), class: 'statement-preview' });
    this.title = h('input', { type: 'text', id: id('title'), name: 'title', placeholder: 'Written from the statement', autocomplete: 'off' });
    this.title.addEventListener('input', () => {
      // An emptied title is written from the statement again.
      this.titleFrom = this.title.value.trim() ? 'user' : 'statement';
      this.changed(false);
    });

    this.root = h('div', { class: 'statement-builder', role: 'group', 'aria-label': 'Threat statement builder' },
      h('div', { class: 'field' }, h('label', { for: this.stride.id }, 'STRIDE category'), this.stride, this.explanation),
      h('div', { class: 'statement-suggestions-box' }, h('span', { class: 'label', id: id('suggestions-label') }, 'Suggested threats'), this.suggestionList),
      ...partFields,
      this.assetBox,
      h('div', { class: 'field' }, h('label', { for: this.preview.id }, 'Statement'), this.preview),
      h('div', { class: 'field' }, h('label', { for: this.title.id }, 'Title'), this.title));
    this.renderCategories();
    this.renderAssets([]);
    this.renderSuggestions();
    this.refresh();
    if (container) container.appendChild(this.root);
  }

  /** The server's suggestions for the target (or none while they load): the form keeps what the user typed. */
  setSuggestions(s: ThreatSuggestions | undefined): void {
    this.suggestions = s;
    this.categories = s?.categories?.length ? s.categories : STRIDE.map(stride => ({ stride, applies: true, explanation: STRIDE_EXPLANATIONS[stride] }));
    this.renderCategories();
    for (const { part } of PARTS) replace(this.datalists[part], ...(s?.lists?.[part] ?? []).map(v => h('option', { value: v })));
    const checked = this.checkedAssets();
    this.assetNames = new Map((s?.assets ?? []).map(a => [a.id, a.name]));
    this.renderAssets(checked);
    this.renderSuggestions();
    this.refresh();
  }

  /** Fills every field from a suggestion (the buttons call it with their index). */
  use(index: number): void {
    const s = this.suggestions?.suggestions[index];
    if (!s) return;
    this.stride.value = s.stride;
    this.strideChosen = true;
    for (const { part } of PARTS) this.inputs[part].value = s.statement[part] ?? '';
    this.renderAssets(s.statement.assets ?? []);
    if (this.titleFrom !== 'user' || !this.title.value.trim()) {
      this.title.value = s.title;
      this.titleFrom = 'suggestion';
    }
    this.explain();
    this.changed();
  }

  /** What the user built: the category, the title (written from the statement unless they wrote one) and the statement's filled parts. */
  value(): StatementValue {
    const statement: StatementParts = {};
    for (const { part } of PARTS) {
      const v = this.inputs[part].value.trim();
      if (v) statement[part] = v;
    }
    const assets = this.checkedAssets();
    if (assets.length) statement.assets = assets;
    const stride = (STRIDE as readonly string[]).includes(this.stride.value) ? (this.stride.value as Stride) : this.defaultStride();
    return { stride, title: this.title.value.trim() || titleFromStatement(statement), statement };
  }

  /** Whether the statement has what the grammar needs: a source, an action and an impact. */
  complete(): boolean {
    const s = this.value().statement;
    return !!(s.source && s.action && s.impact);
  }

  /** Moves the focus to the first control (the category). */
  focus(): void {
    this.stride.focus();
  }

  private defaultStride(): Stride {
    return this.options.stride ?? this.categories.find(c => c.applies)?.stride ?? 'spoofing';
  }

  private renderCategories(): void {
    const keep = this.strideChosen && this.stride.value ? this.stride.value : this.defaultStride();
    replace(this.stride, ...this.categories.map(c => h('option', { value: c.stride }, c.applies ? CATEGORY_WORDS[c.stride] : `${CATEGORY_WORDS[c.stride]} (not usual for this target)`)));
    this.stride.value = keep;
    this.explain();
  }

  private explain(): void {
    const c = this.categories.find(x => x.stride === this.stride.value);
    this.explanation.textContent = c ? c.explanation : '';
  }

  private checkedAssets(): string[] {
    return [...this.assetChecks].filter(([, box]) => box.checked).map(([id]) => id);
  }

  /** One checkbox per offered asset, plus any asset a used suggestion names that the target does not list. */
  private renderAssets(checked: readonly string[]): void {
    const ids = [...this.assetNames.keys(), ...checked.filter(a => !this.assetNames.has(a))];
    this.assetChecks = new Map();
    const boxes = ids.map(a => {
      const box = h('input', { type: 'checkbox', id: `${this.uid}-asset-${this.assetChecks.size}`, name: 'assets', value: a });
      box.checked = checked.includes(a);
      box.addEventListener('change', () => this.changed());
      this.assetChecks.set(a, box);
      return h('label', { class: 'check', for: box.id }, box, this.assetNames.get(a) ?? a);
    });
    replace(this.assetBox, h('legend', {}, 'Impacted assets'), ...(boxes.length ? boxes : [h('span', { class: 'muted' }, 'No assets are stored, processed or carried here.')]));
  }

  private renderSuggestions(): void {
    const list = this.suggestions?.suggestions ?? [];
    const items = list.map((s, i) => {
      const b = h('button', { type: 'button', class: 'use-suggestion', 'data-index': i, title: statementSentence(s.statement, { assetName: a => this.assetNames.get(a) }) }, `Use: ${s.title}`);
      b.addEventListener('click', () => this.use(i));
      return h('li', { class: s.origin === 'rule' ? 'rule' : s.specific ? 'specific' : 'catalog' }, b, ' ', h('span', { class: 'muted' }, describe(s)));
    });
    replace(this.suggestionList, ...(items.length ? items : [h('li', { class: 'muted' }, this.suggestions ? 'No suggestions for this target.' : 'Pick a target to see suggestions.')]));
  }

  /** Preview and (when it follows the statement) the title. */
  private refresh(): void {
    const v = this.value();
    this.preview.textContent = statementSentence(v.statement, { placeholders: true, assetName: a => this.assetNames.get(a) });
    if (this.titleFrom === 'statement') this.title.value = titleFromStatement(v.statement);
  }

  private changed(refresh = true): void {
    if (refresh) this.refresh();
    this.options.onChange?.(this.value());
  }
}

/** The line beside a suggestion button: category, where it comes from, whether a threat covers it already. */
function describe(s: ThreatSuggestion): string {
  const from = s.origin === 'rule' ? `design rule ${s.ruleId ?? ''}`.trim() : s.specific ? 'catalog, for this kind of element' : 'catalog';
  return `${CATEGORY_WORDS[s.stride]} · ${from}${s.existing ? ` · covered by ${s.existing}` : ''}`;
}
