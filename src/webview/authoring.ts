/**
 * Drawing the model in the visual editor (#11): add an element, a trust boundary, a data flow (connect mode:
 * click the source node, then the target; or pick both in the form, which is the keyboard path), a threat or a
 * mitigation. The webview never writes YAML: it posts an `addEntry` intent with the version of its view; the
 * extension has the language server compute the edit, applies it as one undoable edit, and answers `added`
 * (the new entry is selected once the next view has it) or `notice` (why not).
 */
import { ELEMENT_TYPES, IMPACTS, LIKELIHOODS, TRUST_LEVELS } from '../core/model/vocabulary';
import type { RevealKind, ViewModel } from '../core/render/viewModel';
import type { ThreatSuggestions } from '../core/edit/suggestions';
import type { AddEntryMessage, SuggestMessage } from '../shared/protocol';
import { h, replace } from './dom';
import { StatementBuilder } from './statementBuilder';

type Form = 'element' | 'boundary' | 'flow' | 'threat' | 'mitigation';

export interface AuthoringDeps {
  view(): ViewModel | undefined;
  version(): number;
  post(m: AddEntryMessage | SuggestMessage): void;
  select(kind: RevealKind, id: string): void;
  /** The element selected in the diagram, if any (the default target of a new threat, the source of a flow). */
  selectedElement(): string | undefined;
  /** A form or connect mode is about to open. */
  opening(): void;
}

const WORDS: Record<string, string> = { external: 'External entity', process: 'Process', store: 'Data store' };
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ');

function field(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}
function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, label] of options) {
    const o = h('option', { value: v }, label);
    if (v === (value ?? '')) o.selected = true;
    s.appendChild(o);
  }
  return s;
}
const input = (name: string, placeholder: string, required = false) => h('input', { type: 'text', name, placeholder, spellcheck: 'false', ...(required ? { required: true } : {}) });
const checkbox = (name: string, label: string) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name }), label);

export class Authoring {
  readonly bar: HTMLElement;
  readonly panel: HTMLElement;
  private readonly banner: HTMLElement;
  private open: Form | undefined;
  /** Connect mode: waiting for the source (`from` undefined) or the target of a new flow. */
  private connecting: { from?: string } | undefined;
  private pending: { kind: RevealKind; id: string } | undefined;
  private flowEnds: { from?: string; to?: string } = {};
  /** The threat form's statement builder, while that form is open. */
  private builder: StatementBuilder | undefined;

  constructor(private readonly deps: AuthoringDeps) {
    const button = (form: Form, label: string, title: string) => {
      const b = h('button', { type: 'button', class: 'add', 'data-add': form, title }, label);
      b.addEventListener('click', () => (form === 'flow' ? this.startConnect() : this.show(form)));
      return b;
    };
    this.bar = h('div', { class: 'authoring', role: 'toolbar', 'aria-label': 'Add to the model' },
      button('element', '+ Element', 'Add an external entity, process or data store'),
      button('boundary', '+ Boundary', 'Add a trust boundary'),
      button('flow', '+ Flow', 'Draw a data flow: click the source element, then the target'),
      button('threat', '+ Threat', 'Write a threat against an element or flow'),
      button('mitigation', '+ Mitigation', 'Add a mitigation to a threat'));
    this.banner = h('div', { class: 'banner info connect', hidden: true, role: 'status' });
    this.panel = h('div', { class: 'add-panel', hidden: true });
    this.bar.appendChild(this.banner);
  }

  /** A click on an element's node: used (true) in connect mode. */
  nodeClicked(elementId: string): boolean {
    if (!this.connecting) return false;
    if (!this.connecting.from) {
      this.connecting.from = elementId;
      const from = this.panel.querySelector<HTMLSelectElement>('select[name="from"]');
      if (from) from.value = elementId;
      this.say(`From ${this.nameOf(elementId)}: now click the element the data goes to (Escape to stop).`);
      return true;
    }
    this.flowEnds = { from: this.connecting.from, to: elementId };
    this.stopConnect();
    this.show('flow');
    return true;
  }

  /** Escape: leaves connect mode or closes the form. */
  cancel(): boolean {
    if (this.connecting) {
      this.stopConnect();
      return true;
    }
    if (this.open) {
      this.close();
      return true;
    }
    return false;
  }

