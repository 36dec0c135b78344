/**
 * OpenAPI 3.x and Swagger 2.0 -> discovered entries. `$ref`s are resolved by @apidevtools/swagger-parser (the
 * maintained dereferencer of the APIDevTools family) with its own file and HTTP readers switched off: a
 * reference is read only from the files discovery was given (or through the adapter's `readFile`, which
 * confines it to the repository), with the same YAML guards as every discovered file. A remote reference is
 * never fetched: it is a `discover/unresolved-ref` finding, like a missing file or a pointer to nothing. A
 * reference cycle is left in place (`discover/cyclic-ref`, info); resolving gives up after a time limit.
 *
 * | OpenAPI | Rampart |
 * |---|---|
 * | the description (`info.title`) | an element of kind api, or the element a server's host names (`http://api:8080` -> the Compose service `api`) |
 * | `servers` (Swagger 2: `schemes`, `host`) on a public host | `internet_facing: true` and a flow from the `internet` external entity; otherwise a flow from an `api-client` external entity |
 * | `security` requirements (the operation's, else the root's) | `authenticated` on the flows into the API: true when every operation requires a scheme |
 * | an operation without a security requirement on an internet-facing API | a `discover/unauthenticated-operation` finding |
 * | an `http://` server (not loopback) | the flow's protocol is http (unencrypted); on a public host, a `discover/unencrypted-server` finding |
 *
 * Not read: callbacks and webhooks (calls the API makes), links, request and response schemas.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Node } from 'yaml';
import { arr, entries, isObject, oneLine, str } from '../interop/common';
import { baseName, normalizePath } from './paths';
import { child, firstLine, keyNodes, pairNodes, readYaml, type YamlFile } from './yaml';
import { isLoopback, isPrivateHost } from './urls';
import type { DiscoveryBuilder } from './collect';
import type { Hosts, Reader } from './hosts';
import { DISCOVER_LIMITS, type DiscoverOptions, type SourceRef } from './types';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Whether plain data is an OpenAPI 3.x or Swagger 2.0 description. */
export const isOpenApi = (data: unknown) => isObject(data) && (data.openapi !== undefined || data.swagger !== undefined);

/**
 * Discovered paths in the dereferencer's terms: each path sits below a virtual root deep enough that `..`
 * never climbs out of it (`../shared/api.yaml` stays below the root and maps back).
 */
const ROOT_SEGMENTS = Array.from({ length: 40 }, (_, i) => `r${i}`);
const ROOT = `/${ROOT_SEGMENTS.join('/')}/`;

export function toVirtual(p: string): string {
  const n = normalizePath(p);
  return n.startsWith('/') ? n : normalizePath(ROOT + n);
}

export function fromVirtual(v: string): string {
  let k = 0;
  const segs = v.split('/').slice(1);
  while (k < ROOT_SEGMENTS.length && segs[k] === ROOT_SEGMENTS[k]) k++;
  if (k === 0) return v;
  return [...Array(ROOT_SEGMENTS.length - k).fill('..'), ...segs.slice(k)].join('/');
}

/** What the readers of every OpenAPI file share: the files given, the reader for others, and a budget. */
export class RefFiles {
  private readonly texts = new Map<string, string>();
  private read = 0;
  /** The files a `$ref` named (given or read). */
  readonly used = new Set<string>();

  constructor(files: readonly { path: string; text: string }[], private readonly options: DiscoverOptions) {
    for (const f of files) this.texts.set(toVirtual(f.path), f.text);
  }

  /** Whether a file given to discovery was read through a `$ref`. */
  referenced(path: string): boolean {
    return this.used.has(toVirtual(path));
  }

  async text(virtual: string): Promise<string> {
    this.used.add(virtual);
    const known = this.texts.get(virtual);
    if (known !== undefined) return known;
    if (!this.options.readFile) throw new Error('not among the files read');
    if (++this.read > DISCOVER_LIMITS.refFiles) throw new Error(`more than ${DISCOVER_LIMITS.refFiles} referenced files`);
    const t = await this.options.readFile(fromVirtual(virtual));
    if (t === undefined) throw new Error('not found');
    this.texts.set(virtual, t);
    return t;
  }

  get timeoutMs(): number {
    return this.options.refTimeoutMs ?? DISCOVER_LIMITS.refTimeoutMs;
  }
}

