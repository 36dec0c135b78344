/**
 * The code and the model in the language server (#13), over stdio in a git repository built by the test:
 * annotations checked in the source files, counted on the model's CodeLens, listed as references, resolved for
 * the client; evidence line ranges read in the background; the edits of Link Selection as Evidence and Mark
 * Element Reviewed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CodeLensRequest, CodeLensResolveRequest, DocumentLinkRequest, HoverRequest, type DocumentLink, ReferencesRequest, RenameRequest, type CodeLens, type Hover, type MarkupContent, type Diagnostic, type Location, type WorkspaceEdit } from 'vscode-languageserver/node';
import { AddEvidenceRequest, FileAnnotationsRequest, MarkReviewedRequest, type ResolvedAnnotation, type TraceEditResult } from '../../../src/shared/traceRequests';
import { makeRepo, type TestRepo } from '../trace/gitRepo';
import { ensureServerBuilt, fileUri, LspClient, positionOf, diagnosticText, writeIn } from './lspClient';

const MODEL = `rampart: 1
title: App
elements:
  api:
    type: process
    name: API
    code: [src/**]
threats:
  token-replay:
    title: Token replay
    status: open
    targets: [api]
    likelihood: likely
    impact: major
    mitigations: [short-tokens]
mitigations:
  short-tokens:
    title: Short-lived tokens
    status: implemented
  signed:
    title: Signed tokens
    status: proposed
    evidence: [src/auth.ts#L2-L99, src/auth.ts#verify]
`;
const AUTH = `// @model api
export function verify(token: string) {
  // @mitigates token-replay with short-tokens
  return token.length > 0; // @threat tokne-replay
}
`;

const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);

describe('language server: the code and the model (trace/*)', function () {
  this.timeout(60_000);
  let repo: TestRepo;
  let client: LspClient;
  let modelUri: string;
  let authUri: string;

  before(async function () {
    this.timeout(240_000);
    ensureServerBuilt();
    repo = await makeRepo();
    repo.write('app.threatmodel.yaml', MODEL);
    repo.write('src/auth.ts', AUTH);
    await repo.commit('initial');
    modelUri = fileUri(path.join(repo.dir, 'app.threatmodel.yaml'));
    authUri = fileUri(path.join(repo.dir, 'src/auth.ts'));
    client = await LspClient.start({ folders: [repo.dir], settings: { debounceMs: 0 } });
    await client.open(modelUri, MODEL);
  });

  after(async () => {
    await client.stop();
    repo.cleanup();
  });

  it('reports an annotation naming an unknown id in the source file, on the id', async () => {
    const p = await client.diagnosticsWhere(authUri, x => x.diagnostics.length > 0);
    assert.deepEqual(p.diagnostics.map(d => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['trace/unknown-annotation-id', 3, 38, 50]]);
    assert.match(msg(p.diagnostics[0]), /^@threat names `tokne-replay`, which is not a threat of the threat model/);
  });

  it('checks the model with what the code says: the annotation is the evidence of short-tokens, and evidence lines past the end are reported', async () => {
    const p = await client.diagnosticsWhere(modelUri, x => x.diagnostics.some(d => d.code === 'trace/evidence-lines-outside-file'));
    assert.ok(!p.diagnostics.some(d => d.code === 'risk/implemented-without-evidence'), JSON.stringify(p.diagnostics.map(d => d.code)));
    const lines = p.diagnostics.find(d => d.code === 'trace/evidence-lines-outside-file')!;
    assert.match(msg(lines), /points at lines 2-99, but src\/auth\.ts has 5 lines/);
    assert.deepEqual(lines.range.start, positionOf(MODEL, 'src/auth.ts#L2-L99'));
  });

  it('hovering an evidence entry shows the lines it points at, fenced', async () => {
    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: modelUri }, position: positionOf(MODEL, 'auth.ts#L2') }) as Hover;
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /^\*\*src\\\/auth\\\.ts · lines 2\\-5 of 5\*\*\n\n```\nexport function verify\(token: string\) \{\n/);
    assert.ok(value.trimEnd().endsWith('}\n```'), value);
  });

  it('links `path#symbol` evidence to the line of the symbol', async () => {
    const links = await client.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: modelUri } }) as DocumentLink[];
    assert.deepEqual(links.map(l => l.target?.replace(/^.*\/src\//, 'src/')), ['src/auth.ts#L2-L99', 'src/auth.ts#L2']);
  });

  it('counts the annotations on the threat\'s and the mitigation\'s CodeLens, and lists them as references', async () => {
    const lenses = await client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: modelUri } }) as CodeLens[];
    const titleOn = async (needle: string) => {
      const line = positionOf(MODEL, needle).line;
      const l = lenses.find(x => x.range.start.line === line);
      return l ? ((await client.conn.sendRequest(CodeLensResolveRequest.type, l)) as CodeLens).command?.title : undefined;
    };
    assert.match(await titleOn('  token-replay:') ?? '', / · mitigated in 1 place$/);
    assert.equal(await titleOn('  short-tokens:'), 'implemented in 1 place');
    assert.match(await titleOn('  api:') ?? '', / · code in 1 file$/);

    const refs = await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: modelUri }, position: positionOf(MODEL, 'token-replay:'), context: { includeDeclaration: false } }) as Location[];
    const inCode = refs.filter(r => r.uri === authUri);
    assert.deepEqual(inCode.map(r => [r.range.start.line, r.range.start.character]), [[2, 16]], 'the @mitigates line, on the id');
  });

  it('renaming a mitigation in the model renames it in the annotations too', async () => {
    const edit = await client.conn.sendRequest(RenameRequest.type, { textDocument: { uri: modelUri }, position: positionOf(MODEL, 'short-tokens:'), newName: 'brief-tokens' }) as WorkspaceEdit;
    const changes = (edit.documentChanges ?? []) as { textDocument: { uri: string; version: number | null }; edits: { range: { start: { line: number; character: number } }; newText: string }[] }[];
    const inCode = changes.find(c => c.textDocument.uri === authUri);
    assert.ok(inCode, JSON.stringify(edit));
    assert.equal(inCode.textDocument.version, null, 'a file the server does not hold: applied to what the editor has');
    assert.deepEqual(inCode.edits.map(e => [e.range.start.line, e.range.start.character, e.newText]), [[2, 34, 'brief-tokens']]);
    assert.ok(changes.find(c => c.textDocument.uri === modelUri)!.edits.length >= 2, 'the model\'s own occurrences');
  });

  it('resolves a source file\'s annotations (unsaved text) against the model for the client', async () => {
    const text = AUTH.replace('tokne-replay', 'token-replay');
    const r = await client.conn.sendRequest(FileAnnotationsRequest, { uri: authUri, text }) as ResolvedAnnotation[];
    assert.deepEqual(r.map(a => [a.kind, a.id, a.target?.title, a.target?.status]), [
      ['model', 'api', 'API', undefined], ['mitigates', 'token-replay', 'Token replay', 'open'], ['threat', 'token-replay', 'Token replay', 'open'],
    ]);
    const m = r[1];
    assert.equal(m.target?.modelUri, modelUri);
    assert.equal(m.target?.range.start.line, positionOf(MODEL, '  token-replay:').line);
    assert.equal(m.target?.level, 'high');
    assert.equal(m.withTarget?.title, 'Short-lived tokens');
  });

  it('Link Selection as Evidence and Mark Element Reviewed are edits of the open model (HEAD from git)', async () => {
    const add = await client.conn.sendRequest(AddEvidenceRequest, { modelUri, mitigation: 'signed', evidence: 'src/auth.ts#L2-L4' }) as TraceEditResult;
    let version = await client.applyWorkspaceEdit(modelUri, add.edit as WorkspaceEdit);
    assert.match(client.text(modelUri), /evidence: \[src\/auth\.ts#L2-L99, src\/auth\.ts#verify, src\/auth\.ts#L2-L4\]/);
    const refused = await client.conn.sendRequest(AddEvidenceRequest, { modelUri, mitigation: 'nope', evidence: 'x' }) as TraceEditResult;
    assert.match(refused.refusal ?? '', /no mitigation `nope`/);

    const head = repo.git('rev-parse', 'HEAD').trim();
    const mark = await client.conn.sendRequest(MarkReviewedRequest, { uri: modelUri, element: 'api' }) as TraceEditResult;
    assert.equal(mark.commit, head);
    version = await client.applyWorkspaceEdit(modelUri, mark.edit as WorkspaceEdit);
    const today = new Date().toISOString().slice(0, 10);
    assert.match(client.text(modelUri), new RegExp(`\\n    reviewed:\\n      date: ${today}\\n      commit: ${head.slice(0, 12)}\\n`));
    const p = await client.diagnosticsWhere(modelUri, x => x.version === version);
    assert.ok(!p.diagnostics.some(d => String(d.code).startsWith('schema/')), JSON.stringify(p.diagnostics.map(msg)));
  });

  it('a commit under the element\'s code after the review: trace/stale-review names it', async () => {
    fs.writeFileSync(path.join(repo.dir, 'app.threatmodel.yaml'), client.text(modelUri));
    repo.write('src/auth.ts', AUTH + '// more\n');
    const sha = await repo.commit('Change auth');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: authUri, type: 2 }] });
    const p = await client.diagnosticsWhere(modelUri, x => x.diagnostics.some(d => d.code === 'trace/stale-review'));
    const d = p.diagnostics.find(x => x.code === 'trace/stale-review')!;
    assert.match(msg(d), new RegExp(`changed in 1 commit since its review .*: ${sha.slice(0, 7)} Change auth\\. Review src/auth\\.ts`));
  });
});
