import assert from 'node:assert/strict';
import { CATALOG, KIND_CATALOG, STRIDE_PER_ELEMENT, catalogEntry, catalogStub, type CatalogTarget } from '../../../src/core/rules/stride/catalog';
import { ELEMENT_KINDS, STRIDE, threat } from '../../../src/core/model/schema';

describe('threat catalog', () => {
  it('has an entry for every STRIDE category that applies to each target type', () => {
    for (const [target, cats] of Object.entries(STRIDE_PER_ELEMENT) as [CatalogTarget, readonly string[]][]) {
      for (const c of cats) assert.ok(CATALOG[target][c as (typeof STRIDE)[number]], `${target} ${c}`);
    }
  });

  it('every entry is well formed: a title with the name slot, CWE/CAPEC ids, a mitigation', () => {
    const all = [...Object.values(CATALOG), ...Object.values(KIND_CATALOG)].flatMap(m => Object.values(m ?? {}));
    assert.ok(all.length >= 40, String(all.length));
    for (const e of all) {
      assert.match(e!.title, /\{name\}/, e!.title);
      assert.ok(e!.cwe.length, e!.title);
      for (const c of e!.cwe) assert.match(c, /^CWE-\d{1,5}$/);
      for (const c of e!.capec) assert.match(c, /^CAPEC-\d{1,5}$/);
      assert.ok(e!.mitigations.length && e!.mitigations[0].length > 10, e!.title);
    }
    for (const kind of Object.keys(KIND_CATALOG)) assert.ok((ELEMENT_KINDS as readonly string[]).includes(kind), kind);
  });

  it('prefers the entry for the element kind, then the type, then the process entry', () => {
    assert.ok(catalogEntry('store', 'tampering', 'database').cwe.includes('CWE-89'));
    assert.equal(catalogEntry('store', 'tampering', 'cache').title, KIND_CATALOG.cache!.tampering!.title);
    assert.equal(catalogEntry('store', 'tampering', 'worker').title, CATALOG.store.tampering!.title);
    assert.equal(catalogEntry('external', 'spoofing', 'human').capec[0], 'CAPEC-98');
    assert.equal(catalogEntry('external', 'tampering').title, CATALOG.process.tampering!.title);
    assert.equal(catalogEntry(undefined, 'information-disclosure').title, CATALOG.flow['information-disclosure']!.title);
  });

  it('builds stubs that the schema accepts, with the element name filled in', () => {
    for (const kind of [undefined, ...ELEMENT_KINDS]) {
      for (const type of ['external', 'process', 'store', undefined]) {
        for (const c of STRIDE) {
          const stub = catalogStub(type, c, 'checkout-api', 'Checkout API', kind);
          assert.ok(threat.safeParse(stub).success, `${type} ${kind} ${c}`);
          assert.doesNotMatch(String(stub.title) + String(stub.description), /\{name\}/);
          assert.match(String(stub.title) + String(stub.description), /Checkout API/);
          assert.deepEqual(stub.stride, [c]);
          assert.deepEqual(stub.targets, ['checkout-api']);
        }
      }
    }
  });

  it('keeps the stub of a plain type as before when no kind is given', () => {
    const stub = catalogStub('process', 'spoofing', 'api', 'API');
    assert.equal(stub.title, 'A caller impersonates a legitimate client of API');
    assert.deepEqual(stub.cwe, ['CWE-287', 'CWE-306']);
  });
});
