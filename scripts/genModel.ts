/**
 * Generates a realistic synthetic model with `n` components (elements), for benchmarks and scale tests:
 * boundaries of 10 elements, a flow chain plus cross links, a threat per element (some mitigated).
 *
 * With `prose`, every element, flow, threat and mitigation is also written up as teams write them: a description
 * in a folded block, a threat statement, an owner. 500 such components make about 0.9 MB, the model issue #17
 * measured ("a 0.9 MB model, about 500 components"); without it, 2,000 terse components make 786 KB.
 */
export function generateModel(n: number, opts: { prose?: boolean } = {}): string {
  const prose = !!opts.prose;
  const lines: string[] = ['rampart: 1', `title: Generated model with ${n} elements`, 'policy: { tolerance: medium, currency: EUR }', 'assets:'];
  lines.push('  customer-data: { name: Customer data, classification: confidential, value: 100000 }');
  lines.push('  card-data: { name: Card data, classification: restricted, value: 500000 }');
  const nb = Math.max(1, Math.ceil(n / 10));
  lines.push('boundaries:');
  lines.push('  internet: { name: Internet, trust: untrusted }');
  for (let b = 0; b < nb; b++) lines.push(`  zone-${b}: { name: Zone ${b}, trust: ${b % 3 === 0 ? 'partial' : 'trusted'}${b > 0 && b % 4 !== 0 ? `, parent: zone-${b - (b % 4)}` : ''} }`);
  lines.push('elements:');
  const types = ['process', 'process', 'store', 'external'];
  for (let i = 0; i < n; i++) {
    const type = i === 0 ? 'external' : types[i % types.length];
    const boundary = type === 'external' ? 'internet' : `zone-${Math.floor(i / 10)}`;
    if (!prose) {
      lines.push(`  el-${i}: { type: ${type}, name: Component ${i}, boundary: ${boundary}${type === 'store' ? ', stores: [customer-data]' : ''} }`);
      continue;
    }
    lines.push(`  el-${i}:`, `    type: ${type}`, `    name: Component ${i}`, `    boundary: ${boundary}`);
    if (type === 'store') lines.push('    stores: [customer-data]');
    lines.push(`    technology: ${TECH[i % TECH.length]}`);
    lines.push('    description: >-', ...paragraph(ELEMENT_TEXT, i, 4));
  }
  lines.push('flows:');
  for (let i = 1; i < n; i++) {
    lines.push(`  f-${i}: { from: el-${i - 1}, to: el-${i}, protocol: https, data: [customer-data], encrypted: ${i % 5 !== 0}, authenticated: true${prose ? `, name: ${FLOW_NAMES[i % FLOW_NAMES.length]} ${i}, description: ${JSON.stringify(FLOW_TEXT[i % FLOW_TEXT.length])}` : ''} }`);
    if (i % 7 === 0 && i > 10) lines.push(`  x-${i}: { from: el-${i}, to: el-${i - 10}, protocol: grpc }`);
  }
  lines.push('threats:');
  const lk = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'];
  const im = ['negligible', 'minor', 'moderate', 'major', 'severe'];
  for (let i = 0; i < n; i++) {
    lines.push(`  t-${i}:`);
    lines.push(`    title: Threat against component ${i}`);
    lines.push(`    stride: [tampering]`);
    lines.push(`    targets: [el-${i}]`);
    lines.push(`    likelihood: ${lk[i % 5]}`);
    lines.push(`    impact: ${im[(i * 3) % 5]}`);
    lines.push(`    status: ${i % 3 === 0 ? 'mitigated' : 'open'}`);
    if (i % 3 === 0) lines.push(`    mitigations: [m-${i}]`);
    if (!prose) continue;
    lines.push(`    owner: team-${i % 7}`, '    description: >-', ...paragraph(THREAT_TEXT, i, 5));
    lines.push('    statement:', `      source: ${SOURCES[i % SOURCES.length]}`, `      action: ${ACTIONS[i % ACTIONS.length]} component ${i}`, `      impact: ${IMPACTS[i % IMPACTS.length]}`);
  }
  lines.push('mitigations:');
  for (let i = 0; i < n; i += 3) {
    if (!prose) {
      lines.push(`  m-${i}: { title: Mitigation ${i}, status: implemented, evidence: [src/m${i}.ts] }`);
      continue;
    }
    lines.push(`  m-${i}:`, `    title: Mitigation ${i}`, '    status: implemented', `    evidence: [src/m${i}.ts]`, `    owner: team-${i % 7}`, '    description: >-', ...paragraph(MITIGATION_TEXT, i, 3));
  }
  return lines.join('\n') + '\n';
}