/** A file URL as the dereferencer hands it over -> our virtual path (undefined for remote URLs). */
function localPath(url: string): string | undefined {
  let u = url;
  if (/^file:\/\//i.test(u)) u = u.replace(/^file:\/\//i, '');
  else if (/^[a-z][a-z0-9+.-]*:/i.test(u) && !/^[a-z]:[\\/]/i.test(u)) return undefined;
  try { u = decodeURI(u); } catch { /* keep it as it is */ }
  return normalizePath(u.replace(/#.*$/, ''));
}

interface Server {
  url: string;
  scheme?: string;
  host?: string;
  public: boolean;
  node?: Node;
}

interface Operation {
  method: string;
  path: string;
  operationId?: string;
  authenticated: boolean;
  source: SourceRef;
}

/** Whether a list of security requirements demands a scheme: not empty, and no `{}` that makes it optional. */
const requiresAuth = (security: unknown) => Array.isArray(security) && security.length > 0 && security.every(r => isObject(r) && Object.keys(r).length > 0);

export class OpenApiReader implements Reader {
  private api: Record<string, unknown> = {};
  private id: string | undefined;
  private servers: Server[] = [];
  private ops: Operation[] = [];
  private ownElement = false;

  constructor(private readonly file: YamlFile, private readonly b: DiscoveryBuilder, private readonly refs: RefFiles) {}

  private get root() {
    return this.file.docs[0]?.doc?.contents;
  }

  /** Resolves the references; what cannot be resolved is a finding, and the rest is read as it is. */
  async declare(): Promise<void> {
    const { file, b } = this;
    const data = file.docs[0]?.data;
    if (!isObject(data)) return;
    const circular: string[] = [];
    const plugin = {
      order: 1,
      canRead: (f: { url: string }) => localPath(f.url) !== undefined,
      read: async (f: { url: string }) => this.refs.text(localPath(f.url)!),
    };
    const parser = {
      order: 1,
      canParse: true,
      parse: (f: { url: string; data: unknown }) => {
        const text = typeof f.data === 'string' ? f.data : String(f.data);
        const y = readYaml({ path: fromVirtual(localPath(f.url) ?? f.url), text }, b.sink);
        const d = y?.docs[0]?.data;
        if (d === undefined) throw new Error('it could not be read');
        return d;
      },
    };
    const options = {
      resolve: { external: true, file: false, http: false, rampart: plugin },
      parse: { json: false, text: false, binary: false, yaml: parser },
      dereference: { circular: 'ignore', onCircular: (p: string) => { if (circular.length < 100) circular.push(p); } },
      continueOnError: true,
      timeoutMs: this.refs.timeoutMs,
      validate: { schema: false, spec: false },
    };
    let api: unknown;
    try {
      api = await new SwaggerParser().dereference(toVirtual(file.path), data as never, options as never);
    } catch (e) {
      const err = e as { errors?: unknown[]; files?: { schema?: unknown }; name?: string };
      if (Array.isArray(err.errors)) {
        api = err.files?.schema;
        this.refErrors(err.errors);
      } else {
        const timeout = err.name === 'TimeoutError' || /timed? ?out/i.test(firstLine(e));
        b.sink.add(timeout ? 'discover/unresolved-ref' : 'discover/unreadable-file', 'warning', timeout
          ? `Resolving the \`$ref\`s took longer than ${this.refs.timeoutMs / 1000} s; the file was read without resolving them.`
          : `The API description could not be read (${firstLine(e)}); it was read without resolving its \`$ref\`s.`, file.at(this.root));
      }
    }
    // Nothing resolved (or the resolver stopped): read the file as written.
    const asWritten = () => { const d: unknown = file.docs[0]?.doc?.toJS({ maxAliasCount: DISCOVER_LIMITS.aliases }); return isObject(d) ? d : {}; };
    this.api = isObject(api) ? api : asWritten();
    if (circular.length) {
      const first = circular[0].split('#')[1] ?? circular[0];
      b.sink.add('discover/cyclic-ref', 'info', `${circular.length === 1 ? 'A `$ref` refers' : `${circular.length} \`$ref\`s refer`} back to ${circular.length === 1 ? 'itself' : 'themselves'} (a recursive schema, first at \`#${oneLine(first, 200)}\`); ${circular.length === 1 ? 'it was' : 'they were'} left as references.`, this.at(first));
    }
  }

  /** The line of a JSON pointer (`/paths/~1pets/get`) or a path in the file, else the top. */
  private at(pointer: string | (string | number)[]): SourceRef {
    const path = typeof pointer === 'string' ? pointer.split('/').slice(1).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~')) : pointer;
    const node = this.file.docs[0]?.doc?.getIn(path, true) as Node | undefined;
    return this.file.at(node ?? this.root);
  }

  private refErrors(errors: unknown[]): void {
    const { b } = this;
    const self = toVirtual(this.file.path);
    let left = 0;
    for (const raw of errors) {
      if (!isObject(raw)) continue;
      if (left++ >= 50) continue;
      const path = arr(raw.path).map(p => (typeof p === 'number' ? p : String(p)));
      const fromSelf = !str(raw.source) || localPath(str(raw.source)!) === self;
      const where = fromSelf ? this.at(path) : { file: fromVirtual(localPath(str(raw.source)!) ?? this.file.path), line: 1 };
      const written = fromSelf ? str(this.file.docs[0]?.doc?.getIn([...path, '$ref'])) : undefined;
      const message = firstLine(raw);
      const target = /"([^"]*)"/.exec(message)?.[1] ?? written ?? '';
      const shown = `\`${oneLine(written ?? target, 200) ?? '?'}\``;
      let text: string;
      if (/^https?:/i.test(target) || /^https?:/i.test(written ?? '')) text = `The \`$ref\` ${shown} is remote: Rampart never fetches remote references, so what it names is not in the draft.`;
      else if (str(raw.code) === 'EMISSINGPOINTER') text = `The \`$ref\` ${shown} points at nothing in its file (${oneLine(message, 200)}).`;
      else if (str(raw.code) === 'EUNMATCHEDRESOLVER') text = `The \`$ref\` ${shown} names something discovery cannot read (only files of the repository are read).`;
      else text = `The \`$ref\` ${shown} could not be resolved: ${oneLine(message.replace(/"\/r\d+(\/r\d+)*\/?/g, '"').replace(self, this.file.path), 300)}.`;
      b.sink.add('discover/unresolved-ref', 'warning', text, where);
    }
    if (left > 50) b.sink.add('discover/unresolved-ref', 'warning', `${left - 50} more \`$ref\`s could not be resolved.`, this.file.at(this.root));
  }

  private readServers(): Server[] {
    const api = this.api;
    const out: Server[] = [];
    const serversNode = child(this.root, 'servers');
    if (api.swagger !== undefined) {
      const host = str(api.host);
      if (host) {
        const schemes = arr(api.schemes).map(s => str(s)).filter((s): s is string => !!s);
        for (const scheme of schemes.length ? schemes : [undefined]) {
          out.push(this.server(`${scheme ?? 'https'}://${host}${str(api.basePath) ?? ''}`, child(this.root, 'host')));
        }
      }
    } else {
      arr(api.servers).slice(0, 50).forEach((s, i) => {
        if (!isObject(s) || !str(s.url)) return;
        const vars = isObject(s.variables) ? s.variables : {};
        const url = str(s.url)!.replace(/\{([^}]{1,100})\}/g, (m, name: string) => {
          const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
          return (isObject(v) ? str(v.default) : undefined) ?? m;
        });
        out.push(this.server(url, (serversNode as { items?: Node[] } | undefined)?.items?.[i]));
      });
    }
    return out;
  }

  private server(url: string, node: Node | undefined): Server {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { url, public: false, node };
    let u: URL;
    try { u = new URL(url); } catch { return { url, public: false, node }; }
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return { url, scheme: u.protocol.replace(/:$/, '').toLowerCase(), host, public: !!host && !isPrivateHost(host), node };
  }

  private readOperations(): Operation[] {
    const out: Operation[] = [];
    const pathsNode = child(this.root, 'paths');
    const pathNodes = pairNodes(pathsNode);
    const rootSecurity = this.api.security;
    for (const [path, item] of entries(this.api.paths)) {
      if (!isObject(item)) continue;
      const methodKeys = keyNodes(pathNodes.get(path)?.value);
      for (const method of METHODS) {
        const op = Object.hasOwn(item, method) ? item[method] : undefined;
        if (!isObject(op)) continue;
        if (out.length >= DISCOVER_LIMITS.entries) return out;
        out.push({
          method: method.toUpperCase(), path: oneLine(path, 500) ?? path, operationId: oneLine(op.operationId, 200),
          authenticated: requiresAuth(Array.isArray(op.security) ? op.security : rootSecurity),
          source: this.file.at(methodKeys.get(method) ?? pathNodes.get(path)?.key ?? pathsNode ?? this.root),
        });
      }
    }
    return out;
  }

  /** The API's element (its own, or the one a server's host names), and the flow from its callers. */
  connect(hosts: Hosts): void {
    const { b, file, api } = this;
    this.servers = this.readServers();
    this.ops = this.readOperations();
    const info = isObject(api.info) ? api.info : {};
    const title = oneLine(info.title) ?? baseName(file.path);
    const publicServers = this.servers.filter(s => s.public);
    for (const s of publicServers) {
      if (s.scheme === 'http') {
        b.sink.add('discover/unencrypted-server', 'warning', `The server \`${oneLine(s.url, 200)}\` is plain HTTP: requests, and the credentials they carry, travel unencrypted. Serve the API over HTTPS.`, file.at(s.node ?? this.root));
      }
    }
    const named = this.servers.flatMap(s => (s.host ? hosts.resolve(s.host) : [])).map(t => t.id)[0];
    const top = keyNodes(this.root);
    const source = file.at(top.get('openapi') ?? top.get('swagger') ?? this.root);
    const schemes = entries(isObject(api.components) ? api.components.securitySchemes : api.securityDefinitions).slice(0, 10)
      .map(([k, v]) => `${oneLine(k, 60)}${isObject(v) && str(v.type) ? ` (${oneLine(v.type, 30)})` : ''}`);
    const description = `${this.ops.length} operation${this.ops.length === 1 ? '' : 's'} described in \`${baseName(file.path)}\`; ${schemes.length ? `security schemes: ${schemes.join(', ')}` : 'no security scheme'}.`;
    if (named) {
      this.id = named;
      const e = b.get('elements', named)?.entry;
      if (e && e.type === 'process' && (e.kind === undefined || e.kind === 'service')) e.kind = 'api';
      if (e && publicServers.length) e.internet_facing = true;
    } else {
      const version = str(api.openapi) ?? (api.swagger !== undefined ? `Swagger ${str(api.swagger) ?? '2.0'}` : undefined);
      this.id = b.element(title, {
        type: 'process', kind: 'api', technology: version ? oneLine(/^\d/.test(version) ? `OpenAPI ${version}` : version) : undefined,
        internet_facing: publicServers.length ? true : undefined, description,
      }, { source, origin: 'openapi', what: `API \`${title}\`` });
      this.ownElement = true;
    }
    if (this.id === undefined) return;
    const http = (publicServers.length ? publicServers : this.servers).some(s => s.scheme === 'http' && !isLoopback(s.host ?? ''));
    const scheme = (publicServers[0] ?? this.servers.find(s => s.scheme))?.scheme;
    const protocol = http ? 'http' : scheme;
    const meta = { source, origin: 'openapi' as const, what: `the servers of API \`${title}\`` };
    if (publicServers.length) {
      const at = file.at(publicServers[0].node ?? this.root);
      const internet = b.internet({ source: at });
      if (internet) b.flow(internet, this.id, { protocol, encrypted: http ? false : undefined }, 4, { ...meta, source: at });
    } else if (this.ownElement) {
      const client = b.element('API client', { type: 'external', description: `Callers of the APIs described in OpenAPI files; the descriptions name no public server.` }, { source, origin: 'implied', what: 'the clients of the API' });
      if (client) b.flow(client, this.id, { protocol, encrypted: http ? false : undefined }, 4, meta);
    }
  }

  /** Authentication on the flows into the API, and the operations (public when the API is internet-facing). */
  finish(): void {
    const { b, id } = this;
    if (id === undefined) return;
    const isPublic = !!b.get('elements', id)?.entry.internet_facing;
    if (this.ops.length) {
      const all = this.ops.every(o => o.authenticated);
      for (const f of b.flowsInto(id)) if (f.authenticated === undefined) f.authenticated = all;
    }
    for (const o of this.ops) {
      b.operations.push({ api: id, method: o.method, path: o.path, operationId: o.operationId, authenticated: o.authenticated, public: isPublic, source: o.source });
      if (isPublic && !o.authenticated) {
        b.sink.add('discover/unauthenticated-operation', 'warning', `\`${o.method} ${o.path}\`${o.operationId ? ` (${o.operationId})` : ''} requires no authentication, and the API is internet-facing: require a security scheme, or record in the threat model why it is public.`, o.source);
      }
    }
  }
}
