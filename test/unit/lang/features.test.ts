import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { completionsAt } from '../../../src/core/lang/completions';
import { hoverAt } from '../../../src/core/lang/hover';
import { mdText } from '../../../src/core/lang/markdown';
import { definitionAt, occurrences, prepareRenameAt, renameAt } from '../../../src/core/lang/navigation';
import { lenses, outline, refactoringsAt } from '../../../src/core/lang/outline';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { computeFix } from '../../../src/core/edit/fixes';

const NOW = new Date('2026-11-27T00:00:00Z');

const MODEL = `rampart: 1
title: Shop
policy: { tolerance: medium }
assets:
  card-data: { name: Card data, classification: restricted }
boundaries:
  internet: { name: Internet, trust: untrusted }
  dmz: { name: DMZ, trust: partial }
elements:
  browser: { type: external, name: Customer browser, boundary: internet }
  api:   # the public API
    type: process
    name: Payment API
    boundary: dmz
flows:
  checkout: { from: browser, to: api, data: [card-data], encrypted: true, authenticated: true }
threats:
  token-replay:
    title: Stolen token replayed
    stride: [spoofing]
    targets: [api, checkout]
    likelihood: likely
    impact: major
    cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N
    status: open
    mitigations: [short-tokens, "pinning"]
mitigations:
  short-tokens: { title: Short-lived tokens, status: implemented, evidence: [src/auth.ts] }
  pinning: { title: Channel binding, status: proposed }
`;

