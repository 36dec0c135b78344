import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, ruleIdOf } from './helpers';
import { applyAction, codeActionsAt, posOf, rangeOf, waitForNoRule, waitForRule, writeModel } from './modelHelpers';

const HEADLINE = 'risk/unmitigated-above-tolerance';
const QUICKFIX = vscode.CodeActionKind.QuickFix;
const REFACTOR = vscode.CodeActionKind.Refactor;

const MODEL = `# Payments model of the quick-fix tests
rampart: 1
title: Payments
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }   # the public API
  db: { type: store, name: Orders DB }
threats:
  card-skimming:   # the headline risk
    title: Card numbers skimmed
    stride: [information-disclosure]
    targets: [api]
    likelihood: likely
    impact: major
    status: open
`;

/** The comments of MODEL, which every fix must leave in place. */
function assertCommentsKept(text: string): void {
  for (const c of ['# Payments model of the quick-fix tests', '# the public API', '# the headline risk']) assert.ok(text.includes(c), `comment "${c}" kept`);
}

describe('quick fixes and refactorings', () => {
  afterEach(closeAllEditors);

  it('adds a mitigation stub for an unmitigated threat (the preferred fix) and links it', async () => {
    const doc = await writeModel('fix-mitigation.threatmodel.yaml', MODEL);
    const [d] = await waitForRule(doc.uri, HEADLINE);
    const actions = await codeActionsAt(doc.uri, d.range, QUICKFIX);
    const a = await applyAction(actions, 'Add a mitigation for card-skimming');
    assert.strictEqual(a.isPreferred, true);
    const text = doc.getText();
    assert.match(text, /\n {4}mitigations: \[ ?mitigate-card-skimming ?\]\n/);
    assert.match(text, /\nmitigations:\n {2}mitigate-card-skimming:\n {4}title: 'TODO: mitigate "Card numbers skimmed"'\n {4}status: proposed\n/);
    assertCommentsKept(text);
    // Still above tolerance until the mitigation is implemented, but the message says so.
    await waitForRule(doc.uri, HEADLINE, ds => ds.length === 1 && /none of its mitigations is implemented yet/.test(ds[0].message));
    // It is done: the fix is no longer offered, the other fixes still are.
    const after = (await codeActionsAt(doc.uri, d.range, QUICKFIX)).map(x => x.title);
    assert.ok(!after.includes('Add a mitigation for card-skimming'), after.join(' | '));
    assert.ok(after.some(t => /^Accept the risk of card-skimming/.test(t)), after.join(' | '));
  });

  it('accepts the risk with justification, owner and expiry placeholders, and the error goes', async () => {
    const doc = await writeModel('fix-accept.threatmodel.yaml', MODEL);
    const [d] = await waitForRule(doc.uri, HEADLINE);
    await applyAction(await codeActionsAt(doc.uri, d.range, QUICKFIX), /^Accept the risk of card-skimming/);
    const text = doc.getText();
    assert.match(text, /\n {4}status: accepted\n {4}justification: "TODO: why this risk is acceptable"\n {4}accepted_by: TODO\n {4}expires: \d{4}-\d{2}-\d{2}\n/);
    assertCommentsKept(text);
    await waitForNoRule(doc.uri, HEADLINE);
  });

  it('adds STRIDE threat stubs for an element without threats', async () => {
    const doc = await writeModel('fix-stride.threatmodel.yaml', MODEL);
    const isDb = (x: vscode.Diagnostic) => x.range.isEqual(rangeOf(doc, 'db'));
    const [d] = await waitForRule(doc.uri, 'stride/coverage', ds => ds.some(isDb)).then(ds => ds.filter(isDb));
    const a = await applyAction(await codeActionsAt(doc.uri, d.range, QUICKFIX), /^Add STRIDE threat stubs for db \(4\)/);
    assert.strictEqual(a.isPreferred, true);
    const text = doc.getText();
    for (const id of ['db-tampering', 'db-repudiation', 'db-disclosure', 'db-dos']) assert.match(text, new RegExp(`\\n {2}${id}:\\n {4}title: `), id);
    assertCommentsKept(text);
    await waitForNoRule(doc.uri, 'stride/coverage', x => x.range.start.line === rangeOf(doc, 'db').start.line);
  });

  it('corrects a misspelt reference (did you mean), or creates the missing element', async () => {
    const doc = await writeModel('fix-dangling.threatmodel.yaml', MODEL.replace('targets: [api]', 'targets: [apii, ledger]'));
    const ds = await waitForRule(doc.uri, 'schema/dangling-reference', x => x.length === 2);
    const typo = ds.find(x => x.range.isEqual(rangeOf(doc, 'apii')))!;
    const fix = await applyAction(await codeActionsAt(doc.uri, typo.range, QUICKFIX), 'Change to `api`');
    assert.strictEqual(fix.isPreferred, true);
    await waitForRule(doc.uri, 'schema/dangling-reference', x => x.length === 1);
    const missing = vscode.languages.getDiagnostics(doc.uri).find(x => ruleIdOf(x) === 'schema/dangling-reference')!;
    await applyAction(await codeActionsAt(doc.uri, missing.range, QUICKFIX), 'Create element `ledger`');
    const text = doc.getText();
    assert.match(text, /targets: \[api, ledger\]/);
    assert.match(text, /\n {2}ledger:/);
    assertCommentsKept(text);
    await waitForNoRule(doc.uri, 'schema/dangling-reference');
  });

  it('renames a misspelt key and corrects a misspelt enum value', async () => {
    const doc = await writeModel('fix-typos.threatmodel.yaml', MODEL.replace('    title: Card', '    titl: Card').replace('likelihood: likely', 'likelihood: likley'));
    const [unknown] = await waitForRule(doc.uri, 'schema/unknown-key');
    await applyAction(await codeActionsAt(doc.uri, unknown.range, QUICKFIX), 'Rename to `title`');
    await waitForNoRule(doc.uri, 'schema/unknown-key');
    const [bad] = await waitForRule(doc.uri, 'schema/invalid-value');
    await applyAction(await codeActionsAt(doc.uri, bad.range, QUICKFIX), 'Change to `likely`');
    await waitForNoRule(doc.uri, 'schema/invalid-value');
    assert.strictEqual(doc.getText(), MODEL);
  });

  it('offers threat refactorings anywhere inside a threat, without a diagnostic there', async () => {
    const doc = await writeModel('refactor-threat.threatmodel.yaml', MODEL);
    await waitForRule(doc.uri, HEADLINE);
    const at = posOf(doc, 'impact: major', 1, 3);
    assert.ok(!vscode.languages.getDiagnostics(doc.uri).some(d => d.range.contains(at)), 'no diagnostic on that line');
    const actions = await codeActionsAt(doc.uri, new vscode.Range(at, at), REFACTOR);
    assert.deepStrictEqual(actions.map(a => a.title), ['Add a mitigation for card-skimming', 'Accept the risk of card-skimming… (justification, owner, expiry)']);
    await applyAction(actions, /^Accept the risk/);
    assert.match(doc.getText(), /status: accepted/);
    await waitForNoRule(doc.uri, HEADLINE);
  });

  it('offers STRIDE stubs for the element the cursor is in, and creating a missing element on its reference', async () => {
    const doc = await writeModel('refactor-element.threatmodel.yaml', MODEL.replace('targets: [api]', 'targets: [api, ledger]'));
    await waitForRule(doc.uri, 'schema/dangling-reference');
    const inApi = posOf(doc, 'name: API', 1, 7);
    const titles = (await codeActionsAt(doc.uri, new vscode.Range(inApi, inApi), REFACTOR)).map(a => a.title);
    assert.deepStrictEqual(titles, ['Add STRIDE threat stubs for api (spoofing, tampering, repudiation, denial-of-service, elevation-of-privilege)']);
    const onLedger = posOf(doc, 'ledger', 1, 2);
    const all = await codeActionsAt(doc.uri, new vscode.Range(onLedger, onLedger));
    assert.strictEqual(all.filter(a => /ledger/.test(a.title) && /^Create/.test(a.title)).length, 1, 'create-element offered once (as the quick fix)');
  });
});
