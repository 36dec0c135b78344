/** Which models answer for a source file's annotations: the nearest folder holding models, else all of them. */
import assert from 'node:assert/strict';
import { ownerDirs } from '../../../src/core/trace/owners';

describe('trace: the models that answer for an annotation', () => {
  it('the deepest folder holding both models and the file wins (a monorepo, fixtures beside a root model)', () => {
    const dirs = ['', 'services/billing', 'services/payments', 'examples'];
    assert.deepEqual(ownerDirs(dirs, 'services/billing/src/charge.ts'), ['services/billing']);
    assert.deepEqual(ownerDirs(dirs, 'services/payments/api.py'), ['services/payments']);
    assert.deepEqual(ownerDirs(dirs, 'services/shared/util.ts'), [''], 'no model in services/shared: the root model');
    assert.deepEqual(ownerDirs(dirs, 'services/billing-v2/x.ts'), [''], 'a folder whose name only starts like a model folder is not inside it');
  });

  it('models beside the code (threats/ and src/): every model answers; several in one folder all do', () => {
    assert.deepEqual(ownerDirs(['threats'], 'src/auth.ts'), ['threats']);
    assert.deepEqual(ownerDirs(['threats', 'threats', 'docs'], 'src/auth.ts'), ['threats', 'docs']);
    assert.deepEqual(ownerDirs(['threats', ''], 'src/auth.ts'), [''], 'a root model holds every file');
  });
});
