/**
 * Hostile and broken library files: each problem is a clear message located at the right place in its file, the
 * rest of the file is still used, and a model using a library with errors gets `library/invalid`.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { loadLibraries, MAX_LIBRARY_FILE_SIZE, type Library } from '../../../src/core/library/index';
import type { LibraryProblem } from '../../../src/core/library/types';
import { file, LIB, MODEL } from './fixtures';
import { scaling } from '../helpers';

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const located = (text: string, l: Library) => l.problems.map(p => ({ line: lineOf(text, p.range.start), at: text.slice(p.range.start, p.range.end), message: p.message, severity: p.severity }));
const load = (text: string) => { const l = loadLibraries([file(text)]); return { l, ps: located(text, l) }; };

const HEAD = 'rampart-library: 1\nname: acme\n';
const RULE = (when: string) => `${HEAD}rules:\n  r:\n    title: R\n    message: m\n    when: ${when}\n    threat: { title: T }\n`;

describe('library: hostile files', () => {
  it('an unknown key is located at the key, with a did-you-mean, and only its entry is left out', () => {
    const text = `${HEAD}threats:\n  a:\n    title: A\n    strid: [tampering]\n  b:\n    title: B\n`;
    const { l, ps } = load(text);
    assert.equal(ps.length, 1);
    assert.deepEqual([ps[0].line, ps[0].at], [6, 'strid']);
    assert.match(ps[0].message, /Unknown key `strid`.*Did you mean `stride`\?/);
    assert.deepEqual(l.catalog.map(c => c.id), ['acme/b']);
  });

  it('an unknown key inside a condition is located there', () => {
    const text = RULE('{ element: { type: store, kinds: database } }');
    const { l, ps } = load(text);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].at, 'kinds');
    assert.match(ps[0].message, /Did you mean `kind`/);
    assert.deepEqual(l.rules, []);
  });

  it('a condition without a subject says to name element: or flow:', () => {
    const { ps } = load(RULE('{ type: store }'));
    assert.equal(ps.length, 1);
    assert.match(ps[0].message, /element|flow/);
    assert.equal(ps[0].line, 7);
  });

  it('wrong types and values are located at the value', () => {
    const text = `${HEAD}rules:\n  r:\n    title: R\n    severity: fatal\n    message: m\n    when: { element: { type: stor } }\n    threat: { title: T, likelihood: 3 }\n`;
    const ps = load(text).ps;
    assert.ok(ps.some(p => p.at === 'fatal' && /one of error, warning, info/.test(p.message)), JSON.stringify(ps));
    assert.ok(ps.some(p => p.at === 'stor' && /Did you mean `store`/.test(p.message)), JSON.stringify(ps));
    assert.ok(ps.some(p => p.at === '3' && /likelihood/.test(p.message)), JSON.stringify(ps));
  });

  it('templates extending each other in a cycle: a problem at each extends naming the cycle', () => {
    const text = `${HEAD}templates:\n  a:\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n  d:\n    extends: a\n  e:\n    element: { type: store }\n`;
    const { l, ps } = load(text);
    const cyc = ps.filter(p => /cycle/.test(p.message));
    assert.deepEqual(cyc.map(p => [p.line, p.at]), [[5, 'b'], [7, 'c'], [9, 'a']]);
    assert.match(cyc[0].message, /`acme\/a` -> `acme\/b` -> `acme\/c` -> `acme\/a`/);
    assert.ok(ps.some(p => p.line === 11 && /left out/.test(p.message)), 'd extends a template of the cycle');
    assert.deepEqual([...l.templates.keys()], ['acme/e']);
  });

  it('a template extending itself, or a template that does not exist', () => {
    const { ps } = load(`${HEAD}templates:\n  a:\n    extends: a\n  b:\n    extends: nope\n`);
    assert.equal(ps.length, 2);
    assert.match(ps[0].message, /`acme\/a` -> `acme\/a`/);
    assert.match(ps[1].message, /names no template/);
  });

  it('a template threat that names no catalog entry, or links an unknown mitigation', () => {
    const { l, ps } = load(`${HEAD}templates:\n  a:\n    threats:\n      - nope\n      - { title: X, mitigations: [m1] }\n`);
    assert.equal(ps.length, 2);
    assert.deepEqual([ps[0].line, ps[0].at], [6, 'nope']);
    assert.match(ps[1].message, /`m1` is not in this template's `mitigations:`/);
    assert.equal(l.templates.get('acme/a')!.threats.length, 1);
  });

  it('a huge file is refused unread with a problem at its start', () => {
    const text = HEAD + '# ' + 'x'.repeat(MAX_LIBRARY_FILE_SIZE) + '\n';
    const t0 = Date.now();
    const { l, ps } = load(text);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(ps.length, 1);
    assert.match(ps[0].message, /over the 1048576-byte limit/);
    assert.equal(ps[0].line, 1);
    assert.deepEqual(l.names, []);
  });

  it('a condition over the limits (depth, size) is refused, located at its when', () => {
    let deep = '{ type: store }';
    for (let i = 0; i < 8; i++) deep = `{ not: ${deep} }`;
    const { l, ps } = load(RULE(`{ element: ${deep} }`));
    assert.equal(ps.length, 1);
    assert.match(ps[0].message, /too expensive: it nests \d+ levels deep/);
    assert.equal(ps[0].line, 7);
    assert.deepEqual(l.rules, []);
    const wide = `{ element: { any: [${Array.from({ length: 30 }, () => '{ technology: [a, b, c] }').join(', ')}] } }`;
    const w = load(RULE(wide));
    assert.equal(w.ps.length, 1);
    assert.match(w.ps[0].message, /more than 64 fields and values/);
    // a catalog entry's applies_to too
    const c = load(`${HEAD}threats:\n  t:\n    title: T\n    applies_to: { element: ${deep} }\n`);
    assert.match(c.ps[0].message, /too expensive/);
    assert.deepEqual(c.l.catalog, []);
  });

  it('duplicate ids across files of one namespace, located at the second', () => {
    const a = `${HEAD}threats:\n  x: { title: X }\nrules:\n  r: { title: R, message: m, when: { element: { type: store } }, threat: { title: T } }\n`;
    const b = `${HEAD}threats:\n  x: { title: X2 }\n  y: { title: Y }\nrules:\n  r: { title: R2, message: m, when: { element: { type: store } }, threat: { title: T } }\n`;
    const l = loadLibraries([file(a, 'a.yaml'), file(b, 'b.yaml')]);
    const ps = l.problems.map((p: LibraryProblem) => [p.display, lineOf(b, p.range.start), b.slice(p.range.start, p.range.end), p.message]);
    assert.deepEqual(ps.map(p => p.slice(0, 3)), [['.rampart/b.yaml', 4, 'x'], ['.rampart/b.yaml', 7, 'r']]);
    assert.match(String(ps[0][3]), /Duplicate id `acme\/x`.*already defined in \.rampart\/a\.yaml/);
    assert.deepEqual(l.catalog.map(c => [c.id, c.data.title]), [['acme/x', 'X'], ['acme/y', 'Y']]);
    assert.equal(l.rules.length, 1);
  });

  it('YAML bombs, custom tags, deep nesting, binary and foreign files give a problem, never a crash', () => {
    const bomb = `${HEAD}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    assert.ok(load(bomb).ps.some(p => /alias/i.test(p.message)));
    assert.ok(load(`${HEAD}description: !!js/function "x"\n`).ps.some(p => /tag/.test(p.message)));
    assert.ok(load(HEAD + 'x: ' + '['.repeat(200) + ']'.repeat(200) + '\n').ps.some(p => /nest/.test(p.message)));
    assert.ok(load('\u0000\u0001binary').ps.some(p => /not text/.test(p.message)));
    assert.match(load('rampart: 1\ntitle: a model\n').ps[0].message, /rampart-library: 1/);
    assert.match(load('rampart-library: 2\nname: acme\n').ps[0].message, /must be 1/);
    assert.match(load('rampart-library: 1\nname: Acme Corp\n').ps[0].message, /kebab-case/);
    assert.match(load('').ps[0].message, /empty/);
    assert.match(load('- a\n- b\n').ps[0].message, /is a map/);
  });

  it('unknown placeholders are warnings located at the field; the rule still runs', () => {
    const { l, ps } = load(`${HEAD}rules:\n  r:\n    title: R\n    message: '{nam} is bad'\n    when: { element: { type: store } }\n    threat: { title: T }\n`);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].severity, 'warning');
    assert.match(ps[0].message, /Unknown placeholder `\{nam\}`/);
    assert.equal(l.rules.length, 1);
  });

  it('a model using a library with errors gets library/invalid at policy.libraries (or the top)', () => {
    const broken = loadLibraries([file(LIB.replace('    stride: [tampering]\n    cwe: [CWE-89]', '    strid: [tampering]\n    cwe: [CWE-89]'))]);
    // the unknown key, and the template threat that named the entry left out
    assert.equal(broken.problems.length, 2);
    const withPolicy = MODEL.replace('boundaries:', 'policy:\n  libraries: [./security]\nboundaries:');
    const f = analyze(withPolicy, { library: broken }).findings.filter(x => x.ruleId === 'library/invalid');
    assert.equal(f.length, 1);
    assert.equal(withPolicy.slice(f[0].range.start, f[0].range.end), 'libraries');
    assert.match(f[0].message, /\.rampart\/acme\.yaml has 2 errors.*Unknown key `strid`/);
    const top = analyze(MODEL, { library: broken }).findings.filter(x => x.ruleId === 'library/invalid');
    assert.equal(top.length, 1);
    assert.equal(lineOf(MODEL, top[0].range.start), 1);
    // the rest of the library still applies
    assert.ok(analyze(MODEL, { library: broken }).findings.some(x => x.ruleId === 'acme/db-without-backup'));
    // warnings alone are not errors of the model
    const warn = loadLibraries([file(LIB.replace("message: Database {name}", "message: Database {nam}"))]);
    assert.equal(warn.problems.length, 1);
    assert.deepEqual(analyze(MODEL, { library: warn }).findings.filter(x => x.ruleId === 'library/invalid'), []);
  });

  it('evaluating rules is linear in the model', () => {
    const l = loadLibraries([file(LIB)]);
    const model = (n: number) => {
      let t = 'rampart: 1\ntitle: Big\nboundaries:\n  a: { name: A, trust: partial }\n  b: { name: B, trust: trusted }\nassets:\n  d: { name: D, classification: confidential }\nelements:\n  hub: { type: process, name: Hub, boundary: a }\n';
      for (let i = 0; i < n; i++) t += `  s${i}: { type: store, name: S${i}, kind: database, technology: postgres, boundary: b }\n`;
      t += 'flows:\n';
      for (let i = 0; i < n; i++) t += `  f${i}: { from: hub, to: s${i}, data: [d] }\n`;
      return t;
    };
    const small = model(200);
    const large = model(1600);
    const run = (text: string) => () => { analyze(text, { library: l, disabledRules: ['stride/', 'design/', 'risk/', 'schema/', 'discover/', 'trace/', 'plan/', 'pasta/', 'linddun/', 'intel/'] }); };
    const ratio = scaling(run(small), run(large), 8 * 2.5);
    assert.ok(ratio < 8 * 2.5, `8x the model took ${ratio.toFixed(1)}x the time`);
  });
});

describe('library: hostile files, at scale', () => {
  it('thousands of broken entries: problems are capped, a huge key is not compared, all quickly', () => {
    let text = `${HEAD}threats:\n`;
    for (let i = 0; i < 900; i++) text += `  t${i}: { title: T, bogus: 1 }\n`;
    text += `  ok: { title: OK, ${'k'.repeat(200_000)}: 1 }\n`;
    const t0 = Date.now();
    const { l, ps } = load(text);
    assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
    assert.equal(ps.length, 201);
    assert.match(ps[200].message, /More than 200 problems/);
    assert.ok(ps.every(p => p.message.length < 1000));
    assert.deepEqual(l.catalog, []);
  });
});
