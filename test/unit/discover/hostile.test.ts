/** Hostile input ends in a clear finding, quickly, never a hang, a crash or a network request. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { discover, draftModel, DISCOVER_LIMITS } from '../../../src/core/discover/index';
import { assertDraftClean } from './helpers';

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await f();
  return { value, ms: Date.now() - t };
}

describe('discover: hostile input', () => {
  it('a YAML bomb (nested aliases) is a too-many-aliases finding, read in milliseconds', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `x-bomb:\n${levels.map(l => `  ${l}`).join('\n')}\nservices:\n  web:\n    image: nginx\n    environment: *i\n`;
    const { value: d, ms } = await timed(() => discover([{ path: 'compose.yaml', text }]));
    assert.deepEqual(d.findings.map(f => f.ruleId), ['discover/too-many-aliases']);
    assert.match(d.findings[0].message, /YAML bomb/);
    assert.equal(d.elements.length, 0);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('10,000 services: the first 5,000 become elements, one finding says so, and it finishes fast', async () => {
    const lines = ['services:'];
    for (let i = 0; i < 10_000; i++) lines.push(`  svc${i}:`, `    image: example/svc${i}:1`, `    depends_on: [svc${i === 0 ? 1 : i - 1}]`);
    const { value: d, ms } = await timed(() => discover([{ path: 'compose.yaml', text: lines.join('\n') + '\n' }]));
    assert.equal(d.elements.length, DISCOVER_LIMITS.entries);
    assert.ok(d.findings.some(f => f.ruleId === 'discover/too-many-entries' && /More than 5000 elements/.test(f.message)));
    assert.ok(d.flows.length <= DISCOVER_LIMITS.entries);
    assert.ok(ms < 15_000, `${ms} ms`);
    const draft = draftModel(d);
    assertDraftClean(draft, '10,000 services');
  });

  it('cyclic $refs end in a cyclic-ref finding (recursive schema, and a path item that refers to itself)', async () => {
    const text = [
      'openapi: 3.0.3', 'info: { title: Loop, version: "1" }', 'paths:',
      '  /nodes:', '    get:', '      security: [{ key: [] }]', '      responses:', '        "200":', '          description: ok',
      '          content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } }',
      '  /self:', '    $ref: "#/paths/~1self"',
      'components:', '  securitySchemes: { key: { type: apiKey, in: header, name: X-Key } }',
      '  schemas:', '    Node: { type: object, properties: { next: { $ref: "#/components/schemas/Other" } } }',
      '    Other: { type: object, properties: { back: { $ref: "#/components/schemas/Node" } } }', '',
    ].join('\n');
    const { value: d, ms } = await timed(() => discover([{ path: 'api.yaml', text }]));
    assert.ok(d.findings.some(f => f.ruleId === 'discover/cyclic-ref'), JSON.stringify(d.findings));
    assert.equal(d.operations.length, 1, 'the operation is still read');
    assert.equal(d.operations[0].authenticated, true);
    assert.ok(ms < 5000, `${ms} ms`);
  });

  it('remote $refs are never fetched: reported unresolved, and the server sees no request', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => { requests++; res.end('S: { type: string }\n'); });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const text = [
        'openapi: 3.0.3', 'info: { title: Remote, version: "1" }', 'paths:',
        '  /a:', '    get:', '      responses:', '        "200":', '          description: ok',
        `          content: { application/json: { schema: { $ref: "http://127.0.0.1:${port}/s.yaml#/S" } } }`,
        '  /b:', '    $ref: "http://127.0.0.1:1/paths.yaml#/b"',
        '  /c:', '    $ref: "https://example.invalid/c.yaml"', '',
      ].join('\n');
      const d = await discover([{ path: 'api/openapi.yaml', text }], { readFile: () => { throw new Error('readFile must not be asked for remote references'); } });
      const refs = d.findings.filter(f => f.ruleId === 'discover/unresolved-ref');
      assert.equal(refs.length, 3, JSON.stringify(d.findings));
      for (const f of refs) assert.match(f.message, /is remote: Rampart never fetches remote references/);
      assert.ok(refs.some(f => f.message.includes(`http://127.0.0.1:${port}/s.yaml#/S`) && f.source.line === 9), 'located on the $ref line');
      assert.ok(refs.some(f => f.message.includes('http://127.0.0.1:1/paths.yaml#/b')));
      assert.equal(requests, 0, 'no request reached the server');
      assert.deepEqual(d.operations.map(o => `${o.method} ${o.path}`), ['GET /a'], 'the rest is still read');
    } finally {
      server.close();
    }
  });

  it('a 50 MB file is refused by its size before parsing', async () => {
    const text = `services:\n  web:\n    image: "${'x'.repeat(50 * 1024 * 1024)}"\n`;
    const { value: d, ms } = await timed(() => discover([{ path: 'compose.yaml', text }]));
    assert.deepEqual(d.findings.map(f => f.ruleId), ['discover/file-too-large']);
    assert.match(d.findings[0].message, /over the 5 MiB that discovery reads/);
    assert.equal(d.elements.length, 0);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('deep nesting, binary data, broken YAML and foreign files are findings, and the other files are still read', async () => {
    const d = await discover([
      { path: 'deep.yaml', text: 'services:\n  a: ' + '['.repeat(200) + ']'.repeat(200) + '\n' },
      { path: 'bin.yaml', text: 'services:\u0000\u0001' },
      { path: 'broken.yaml', text: 'services:\n  a: [\n' },
      { path: 'notes.yaml', text: 'title: not a compose file\n' },
      { path: 'ok/compose.yaml', text: 'services:\n  web:\n    image: nginx\n' },
    ]);
    assert.deepEqual(d.findings.map(f => `${f.source.file} ${f.ruleId}`), [
      'bin.yaml discover/unreadable-file', 'broken.yaml discover/unreadable-file', 'deep.yaml discover/unreadable-file', 'notes.yaml discover/not-recognized',
    ]);
    assert.deepEqual(d.elements.map(e => e.id), ['web']);
  });

  it('secrets are never copied: no value of a credential reaches the discovery or the draft', async () => {
    const secret = 'hunter2-Sup3rS3cret';
    const d = await discover([
      { path: 'compose.yaml', text: `services:\n  api:\n    image: example/api\n    environment:\n      DB_PASSWORD: ${secret}\n      DATABASE_URL: postgres://admin:${secret}@db:5432/app\n  db:\n    image: postgres\n` },
      { path: 'k8s.yaml', text: `apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\nstringData: { password: ${secret} }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: cfg }\ndata: { API_TOKEN: ${secret} }\n` },
    ]);
    const all = JSON.stringify(d) + draftModel(d);
    assert.ok(!all.includes(secret), 'the value appears nowhere');
    assert.deepEqual(d.findings.map(f => f.ruleId), Array(3).fill('discover/secret-in-source'));
    assert.equal(d.flows.find(f => f.id === 'api-to-db')?.entry.protocol, 'postgresql', 'the URL still gives the flow');
  });
});
