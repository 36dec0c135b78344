/**
 * The guided first model (#15) in the real extension host: the walkthrough `rampart.firstModel` is contributed
 * with six steps, "Rampart: Open the Guided First Model" opens it, every button of every step names a command
 * that exists, and the context keys its completion events wait for turn on as a new model gets elements,
 * threats, a tolerance, a mitigation and a report.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, fixtureUri, waitFor } from './helpers';

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }
interface Walkthrough { id: string; title: string; steps: Step[] }

const STATE = 'rampart.walkthroughState';
const state = () => vscode.commands.executeCommand<Record<string, boolean>>(STATE);
const key = (k: string) => `rampart.walkthrough.${k}`;

/** The commands a step's buttons run: `command:id` links, and for `rampart.walkthroughRun` the command it runs. */
function buttonCommands(step: Step): string[] {
  const out: string[] = [];
  for (const m of step.description.matchAll(/\]\(command:([^)?\s]+)(?:\?([^)\s]*))?\)/g)) {
    out.push(m[1]);
    if (m[2]) out.push(...(JSON.parse(decodeURIComponent(m[2])) as unknown[]).filter((a): a is string => typeof a === 'string' && a.startsWith('rampart.')));
  }
  return out;
}

describe('the guided first model (walkthrough)', function () {
  this.timeout(90000);
  afterEach(closeAllEditors);

  const ext = () => vscode.extensions.getExtension(EXTENSION_ID)!;
  const walkthrough = () => (ext().packageJSON.contributes.walkthroughs as Walkthrough[]).find(w => w.id === 'rampart.firstModel')!;

  it('is contributed with six steps, each with its text, a button and a completion event', async () => {
    const w = walkthrough();
    assert.ok(w, 'rampart.firstModel is contributed');
    assert.deepStrictEqual(w.steps.map(s => s.id), ['start', 'elements', 'threats', 'prioritise', 'mitigate', 'report']);
    for (const s of w.steps) {
      assert.ok(buttonCommands(s).length > 0, `${s.id}: a button`);
      assert.ok(s.completionEvents?.length, `${s.id}: completion events`);
      const media = s.media.markdown ?? s.media.image;
      assert.ok(media, `${s.id}: media`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext().extensionUri, media!)); // throws when missing
    }
  });

  it('"Rampart: Open the Guided First Model" opens it', async () => {
    await ext().activate();
    await vscode.commands.executeCommand('rampart.openWalkthrough');
    const tab = await waitFor('the walkthrough tab', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => /welcome|walkthrough|first threat model/i.test(t.label)));
    assert.ok(tab.isActive, `the walkthrough is the active tab (${tab.label})`);
  });

  it('every button runs a command that exists, and every onCommand event names one', async () => {
    const all = new Set(await vscode.commands.getCommands(false));
    for (const s of walkthrough().steps) {
      const named = [...buttonCommands(s), ...(s.completionEvents ?? []).filter(e => e.startsWith('onCommand:')).map(e => e.slice('onCommand:'.length))];
      for (const c of named) assert.ok(all.has(c), `${s.id}: ${c} is not a command`);
    }
  });

  it('sets the context keys the steps wait for as a model gets elements, threats, a tolerance, a mitigation and a report', async () => {
    const waits = new Set(walkthrough().steps.flatMap(s => s.completionEvents ?? []).filter(e => e.startsWith('onContext:')).map(e => e.slice('onContext:'.length)));
    assert.deepStrictEqual([...waits].sort(), ['hasElements', 'hasModel', 'hasReport', 'hasThreats', 'hasTolerance', 'hasTreatment'].map(key).sort());
    assert.deepStrictEqual(await vscode.commands.executeCommand(STATE, { reset: true }), {});

    const uri = fixtureUri('walkthrough-demo.threatmodel.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('rampart: 1\ntitle: Walkthrough demo\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor('hasModel', async () => (await state())[key('hasModel')]);
    const append = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, doc.positionAt(doc.getText().length), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    assert.deepStrictEqual(Object.keys(await state()), [key('hasModel')], 'an empty model has done nothing else');

    await append('elements:\n  api: { type: process, name: API }\n');
    await waitFor('hasElements', async () => (await state())[key('hasElements')]);
    assert.ok(!(await state())[key('hasThreats')]);

    const threat = await vscode.commands.executeCommand<string>('rampart.addThreat', uri, { targets: ['api'], stride: ['spoofing'], title: 'Forged calls', likelihood: 'likely', impact: 'major' });
    assert.ok(threat, 'a threat was added');
    await waitFor('hasThreats', async () => (await state())[key('hasThreats')]);
    assert.ok(!(await state())[key('hasTolerance')], 'no tolerance yet: the prioritise step waits');

    await append('policy: { tolerance: medium }\n');
    await waitFor('hasTolerance', async () => (await state())[key('hasTolerance')]);
    assert.ok(!(await state())[key('hasTreatment')]);

    await vscode.commands.executeCommand('rampart.addMitigation', uri, { threat, title: 'Signed requests' });
    await waitFor('hasTreatment', async () => (await state())[key('hasTreatment')]);
    assert.ok(!(await state())[key('hasReport')]);

    // The report button: the walkthrough has the focus, the command finds the model beside it.
    await vscode.commands.executeCommand('rampart.openWalkthrough');
    const report = fixtureUri('walkthrough-demo.threat-report.md');
    const written = await vscode.commands.executeCommand('rampart.walkthroughRun', 'rampart.exportReport', report);
    assert.strictEqual(String(written), String(report));
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(report)), /Forged calls/);
    await waitFor('hasReport', async () => (await state())[key('hasReport')]);
    await doc.save();
    await vscode.workspace.fs.delete(uri);
    await vscode.workspace.fs.delete(report);
  });
});
