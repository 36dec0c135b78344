import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { analyze } from '../../../src/core/analyze';
import { portableMermaid, renderReport } from '../../../src/core/render/report';
import { mdCell, mdCode, mdMessage, mdText } from '../../../src/core/render/markdown';

const NOW = new Date('2026-11-01T00:00:00Z');

const MODEL = `rampart: 1
title: Payments API
description: Card payments for the web shop.
team:
  - { name: Dana Lee, role: security champion }
scope:
  in: [checkout flow, payment API]
  out: [marketing site]
  assumptions: [TLS terminates at the load balancer]
policy: { tolerance: medium, currency: EUR }
assets:
  card-data: { name: Cardholder data, classification: restricted, value: 250000 }
boundaries:
  internet: { name: Internet, trust: untrusted }
  dmz: { name: DMZ, trust: partial }
elements:
  browser: { type: external, name: Customer browser, boundary: internet }
  api: { type: process, name: Payment API, boundary: dmz, processes: [card-data] }
  vault: { type: store, name: Card vault, boundary: dmz, stores: [card-data], encrypted: true }
flows:
  checkout: { from: browser, to: api, protocol: https, data: [card-data], authenticated: true, encrypted: true }
threats:
  low-thing:
    title: A low risk
    targets: [api]
    likelihood: rare
    impact: minor
    status: open
  token-replay:
    title: "Stolen token | replayed <img src=x onerror=alert(1)> [click](javascript:alert(1)) \`code\` @admins"
    stride: [spoofing]
    targets: [api, checkout]
    likelihood: likely
    impact: major
    cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N
    annual_rate: 0.5
    status: open
    mitigations: [short-lived-tokens]
  db-dump:
    title: Vault dumped
    targets: [vault]
    likelihood: almost-certain
    impact: severe
    annual_rate: 0.1
    status: mitigated
    mitigations: [encrypt]
  old:
    title: Old accepted risk
    targets: [vault]
    likelihood: possible
    impact: major
    status: accepted
    justification: "Legacy | system"
    accepted_by: CISO
    expires: 2026-01-31
mitigations:
  short-lived-tokens:
    title: Bind tokens to the TLS channel
    status: planned
  encrypt:
    title: Envelope encryption
    status: verified
    evidence: [src/vault/crypto.ts#L1-L9, "https://example.com/a_b?x=1&y=2", "<script>alert(1)</script>"]
attack_trees:
  steal-cards:
    goal: Steal card data
    or:
      - threat: token-replay
      - and: [{ leaf: Phish an operator, cost: 500 }, { threat: db-dump }]
`;

const report = (text = MODEL) => renderReport(analyze(text, { now: NOW }), { fileName: 'models/payments.threatmodel.yaml', now: NOW });

