import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { findingLine, ids } from '../helpers';

/** Each bad input from the issue: a clear finding on the right line, no exception, no hang. */
function check(text: string, maxFileSize?: number) {
  const t0 = Date.now();
  const a = analyze(text, { maxFileSize });
  assert.ok(Date.now() - t0 < 5000, 'answers promptly');
  return a;
}

describe('bad input gives a clear finding on the right line', () => {
  it('invalid YAML: points at the broken line', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n  api: { type: process, name: API\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/yaml-syntax');
    assert.ok(f, ids(a.findings).join());
    assert.ok(findingLine(text, f) >= 4);
    assert.match(f.message, /YAML syntax error/);
  });

  it('a file over the size cap is refused before parsing', () => {
    const text = 'rampart: 1\ntitle: big\ndescription: "' + 'x'.repeat(3000) + '"\n';
    const a = check(text, 1000);
    assert.deepEqual(ids(a.findings), ['schema/file-too-large']);
    assert.match(a.findings[0].message, /over the 1000-byte limit/);
  });

  it('an alias bomb is stopped', () => {
    const lines = ['rampart: 1', 'title: bomb', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill('*' + String.fromCharCode(97 + i)).join(',')}]`);
    const a = check(lines.join('\n') + '\n');
    const f = a.findings.find(x => x.ruleId === 'schema/alias-limit');
    assert.ok(f, ids(a.findings).join());
  });

  it('5,000-deep flow nesting is refused without crashing', () => {
    const text = 'rampart: 1\ntitle: deep\ndescription: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/nesting-too-deep');
    assert.ok(f, ids(a.findings).join());
    assert.equal(findingLine(text, f), 3);
  });

  it('5,000-deep block nesting is refused without crashing', () => {
    const text = 'rampart: 1\ntitle: deep\n' + Array.from({ length: 5000 }, (_, i) => ' '.repeat(i) + 'k' + i + ':').join('\n') + ' 1\n';
    const a = check(text);
    assert.ok(a.findings.some(x => x.severity === 'error'), ids(a.findings).join());
  });

  it('__proto__ and constructor keys are refused and pollute nothing', () => {
    const text = 'rampart: 1\ntitle: x\n__proto__: { polluted: true }\nelements:\n  constructor: { type: process, name: C }\n';
    const a = check(text);
    const reserved = a.findings.filter(x => x.ruleId === 'schema/reserved-key');
    assert.deepEqual(reserved.map(f => findingLine(text, f)), [3, 5]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('duplicate keys (a duplicate id) are reported on the second one', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n  api: { type: process, name: A }\n  api: { type: process, name: B }\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/duplicate-key');
    assert.ok(f);
    assert.equal(findingLine(text, f), 5);
  });

  it('multiple YAML documents: the extra document is flagged', () => {
    const text = 'rampart: 1\ntitle: x\n---\nrampart: 1\ntitle: y\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/multiple-documents');
    assert.ok(f);
    assert.equal(findingLine(text, f), 3);
  });

  it('!!binary and custom tags are refused', () => {
    const text = 'rampart: 1\ntitle: x\ndescription: !!binary aGVsbG8=\nversion: !custom 1\n';
    const a = check(text);
    const tags = a.findings.filter(x => x.ruleId === 'schema/unsupported-tag');
    assert.deepEqual([...new Set(tags.map(f => findingLine(text, f)))], [3, 4]);
  });

  it('a %YAML 1.1 header is flagged', () => {
    const text = '%YAML 1.1\n---\nrampart: 1\ntitle: x\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/yaml-version');
    assert.ok(f);
    assert.equal(findingLine(text, f), 1);
  });

  it('tabs used for indentation are reported on their line', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n\tapi: { type: process, name: A }\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/yaml-syntax');
    assert.ok(f);
    assert.equal(findingLine(text, f), 4);
    assert.match(a.findings.map(x => x.message).join(' '), /[Tt]ab/);
  });

  it('a BOM is accepted and ranges still land on the right text', () => {
    const text = '\uFEFFrampart: 1\ntitle: x\nelements:\n  api: { type: proces, name: A }\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/invalid-value');
    assert.ok(f, ids(a.findings).join());
    assert.equal(text.slice(f.range.start, f.range.end), 'proces');
  });

  it('CRLF line endings give the same findings on the same lines', () => {
    const lf = 'rampart: 1\ntitle: x\nelements:\n  api: { type: proces, name: A }\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = check(lf), b = check(crlf);
    assert.deepEqual(ids(a.findings), ids(b.findings));
    assert.deepEqual(a.findings.map(f => findingLine(lf, f)), b.findings.map(f => findingLine(crlf, f)));
  });

  it('an empty file says how to start', () => {
    const a = check('');
    assert.deepEqual(ids(a.findings), ['schema/empty-file']);
    assert.match(a.findings[0].message, /rampart: 1/);
    assert.deepEqual(ids(check('   \n# only a comment\n').findings), ['schema/empty-file']);
  });

  it('a JSON file is read as YAML 1.2 and validated like any model', () => {
    const ok = check('{"rampart": 1, "title": "From JSON", "elements": {"api": {"type": "process", "name": "API"}}}');
    assert.equal(ok.findings.filter(f => f.ruleId.startsWith('schema/')).length, 0);
    const td = check('{"summary": {"title": "Demo"}, "detail": {"diagrams": []}, "version": "2.0"}');
    assert.deepEqual(ids(td.findings), ['schema/not-a-threat-model']);
    assert.match(td.findings[0].message, /Threat Dragon/);
  });

  it('a binary file is named as such, not parsed', () => {
    const a = check('rampart: 1\n\u0000\u0001\u0002\uFFFDgarbage');
    assert.deepEqual(ids(a.findings), ['schema/not-a-threat-model']);
    assert.match(a.findings[0].message, /binary data/);
  });

  it('a Threagile file opened by mistake says what it is', () => {
    const text = 'threagile_version: 1.0.0\ntitle: Some Example Application\ntechnical_assets: {}\ntrust_boundaries: {}\n';
    const a = check(text);
    assert.deepEqual(ids(a.findings), ['schema/not-a-threat-model']);
    assert.match(a.findings[0].message, /Threagile model.*rampart import --from threagile/);
  });

  it('an unsupported format version is reported on its value', () => {
    const text = 'rampart: 2\ntitle: x\n';
    const a = check(text);
    const f = a.findings.find(x => x.ruleId === 'schema/unsupported-version');
    assert.ok(f);
    assert.equal(text.slice(f.range.start, f.range.end), '2');
  });
});
