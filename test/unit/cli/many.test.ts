/**
 * Issue #9 G: `rampart check --format sarif|json` over many models converts each file as soon as it is analysed
 * (memory was 1.07 GB for 1,600 files). These tests pin the output: the same log as one `toSarif` over the
 * analyses of all files, the same JSON. Memory itself is measured by hand, not asserted here.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { toSarif } from '../../../src/core/render/sarif';
import { HOMEPAGE, ruleDocsUrl } from '../../../src/core/rules/docs';
import { jsonSafe } from '../../../src/core/text/safe';
import { CLI, rampart, tmpdir } from './run';

const COUNT = 300;

/** A small model that varies with `i`: clean, unknown keys, dangling references, risks, brackets, CRLF, broken YAML. */
function model(i: number): string {
  const kind = i % 7;
  if (kind === 6 && i % 2 === 0) return `rampart: 1\ntitle: Broken ${i}\nelements: [\n`;
  const lines = [
    'rampart: 1',
    `title: "Service [${i}](javascript:x) \\u202e"`,
    'policy: { tolerance: medium }',
    'elements:',
    `  api-${i}: { type: process, name: "API ${i}"${kind === 1 ? ', colour: blue' : ''} }`,
    `  db-${i}: { type: store, name: "DB [${i}]" }`,
    'flows:',
    `  q-${i}: { from: api-${i}, to: ${kind === 2 ? 'ghost' : `db-${i}`}, protocol: postgres }`,
    'threats:',
    `  t-${i}: { title: "Injection #${i}", stride: [tampering], targets: [api-${i}], likelihood: ${kind === 3 ? 'likely' : 'rare'}, impact: ${kind === 3 ? 'major' : 'minor'}, status: open }`,
  ];
  const text = lines.join('\n') + '\n';
  return kind === 4 ? text.replace(/\n/g, '\r\n') : text;
}

describe('issue #9 G: check over many models', function () {
  this.timeout(180000);
  let dir: string;
  let texts: Map<string, string>;

  before(() => {
    assert.ok(fs.existsSync(CLI), 'run `npm run build` first');
    dir = tmpdir();
    texts = new Map();
    for (let i = 0; i < COUNT; i++) {
      const name = `m${String(i).padStart(3, '0')}.threatmodel.yaml`;
      const text = model(i);
      fs.writeFileSync(path.join(dir, name), text);
      texts.set(name, text);
    }
  });

  it('G: SARIF over 300 generated files is the same log as toSarif over the analyses of all files', () => {
    const r = rampart(['check', '.', '--format', 'sarif'], { cwd: dir });
    assert.equal(r.code, 1, r.err);
    const log = JSON.parse(r.out);
    const names = [...texts.keys()].sort((a, b) => a.localeCompare(b));
    const expected = toSarif(names.map(name => ({ uri: name, text: texts.get(name)!, analysis: analyze(texts.get(name)!) })), {
      toolVersion: log.runs[0].tool.driver.version, informationUri: HOMEPAGE, ruleHelpUri: ruleDocsUrl, category: 'rampart/',
      srcRoot: 'file://' + fs.realpathSync(dir).split(path.sep).join('/') + '/',
    });
    assert.ok((expected as { runs: { results: unknown[] }[] }).runs[0].results.length > COUNT, 'many results');
    assert.deepEqual(log, expected);
    assert.equal(r.out, jsonSafe(JSON.stringify(expected, null, 2)) + '\n', 'the same text, byte for byte');
    const out = path.join(tmpdir(), 'r.sarif');
    assert.equal(rampart(['check', '.', '--format', 'sarif', '-o', out], { cwd: dir }).out, '');
    assert.equal(fs.readFileSync(out, 'utf8'), r.out, '-o writes the same text');
  });

  it('G: JSON over 300 generated files lists every file with all its findings and the right totals', () => {
    const r = rampart(['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.files.length, COUNT);
    const totals = { error: 0, warning: 0, info: 0 };
    for (const f of j.files) {
      const analysis = analyze(texts.get(f.path)!);
      assert.deepEqual(f.findings.map((x: { ruleId: string; message: string }) => [x.ruleId, x.message]), analysis.findings.map(x => [x.ruleId, x.message]), f.path);
      assert.equal(f.threats.length, Object.keys(analysis.parsed.model.threats ?? {}).length, f.path);
      for (const x of analysis.findings) totals[x.severity]++;
    }
    assert.deepEqual(j.summary, { files: COUNT, ...totals });
    assert.equal(r.out, jsonSafe(JSON.stringify(j, null, 2)) + '\n', 'pretty-printed like JSON.stringify(…, null, 2)');
  });
});
