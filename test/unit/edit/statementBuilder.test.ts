/**
 * The webview's statement builder (#11) on a tiny stand-in DOM (the real browser test is in test/webview): what
 * it renders, how suggestions fill it, the title that follows the statement until the user writes one, and that
 * its bundle holds neither the schema library nor the YAML parser.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { threatSuggestions, type ThreatSuggestions } from '../../../src/core/edit/suggestions';

const ROOT = path.resolve(__dirname, '../../..');
const SERVICE = fs.readFileSync(path.join(ROOT, 'examples/service-platform.threatmodel.yaml'), 'utf8');

type Listener = (e: { type: string; preventDefault(): void }) => void;

/** Just enough of the DOM for src/webview/dom.ts and the builder. */
class FakeNode {
  parentNode: FakeElement | null = null;
  constructor(public data = '') {}
  get textContent(): string { return this.data; }
}
class FakeElement extends FakeNode {
  readonly children: FakeNode[] = [];
  readonly attrs = new Map<string, string>();
  private readonly listeners = new Map<string, Listener[]>();
  value = '';
  checked = false;
  selected = false;
  constructor(readonly tagName: string) { super(); }
  setAttribute(k: string, v: string) { this.attrs.set(k, v); }
  getAttribute(k: string) { return this.attrs.get(k) ?? null; }
  get id() { return this.attrs.get('id') ?? ''; }
  get firstChild() { return this.children[0] ?? null; }
  appendChild(c: FakeNode) { c.parentNode?.removeChild(c); this.children.push(c); c.parentNode = this; return c; }
  removeChild(c: FakeNode) { this.children.splice(this.children.indexOf(c), 1); c.parentNode = null; return c; }
  override get textContent(): string { return this.children.map(c => c.textContent).join(''); }
  override set textContent(t: string) { this.children.splice(0).forEach(c => (c.parentNode = null)); if (t) this.appendChild(new FakeNode(t)); }
  set innerHTML(_: string) { throw new Error('innerHTML is never used'); }
  addEventListener(type: string, f: Listener) { this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]); }
  dispatch(type: string) { for (const f of this.listeners.get(type) ?? []) f({ type, preventDefault() {} }); }
  focus() { focused = this; }
  /** Every element below (depth first) that matches. */
  all(pred: (e: FakeElement) => boolean): FakeElement[] {
    return this.children.flatMap(c => (c instanceof FakeElement ? [...(pred(c) ? [c] : []), ...c.all(pred)] : []));
  }
  one(pred: (e: FakeElement) => boolean): FakeElement {
    const found = this.all(pred);
    assert.equal(found.length, 1, 'exactly one element matches');
    return found[0];
  }
}
let focused: FakeElement | undefined;

interface Builder {
  root: FakeElement;
  setSuggestions(s: ThreatSuggestions | undefined): void;
  use(i: number): void;
  value(): { stride: string; title: string; statement: Record<string, unknown> };
  complete(): boolean;
  focus(): void;
}
type BuilderClass = new (container: unknown, options?: { stride?: string; onChange?: (v: unknown) => void }) => Builder;

