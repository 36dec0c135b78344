import assert from 'node:assert/strict';
import { marked } from 'marked';
import { analyze } from '../../../src/core/analyze';
import { renderReport } from '../../../src/core/render/report';

const NOW = new Date('2026-11-01T00:00:00Z');

const MODEL = `rampart: 1
title: Shop
policy: { tolerance: medium, currency: EUR }
assets:
  cards: { name: Cards, classification: restricted, value: 200000 }
elements:
  vault: { type: store, name: Vault, stores: [cards] }
threats:
  theft: { title: Card theft, targets: [vault], likelihood: likely, impact: severe, annual_rate: 0.1, status: open, mitigations: [hsm, tokenise] }
  snoop: { title: Snooping, targets: [vault], likelihood: possible, impact: moderate, status: open, mitigations: [tokenise] }
mitigations:
  hsm: { title: "HSM <img src=x onerror=alert(1)> | pipe", status: proposed, annual_cost: 40000 }
  tokenise: { title: Tokenise card numbers, status: planned, annual_cost: 2000, cost: 15000 }
  tls: { title: TLS everywhere, status: verified, evidence: [a] }
`;

const report = (text = MODEL) => renderReport(analyze(text, { now: NOW }), { fileName: 'shop.threatmodel.yaml', now: NOW });

describe('the mitigation plan in the Markdown report', () => {
  const md = report();
  const section = md.slice(md.indexOf('## Mitigation plan (fix first)'), md.indexOf('\n## Mitigations\n'));

  it('is a section before the mitigations, with one row per mitigation still to do, in plan order', () => {
    assert.ok(md.indexOf('\n## Mitigation plan (fix first)\n') > 0 && md.indexOf('\n## Mitigation plan (fix first)\n') < md.indexOf('\n## Mitigations\n'));
    const rows = section.split('\n').filter(l => /^\| \d+ \|/.test(l));
    // both close the critical threat; tokenise has the better return
    assert.deepEqual(rows.map(r => r.match(/<br>`([a-z-]+)`/)?.[1]), ['tokenise', 'hsm']);
    assert.ok(!section.includes('`tls`'), 'done mitigations are not in the plan');
    assert.match(rows[0], /EUR 2,000 \| EUR 15,000 \|/);
    assert.match(rows[0], /≥ EUR/, 'snooping has no annual_rate: the reduction is a lower bound');
  });

  it('keeps the model text from becoming HTML or table structure', () => {
    const html = marked.parse(section) as string;
    assert.ok(!/<img/i.test(html));
    const rows = section.split('\n').filter(l => /^\| \d+ \|/.test(l));
    // every row has the header's 8 cells: the title's pipe did not add one
    for (const r of rows) assert.equal(r.split(/(?<!\\)\|/).length - 2, 8);
  });

  it('is left out when every mitigation is done', () => {
    const done = MODEL.replace('status: proposed', 'status: implemented, evidence: [a]').replace('status: planned', 'status: verified, evidence: [b]');
    assert.ok(!report(done).includes('## Mitigation plan'));
    assert.ok(md.includes('## Mitigation plan'));
  });
});
