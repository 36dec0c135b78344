import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, LANGUAGE_ID, closeAllEditors, fixtureUri, openFixture, ruleIdOf, waitFor, waitForDiagnostics } from './helpers';

describe('activation', () => {
  after(closeAllEditors);

  it('is installed under its published id', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `extension ${EXTENSION_ID} is present`);
  });

  it('gives *.threatmodel.yaml files the threatmodel language and activates', async () => {
    const doc = await openFixture('payments.threatmodel.yaml');
    assert.strictEqual(doc.languageId, LANGUAGE_ID, 'contributes.languages maps *.threatmodel.yaml');
    // Wait for VS Code to activate it on its own (activationEvents); calling activate() would prove nothing.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor('the extension to be active', () => ext.isActive);
  });

  it('reports the open high-risk threat as an error on its line', async () => {
    const doc = await openFixture('payments.threatmodel.yaml');
    const diags = await waitForDiagnostics(doc.uri, ds => ds.some(d => ruleIdOf(d) === 'risk/unmitigated-above-tolerance'));
    const d = diags.find(x => ruleIdOf(x) === 'risk/unmitigated-above-tolerance')!;
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error, 'the finding is shown as an error');
    const line = doc.getText().split('\n').findIndex(l => l.trim() === 'card-skimming:');
    assert.strictEqual(d.range.start.line, line, 'the diagnostic sits on the threat key card-skimming');
    assert.match(d.message, /card-skimming/);
  });

  it('reports nothing on a clean model', async () => {
    // Open the clean model after a model with findings: its diagnostics are computed by the same collection,
    // so a stale or shared result would show up here.
    const doc = await openFixture('clean.threatmodel.yaml');
    assert.strictEqual(doc.languageId, LANGUAGE_ID);
    // Give the extension time to analyse it (an empty result cannot be awaited on its own), then check the
    // model with findings still has its own, so the extension is demonstrably running.
    await waitForDiagnostics(fixtureUri('payments.threatmodel.yaml'));
    await new Promise(r => setTimeout(r, 1500));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri).map(d => `${ruleIdOf(d)}: ${d.message}`), []);
  });
});
