/** A Taskyard Redis URL taken apart: one server, a Sentinel group or a Cluster. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; masterName: string; db?: number; username?: string; password?: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string };

/**
 * Parses `redis://` / `rediss://` (handed to ioredis as is), `redis-sentinel://[user:pass@]h:p[,h:p...]/<master>[?db=N]`
 * and `redis-cluster://[user:pass@]h:p[,h:p...]`. Pure. Throws an error naming the form expected (never echoing
 * the password) when the URL is not one of these.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const cut = url.indexOf('://');
  const scheme = cut < 0 ? '' : url.slice(0, cut);
  if (scheme === 'redis' || scheme === 'rediss') return { kind: 'single', url };
  if (scheme !== 'redis-sentinel' && scheme !== 'redis-cluster') {
    throw new Error(`Redis URL scheme "${scheme || '(none)'}" is not supported: use redis://, rediss://, redis-sentinel:// or redis-cluster://`);
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
      const n = port === '' ? 6379 : Number(port);
      if (!host || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${scheme}:// URL: "${hp}" is not host:port`);
      return { host, port: n };
    });
  if (nodes.length === 0) throw new Error(`${scheme}:// URL needs at least one host:port`);
  const auth = { ...(user ? { username: user } : {}), ...(password ? { password } : {}) };
  if (scheme === 'redis-cluster') return { kind: 'cluster', nodes, ...auth };
  if (!path) throw new Error('redis-sentinel:// URL needs the master name as its path: redis-sentinel://host:26379/mymaster');
  const db = new URLSearchParams(query).get('db');
  if (db !== null && !/^[0-9]+$/.test(db)) throw new Error(`redis-sentinel:// URL: db "${db}" must be a whole number`);
  return { kind: 'sentinel', sentinels: nodes, masterName: decodeURIComponent(path), ...(db !== null ? { db: Number(db) } : {}), ...auth };
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}
