import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, rampart, tmpdir } from './run';
import { CORPUS } from '../interop/corpus';

const GITEA = path.join(CORPUS, 'discover/compose/gitea-postgres.compose.yaml');
const COMPOSE = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    depends_on: [api]\n  api:\n    image: example/api\n    environment:\n      - DATABASE_URL=postgres://db:5432/app\n  db:\n    image: postgres:16\n';
const OPENAPI = 'openapi: 3.0.3\ninfo: { title: Shop API, version: "1" }\nservers: [{ url: "https://shop.example.com/api" }]\npaths:\n  /items: { get: { responses: { "200": { description: ok } } } }\n';

/** A small repository: a Compose file, an OpenAPI description, and a node_modules folder that is never read. */
function repo(): string {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
  fs.mkdirSync(path.join(dir, 'api'));
  fs.writeFileSync(path.join(dir, 'api', 'openapi.yaml'), OPENAPI);
  fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'compose.yaml'), 'services:\n  hidden:\n    image: nginx\n');
  fs.mkdirSync(path.join(dir, 'threats'));
  return dir;
}

describe('rampart discover', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('prints the draft of a corpus Compose file from the bundle, with the findings about the file on stderr', () => {
    const r = rampart(['discover', GITEA]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^rampart: 1\ntitle: Threat model of compose\n/m);
    assert.match(r.out, /\n {2}gitea-to-db:\n {4}from: gitea\n {4}to: db\n {4}protocol: postgresql\n {4}source: \S+gitea-postgres\.compose\.yaml:6\n/);
    assert.match(r.err, /gitea-postgres\.compose\.yaml:9:1 warning discover\/secret-in-source `DB_PASSWD` of service `gitea` has its value written in the file/);
    assert.match(r.err, /Discovered 3 elements, 2 flows, 2 boundaries and 2 assets in 1 file\./);
  });

  it('walks a repository (skipping node_modules), writes -o with sources relative to the model, and the draft checks without schema findings', () => {
    const dir = repo();
    const r = rampart(['discover', '.', '-o', 'threats/system.threatmodel.yaml', '--title', 'Shop'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const model = fs.readFileSync(path.join(dir, 'threats/system.threatmodel.yaml'), 'utf8');
    assert.match(model, /^title: Shop$/m);
    assert.match(model, /source: \.\.\/compose\.yaml:2$/m);
    assert.match(model, /source: \.\.\/api\/openapi\.yaml:1$/m);
    assert.ok(!model.includes('hidden'), 'node_modules is skipped');
    assert.match(r.err, /Wrote the drafted model to threats\/system\.threatmodel\.yaml/);
    assert.match(r.err, /api\/openapi\.yaml:5:1 warning discover\/unauthenticated-operation `GET \/items`/);
    const check = rampart(['check', 'threats', '--all', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(check.out).files[0].findings as { ruleId: string }[];
    assert.deepEqual(findings.filter(f => f.ruleId.startsWith('schema/')), []);
    assert.ok(findings.some(f => f.ruleId.startsWith('design/')), 'the design rules judge what was found');
  });

  it('on an existing model, prints only what is new and leaves the file alone; --force overwrites it', () => {
    const dir = repo();
    const out = 'threats/system.threatmodel.yaml';
    assert.equal(rampart(['discover', '.', '-o', out], { cwd: dir }).code, 0);
    const before = fs.readFileSync(path.join(dir, out), 'utf8');
    let r = rampart(['discover', '.', '-o', out], { cwd: dir });
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.match(r.err, /has all of it: nothing to add/);
    fs.appendFileSync(path.join(dir, 'compose.yaml'), '  billing:\n    image: example/billing\n    depends_on: [db]\n');
    r = rampart(['discover', '.', '-o', out], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# 2 entries that threats\/system\.threatmodel\.yaml lacks/);
    assert.match(r.out, /\nelements:\n {2}billing:\n {4}type: process\n {4}name: billing\n/);
    assert.match(r.out, /\nflows:\n {2}billing-to-db:\n/);
    assert.equal(fs.readFileSync(path.join(dir, out), 'utf8'), before, 'not changed');
    r = rampart(['discover', '.', '-o', out, '--force'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(fs.readFileSync(path.join(dir, out), 'utf8'), /\n {2}billing:\n/);
  });

  it('exit 2 with a reason: nothing to discover, a bad output name, a missing path', () => {
    const empty = tmpdir();
    let r = rampart(['discover'], { cwd: empty });
    assert.equal(r.code, 2);
    assert.match(r.err, /no Compose file, Kubernetes manifest or OpenAPI description found under \./);
    r = rampart(['discover', GITEA, '-o', 'model.yaml'], { cwd: empty });
    assert.equal(r.code, 2);
    assert.match(r.err, /the output file must end in \.threatmodel\.yaml/);
    r = rampart(['discover', 'nope/'], { cwd: empty });
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read 'nope\/': no such file or directory/);
  });

  it('help: the command is listed, and its options are explained', () => {
    assert.match(rampart(['--help']).out, /discover \[paths\.\.\.\] {2}Draft a model from Compose, Kubernetes and OpenAPI files/);
    const r = rampart(['discover', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: rampart discover \[paths\.\.\.\] \[-o model\.threatmodel\.yaml\] \[--force\]/);
    assert.match(r.out, /Remote \$refs and kustomize bases are never fetched/);
    assert.match(rampart(['check', '--help']).out, /--discover {17}Also discover the paths/);
  });
});

describe('rampart check --discover', () => {
  it('reports drift on the model (exit codes as for any finding), and nothing without --discover', () => {
    const dir = repo();
    assert.equal(rampart(['discover', '.', '-o', 'threats/system.threatmodel.yaml'], { cwd: dir }).code, 0);
    const quiet = ['--disable', 'design/', '--disable', 'stride/', '--disable', 'risk/'];
    let r = rampart(['check', '.', '--discover', ...quiet, '--fail-on', 'warning'], { cwd: dir });
    assert.deepEqual(r.out.split('\n').filter(l => / discover\/(?!unauthenticated-operation)/.test(l)), [], 'the draft matches the files');
    fs.appendFileSync(path.join(dir, 'compose.yaml'), '  billing:\n    image: example/billing\n');
    fs.writeFileSync(path.join(dir, 'api', 'openapi.yaml'), OPENAPI.replace('/items: { get:', '/items: { get: { security: [{ k: [] }], responses: {} }, post:'));
    r = rampart(['check', '.', '--discover', ...quiet], { cwd: dir });
    assert.equal(r.code, 0, 'warnings do not fail by default');
    assert.match(r.out, /^threats\/system\.threatmodel\.yaml:\d+:1 warning discover\/undeclared-component service `billing` in \.\.\/compose\.yaml is not in the threat model/m);
    assert.match(r.err, /api\/openapi\.yaml:5:1 warning discover\/unauthenticated-operation `POST \/items`/, 'findings about the files on stderr');
    assert.equal(rampart(['check', '.', '--discover', ...quiet, '--fail-on', 'warning'], { cwd: dir }).code, 1);
    r = rampart(['check', '.', ...quiet], { cwd: dir });
    assert.doesNotMatch(r.out, /discover\//, 'no drift without --discover');
    // A service removed from the Compose file: its element's source no longer declares it.
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE.replace(/ {2}db:\n {4}image: postgres:16\n/, ''));
    r = rampart(['check', 'threats', '--discover', '.', ...quiet], { cwd: dir });
    assert.match(r.out, /warning discover\/missing-source Element `db` was discovered in \.\.\/compose\.yaml, but that file no longer declares it/);
  });
});
