import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { importModel } from '../../../src/core/interop/index';
import { corpusFile } from '../interop/corpus';

/**
 * The design rules on real models of other tools, once imported: the findings a security reviewer expects
 * of Threagile's example application (the same weaknesses Threagile's own rules name), each explained.
 */
const NOW = new Date('2026-11-27T00:00:00Z');
const findings = (yaml: string) => analyze(yaml, { now: NOW }).findings.filter(f => f.ruleId.startsWith('design/'));
const ids = (fs: ReturnType<typeof findings>) => fs.map(f => f.stableId);

describe('design rules on the imported corpus', () => {
  it('Threagile example: unencrypted sensitive flows, direct writes into stores, missing auth, no backups', () => {
    const fs = findings(importModel('threagile', corpusFile('threagile/threagile-example.yaml')).yaml);
    const got = ids(fs);
    for (const expected of [
      'design/sensitive-data-unencrypted-flow@database-traffic',   // JDBC with customer data, no TLS
      'design/sensitive-data-unencrypted-flow@auth-traffic',       // plain LDAP
      'design/sensitive-data-unencrypted-flow@nfs-filesystem-access',
      'design/external-writes-store@db-update-access',             // admin client writes straight into the DB
      'design/unauthenticated-store-access@contract-file-server',  // NFS without authentication
      'design/store-without-backup@sql-database',
    ]) assert.ok(got.includes(expected), `${expected} in ${got.join(', ')}`);
    for (const f of fs) {
      assert.ok(f.why && f.why.length > 20, `${f.stableId} explains why`);
      assert.ok(f.fixes?.some(x => x.kind === 'add-suggested-threat'), `${f.stableId} offers its suggested threat`);
    }
  });

  it('Threat Dragon demo: the unauthenticated web request into the web app is an API without the usual controls', () => {
    const fs = findings(importModel('threat-dragon', corpusFile('threat-dragon/v2-threat-model.json')).yaml);
    assert.ok(fs.some(f => f.ruleId === 'design/api-missing-authorization'), ids(fs).join(', '));
    assert.ok(fs.some(f => f.ruleId === 'design/exposed-process-without-boundary'), ids(fs).join(', '));
  });
});
