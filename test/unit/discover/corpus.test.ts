/**
 * Discovery on every file of ../shared/corpus/discover (read at test time). The expected counts were worked
 * out by hand from the files; each comment says why.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { discover, draftModel, proposeAdditions, driftFindings, type Discovery } from '../../../src/core/discover/index';
import { assertDraftClean, corpusSet, counts, DISCOVER_DIR } from './helpers';

interface Expected {
  elements: number; flows: number; boundaries: number; assets: number; findings: number;
  /** Element, flow and finding ids, to pin what the counts count. */
  ids?: { elements?: string[]; flows?: string[]; findings?: string[] };
}

const EXPECTED: Record<string, Expected> = {
  // Services gitea and db, plus `internet` (gitea publishes 3000:3000). Flows: internet -> gitea (published
  // port), gitea -> db (DB_HOST=db:5432). Boundaries: the `default` network (no service names one) and the
  // Internet zone. Assets: DB_PASSWD and POSTGRES_PASSWORD (credential-like keys). Findings: both passwords are
  // written in the file (secret-in-source x2). `expose: 5432` publishes nothing.
  'compose/gitea-postgres.compose.yaml': {
    elements: 3, flows: 2, boundaries: 2, assets: 2, findings: 2,
    ids: { elements: ['gitea', 'internet', 'db'], flows: ['internet-to-gitea', 'gitea-to-db'], findings: ['discover/secret-in-source', 'discover/secret-in-source'] },
  },
  // Services nc, redis, db, plus `internet` (nc publishes 80:80). Flows: internet -> nc, nc -> redis
  // (REDIS_HOST=redis), nc -> db (MYSQL_HOST=db). Boundaries: redisnet (nc's first network, redis), dbnet (db),
  // the Internet zone. Assets: MYSQL_PASSWORD (nc and db share the key: one asset) and MYSQL_ROOT_PASSWORD.
  // Findings: the three literal passwords (nc's MYSQL_PASSWORD, db's MYSQL_ROOT_PASSWORD and MYSQL_PASSWORD).
  'compose/nextcloud-redis-mariadb.compose.yaml': {
    elements: 4, flows: 3, boundaries: 3, assets: 2, findings: 3,
    ids: { elements: ['nc', 'internet', 'redis', 'db'], flows: ['internet-to-nc', 'nc-to-redis', 'nc-to-db'] },
  },
  // Services backend (build only), db, proxy (nginx), plus `internet` (proxy publishes 80:80). Flows:
  // internet -> proxy, backend -> db (depends_on), proxy -> backend (depends_on). Boundaries: `default`
  // network and the Internet zone. Asset: the Compose secret db-password (backend and db use it).
  // POSTGRES_PASSWORD_FILE is a path, not a credential: no asset, no finding.
  'compose/nginx-golang-postgres.compose.yaml': {
    elements: 4, flows: 3, boundaries: 2, assets: 1, findings: 0,
    ids: { elements: ['backend', 'db', 'proxy', 'internet'], flows: ['internet-to-proxy', 'backend-to-db', 'proxy-to-backend'] },
  },
  // Services elasticsearch, logstash, kibana, all publishing ports, plus `internet`. Flows: internet -> each of
  // the three, logstash -> elasticsearch and kibana -> elasticsearch (depends_on). `discovery.seed_hosts:
  // logstash` names logstash itself: no flow. Boundaries: the `elastic` network and the Internet zone.
  'compose/elasticsearch-logstash-kibana.compose.yaml': {
    elements: 4, flows: 5, boundaries: 2, assets: 0, findings: 0,
    ids: { flows: ['internet-to-elasticsearch', 'internet-to-logstash', 'internet-to-kibana', 'logstash-to-elasticsearch', 'kibana-to-elasticsearch'] },
  },
  // One operation per path and method: 2 (`GET /`, `GET /v2`). No `servers`: not internet-facing, so the API
  // gets a flow from an `api-client` external entity; no security anywhere -> authenticated: false. The
  // http:// URLs are example values, not servers: no finding.
  'openapi/api-with-examples.yaml': { elements: 2, flows: 1, boundaries: 0, assets: 0, findings: 0, ids: { elements: ['simple-api-overview', 'api-client'] } },
  // One operation (`POST /streams`); the callback is a call the API makes and is not read. No servers.
  'openapi/callback-example.yaml': { elements: 2, flows: 1, boundaries: 0, assets: 0, findings: 0, ids: { elements: ['callback-example', 'api-client'] } },
  // Six operations, links resolved through `$ref`s into components; no servers, no findings.
  'openapi/link-example.yaml': { elements: 2, flows: 1, boundaries: 0, assets: 0, findings: 0, ids: { elements: ['link-example', 'api-client'] } },
  // Server https://petstore.swagger.io/v2 is public: the API is internet-facing, with a flow from `internet`
  // (https) in the Internet zone. Four operations, none with a security requirement: four
  // unauthenticated-operation findings.
  'openapi/petstore-expanded.yaml': {
    elements: 2, flows: 1, boundaries: 1, assets: 0, findings: 4,
    ids: { elements: ['swagger-petstore', 'internet'], flows: ['internet-to-swagger-petstore'], findings: Array(4).fill('discover/unauthenticated-operation') },
  },
};

