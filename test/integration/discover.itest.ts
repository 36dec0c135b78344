/**
 * Drafting a model from the repository (#12) in the real extension host: "Rampart: Draft Threat Model from
 * Workspace" on a folder with a Compose file and an OpenAPI description writes a model that checks without a
 * schema error; run again after a service is added, it adds only what is new, as one undoable edit.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, ruleIdOf, waitFor } from './helpers';

const COMPOSE = `services:
  web:
    image: nginx:1.27
    ports: ["443:443"]
    depends_on: [api]
  api:
    build: ./api
    environment:
      DATABASE_URL: postgres://db:5432/shop
      API_TOKEN: s3cr3t-value-never-copied
  db:
    image: postgres:16
`;
const OPENAPI = `openapi: 3.0.3
info: { title: Shop API, version: "1" }
servers: [{ url: "https://shop.example.com/api" }]
paths:
  /orders:
    get:
      operationId: listOrders
      responses: { "200": { description: ok } }
`;

const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

describe('drafting a model from the workspace (Compose, Kubernetes, OpenAPI)', function () {
  this.timeout(90000);
  afterEach(closeAllEditors);

  it('drafts a model that checks, never copies a secret, and on a second run adds only the new service', async () => {
    const folder = fixtureUri('discover-demo');
    await write(vscode.Uri.joinPath(folder, 'compose.yaml'), COMPOSE);
    await write(vscode.Uri.joinPath(folder, 'api/openapi.yaml'), OPENAPI);
    const model = vscode.Uri.joinPath(folder, 'shop.threatmodel.yaml');
    const first = await vscode.commands.executeCommand<{ model: vscode.Uri; result: { counts: { elements: number; files: number } } }>('rampart.draftFromWorkspace', folder, model);
    assert.ok(first, 'the command answers');
    assert.strictEqual(first.model.toString(), model.toString());
    assert.strictEqual(first.result.counts.files, 2, 'the Compose file and the OpenAPI description were read');
    const doc = await vscode.workspace.openTextDocument(model);
    const text = doc.getText();
    for (const id of ['web:', 'api:', 'db:']) assert.match(text, new RegExp(`\\n {2}${id}`), `${id} drafted`);
    assert.match(text, /source: compose\.yaml:\d+/, 'entries say where they were declared');
    assert.ok(!text.includes('s3cr3t-value-never-copied'), 'a secret value is never copied into the model');
    // The language server checks the draft: design findings, no schema finding.
    await vscode.window.showTextDocument(doc);
    const ds = await waitFor('the analysis of the draft', () => {
      const d = vscode.languages.getDiagnostics(model);
      return d.length ? d : undefined;
    }, 30000);
    assert.deepStrictEqual(ds.filter(d => ruleIdOf(d)?.startsWith('schema/')).map(d => d.message), []);

    // A new service in the Compose file: the second run adds it (and its flow), nothing else.
    await write(vscode.Uri.joinPath(folder, 'compose.yaml'), COMPOSE + '  billing:\n    image: ghcr.io/acme/billing:2\n    environment:\n      ORDERS_URL: http://api:8080/orders\n');
    const before = doc.getText();
    const second = await vscode.commands.executeCommand<{ result: { added: number } }>('rampart.draftFromWorkspace', folder, model);
    assert.ok(second && second.result.added >= 1, 'something was added');
    const after = doc.getText();
    assert.match(after, /\n {2}billing:/, 'the new service is in the model');
    assert.ok(after.startsWith(before.slice(0, before.indexOf('elements:'))), 'what came before is kept');
    const third = await vscode.commands.executeCommand<{ result: { added: number } }>('rampart.draftFromWorkspace', folder, model);
    assert.strictEqual(third?.result.added, 0, 'a third run finds nothing new');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo of the addition', () => doc.getText() === before);
    await vscode.workspace.fs.delete(folder, { recursive: true });
  });
});