const A = () => analyze(MODEL, { now: NOW });
/** Offset of the `n`-th occurrence of `needle` (plus `delta`). */
function off(needle: string, n = 1, delta = 0, text = MODEL): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} occurs ${n} times`);
  return i + delta;
}
const labels = (text: string, offset: number) => completionsAt(text, offset, analyze(text, { now: NOW }))?.items.map(i => i.label) ?? [];
const insertAt = (s: string, offset: number) => MODEL.slice(0, offset) + s + MODEL.slice(offset);

describe('lang: completion', () => {
  it('offers element and flow ids for threat targets, without those already listed', () => {
    const text = MODEL.replace('targets: [api, checkout]', 'targets: [api, ]');
    const items = completionsAt(text, off('targets: [api, ', 1, 15, text), analyze(text, { now: NOW }))!.items;
    assert.deepEqual(items.map(i => i.label), ['browser', 'checkout']);
    assert.match(items[0].detail!, /element · external · Customer browser/);
  });

  it('offers elements for a flow end and boundaries for an element', () => {
    const text = MODEL.replace('from: browser', 'from: ');
    assert.deepEqual(labels(text, off('from: ', 1, 6, text)), ['browser', 'api']);
    const t2 = MODEL.replace('boundary: dmz', 'boundary: ');
    assert.deepEqual(labels(t2, off('boundary: \n', 1, 10, t2)), ['internet', 'dmz']);
  });

  it('offers enum values with explanations', () => {
    const text = MODEL.replace('likelihood: likely', 'likelihood: ');
    const c = completionsAt(text, off('likelihood: ', 1, 12, text), analyze(text, { now: NOW }))!;
    assert.deepEqual(c.items.map(i => i.label), ['rare', 'unlikely', 'possible', 'likely', 'almost-certain']);
    assert.match(c.items[0].documentation!, /exceptional/);
    assert.deepEqual(labels(MODEL.replace('stride: [spoofing]', 'stride: [spoofing, ]'), off('stride: [spoofing, ', 1, 19, MODEL.replace('stride: [spoofing]', 'stride: [spoofing, ]'))),
      ['tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege']);
  });

  it('offers the keys still missing in a threat, required ones first, as snippets', () => {
    const at = off('    status: open\n') + '    status: open\n'.length;
    const text = MODEL.slice(0, at) + '    \n' + MODEL.slice(at);
    const c = completionsAt(text, at + 4, analyze(text, { now: NOW }));
    const ls = c!.items.map(i => i.label);
    assert.ok(ls.includes('description') && ls.includes('justification'));
    assert.ok(!ls.includes('title') && !ls.includes('status'), 'present keys are not offered');
    const desc = c!.items.find(i => i.label === 'description')!;
    assert.equal(desc.insertText, 'description: $0');
    const lik = completionsAt('rampart: 1\ntitle: x\nthreats:\n  t:\n    ', 38, analyze('rampart: 1\ntitle: x\n'))!.items;
    assert.deepEqual(lik.slice(0, 2).map(i => i.label), ['title', 'status'], 'required keys first');
    assert.equal(lik.find(i => i.label === 'likelihood')!.insertText, 'likelihood: ${1|rare,unlikely,possible,likely,almost-certain|}');
  });

  it('offers a new-entry snippet at the id level of a section, with the model\'s ids as choices', () => {
    const text = MODEL + '  ';
    const c = completionsAt(text, text.length, analyze(MODEL, { now: NOW }))!;
    assert.deepEqual(c.items.map(i => i.label), ['New mitigation']);
    const t2 = MODEL.replace('mitigations:\n  short', 'mitigations:\n  short').replace('threats:\n', 'threats:\n  \n');
    const s = completionsAt(t2, off('threats:\n  ', 1, 11, t2), analyze(t2, { now: NOW }))!.items[0];
    assert.equal(s.label, 'New threat');
    assert.match(s.insertText, /targets: \[\$\{4\|browser,api,checkout\|\}\]/);
    assert.match(s.insertText, /\n {2}title: /, 'nested lines indented by the file\'s unit');
  });

  it('offers the top-level keys in an empty file, `rampart` and `title` first', () => {
    const c = completionsAt('', 0, analyze(''))!;
    assert.deepEqual(c.items.slice(0, 2).map(i => [i.label, i.insertText]), [['rampart', 'rampart: 1'], ['title', 'title: $0']]);
    assert.ok(c.items.some(i => i.label === 'threats' && i.insertText === 'threats:\n  $0'));
  });

  it('adds the space a value needs after `key:`, and `- ` for a first list item on its own line', () => {
    const text = 'rampart: 1\ntitle: x\nthreats:\n  t:\n    title: y\n    status:';
    assert.equal(completionsAt(text, text.length, analyze(text))!.items[0].insertText, ' open');
    const t2 = 'rampart: 1\ntitle: x\nelements:\n  a: { type: process, name: A }\nthreats:\n  t:\n    targets:\n      \n    status: open\n';
    const at = t2.indexOf('targets:\n') + 15;
    assert.equal(completionsAt(t2, at, analyze(t2))!.items[0].insertText, '- a');
  });
});

describe('lang: definition, references, rename', () => {
  it('goes from a reference to the definition key, quoted or not', () => {
    const a = A();
    const d = definitionAt(a, off('api, checkout', 1, 1));
    assert.equal(MODEL.slice(d!.range.start, d!.range.end), 'api');
    assert.equal(d!.range.start, off('api:   #'));
    const q = definitionAt(a, off('"pinning"', 1, 2));
    assert.equal(q!.range.start, off('pinning: {'));
  });

  it('lists the definition and every reference', () => {
    const occ = occurrences(A(), 'element', 'api');
    assert.deepEqual(occ.map(o => MODEL.slice(o.range.start, o.range.end)), ['api', 'api', 'api']);
    assert.deepEqual(occ.map(o => o.isDefinition), [true, false, false]);
  });

  it('renames the key and every reference, keeping quotes and comments', () => {
    const a = A();
    const r = renameAt(a, off('"pinning"', 1, 3), 'channel-binding');
    assert.ok('edits' in r);
    const after = applyEdits(MODEL, r.edits);
    assert.match(after, /mitigations: \[short-tokens, "channel-binding"\]/);
    assert.match(after, /\n {2}channel-binding: \{ title: Channel binding/);
    const r2 = renameAt(a, off('api:   #', 1, 1), 'payment-api');
    assert.ok('edits' in r2);
    const after2 = applyEdits(MODEL, r2.edits);
    assert.match(after2, /payment-api: {3}# the public API/);
    assert.match(after2, /to: payment-api/);
    assert.match(after2, /targets: \[payment-api, checkout\]/);
    assert.deepEqual(analyze(after2, { now: NOW }).findings.filter(f => f.ruleId.startsWith('schema/')), []);
  });

  it('refuses ids that are not kebab-case or already taken, and positions that are not ids', () => {
    const a = A();
    assert.match((renameAt(a, off('api:   #'), 'Payment API') as { error: string }).error, /kebab-case/);
    assert.match((renameAt(a, off('api:   #'), 'checkout') as { error: string }).error, /already exists/);
    assert.ok('error' in prepareRenameAt(a, off('title: Shop')));
    const p = prepareRenameAt(a, off('from: browser', 1, 8));
    assert.deepEqual(p, { range: { start: off('from: browser', 1, 6), end: off('from: browser', 1, 13) }, id: 'browser' });
  });
});

describe('lang: hover', () => {
  it('summarises a threat: level, residual, CVSS, mitigations, STRIDE', () => {
    const h = hoverAt(A(), off('token-replay:', 1, 2))!;
    assert.match(h.markdown, /Risk: \*\*high\*\* \(likely × major\)/);
    assert.match(h.markdown, /residual: partially mitigated/);
    assert.match(h.markdown, /CVSS 3\.1: \*\*8\.1\*\* high/);
    assert.match(h.markdown, /Mitigations: 1\/2 implemented/);
    assert.match(h.markdown, /Spoofing \(S\): pretending/);
    assert.match(h.markdown, /Unmitigated threat above risk tolerance/, 'the finding on the key explains its rule');
  });

  it('summarises an element from a reference: boundary with trust, data, threats by level', () => {
    const h = hoverAt(A(), off('to: api', 1, 5))!;
    assert.match(h.markdown, /\*\*Payment API\*\* `api` · process/);
    assert.match(h.markdown, /Boundary: DMZ \(partial\)/);
    assert.match(h.markdown, /card-data/);
    assert.match(h.markdown, /- \*\*high\*\*: `token-replay`/);
  });

  it('summarises a mitigation: status, evidence, threats covered', () => {
    const h = hoverAt(A(), off('short-tokens:', 1, 1))!;
    assert.match(h.markdown, /Status: \*\*implemented\*\*/);
    assert.match(h.markdown, /src\\\/auth\\\.ts/);
    assert.match(h.markdown, /`token-replay` Stolen token replayed \(high\)/);
  });

  it('explains an enum value', () => {
    assert.match(hoverAt(A(), off('trust: untrusted', 1, 8))!.markdown, /Untrusted: anyone/);
  });

  it('escapes Markdown, HTML and links in text from the file', () => {
    const evil = MODEL.replace('name: Payment API', 'name: "<img src=x onerror=alert(1)> [click](command:rampart.x) **b** https://evil.example"');
    const h = hoverAt(analyze(evil, { now: NOW }), off('to: api', 1, 5, evil))!;
    assert.doesNotMatch(h.markdown, /(^|[^\\])<img/, 'no raw HTML');
    assert.doesNotMatch(h.markdown, /(^|[^\\])\]\(command/, 'no link');
    assert.match(h.markdown, /\\\*\\\*b\\\*\\\*/, 'no emphasis');
    assert.ok(!h.markdown.includes('https://'), 'no autolink');
    assert.equal(mdText('a*b_c`d[e]<f>&g\nh'), 'a\\*b\\_c\\`d\\[e\\]\\<f\\>\\&g h');
  });
});

describe('lang: outline, lenses, refactorings', () => {
  it('lists sections with their entries, including entries that fail validation', () => {
    const broken = MODEL.replace('type: process\n', 'type: processor\n');
    const o = outline(analyze(broken, { now: NOW }));
    const elements = o.find(s => s.name === 'elements')!;
    assert.deepEqual(elements.children.map(c => [c.name, c.detail]), [['browser', 'Customer browser'], ['api', 'Payment API']]);
    const flows = o.find(s => s.name === 'flows')!;
    assert.equal(flows.children[0].detail, 'browser → api');
    assert.equal(o.find(s => s.name === 'title')!.detail, 'Shop');
  });

  it('puts a lens over each threat and element', () => {
    const ls = lenses(A());
    const byLine = Object.fromEntries(ls.map(l => [MODEL.slice(l.range.start, l.range.end), l.title]));
    assert.equal(byLine['token-replay'], 'high · partially mitigated · 1/2 mitigations implemented · above medium tolerance');
    assert.equal(byLine['api'], '1 open threat (1 high)');
    assert.equal(byLine['browser'], 'no threats yet');
  });

  it('offers refactorings at the cursor, and their fixes apply', () => {
    const a = A();
    const inThreat = refactoringsAt(a, off('impact: major', 1, 3));
    assert.deepEqual(inThreat.map(f => f.kind), ['add-mitigation', 'accept-risk'], 'offered inside the threat even away from its diagnostic');
    const onElement = refactoringsAt(a, off('name: Customer browser', 1, 3));
    assert.deepEqual(onElement.map(f => f.kind), ['add-stride-stubs']);
    const after = applyEdits(MODEL, computeFix(MODEL, onElement[0], { now: NOW }));
    assert.match(after, /browser-spoofing:/);
    assert.match(after, /# the public API/);
    const dangling = MODEL.replace('to: api', 'to: ledger');
    const onRef = refactoringsAt(analyze(dangling, { now: NOW, disabledRules: ['schema/'] }), off('ledger', 1, 2, dangling));
    assert.ok(onRef.some(f => f.kind === 'create-element' && f.id === 'ledger'), 'create the missing element even without a diagnostic');
  });
});
