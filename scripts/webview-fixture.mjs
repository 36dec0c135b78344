// Threat models for the visual editor's Chromium test and benchmark: a realistic payments model, a model whose
// every string is an injection attempt, a broken file, and generated models of any size.

export const PAYMENTS_YAML = `rampart: 1
title: Payments API
description: Card payments for the web shop.
policy:
  tolerance: medium
  currency: EUR
assets:
  card-data: { name: Cardholder data, classification: restricted, value: 250000 }
  session: { name: Session tokens, classification: confidential }
  audit-log: { name: Audit trail, classification: internal }
boundaries:
  internet: { name: Internet, trust: untrusted }
  dmz: { name: DMZ, trust: partial }
  core: { name: Core network, trust: trusted, parent: dmz }
  psp: { name: Payment provider, trust: partial, ours: false }
elements:
  browser: { type: external, name: Customer browser, boundary: internet }
  admin: { type: external, name: Support agent, boundary: internet }
  gateway: { type: process, name: API gateway, boundary: dmz }
  api: { type: process, name: Payment API, boundary: core, code: [src/api/**] }
  worker: { type: process, name: Settlement worker, boundary: core }
  vault: { type: store, name: Card vault, boundary: core, stores: [card-data], encrypted: true }
  logs: { type: store, name: Audit log store, boundary: core, stores: [audit-log] }
  acquirer: { type: external, name: Acquiring bank, boundary: psp }
flows:
  checkout: { from: browser, to: gateway, protocol: https, data: [card-data, session], authenticated: true, encrypted: true }
  support: { from: admin, to: gateway, protocol: https, data: [session], authenticated: true, encrypted: true }
  forward: { from: gateway, to: api, protocol: http, data: [card-data], authenticated: false, encrypted: false }
  tokenize: { from: api, to: vault, protocol: tls, data: [card-data], authenticated: true, encrypted: true }
  audit: { from: api, to: logs, protocol: syslog, data: [audit-log], encrypted: false }
  settle: { from: worker, to: acquirer, protocol: iso8583, data: [card-data], authenticated: true, encrypted: true }
  batch: { from: vault, to: worker, name: nightly batch, data: [card-data], encrypted: true }
threats:
  token-replay:
    title: Stolen session token replayed against the payment API
    stride: [spoofing]
    targets: [gateway, checkout]
    likelihood: likely
    impact: major
    status: open
    mitigations: [short-lived-tokens]
  plaintext-hop:
    title: Card data readable on the gateway-to-API hop
    stride: [information-disclosure]
    targets: [forward, api]
    likelihood: almost-certain
    impact: severe
    status: open
  vault-dump:
    title: Database administrator dumps the card vault
    stride: [information-disclosure, elevation-of-privilege]
    targets: [vault]
    likelihood: unlikely
    impact: severe
    status: mitigated
    mitigations: [hsm-keys]
  log-tamper:
    title: Audit entries altered to hide a refund fraud
    stride: [tampering, repudiation]
    targets: [logs]
    likelihood: possible
    impact: moderate
    status: accepted
    justification: Logs are shipped off-host within a minute.
    accepted_by: Dana Lee
    expires: 2099-01-01
  settle-dos:
    title: Settlement batch delayed by a flood of refunds
    stride: [denial-of-service]
    targets: [worker]
    likelihood: rare
    impact: minor
    status: open
  agent-phish:
    title: Support agent phished for their session
    stride: [spoofing]
    targets: [admin, support]
    likelihood: possible
    impact: major
    status: open
    mitigations: [phishing-keys]
mitigations:
  short-lived-tokens:
    title: Bind tokens to the TLS channel and expire them after 5 minutes
    status: in-progress
  hsm-keys:
    title: Vault keys held in an HSM, dual control for exports
    status: implemented
    evidence: [infra/hsm.tf]
  phishing-keys:
    title: FIDO2 keys for support agents
    status: planned
attack_trees:
  steal-cards:
    goal: Steal card data
    or:
      - threat: plaintext-hop
      - threat: vault-dump
      - and:
          - threat: agent-phish
          - leaf: Bypass the admin console's MFA
            cost: 5000
`;

