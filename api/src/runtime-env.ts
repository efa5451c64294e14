/**
 * The environment contract between the operator (which renders worker and beat pods) and the worker
 * runtime (which reads it). This file is the one place it is written down; both sides import it.
 *
 * | variable                 | who sets it                    | meaning                                                        |
 * |--------------------------|--------------------------------|----------------------------------------------------------------|
 * | TASKYARD_REDIS_URL       | operator (from TaskQueue/default) | redis://, rediss://, redis-sentinel:// or redis-cluster:// URL |
 * | TASKYARD_PREFIX          | operator                       | BullMQ key prefix; default "taskyard"                          |
 * | TASKYARD_QUEUES          | operator (WorkerPool.spec.queues) | comma-separated queue names, highest priority first         |
 * | TASKYARD_CONCURRENCY     | operator (WorkerPool.spec.concurrency) | tasks run at once per replica; default 1               |
 * | TASKYARD_BUNDLE_PATH     | operator (configMap / image bundle) | file or directory holding the task bundle module          |
 * | TASKYARD_BUNDLE_URL      | operator (url bundle)          | https/http URL of the bundle (an ES module file)               |
 * | TASKYARD_BUNDLE_SHA256   | operator (url bundle)          | hex digest the downloaded bundle must match before it runs     |
 * | TASKYARD_HTTP_PORT       | operator                       | port of /metrics, /healthz, /readyz; default 8080              |
 * | TASKYARD_POOL            | operator                       | WorkerPool name, shown in the worker registry                  |
 * | TASKYARD_LOG_LEVEL       | user (template.env)            | debug, info, warn, error; default info                         |
 * | TASKYARD_PREFETCH        | user (template.env, optional)  | tasks fetched ahead per queue beyond concurrency; default = concurrency |
 * | TASKYARD_LOCK_DURATION_MS | user / tests (optional)       | BullMQ lock of a running task; a dead worker's task reruns after it; default 30000 |
 * | TASKYARD_STALLED_INTERVAL_MS | user / tests (optional)    | how often lock-expired (stalled) tasks are re-queued; default 30000 |
 * | TASKYARD_NAMESPACE       | operator (the pool's / schedule's namespace) | namespace of the queues this process uses; else POD_NAMESPACE, else `default` |
 * | POD_NAME, POD_NAMESPACE  | operator (downward API)        | identity of the worker in the registry and in logs             |
 * | JOB_NAME                 | operator (downward API, beat pods) | the CronJob's Job name; its suffix is the tick in minutes  |
 */
export const RuntimeEnv = {
  redisUrl: 'TASKYARD_REDIS_URL',
  prefix: 'TASKYARD_PREFIX',
  queues: 'TASKYARD_QUEUES',
  concurrency: 'TASKYARD_CONCURRENCY',
  bundlePath: 'TASKYARD_BUNDLE_PATH',
  bundleUrl: 'TASKYARD_BUNDLE_URL',
  bundleSha256: 'TASKYARD_BUNDLE_SHA256',
  httpPort: 'TASKYARD_HTTP_PORT',
  pool: 'TASKYARD_POOL',
  logLevel: 'TASKYARD_LOG_LEVEL',
  podName: 'POD_NAME',
  podNamespace: 'POD_NAMESPACE',
  namespace: 'TASKYARD_NAMESPACE',
  jobName: 'JOB_NAME',
  prefetch: 'TASKYARD_PREFETCH',
  lockDurationMs: 'TASKYARD_LOCK_DURATION_MS',
  stalledIntervalMs: 'TASKYARD_STALLED_INTERVAL_MS',
} as const;

export const DEFAULT_PREFIX = 'taskyard';

/** The namespace of a process's queues: TASKYARD_NAMESPACE, else POD_NAMESPACE, else `default`. */
export function namespaceFromEnv(env: Record<string, string | undefined> = process.env): string {
  return env.TASKYARD_NAMESPACE || env.POD_NAMESPACE || 'default';
}
export const DEFAULT_HTTP_PORT = 8080;
/** Where the operator mounts a bundle inside worker pods (configMap and image sources). */
export const BUNDLE_MOUNT_DIR = '/bundle';
/** Default maximum size of a task's JSON arguments (args + kwargs), in bytes. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
/** The worker runtime image's entry commands. */
export const RuntimeCommand = {
  /** Runs the worker: `taskyard-worker run` (the image's default). */
  run: ['taskyard-worker', 'run'],
  /**
   * Enqueues one task for a Schedule tick: `taskyard-worker enqueue --queue Q --task NAME
   * --args JSON --kwargs JSON --options JSON --schedule-id UID --tick ISO|--job-name NAME`.
   * The task id is scheduleTaskId(scheduleId, tick), so a doubled beat pod enqueues once.
   */
  enqueue: ['taskyard-worker', 'enqueue'],
} as const;
