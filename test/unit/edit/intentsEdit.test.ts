/**
 * Deleting, changing and renaming entries from the visual editor (#11): `delete-entry`, `set-fields` and
 * `rename-id` on every example and every imported corpus model, in LF and CRLF. The edits touch only the
 * entries they are about (and those that refer to them), keep every other byte and comment, and never leave
 * the model with a schema finding it did not have.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { computeIntent, referencesTo, type EntrySection, type FieldValue, type Intent, type IntentResult } from '../../../src/core/edit/intents';
import { parseIntent } from '../../../src/core/edit/intentSchema';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { importModel, type ImportFormat } from '../../../src/core/interop/index';
import { parseModel } from '../../../src/core/model/parse';
import { SECTION_NAMES, type Model } from '../../../src/core/model/schema';
import { RULES } from '../../../src/core/rules/index';
import { corpusFile } from '../interop/corpus';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const examples = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.threatmodel.yaml')).map(f => ({ name: f, text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));
const CORPUS: { format: ImportFormat; file: string }[] = [
  { format: 'threagile', file: 'threagile/threagile-example.yaml' },
  { format: 'threagile', file: 'threagile/threagile-stub.yaml' },
  { format: 'threat-dragon', file: 'threat-dragon/v2-threat-model.json' },
  { format: 'threat-dragon', file: 'threat-dragon/three-tier-web-app.json' },
  { format: 'threat-dragon', file: 'threat-dragon/generic-cms.json' },
  { format: 'threat-dragon', file: 'threat-dragon/v2-new-model.json' },
  { format: 'otm', file: 'otm/EXAMPLE.json' },
  { format: 'otm', file: 'otm/EXAMPLE.yaml' },
];
const SECTIONS = SECTION_NAMES as EntrySection[];

/** Results per text: the loops below read the same text many times. */
function memo<T>(f: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return text => {
    if (!cache.has(text)) {
      if (cache.size > 20) cache.clear();
      cache.set(text, f(text));
    }
    return cache.get(text)!;
  };
}
const parsed = memo(text => parseModel(text));
const SCHEMA_ONLY = { disabledRules: RULES.map(r => r.meta.id).filter(id => !id.startsWith('schema/')) };
const schemaAnalysis = memo(text => analyze(text, SCHEMA_ONLY));
const schemaFindings = (text: string) => schemaAnalysis(text).findings.filter(f => f.ruleId.startsWith('schema/')).map(f => `${f.ruleId} ${(f.path ?? []).join('.')}`);
/** Plain data, for comparisons (the model's objects have no prototype). */
const plain = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const key = (section: string, id: string) => `${section}.${id}`;
const ids = (model: Model, section: EntrySection) => Object.keys((model[section] ?? {}) as object);
const entryOf = (model: Model, section: EntrySection, id: string) => (model[section] as Record<string, unknown> | undefined)?.[id];

/** Comment-only lines, as a multiset. */
function commentCounts(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) if (/^\s*#/.test(l)) m.set(l.trim(), (m.get(l.trim()) ?? 0) + 1);
  return m;
}

/** The text of an entry, key to end of value (the bytes that must stay when it is not edited). */
function entryText(text: string, section: string, id: string): string | undefined {
  const r = parsed(text).source.entryRange([section, id]);
  return r && text.slice(r.start, r.end);
}

/**
 * The lines a removed entry takes: from its key's line through the line where it ends, then the comment lines
 * indented under it (the documented rule of `YamlEditor.removeEntry`).
 */
function removedLines(text: string, section: string, id: string): string[] {
  const r = parsed(text).source.entryRange([section, id])!;
  const start = text.lastIndexOf('\n', r.start - 1) + 1;
  const lines = text.slice(start).split(/\r?\n/);
  const endLine = text.slice(start, r.end).split(/\r?\n/).length;
  const col = r.start - start;
  let n = endLine;
  while (n < lines.length && /^\s*#/.test(lines[n]) && lines[n].search(/\S/) > col) n++;
  return lines.slice(0, n);
}

/** Asserts a result the intent must produce, and returns the edited text. */
function applied(text: string, intent: Intent): { text: string; result: IntentResult } {
  const result = computeIntent(text, intent);
  assert.equal(result.refusal, undefined, `${intent.kind} ${JSON.stringify(intent)}: ${result.refusal}`);
  const after = applyEdits(text, result.edits);
  if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'every line still ends in CRLF');
  const before = new Set(schemaFindings(text));
  assert.deepEqual(schemaFindings(after).filter(f => !before.has(f)), [], `${intent.kind} adds no schema finding`);
  return { text: after, result };
}

