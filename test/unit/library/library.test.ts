/**
 * Team libraries (#16), the core: loading (namespaced ids, templates through extends), the custom rules run by the
 * design engine (firing, not firing, reconciled by a tracked threat, obsolete), catalog entries on matching
 * elements only (and in the STRIDE stubs), templates inserted with comments kept, SARIF and `rules` metadata, and
 * the incremental analyzer equal to the full analysis with a library in the settings.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { computeFix } from '../../../src/core/edit/fixes';
import { threatSuggestions } from '../../../src/core/edit/suggestions';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { IncrementalAnalyzer } from '../../../src/core/incremental/analyzer';
import {
  addLibraryThreat, EMPTY_LIBRARY, insertTemplate, libraryJsonSchemaText, libraryRuleMeta, libraryThreatsFor, loadLibraries, type Library,
} from '../../../src/core/library/index';
import { toSarif } from '../../../src/core/render/sarif';
import type { Finding } from '../../../src/core/types';
import fc from 'fast-check';
import { assertSameAnalysis } from '../incremental/equal';
import { file, LIB, MODEL } from './fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const lib = (): Library => {
  const l = loadLibraries([file(LIB)]);
  assert.deepEqual(l.problems, []);
  return l;
};
const of = (fs: Finding[], rule: string) => fs.filter(f => f.ruleId === rule);

describe('library: loading', () => {
  it('namespaces catalog entries, templates and rules', () => {
    const l = lib();
    assert.deepEqual(l.names, ['acme']);
    assert.deepEqual(l.catalog.map(c => c.id), ['acme/pg-sqli', 'acme/redis-open', 'acme/tls-downgrade']);
    assert.deepEqual([...l.templates.keys()], ['acme/base-store', 'acme/postgres']);
    assert.deepEqual(l.rules.map(r => r.meta.id), ['acme/db-without-backup', 'acme/plaintext-confidential']);
    assert.ok(l.rules.every(r => r.meta.category === 'library'));
  });

  it('resolves a template through extends: element fields merged, controls added up, mitigations inherited', () => {
    const t = lib().templates.get('acme/postgres')!;
    assert.deepEqual(t.extends, ['acme/base-store']);
    assert.equal(t.element.type, 'store');
    assert.equal(t.element.kind, 'database');
    assert.deepEqual(t.element.controls, ['backup', 'encryption-at-rest']);
    assert.deepEqual(Object.keys(t.mitigations), ['backups', 'encrypted-dumps']);
    assert.deepEqual(t.threats.map(x => [x.key, x.from ?? null]), [['pg-sqli', 'acme/pg-sqli'], ['pg-dump', null]]);
    assert.equal(t.threats[0].title, 'SQL injection into {name}');
  });

  it('the committed JSON Schema of library files is current (run `npm run schema`)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, 'schemas/library.schema.json'), 'utf8'), libraryJsonSchemaText());
  });
});

describe('library: sources that cannot be read', () => {
  it('library/unreadable on the policy.libraries entry naming it, at the key or the start otherwise; none without such sources', () => {
    const text = 'rampart: 1\ntitle: M\npolicy:\n  libraries: [./a.rampart.yaml, "@acme/missing"]\n';
    const unreadable = [{ source: '@acme/missing', entry: 1, message: "the package '@acme/missing' is not installed" }, { source: '.rampart/big.yaml', message: 'the file is larger than 1 MiB' }];
    const a = analyze(text, { library: { ...EMPTY_LIBRARY, unreadable } });
    const all = a.findings.filter(f => f.ruleId === 'library/unreadable');
    assert.equal(all.length, 2);
    const found = [all.find(f => f.message.includes('@acme/missing'))!, all.find(f => f.message.includes('big.yaml'))!];
    assert.equal(text.slice(found[0]!.range.start, found[0]!.range.end), '"@acme/missing"', 'on the entry');
    assert.match(found[0]!.message, /@acme\/missing.*cannot be read: the package '@acme\/missing' is not installed/);
    assert.equal(text.slice(found[1]!.range.start, found[1]!.range.end), 'libraries', 'a .rampart file: on the key');
    assert.equal(found[0]!.severity, 'warning');
    const none = analyze('rampart: 1\ntitle: M\n', { library: { ...EMPTY_LIBRARY, unreadable: [unreadable[1]!] } }).findings.filter(f => f.ruleId === 'library/unreadable');
    assert.equal(none.length, 1, 'without policy.libraries: at the start of the document');
    assert.equal(none[0]!.range.start, 0);
    assert.deepEqual(analyze(text, { library: EMPTY_LIBRARY }).findings.filter(f => f.ruleId === 'library/unreadable'), []);
  });
});

describe('library: custom rules', () => {
  it('a rule fires on a matching element with its message, why and the add-suggested-threat fix', () => {
    const a = analyze(MODEL, { library: lib() });
    const fs = of(a.findings, 'acme/db-without-backup');
    assert.deepEqual(fs.map(f => f.stableId), ['acme/db-without-backup@orders-db']);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(f.message, 'Database Orders DB (orders-db) in Core records no backup.');
    assert.match(f.why!, /orders-db.*without control backup/);
    const fix = f.fixes![0];
    assert.equal(fix.kind, 'add-suggested-threat');
    assert.ok(fix.kind === 'add-suggested-threat' && fix.id === 'acme.db-without-backup@orders-db');
    // the fix writes a valid threat, after which the rule is reconciled
    const after = applyEdits(MODEL, computeFix(MODEL, fix));
    assert.match(after, /acme\.db-without-backup@orders-db:/);
    assert.match(after, /rule: acme\/db-without-backup/);
    const b = analyze(after, { library: lib() });
    assert.deepEqual(of(b.findings, 'acme/db-without-backup'), []);
    assert.deepEqual(b.findings.filter(x => x.ruleId.startsWith('schema/')), []);
  });

  it('a rule does not fire where the condition does not hold (backup control, other kinds)', () => {
    const a = analyze(MODEL, { library: lib() });
    const subjects = of(a.findings, 'acme/db-without-backup').map(f => f.path?.[1]);
    assert.ok(!subjects.includes('backup-db'), 'has the backup control');
    assert.ok(!subjects.includes('cache'), 'not a database');
    const fixed = MODEL.replace('technology: PostgreSQL 15, boundary: core }', 'technology: PostgreSQL 15, boundary: core, controls: [backup] }');
    assert.deepEqual(of(analyze(fixed, { library: lib() }).findings, 'acme/db-without-backup'), []);
  });

  it('a flow rule fires on an unencrypted boundary-crossing flow with confidential data only', () => {
    const a = analyze(MODEL, { library: lib() });
    const fs = of(a.findings, 'acme/plaintext-confidential');
    assert.deepEqual(fs.map(f => f.stableId), ['acme/plaintext-confidential@web-to-db'], 'web-to-cache is encrypted (tls)');
    assert.equal(fs[0].severity, 'error');
    assert.equal(fs[0].message, 'Flow web-to-db from Web to Orders DB carries Orders unencrypted.');
    const fix = fs[0].fixes![0];
    assert.ok(fix.kind === 'add-suggested-threat' && fix.threat.linddun?.[0] === 'data-disclosure');
    const added = analyze(applyEdits(MODEL, computeFix(MODEL, fix)), { library: lib() });
    assert.deepEqual(added.parsed.model.threats!['acme.plaintext-confidential@web-to-db'].linddun, ['data-disclosure']);
    assert.deepEqual(of(added.findings, 'acme/plaintext-confidential'), []);
    const enc = MODEL.replace('protocol: postgres,', 'protocol: postgres, encrypted: true,');
    assert.deepEqual(of(analyze(enc, { library: lib() }).findings, 'acme/plaintext-confidential'), []);
  });

  it('a hand-written threat on the subject that the rule covers (its words, its CWE) reconciles it', () => {
    const byWords = MODEL + 'threats:\n  db-loss:\n    title: Ransomware encrypts the orders database\n    targets: [orders-db]\n    stride: [denial-of-service]\n    status: open\n';
    assert.deepEqual(of(analyze(byWords, { library: lib() }).findings, 'acme/db-without-backup'), []);
    const byCwe = MODEL + 'threats:\n  sniff:\n    title: Someone reads it\n    targets: [web-to-db]\n    cwe: [CWE-319]\n    status: open\n';
    assert.deepEqual(of(analyze(byCwe, { library: lib() }).findings, 'acme/plaintext-confidential'), []);
    const unrelated = MODEL + 'threats:\n  other:\n    title: Someone reads it\n    targets: [orders-db]\n    status: open\n';
    assert.equal(of(analyze(unrelated, { library: lib() }).findings, 'acme/db-without-backup').length, 1);
  });

  it('a tracked suggestion whose rule no longer fires is library/obsolete-suggestion; a library rule removed too', () => {
    const a = analyze(MODEL, { library: lib() });
    const fix = of(a.findings, 'acme/db-without-backup')[0].fixes![0];
    const tracked = applyEdits(MODEL, computeFix(MODEL, fix)).replace('technology: PostgreSQL 15, boundary: core }', 'technology: PostgreSQL 15, boundary: core, controls: [backup] }');
    const obs = of(analyze(tracked, { library: lib() }).findings, 'library/obsolete-suggestion');
    assert.deepEqual(obs.map(f => f.stableId), ['library/obsolete-suggestion@acme.db-without-backup@orders-db']);
    const without = loadLibraries([file(LIB.replace(/ {2}db-without-backup:[\s\S]*?(?= {2}plaintext-confidential:)/, ''))]);
    assert.deepEqual(without.problems, []);
    const gone = of(analyze(applyEdits(MODEL, computeFix(MODEL, fix)), { library: without }).findings, 'library/obsolete-suggestion');
    assert.equal(gone.length, 1);
    assert.match(gone[0].message, /no longer defines/);
    // the built-in obsolete rule leaves library threats alone
    assert.deepEqual(of(analyze(tracked, { library: lib() }).findings, 'design/obsolete-suggestion'), []);
  });

  it('rules can be disabled by id or namespace prefix, and their severity overridden', () => {
    const l = lib();
    assert.deepEqual(analyze(MODEL, { library: l, disabledRules: ['acme/'] }).findings.filter(f => f.ruleId.startsWith('acme/')), []);
    const o = analyze(MODEL, { library: l, severityOverrides: { 'acme/db-without-backup': 'error' } });
    assert.equal(of(o.findings, 'acme/db-without-backup')[0].severity, 'error');
  });

  it('without a library nothing changes: no library findings, the built-in stubs', () => {
    const a = analyze(MODEL);
    assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('acme/') || f.ruleId.startsWith('library/')), []);
    const cov = a.findings.find(f => f.stableId === 'stride/coverage@orders-db')!;
    assert.ok(cov.fixes![0].kind === 'add-stride-stubs' && cov.fixes![0].entries === undefined);
  });

  it('conditions: any/all/not, trust, technology substring, data and exposure', () => {
    const text = `rampart-library: 1
name: t
rules:
  r1:
    title: R1
    message: '{id}'
    when:
      element:
        any: [{ technology: [redis] }, { kind: database, trust: trusted }]
        not: { has_controls: [backup] }
    threat: { title: 'T {name}' }
  r2:
    title: R2
    message: '{id}'
    when: { element: { data_classification: confidential, type: [process] } }
    threat: { title: 'T {name}' }
  r3:
    title: R3
    message: '{id} {from} {to}'
    when: { flow: { from: { trust: partial }, to: { kind: cache } } }
    threat: { title: 'T {name}' }
`;
    const l = loadLibraries([file(text, 't.yaml')]);
    assert.deepEqual(l.problems, []);
    const fs = analyze(MODEL, { library: l }).findings;
    assert.deepEqual(of(fs, 't/r1').map(f => f.path?.[1]), ['orders-db', 'cache']);
    assert.deepEqual(of(fs, 't/r2').map(f => f.path?.[1]), ['web']);
    assert.deepEqual(of(fs, 't/r3').map(f => f.message), ['web-to-cache Web Cache']);
  });
});

describe('library: catalog', () => {
  it('libraryThreatsFor returns the entries whose applies_to matches, on matching elements only', () => {
    const l = lib();
    const model = analyze(MODEL).parsed.model;
    assert.deepEqual(libraryThreatsFor(l, model, 'orders-db').map(e => e.id), ['acme/pg-sqli']);
    assert.deepEqual(libraryThreatsFor(l, model, 'backup-db').map(e => e.id), [], 'MySQL is not postgres');
    assert.deepEqual(libraryThreatsFor(l, model, 'cache').map(e => e.id), ['acme/redis-open']);
    assert.deepEqual(libraryThreatsFor(l, model, 'web').map(e => e.id), []);
    assert.deepEqual(libraryThreatsFor(l, model, 'web-to-db').map(e => e.id), ['acme/tls-downgrade']);
    assert.deepEqual(libraryThreatsFor(l, model, 'nope'), []);
  });

  it('the STRIDE stub fix prefers a matching library entry over the built-in catalog', () => {
    const a = analyze(MODEL, { library: lib() });
    const fix = a.findings.find(f => f.stableId === 'stride/coverage@orders-db')!.fixes![0];
    const after = applyEdits(MODEL, computeFix(MODEL, fix));
    assert.match(after, /orders-db-tampering:\n {4}title: SQL injection into Orders DB\n/);
    assert.match(after, /cwe:\n {6}- CWE-89|cwe: \[CWE-89\]/);
    // the other categories still come from the built-in catalog
    assert.match(after, /orders-db-repudiation:\n {4}title: Changes to Orders DB cannot be attributed/);
    assert.deepEqual(analyze(after, { library: lib() }).findings.filter(f => f.ruleId.startsWith('schema/')), []);
  });

  it('the threat builder offers the matching library entries first and the library rules\' threats', () => {
    const l = lib();
    const s = threatSuggestions(MODEL, 'orders-db', l);
    assert.equal(s.suggestions[0].libraryEntry, 'acme/pg-sqli');
    assert.equal(s.suggestions[0].title, 'SQL injection into Orders DB');
    assert.ok(s.suggestions.some(x => x.origin === 'rule' && x.ruleId === 'acme/db-without-backup' && x.suggestedId === 'acme.db-without-backup@orders-db'));
    assert.ok(!threatSuggestions(MODEL, 'backup-db', l).suggestions.some(x => x.libraryEntry));
    assert.ok(!threatSuggestions(MODEL, 'orders-db').suggestions.some(x => x.libraryEntry || x.ruleId?.startsWith('acme/')));
  });

  it('addLibraryThreat adds a catalog entry as a threat on an element, with a fresh id', () => {
    const l = lib();
    const r = addLibraryThreat(MODEL, l, 'acme/pg-sqli', 'orders-db');
    assert.deepEqual(r.threats, ['orders-db-pg-sqli']);
    const after = applyEdits(MODEL, r.edits);
    const again = addLibraryThreat(after, l, 'acme/pg-sqli', 'orders-db');
    assert.deepEqual(again.threats, ['orders-db-pg-sqli-2']);
    assert.deepEqual(analyze(after).findings.filter(f => f.ruleId.startsWith('schema/')), []);
    assert.ok(addLibraryThreat(MODEL, l, 'acme/none', 'orders-db').refusal);
    assert.ok(addLibraryThreat(MODEL, l, 'acme/pg-sqli', 'nope').refusal);
  });
});

describe('library: templates', () => {
  it('inserts the element, its threats and mitigations, keeping comments, with ids that do not collide', () => {
    const text = MODEL.replace('elements:\n', 'elements:\n  # keep me\n') + '# trailing comment\n';
    const l = lib();
    const r = insertTemplate(text, l, 'acme/postgres', { name: 'Orders DB', boundary: 'core' });
    assert.equal(r.refusal, undefined);
    assert.equal(r.id, 'orders-db-2', 'orders-db is taken');
    assert.deepEqual(r.threats, ['orders-db-2-pg-sqli', 'orders-db-2-pg-dump']);
    assert.deepEqual(r.mitigations, ['orders-db-2-encrypted-dumps', 'orders-db-2-backups']);
    const after = applyEdits(text, r.edits);
    assert.ok(after.includes('  # keep me\n') && after.includes('# trailing comment') && after.includes('# the web tier'));
    const a = analyze(after, { library: l });
    assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('schema/')), [], 'the result is a valid model');
    const m = a.parsed.model;
    assert.deepEqual({ ...m.elements!['orders-db-2'] }, { type: 'store', name: 'Orders DB', kind: 'database', boundary: 'core', technology: 'PostgreSQL 16', encrypted: true, controls: ['backup', 'encryption-at-rest'] });
    assert.equal(m.threats!['orders-db-2-pg-sqli'].title, 'SQL injection into Orders DB');
    assert.deepEqual(m.threats!['orders-db-2-pg-dump'].mitigations, ['orders-db-2-encrypted-dumps']);
    assert.equal(m.mitigations!['orders-db-2-backups'].status, 'implemented');
    // the template's backup control keeps the custom rule quiet on the new element
    assert.ok(!of(a.findings, 'acme/db-without-backup').some(f => f.path?.[1] === 'orders-db-2'));
  });

  it('refuses an unknown template, boundary or a taken id', () => {
    const l = lib();
    assert.ok(insertTemplate(MODEL, l, 'acme/nope').refusal);
    assert.ok(insertTemplate(MODEL, l, 'acme/postgres', { boundary: 'nope' }).refusal);
    assert.ok(insertTemplate(MODEL, l, 'acme/postgres', { id: 'web' }).refusal);
    assert.equal(insertTemplate(MODEL, l, 'acme/postgres', { id: 'pg' }).id, 'pg');
  });
});

describe('library: metadata, SARIF, incremental', () => {
  it('libraryRuleMeta lists the custom rules and library/*; SARIF carries them in the driver', () => {
    const l = lib();
    const metas = libraryRuleMeta(l);
    assert.deepEqual(metas.map(m => m.id), ['acme/db-without-backup', 'acme/plaintext-confidential', 'library/obsolete-suggestion', 'library/invalid']);
    assert.equal(metas[0].why, 'Without backups a ransomware attack loses the data for good.');
    const a = analyze(MODEL, { library: l });
    const log = toSarif([{ uri: 'm.threatmodel.yaml', text: MODEL, analysis: a }], { toolVersion: '0.1.0', informationUri: 'https://x', extraRules: metas }) as { runs: { tool: { driver: { rules: { id: string; properties: Record<string, unknown> }[] } }; results: { ruleId: string; ruleIndex: number }[] }[] };
    const rules = log.runs[0].tool.driver.rules;
    const d = rules.find(r => r.id === 'acme/db-without-backup')!;
    assert.ok(d && (d.properties.tags as string[]).includes('library') && d.properties['security-severity'] === '5.0');
    for (const r of log.runs[0].results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
  });

  it('the incremental analyzer equals the full analysis with a library in the settings', () => {
    const settings = { library: lib(), now: new Date('2026-01-01') };
    const inc = new IncrementalAnalyzer();
    let text = MODEL;
    const steps = [
      (t: string) => t.replace('technology: PostgreSQL 15, boundary: core }', 'technology: PostgreSQL 15, boundary: core, controls: [backup] }'),
      (t: string) => t.replace('controls: [backup] }\n  backup-db', '}\n  backup-db'),
      (t: string) => t.replace('protocol: postgres,', 'protocol: postgres, encrypted: true,'),
      (t: string) => t + 'threats:\n  x:\n    title: Ransomware encrypts the db\n    targets: [orders-db]\n    status: open\n',
      (t: string) => t.replace('kind: database, technology: PostgreSQL 15', 'kind: file-store, technology: PostgreSQL 15'),
      (t: string) => t.replace('protocol: postgres, encrypted: true,', 'protocol: postgres,'),
      (t: string) => t.replace('classification: confidential', 'classification: public'),
      (t: string) => t.replace('classification: public', 'classification: restricted'),
      (t: string) => t.replace('core: { name: Core, trust: trusted }', 'core: { name: Core, trust: partial }'),
    ];
    const fired: number[] = [];
    assertSameAnalysis(inc.update(text, settings), analyze(text, settings), 'start');
    steps.forEach((s, i) => {
      text = s(text);
      const full = analyze(text, settings);
      assertSameAnalysis(inc.update(text, settings), full, `step ${i}`);
      fired.push(full.findings.filter(f => f.ruleId.startsWith('acme/')).length);
    });
    assert.ok(new Set(fired).size > 1, 'the steps change what the library rules find');
    assert.equal(inc.stats.mode, 'incremental');
    // a changed library with the same rule ids is never served from the memo
    const changed = loadLibraries([file(LIB.replace('kind: [database]', 'kind: [database, file-store]'))]);
    const s2 = { ...settings, library: changed };
    assertSameAnalysis(inc.update(text, s2), analyze(text, s2), 'changed library');
    assert.equal(of(analyze(text, s2).findings, 'acme/db-without-backup').length, 0, 'tracked by the ransomware threat');
  });
});

describe('library: incremental property', () => {
  it('random edit sequences with a library in the settings: incremental equals full', () => {
    const l = lib();
    const other = loadLibraries([file(LIB.replace('kind: [database]', 'kind: [database, cache]'))]);
    const toggles: [string, string][] = [
      ['technology: PostgreSQL 15, boundary: core }', 'technology: PostgreSQL 15, boundary: core, controls: [backup] }'],
      ['protocol: postgres,', 'protocol: postgres, encrypted: true,'],
      ['classification: confidential', 'classification: restricted'],
      ['core: { name: Core, trust: trusted }', 'core: { name: Core, trust: untrusted }'],
      ['kind: cache, technology: Redis 7', 'kind: database, technology: Redis 7'],
      ['flows:\n', 'flows:\n  cache-to-db: { from: cache, to: orders-db, data: [orders] }\n'],
      ['  # the web tier\n', '  # the web tier\n  extra: { type: store, name: Extra, kind: database }\n'],
    ];
    const THREAT = 'threats:\n  t1:\n    title: Ransomware wipes it\n    targets: [orders-db]\n    status: open\n';
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: toggles.length + 1 }), fc.boolean()), { minLength: 1, maxLength: 12 }), steps => {
      const inc = new IncrementalAnalyzer();
      let text = MODEL;
      for (const [i, useOther] of steps) {
        if (i === toggles.length) text = text.includes(THREAT) ? text.replace(THREAT, '') : text + THREAT;
        else if (i < toggles.length) { const [a, b] = toggles[i]; text = text.includes(b) ? text.replace(b, a) : text.replace(a, b); }
        const settings = { library: useOther ? other : l, now: new Date('2026-01-01') };
        assertSameAnalysis(inc.update(text, settings), analyze(text, settings), JSON.stringify(steps));
      }
    }), { numRuns: 40, seed: 16 });
  });
});
