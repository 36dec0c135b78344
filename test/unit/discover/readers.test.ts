/** The readers one mapping at a time, on small files written here. */
import assert from 'node:assert/strict';
import { discover, draftModel } from '../../../src/core/discover/index';
import { publishedPort } from '../../../src/core/discover/compose';
import { classifyImage, imageName } from '../../../src/core/discover/images';
import { credentialKind, hostRefs, isLiteralValue } from '../../../src/core/discover/urls';
import { fromVirtual, toVirtual } from '../../../src/core/discover/openapi';
import { assertDraftClean } from './helpers';

const el = (d: Awaited<ReturnType<typeof discover>>, id: string) => d.elements.find(e => e.id === id)?.entry;
const flow = (d: Awaited<ReturnType<typeof discover>>, id: string) => d.flows.find(f => f.id === id)?.entry;

describe('discover: values', () => {
  it('image names -> type, kind, technology', () => {
    assert.equal(imageName('ghcr.io/org/app:1.2@sha256:abc'), 'org/app');
    assert.equal(imageName('library/postgres:16'), 'postgres');
    assert.equal(imageName('localhost:5000/my/api'), 'my/api');
    assert.deepEqual(classifyImage('docker.io/bitnami/postgresql:16'), { type: 'store', kind: 'database', technology: 'PostgreSQL', protocol: 'postgresql' });
    assert.equal(classifyImage('confluentinc/cp-kafka:7').kind, 'queue');
    assert.equal(classifyImage('hashicorp/vault').kind, 'vault');
    assert.equal(classifyImage('traefik:v3').kind, 'gateway');
    assert.equal(classifyImage('memcached:alpine').kind, 'cache');
    assert.deepEqual(classifyImage('example/billing:1'), { type: 'process', kind: 'service', technology: 'example/billing' });
    assert.deepEqual(classifyImage(undefined), { type: 'process', kind: 'service' });
  });

  it('published ports: loopback bindings stay local, the container port and transport count', () => {
    assert.deepEqual(publishedPort('8080:80'), { target: 80, transport: 'tcp', external: true });
    assert.deepEqual(publishedPort('127.0.0.1:8080:80'), { target: 80, transport: 'tcp', external: false });
    assert.deepEqual(publishedPort('[::1]:8080:80/udp'), { target: 80, transport: 'udp', external: false });
    assert.deepEqual(publishedPort(443), { target: 443, transport: 'tcp', external: true });
    assert.deepEqual(publishedPort('9000-9010:9000-9010'), { target: 9000, transport: 'tcp', external: true });
    assert.deepEqual(publishedPort({ target: 5432, published: 5432, host_ip: '127.0.0.1' }), { target: 5432, transport: 'tcp', external: false });
  });

  it('hosts in configuration values, without their credentials', () => {
    assert.deepEqual(hostRefs('DATABASE_URL', 'postgres://u:p@db:5432/app'), [{ host: 'db', port: 5432, scheme: 'postgresql', form: 'url' }]);
    assert.deepEqual(hostRefs('DB_HOST', 'db:5432'), [{ host: 'db', port: 5432, form: 'hostport' }]);
    assert.deepEqual(hostRefs('REDIS_HOST', 'redis'), [{ host: 'redis', form: 'bare' }]);
    assert.deepEqual(hostRefs('MODE', 'redis'), [], 'a bare word counts only under a host-like key');
    assert.deepEqual(hostRefs('KAFKA_BROKERS', 'k1:9092,k2:9092').map(r => r.host), ['k1', 'k2']);
    assert.deepEqual(hostRefs('JDBC_URL', 'jdbc:postgresql://db:5432/x').map(r => r.scheme), ['postgresql']);
    assert.deepEqual(hostRefs('API_URL', 'http://${API_HOST}:8080'), [], 'interpolations name no host');
  });

  it('credential-like variable names, and literal values', () => {
    for (const k of ['DB_PASSWORD', 'POSTGRES_PASSWORD', 'dbPassword', 'MYSQL_ROOT_PASSWORD', 'DB_PASS']) assert.equal(credentialKind(k), 'credentials', k);
    for (const k of ['API_KEY', 'GITHUB_TOKEN', 'JWT_SECRET', 'SECRET_KEY_BASE', 'AWS_SECRET_ACCESS_KEY']) assert.equal(credentialKind(k), 'secret', k);
    for (const k of ['POSTGRES_PASSWORD_FILE', 'TOKEN_URL', 'CACHE_KEY', 'DB_USER', 'PASSWORD_MIN_LENGTH', 'PORT']) assert.equal(credentialKind(k), undefined, k);
    assert.equal(isLiteralValue('s3cret'), true);
    assert.equal(isLiteralValue('${DB_PASSWORD}'), false);
    assert.equal(isLiteralValue('$DB_PASSWORD'), false);
    assert.equal(isLiteralValue(''), false);
    assert.equal(isLiteralValue(undefined), false);
  });

  it('virtual paths for the $ref resolver map back, also above the folder', () => {
    for (const p of ['api/openapi.yaml', '../shared/x.yaml', '../../a/b.yaml', 'a b/c.yaml']) assert.equal(fromVirtual(toVirtual(p)), p);
  });
});