/** Entries of `after` that are not in `changed` keep their bytes and their value. */
function assertOthersKept(before: string, after: string, changed: ReadonlySet<string>, renamed?: [string, string, string]) {
  const b = parsed(before).model;
  const a = parsed(after).model;
  for (const section of SECTIONS) {
    for (const id of ids(b, section)) {
      if (changed.has(key(section, id))) continue;
      const afterId = renamed && renamed[0] === section && renamed[1] === id ? renamed[2] : id;
      assert.equal(entryText(after, section, afterId), entryText(before, section, id), `${section}.${id} keeps its bytes`);
      assert.deepEqual(plain(entryOf(a, section, afterId)), plain(entryOf(b, section, id)), `${section}.${id} keeps its value`);
    }
  }
  for (const top of ['rampart', 'title', 'description', 'version', 'team', 'scope', 'policy']) {
    const r = (t: string) => parsed(t).source.entryRange([top]);
    const rb = r(before);
    if (rb) assert.equal(after.slice(r(after)!.start, r(after)!.end), before.slice(rb.start, rb.end), `${top} keeps its bytes`);
  }
}

/** Deletes an entry with its references and checks everything the intent promises. */
function assertDeleted(text: string, section: EntrySection, id: string): string {
  const bare = computeIntent(text, { kind: 'delete-entry', section, id });
  const refs = bare.references ?? [];
  if (refs.length) {
    assert.deepEqual(bare.edits, [], 'without withReferences, nothing is deleted');
    assert.match(bare.refusal ?? '', new RegExp(`^Deleting .* \`${id.replace(/[.@]/g, '\\$&')}\` would leave (a reference|${refs.length} references) to it pointing at nothing: .*\\.$`));
  } else {
    assert.equal(bare.refusal, undefined, `${section}.${id} has no references: ${bare.refusal}`);
  }
  const { text: after, result } = applied(text, { kind: 'delete-entry', section, id, withReferences: true });
  const removed = result.removed ?? [];
  assert.deepEqual(removed[0], { section, id }, 'the entry comes first in `removed`');
  const model = parsed(after).model;
  for (const r of removed) assert.equal(entryOf(model, r.section as EntrySection, r.id), undefined, `${r.section}.${r.id} is gone`);
  const dangling = (t: string) => schemaAnalysis(t).findings.filter(f => f.ruleId === 'schema/dangling-reference').map(f => f.message);
  assert.deepEqual(dangling(after).filter(m => !dangling(text).includes(m)), [], 'no dangling reference');
  // only the removed entries and the entries that named one of them change
  const changed = new Set(removed.map(r => key(r.section, r.id)));
  const before = parsed(text).model;
  for (const s of SECTIONS) {
    for (const [eid, entry] of Object.entries((before[s] ?? {}) as Record<string, unknown>)) {
      if (removed.some(r => JSON.stringify(entry).includes(`"${r.id}"`))) changed.add(key(s, eid));
    }
  }
  assertOthersKept(text, after, changed);
  // comment lines outside the removed entries stay
  const gone = commentCounts(removed.flatMap(r => removedLines(text, r.section, r.id)));
  const kept = commentCounts(after.split(/\r?\n/));
  for (const [c, n] of commentCounts(text.split(/\r?\n/))) {
    assert.ok((kept.get(c) ?? 0) >= n - (gone.get(c) ?? 0), `comment kept: ${c}`);
  }
  // deleting it again is a refusal
  assert.match(computeIntent(after, { kind: 'delete-entry', section, id }).refusal ?? '', /^There is no .* to delete\.$/);
  return after;
}

/** Changes for the fields of an entry of each section, read from the entry (so they differ from what it has). */
function changesFor(section: EntrySection, entry: Record<string, any>, model: Model): Record<string, FieldValue> {
  switch (section) {
    case 'elements': return { name: `${entry.name} v2`, technology: 'Go', description: null, kind: entry.kind === 'api' ? 'service' : 'api' };
    case 'boundaries': return { name: `${entry.name} zone`, trust: entry.trust === 'trusted' ? 'partial' : 'trusted', description: 'Changed from the visual editor' };
    case 'flows': return { protocol: 'grpc', encrypted: !entry.encrypted, authorized: true, data: [...(entry.data ?? [])].reverse(), bidirectional: null };
    case 'assets': return { classification: entry.classification === 'restricted' ? 'internal' : 'restricted', value: 1234 };
    case 'threats': return {
      likelihood: entry.likelihood === 'rare' ? 'likely' : 'rare', stride: ['tampering', 'spoofing'], 'statement.source': 'an insider', owner: 'Dana Lee',
      targets: [...(entry.targets ?? []), ...Object.keys(model.elements ?? {}).filter(e => !(entry.targets ?? []).includes(e)).slice(0, 1)],
    };
    case 'mitigations': return { status: entry.status === 'verified' ? 'planned' : 'verified', evidence: ['docs/security.md'], owner: null };
    case 'attack_trees': return { goal: `${entry.goal} (revised)`, description: 'Reviewed' };
  }
}

