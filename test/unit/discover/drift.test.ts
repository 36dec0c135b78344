/** Drift between a model and what the files declare: the `discover/*` rules, proposals and how they apply. */
import assert from 'node:assert/strict';
import { analyze, ruleMeta } from '../../../src/core/analyze';
import { computeIntent } from '../../../src/core/edit/intents';
import { computeFixResult } from '../../../src/core/edit/fixes';
import { applyEdits } from '../../../src/core/edit/yamlEdit';
import { addToModel, applyProposals, discover, draftModel, driftFindings, proposalClosure, proposeAdditions, rebaseDiscovery } from '../../../src/core/discover/index';
import { corpusFile } from '../interop/corpus';
import { assertDraftClean } from './helpers';

const COMPOSE = 'compose/nginx-golang-postgres.compose.yaml';
const BILLING = '  billing:\n    image: example/billing:1\n    environment:\n      - DATABASE_URL=postgres://db:5432/billing\n    depends_on: [backend]\n\n';

/** The compose file with a service `billing` added after the last one. */
const withBilling = (text: string) => text.replace('\nvolumes:', `\n${BILLING}volumes:`);

describe('discover: drift and proposals', () => {
  it('a service added to the compose file: exactly one undeclared-component finding, and a proposal computeIntent applies cleanly', async () => {
    const text = corpusFile(`discover/${COMPOSE}`);
    const model = draftModel(await discover([{ path: COMPOSE, text }]), { title: 'Shop' });
    const d = await discover([{ path: COMPOSE, text: withBilling(text) }]);

    const drift = driftFindings(model, d);
    assert.deepEqual(drift.map(f => f.ruleId), ['discover/undeclared-component']);
    assert.equal(drift[0].message, `service \`billing\` in ${COMPOSE} is not in the threat model: add it as \`billing\` with its flows, or record why it is out of scope.`);
    assert.equal(model.slice(drift[0].range.start, drift[0].range.end), 'elements', 'reported on the elements: key');
    assert.equal(drift[0].severity, 'warning');
    assert.equal(drift[0].stableId, 'discover/undeclared-component@billing');

    const proposals = proposeAdditions(model, d);
    assert.deepEqual(proposals.map(p => p.key), ['elements/billing', 'flows/billing-to-backend', 'flows/billing-to-db']);
    assert.deepEqual(proposals[0].value, { type: 'process', name: 'billing', kind: 'service', technology: 'example/billing', boundary: 'default-network', source: `${COMPOSE}:43` });
    assert.deepEqual(proposalClosure(proposals, 'elements/billing').map(p => p.key), proposals.map(p => p.key), 'both flows end in the model');

    // Each step with the core's own edit intents (and the create fix for assets), on the text the previous one made.
    let cur = model;
    for (const p of proposals) {
      for (const step of p.steps) {
        if ('intent' in step) {
          const r = computeIntent(cur, step.intent);
          assert.equal(r.refusal, undefined, `${p.key}: ${r.refusal}`);
          if (step.intent.kind.startsWith('add-')) assert.equal(r.id, p.id, 'the id the proposal planned');
          cur = applyEdits(cur, r.edits);
        } else {
          const r = computeFixResult(cur, step.fix);
          assert.equal(r.refusal, undefined);
          cur = applyEdits(cur, r.edits);
        }
      }
    }
    assertDraftClean(cur, 'after the proposals');
    assert.ok(cur.startsWith(model.slice(0, model.indexOf('\nflows:'))), 'the rest of the file is untouched');
    assert.deepEqual(proposeAdditions(cur, d), [], 'a re-run proposes nothing');
    assert.deepEqual(driftFindings(cur, d), []);
    // applyProposals does the same in one call.
    const applied = applyProposals(model, proposals);
    assert.equal(applied.text, cur);
    assert.deepEqual(applied.refused, []);
    assert.equal(applyEdits(model, applied.edits), cur, 'one edit from the original');
  });

  it('a service added above the others is proposed, not matched to the service whose line it now has', async () => {
    const text = corpusFile(`discover/${COMPOSE}`);
    const model = draftModel(await discover([{ path: COMPOSE, text }]), { title: 'Shop' });
    const first = text.replace(/^services:\n/m, `services:\n${BILLING}`);
    const proposals = proposeAdditions(model, await discover([{ path: COMPOSE, text: first }]));
    assert.ok(proposals.some(p => p.key === 'elements/billing'), 'billing is new');
    assert.ok(!proposals.some(p => p.section === 'flows' && p.value.from === p.value.to), 'no flow from a service to itself');
  });

  it('a flow between two modelled elements that the model lacks; a flow matches by its ends whatever its id', async () => {
    const d = await discover([{ path: 'compose.yaml', text: 'services:\n  web:\n    image: example/web\n    environment: { API_URL: "http://api:8080" }\n  api:\n    image: example/api\n' }]);
    const base = 'rampart: 1\ntitle: T\nelements:\n  web: { type: process, name: Web }\n  api: { type: process, name: API }\n';
    const drift = driftFindings(base, d);
    assert.deepEqual(drift.map(f => f.ruleId), ['discover/undeclared-flow']);
    assert.match(drift[0].message, /^`web` talks to `api` over http \(`API_URL` of service `web` in compose\.yaml\), but the threat model has no flow between them: add it\.$/);
    assert.deepEqual(driftFindings(`${base}flows:\n  calls: { from: api, to: web, bidirectional: true }\n`, d), [], 'a bidirectional flow covers both directions');
    assert.deepEqual(proposeAdditions(`${base}flows:\n  calls: { from: web, to: api }\n`, d).map(p => p.key), ['boundaries/default-network'], 'no flow: the model has one');
  });

  it('missing-source: the file is gone, or no longer declares the entry; an id renamed by hand still matches by source', async () => {
    const d = await discover([{ path: 'deploy/compose.yaml', text: 'services:\n  web:\n    image: example/web\n' }]);
    const model = [
      'rampart: 1', 'title: T', 'elements:',
      '  frontend: { type: process, name: Web, source: "deploy/compose.yaml:2" }',
      '  old: { type: process, name: Old, source: "deploy/compose.yaml:9" }',
      '  gone: { type: process, name: Gone, source: "deploy/gone.yaml:3" }',
      '  kept: { type: process, name: Kept, source: "other/compose.yaml:3" }', '',
    ].join('\n');
    const exists = (p: string) => p !== 'deploy/gone.yaml';
    const drift = driftFindings(model, d, { fileExists: exists });
    assert.deepEqual(drift.map(f => `${f.ruleId} ${model.slice(f.range.start, f.range.end)}`), [
      'discover/missing-source "deploy/compose.yaml:9"',
      'discover/missing-source "deploy/gone.yaml:3"',
    ], '`frontend` matches `web` by source; other/compose.yaml exists and was not discovered');
    assert.match(drift[0].message, /^Element `old` was discovered in deploy\/compose\.yaml, but that file no longer declares it/);
    assert.match(drift[1].message, /that file no longer exists/);
  });

  it('unauthenticated public operations: on the API element, until a threat names them', async () => {
    const file = 'openapi/petstore-expanded.yaml';
    const d = await discover([{ path: file, text: corpusFile(`discover/${file}`) }]);
    const model = draftModel(d);
    let drift = driftFindings(model, d);
    assert.equal(drift.length, 4);
    for (const f of drift) assert.equal(model.slice(f.range.start, f.range.end), 'swagger-petstore');
    assert.match(drift[0].message, /^`GET \/pets` \(findPets\) of `swagger-petstore` requires no authentication and the API is internet-facing \(openapi\/petstore-expanded\.yaml:18\)/);
    const threat = 'threats:\n  public-listing:\n    title: Anyone can call GET /pets and deletePet without logging in\n    targets: [swagger-petstore]\n    status: accepted\n    justification: The catalogue is public.\n    accepted_by: Dana\n    expires: 2030-01-01\n';
    drift = driftFindings(`${model}${threat}`, d);
    assert.deepEqual(drift.map(f => f.message.split(' ')[0] + ' ' + f.message.split(' ')[1]), ['`POST /pets`', '`GET /pets/{id}`'], 'named by METHOD /path or operationId');
  });

  it('the rules are registered and find nothing without a discovery', async () => {
    for (const id of ['discover/undeclared-component', 'discover/undeclared-flow', 'discover/unauthenticated-operation', 'discover/missing-source', 'discover/secret-in-source']) {
      assert.equal(ruleMeta(id)?.category, 'discover', id);
    }
    const d = await discover([{ path: 'compose.yaml', text: 'services:\n  web:\n    image: example/web\n' }]);
    const text = 'rampart: 1\ntitle: T\n';
    assert.ok(!analyze(text).findings.some(f => f.ruleId.startsWith('discover/')));
    assert.deepEqual(analyze(text, { discovery: d }).findings.filter(f => f.ruleId.startsWith('discover/')).map(f => f.ruleId), ['discover/undeclared-component']);
    assert.deepEqual(analyze(text, { discovery: d, disabledRules: ['discover/'] }).findings.filter(f => f.ruleId.startsWith('discover/')), []);
  });

  it('rebaseDiscovery maps every path (for a model in another folder)', async () => {
    const d = await discover([{ path: 'deploy/compose.yaml', text: 'services:\n  web:\n    image: example/web\n    environment: { A_TOKEN: x }\n' }]);
    const r = rebaseDiscovery(d, p => `../${p}`);
    assert.deepEqual(r.files, ['../deploy/compose.yaml']);
    assert.deepEqual([...r.elements, ...r.boundaries, ...r.assets, ...r.findings].map(x => x.source.file).filter(f => f !== '../deploy/compose.yaml'), []);
    assert.equal(d.files[0], 'deploy/compose.yaml', 'the original is unchanged');
  });

  it('proposals reuse the model\'s ids for what it has, and take fresh ids beside its own', async () => {
    const d = await discover([{ path: 'compose.yaml', text: 'services:\n  web:\n    image: example/web\n    ports: ["80:80"]\n    environment: { DB_PASSWORD: "${DB_PASSWORD}" }\n' }]);
    const model = 'rampart: 1\ntitle: T\nboundaries:\n  web: { name: Web zone, trust: partial }\n  net: { name: default network, trust: trusted, source: "compose.yaml:2" }\nelements:\n  internet: { type: external, name: Internet }\n';
    const proposals = proposeAdditions(model, d);
    assert.deepEqual(proposals.map(p => p.key), ['boundaries/internet-zone', 'assets/db-password', 'elements/web-2', 'flows/internet-to-web-2']);
    assert.equal(proposals[2].value.boundary, 'net', 'the boundary matched by source');
    assert.deepEqual(proposals[2].requires, ['assets/db-password']);
    const r = applyProposals(model, proposals);
    assert.deepEqual(r.refused, []);
    assertDraftClean(r.text, 'fresh ids');
    assert.deepEqual(proposeAdditions(r.text, d), []);
  });

  it('"Add to model" (the add-discovered fix) adds the finding\'s entry with its flows, once; refused without a discovery or once the files no longer declare it', async () => {
    const d = await discover([{ path: 'compose.yaml', text: 'services:\n  web:\n    image: example/web\n    environment: { API_URL: "http://api:8080" }\n  api:\n    image: example/api\n' }]);
    const base = 'rampart: 1\ntitle: T\nelements:\n  web: { type: process, name: Web }\n';
    const [finding] = driftFindings(base, d);
    assert.equal(finding.ruleId, 'discover/undeclared-component');
    const fix = finding.fixes![0];
    assert.equal(fix.kind, 'add-discovered');
    assert.equal(fix.title, 'Add to model: service `api`, with its flows');
    const withD = { addDiscovered: (t: string, f: Extract<typeof fix, { kind: 'add-discovered' }>) => addToModel(t, f, d) };
    const r = computeFixResult(base, fix, withD);
    assert.equal(r.refusal, undefined);
    const after = applyEdits(base, r.edits);
    assertDraftClean(after, 'after Add to model');
    assert.deepEqual(driftFindings(after, d), [], 'nothing left: the element, its boundary and the flow web -> api');
    assert.match(after, /api:[\s\S]*source: compose\.yaml:5/);
    assert.deepEqual(computeFixResult(after, fix, withD).edits, [], 'applied twice, nothing more');

    assert.match(computeFixResult(base, fix).refusal ?? '', /needs its discovery/, 'an adapter without a discovery refuses');
    const gone = await discover([{ path: 'compose.yaml', text: 'services:\n  web:\n    image: example/web\n' }]);
    assert.match(addToModel(base, fix as Extract<typeof fix, { kind: 'add-discovered' }>, gone).refusal ?? '', /no longer declares api/);

    // The flow's own fix, when both ends are modelled.
    const both = `${base}  api: { type: process, name: API }\n`;
    const [flow] = driftFindings(both, d);
    assert.equal(flow.ruleId, 'discover/undeclared-flow');
    const added = applyEdits(both, computeFixResult(both, flow.fixes![0], withD).edits);
    assert.match(added, /from: web[\s\S]*to: api/);
    assert.deepEqual(driftFindings(added, d), [], added);
  });
});