/** `count` sentences of `pool`, starting at a place that depends on `i`, folded at about 100 columns. */
function paragraph(pool: readonly string[], i: number, count: number): string[] {
  const words = Array.from({ length: count }, (_, k) => pool[(i + k * 3) % pool.length].replace(/\{i\}/g, String(i))).join(' ').split(' ');
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length > 96) { out.push(`      ${line}`); line = ''; }
    line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(`      ${line}`);
  return out;
}

const TECH = ['node 20', 'postgres 15', 'nginx 1.25', 'redis 7', 'java 21', 'python 3.12', 'go 1.22'];
const FLOW_NAMES = ['order events', 'session lookup', 'payment request', 'audit trail', 'profile sync', 'report export'];
const FLOW_TEXT = [
  'JSON over HTTPS, one request per user action, retried twice on timeout',
  'batched every minute; the payload carries customer identifiers and amounts',
  'mutual TLS inside the cluster; the caller presents a workload identity',
  'streamed over a long-lived connection that the client re-opens on failure',
];
const ELEMENT_TEXT = [
  'Component {i} receives requests from the tier in front of it and keeps no state between them.',
  'It runs as three replicas behind the internal load balancer, deployed by the platform pipeline on every merge.',
  'Configuration comes from environment variables injected at start; secrets are read from the vault at boot.',
  'Its logs go to the central collector with a retention of ninety days, and its metrics to the shared dashboard.',
  'The team on call owns it; the runbook lists the dependencies to check first when its error rate climbs.',
  'Data it writes is backed up nightly, encrypted with a key that only the storage account can use.',
  'It validates every message against the published schema before acting on it and rejects unknown fields.',
];
const THREAT_TEXT = [
  'An attacker who reaches component {i} could change the data it forwards before the next tier checks it.',
  'The messages carry no signature of their own, so integrity rests on the transport alone, and that ends at the load balancer.',
  'Replaying an old request would be accepted as long as its token has not expired, which takes up to an hour.',
  'A compromised dependency in the build would run with the same permissions as the service itself.',
  'Operators can read the queue directly during incidents, and nothing records what they looked at or changed.',
  'Error messages include internal identifiers that help an attacker map the rest of the system.',
  'The rate limit is per instance rather than global, so a distributed client can exceed the intended budget.',
  'Reviewed in the last design review; the owner agreed to revisit it when the message format changes.',
];
const MITIGATION_TEXT = [
  'Every message is signed by the producer with a key from the vault, and the consumer rejects unsigned ones.',
  'Tokens are bound to the client certificate and live for five minutes; refresh needs the certificate again.',
  'Access to the queue goes through a break-glass role that records who used it, when and why.',
  'The build pins every dependency by hash and the pipeline fails when a hash does not match the lock file.',
  'Covered by integration tests in the service repository, run on every merge request.',
];
const SOURCES = ['an external attacker with a stolen session', 'a malicious insider with operator access', 'a compromised upstream service', 'an anonymous client on the internet'];
const ACTIONS = ['tamper with requests sent to', 'replay captured messages against', 'read data held by', 'exhaust the capacity of'];
const IMPACTS = ['wrong orders shipped to customers', 'disclosure of customer records', 'loss of the audit trail', 'an outage of the checkout'];