describe('discover: Docker Compose', () => {
  it('anchors and merge keys as Compose uses them', async () => {
    const text = [
      'x-common: &common', '  image: example/worker:1', '  networks: [back]', '  environment: &env', '    QUEUE_URL: amqp://mq:5672', '',
      'services:', '  worker-a:', '    <<: *common', '  worker-b:', '    <<: *common', '    environment:', '      <<: *env', '      API_URL: http://api:8080',
      '  api:', '    image: example/api', '    networks: [front, back]', '    ports: ["443:8443"]', '  mq:', '    image: rabbitmq:3', '    networks: [back]',
      'networks: { front: {}, back: {} }', '',
    ].join('\n');
    const d = await discover([{ path: 'compose.yaml', text }]);
    assert.deepEqual(d.elements.map(e => e.id), ['worker-a', 'worker-b', 'api', 'internet', 'mq']);
    assert.equal(el(d, 'worker-a')?.boundary, 'back-network', 'networks from the anchor');
    assert.equal(el(d, 'api')?.boundary, 'front-network');
    assert.equal(el(d, 'mq')?.kind, 'queue');
    assert.equal(flow(d, 'worker-a-to-mq')?.protocol, 'amqp');
    assert.equal(flow(d, 'worker-b-to-mq')?.protocol, 'amqp', 'merged environment');
    assert.equal(flow(d, 'worker-b-to-api')?.protocol, 'http');
    assert.equal(flow(d, 'internet-to-api')?.protocol, 'https', 'container port 8443');
    assert.deepEqual(d.findings, []);
    assertDraftClean(draftModel(d), 'anchors');
  });

  it('links, depends_on maps, secrets, aliases, loopback ports and public hosts', async () => {
    const text = [
      'services:',
      '  web:', '    image: nginx', '    ports: ["127.0.0.1:8080:80"]', '    links: ["app:backend"]',
      '  app:', '    build: ./app', '    depends_on: { cache: { condition: service_started } }', '    secrets: [api-token]',
      '    environment:', '      - PAYMENTS_URL=https://api.stripe.com/v1', '      - SEARCH_HOST=search', '      - CACHE_ADDR=${CACHE_ADDR}',
      '  cache:', '    image: redis', '    networks: { default: { aliases: [kv] } }',
      'secrets:', '  api-token:', '    file: ./token.txt', '',
    ].join('\n');
    const d = await discover([{ path: 'deploy/compose.yaml', text }]);
    assert.equal(el(d, 'web')?.internet_facing, undefined, 'bound to loopback only');
    assert.ok(!d.elements.some(e => e.id === 'internet'));
    assert.deepEqual(d.flows.map(f => f.id), ['web-to-app', 'app-to-cache', 'app-to-api-stripe-com']);
    assert.deepEqual(el(d, 'api-stripe-com'), { name: 'api.stripe.com', type: 'external', kind: 'third-party', description: 'Named in `PAYMENTS_URL` of service `app`.' });
    assert.equal(flow(d, 'app-to-api-stripe-com')?.protocol, 'https');
    assert.deepEqual(el(d, 'app')?.processes, ['api-token']);
    assert.equal(d.assets[0].entry.kind, 'secret');
    assert.equal(el(d, 'app')?.description, 'Built from `./app`.');
    assert.deepEqual(d.findings.map(f => `${f.ruleId} ${f.source.line}`), ['discover/unresolved-host 12'], 'SEARCH_HOST=search names nothing declared');
    assert.equal(d.flows.find(f => f.id === 'app-to-cache')?.source.line, 8, 'the depends_on entry');
  });
});