/** Sets fields (the name following) and checks the values, the bytes of the rest, and that doing it again changes nothing. */
function assertSet(text: string, section: EntrySection, id: string, set: Record<string, FieldValue>): string {
  const { text: after, result } = applied(text, { kind: 'set-fields', section, id, set, followName: true });
  const newId = result.id!;
  const entry = entryOf(parsed(after).model, section, newId) as Record<string, any>;
  assert.ok(entry, `${section}.${newId} is there`);
  for (const [k, v] of Object.entries(set)) {
    const [f, sub] = k.split('.');
    const got = sub ? entry[f]?.[sub] : entry[f];
    assert.deepEqual(plain(got), v === null ? undefined : v, `${section}.${newId}.${k}`);
  }
  const changed = new Set([key(section, id)]);
  if (newId !== id) for (const ref of referencesTo(text, section, id)) changed.add(key(ref.section, ref.id));
  assertOthersKept(text, after, changed, newId !== id ? [section, id, newId] : undefined);
  assert.deepEqual(commentCounts(after.split(/\r?\n/)), commentCounts(text.split(/\r?\n/)), 'every comment line kept');
  const again = computeIntent(after, { kind: 'set-fields', section, id: newId, set, followName: true });
  assert.deepEqual(again, { edits: [], id: newId }, 'setting the same fields again changes nothing');
  return after;
}

describe('edit intents: delete, change and rename entries (#11)', () => {
  for (const ex of examples) {
    for (const eol of ['LF', 'CRLF']) {
      const text = eol === 'CRLF' ? crlf(ex.text) : ex.text;
      const model = parseModel(text).model;
      // Each intent costs two analyses of the file: a large model gets every other entry of each section, and
      // CRLF (where the line breaks are what is new) half as many again. The first entry of each is always in.
      const total = SECTIONS.reduce((n, s) => n + ids(model, s).length, 0);
      const step = (eol === 'LF' ? 1 : 2) * (total > 40 ? 2 : 1);
      const some = (section: EntrySection) => ids(model, section).filter((_, i) => i % step === 0);

      it(`${ex.name} (${eol}): deletes every entry, alone or with its references`, () => {
        let n = 0;
        for (const section of SECTIONS) for (const id of some(section)) { assertDeleted(text, section, id); n++; }
        assert.ok(n >= 10, `${n} entries deleted`);
      });

      it(`${ex.name} (${eol}): changes the fields of every entry, the name-made ids following`, () => {
        for (const section of SECTIONS) {
          for (const id of some(section)) assertSet(text, section, id, changesFor(section, entryOf(model, section, id) as Record<string, any>, model));
        }
      });

      it(`${ex.name} (${eol}): renames every id with its references`, () => {
        for (const section of SECTIONS) {
          for (const id of some(section)) {
            const newId = `${id}-renamed`;
            const { text: after, result } = applied(text, { kind: 'rename-id', section, id, newId });
            assert.equal(result.id, newId);
            assert.deepEqual(referencesTo(after, section, newId), referencesTo(text, section, id).map(r => ({ ...r, id: r.section === section && r.id === id ? newId : r.id })));
            const changed = new Set([key(section, id), ...referencesTo(text, section, id).map(r => key(r.section, r.id))]);
            assertOthersKept(text, after, changed, [section, id, newId]);
          }
        }
      });
    }
  }

  for (const c of CORPUS) {
    it(`${c.file}, imported: add, change and delete (with references) keep the model valid`, () => {
      let text = importModel(c.format, corpusFile(c.file)).yaml;
      const model = parseModel(text).model;
      const boundary = ids(model, 'boundaries')[0];
      const el = applied(text, { kind: 'add-element', type: 'process', name: 'Audit service', boundary });
      text = el.text;
      const other = ids(model, 'elements')[0] ?? el.result.id!;
      const flow = applied(text, { kind: 'add-flow', from: other, to: el.result.id!, protocol: 'https', encrypted: true });
      text = flow.text;
      const th = applied(text, { kind: 'add-threat', targets: [el.result.id!, flow.result.id!], stride: ['repudiation'], title: 'Audit entries deleted', likelihood: 'possible', impact: 'moderate' });
      text = th.text;
      text = assertSet(text, 'flows', flow.result.id!, { protocol: 'grpc', authenticated: true });
      text = assertSet(text, 'threats', th.result.id!, { status: 'mitigated', stride: ['repudiation', 'tampering'] });
      text = assertSet(text, 'elements', el.result.id!, { name: 'Audit log service', technology: 'Go' });
      const now = parseModel(text).model;
      for (const section of SECTIONS) for (const id of ids(now, section).filter((_, i) => i % 2 === 0)) assertDeleted(text, section, id);
      // the new element with what hangs on it: its flow and the threat on both
      const newId = ids(now, 'elements').find(e => e.startsWith('audit-log-service'))!;
      const after = assertDeleted(text, 'elements', newId);
      assert.equal(parsed(after).model.threats?.[th.result.id!], undefined, 'the threat on the element and its flow goes with them');
    });
  }
});

