/**
 * Issue #9: evidence paths are confined to the repository that holds the model. Paths outside it are a finding
 * (risk/evidence-outside-repository) and are never looked up, so a cloned repository cannot learn which files
 * exist on the machine that checks it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { evidenceSettings, existsInside, repositoryRoot } from '../../../src/node/evidence';
import { insideRepository } from '../../../src/core/rules/risk/evidencePaths';
import { spawnSync } from 'node:child_process';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const rampart = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

const model = (evidence: string[]) => `rampart: 1
title: Evidence
mitigations:
  m1:
    title: Something
    status: implemented
    evidence: [${evidence.map(e => JSON.stringify(e)).join(', ')}]
`;

const OUTSIDE = ['/etc/passwd', '../../../../../../../etc/hostname', '\\\\server\\share\\x.ts', '//server/share/x', 'C:\\Windows\\win.ini', 'C:/Windows/win.ini', '../../outside.ts', 'src/../../../x'];

describe('hardening: evidence confined to the repository (#9)', () => {
  it('evidence paths probe the whole file system: paths outside the repository are never looked up', () => {
    const asked: string[] = [];
    const a = analyze(model([...OUTSIDE, '../src/inside.ts', 'docs/./x.md']), { modelDirInRepo: 'threats', fileExists: p => { asked.push(p); return true; } });
    assert.deepEqual(asked.sort(), ['../src/inside.ts', 'docs/./x.md']);
    const outside = a.findings.filter(f => f.ruleId === 'risk/evidence-outside-repository');
    assert.equal(outside.length, OUTSIDE.length);
    assert.ok(outside.every(f => f.severity === 'warning' && /outside the repository/.test(f.message)));
  });

  it('without a known repository the model\'s folder is the bound; URLs and prose are not paths', () => {
    assert.equal(insideRepository('../x', ''), false);
    assert.equal(insideRepository('a/../x', ''), true);
    assert.equal(insideRepository('../x', 'threats'), true);
    assert.equal(insideRepository('../../x', 'threats'), false);
    const a = analyze(model(['https://example.com/a', 'see the runbook page', 'file:///etc/passwd']), { fileExists: () => false });
    assert.deepEqual(a.findings.filter(f => f.ruleId.startsWith('risk/evidence')).map(f => f.ruleId), []);
  });

  describe('on disk', () => {
    let repo: string;
    before(() => {
      repo = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-evidence-'));
      fs.mkdirSync(path.join(repo, '.git'));
      fs.mkdirSync(path.join(repo, 'threats'));
      fs.mkdirSync(path.join(repo, 'src'));
      fs.writeFileSync(path.join(repo, 'src/auth.ts'), '// auth\n');
      fs.symlinkSync('/etc', path.join(repo, 'etc-link'));
      fs.symlinkSync('/nonexistent-rampart-target', path.join(repo, 'dangling'));
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it('the repository root is the folder with .git; the model folder is placed in it', () => {
      assert.equal(repositoryRoot(path.join(repo, 'threats')), repo);
      assert.equal(evidenceSettings(path.join(repo, 'threats/a.threatmodel.yaml')).modelDirInRepo, 'threats');
    });

    it('a symbolic link out of the repository answers "cannot tell", whether the target exists or not', () => {
      assert.equal(existsInside(repo, path.join(repo, 'src/auth.ts')), true);
      assert.equal(existsInside(repo, path.join(repo, 'src/missing.ts')), false);
      assert.equal(existsInside(repo, path.join(repo, 'etc-link/hostname')), undefined);
      assert.equal(existsInside(repo, path.join(repo, 'etc-link/no-such-file')), undefined);
      assert.equal(existsInside(repo, path.join(repo, 'dangling/x')), undefined);
      assert.equal(existsInside(repo, '/etc/hostname'), undefined);
    });

    it('rampart check reports outside paths and says nothing about what exists outside', () => {
      const file = path.join(repo, 'threats/a.threatmodel.yaml');
      fs.writeFileSync(file, model(['../src/auth.ts', '../src/gone.ts', '/etc/hostname', '/etc/no-such-file', '../../../../../../etc/hostname', 'etc-link-is-not-here.ts', '../etc-link/hostname', '../etc-link/nothing']));
      const r = rampart(['check', '--format', 'json', file]);
      const json = JSON.parse(r.stdout);
      const found = json.files[0].findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('risk/evidence'));
      const byRule = (id: string) => found.filter((f: { ruleId: string }) => f.ruleId === id).map((f: { line: number; message: string }) => f.message.match(/`([^`]*)`/)?.[1]);
      assert.deepEqual(byRule('risk/evidence-not-found'), ['../src/gone.ts', 'etc-link-is-not-here.ts']);
      assert.deepEqual(byRule('risk/evidence-outside-repository'), ['/etc/hostname', '/etc/no-such-file', '../../../../../../etc/hostname']);
    });
  });
});