describe('discover: Kubernetes', () => {
  const deployment = (name: string, image: string, env = '', ns = '') => [
    'apiVersion: apps/v1', 'kind: Deployment', `metadata: { name: ${name}${ns ? `, namespace: ${ns}` : ''} }`, 'spec:', '  template:',
    `    metadata: { labels: { app: ${name} } }`, '    spec:', '      containers:', `        - name: main`, `          image: ${image}`, env,
  ].filter(Boolean).join('\n');
  const service = (name: string, type = 'ClusterIP', port = 'http', ns = '') =>
    `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}${ns ? `, namespace: ${ns}` : ''} }\nspec: { type: ${type}, selector: { app: ${name} }, ports: [{ name: ${port}, port: 80 }] }`;

  it('namespaces, Ingress with TLS, NodePort, Secrets and ConfigMaps', async () => {
    const docs = [
      deployment('web', 'example/web', '          envFrom: [{ configMapRef: { name: web-config } }]\n          env:\n            - name: DB_PASSWORD\n              valueFrom: { secretKeyRef: { name: db-creds, key: password } }', 'shop'),
      service('web', 'ClusterIP', 'http', 'shop'),
      deployment('db', 'postgres:16', '', 'shop'), service('db', 'ClusterIP', 'tcp-postgres', 'shop'),
      deployment('admin', 'example/admin', '', 'ops'), service('admin', 'NodePort', 'http', 'ops'),
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: shop, namespace: shop }\nspec:\n  tls: [{ hosts: [shop.example.com] }]\n  rules:\n    - http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config, namespace: shop }\ndata: { DATABASE_HOST: "db.shop.svc.cluster.local:80" }',
      'apiVersion: v1\nkind: Secret\nmetadata: { name: db-creds, namespace: shop }\ntype: kubernetes.io/basic-auth',
    ];
    const d = await discover([{ path: 'k8s/all.yaml', text: docs.join('\n---\n') + '\n' }]);
    assert.deepEqual(d.boundaries.map(b => b.id), ['shop-namespace', 'ops-namespace', 'internet-zone']);
    assert.equal(el(d, 'web')?.internet_facing, true);
    assert.equal(flow(d, 'internet-to-web')?.protocol, 'https', 'the Ingress has tls');
    assert.equal(flow(d, 'internet-to-admin')?.protocol, 'http', 'NodePort');
    assert.equal(flow(d, 'web-to-db')?.protocol, 'postgresql', 'through the ConfigMap and the Service DNS name');
    assert.deepEqual(el(d, 'web')?.processes, ['db-creds']);
    assert.equal(d.assets[0].entry.kind, 'credentials', 'basic-auth Secret');
    assert.deepEqual(d.findings, []);
    assertDraftClean(draftModel(d), 'k8s');
  });

  it('a NetworkPolicy puts authorization on the flows it lets in, and not on others', async () => {
    const docs = [
      deployment('api', 'example/api'), service('api'),
      deployment('front', 'example/front', '          env: [{ name: API_URL, value: "http://api" }]'),
      deployment('batch', 'example/batch', '          env: [{ name: API_URL, value: "http://api:80" }]'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: api-in }\nspec:\n  podSelector: { matchLabels: { app: api } }\n  policyTypes: [Ingress]\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: front } } }] }]',
    ];
    const d = await discover([{ path: 'k8s.yaml', text: docs.join('\n---\n') + '\n' }]);
    assert.deepEqual(flow(d, 'front-to-api')?.controls, ['authorization']);
    assert.deepEqual(flow(d, 'front-to-api')?.tags, ['network-policy']);
    assert.equal(flow(d, 'batch-to-api')?.controls, undefined);
    assert.equal(flow(d, 'batch-to-api')?.protocol, 'http', 'the port name of the Service');
  });

  it('a Secret with data in the file and a literal credential in env are findings; remote kustomize bases are never fetched', async () => {
    const d = await discover([
      { path: 'k/kustomization.yaml', text: 'resources: [app.yaml, https://github.com/org/repo//base?ref=v1, missing.yaml]\nnamespace: prod\n' },
      { path: 'k/app.yaml', text: deployment('app', 'example/app', '          env: [{ name: API_TOKEN, value: "abc" }]') + '\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { k: YWJj }\n' },
    ]);
    // Sorted by file and line: k/app.yaml first.
    assert.deepEqual(d.findings.map(f => f.ruleId), ['discover/secret-in-source', 'discover/secret-in-source', 'discover/unresolved-resource', 'discover/unresolved-resource']);
    assert.equal(el(d, 'app')?.boundary, 'prod-namespace', 'the kustomization\'s namespace');
  });
});

