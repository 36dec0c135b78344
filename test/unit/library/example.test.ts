/**
 * The example library (examples/library/, written with the adapters): it loads without problems and has all three
 * kinds of entries; on the example model its rules fire, do not fire and are reconciled as the model says; its
 * catalog entries are suggested on matching elements only; its template is inserted with comments kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { insertTemplate, libraryThreatsFor, loadLibraries, type Library } from '../../../src/core/library/index';
import { libraryRuleMetaById } from '../../../src/core/library/apply';
import { hoverAt } from '../../../src/core/lang/hover';
import { mdText } from '../../../src/core/lang/markdown';

const ROOT = path.resolve(__dirname, '../../..');
const DIR = path.join(ROOT, 'examples/library');

describe('library: the example library', () => {
  const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter(f => /\.ya?ml$/.test(f) && !/\.threatmodel\.ya?ml$/.test(f)).sort() : [];
  const models = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter(f => /\.threatmodel\.ya?ml$/.test(f)).sort() : [];
  let l: Library;
  before(function () {
    if (!files.length) this.skip();
    l = loadLibraries(files.map(f => ({ uri: path.join(DIR, f), display: `examples/library/${f}`, text: fs.readFileSync(path.join(DIR, f), 'utf8') })));
  });

  it('loads without problems and has catalog entries, templates and rules', () => {
    assert.deepEqual(l.problems, []);
    assert.ok(l.catalog.length && l.templates.size && l.rules.length, 'all three kinds');
  });

  it('runs on the example models (and the other examples) without failing', () => {
    const all = [...models.map(m => path.join(DIR, m)), ...fs.readdirSync(path.join(ROOT, 'examples')).filter(f => f.endsWith('.threatmodel.yaml')).map(f => path.join(ROOT, 'examples', f))];
    for (const m of all) {
      const a = analyze(fs.readFileSync(m, 'utf8'), { library: l });
      assert.deepEqual(a.findings.filter(f => f.ruleId === 'internal/rule-failed' || f.ruleId === 'library/invalid' || f.ruleId.startsWith('schema/')), [], m);
    }
  });

  it('on shop.threatmodel.yaml: a rule fires, one is reconciled by a tracked threat, one does not fire', function () {
    if (!models.includes('shop.threatmodel.yaml') || !l.rules.some(r => r.meta.id === 'acme/public-api-without-waf')) this.skip();
    const text = fs.readFileSync(path.join(DIR, 'shop.threatmodel.yaml'), 'utf8');
    const a = analyze(text, { library: l });
    const by = (id: string) => a.findings.filter(f => f.ruleId === id).map(f => f.path?.[1]);
    assert.deepEqual(by('acme/public-api-without-waf'), ['storefront']);
    assert.deepEqual(by('acme/db-without-backup'), [], 'tracked by orders-db-no-backup');
    assert.deepEqual(by('acme/cache-without-auth'), [], 'the cache authenticates');
    const model = a.parsed.model;
    const entries = (id: string) => libraryThreatsFor(l, model, id).map(e => e.id);
    assert.ok(entries('orders-db').includes('acme/pg-sqli'));
    assert.ok(!entries('sessions').includes('acme/pg-sqli'));
    assert.ok(!entries('customer').includes('acme/pg-sqli'));
    // without the tracked threat, the backup rule fires
    const untracked = text.replace(/ {2}orders-db-no-backup:[\s\S]*?(?=\n\S|\n\n)/, '  other:\n    title: Something else\n    targets: [storefront]\n    status: open\n    mitigations: [orders-db-backups]');
    assert.deepEqual(analyze(untracked, { library: l }).findings.filter(f => f.ruleId === 'acme/db-without-backup').map(f => f.path?.[1]), ['orders-db']);
  });

  it('a hover on a library rule\'s finding explains the rule (title, description, advice), every text escaped', function () {
    if (!models.includes('shop.threatmodel.yaml')) this.skip();
    const text = fs.readFileSync(path.join(DIR, 'shop.threatmodel.yaml'), 'utf8');
    const a = analyze(text, { library: l });
    const f = a.findings.find(x => x.ruleId === 'acme/public-api-without-waf')!;
    const meta = libraryRuleMetaById(l, f.ruleId)!;
    const h = hoverAt(a, f.range.start, id => libraryRuleMetaById(l, id))!;
    assert.ok(h.markdown.includes('`acme/public-api-without-waf`'), h.markdown);
    assert.ok(h.markdown.includes(mdText(meta.title, 200)), 'the rule\'s title');
    assert.ok(h.markdown.includes(`What to do: ${mdText(meta.advice, 1000)}`), 'its advice');
    assert.ok(!hoverAt(a, f.range.start)!.markdown.includes(mdText(meta.title, 200)), 'without the library, only the id and why');
    // a hostile library: its texts are shown as text, never as links or HTML
    const evil = { ...meta, title: '[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>', advice: '**[x](https://evil.example)**' };
    const md = hoverAt(a, f.range.start, id => (id === f.ruleId ? evil : undefined))!.markdown;
    assert.ok(!md.includes('[click](command:'), md);
    assert.ok(!/(^|[^\\])<img/.test(md) && md.includes('\\<img'), 'the tag is escaped (shown as text)');
    assert.ok(!md.includes('](https://evil.example)'), md);
  });

  it('a template is inserted into the example model with its comments kept', function () {
    if (!models.includes('shop.threatmodel.yaml') || !l.templates.has('acme/postgres')) this.skip();
    const text = fs.readFileSync(path.join(DIR, 'shop.threatmodel.yaml'), 'utf8');
    const r = insertTemplate(text, l, 'acme/postgres', { name: 'Reporting DB', boundary: 'platform' });
    assert.equal(r.refusal, undefined);
    const after = applyEdits(text, r.edits);
    for (const line of text.split('\n').filter(x => x.trim().startsWith('#'))) assert.ok(after.includes(line), line);
    const a = analyze(after, { library: l });
    assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('schema/')), []);
    assert.equal(a.parsed.model.elements![r.id!].technology, 'PostgreSQL 16');
    assert.ok(r.threats!.every(t => a.parsed.model.threats![t]?.targets?.includes(r.id!)));
  });
});
