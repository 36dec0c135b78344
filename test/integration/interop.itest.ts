/**
 * "Rampart: Export Report" and "Rampart: Import Threat Models..." in the real extension host.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureUri } from './helpers';
import { exportModel } from '../../src/core/interop/index';
import { parseModel } from '../../src/core/model/parse';

const read = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

describe('import and export commands', () => {
  it('Export Report writes the Markdown report of a model, with its diagram and ranked threats', async () => {
    const out = fixtureUri('interop-report.md');
    const result = await vscode.commands.executeCommand<vscode.Uri>('rampart.exportReport', fixtureUri('visual/webshop-payments.threatmodel.yaml'), out);
    assert.strictEqual(result?.toString(), out.toString());
    const md = await read(out);
    assert.match(md, /^# Threat model: Larkspur Outdoor web shop/m);
    assert.match(md, /```mermaid\n(flowchart|graph)/);
    assert.match(md, /refund-abuse/);
    assert.match(md, /open threats above the medium risk tolerance/);
  });

  it('Import converts several files with progress, each beside its source, detecting the tool', async () => {
    // Two Threat Dragon and OTM files made from our own fixture (the corpus stays outside the project).
    const model = parseModel(await read(fixtureUri('visual/webshop-payments.threatmodel.yaml'))).model;
    const td = fixtureUri('interop-td.json');
    const otm = fixtureUri('interop-otm.json');
    await write(td, exportModel('threat-dragon', model));
    await write(otm, exportModel('otm', model));
    const bad = fixtureUri('interop-bad.json');
    await write(bad, '{"rampart": 1, "title": "already a Rampart model"}');
    const outcome = await vscode.commands.executeCommand<{ created: vscode.Uri[]; failed: { file: string; message: string }[] }>(
      'rampart.importModels', undefined, [td, otm, bad]);
    assert.deepStrictEqual(outcome.created.map(u => u.path.split('/').pop()), ['interop-td.threatmodel.yaml', 'interop-otm.threatmodel.yaml']);
    assert.strictEqual(outcome.failed.length, 1);
    assert.strictEqual(outcome.failed[0].file, 'interop-bad.json');
    for (const uri of outcome.created) {
      const parsed = parseModel(await read(uri));
      assert.deepStrictEqual(parsed.findings.filter(f => f.severity === 'error').map(f => f.message), [], uri.path);
      assert.strictEqual(Object.keys(parsed.model.elements ?? {}).length, Object.keys(model.elements ?? {}).length, `${uri.path}: elements`);
      assert.strictEqual(Object.keys(parsed.model.flows ?? {}).length, Object.keys(model.flows ?? {}).length, `${uri.path}: flows`);
    }
    // a second import never overwrites the first
    const again = await vscode.commands.executeCommand<{ created: vscode.Uri[] }>('rampart.importModels', undefined, [td]);
    assert.strictEqual(again.created[0].path.split('/').pop(), 'interop-td-2.threatmodel.yaml');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Import detects a Threat Composer file and a Threagile model split with includes, reading the parts beside it', async () => {
    const model = parseModel(await read(fixtureUri('visual/webshop-payments.threatmodel.yaml'))).model;
    const tc = fixtureUri('interop-ws.tc.json');
    await write(tc, exportModel('threat-composer', model));
    const main = fixtureUri('interop-split.yaml');
    await write(main, 'threagile_version: 1.0.0\ntitle: Split\nincludes:\n  - interop-parts/assets.yaml\n');
    await write(fixtureUri('interop-parts/assets.yaml'), [
      'technical_assets:', '  Web Shop:', '    id: web-shop', '    type: process', '    usage: business', '    size: application',
      '    technology: web-server', '    machine: container', '    encryption: none', '    owner: Shop', '    confidentiality: internal',
      '    integrity: important', '    availability: important', '',
    ].join('\n'));
    const outcome = await vscode.commands.executeCommand<{ created: vscode.Uri[]; failed: { file: string; message: string }[] }>(
      'rampart.importModels', undefined, [tc, main]);
    assert.deepStrictEqual(outcome.failed, []);
    assert.deepStrictEqual(outcome.created.map(u => u.path.split('/').pop()), ['interop-ws.threatmodel.yaml', 'interop-split.threatmodel.yaml']);
    const fromTc = parseModel(await read(outcome.created[0])).model;
    assert.deepStrictEqual(Object.keys(fromTc.threats ?? {}).length, Object.keys(model.threats ?? {}).length);
    const split = parseModel(await read(outcome.created[1])).model;
    assert.deepStrictEqual(Object.keys(split.elements ?? {}), ['web-shop']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
