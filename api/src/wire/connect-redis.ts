import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from './redis-url.js';

/**
 * How a process uses its connection:
 * - `worker`: BullMQ workers and anything that blocks (BRPOPLPUSH / BZPOPMIN): commands wait for a
 *   reconnect instead of failing (`maxRetriesPerRequest: null`, as BullMQ requires);
 * - `client`: SDK, CLI, console and beat pods: fail fast while Redis is down (no offline queue), so
 *   a call reports the outage instead of hanging (BullMQ's advice for producers). A command sent
 *   before the connection is `ready` fails too: wait for `ready` first (the SDK's connection guard
 *   and the console do);
 * - `operator`: a few retries, then the reconcile fails and is retried with backoff.
 */
export type ConnectionRole = 'worker' | 'client' | 'operator';

export interface ConnectOptions {
  role: ConnectionRole;
  /** Connect on the first command instead of at once. Default false. */
  lazyConnect?: boolean;
  /** Name shown by CLIENT LIST (e.g. `taskyard-worker`). */
  connectionName?: string;
  /** Extra ioredis options, applied last (to the nodes' options on a Cluster). */
  redisOptions?: RedisOptions;
}

/** A connection to a Taskyard Redis: one server, a Sentinel-managed master or a Cluster. */
export type RedisConnection = Redis | Cluster;

function roleOptions(role: ConnectionRole): RedisOptions {
  switch (role) {
    case 'worker':
      return { maxRetriesPerRequest: null, enableReadyCheck: true };
    case 'client':
      return { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000, enableAutoPipelining: true };
    case 'operator':
      return { maxRetriesPerRequest: 2, connectTimeout: 5000, enableReadyCheck: true };
  }
}

/**
 * The ioredis client for a Taskyard Redis URL (forms: redis-url.ts). After a Sentinel failover the
 * client reconnects to the new master (ioredis asks the sentinels again, and `failoverDetector`
 * follows +switch-master at once); a Cluster client follows MOVED/ASK and re-reads the slots.
 */
export function connectRedis(url: string, options: ConnectOptions): RedisConnection {
  const target = parseRedisUrl(url);
  const base: RedisOptions = {
    ...roleOptions(options.role),
    ...(options.lazyConnect ? { lazyConnect: true } : {}),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  switch (target.kind) {
    case 'single':
      return new Redis(target.url, { ...base, ...options.redisOptions });
    case 'sentinel': {
      const { sentinels, masterName, sentinelPassword, kind: _kind, ...auth } = target;
      return closingFailoverDetector(new Redis({
        ...base,
        ...auth,
        sentinels,
        name: masterName,
        ...(sentinelPassword ? { sentinelPassword } : {}),
        failoverDetector: true,
        ...options.redisOptions,
      }));
    }
    case 'cluster': {
      const { nodes, kind: _kind, ...auth } = target;
      const { enableOfflineQueue, enableAutoPipelining, lazyConnect, ...nodeOptions } = base;
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...nodeOptions, ...auth, ...options.redisOptions },
        ...(enableOfflineQueue === false ? { enableOfflineQueue: false } : {}),
        ...(enableAutoPipelining ? { enableAutoPipelining: true } : {}),
        ...(lazyConnect ? { lazyConnect: true } : {}),
        ...(nodeOptions.maxRetriesPerRequest === null ? { maxRedirections: 16 } : {}),
      };
      return new Cluster(nodes, clusterOptions);
    }
  }
}

/**
 * Makes a Sentinel connection close its failover detector (one +switch-master subscriber per
 * sentinel) when it ends: ioredis 6.0.0 closes them on disconnect() but not on quit(), so a process
 * that quits its connections never exits (redis/ioredis#1362; fixed upstream by #2198, unreleased).
 * `end` comes only when the connection is closed for good (a failover reconnects instead), and
 * disconnect() after it only closes the detector. Duplicates (BullMQ's blocking connections,
 * QueueEvents) get the same treatment.
 */
function closingFailoverDetector(conn: Redis): Redis {
  conn.on('end', () => conn.disconnect());
  const duplicate = conn.duplicate.bind(conn);
  conn.duplicate = ((override?: Partial<RedisOptions>) => closingFailoverDetector(duplicate(override))) as Redis['duplicate'];
  return conn;
}

/** True when the connection is a Redis Cluster client (multi-key commands must stay in one slot). */
export function isCluster(conn: RedisConnection): conn is Cluster {
  return (conn as Cluster).isCluster === true;
}
