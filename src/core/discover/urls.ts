/**
 * What configuration values say about data flows and secrets: the hosts an environment variable points at
 * (`postgres://db:5432/app`, `http://api:8080`, `cartservice:7070`, or a bare `redis` under a `*_HOST` key),
 * the protocol a port speaks, and which variable names hold credentials. Values are looked at, never kept:
 * only a host, a port and a scheme leave this file (a URL's user and password are dropped with the rest).
 */

/** Well-known ports -> the protocol on them (the README's mapping table lists these). */
export const PORT_PROTOCOLS: Readonly<Record<number, string>> = {
  22: 'ssh', 25: 'smtp', 80: 'http', 389: 'ldap', 443: 'https', 587: 'smtp', 636: 'ldaps', 1883: 'mqtt',
  3000: 'http', 3306: 'mysql', 4222: 'nats', 5432: 'postgresql', 5601: 'http', 5671: 'amqps', 5672: 'amqp',
  6379: 'redis', 8000: 'http', 8008: 'http', 8080: 'http', 8081: 'http', 8443: 'https', 8888: 'http',
  9090: 'http', 9092: 'kafka', 9200: 'http', 9443: 'https', 11211: 'memcached', 15672: 'http', 27017: 'mongodb',
  50051: 'grpc',
};

/** The protocol on a port: a well-known one, else the transport (`tcp`, `udp`). */
export function protocolOfPort(port: number | undefined, transport: string = 'tcp'): string | undefined {
  if (port === undefined) return undefined;
  return (Object.hasOwn(PORT_PROTOCOLS, port) ? PORT_PROTOCOLS[port] : undefined) ?? (transport === 'udp' ? 'udp' : 'tcp');
}

/** Scheme -> protocol name where they differ. */
const SCHEMES: Readonly<Record<string, string>> = { postgres: 'postgresql', mongodb: 'mongodb', 'mongodb+srv': 'mongodb', rediss: 'rediss', jdbc: 'jdbc' };

/** A host a value points at. */
export interface HostRef {
  host: string;
  port?: number;
  /** The URL scheme, as a protocol name (`postgres` -> `postgresql`). */
  scheme?: string;
  /** How it was written: a URL, `host:port`, or a bare host under a host-like key. */
  form: 'url' | 'hostport' | 'bare';
}

const DNS_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?)*$/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** Last words of a variable name that hold a host (`REDIS_HOST`, `discovery.seed_hosts`, `API_URL`). */
const HOST_WORDS = new Set(['host', 'hosts', 'hostname', 'addr', 'address', 'addresses', 'server', 'servers', 'endpoint', 'endpoints', 'url', 'uri', 'broker', 'brokers', 'dsn']);

/** The words of a variable name: `dbPasswordFile` and `DB_PASSWORD_FILE` -> db, password, file. */
export function keyWords(key: string): string[] {
  return key.slice(0, 200).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** The hosts a configuration value names (at most 20; a list may be separated by commas or blanks). */
export function hostRefs(key: string, value: string): HostRef[] {
  const out: HostRef[] = [];
  const hostKey = HOST_WORDS.has(keyWords(key).pop() ?? '');
  for (const part of value.slice(0, 4096).split(/[\s,;]+/).slice(0, 20)) {
    const ref = hostRef(part, hostKey);
    if (ref) out.push(ref);
  }
  return out;
}

function hostRef(part: string, hostKey: boolean): HostRef | undefined {
  const s = part.trim().replace(/^jdbc:/i, '');
  if (!s) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (scheme) {
    let url: URL;
    try { url = new URL(s); } catch { return undefined; }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (!host || !DNS_NAME.test(host)) return undefined;
    const word = scheme[1].toLowerCase();
    const port = url.port ? Number(url.port) : undefined;
    return { host, port, scheme: Object.hasOwn(SCHEMES, word) ? SCHEMES[word] : word, form: 'url' };
  }
  const hp = /^([a-z0-9][a-z0-9._-]*):(\d{1,5})$/i.exec(s);
  if (hp && DNS_NAME.test(hp[1]) && Number(hp[2]) <= 65535) return { host: hp[1].toLowerCase(), port: Number(hp[2]), form: 'hostport' };
  if (hostKey && DNS_NAME.test(s) && !/^\d+$/.test(s)) return { host: s.toLowerCase(), form: 'bare' };
  return undefined;
}

/** Loopback and unspecified addresses: a flow to them stays inside the container. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '0.0.0.0' || host === '::1' || host === '::';
}

/** Addresses only a private network reaches (RFC 1918, link-local, and names that never resolve publicly). */
export function isPrivateHost(host: string): boolean {
  if (isLoopback(host)) return true;
  if (IPV4.test(host)) return /^(10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host);
  if (!host.includes('.')) return true;
  return /\.(local|internal|lan|home|corp|svc|cluster\.local|test|example|invalid)$/.test(host);
}

const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'credential', 'credentials']);
const SECRET_WORDS = new Set(['secret', 'token', 'apikey', 'key']);
/** Last words that make a variable about a secret rather than the secret itself (`PASSWORD_FILE`, `TOKEN_URL`). */
const NOT_THE_SECRET = new Set(['file', 'path', 'dir', 'name', 'url', 'uri', 'endpoint', 'host', 'port', 'length', 'expiry', 'ttl', 'timeout',
  'type', 'mode', 'enabled', 'id', 'user', 'username', 'ref', 'policy', 'algorithm', 'size', 'header', 'prefix']);

/** Whether a variable name holds a credential (`credentials`: passwords) or another secret (tokens, keys), or neither. */
export function credentialKind(key: string): 'credentials' | 'secret' | undefined {
  const words = keyWords(key);
  if (!words.length || NOT_THE_SECRET.has(words[words.length - 1])) return undefined;
  if (words.some(w => CREDENTIAL_WORDS.has(w))) return 'credentials';
  // `key` alone is too common (`CACHE_KEY`, `SORT_KEY`): it counts next to api, private, access, signing, secret.
  if (words.some((w, i) => SECRET_WORDS.has(w) && (w !== 'key' || ['api', 'private', 'access', 'signing', 'secret', 'encryption', 'master'].includes(words[i - 1] ?? '')))) return 'secret';
  return undefined;
}

/** Whether a value is written in the file (not empty, not only `${VAR}` interpolations taken from elsewhere). */
export function isLiteralValue(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'string') return false;
  const rest = value.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '').trim();
  return rest !== '';
}
