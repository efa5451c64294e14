import type { Logger, LogLevel } from '@taskyard/api';
import type { RedisConnection } from '@taskyard/api/wire';
import type { KubeConnection } from './kube/kube-connection.js';

/** Options of `startConsole()`. Every field is optional; environment variables fill the gaps. */
export interface ConsoleOptions {
  /**
   * Redis URL (redis://, rediss://, redis-sentinel://h:p,h:p/master, redis-cluster://h:p,h:p; opened with
   * connectRedis, role client). Default: $TASKYARD_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379.
   */
  redisUrl?: string;
  /** BullMQ key prefix. Default: $TASKYARD_PREFIX, else "taskyard". */
  prefix?: string;
  /** Interface to listen on. Default: $TASKYARD_CONSOLE_HOST, else 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default: $TASKYARD_CONSOLE_PORT, else 5555 (Flower's). */
  port?: number;
  /**
   * Bearer token. Default: $TASKYARD_CONSOLE_TOKEN; else the file in `tokenFile` /
   * $TASKYARD_CONSOLE_TOKEN_FILE (a mounted Secret, re-read every 5 s); else a random token that is
   * logged at start and returned in the handle.
   */
  token?: string;
  /** File holding the bearer token (see `token`). */
  tokenFile?: string;
  /** Queues (`ns/q` or `q`) shown even before their first task. Default: $TASKYARD_QUEUES (comma-separated), else none. */
  queues?: string[];
  /**
   * Namespace of queues and tasks written without one (`q` = `<defaultNamespace>/q`). The console shows the
   * queues of every namespace whatever this is. Default: $TASKYARD_NAMESPACE, else "default".
   */
  defaultNamespace?: string;
  /** Queue (`ns/q` or `q`) of enqueue requests that name none. Default "default". */
  defaultQueue?: string;
  /** Namespace whose Schedules are listed. Default: $TASKYARD_CONSOLE_NAMESPACE, else all namespaces. */
  namespace?: string;
  /** Kubernetes API to read Schedules from; null = none. Default: $KUBECONFIG, else in-cluster, else ~/.kube/config, else none. */
  kube?: KubeConnection | null;
  /** Log threshold. Default: $TASKYARD_LOG_LEVEL, else info. */
  logLevel?: LogLevel;
  /** A logger to use instead of Taskyard's JSON lines (stdout; errors on stderr). */
  logger?: Logger;
  /** Validate every response against its schema (tests). Default false. */
  checkResponses?: boolean;
  /** How often live updates are pushed, ms. Default 1000. */
  liveIntervalMs?: number;
  /** Largest request body, bytes. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Use this Redis connection (from connectRedis) instead of opening one (not closed by `close()`). */
  connection?: RedisConnection;
}

/** What `startConsole()` returns. */
export interface ConsoleHandle {
  /** Base URL, e.g. http://127.0.0.1:5555 */
  url: string;
  port: number;
  /** The bearer token in force (the generated one when none was configured). */
  token: string;
  /** Stops listening, ends live streams and closes the Redis connections it opened. */
  close(): Promise<void>;
}
