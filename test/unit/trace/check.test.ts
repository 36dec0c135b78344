/**
 * `rampart check` against the code (#13), on a repository built by the test with real git history: evidence
 * line ranges and symbols, a renamed evidence file, annotations that count as evidence or name unknown ids, and
 * the code of an element changed after its review. Each finding fires where it should and not elsewhere.
 */
import assert from 'node:assert/strict';
import { rampart } from '../cli/run';
import { makeRepo, type TestRepo } from './gitRepo';

const AUTH = `// @model api
export function verifyToken(token: string): boolean {
  // @mitigates token-replay with short-tokens
  return token.length > 0;
}
`;

const model = (commit: string, evidence: string[]) => `rampart: 1
title: App
elements:
  api:
    type: process
    name: API
    code: [../src/**]
    reviewed: { date: 2026-01-01, commit: ${commit} }
  web:
    type: process
    name: Web
    code: [../web/**]
    reviewed: { date: 2026-01-01, commit: ${commit} }
threats:
  token-replay:
    title: Token replay
    status: open
    targets: [api]
    likelihood: likely
    impact: major
    mitigations: [short-tokens, signed]
mitigations:
  short-tokens:
    title: Short-lived tokens
    status: implemented
  signed:
    title: Signed tokens
    status: implemented
    evidence: [${evidence.join(', ')}]
`;

interface Line { file: string; line: number; rule: string; message: string }
const lines = (out: string): Line[] => out.split('\n').map(l => /^(\S+):(\d+):\d+ \S+ (\S+) (.*)$/.exec(l)).filter(m => m !== null)
  .map(m => ({ file: m![1], line: Number(m![2]), rule: m![3], message: m![4] }));
const rules = (out: string, prefix: string) => lines(out).filter(l => l.rule.startsWith(prefix));

describe('rampart check: the code and the model (trace/*)', function () {
  this.timeout(60_000);
  let repo: TestRepo;
  let reviewed: string;

  before(async () => {
    repo = await makeRepo();
    repo.write('src/auth.ts', AUTH);
    repo.write('src/session.ts', 'export const ttl = 300;\n');
    repo.write('web/index.html', '<!-- @threat token-replay -->\n<p>hi</p>\n');
    repo.write('threats/app.threatmodel.yaml', model('0000000', ['../src/auth.ts#L2-L5']));
    reviewed = await repo.commit('initial');
  });

  after(() => repo.cleanup());

  it('a model true to its code: no trace finding, and an annotation counts as the evidence of its mitigation', async () => {
    repo.write('threats/app.threatmodel.yaml', model(reviewed.slice(0, 12), ['../src/auth.ts#L2-L5', '../src/auth.ts#verifyToken']));
    await repo.commit('review');
    const r = rampart(['check', '--fail-on', 'warning', '.'], { cwd: repo.dir });
    assert.deepEqual(rules(r.out, 'trace/'), [], r.out);
    assert.deepEqual(rules(r.out, 'risk/implemented-without-evidence'), [], '`@mitigates token-replay with short-tokens` is its evidence');
    assert.equal(r.code, 0, r.out + r.err);
    // The report lists where the code implements the mitigation.
    const report = rampart(['report', 'threats/app.threatmodel.yaml'], { cwd: repo.dir });
    assert.match(report.out, /\| Short-lived tokens<br>`short-tokens` \|[^\n]*\| in code: `\.\.\/src\/auth\.ts:3` \|/, report.out + report.err);
    // Without reading the repository, the annotation does not count.
    const off = rampart(['check', '--no-trace', '.'], { cwd: repo.dir });
    assert.deepEqual(rules(off.out, 'risk/implemented-without-evidence').map(l => l.message.split(' ')[1]), ['`short-tokens`']);
  });

  it('a commit under an element\'s code after its review: stale-review names the commit and the file, for that element only', async () => {
    repo.write('src/session.ts', 'export const ttl = 3600;\n');
    const change = await repo.commit('Longer sessions');
    const r = rampart(['check', '.'], { cwd: repo.dir });
    const stale = rules(r.out, 'trace/stale-review');
    assert.equal(stale.length, 1, r.out);
    assert.equal(stale[0].file, 'threats/app.threatmodel.yaml');
    assert.match(stale[0].message, new RegExp(`^The code of \`api\` changed in 1 commit since its review \\(2026-01-01\\): ${change.slice(0, 7)} Longer sessions\\. Review \\.\\./src/session\\.ts against the model`));
    assert.equal(stale[0].line, 8, 'on `reviewed:`');
  });

  it('evidence whose lines or symbol are gone, and a renamed evidence file with a fix that points at the new path', async () => {
    repo.mv('src/auth.ts', 'src/security/auth.ts');
    await repo.commit('Move auth');
    repo.write('threats/app.threatmodel.yaml', model(reviewed.slice(0, 12), ['../src/security/auth.ts#L2-L40', '../src/security/auth.ts#verifyTokens', '../src/auth.ts']));
    const r = rampart(['check', '--format', 'json', '.'], { cwd: repo.dir });
    const findings = (JSON.parse(r.out) as { files: { path: string; findings: { ruleId: string; message: string; fixes?: string[] }[] }[] }).files
      .find(f => f.path === 'threats/app.threatmodel.yaml')!.findings;
    const of = (id: string) => findings.filter(f => f.ruleId === id);
    assert.match(of('trace/evidence-lines-outside-file')[0]?.message ?? '', /points at lines 2-40, but \.\.\/src\/security\/auth\.ts has 5 lines/);
    assert.match(of('trace/evidence-symbol-not-found')[0]?.message ?? '', /names `verifyTokens`, which \.\.\/src\/security\/auth\.ts no longer mentions/);
    const missing = of('risk/evidence-not-found');
    assert.equal(missing.length, 1);
    assert.match(missing[0].message, /it may be `\.\.\/src\/security\/auth\.ts` now/);
    assert.deepEqual(missing[0].fixes, ['Point the evidence at ../src/security/auth.ts (where it went)']);
  });

  it('an annotation naming an id no model has is reported in the source file, on the id', async () => {
    repo.write('src/security/auth.ts', AUTH.replace('@mitigates token-replay with short-tokens', '@mitigates token-replay with short-token'));
    repo.write('web/index.html', '<!-- @threat tokne-replay -->\n<p>hi</p>\n');
    // A binary file (a NUL among its first bytes) is not read for annotations, whatever text it carries.
    repo.write('web/cache.v8cache', 'PNG\u0000\u0001\n// @threat tokne-replay\n');
    const r = rampart(['check', '.'], { cwd: repo.dir });
    const unknown = rules(r.out, 'trace/unknown-annotation-id');
    assert.deepEqual(unknown.map(l => [l.file, l.line]), [['src/security/auth.ts', 3], ['web/index.html', 1]], r.out);
    assert.match(unknown[0].message, /^@mitigates … with names `short-token`, which is not a mitigation of the threat model/);
    assert.match(unknown[1].message, /^@threat names `tokne-replay`, which is not a threat/);
    assert.match(r.out, /web\/index\.html:1:14 warning trace\/unknown-annotation-id/, 'the column of the id');
  });
});