  /** The choices of the selects that list the model's own entries. */
  private static choices(name: string, v: ViewModel): [string, string][] | undefined {
    const boundaries: [string, string][] = [['', '(none)'], ...v.boundaries.map(b => [b.id, b.name] as [string, string])];
    const elements: [string, string][] = v.elements.map(e => [e.id, e.name]);
    switch (name) {
      case 'boundary': case 'parent': return boundaries;
      case 'from': case 'to': return elements;
      case 'target': return [...elements, ...v.flows.map(f => [f.id, `${f.name ?? f.id} (flow)`] as [string, string])];
      case 'threat': return v.threats.map(t => [t.id, t.title]);
      default: return undefined;
    }
  }

  /** An open form's lists follow the model (an entry added just before is offered at once); choices made stay. */
  private refreshChoices(v: ViewModel): void {
    for (const sel of Array.from(this.panel.querySelectorAll<HTMLSelectElement>('.add-form select'))) {
      const list = Authoring.choices(sel.name, v);
      if (!list) continue;
      const now = Array.from(sel.options).map(o => `${o.value}\u0000${o.text}`).join('\u0001');
      if (now === list.map(([a, b]) => `${a}\u0000${b}`).join('\u0001')) continue;
      const keep = sel.value;
      replace(sel, ...list.map(([value, label]) => h('option', { value }, label)));
      if (list.some(([value]) => value === keep)) sel.value = keep;
    }
  }

  /** After each new view: an open form's lists are updated; an entry added just before is selected once it is there. */
  updated(v: ViewModel): void {
    this.refreshChoices(v);
    const p = this.pending;
    if (!p) return;
    const there = p.kind === 'element' ? v.elements.some(e => e.id === p.id) : p.kind === 'flow' ? v.flows.some(f => f.id === p.id)
      : p.kind === 'boundary' ? v.boundaries.some(b => b.id === p.id) : p.kind === 'threat' ? v.threats.some(t => t.id === p.id) : v.mitigations.some(m => m.id === p.id);
    if (!there) return;
    this.pending = undefined;
    this.deps.select(p.kind, p.id);
  }

  added(kind: RevealKind, id: string): void {
    this.pending = { kind, id };
    this.close();
    const v = this.deps.view();
    if (v) this.updated(v);
  }

  /** The server's suggestions for a threat's target: used if the threat form still has that target. */
  suggestions(s: ThreatSuggestions): void {
    const target = this.panel.querySelector<HTMLSelectElement>('.add-form select[name="target"]')?.value;
    if (this.builder && target === s.target) this.builder.setSuggestions(s);
  }

  notice(message: string): void {
    const err = this.panel.querySelector('.form-error');
    if (err && this.open) err.textContent = message;
    else this.say(message);
  }

  private nameOf(id: string): string {
    return this.deps.view()?.elements.find(e => e.id === id)?.name ?? id;
  }

  private say(text: string): void {
    this.banner.textContent = text;
    this.banner.hidden = false;
  }

  private startConnect(): void {
    this.close();
    this.deps.opening();
    this.connecting = {};
    this.bar.classList.add('connecting');
    this.say('Click the element the data comes from, then the one it goes to (Escape to stop; the form below lets you pick both instead).');
    this.show('flow', true);
  }

  private stopConnect(): void {
    this.connecting = undefined;
    this.bar.classList.remove('connecting');
    this.banner.hidden = true;
  }

  private close(): void {
    this.stopConnect();
    this.open = undefined;
    this.builder = undefined;
    this.panel.hidden = true;
    replace(this.panel);
    for (const b of Array.from(this.bar.querySelectorAll('button.add'))) b.setAttribute('aria-pressed', 'false');
  }

