import type { DesignRuleDef, Suggestion } from './engine';
import { at, authenticated, describe, directions, flowAssets, flows, heldAssets, impactFor, isForeign, likelihoodFor, quote, trustOf } from './facts';

/** An external entity writes straight into a data store, with no process of ours in between. */
export const externalWritesStore: DesignRuleDef = {
  meta: {
    id: 'design/external-writes-store',
    title: 'External entity writes directly to a data store',
    category: 'design',
    severity: 'warning',
    stride: ['tampering'],
    cwe: ['CWE-284', 'CWE-20'],
    capec: ['CAPEC-153'],
    description: 'An external entity sends data straight into a data store. No process of ours validates, authorises or logs what is written, so malformed or malicious data lands in the store unchecked.',
    advice: 'Put a process in between that authenticates the writer, validates and authorises each write and logs it; or, where direct writes are intended (an upload bucket), restrict them to a write-only, scoped, time-limited credential and treat the content as untrusted.',
    detection: 'A flow (either direction when bidirectional) whose sender is an external entity and whose receiver is a store. Severity is error when the sender is untrusted and the flow is not authenticated.',
    falsePositives: 'Pre-signed upload URLs and similar scoped direct writes: record `authenticated: true` and the `input-validation` control on the flow, and mark the suggested threat mitigated with that evidence.',
  },
  covers: /direct(ly)? (write|upload|access)|unvalidated (write|upload|data)|malicious (upload|file)|bypass\w* the (api|service)/i,
  detect(ctx) {
    const out: Suggestion[] = [];
    for (const [id, f] of flows(ctx)) {
      for (const [from, to] of directions(f)) {
        const src = ctx.model.elements?.[from];
        const store = ctx.model.elements?.[to];
        if (src?.type !== 'external' || store?.type !== 'store') continue;
        const t = trustOf(ctx, from);
        const authn = authenticated(ctx, f, to);
        out.push({
          subject: id,
          section: 'flows',
          message: `External entity ${describe(ctx, from)} writes directly into data store ${describe(ctx, to)} (flow ${quote(id)}): route the writes through a process that authenticates, validates and authorises them, or track the risk with the suggested threat.`,
          why: `${quote(from)} is an external entity${t ? ` (${t})` : ''} and ${quote(to)} is a data store; the flow goes from one to the other with no process in between${authn ? '' : ' and records no authentication'}.`,
          related: [at.element(from, `${from} is external`), at.element(to, `${to} is a data store`)],
          severity: t === 'untrusted' && !authn ? 'error' : undefined,
          threat: {
            title: `${src.name} writes unvalidated or malicious data into ${store.name}`,
            description: `${src.name} writes into ${store.name} over ${f.name ?? id} without a process of ours validating or authorising the writes, so forged, malformed or malicious records end up in the store and reach everything that reads it. Typical mitigation: mediate writes through a validating service, or scope direct writes to a narrow, time-limited credential.`,
            likelihood: authn ? 'possible' : likelihoodFor(t, isForeign(ctx, from)),
            impact: impactFor([...flowAssets(ctx, f), ...heldAssets(ctx, to)], 'moderate'),
            statement: { source: src.name, prerequisites: `access to ${f.name ?? id}`, action: `write arbitrary data into ${store.name}`, impact: `loss of integrity of ${store.name} and of the processes that read it` },
          },
        });
        break;
      }
    }
    return out;
  },
};
