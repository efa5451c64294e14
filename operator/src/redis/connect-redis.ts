import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Options shared by every operator connection: fail fast instead of queueing commands forever. */
const common: RedisOptions = { maxRetriesPerRequest: 2, connectTimeout: 5000, enableReadyCheck: true, lazyConnect: false };

/**
 * An ioredis connection from a Taskyard Redis URL:
 * - `redis://[user:pass@]host:port[/db]` and `rediss://...` (TLS);
 * - `redis-sentinel://[user:pass@]host:port[,host:port...]/<master name>[?db=N]`;
 * - `redis-cluster://[user:pass@]host:port[,host:port...]`.
 * Throws an error naming the URL form when the URL is not one of these (the password is never echoed).
 */
export function connectRedis(url: string): Redis | Cluster {
  const scheme = url.slice(0, url.indexOf('://'));
  if (scheme === 'redis' || scheme === 'rediss') return new Redis(url, common);
  if (scheme !== 'redis-sentinel' && scheme !== 'redis-cluster') {
    throw new Error(`Redis URL scheme "${scheme}" is not supported: use redis://, rediss://, redis-sentinel:// or redis-cluster://`);
  }
  const rest = url.slice(scheme.length + 3);
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const afterAuth = at >= 0 ? rest.slice(at + 1) : rest;
  const [hostPart = '', pathAndQuery = ''] = splitOnce(afterAuth, '/');
  const [path = '', query = ''] = splitOnce(pathAndQuery, '?');
  const [user, password] = credentials ? splitOnce(credentials, ':').map(decodeURIComponent) : [undefined, undefined];
  const nodes = hostPart.split(',').filter(Boolean).map((hp) => {
    const [host = '', port = '6379'] = splitOnce(hp, ':');
    return { host, port: Number(port) };
  });
  if (nodes.length === 0) throw new Error(`${scheme}:// URL needs at least one host:port`);
  const auth = { ...(user ? { username: user } : {}), ...(password ? { password } : {}) };
  if (scheme === 'redis-cluster') return new Cluster(nodes, { redisOptions: { ...common, ...auth } });
  if (!path) throw new Error('redis-sentinel:// URL needs the master name as its path: redis-sentinel://host:26379/mymaster');
  const db = new URLSearchParams(query).get('db');
  return new Redis({ ...common, ...auth, sentinels: nodes, name: decodeURIComponent(path), ...(db ? { db: Number(db) } : {}) });
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}
