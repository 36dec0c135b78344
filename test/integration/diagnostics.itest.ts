import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, ruleIdOf, waitFor } from './helpers';
import { isRegistered, langUri, offsetOf, rangeOf, replaceText, waitForNoRule, waitForRule, writeModel } from './modelHelpers';

const HEADLINE = 'risk/unmitigated-above-tolerance';
const MODEL = `# Payments model of the diagnostics tests
rampart: 1
title: Payments
policy: { tolerance: medium }
elements:
  api: { type: process, name: API }   # the public API
threats:
  card-skimming:   # the headline risk
    title: Card numbers skimmed
    stride: [information-disclosure]
    targets: [api]
    likelihood: likely
    impact: major
    status: open
`;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('diagnostics', () => {
  afterEach(closeAllEditors);

  it('puts the headline error on the threat key, with the rule id, its documentation link and the targeted element', async () => {
    const doc = await writeModel('diag-headline.threatmodel.yaml', MODEL);
    const [d] = await waitForRule(doc.uri, HEADLINE);
    assert.deepStrictEqual([d.range.start, d.range.end], [rangeOf(doc, 'card-skimming').start, rangeOf(doc, 'card-skimming').end]);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.source, 'rampart');
    const code = d.code as { value: string; target: vscode.Uri };
    assert.strictEqual(code.value, HEADLINE);
    assert.strictEqual(code.target.toString(true), 'https://github.com/rampart-tm/rampart#rule-risk-unmitigated-above-tolerance');
    assert.match(d.message, /card-skimming.*high risk, above the medium tolerance/);
    const rel = d.relatedInformation ?? [];
    assert.strictEqual(rel.length, 1, 'related information points at the target');
    assert.strictEqual(rel[0].location.uri.toString(), doc.uri.toString());
    assert.ok(rel[0].location.range.isEqual(rangeOf(doc, 'api', 1)), 'at the element key api');
  });

  it('follows edits: the error goes when the risk is lowered and comes back when it is raised', async () => {
    const doc = await writeModel('diag-edit.threatmodel.yaml', MODEL);
    await waitForRule(doc.uri, HEADLINE);
    await replaceText(doc, 'likelihood: likely', 'likelihood: rare');
    await waitForNoRule(doc.uri, HEADLINE);
    assert.ok(vscode.languages.getDiagnostics(doc.uri).some(d => ruleIdOf(d) === 'stride/coverage'), 'other findings stay');
    // Insert lines above the threat: the error comes back, on the key's new line.
    await replaceText(doc, 'likelihood: rare', 'likelihood: almost-certain');
    await replaceText(doc, 'threats:\n', 'threats:\n  # a comment line\n');
    const [d] = await waitForRule(doc.uri, HEADLINE, ds => ds.length === 1 && ds[0].range.start.line === rangeOf(doc, 'card-skimming').start.line);
    assert.match(d.message, /critical risk/);
  });

  it('shows the result of the last edit when edits come faster than the debounce', async () => {
    const doc = await writeModel('diag-burst.threatmodel.yaml', MODEL);
    await waitForRule(doc.uri, HEADLINE);
    for (const [from, to] of [['likely', 'rare'], ['rare', 'likely'], ['likely', 'possible'], ['possible', 'unlikely']]) {
      await replaceText(doc, `likelihood: ${from}`, `likelihood: ${to}`);
    }
    await waitForNoRule(doc.uri, HEADLINE);
    await sleep(1000);
    assert.ok(!vscode.languages.getDiagnostics(doc.uri).some(d => ruleIdOf(d) === HEADLINE), 'no older result comes back');
  });

  it('never lets the file on disk overwrite the diagnostics of an open, edited model', async () => {
    const doc = await writeModel('diag-disk.threatmodel.yaml', MODEL);
    await waitForRule(doc.uri, HEADLINE);
    await replaceText(doc, 'likelihood: likely', 'likelihood: rare'); // unsaved
    await waitForNoRule(doc.uri, HEADLINE);
    // The saved file changes behind the editor's back (a git checkout): it has an unknown key.
    await vscode.workspace.fs.writeFile(doc.uri, new TextEncoder().encode(MODEL.replace('status: open', 'status: open\n    colour: red')));
    await sleep(1500);
    const rules = vscode.languages.getDiagnostics(doc.uri).map(ruleIdOf);
    assert.ok(!rules.includes('schema/unknown-key'), `the editor's text is what counts (got ${rules.join(', ')})`);
    assert.ok(!rules.includes(HEADLINE));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'); // no save conflict on close
  });

  it('reports models that are not open (workspace scope, the default)', async () => {
    const uri = langUri('never-opened.threatmodel.yaml');
    assert.ok(!vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString()), 'the file is not open');
    const [d] = await waitForRule(uri, 'schema/dangling-reference');
    assert.match(d.message, /ledger/);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const line = text.split('\n').findIndex(l => l.includes('to: ledger'));
    assert.strictEqual(d.range.start.line, line);
    assert.strictEqual(d.range.start.character, text.split('\n')[line].indexOf('ledger'));
  });

  it('drops the diagnostics of unsaved edits when the model is closed without saving', async () => {
    const doc = await writeModel('diag-close.threatmodel.yaml', MODEL);
    await waitForRule(doc.uri, HEADLINE);
    await replaceText(doc, 'status: open', 'status: open\n    colour: red');
    await waitForRule(doc.uri, 'schema/unknown-key');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForNoRule(doc.uri, 'schema/unknown-key');
  });

  it('clears the diagnostics of a closed model when the scope is openFiles', async function () {
    if (!isRegistered('diagnostics.scope')) this.skip(); // needs the contributed settings (package.json)
    const config = vscode.workspace.getConfiguration('rampart');
    await config.update('diagnostics.scope', 'openFiles', vscode.ConfigurationTarget.Workspace);
    try {
      const doc = await writeModel('diag-close-open-files.threatmodel.yaml', MODEL);
      await waitForRule(doc.uri, HEADLINE);
      await closeAllEditors();
      await waitFor('the diagnostics to be cleared', () => vscode.languages.getDiagnostics(doc.uri).length === 0);
    } finally {
      await config.update('diagnostics.scope', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('applies rampart.tolerance, rampart.disabledRules and rampart.severityOverrides', async function () {
    if (!isRegistered('tolerance')) this.skip(); // needs the contributed settings (package.json)
    const config = vscode.workspace.getConfiguration('rampart');
    const doc = await writeModel('diag-settings.threatmodel.yaml', MODEL);
    await waitForRule(doc.uri, HEADLINE);
    try {
      await config.update('tolerance', 'high', vscode.ConfigurationTarget.Workspace);
      await waitForNoRule(doc.uri, HEADLINE);
      await config.update('tolerance', undefined, vscode.ConfigurationTarget.Workspace);
      await waitForRule(doc.uri, HEADLINE);
      await config.update('severityOverrides', { [HEADLINE]: 'warning' }, vscode.ConfigurationTarget.Workspace);
      await waitForRule(doc.uri, HEADLINE, ds => ds.length === 1 && ds[0].severity === vscode.DiagnosticSeverity.Warning);
      await config.update('disabledRules', ['stride/'], vscode.ConfigurationTarget.Workspace);
      await waitForNoRule(doc.uri, 'stride/coverage');
    } finally {
      for (const k of ['tolerance', 'severityOverrides', 'disabledRules']) await config.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForRule(doc.uri, 'stride/coverage');
    assert.strictEqual(offsetOf(doc, 'card-skimming') > 0, true);
  });
});
