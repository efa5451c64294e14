/** Options of `TaskyardWorker.start()`. The `taskyard-worker run` command fills them from runtime-env.ts. */
export interface WorkerOptions {
  /** Redis URL. Default: $TASKYARD_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** BullMQ key prefix. Default "taskyard". */
  prefix?: string;
  /** Namespace of the queues (wire/keys.ts). Default: $TASKYARD_NAMESPACE, else $POD_NAMESPACE, else "default". */
  namespace?: string;
  /** Queue names in the namespace to consume, highest priority first (a free slot serves earlier queues first). Required. */
  queues: string[];
  /** Tasks run at once by this worker (= number of sandbox threads). Default 1. */
  concurrency?: number;
  /**
   * Tasks fetched ahead per queue beyond `concurrency` (Celery's prefetch): they wait in this
   * worker, still locked and unacknowledged, for a free sandbox, which hides the Redis round trip
   * between two tasks. 0 = fetch only when a sandbox is free. Default: equal to concurrency.
   */
  prefetch?: number;
  /** Bundle file or directory (ConfigMap mount, image path). Exactly one of bundlePath / bundleUrl. */
  bundlePath?: string;
  /** Bundle URL (one ES module file); `bundleSha256` is required with it. */
  bundleUrl?: string;
  /** Hex sha256 the downloaded bundle must match before any of it runs. */
  bundleSha256?: string;
  /** Port of /metrics, /healthz, /readyz; undefined = no HTTP server (the CLI defaults to 8080). */
  httpPort?: number;
  /** Address the HTTP server binds. Default 0.0.0.0. */
  httpHost?: string;
  /** WorkerPool name, for the registry and logs. */
  pool?: string;
  /** Pod name, for the registry and logs. Default: hostname. */
  podName?: string;
  /** debug | info | warn | error. Default info. */
  logLevel?: string;
  /** Writes one log line (tests capture it). Default: process.stdout. */
  logWrite?: (line: string) => void;
  /** BullMQ lock duration, ms: a dead worker's task runs again this long after its last lock renewal. Default 30000. */
  lockDurationMs?: number;
  /** How often stalled (lock-expired) tasks are looked for, ms. Default 30000. */
  stalledIntervalMs?: number;
  /** Registry heartbeat period, ms (entry TTL is 3x). Default 10000. */
  heartbeatMs?: number;
  /** After a revoke with terminate aborts ctx.signal, the sandbox is killed if the task is still running this much later, ms. Default 1000. */
  revokeGraceMs?: number;
  /** Without a hard limit, a task past its soft limit that ignores ctx.signal is killed this much later, ms. Default 1000. */
  softLimitGraceMs?: number;
  /** How often the queue policies and the revoked set are re-read in case a pub/sub message was missed, ms. Default 30000. */
  resyncMs?: number;
  /** How often expired results are removed (wire/retention.ts), ms. Default 5000. */
  retentionSweepMs?: number;
}