// The microservices-demo manifests as one set. kustomization.yaml lists 10 of the 11 manifests
// (loadgenerator.yaml is commented out): loadgenerator is skipped (discover/skipped-file). Workloads: 10
// Deployments in the listed files plus redis-cart (in cartservice.yaml) = 11, plus `internet` (the
// LoadBalancer Service frontend-external) = 12 elements. Flows: internet -> frontend; frontend's env names 7
// services (productcatalog, currency, cart, recommendation, shipping, checkout, ad); checkoutservice's 6
// (productcatalog, shipping, payment, email, currency, cart); recommendationservice's 1 (productcatalog);
// cartservice -> redis-cart (REDIS_ADDR) = 16. Boundaries: the default namespace and the Internet zone.
// Findings: frontend's SHOPPING_ASSISTANT_SERVICE_ADDR names a service no file declares
// (discover/unresolved-host) and the skipped loadgenerator.yaml.
const MICROSERVICES: Expected = {
  elements: 12, flows: 16, boundaries: 2, assets: 0, findings: 2,
  ids: { findings: ['discover/unresolved-host', 'discover/skipped-file'] },
};

function checkExpected(d: Discovery, e: Expected, label: string) {
  assert.deepEqual(counts(d), { elements: e.elements, flows: e.flows, boundaries: e.boundaries, assets: e.assets, findings: e.findings }, label);
  if (e.ids?.elements) assert.deepEqual(d.elements.map(x => x.id), e.ids.elements, `${label}: elements`);
  if (e.ids?.flows) assert.deepEqual(d.flows.map(x => x.id), e.ids.flows, `${label}: flows`);
  if (e.ids?.findings) assert.deepEqual(d.findings.map(x => x.ruleId), e.ids.findings, `${label}: findings`);
}

/** Every property of a discovery that must not change between runs (ids, entries, sources). */
const fingerprint = (d: Discovery) => JSON.stringify([d.elements, d.flows, d.boundaries, d.assets, d.operations, d.findings]);

describe('discover: the shared corpus', () => {
  it('covers every corpus file', () => {
    const all = ['compose', 'openapi'].flatMap(dir => readdirSync(join(DISCOVER_DIR, dir)).map(f => `${dir}/${f}`));
    assert.deepEqual(all.sort(), Object.keys(EXPECTED).sort(), 'a corpus file without expected counts');
    assert.ok(readdirSync(join(DISCOVER_DIR, 'kubernetes/microservices-demo')).length >= 12);
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: counts, a schema-clean draft, stable ids, nothing new on a re-run`, async () => {
      const files = corpusSet(file.split('/')[0]).filter(f => f.path === file);
      const d = await discover(files);
      checkExpected(d, expected, file);
      const draft = draftModel(d, { title: file });
      assertDraftClean(draft, file);
      assert.equal(fingerprint(await discover(files)), fingerprint(d), 'the same ids and entries on a second run');
      assert.deepEqual(proposeAdditions(draft, d), [], 'a model drafted from the same file lacks nothing');
      // Against its own draft only the public operations without authentication remain: no threat names them yet.
      const open = d.operations.filter(o => o.public && !o.authenticated).length;
      assert.deepEqual(driftFindings(draft, d).map(f => f.ruleId), Array(open).fill('discover/unauthenticated-operation'), 'no other drift against its own draft');
    });
  }

  it('kubernetes/microservices-demo as one set: counts, a schema-clean draft, stable ids, nothing new on a re-run', async () => {
    const files = corpusSet('kubernetes/microservices-demo');
    const d = await discover(files);
    checkExpected(d, MICROSERVICES, 'microservices-demo');
    assert.ok(!d.elements.some(e => e.id === 'loadgenerator'), 'not in the kustomization');
    const frontendOut = d.flows.filter(f => f.entry.from === 'frontend').map(f => `${f.entry.to}:${f.entry.protocol}`);
    assert.deepEqual(frontendOut, ['productcatalogservice:grpc', 'currencyservice:grpc', 'cartservice:grpc', 'recommendationservice:grpc', 'shippingservice:grpc', 'checkoutservice:grpc', 'adservice:grpc'], 'protocols from the Services\' port names');
    assert.equal(d.flows.find(f => f.id === 'cartservice-to-redis-cart')?.entry.protocol, 'redis', '`tcp-redis` names redis');
    assert.deepEqual(d.elements.find(e => e.id === 'redis-cart')?.entry, { name: 'redis-cart', type: 'store', kind: 'cache', technology: 'Redis', boundary: 'default-namespace' });
    assert.equal(d.elements.find(e => e.id === 'frontend')?.entry.internet_facing, true);
    const draft = draftModel(d, { title: 'Online Boutique' });
    assertDraftClean(draft, 'microservices-demo');
    // Reversed input order: the same discovery (files are sorted first).
    assert.equal(fingerprint(await discover([...files].reverse())), fingerprint(d));
    assert.deepEqual(proposeAdditions(draft, d), []);
  });

  it('the whole corpus at once: a schema-clean draft where the design rules fire on what was found', async () => {
    const files = [...corpusSet('compose'), ...corpusSet('kubernetes/microservices-demo'), ...corpusSet('openapi')];
    const d = await discover(files);
    const a = assertDraftClean(draftModel(d), 'all');
    const rules = new Set(a.findings.map(f => f.ruleId));
    for (const r of ['design/unencrypted-crossing', 'design/external-writes-store', 'design/secret-outside-vault', 'design/unauthenticated-inbound']) assert.ok(rules.has(r), r);
  });
});