describe('discover: OpenAPI', () => {
  it('security requirements set `authenticated`; an http server is unencrypted; an empty requirement makes an operation public', async () => {
    const text = [
      'openapi: 3.1.0', 'info: { title: Orders, version: "1" }', 'servers: [{ url: "http://orders.example.com/v1" }]',
      'security: [{ bearer: [] }]', 'paths:', '  /orders:', '    get: { responses: { "200": { description: ok } } }',
      '    post: { security: [{}, { bearer: [] }], responses: { "200": { description: ok } } }',
      'components: { securitySchemes: { bearer: { type: http, scheme: bearer } } }', '',
    ].join('\n');
    const d = await discover([{ path: 'orders.yaml', text }]);
    assert.deepEqual(d.operations.map(o => [o.method, o.authenticated, o.public]), [['GET', true, true], ['POST', false, true]]);
    assert.deepEqual(flow(d, 'internet-to-orders'), { from: 'internet', to: 'orders', protocol: 'http', encrypted: false, authenticated: false });
    assert.deepEqual(d.findings.map(f => `${f.ruleId} ${f.source.line}`), ['discover/unencrypted-server 3', 'discover/unauthenticated-operation 8']);
  });

  it('Swagger 2.0: host and schemes, securityDefinitions; every operation authenticated', async () => {
    const text = 'swagger: "2.0"\ninfo: { title: Legacy, version: "1" }\nhost: legacy.example.org\nschemes: [https]\nsecurityDefinitions: { key: { type: apiKey, in: header, name: X-Key } }\nsecurity: [{ key: [] }]\npaths:\n  /a: { get: { responses: { "200": { description: ok } } } }\n';
    const d = await discover([{ path: 'legacy.json', text }]);
    assert.deepEqual(flow(d, 'internet-to-legacy'), { from: 'internet', to: 'legacy', protocol: 'https', authenticated: true });
    assert.equal(el(d, 'legacy')?.technology, 'Swagger 2.0');
    assert.deepEqual(d.findings, []);
  });

  it('$refs to other files resolve from the files given, then through readFile; what is missing is a finding', async () => {
    const spec = 'openapi: 3.0.3\ninfo: { title: Split, version: "1" }\npaths:\n  /a: { $ref: "paths/a.yaml" }\n  /b: { $ref: "../shared/b.yaml#/b" }\n  /c: { $ref: "paths/nowhere.yaml" }\n';
    const asked: string[] = [];
    const d = await discover([
      { path: 'api/openapi.yaml', text: spec },
      { path: 'api/paths/a.yaml', text: 'get: { responses: { "200": { description: ok } } }\n' },
    ], { readFile: p => { asked.push(p); return p === 'shared/b.yaml' ? 'b: { post: { responses: { "200": { description: ok } } } }\n' : undefined; } });
    assert.deepEqual(d.operations.map(o => `${o.method} ${o.path}`), ['GET /a', 'POST /b']);
    assert.deepEqual(asked.sort(), ['api/paths/nowhere.yaml', 'shared/b.yaml']);
    assert.deepEqual(d.findings.map(f => `${f.ruleId} ${f.source.line}`), ['discover/unresolved-ref 6']);
  });

  it('a server host naming a Compose service makes that service the API', async () => {
    const d = await discover([
      { path: 'compose.yaml', text: 'services:\n  api:\n    image: example/api\n    ports: ["8080:8080"]\n  web:\n    image: example/web\n    environment: { API: "http://api:8080" }\n' },
      { path: 'openapi.yaml', text: 'openapi: 3.0.3\ninfo: { title: Api, version: "1" }\nservers: [{ url: "http://api:8080" }]\npaths:\n  /x: { get: { responses: { "200": { description: ok } } } }\n' },
    ]);
    assert.deepEqual(d.elements.map(e => e.id), ['api', 'internet', 'web']);
    assert.equal(el(d, 'api')?.kind, 'api');
    assert.equal(flow(d, 'web-to-api')?.authenticated, false, 'the operation takes no authentication');
    assert.deepEqual(d.operations.map(o => o.public), [true], 'internet-facing through its published port');
    assert.deepEqual(d.findings.map(f => f.ruleId), ['discover/unauthenticated-operation'], 'http://api is private: no unencrypted-server finding');
  });
});
