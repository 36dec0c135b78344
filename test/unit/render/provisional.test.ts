/**
 * Which updates of the diagram may show their new flows at once (src/core/render/addedEdges.ts, drawn by src/webview/provisional.ts): only flows added,
 * every node, boundary and other flow unchanged, read from the Mermaid texts the core writes.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { modelDiagram } from '../../../src/core/render/mermaid';
import { addedEdges } from '../../../src/core/render/addedEdges';
import { generateModel } from '../../../scripts/genModel';

const textOf = (yaml: string) => {
  const a = analyze(yaml);
  return modelDiagram(a.parsed.model, a.assessments, { legend: false, styles: 'separate' });
};
const withFlows = (yaml: string, flows: string[]) => yaml.replace('\nthreats:\n', `\n${flows.map(f => `  ${f}\n`).join('')}threats:\n`);

describe('visual editor: flows shown before the new layout', () => {
  const base = generateModel(30);
  const before = textOf(base);

  it('a flow added (anywhere in the file) is found with its ends, arrow and label; the other edges renumbered do not count', () => {
    const after = textOf(withFlows(base, ['extra: { from: el-3, to: el-12, protocol: amqp, encrypted: true }']));
    const added = addedEdges(before.text, after.text);
    assert.deepEqual(added?.map(e => [e.from, e.to, e.dashed, e.both]), [[after.nodeIds['el-3'], after.nodeIds['el-12'], false, false]]);
    assert.ok(added![0]!.label.some(l => l.includes('amqp')), JSON.stringify(added));
    // inserted first among the flows: every later edge id shifts, still one added
    const first = base.replace(/\nflows:\n/, '\nflows:\n  early: { from: el-5, to: el-7, protocol: https, bidirectional: true }\n');
    const early = addedEdges(before.text, textOf(first).text);
    assert.deepEqual(early?.map(e => [e.dashed, e.both]), [[true, true]], 'unencrypted both ways: dashed, two heads');
  });

  it('nothing when the structure changed otherwise, a flow went, nothing changed, or too many were added', () => {
    assert.equal(addedEdges(before.text, before.text), undefined);
    assert.equal(addedEdges('', before.text), undefined, 'nothing drawn yet');
    const renamed = textOf(base.replace(/name: Component 3\b/, 'name: Component three'));
    assert.notEqual(renamed.text, before.text);
    assert.equal(addedEdges(before.text, renamed.text), undefined, 'a label changed');
    const less = textOf(base.replace(/\n {2}f-1: [^\n]*/, ''));
    assert.notEqual(less.text, before.text);
    assert.equal(addedEdges(before.text, less.text), undefined, 'a flow removed');
    const four = textOf(withFlows(base, [0, 1, 2, 3].map(k => `x${k}: { from: el-${k}, to: el-${k + 10}, protocol: amqp, encrypted: true }`)));
    assert.equal(addedEdges(before.text, four.text), undefined, 'four at once: left to Mermaid');
    const both = textOf(withFlows(base.replace(/name: Component 3\b/, 'name: Component three'), ['extra: { from: el-3, to: el-12, protocol: amqp, encrypted: true }']));
    assert.equal(addedEdges(before.text, both.text), undefined, 'a flow added and a label changed');
  });

  it('labels are read as text: entities decoded, lines split at <br>', () => {
    const yaml = withFlows(base, ['odd: { from: el-1, to: el-2, protocol: "a|b", data: [], encrypted: true }']);
    const added = addedEdges(before.text, textOf(yaml).text);
    assert.ok(added?.[0]!.label.some(l => l.includes('a|b')), JSON.stringify(added));
  });
});
