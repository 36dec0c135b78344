import type { DesignRuleDef, Suggestion } from './engine';
import { at, callerTrust, controlOnPath, describe, directions, flowAssets, flows, handledAssets, impactFor, isApiFlow, isForeign, isFronting, lessTrusted, likelihoodFor, outbound, quote, trustOf } from './facts';

/** API calls from a less trusted caller with no input validation recorded. */
export const apiMissingInputValidation: DesignRuleDef = {
  meta: {
    id: 'design/api-missing-input-validation',
    title: 'API flow without input validation',
    category: 'design',
    severity: 'warning',
    stride: ['tampering', 'elevation-of-privilege'],
    cwe: ['CWE-20'],
    capec: ['CAPEC-153', 'CAPEC-152'],
    description: 'An API takes input from a less trusted caller and the model records no input validation: injection (SQL, command, template), deserialisation and mass-assignment flaws start here.',
    advice: 'Validate every request against a schema (types, lengths, allowed values) at the boundary, use parameterised queries and safe deserialisers, and record the `input-validation` control.',
    detection: 'A flow over an API protocol (or into a process of kind api or gateway) from an external entity, another organisation or a less trusted boundary, with no `input-validation` control on the flow, the receiving process or a gateway/load balancer it comes through. Flows into a load balancer or a forwarding gateway are left to the flows behind it.',
    falsePositives: 'Validation done by a gateway in front of the API that the model does not show: model the gateway with `input-validation`, or record the control on the flow.',
    why: 'Injection (SQL, command, template), unsafe deserialisation and mass assignment all start with input that was trusted too early. Validating every request against a schema at the boundary rejects most of them before they reach code that could be fooled.',
    example: `
elements:
  search-api:
    type: process
    name: Search API
    kind: api
    controls: [input-validation]   # requests checked against the OpenAPI schema; parameterised queries
`,
  },
  covers: /inject|validat|malformed|crafted (input|request|payload)|deseriali[sz]|mass[- ]assignment|xss|cross[- ]site scripting/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      for (const [from, to] of directions(f)) {
        if (!ctx.model.elements?.[from] || !isApiFlow(ctx, f, to)) continue;
        const target = ctx.model.elements[to];
        const tFrom = callerTrust(ctx, from);
        const external = ctx.model.elements[from].type === 'external' || isForeign(ctx, from);
        if (!external && !lessTrusted(tFrom, trustOf(ctx, to))) continue;
        if (controlOnPath(ctx, f, from, to, 'input-validation') || isFronting(ctx, to)) continue;
        const db = outbound(ctx, to).find(h => ctx.model.elements?.[h.peer]?.kind === 'database');
        out.push({
          subject: id,
          alsoMatches: [to],
          section: 'flows',
          message: `API flow ${describe(ctx, id)} from ${describe(ctx, from)} into ${describe(ctx, to)} records no input validation: validate requests against a schema and record the \`input-validation\` control, or track the risk with the suggested threat.`,
          why: `${quote(id)} is an API flow from ${external ? 'an external caller' : `a less trusted caller (${tFrom})`} and neither it nor ${quote(to)} has the \`input-validation\` control.`,
          related: [at.element(to, `${to} processes the input`), ...(db ? [at.element(db.peer, `${to} writes to database ${db.peer}`)] : [])],
          threat: {
            title: `Crafted input to ${target.name} injects commands or corrupts data${db ? ` in ${ctx.model.elements[db.peer].name}` : ''}`,
            description: `${target.name} takes input from ${ctx.model.elements[from].name} over ${f.name ?? id} without recorded validation, so malformed or malicious input can trigger injection (SQL, command, template), unsafe deserialisation or mass assignment. Typical mitigation: schema validation at the boundary, parameterised queries, safe parsers.`,
            likelihood: likelihoodFor(tFrom, isForeign(ctx, from), -1),
            impact: impactFor([...flowAssets(ctx, f), ...handledAssets(ctx, to)], 'moderate'),
            ...(db ? { capec: ['CAPEC-153', 'CAPEC-152', 'CAPEC-66'], cwe: ['CWE-20', 'CWE-89'] } : {}),
            statement: { source: `A caller of ${target.name}`, action: `send crafted input to ${target.name}`, impact: 'injection, data corruption or code execution' },
          },
        });
        break;
      }
    }
    return out;
  },
};
