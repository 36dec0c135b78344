/**
 * Generates a realistic synthetic model with `n` components (elements), for benchmarks and scale tests:
 * boundaries of 10 elements, a flow chain plus cross links, a threat per element (some mitigated).
 */
export function generateModel(n: number): string {
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
    lines.push(`  el-${i}: { type: ${type}, name: Component ${i}, boundary: ${boundary}${type === 'store' ? ', stores: [customer-data]' : ''} }`);
  }
  lines.push('flows:');
  for (let i = 1; i < n; i++) {
    lines.push(`  f-${i}: { from: el-${i - 1}, to: el-${i}, protocol: https, data: [customer-data], encrypted: ${i % 5 !== 0}, authenticated: true }`);
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
  }
  lines.push('mitigations:');
  for (let i = 0; i < n; i += 3) lines.push(`  m-${i}: { title: Mitigation ${i}, status: implemented, evidence: [src/m${i}.ts] }`);
  return lines.join('\n') + '\n';
}
