/**
 * The properties panel of the visual editor (#11): the fields of the selected element, flow, boundary, asset,
 * threat or mitigation, as the language server describes them from the format's schema
 * (src/core/edit/entryForm.ts), its findings with the light bulb's fixes as buttons, and Delete.
 *
 * The panel never writes YAML: Save posts a `set-fields` intent with only the fields the user changed (null
 * clears one), Delete a `delete-entry` intent; the extension has the server compute the edit and applies it as
 * one undoable edit. A delete that would leave references dangling comes back as `confirmDelete`: the panel
 * lists them and offers "Delete with references" or "Cancel".
 */
import type { EntryForm, FormField } from '../core/edit/entryForm';
import type { RevealKind } from '../core/render/viewModel';
import { FORM_KINDS, FORM_SECTION_OF, type FormKind } from '../shared/formKinds';
import type { ConfirmDeleteMessage, EditEntryMessage, EntryActionMessage, InspectMessage, ScoreVectorMessage, VectorScoreMessage } from '../shared/protocol';
import { h, replace } from './dom';

const WORD: Record<FormKind, string> = { element: 'element', flow: 'data flow', boundary: 'trust boundary', asset: 'asset', threat: 'threat', mitigation: 'mitigation' };

export interface InspectorDeps {
  version(): number;
  post(m: InspectMessage | EditEntryMessage | EntryActionMessage | ScoreVectorMessage): void;
  /** The entry was closed or deleted: the diagram drops its selection. */
  deselect(): void;
}

type Value = string | number | boolean | string[] | null;

/** Fields shown at once; the others (empty and rarely set) wait under "More fields". */
const ALWAYS = new Set(['name', 'title', 'type', 'kind', 'trust', 'parent', 'boundary', 'technology', 'from', 'to', 'protocol', 'data', 'encrypted', 'authenticated',
  'classification', 'targets', 'stride', 'likelihood', 'impact', 'status', 'mitigations', 'evidence', 'internet_facing']);