describe('statement builder (webview, #11)', () => {
  let StatementBuilder: BuilderClass;
  const saved = (globalThis as { document?: unknown }).document;

  before(async () => {
    (globalThis as { document?: unknown }).document = { createElement: (t: string) => new FakeElement(t), createTextNode: (t: string) => new FakeNode(t) };
    // a path the type checker does not follow: the webview is checked with its own DOM config
    ({ StatementBuilder } = await import(path.join(ROOT, 'src/webview/statementBuilder.ts')));
  });
  after(() => {
    (globalThis as { document?: unknown }).document = saved;
  });

  const PARTS = new Set(['source', 'prerequisites', 'action', 'impact']);
  // the statement's inputs are named statement-<part> (the form around them has its own impact select)
  const byName = (root: FakeElement, name: string) => root.one(e => e.attrs.get('name') === (PARTS.has(name) ? `statement-${name}` : name));
  const type = (input: FakeElement, text: string) => {
    input.value = text;
    input.dispatch('input');
  };
  const labelOf = (root: FakeElement, control: FakeElement) => root.all(e => e.tagName === 'label' && (e.attrs.get('for') === control.id || e.all(x => x === control).length > 0));

  it('renders labelled controls with datalists, and no innerHTML', () => {
    const container = new FakeElement('div');
    const b = new StatementBuilder(container);
    assert.equal(container.children[0], b.root);
    const controls = b.root.all(e => e.tagName === 'input' || e.tagName === 'select');
    assert.ok(controls.length >= 6);
    for (const c of controls) assert.ok(labelOf(b.root, c).length || c.attrs.get('aria-label'), `${c.tagName} ${c.attrs.get('name')} has a label`);
    for (const part of ['source', 'prerequisites', 'action', 'impact']) {
      const input = byName(b.root, part);
      const list = b.root.one(e => e.tagName === 'datalist' && e.id === input.attrs.get('list'));
      assert.equal(list.children.length, 0);
    }
    // the STRIDE select with its explanation, described by it
    const stride = byName(b.root, 'stride');
    assert.equal(stride.children.length, 6);
    const explain = b.root.one(e => e.id === stride.attrs.get('aria-describedby'));
    assert.equal(explain.textContent, 'Spoofing: pretending to be someone or something else');
    // two builders on one page do not share ids
    const other = new StatementBuilder(undefined);
    assert.notEqual(byName(other.root, 'source').id, byName(b.root, 'source').id);
    b.focus();
    assert.equal(focused, stride);
  });

  it('fills every field from a suggestion and returns the value', () => {
    const changes: unknown[] = [];
    const b = new StatementBuilder(undefined, { onChange: v => changes.push(v) });
    const s = threatSuggestions(SERVICE, 'operator');
    b.setSuggestions(s);
    // the category that applies first is chosen; the non-applicable ones say so
    const stride = byName(b.root, 'stride');
    assert.equal(stride.value, 'spoofing');
    assert.match(stride.children.find(o => (o as FakeElement).attrs.get('value') === 'tampering')!.textContent, /not usual/);
    // datalists, asset checkboxes and one "Use:" button per suggestion
    const sourceList = b.root.one(e => e.tagName === 'datalist' && e.id === byName(b.root, 'source').attrs.get('list'));
    assert.deepEqual(sourceList.children.map(o => (o as FakeElement).attrs.get('value')), s.lists.source);
    const boxes = b.root.all(e => e.attrs.get('type') === 'checkbox');
    assert.deepEqual(boxes.map(x => x.attrs.get('value')), s.assets.map(a => a.id));
    const buttons = b.root.all(e => e.tagName === 'button');
    assert.equal(buttons.length, s.suggestions.length);
    assert.equal(buttons[0].textContent, `Use: ${s.suggestions[0].title}`);
    assert.equal(buttons[0].attrs.get('type'), 'button');

    const rule = s.suggestions.findIndex(x => x.ruleId === 'design/privileged-user-without-mfa');
    buttons[rule].dispatch('click');
    const v = b.value();
    assert.equal(v.stride, 'spoofing');
    assert.equal(v.title, s.suggestions[rule].title);
    assert.deepEqual(v.statement, s.suggestions[rule].statement);
    assert.ok(b.complete());
    assert.equal(changes.length, 1);
    const preview = b.root.one(e => e.tagName === 'output');
    assert.match(preview.textContent, /^An external attacker with a stolen, reused or guessed password of Platform operator can sign in as Platform operator, which leads to .*, negatively impacting Customer accounts and order history, /);

    // a generic suggestion in another category switches the category and its explanation
    const rep = s.suggestions.findIndex(x => x.stride === 'repudiation');
    b.use(rep);
    assert.equal(b.value().stride, 'repudiation');
    assert.equal(b.root.one(e => e.id === stride.attrs.get('aria-describedby')).textContent, 'Repudiation: denying an action when nobody can prove otherwise');
  });

  it('writes the title from the statement until the user writes their own; an emptied title follows again', () => {
    const b = new StatementBuilder(undefined, { stride: 'tampering' });
    b.setSuggestions(undefined);
    assert.equal(b.value().stride, 'tampering');
    const preview = b.root.one(e => e.tagName === 'output');
    assert.equal(preview.textContent, '[threat source] can [threat action], which leads to [threat impact].');
    type(byName(b.root, 'source'), 'an insider');
    type(byName(b.root, 'action'), 'delete orders');
    type(byName(b.root, 'impact'), 'lost revenue');
    const title = byName(b.root, 'title');
    assert.equal(title.value, 'An insider can delete orders, which leads to lost revenue');
    assert.equal(preview.textContent, 'An insider can delete orders, which leads to lost revenue.');
    type(title, 'Orders deleted by an insider');
    type(byName(b.root, 'prerequisites'), 'database access');
    assert.equal(b.value().title, 'Orders deleted by an insider');
    assert.deepEqual(b.value().statement, { source: 'an insider', prerequisites: 'database access', action: 'delete orders', impact: 'lost revenue' });
    // a suggestion does not overwrite the user's own title
    b.setSuggestions(threatSuggestions(SERVICE, 'operator'));
    b.use(0);
    assert.equal(b.value().title, 'Orders deleted by an insider');
    type(title, '');
    type(byName(b.root, 'impact'), 'chaos');
    assert.match(b.value().title, /, which leads to chaos$/);
  });

  it('keeps what the user typed when the suggestions arrive, and text stays text', () => {
    const b = new StatementBuilder(undefined);
    const evil = '<img src=x onerror=alert(1)>';
    type(byName(b.root, 'source'), evil);
    b.setSuggestions(threatSuggestions(SERVICE, 'gateway-auth'));
    assert.equal(byName(b.root, 'source').value, evil);
    assert.ok(b.root.one(e => e.tagName === 'output').textContent.startsWith(evil));
    assert.equal(b.root.all(e => e.tagName === 'img').length, 0);
    // no assets on this flow: a note instead of checkboxes
    assert.equal(b.root.all(e => e.attrs.get('type') === 'checkbox').length, 0);
    // an unknown target: no buttons, a note
    b.setSuggestions(threatSuggestions(SERVICE, 'nope'));
    assert.equal(b.root.all(e => e.tagName === 'button').length, 0);
    assert.ok(!b.complete());
  });

  it('bundles without the schema library, the YAML parser or the analysis', async function () {
    this.timeout(60_000);
    const r = await esbuild.build({ absWorkingDir: ROOT, entryPoints: ['src/webview/statementBuilder.ts'], bundle: true, write: false, metafile: true, platform: 'browser', format: 'esm', logLevel: 'silent' });
    const inputs = Object.keys(r.metafile!.inputs);
    assert.deepEqual(inputs.filter(f => /node_modules|analyze|schema\.ts|parse\.ts|rules\/(index|stride)|suggestions/.test(f)), []);
    assert.ok(r.outputFiles[0].contents.length < 30_000, String(r.outputFiles[0].contents.length));
  });
});