const SMALL = `rampart: 1
title: Small
assets:
  card-data: { name: Card data, classification: restricted }
boundaries:
  dmz: { name: DMZ, trust: partial }
  core: { name: Core, trust: trusted, parent: dmz }
elements:
  web: { type: process, name: Web, boundary: dmz }
  db:
    type: store
    name: DB
    boundary: core   # the vault
    stores: [card-data]
  audit: { type: store, name: Audit }
flows:
  web-to-db: { from: web, to: db, data: [card-data] }
  db-to-audit:
    from: db
    to: audit
threats:
  sqli:
    title: SQL injection
    targets: [web, web-to-db]
    status: open
    mitigations: [prepared]
  leak:
    title: Leak
    targets:
      - db
      - db-to-audit
    status: open
mitigations:
  prepared: { title: Prepared statements, status: implemented }
attack_trees:
  steal:
    goal: Steal cards
    threat: sqli
    or:
      - threat: sqli
      - and:
          - leaf: Phish
          - threat: leak
  via-steal:
    goal: Anything
    and:
      - tree: steal
`;

describe('edit intents: deleting entries', () => {
  it('lists the references that would dangle, in words a UI can show', () => {
    const r = computeIntent(SMALL, { kind: 'delete-entry', section: 'elements', id: 'db' });
    assert.deepEqual(r.edits, []);
    assert.deepEqual(r.references, [
      { section: 'flows', id: 'web-to-db', field: 'to', description: 'flow `web-to-db` ends at it' },
      { section: 'flows', id: 'db-to-audit', field: 'from', description: 'flow `db-to-audit` starts at it' },
      { section: 'threats', id: 'leak', field: 'targets', description: 'threat `leak` targets it' },
    ]);
    assert.equal(r.refusal, 'Deleting element `db` would leave 3 references to it pointing at nothing: flow `web-to-db` ends at it, flow `db-to-audit` starts at it and threat `leak` targets it. Delete it with its references, or change them first.');
    assert.deepEqual(referencesTo(SMALL, 'assets', 'card-data').map(x => `${x.section}.${x.id}.${x.field}: ${x.description}`), [
      'elements.db.stores: element `db` stores it',
      'flows.web-to-db.data: flow `web-to-db` carries it',
    ]);
    assert.deepEqual(referencesTo(SMALL, 'threats', 'sqli').map(x => x.field), ['threat', 'or.0.threat']);
    assert.deepEqual(referencesTo(SMALL, 'attack_trees', 'steal').map(x => x.description), ['attack tree `via-steal` includes it as a subtree']);
    assert.deepEqual(referencesTo(SMALL, 'elements', 'nope'), []);
  });

  it('takes flows from and to a deleted element, threats left without targets, tree steps and emptied trees with it', () => {
    const { text, result } = applied(SMALL, { kind: 'delete-entry', section: 'elements', id: 'db', withReferences: true });
    assert.deepEqual(result.removed, [
      { section: 'elements', id: 'db' }, { section: 'flows', id: 'web-to-db' }, { section: 'flows', id: 'db-to-audit' }, { section: 'threats', id: 'leak' },
    ]);
    const m = parseModel(text).model;
    assert.deepEqual(Object.keys(m.flows ?? {}), []);
    assert.match(text, /\nflows: \{\}\nthreats:/, 'an emptied section is written `{}`');
    assert.deepEqual(plain(m.threats?.sqli?.targets), ['web'], 'a threat keeps its other targets');
    assert.deepEqual(plain(m.attack_trees?.steal?.or), [{ threat: 'sqli' }, { and: [{ leaf: 'Phish' }] }]);
    assert.deepEqual(schemaFindings(text), []);
  });

  it('removes optional scalar references and list items; a list left empty is `[]`', () => {
    let r = applied(SMALL, { kind: 'delete-entry', section: 'boundaries', id: 'dmz', withReferences: true });
    assert.deepEqual(r.result.removed, [{ section: 'boundaries', id: 'dmz' }]);
    assert.match(r.text, /\n {2}core: \{ name: Core, trust: trusted \}\n/);
    assert.match(r.text, /\n {2}web: \{ type: process, name: Web \}\n/);
    r = applied(SMALL, { kind: 'delete-entry', section: 'boundaries', id: 'core', withReferences: true });
    assert.doesNotMatch(r.text, /boundary: core|the vault/, 'the line goes with its comment');
    r = applied(SMALL, { kind: 'delete-entry', section: 'assets', id: 'card-data', withReferences: true });
    assert.match(r.text, /stores: \[\]/);
    assert.match(r.text, /web-to-db: \{ from: web, to: db, data: \[\] \}/);
    assert.match(r.text, /\nassets: \{\}\n/);
    r = applied(SMALL, { kind: 'delete-entry', section: 'mitigations', id: 'prepared', withReferences: true });
    assert.match(r.text, /\n {4}mitigations: \[\]\n/);
  });

  it('deleting a threat removes the tree\'s `threat`, its steps, and a tree left without steps with what includes it', () => {
    const { text, result } = applied(SMALL, { kind: 'delete-entry', section: 'threats', id: 'sqli', withReferences: true });
    assert.deepEqual(result.removed, [{ section: 'threats', id: 'sqli' }]);
    const t = parseModel(text).model.attack_trees!;
    assert.equal(t.steal.threat, undefined);
    assert.deepEqual(plain(t.steal.or), [{ and: [{ leaf: 'Phish' }, { threat: 'leak' }] }]);
    // without the leaf, deleting `leak` empties the `and` step, which goes whole
    const noLeaf = applied(SMALL.replace('          - leaf: Phish\n', ''), { kind: 'delete-entry', section: 'threats', id: 'leak', withReferences: true });
    assert.deepEqual(plain(parseModel(noLeaf.text).model.attack_trees?.steal?.or), [{ threat: 'sqli' }]);
    const both = applied(noLeaf.text, { kind: 'delete-entry', section: 'threats', id: 'sqli', withReferences: true });
    assert.deepEqual(both.result.removed, [{ section: 'threats', id: 'sqli' }, { section: 'attack_trees', id: 'steal' }, { section: 'attack_trees', id: 'via-steal' }]);
    assert.match(both.text, /\nattack_trees: \{\}\n$/);
  });

  it('refuses an absent entry, one written twice, and one in a section the YAML reader could not read', () => {
    assert.equal(computeIntent(SMALL, { kind: 'delete-entry', section: 'flows', id: 'nope' }).refusal, 'There is no flow `nope` to delete.');
    const twice = SMALL.replace('  audit: { type: store, name: Audit }\n', '  audit: { type: store, name: Audit }\n  web: { type: process, name: Web 2 }\n');
    assert.match(computeIntent(twice, { kind: 'delete-entry', section: 'elements', id: 'web' }).refusal ?? '', /`web` is written twice under `elements`/);
    const broken = SMALL.replace('  leak:\n    title: Leak\n', '  leak:\n    title: "Leak\n');
    assert.match(computeIntent(broken, { kind: 'delete-entry', section: 'threats', id: 'sqli' }).refusal ?? '', /^The `threats` section has a YAML error on line \d+; fix it first\.$/);
  });

  it('a YAML error in another section does not stop a delete, a change or a rename', () => {
    const broken = SMALL.replace('  prepared: { title: Prepared statements, status: implemented }', '  prepared: { title: Prepared statements, status: implemented');
    assert.ok(analyze(broken).findings.some(f => f.ruleId === 'schema/yaml-syntax'), 'the file has a YAML error');
    const run = (i: Intent) => {
      const r = computeIntent(broken, i);
      assert.equal(r.refusal, undefined);
      const after = applyEdits(broken, r.edits);
      assert.ok(after.includes('  prepared: { title: Prepared statements, status: implemented\n'), 'the broken line is as it was');
      return after;
    };
    assert.ok(!run({ kind: 'delete-entry', section: 'elements', id: 'audit', withReferences: true }).includes('audit: {'), 'the element is gone');
    assert.match(run({ kind: 'set-fields', section: 'elements', id: 'audit', set: { technology: 'S3' } }), /audit: \{ type: store, name: Audit, technology: S3 \}/);
    assert.match(run({ kind: 'rename-id', section: 'elements', id: 'audit', newId: 'audit-log' }), /to: audit-log\n/);
    assert.match(computeIntent(broken, { kind: 'set-fields', section: 'mitigations', id: 'prepared', set: { status: 'verified' } }).refusal ?? '', /^The `mitigations` section has a YAML error on line \d+; fix it first\.$/);
  });

  it('a section written as one flow map: first, middle, last and only entry, in LF and CRLF', () => {
    for (const eol of ['\n', '\r\n']) {
      const t = (s: string) => s.replace(/\n/g, eol);
      const text = t('rampart: 1\ntitle: x\nmitigations: { a: { title: A, status: proposed }, b: { title: B, status: proposed }, c: { title: C, status: proposed } }\n');
      const del = (src: string, id: string) => applied(src, { kind: 'delete-entry', section: 'mitigations', id }).text;
      assert.equal(del(text, 'a'), t('rampart: 1\ntitle: x\nmitigations: { b: { title: B, status: proposed }, c: { title: C, status: proposed } }\n'));
      assert.equal(del(text, 'b'), t('rampart: 1\ntitle: x\nmitigations: { a: { title: A, status: proposed }, c: { title: C, status: proposed } }\n'));
      assert.equal(del(text, 'c'), t('rampart: 1\ntitle: x\nmitigations: { a: { title: A, status: proposed }, b: { title: B, status: proposed } }\n'));
      assert.equal(del(del(del(text, 'c'), 'b'), 'a'), t('rampart: 1\ntitle: x\nmitigations: {}\n'));
      assert.equal(applied(text, { kind: 'set-fields', section: 'mitigations', id: 'b', set: { status: 'verified', evidence: ['x.md'] } }).text,
        t('rampart: 1\ntitle: x\nmitigations: { a: { title: A, status: proposed }, b: { title: B, status: verified, evidence: [x.md] }, c: { title: C, status: proposed } }\n'));
    }
  });

  it('a block section: first, middle, last and only entry, comments above entries kept', () => {
    const text = 'rampart: 1\ntitle: x\nassets:\n  # first\n  a:\n    name: A\n    classification: public\n  # second\n  b:\n    name: B\n    classification: public\n  c:\n    name: C\n    classification: public\n# the end\n';
    const del = (src: string, id: string) => applied(src, { kind: 'delete-entry', section: 'assets', id }).text;
    assert.equal(del(text, 'a'), 'rampart: 1\ntitle: x\nassets:\n  # first\n  # second\n  b:\n    name: B\n    classification: public\n  c:\n    name: C\n    classification: public\n# the end\n');
    assert.equal(del(text, 'b'), 'rampart: 1\ntitle: x\nassets:\n  # first\n  a:\n    name: A\n    classification: public\n  # second\n  c:\n    name: C\n    classification: public\n# the end\n');
    assert.equal(del(text, 'c'), 'rampart: 1\ntitle: x\nassets:\n  # first\n  a:\n    name: A\n    classification: public\n  # second\n  b:\n    name: B\n    classification: public\n# the end\n');
    assert.equal(del(del(del(text, 'c'), 'b'), 'a'), 'rampart: 1\ntitle: x\nassets: {}\n  # first\n  # second\n# the end\n');
  });

  it('writes out an alias of an anchor in a deleted entry, and reaches references through aliases', () => {
    const text = `rampart: 1
title: Anchors
boundaries:
  dmz: { name: DMZ, trust: partial }
elements:
  web: &proc { type: process, name: Web, boundary: dmz }
  api: *proc
  db: { type: store, name: DB }
flows:
  q: { from: api, to: db }
`;
    const del = applied(text, { kind: 'delete-entry', section: 'elements', id: 'web' });
    assert.deepEqual(plain(parseModel(del.text).model.elements?.api), { type: 'process', name: 'Web', boundary: 'dmz' });
    const bnd = applied(text, { kind: 'delete-entry', section: 'boundaries', id: 'dmz', withReferences: true });
    const els = parseModel(bnd.text).model.elements!;
    assert.deepEqual([els.web.boundary, els.api.boundary], [undefined, undefined]);
  });
});

