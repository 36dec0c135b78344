/** The server's pure pieces: settings validation, snippet flattening, the folder listing and evidence lookups. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSettings, DEFAULTS } from '../../../src/shared/settings';
import { snippetToText } from '../../../src/server/handlers/completion';
import { listFolder, lookup, WorkspaceFiles } from '../../../src/server/fileIndex';
import { isThreatModel } from '../../../src/server/documents';

describe('server: settings', () => {
  it('reads nested (VS Code) and dotted (hand-written) keys, and defaults what is missing or wrong', () => {
    assert.deepEqual(parseSettings(null), { tolerance: undefined, disabledRules: [], severityOverrides: {}, ...DEFAULTS });
    const nested = parseSettings({ tolerance: 'high', diagnostics: { scope: 'openFiles' }, codeLens: { enabled: false }, debounceMs: 99999, acceptanceDays: 30 });
    assert.equal(nested.tolerance, 'high');
    assert.equal(nested.diagnosticsScope, 'openFiles');
    assert.equal(nested.codeLens, false);
    assert.equal(nested.debounceMs, 10_000);
    assert.equal(nested.acceptanceDays, 30);
    const dotted = parseSettings({ 'diagnostics.scope': 'openFiles', 'codeLens.enabled': false, tolerance: 'huge', disabledRules: ['stride/', 3, ''], severityOverrides: { a: 'off', b: 'fatal', c: 'info' } });
    assert.equal(dotted.diagnosticsScope, 'openFiles');
    assert.equal(dotted.codeLens, false);
    assert.equal(dotted.tolerance, undefined);
    assert.deepEqual(dotted.disabledRules, ['stride/']);
    assert.deepEqual(dotted.severityOverrides, { a: 'off', c: 'info' });
    assert.equal(parseSettings({ maxFileSize: 10 }).maxFileSize, 1024);
    assert.equal(parseSettings({ discover: { enabled: false } }).discoverEnabled, false);
    assert.equal(parseSettings({ 'discover.enabled': false }).discoverEnabled, false);
    assert.equal(parseSettings({ discover: { enabled: 'no' } }).discoverEnabled, true, 'only false turns it off');
    assert.deepEqual(parseSettings({ intel: { files: ['feeds/kev.json', 3, '', ' feeds/kev.json ', 'osv/'] } }).intelFiles, ['feeds/kev.json', 'osv/']);
    assert.deepEqual(parseSettings({ 'intel.files': 'kev.json' }).intelFiles, [], 'a list of paths, not a string');
  });
});

describe('server: snippets for clients without snippet support', () => {
  it('keeps defaults, first choices and escaped characters', () => {
    assert.equal(snippetToText('${1:new-threat}:\n  likelihood: ${5|rare,likely|}\n  x: [$0]${2}'), 'new-threat:\n  likelihood: rare\n  x: []');
    assert.equal(snippetToText('cost: \\$5 ${1:a\\}b} ${2|x\\,y,z|}'), 'cost: $5 a}b x,y');
  });
});

describe('server: documents', () => {
  it('recognises threat models by language id or file name, not in diff views', () => {
    assert.ok(isThreatModel({ uri: 'file:///a/b.threatmodel.yaml', languageId: 'yaml' }));
    assert.ok(isThreatModel({ uri: 'untitled:Untitled-1', languageId: 'threatmodel' }));
    assert.ok(!isThreatModel({ uri: 'file:///a/b.yaml', languageId: 'yaml' }));
    assert.ok(!isThreatModel({ uri: 'git:/a/b.threatmodel.yaml?ref', languageId: 'threatmodel' }));
  });
});

describe('server: folder listing and evidence', () => {
  let ws: string;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-index-'));
    for (const f of ['a/b.ts', 'node_modules/p/index.js', '.git/HEAD', 'dist/x.threatmodel.yaml', 'm/one.threatmodel.yaml', 'm/two.threatmodel.yml']) {
      fs.mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
      fs.writeFileSync(path.join(ws, f), '');
    }
    fs.symlinkSync(os.tmpdir(), path.join(ws, 'out-link'));
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('lists files and folders, not inside .git or node_modules, and finds the models outside build output', async () => {
    const l = await listFolder(ws);
    assert.ok(l.complete);
    for (const e of ['a', 'a/b.ts', 'node_modules', '.git', 'out-link']) assert.ok(l.entries.has(e), e);
    assert.ok(!l.entries.has('node_modules/p') && !l.entries.has('.git/HEAD'));
    assert.deepEqual(l.models.map(m => path.relative(ws, m)).sort(), ['m/one.threatmodel.yaml', 'm/two.threatmodel.yml']);
    assert.equal(lookup(l, 'a/b.ts'), true);
    assert.equal(lookup(l, 'a/c.ts'), false);
    assert.equal(lookup(l, 'node_modules/p/index.js'), undefined, 'not listed: cannot tell');
    assert.equal(lookup(l, 'out-link'), undefined, 'a link out of the folder: cannot tell');
    assert.equal(lookup(l, 'out-link/anything'), undefined);
  });

  it('answers evidence relative to the model, inside its repository, and follows created and deleted files', async () => {
    const files = new WorkspaceFiles([ws]);
    const model = path.join(ws, 'm/one.threatmodel.yaml');
    const ev = await files.evidenceFor(model);
    assert.equal(ev.modelDirInRepo, 'm');
    assert.equal(ev.fileExists!('../a/b.ts'), true);
    assert.equal(ev.fileExists!('../a/missing.ts'), false);
    assert.equal(ev.fileExists!('../../elsewhere'), undefined);
    fs.writeFileSync(path.join(ws, 'a/new.ts'), '');
    const g = files.generation;
    await files.fileCreated(path.join(ws, 'a/new.ts'));
    assert.ok(files.generation > g);
    assert.equal(ev.fileExists!('../a/new.ts'), true);
    await files.fileDeleted(path.join(ws, 'a'));
    assert.equal(ev.fileExists!('../a/b.ts'), false);
    assert.deepEqual((await files.modelFiles()).length, 2);
    // Outside every workspace folder: no lookups at all.
    const none = await new WorkspaceFiles([]).evidenceFor(model);
    assert.equal(none.fileExists, undefined);
  });
});