  show(form: Form, keepConnecting = false): void {
    const v = this.deps.view();
    if (!v) return;
    if (!keepConnecting) this.stopConnect();
    this.deps.opening();
    this.open = form;
    for (const b of Array.from(this.bar.querySelectorAll<HTMLButtonElement>('button.add'))) b.setAttribute('aria-pressed', String(b.dataset.add === form));
    const boundaries = Authoring.choices('boundary', v)!;
    const elements = Authoring.choices('from', v)!;
    let fields: HTMLElement[];
    let title: string;
    switch (form) {
      case 'element':
        title = 'Add an element';
        fields = [field('Type', select('type', ELEMENT_TYPES.map(t => [t, WORDS[t]]), 'process')), field('Name', input('name', 'Payment API', true)),
          field('Trust boundary', select('boundary', boundaries)), field('Technology', input('technology', 'Node.js, PostgreSQL…'))];
        break;
      case 'boundary':
        title = 'Add a trust boundary';
        fields = [field('Name', input('name', 'Internal network', true)), field('Trust', select('trust', TRUST_LEVELS.map(t => [t, cap(t)]), 'trusted')),
          field('Inside', select('parent', boundaries))];
        break;
      case 'flow':
        title = 'Add a data flow';
        if (elements.length === 0) {
          fields = [h('p', {}, 'Add elements first: a flow goes from one element to another.')];
          break;
        }
        fields = [field('From', select('from', elements, this.flowEnds.from ?? this.deps.selectedElement())), field('To', select('to', elements, this.flowEnds.to)),
          field('Protocol', input('protocol', 'https, grpc, postgres…')), checkbox('encrypted', 'Encrypted'), checkbox('authenticated', 'Authenticated')];
        this.flowEnds = {};
        break;
      case 'threat': {
        title = 'Add a threat';
        const target = select('target', Authoring.choices('target', v)!, this.deps.selectedElement());
        // the statement builder: STRIDE with its explanation, the statement's parts with suggestions for the target
        const builder = new StatementBuilder(undefined);
        this.builder = builder;
        const suggest = () => {
          builder.setSuggestions(undefined);
          if (target.value) this.deps.post({ type: 'suggest', target: target.value });
        };
        target.addEventListener('change', suggest);
        queueMicrotask(suggest);
        fields = [field('Against', target), builder.root,
          field('Likelihood', select('likelihood', LIKELIHOODS.map(l => [l, cap(l)]), 'possible')), field('Impact', select('impact', IMPACTS.map(i => [i, cap(i)]), 'moderate'))];
        break;
      }
      case 'mitigation':
        title = 'Add a mitigation';
        fields = v.threats.length === 0 ? [h('p', {}, 'Add a threat first: a mitigation answers one.')]
          : [field('For threat', select('threat', Authoring.choices('threat', v)!)), field('Title', input('title', 'What reduces the risk', true))];
        break;
    }
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Add');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => this.close());
    const formEl = h('form', { class: 'add-form', 'aria-label': title }, h('strong', {}, title), ...fields, h('div', { class: 'actions' }, submit, cancel), h('div', { class: 'form-error', role: 'alert' }));
    formEl.addEventListener('submit', e => {
      e.preventDefault();
      const intent = this.intentOf(form, formEl);
      if (intent) this.deps.post({ type: 'addEntry', intent, version: this.deps.version() });
    });
    formEl.addEventListener('keydown', e => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
    });
    replace(this.panel, formEl);
    this.panel.hidden = false;
    if (!keepConnecting) formEl.querySelector<HTMLElement>('input[required], select')?.focus();
  }

  private intentOf(form: Form, f: HTMLFormElement): AddEntryMessage['intent'] | undefined {
    const val = (n: string) => (f.elements.namedItem(n) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
    const on = (n: string) => !!(f.elements.namedItem(n) as HTMLInputElement | null)?.checked;
    const opt = (n: string) => (val(n) ? { [n]: val(n) } : {});
    switch (form) {
      case 'element': return { kind: 'add-element', type: val('type'), name: val('name'), ...opt('boundary'), ...opt('technology') };
      case 'boundary': return { kind: 'add-boundary', name: val('name'), trust: val('trust'), ...opt('parent') };
      // an unticked box says nothing (unknown), not `false`: the user did not state that the flow is plaintext
      case 'flow': return val('from') ? { kind: 'add-flow', from: val('from'), to: val('to'), ...opt('protocol'), ...(on('encrypted') ? { encrypted: true } : {}), ...(on('authenticated') ? { authenticated: true } : {}) } : undefined;
      case 'threat': {
        const b = this.builder?.value();
        if (!val('target') || !b) return undefined;
        const statement = Object.keys(b.statement).length ? { statement: b.statement } : {};
        return { kind: 'add-threat', targets: [val('target')], stride: [b.stride], ...(b.title ? { title: b.title } : {}), ...statement, likelihood: val('likelihood'), impact: val('impact') };
      }
      case 'mitigation': return val('threat') ? { kind: 'add-mitigation', threat: val('threat'), title: val('title') } : undefined;
    }
  }
}
