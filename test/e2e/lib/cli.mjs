// The installed extension's CLI, as the e2e tests run it on a saved model (Env: EXT, the installed extension).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** `rampart check --format json FILE` with the installed CLI: its findings; throws on any schema finding. */
export function checkWithCli(file) {
  let out;
  try {
    out = execFileSync(process.execPath, [path.join(process.env.EXT, 'dist/cli.js'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // findings above the tolerance make the exit code non-zero; the JSON is still there
  }
  const report = JSON.parse(out);
  const findings = (report.files ?? [report]).flatMap(f => f.findings ?? []);
  const schema = findings.filter(f => String(f.ruleId).startsWith('schema/'));
  if (schema.length) throw new Error(`schema findings: ${schema.map(f => `${f.ruleId} ${f.message}`).join('; ')}`);
  return findings;
}
