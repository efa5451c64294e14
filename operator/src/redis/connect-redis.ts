import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from './parse-redis-url.js';

/** Options shared by every operator connection: fail fast instead of queueing commands forever. */
const common: RedisOptions = { maxRetriesPerRequest: 2, connectTimeout: 5000, enableReadyCheck: true };

/** An ioredis connection for a Taskyard Redis URL (forms: see parseRedisUrl). */
export function connectRedis(url: string): Redis | Cluster {
  const target = parseRedisUrl(url);
  switch (target.kind) {
    case 'single':
      return new Redis(target.url, common);
    case 'cluster': {
      const { nodes, kind: _kind, ...auth } = target;
      return new Cluster(nodes, { redisOptions: { ...common, ...auth } });
    }
    case 'sentinel': {
      const { sentinels, masterName, kind: _kind, ...rest } = target;
      return new Redis({ ...common, ...rest, sentinels, name: masterName });
    }
  }
}
