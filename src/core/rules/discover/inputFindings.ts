/**
 * Metadata of the findings discovery makes about the files it reads (src/core/discover): located in those
 * files, not in a model, and printed by `rampart discover` and `rampart check --discover`. Documented like
 * every rule. `discover/unauthenticated-operation` is both: its metadata is the rule's.
 */
import type { RuleMeta } from '../types';

const m = (id: string, title: string, description: string, advice: string, severity: RuleMeta['severity'] = 'warning'): RuleMeta =>
  ({ id: `discover/${id}`, title, category: 'discover', severity, description, advice });

export const DISCOVERY_INPUT_RULES: RuleMeta[] = [
  m('file-too-large', 'Discovered file over the size limit', 'A Compose, Kubernetes or OpenAPI file is larger than discovery reads (5 MiB).', 'Split the file, or model what it declares by hand.'),
  m('unreadable-file', 'Discovered file cannot be read', 'The file is not valid YAML or JSON, is binary, nests deeper than 64 levels, holds more than 500,000 values, or is an API description the parser refuses.', 'Fix the file; the rest of the files are still read.'),
  m('too-many-aliases', 'YAML alias bomb', 'A document expands its `*aliases` more than 1,000 times (weighted by what they expand), as a "billion laughs" YAML bomb does; it is skipped.', 'Write the values out instead of nesting aliases.'),
  m('too-many-entries', 'More than one model holds', 'The files declare more than 5,000 elements, flows, boundaries or assets (or more findings than are kept); the rest is left out.', 'Model the system in several files, one per part, and discover each part on its own.'),
  m('unresolved-ref', 'Unresolved `$ref`', 'An OpenAPI `$ref` is remote (never fetched), names a file that is not in the repository, points at nothing, or resolving took longer than 10 s.', 'Make the reference local, or add the file it names; what it names is missing from the draft until then.'),
  m('cyclic-ref', 'Recursive `$ref`', 'An OpenAPI schema refers back to itself (legal for recursive data); the reference is left in place.', 'Nothing to do unless the cycle is a mistake.', 'info'),
  m('unencrypted-server', 'API served over plain HTTP', 'An OpenAPI server URL (not a loopback one) uses `http://`: requests and their credentials travel unencrypted.', 'Serve the API over HTTPS and change the server URL.'),
  m('secret-in-source', 'Secret written in a committed file', 'A credential-like environment variable (`*_PASSWORD`, `*_TOKEN`, `*_API_KEY`, ...) has its value written in a Compose file or manifest, a Kubernetes Secret holds `data:`, or a ConfigMap holds a credential-like key. The value is never copied into the model or the output.', 'Take the value from a secret store (Compose secrets, `${VAR}` from an untracked file, a Kubernetes Secret kept out of the repository) and rotate the committed one.'),
  m('unresolved-host', 'Host that no file declares', 'A configuration value names a host (`cart:7070`, `REDIS_HOST=redis`) that no discovered file declares, or an Ingress names a Service that selects no workload.', 'Discover the files that declare it too, or model it by hand.', 'info'),
  m('unresolved-resource', 'Kustomization resource not read', 'A kustomization lists a remote resource (never fetched) or a file that was not among the files read.', 'Discover the resource too, or model what it declares by hand.', 'info'),
  m('skipped-file', 'Manifest not in its kustomization', 'A manifest sits beside a kustomization.yaml that does not list it in `resources:`, so it is not deployed with the others; it is skipped.', 'List it in the kustomization if it is deployed, or discover it on its own.', 'info'),
  m('not-recognized', 'Not a file discovery reads', 'A file given to discovery is not a Compose file, a Kubernetes manifest or an OpenAPI description.', 'Nothing to do, or name the right file.', 'info'),
];
