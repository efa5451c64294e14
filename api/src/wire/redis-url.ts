/**
 * The one Redis URL grammar of every Taskyard process (worker, beat pods, SDK/CLI, console, operator):
 *
 * - `redis://[user:pass@]host:port[/db]`, `rediss://…` (TLS): one server;
 * - `redis-sentinel://[user:pass@]host:port[,host:port…]/<master>[?db=N]`: a Sentinel group; the
 *   credentials are those of the master (and replicas); sentinels are asked without auth unless
 *   `?sentinelPassword=…` is given;
 * - `redis-cluster://[user:pass@]host:port[,host:port…]`: a Redis Cluster (any reachable nodes).
 *
 * `parseRedisUrl` is pure; `connectRedis` (connect-redis.ts) turns the result into an ioredis client.
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'sentinel';
      sentinels: { host: string; port: number }[];
      masterName: string;
      db?: number;
      username?: string;
      password?: string;
      sentinelPassword?: string;
    }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string };

export const REDIS_URL_FORMS = 'redis://host:port, rediss://host:port, redis-sentinel://host:port[,host:port]/<master> or redis-cluster://host:port[,host:port]';

/**
 * Parses a Taskyard Redis URL. Throws an error naming the form expected (never echoing the
 * password) when the URL is not one of the forms above. The scheme is case-insensitive; a password
 * may hold an unencoded `@` or `/` (everything up to the last `@` before the query is credentials),
 * other reserved characters (`%`, `?`, `#`) must be percent-encoded. Hosts may be IPv6 in brackets.
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (typeof url !== 'string' || url.length === 0) throw new Error(`Redis URL is empty: use ${REDIS_URL_FORMS}`);
  const cut = url.indexOf('://');
  const scheme = cut < 0 ? '' : url.slice(0, cut).toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') {
    const normalized = scheme + url.slice(cut);
    try {
      new URL(normalized);
    } catch {
      throw new Error(`Redis URL ${maskRedisUrl(url)} is not a valid URL: use ${REDIS_URL_FORMS}`);
    }
    return { kind: 'single', url: normalized };
  }
  if (scheme !== 'redis-sentinel' && scheme !== 'redis-cluster') {
    throw new Error(`Redis URL scheme "${scheme || '(none)'}" is not supported: use ${REDIS_URL_FORMS}`);
  }
  const { credentials, hosts, path, query } = splitUrl(url.slice(cut + 3));
  const [user, password] = credentials ? splitOnce(credentials, ':').map((part) => decodeCredential(scheme, part)) : ['', ''];
  const nodes = hosts
    .split(',')
    .filter(Boolean)
    .map((hp) => parseHostPort(scheme, hp, scheme === 'redis-sentinel' ? 26379 : 6379));
  if (nodes.length === 0) throw new Error(`${scheme}:// URL needs at least one host:port`);
  const auth = { ...(user ? { username: user } : {}), ...(password ? { password } : {}) };
  const params = parseQuery(scheme, query);
  if (scheme === 'redis-cluster') {
    if (path || params.has('db')) throw new Error(`redis-cluster:// URL: a Redis Cluster has only db 0: remove "${path ? `/${path}` : '?db='}"`);
    const unknown = [...params.keys()][0];
    if (unknown !== undefined) throw new Error(`redis-cluster:// URL: unknown parameter "${unknown}": redis-cluster:// takes none`);
    return { kind: 'cluster', nodes, ...auth };
  }
  if (!path) throw new Error('redis-sentinel:// URL needs the master name as its path: redis-sentinel://host:26379/mymaster');
  const unknown = [...params.keys()].find((k) => k !== 'db' && k !== 'sentinelPassword');
  if (unknown !== undefined) throw new Error(`redis-sentinel:// URL: unknown parameter "${unknown}": redis-sentinel:// takes db and sentinelPassword`);
  const db = params.get('db');
  if (db !== undefined && !/^[0-9]+$/.test(db)) throw new Error(`redis-sentinel:// URL: db "${db}" must be a whole number`);
  const sentinelPassword = params.get('sentinelPassword');
  return {
    kind: 'sentinel',
    sentinels: nodes,
    masterName: decodeURIComponent(path),
    ...(db !== undefined ? { db: Number(db) } : {}),
    ...auth,
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

/** The URL with its password (and a sentinelPassword parameter) replaced by `***`: safe for logs and errors. */
export function maskRedisUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^?]*)@/i, (_m, scheme: string, cred: string) => {
      const colon = cred.indexOf(':');
      return colon < 0 ? `${scheme}${cred}@` : `${scheme}${cred.slice(0, colon)}:***@`;
    })
    .replace(/([?&]sentinelPassword=)[^&#]*/i, '$1***');
}

/**
 * Every occurrence of the URL, and of each of its passwords (as written and percent-decoded), in
 * `text` replaced by its masked form: for error messages that echo them. Works on URLs that do not
 * parse too.
 */
export function maskSecretIn(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join(maskRedisUrl(url));
  for (const s of secretsOf(url)) out = out.split(s).join('***');
  return out;
}

/** The password of the URL's credentials and its sentinelPassword, raw and decoded. */
function secretsOf(url: string): string[] {
  const raw: string[] = [];
  const cred = /^[a-z][a-z0-9+.-]*:\/\/([^?]*)@/i.exec(url)?.[1];
  if (cred !== undefined && cred.includes(':')) raw.push(cred.slice(cred.indexOf(':') + 1));
  const sentinel = /[?&]sentinelPassword=([^&#]*)/i.exec(url)?.[1];
  if (sentinel) raw.push(sentinel);
  const all = new Set<string>();
  for (const r of raw) {
    all.add(r);
    try {
      all.add(decodeURIComponent(r));
    } catch {
      /* not percent-encoded: the raw form is masked */
    }
  }
  all.delete('');
  return [...all].sort((a, b) => b.length - a.length);
}

/** `[cred@]hosts[/path][?query]`: credentials end at the last `@` before the query. */
function splitUrl(rest: string): { credentials: string; hosts: string; path: string; query: string } {
  const q = rest.indexOf('?');
  const at = (q < 0 ? rest : rest.slice(0, q)).lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const [beforeQuery, query] = splitOnce(at >= 0 ? rest.slice(at + 1) : rest, '?');
  const [hosts, path] = splitOnce(beforeQuery, '/');
  return { credentials, hosts, path, query };
}

function parseHostPort(scheme: string, hp: string, defaultPort: number): { host: string; port: number } {
  let host: string;
  let port: string;
  if (hp.startsWith('[')) {
    const close = hp.indexOf(']');
    host = close < 0 ? '' : hp.slice(1, close);
    const after = close < 0 ? 'x' : hp.slice(close + 1);
    port = after === '' ? '' : after.startsWith(':') ? after.slice(1) : 'x';
  } else {
    [host, port] = splitOnce(hp, ':');
  }
  const n = port === '' ? defaultPort : /^[0-9]+$/.test(port) ? Number(port) : NaN;
  if (!host || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${scheme}:// URL: "${hp}" is not host:port (IPv6 as [addr]:port)`);
  return { host, port: n };
}

function parseQuery(scheme: string, query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&').filter(Boolean)) {
    const [name, value] = splitOnce(pair, '=');
    try {
      // decodeURIComponent, not URLSearchParams: a `+` in a password stays a `+`.
      params.set(decodeURIComponent(name), decodeURIComponent(value));
    } catch {
      throw new Error(`${scheme}:// URL: parameter "${name}" is not valid percent-encoding`);
    }
  }
  return params;
}

function decodeCredential(scheme: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Error(`${scheme}:// URL: the user name or password is not valid percent-encoding: percent-encode reserved characters (% as %25, ? as %3F, # as %23)`);
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}
