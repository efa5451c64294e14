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
 * password) when the URL is not one of the forms above.
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (typeof url !== 'string' || url.length === 0) throw new Error(`Redis URL is empty: use ${REDIS_URL_FORMS}`);
  const cut = url.indexOf('://');
  const scheme = cut < 0 ? '' : url.slice(0, cut);
  if (scheme === 'redis' || scheme === 'rediss') {
    try {
      new URL(url);
    } catch {
      throw new Error(`Redis URL ${maskRedisUrl(url)} is not a valid URL: use ${REDIS_URL_FORMS}`);
    }
    return { kind: 'single', url };
  }
  if (scheme !== 'redis-sentinel' && scheme !== 'redis-cluster') {
    throw new Error(`Redis URL scheme "${scheme || '(none)'}" is not supported: use ${REDIS_URL_FORMS}`);
  }
  const rest = url.slice(cut + 3);
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const [hostPart, pathAndQuery] = splitOnce(at >= 0 ? rest.slice(at + 1) : rest, '/');
  const [path, query] = splitOnce(pathAndQuery, '?');
  const [user, password] = credentials ? splitOnce(credentials, ':').map(decodeURIComponent) : ['', ''];
  const nodes = hostPart
    .split(',')
    .filter(Boolean)
    .map((hp) => {
      const [host, port] = splitOnce(hp, ':');
      const n = port === '' ? (scheme === 'redis-sentinel' ? 26379 : 6379) : Number(port);
      if (!host || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${scheme}:// URL: "${hp}" is not host:port`);
      return { host, port: n };
    });
  if (nodes.length === 0) throw new Error(`${scheme}:// URL needs at least one host:port`);
  const auth = { ...(user ? { username: user } : {}), ...(password ? { password } : {}) };
  if (scheme === 'redis-cluster') return { kind: 'cluster', nodes, ...auth };
  if (!path) throw new Error('redis-sentinel:// URL needs the master name as its path: redis-sentinel://host:26379/mymaster');
  const params = new URLSearchParams(query);
  const db = params.get('db');
  if (db !== null && !/^[0-9]+$/.test(db)) throw new Error(`redis-sentinel:// URL: db "${db}" must be a whole number`);
  const sentinelPassword = params.get('sentinelPassword');
  return {
    kind: 'sentinel',
    sentinels: nodes,
    masterName: decodeURIComponent(path),
    ...(db !== null ? { db: Number(db) } : {}),
    ...auth,
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

/** The URL with its password (and a sentinelPassword parameter) replaced by `***`: safe for logs and errors. */
export function maskRedisUrl(url: string): string {
  return url
    .replace(/^([a-z-]+:\/\/)([^@/]*@)/i, (_m, scheme: string, cred: string) => {
      const colon = cred.indexOf(':');
      return colon < 0 ? `${scheme}${cred}` : `${scheme}${cred.slice(0, colon)}:***@`;
    })
    .replace(/([?&]sentinelPassword=)[^&]*/i, '$1***');
}

/** Every occurrence of the URL's password in `text` replaced by `***` (for error messages that echo it). */
export function maskSecretIn(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join(maskRedisUrl(url));
  try {
    const target = parseRedisUrl(url);
    const secrets = target.kind === 'single' ? [decodeURIComponent(new URL(url).password)] : [target.password, target.kind === 'sentinel' ? target.sentinelPassword : undefined];
    for (const s of secrets) if (s) out = out.split(s).join('***');
  } catch {
    /* not a URL we can parse: nothing more to mask */
  }
  return out;
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}