/** A threat accepted or transferred needs these (the rules say so too). */
const ACCEPTANCE = ['justification', 'accepted_by', 'expires'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class Inspector {
  readonly el: HTMLElement;
  private current: { kind: FormKind; id: string } | undefined;
  private form: EntryForm | undefined;
  private formVersion = -1;
  /** Values the user changed and has not saved, by key. */
  private dirty = new Map<string, Value>();
  private busy = false;
  private scoreTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: InspectorDeps) {
    this.el = h('aside', { class: 'inspector', hidden: true, 'aria-label': 'Properties' });
    this.el.addEventListener('keydown', e => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.close();
      }
    });
  }

  /** The entry shown, if any. */
  get shown(): { kind: FormKind; id: string } | undefined {
    return this.current;
  }

  static handles(kind: RevealKind): kind is FormKind {
    return (FORM_KINDS as readonly string[]).includes(kind);
  }

  /** Shows the panel of an entry (asks the extension for its form). */
  open(kind: FormKind, id: string): void {
    if (this.current?.kind === kind && this.current.id === id && !this.el.hidden) return;
    this.current = { kind, id };
    this.form = undefined;
    this.dirty.clear();
    this.el.hidden = false;
    replace(this.el, this.header(id, WORD[kind]), h('p', { class: 'muted' }, 'Loading…'));
    this.deps.post({ type: 'inspect', kind, id });
  }

  /** Closes the panel, keeping the selection (a form or connect mode needs the diagram). */
  hide(): void {
    if (this.el.hidden) return;
    this.current = undefined;
    this.form = undefined;
    this.dirty.clear();
    this.el.hidden = true;
    replace(this.el);
  }

  close(): void {
    if (this.el.hidden) return;
    this.hide();
    this.deps.deselect();
  }

  /** After each new view: the panel asks again (findings and choices change), unless the user is editing. */
  refresh(): void {
    if (!this.current || this.el.hidden || this.dirty.size > 0 || this.busy) return;
    this.deps.post({ type: 'inspect', kind: this.current.kind, id: this.current.id });
  }

  /** The user's edit was applied (the id may be new: it follows the name): show the saved state. */
  edited(kind: FormKind, id: string): void {
    if (this.current?.kind !== kind) return;
    this.current = { kind, id };
    this.busy = false;
    this.dirty.clear();
    this.el.classList.remove('dirty');
    this.deps.post({ type: 'inspect', kind, id });
  }

  /** Entries deleted: the panel closes if it showed one of them. */
  deleted(removed: { kind: RevealKind; id: string }[]): void {
    this.busy = false;
    if (this.current && removed.some(r => r.kind === this.current!.kind && r.id === this.current!.id)) this.close();
  }

  /** The extension refused an edit: say why, keep what the user typed. */
  notice(message: string): boolean {
    if (!this.busy || this.el.hidden) return false;
    this.busy = false;
    const err = this.el.querySelector('.form-error');
    if (err) err.textContent = message;
    return true;
  }

  /** The form of an entry, from the extension. */
  show(kind: FormKind, id: string, version: number, form: EntryForm | null): void {
    if (this.current?.kind !== kind || this.current.id !== id) return;
    if (!form) {
      replace(this.el, this.header(id, WORD[kind]), h('p', {}, `There is no ${WORD[kind]} \`${id}\` in the model any more.`));
      return;
    }
    if (this.dirty.size > 0 && this.form) return; // the user is editing: keep the fields as they are
    this.form = form;
    this.formVersion = version;
    this.busy = false;
    this.render(form);
  }

  /** The live score of the CVSS vector in the panel (if it is still the one typed). */
  vectorScore(m: VectorScoreMessage): void {
    const input = this.el.querySelector<HTMLInputElement>('input[name="cvss"]');
    const out = this.el.querySelector<HTMLElement>('.cvss-score');
    if (!input || !out || input.value.trim() !== m.vector.trim()) return;
    out.classList.toggle('problem', !!m.problem);
    out.textContent = m.problem ? m.problem.charAt(0).toUpperCase() + m.problem.slice(1) : `CVSS ${m.version} base score ${m.score?.toFixed(1)} (${m.severity}): ${m.level} risk`;
  }

  /** A delete would leave references dangling: list them and ask. */
  confirmDelete(m: ConfirmDeleteMessage): void {
    if (this.current?.kind !== m.kind || this.current.id !== m.id) return;
    this.busy = false;
    const box = this.el.querySelector<HTMLElement>('.confirm');
    if (!box) return;
    const yes = h('button', { type: 'button', class: 'danger' }, `Delete with ${m.references.length} reference${m.references.length === 1 ? '' : 's'}`);
    const no = h('button', { type: 'button' }, 'Cancel');
    yes.addEventListener('click', () => this.delete(true));
    no.addEventListener('click', () => {
      box.hidden = true;
      replace(box);
      this.el.querySelector<HTMLButtonElement>('button.delete')?.focus();
    });
    replace(box,
      h('p', {}, `${m.references.length} reference${m.references.length === 1 ? '' : 's'} to \`${m.id}\` would dangle:`),
      h('ul', {}, ...m.references.slice(0, 50).map(r => h('li', {}, r.description))),
      m.references.length > 50 ? h('p', { class: 'muted' }, `and ${m.references.length - 50} more`) : null,
      h('p', { class: 'muted' }, 'Deleting with references removes them too (lists lose the id; flows and threats left without an end or a target go as well). Undo brings everything back.'),
      h('div', { class: 'actions' }, yes, no));
    box.hidden = false;
    yes.focus();
  }

  private header(id: string, word: string, title?: string): HTMLElement {
    const close = h('button', { type: 'button', class: 'close', title: 'Close (Escape)', 'aria-label': 'Close the properties' }, '×');
    close.addEventListener('click', () => this.close());
    return h('header', {}, h('div', {}, h('strong', {}, title ?? id), h('div', { class: 'id' }, `${word} · ${id}`)), close);
  }

  private render(form: EntryForm): void {
    const kind = this.current!.kind;
    this.el.setAttribute('aria-label', `Properties of ${form.title}`);
    // Findings and fixes under the fields: open at once when one is an error or a warning
    const serious = form.findings.some(f => f.severity === 'error' || f.severity === 'warning');
    const refactorings = form.actions.map((a, n) => (a.finding === undefined ? this.actionButton(a.title, n) : null)).filter(Boolean);
    const findings = form.findings.length || refactorings.length
      ? h('details', { class: 'findings-box', ...(serious ? { open: true } : {}) },
        h('summary', {}, form.findings.length ? `${form.findings.length} finding${form.findings.length === 1 ? '' : 's'} and fixes` : 'Actions'),
        form.findings.length ? h('ul', { class: 'findings', 'aria-label': 'Findings on this entry' }, ...form.findings.map((f, i) => h('li', { class: `sev-${f.severity}` },
          h('div', {}, h('span', { class: 'sev' }, f.severity), ' ', f.message, h('span', { class: 'muted' }, ` (line ${f.line}, ${f.ruleId})`)),
          ...form.actions.map((a, n) => (a.finding === i ? this.actionButton(a.title, n) : null))))) : null,
        refactorings.length ? h('div', { class: 'refactorings' }, ...refactorings) : null)
      : null;
    const main: HTMLElement[] = [];
    const more: HTMLElement[] = [];
    for (const f of form.fields) (ALWAYS.has(f.key) || f.required || f.value !== undefined ? main : more).push(this.fieldEl(f));
    const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
    const revert = h('button', { type: 'button' }, 'Revert');
    revert.addEventListener('click', () => {
      this.dirty.clear();
      this.render(form);
    });
    const formEl = h('form', { class: 'props', 'aria-label': `Fields of ${form.title}` }, ...main,
      more.length ? h('details', {}, h('summary', {}, `More fields (${more.length})`), ...more) : null,
      h('div', { class: 'note acceptance', hidden: true }, 'An accepted or transferred risk needs a justification, who accepted it and until when.'),
      h('div', { class: 'actions' }, save, revert), h('div', { class: 'form-error', role: 'alert' }));
    formEl.addEventListener('submit', e => {
      e.preventDefault();
      this.save();
    });
    const del = h('button', { type: 'button', class: 'delete' }, `Delete ${WORD[kind]}…`);
    del.addEventListener('click', () => this.delete(false));
    replace(this.el, this.header(form.id, WORD[kind], form.title), formEl, findings, h('div', { class: 'danger-zone' }, del), h('div', { class: 'confirm', hidden: true, role: 'alertdialog', 'aria-label': 'Confirm the delete' }));
    this.syncAcceptance();
  }

  private actionButton(title: string, index: number): HTMLElement {
    const b = h('button', { type: 'button', class: 'fix' }, title);
    b.addEventListener('click', () => {
      if (!this.current) return;
      this.busy = true;
      this.deps.post({ type: 'entryAction', kind: this.current.kind, id: this.current.id, action: index, version: this.formVersion });
    });
    return b;
  }

  private set(f: FormField, v: Value): void {
    const initial = f.value ?? null;
    if (same(v === '' ? null : v, initial)) this.dirty.delete(f.key);
    else this.dirty.set(f.key, v === '' ? null : v);
    this.el.classList.toggle('dirty', this.dirty.size > 0);
    if (f.key === 'status') this.syncAcceptance();
  }

  /** Marks the acceptance fields as needed while the status is accepted or transferred. */
  private syncAcceptance(): void {
    const status = (this.el.querySelector<HTMLSelectElement>('select[name="status"]')?.value ?? '');
    const needed = this.current?.kind === 'threat' && (status === 'accepted' || status === 'transferred');
    const note = this.el.querySelector<HTMLElement>('.note.acceptance');
    if (note) note.hidden = !needed;
    for (const key of ACCEPTANCE) {
      const control = this.el.querySelector<HTMLElement>(`[name="${key}"]`);
      const wrap = control?.closest<HTMLElement>('.field');
      if (!control || !wrap) continue;
      wrap.classList.toggle('needed', needed);
      if (needed && wrap.parentElement instanceof HTMLDetailsElement) {
        // out from under "More fields", next to the status
        this.el.querySelector('form.props .note.acceptance')?.before(wrap);
      }
    }
  }

  private fieldEl(f: FormField): HTMLElement {
    const label = `${f.label}${f.required ? ' *' : ''}`;
    const wrap = (control: HTMLElement, ...extra: HTMLElement[]) => h('div', { class: `field f-${f.control}` }, h('label', {}, h('span', {}, label), control), ...extra);
    switch (f.control) {
      case 'select': {
        const s = h('select', { name: f.key });
        const hint = h('div', { class: 'hint muted' });
        const options = [...(f.required ? [] : [{ value: '', label: '(none)' }]), ...(f.options ?? [])];
        if (typeof f.value === 'string' && !options.some(o => o.value === f.value)) options.push({ value: f.value, label: `${f.value} (unknown)` });
        for (const o of options) s.appendChild(h('option', { value: o.value, ...(o.value === (f.value ?? '') ? { selected: true } : {}) }, o.label));
        const showHint = () => (hint.textContent = f.options?.find(o => o.value === s.value)?.hint ?? '');
        showHint();
        s.addEventListener('change', () => {
          this.set(f, s.value);
          showHint();
        });
        return wrap(s, hint);
      }
      case 'toggle': {
        // three ways: an unstated property is unknown, which the rules treat differently from "no"
        const s = h('select', { name: f.key });
        const v = f.value === true ? 'true' : f.value === false ? 'false' : '';
        for (const [value, text] of [['', 'not stated'], ['true', 'yes'], ['false', 'no']]) s.appendChild(h('option', { value, ...(value === v ? { selected: true } : {}) }, text));
        s.addEventListener('change', () => this.set(f, s.value === '' ? null : s.value === 'true'));
        return wrap(s);
      }
      case 'number': {
        const i = h('input', { type: 'number', name: f.key, step: 'any', value: f.value === undefined ? undefined : String(f.value), min: f.min, max: f.max });
        i.addEventListener('input', () => this.set(f, i.value.trim() === '' || Number.isNaN(i.valueAsNumber) ? null : i.valueAsNumber));
        return wrap(i);
      }
      case 'date': {
        const i = h('input', { type: 'date', name: f.key, value: typeof f.value === 'string' ? f.value : undefined });
        i.addEventListener('input', () => this.set(f, i.value));
        return wrap(i);
      }
      case 'textarea': {
        const t = h('textarea', { name: f.key, rows: 3, maxlength: f.maxLength, spellcheck: 'true' });
        t.value = typeof f.value === 'string' ? f.value : '';
        t.addEventListener('input', () => this.set(f, t.value));
        return wrap(t);
      }
      case 'chips':
      case 'multi':
        return this.chips(f, label);
      default: {
        const i = h('input', { type: 'text', name: f.key, maxlength: f.maxLength, spellcheck: 'false', ...(f.required ? { required: true } : {}) });
        i.value = typeof f.value === 'string' || typeof f.value === 'number' ? String(f.value) : '';
        i.addEventListener('input', () => this.set(f, f.required ? i.value : i.value.trim()));
        if (f.key !== 'cvss') return wrap(i);
        // the vector's score as it is typed, from the server (the scoring library stays out of the webview)
        const out = h('output', { class: 'cvss-score muted', for: f.key, 'aria-live': 'polite' });
        const score = () => {
          clearTimeout(this.scoreTimer);
          out.textContent = '';
          if (i.value.trim()) this.scoreTimer = setTimeout(() => this.deps.post({ type: 'scoreVector', vector: i.value.trim() }), 200);
        };
        i.addEventListener('input', score);
        score();
        return wrap(i, out);
      }
    }
  }

  /** A list as chips: each value with a remove button, and a way to add one (a select of choices, or free text). */
  private chips(f: FormField, label: string): HTMLElement {
    let values = Array.isArray(f.value) ? [...f.value] : [];
    const list = h('div', { class: 'chips', role: 'list', 'aria-label': f.label });
    const nameOf = (v: string) => f.options?.find(o => o.value === v)?.label ?? v;
    let adder: HTMLSelectElement | HTMLInputElement;
    const draw = () => {
      replace(list, ...values.map(v => {
        const x = h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove ${nameOf(v)}`, title: 'Remove' }, '×');
        x.addEventListener('click', () => {
          values = values.filter(y => y !== v);
          this.set(f, values.length ? values : null);
          draw();
          adder.focus();
        });
        return h('span', { class: 'chip', role: 'listitem' }, nameOf(v), x);
      }));
      if (adder instanceof HTMLSelectElement) {
        replace(adder, h('option', { value: '' }, `Add…`), ...(f.options ?? []).filter(o => !values.includes(o.value)).map(o => h('option', { value: o.value }, o.label)));
      }
    };
    if (f.control === 'multi') {
      const s = h('select', { name: f.key, 'aria-label': `Add to ${f.label}` });
      s.addEventListener('change', () => {
        if (!s.value) return;
        values = [...values, s.value];
        this.set(f, values);
        draw();
        s.focus();
      });
      adder = s;
    } else {
      const i = h('input', { type: 'text', name: f.key, placeholder: 'Add, then Enter', maxlength: f.maxLength, 'aria-label': `Add to ${f.label}`, spellcheck: 'false' });
      i.addEventListener('keydown', e => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        const v = i.value.trim();
        if (!v || values.includes(v)) return;
        values = [...values, v];
        i.value = '';
        this.set(f, values);
        draw();
      });
      adder = i;
    }
    draw();
    return h('div', { class: `field f-${f.control}` }, h('span', { class: 'label' }, label), list, adder);
  }

  private save(): void {
    if (!this.current || !this.form) return;
    const err = this.el.querySelector('.form-error');
    if (this.dirty.size === 0) {
      if (err) err.textContent = 'Nothing changed.';
      return;
    }
    if (err) err.textContent = '';
    this.busy = true;
    this.deps.post({
      type: 'editEntry', version: this.deps.version(),
      intent: { kind: 'set-fields', section: FORM_SECTION_OF[this.current.kind], id: this.current.id, set: Object.fromEntries(this.dirty), followName: true },
    });
  }

  private delete(withReferences: boolean): void {
    if (!this.current) return;
    this.busy = true;
    this.deps.post({
      type: 'editEntry', version: this.deps.version(),
      intent: { kind: 'delete-entry', section: FORM_SECTION_OF[this.current.kind], id: this.current.id, ...(withReferences ? { withReferences: true } : {}) },
    });
  }
}