describe('Markdown report', () => {
  const md = report();
  const html = marked.parse(md) as string;

  it('has the title, description, team, scope and every section', () => {
    assert.match(md, /^# Threat model: Payments API$/m);
    assert.match(md, /Card payments for the web shop\./);
    for (const h of ['## Team', '## Scope', '## Assets', '## Summary', '## Data flow', '## Threats by risk', '## Mitigations', '## Accepted and transferred risks', '## Attack trees', '## Findings']) {
      assert.ok(md.includes(`\n${h}\n`), h);
    }
    assert.match(md, /\*\*In scope\*\*\n\n- checkout flow\n- payment API/);
    assert.match(md, /\*\*Out of scope\*\*\n\n- marketing site/);
    assert.match(md, /\*\*Assumptions\*\*\n\n- TLS terminates at the load balancer/);
    assert.match(md, /\| Dana Lee \| security champion \|/);
  });

  it('summarises counts, annual loss in the policy currency and threats above tolerance', () => {
    assert.match(md, /\*\*Open threats above tolerance:\*\* 2/);
    // token-replay: 250000 x 1 x 0.5 = 125,000 (open); db-dump: 25,000 (mitigated, inherent only).
    assert.match(md, /EUR 125,000 a year from open threats \(EUR 150,000 before mitigation\)/);
    assert.match(md, /> \*\*2 open threats above the medium risk tolerance:\*\* `token-replay`, `old`/);
    assert.match(md, /\| Level \| Open \| Acceptance expired \| Mitigated \| Total \|/);
    assert.match(md, /\| 🟠 high \| 1 \| 1 \| · \| \*\*2\*\* \|/);
    assert.match(md, /\| \*\*Total\*\* \| \*\*2\*\* \| \*\*1\*\* \| \*\*1\*\* \| \*\*4\*\* \|/);
    assert.match(md, /2 threats have no `annual_rate`/);
  });

  it('draws the data flow as a mermaid block GitHub can render', () => {
    const block = /```mermaid\n(flowchart LR[\s\S]*?)\n```/.exec(md);
    assert.ok(block, 'a mermaid block');
    assert.match(block[1], /"Customer browser"/);
    assert.doesNotMatch(block[1], / e\d+@/, 'no edge ids (older Mermaid)');
  });

  it('ranks threats by risk', () => {
    // the rows of the "Threats by risk" table (the mitigation plan's table numbers its rows too)
    const start = md.indexOf('\n## Threats by risk\n');
    const rows = md.slice(start, md.indexOf('\n## ', start + 1)).split('\n').filter(l => /^\| \d+ \|/.test(l));
    const order = rows.map(r => /`([a-z-]+)`/.exec(r)![1]);
    assert.deepEqual(order, ['db-dump', 'token-replay', 'old', 'low-thing']);
    assert.match(rows[0], /🔴 critical .* mitigated .* 1\/1 .* EUR 25,000/);
    assert.match(rows[1], /⛔ open/);
    assert.match(rows[1], /\| 8\.1 \|/);
  });

  it('escapes an injection title: no HTML, no link, no table break, no mention', () => {
    assert.ok(!md.includes('<img'), 'raw <img> never passes');
    assert.ok(!md.includes('<script>'), 'raw <script> never passes');
    assert.ok(!html.includes('<img'), 'no <img> element after rendering');
    assert.ok(!html.includes('<script'), 'no <script> element after rendering');
    assert.ok(!/href="javascript:/i.test(html), 'no javascript: link');
    assert.ok(!html.includes('<a href="javascript'), 'no link from [..](..)');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the text is shown as text');
    const row = md.split('\n').find(l => l.includes('`token-replay`') && /^\| \d+ \|/.test(l))!;
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 8, 'the pipe in the title does not add a column');
    assert.ok(row.includes('@\u200badmins'), 'mention broken');
    // The rendered table row keeps 8 cells.
    const tr = /<tr>\s*<td[^>]*>2<\/td>([\s\S]*?)<\/tr>/.exec(html);
    assert.ok(tr);
    assert.equal((tr[0].match(/<td/g) ?? []).length, 8);
  });

  it('lists mitigations with status and evidence, safely', () => {
    assert.match(md, /Envelope encryption<br>`encrypt` \| ✅ verified \| `db-dump`/);
    assert.match(md, /`src\/vault\/crypto\.ts#L1-L9`<br><https:\/\/example\.com\/a_b\?x=1&y=2><br>&lt;script&gt;/);
    assert.match(html, /<a href="https:\/\/example\.com\/a_b\?x=1&(amp;)?y=2">/);
  });

  it('flags expired acceptances with owner, expiry and justification', () => {
    const row = md.split('\n').find(l => l.includes('`old`') && l.includes('CISO'))!;
    assert.match(row, /⚠️ \*\*expired\*\* 2026-01-31 \(274 days ago\)/);
    assert.match(row, /Legacy \\\| system/);
  });

  it('evaluates attack trees: reachable, with the cheapest path', () => {
    assert.match(md, /### Steal card data \(`steal-cards`\)\n\n\*\*Reachable\*\* ⛔/);
    assert.match(md, /Cheapest path: Stolen token/);
    assert.match(md, /Steps blocked by mitigated threats: `db-dump`/);
  });

  it('lists errors and warnings with their line, suggestions collapsed', () => {
    const line = MODEL.split('\n').findIndex(l => l.trim() === 'token-replay:') + 1;
    assert.match(md, new RegExp(`\\| ⛔ error \\| \`risk/unmitigated-above-tolerance\` \\| ${line} \\|`));
    assert.match(md, /<details><summary>\d+ suggestions? \(/);
  });

  it('blocked attack tree and a model without threats', () => {
    const blocked = report(MODEL.replace('status: planned', 'status: implemented').replace('expires: 2026-01-31', 'expires: 2027-01-31'));
    assert.match(blocked, /\*\*Blocked\*\* ✅/);
    assert.match(blocked, /> No open threat is above the medium risk tolerance\./);
    const empty = report('rampart: 1\ntitle: Empty\n');
    assert.match(empty, /The model lists no threats yet\./);
    assert.ok(!empty.includes('## Data flow'));
  });

  it('renders every example model', () => {
    const dir = join(__dirname, '..', '..', '..', 'examples');
    for (const f of readdirSync(dir).filter(n => n.endsWith('.threatmodel.yaml'))) {
      const out = report(readFileSync(join(dir, f), 'utf8'));
      assert.match(out, /^# Threat model: /, f);
      assert.ok(!/<(?!br>|details>|\/details>|summary>|\/summary>|https?:)/.test(out), `${f}: only our own HTML tags`);
    }
  });
});

describe('Markdown escaping', () => {
  it('escapes inline and block syntax', () => {
    assert.equal(mdText('# heading'), '\\# heading');
    assert.equal(mdText('- item'), '\\- item');
    assert.equal(mdText('1. first'), '1\\. first');
    assert.equal(mdText('version 2026.10'), 'version 2026.10');
    assert.equal(mdText('a *b* _c_ [d](e) `f` ~g~ $h$'), 'a \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\` \\~g\\~ \\$h\\$');
    assert.equal(mdText('<b>x</b> &amp; R&D'), '&lt;b&gt;x&lt;/b&gt; &amp;amp; R&D');
    assert.equal(mdText('line\nbreak\r\n  here'), 'line break here');
    assert.equal(mdText('ping @octocat, mail a@b.example'), 'ping @\u200boctocat, mail a@b.example');
    assert.equal(mdText('evil\u202Etxt.exe'), 'eviltxt.exe');
  });

  it('table cells, code spans and messages', () => {
    assert.equal(mdCell(''), '—');
    assert.equal(mdCell('a|b'), 'a\\|b');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`x`'), '`` `x` ``');
    assert.equal(mdCode('a|b'), '`a\\|b`');
    assert.equal(mdMessage('Threat `token-replay` ("a `b` <c>")'), 'Threat `token-replay` ("a `b` &lt;c&gt;")');
    assert.equal(mdMessage('Threat `x` ("`[y](javascript:z)`")'), 'Threat `x` ("\\`\\[y\\](javascript:z)\\`")');
    assert.equal(mdMessage('set `authorized: true` and `annual_rate`'), 'set `authorized: true` and `annual_rate`');
  });

  it('portable Mermaid drops edge ids only', () => {
    assert.equal(portableMermaid('  n0 e0@-->|"a"| n1\n  n1 e12@-.->|"b"| n2'), '  n0 -->|"a"| n1\n  n1 -.->|"b"| n2');
  });
});