describe('edit intents: changing fields', () => {
  it('sets, replaces and removes fields in the entry\'s own style, `statement.*` included', () => {
    let r = applied(SMALL, { kind: 'set-fields', section: 'elements', id: 'web', set: { technology: 'Node.js', boundary: null, kind: 'web-app' } });
    assert.match(r.text, /\n {2}web: \{ type: process, name: Web, technology: Node.js, kind: web-app \}\n/);
    r = applied(SMALL, { kind: 'set-fields', section: 'elements', id: 'db', set: { name: 'Orders DB', boundary: 'dmz', stores: [] } });
    assert.match(r.text, /\n {4}name: Orders DB\n {4}boundary: dmz {3}# the vault\n {4}stores: \[\]\n/);
    r = applied(SMALL, { kind: 'set-fields', section: 'threats', id: 'leak', set: { 'statement.source': 'An insider', 'statement.assets': ['card-data'], targets: ['db'] } });
    assert.deepEqual(plain(parseModel(r.text).model.threats?.leak?.statement), { source: 'An insider', assets: ['card-data'] });
    assert.match(r.text, /\n {4}targets:\n {6}- db\n {4}status: open\n/, 'a block list keeps its style');
    r = applied(r.text, { kind: 'set-fields', section: 'threats', id: 'leak', set: { 'statement.source': null, 'statement.assets': null } });
    assert.match(r.text, /\n {4}statement: \{\}\n/);
    r = applied(SMALL, { kind: 'set-fields', section: 'flows', id: 'db-to-audit', set: { encrypted: true, data: ['card-data'], protocol: '443' } });
    assert.deepEqual(plain(parseModel(r.text).model.flows?.['db-to-audit']), { from: 'db', to: 'audit', encrypted: true, data: ['card-data'], protocol: '443' });
  });

  it('gives no edit and no refusal for fields already at their value', () => {
    assert.deepEqual(computeIntent(SMALL, { kind: 'set-fields', section: 'elements', id: 'db', set: { name: 'DB', stores: ['card-data'], description: null } }), { edits: [], id: 'db' });
    assert.deepEqual(computeIntent(SMALL, { kind: 'set-fields', section: 'elements', id: 'web', set: { name: 'Web' }, followName: true }), { edits: [], id: 'web' });
  });

  it('refuses unknown fields and values the schema refuses, with the finding\'s message', () => {
    const refusal = (set: Record<string, FieldValue>, section: EntrySection = 'elements', id = 'web') => computeIntent(SMALL, { kind: 'set-fields', section, id, set }).refusal ?? '';
    assert.equal(refusal({ colour: 'red' }), 'An element has no field `colour`.');
    assert.equal(refusal({ 'name.first': 'x' }), 'The `name` of an element has no field `first`.');
    assert.equal(refusal({ 'statement.color': 'x' }, 'threats', 'sqli'), 'The `statement` of a threat has no field `color`.');
    assert.equal(refusal({ constructor: 'x' }), 'An element has no field `constructor`.');
    assert.match(refusal({ boundary: 'nowhere' }), /^This change to element `web` would make the model invalid: Unknown boundary `nowhere`\./);
    assert.match(refusal({ type: 'robot' }), /would make the model invalid: .*`type` must be one of external, process, store/);
    assert.match(refusal({ name: null }), /would make the model invalid: .*name/i);
    assert.match(refusal({ likelihood: 'sometimes' }, 'threats', 'sqli'), /would make the model invalid/);
    assert.match(refusal({ parent: 'core' }, 'boundaries', 'dmz'), /would make the model invalid: .*(cycle|loop)/i);
    assert.equal(refusal({ name: 'X' }, 'elements', 'nope'), 'There is no element `nope` to change.');
  });

  it('with followName, an id made from the name follows it (references too); a hand-picked id stays', () => {
    const text = 'rampart: 1\ntitle: x\nelements:\n  payment-api: { type: process, name: Payment API }\n  api-2: { type: process, name: API }\n  db: { type: store, name: Orders database }\n  checkout: { type: process, name: Checkout }\nflows:\n  pay: { from: payment-api, to: db }\nthreats:\n  t: { title: T, targets: [payment-api, pay], status: open }\n';
    let r = applied(text, { kind: 'set-fields', section: 'elements', id: 'payment-api', set: { name: 'Billing API' }, followName: true });
    assert.equal(r.result.id, 'billing-api');
    assert.match(r.text, /\n {2}billing-api: \{ type: process, name: Billing API \}\n/);
    assert.match(r.text, /pay: \{ from: billing-api, to: db \}/);
    assert.match(r.text, /targets: \[billing-api, pay\]/);
    // a taken id gets a number; an id numbered from the name follows too
    r = applied(text, { kind: 'set-fields', section: 'elements', id: 'api-2', set: { name: 'Checkout' }, followName: true });
    assert.equal(r.result.id, 'checkout-2');
    // an id not made from the name stays; without followName the id stays
    assert.equal(applied(text, { kind: 'set-fields', section: 'elements', id: 'db', set: { name: 'Ledger' }, followName: true }).result.id, 'db');
    assert.equal(applied(text, { kind: 'set-fields', section: 'elements', id: 'payment-api', set: { name: 'Billing API' } }).result.id, 'payment-api');
    // threats and mitigations follow their title
    const m = applied(SMALL, { kind: 'set-fields', section: 'mitigations', id: 'prepared', set: { title: 'Parameterised queries' }, followName: true });
    assert.equal(m.result.id, 'prepared', '`prepared` was not made from "Prepared statements"');
    const m2 = applied(SMALL.replace(/\bprepared\b/g, 'prepared-statements'), { kind: 'set-fields', section: 'mitigations', id: 'prepared-statements', set: { title: 'Parameterised queries' }, followName: true });
    assert.equal(m2.result.id, 'parameterised-queries');
    assert.match(m2.text, /mitigations: \[parameterised-queries\]/);
  });
});

describe('edit intents: renaming ids', () => {
  it('renames the key and every reference, as the editor\'s rename does', () => {
    const { text, result } = applied(SMALL, { kind: 'rename-id', section: 'elements', id: 'db', newId: 'orders-db' });
    assert.equal(result.id, 'orders-db');
    assert.equal(text, SMALL.replace('  db:\n', '  orders-db:\n').replace('to: db,', 'to: orders-db,').replace('from: db\n', 'from: orders-db\n').replace('- db\n', '- orders-db\n'));
    assert.deepEqual(computeIntent(SMALL, { kind: 'rename-id', section: 'elements', id: 'db', newId: 'db' }), { edits: [], id: 'db' });
  });

  it('refuses an invalid or taken id, and an absent entry', () => {
    const refusal = (i: Intent) => computeIntent(SMALL, i).refusal ?? '';
    assert.match(refusal({ kind: 'rename-id', section: 'elements', id: 'db', newId: 'Orders_DB' }), /is not a valid id/);
    assert.match(refusal({ kind: 'rename-id', section: 'elements', id: 'db', newId: 'web-to-db' }), /already exists in flows/);
    assert.match(refusal({ kind: 'rename-id', section: 'elements', id: 'nope', newId: 'x' }), /^There is no element `nope` to rename\.$/);
  });
});

describe('edit intents: the schema of the new intents', () => {
  const problem = (raw: unknown) => {
    const r = parseIntent(raw);
    return 'problem' in r ? r.problem : '';
  };
  it('accepts them with bounded values', () => {
    assert.ok('intent' in parseIntent({ kind: 'delete-entry', section: 'threats', id: 'design-x@web', withReferences: true }));
    assert.ok('intent' in parseIntent({ kind: 'set-fields', section: 'threats', id: 't1', set: { 'statement.source': 'x', stride: ['spoofing'], likelihood: null, annual_rate: 0.5, encrypted: true }, followName: false }));
    assert.ok('intent' in parseIntent({ kind: 'rename-id', section: 'elements', id: 'a', newId: 'b' }));
  });
  it('refuses unknown sections and keys, unsafe field names, long values and lists', () => {
    assert.match(problem({ kind: 'delete-entry', section: 'team', id: 'a' }), /^section/);
    assert.match(problem({ kind: 'delete-entry', section: 'elements', id: 'a', cascade: true }), /cascade|Unrecognized/i);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: JSON.parse('{"__proto__": "x"}') }), /^set/);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: { 'a.b.c': 'x' } }), /^set/);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: { prototype: 'x' } }), /^set/);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: { name: 'x'.repeat(5001) } }), /^set/);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: { tags: Array(101).fill('x') } }), /^set/);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: { name: { nested: 1 } } }), /^set/);
    assert.match(problem({ kind: 'set-fields', section: 'elements', id: 'a', set: {} }), /^set/);
    assert.match(problem({ kind: 'rename-id', section: 'elements', id: 'a', newId: '../x' }), /^newId/);
  });
});
