import type { RedisOptions } from 'ioredis';
import type { RedisConnection } from '@taskyard/api/wire';

/** Options of `new TaskyardClient()`. */
export interface ClientOptions {
  /**
   * Kubernetes namespace of the queues this client uses (queue names are names in it). Default:
   * $TASKYARD_NAMESPACE, else $POD_NAMESPACE, else "default".
   */
  namespace?: string;
  /** Redis URL (redis://, rediss://, redis-sentinel://h:p,h:p/master, redis-cluster://h:p,h:p). Default: $TASKYARD_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** An existing connection (from connectRedis) to use instead of `redisUrl` (not closed by `close()`). */
  connection?: RedisConnection;
  /** Extra ioredis options for the connection the client opens. */
  redisOptions?: RedisOptions;
  /** BullMQ key prefix. Default: $TASKYARD_PREFIX, else "taskyard". */
  prefix?: string;
  /** Queue used when neither the options nor a route name one. Default "default". */
  defaultQueue?: string;
  /**
   * Route table (Celery's task_routes): task name pattern -> queue, first match wins. A pattern is
   * an exact name, a glob with `*` (e.g. "emails.*"), or a RegExp.
   */
  routes?: Array<[pattern: string | RegExp, queue: string]> | Record<string, string>;
  /** How long a queue's policy (read from Redis) is cached, ms. Default 5000. */
  policyCacheMs?: number;
}
