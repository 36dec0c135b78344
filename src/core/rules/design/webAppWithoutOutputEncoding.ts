import type { DesignRuleDef, Suggestion } from './engine';
import { at, describe, elements, hasControl, inbound, isHuman, outbound, quote } from './facts';

/** A web application that renders content for browsers without output encoding (XSS). */
export const webAppWithoutOutputEncoding: DesignRuleDef = {
  meta: {
    id: 'design/web-app-without-output-encoding',
    title: 'Web application without output encoding',
    category: 'design',
    severity: 'warning',
    stride: ['tampering', 'information-disclosure'],
    cwe: ['CWE-79', 'CWE-116'],
    capec: ['CAPEC-63', 'CAPEC-591', 'CAPEC-592'],
    description: 'A web application sends content to browsers and records no output encoding: data that contains markup or script runs in users\' browsers (cross-site scripting), stealing sessions or acting as the user.',
    advice: 'Encode all output for its context (auto-escaping templates, no raw HTML insertion), add a strict Content-Security-Policy, and record the `output-encoding` control.',
    detection: 'A process of kind web-app with a flow to or from an element of kind browser (or an external entity without a kind whose name reads like a user: the browser is implied), without the `output-encoding` control on itself or on that flow.',
    falsePositives: 'A web app that serves only static files or JSON consumed by a framework that escapes by default: record `output-encoding`.',
  },
  covers: /\bxss\b|cross[- ]site scripting|output encoding|inject\w* (java)?script|script injection|skim/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, e] of elements(ctx)) {
      if (e.type !== 'process' || e.kind !== 'web-app' || hasControl(e, 'output-encoding')) continue;
      const seen = new Set<string>();
      const toBrowsers = [...outbound(ctx, id), ...inbound(ctx, id)].filter(h => {
        const peer = ctx.model.elements?.[h.peer];
        return (peer?.kind === 'browser' || (isHuman(peer) && peer?.kind !== 'human')) && !hasControl(h.flow, 'output-encoding') && !seen.has(h.flowId) && !!seen.add(h.flowId);
      });
      if (!toBrowsers.length) continue;
      out.push({
        subject: id,
        section: 'elements',
        message: `Web application ${describe(ctx, id)} renders content for ${[...new Set(toBrowsers.map(h => h.peer))].map(quote).join(', ')} with no output encoding recorded: use context-aware encoding and a strict CSP, record the \`output-encoding\` control, or track the risk with the suggested threat.`,
        why: `${quote(id)} is of kind web-app, serves a browser on ${toBrowsers.map(h => quote(h.flowId)).join(', ')}, and has no \`output-encoding\` control.`,
        related: toBrowsers.map(h => at.flow(h.flowId, `content sent to ${h.peer}`)),
        threat: {
          title: `Cross-site scripting in ${e.name} runs attacker script in users' browsers`,
          description: `${e.name} renders data into pages without recorded output encoding, so stored or reflected input containing script executes in other users' browsers, where it can steal sessions or act as the user. Typical mitigation: auto-escaping templates, context-aware encoding, a strict Content-Security-Policy.`,
          likelihood: 'possible',
          impact: 'major',
          statement: { source: 'An attacker who can submit content or craft a link', action: `inject script into pages served by ${e.name}`, impact: 'session theft and actions performed as the victim' },
        },
      });
    }
    return out;
  },
};