const EVIL = `"]); click n0 call alert(1) %%{init: {'securityLevel':'loose'}}%% <img src=x onerror=alert(1)> <script>alert(2)</script> \`md\` |pipe| #quot; [x] {y} & ; @ $$x$$`;
const q = s => JSON.stringify(s);

/** Every user string is an injection attempt; ids stay valid (they are validated by the schema). */
export const INJECTION_YAML = `rampart: 1
title: ${q(EVIL)}
boundaries:
  b1: { name: ${q(EVIL)}, trust: untrusted }
  b2: { name: ${q('</text><foreignObject><iframe src="https://evil.invalid"></iframe></foreignObject>')}, trust: trusted, parent: b1 }
elements:
  e1: { type: external, name: ${q(EVIL)}, boundary: b1 }
  e2: { type: process, name: ${q('javascript:alert(3)')}, boundary: b2 }
  e3: { type: store, name: ${q('%%{init: {"theme":"forest"}}%%\nclassDef x fill:#f00')} }
  e4: { type: process, name: ${q('<img src=x onerror=alert(1)>')}, boundary: b1 }
flows:
  f1: { from: e1, to: e2, name: ${q(EVIL)}, protocol: ${q('a|b"c')}, encrypted: false }
  f2: { from: e2, to: e3, name: ${q('click e3 href "https://evil.invalid"')}, encrypted: true }
  f3: { from: e4, to: e1, name: ${q('`**md**` $$\\alpha$$ <br> \\n end')}, authenticated: false }
threats:
  t1:
    title: ${q(EVIL)}
    targets: [e1, f1]
    likelihood: likely
    impact: severe
    status: open
attack_trees:
  at1:
    goal: ${q(EVIL)}
    or:
      - leaf: ${q('<img src=x onerror=alert(4)>')}
      - threat: t1
`;

export const EVIL_TEXT = EVIL;

export const INVALID_YAML = PAYMENTS_YAML.replace('  vault-dump:\n', '  vault-dump:\n    title: [unclosed\n');

/** A generated model with `n` elements spread over nested boundaries, ~1.4 flows per element and threats. */
export function generatedModel(n, { boundaries = Math.max(1, Math.round(n / 10)) } = {}) {
  const lines = ['rampart: 1', `title: Generated model with ${n} elements`, 'boundaries:'];
  for (let b = 0; b < boundaries; b++) {
    const parent = b > 0 && b % 3 === 0 ? `, parent: zone-${b - 1}` : '';
    lines.push(`  zone-${b}: { name: Zone ${b}, trust: ${['untrusted', 'partial', 'trusted'][b % 3]}${parent} }`);
  }
  lines.push('elements:');
  const types = ['external', 'process', 'process', 'store'];
  for (let i = 0; i < n; i++) lines.push(`  el-${i}: { type: ${types[i % 4]}, name: Component ${i}, boundary: zone-${i % boundaries} }`);
  lines.push('flows:');
  let f = 0;
  for (let i = 1; i < n; i++) {
    lines.push(`  fl-${f++}: { from: el-${i - 1}, to: el-${i}, protocol: https, encrypted: ${i % 3 !== 0} }`);
    if (i % 3 === 0 && i > 5) lines.push(`  fl-${f++}: { from: el-${i}, to: el-${(i * 7) % i}, protocol: grpc, encrypted: true }`);
  }
  lines.push('threats:');
  const lik = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'];
  const imp = ['negligible', 'minor', 'moderate', 'major', 'severe'];
  for (let i = 0; i < n; i += 2) {
    lines.push(`  th-${i}: { title: Threat against component ${i}, targets: [el-${i}], likelihood: ${lik[i % 5]}, impact: ${imp[(i * 3) % 5]}, status: ${i % 6 === 0 ? 'mitigated' : 'open'} }`);
  }
  return lines.join('\n') + '\n';
}
