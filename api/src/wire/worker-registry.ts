import { z } from 'zod';
import type { RedisConnection } from './connect-redis.js';
import type { TaskyardKeys } from './keys.js';
import { parseJsonAs } from './parse-json-as.js';

/**
 * The worker registry of a namespace: who consumes its queues, with which tasks, right now.
 *
 * | key                    | type   | written by | value |
 * |------------------------|--------|------------|-------|
 * | `P:{ns}:workers`       | zset   | runtime    | member worker id, score = last heartbeat (ms); members older than 2 min trimmed at each heartbeat |
 * | `P:{ns}:worker:<id>`   | string | runtime    | JSON `WorkerInfo` (below), TTL 30 s, rewritten every heartbeat (default 10 s) |
 *
 * Writer: `writeWorkerHeartbeat` / `removeWorker` (runtime). Reader: `liveWorkers` (CLI `workers`,
 * the CLI's unknown-task check, console, operator). Both keys carry the `{ns}` hash tag, so the
 * heartbeat MULTI and the reader's MGET stay in one Cluster slot.
 */
export const WorkerInfoSchema = z.object({
  /** `<pod or host>-<pid>-<random>`. */
  id: z.string().min(1),
  /** WorkerPool name, when run by the operator. */
  pool: z.string().optional(),
  /** Pod name (or host name outside Kubernetes). */
  pod: z.string(),
  /** Namespace whose queues the worker consumes (the registry it is in). */
  namespace: z.string(),
  pid: z.number().int(),
  /** Queue names (within the namespace) consumed, highest priority first. */
  queues: z.array(z.string()),
  /** Task names the worker's bundle defines: what it can run. */
  tasks: z.array(z.string()),
  /** Tasks run at once. */
  concurrency: z.number().int(),
  /** Ids of the tasks running now. */
  active: z.array(z.string()),
  /** Epoch ms the worker started. */
  startedAt: z.number(),
  /** Epoch ms of this heartbeat. */
  heartbeatAt: z.number(),
  /** True once the worker stopped taking tasks (SIGTERM). */
  draining: z.boolean(),
});

export type WorkerInfo = z.infer<typeof WorkerInfoSchema>;

/** A worker whose last heartbeat is older than this is not live (= the entry's TTL). */
export const WORKER_LIVENESS_MS = 30_000;
/** Members of the workers zset older than this are trimmed. */
const WORKERS_TRIM_MS = 120_000;

/** Writes one heartbeat: the worker's entry (TTL 30 s) and its score in the namespace's zset. One MULTI in the `{ns}` slot. */
export async function writeWorkerHeartbeat(conn: RedisConnection, keys: TaskyardKeys, info: WorkerInfo): Promise<void> {
  const checked = WorkerInfoSchema.parse(info);
  const replies = await conn
    .multi()
    .set(keys.worker(checked.namespace, checked.id), JSON.stringify(checked), 'PX', WORKER_LIVENESS_MS)
    .zadd(keys.workers(checked.namespace), checked.heartbeatAt, checked.id)
    .zremrangebyscore(keys.workers(checked.namespace), '-inf', checked.heartbeatAt - WORKERS_TRIM_MS)
    .exec();
  const failed = replies?.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}

/** Removes a worker's entry (clean shutdown). */
export async function removeWorker(conn: RedisConnection, keys: TaskyardKeys, namespace: string, id: string): Promise<void> {
  await conn.multi().del(keys.worker(namespace, id)).zrem(keys.workers(namespace), id).exec();
}

/**
 * The live workers of a namespace (heartbeat within WORKER_LIVENESS_MS of `now`), oldest first.
 * Entries that do not parse are skipped. One ZRANGEBYSCORE and one MGET, both in the `{ns}` slot.
 */
export async function liveWorkers(conn: RedisConnection, keys: TaskyardKeys, namespace: string, now = Date.now()): Promise<WorkerInfo[]> {
  const ids = await conn.zrangebyscore(keys.workers(namespace), now - WORKER_LIVENESS_MS, '+inf');
  if (ids.length === 0) return [];
  const raws = await conn.mget(...ids.map((id) => keys.worker(namespace, id)));
  const out: WorkerInfo[] = [];
  for (const raw of raws) {
    if (raw === null) continue;
    const info = parseWorkerInfo(raw);
    if (info && info.heartbeatAt >= now - WORKER_LIVENESS_MS) out.push(info);
  }
  return out;
}

/** A registry entry's JSON, or undefined when it is not a worker entry. */
export function parseWorkerInfo(raw: string): WorkerInfo | undefined {
  return parseJsonAs(WorkerInfoSchema, raw);
}

/** The task names live workers of a namespace serve on a queue, or undefined when no live worker consumes it. */
export function tasksServedOn(workers: readonly WorkerInfo[], queue: string): Set<string> | undefined {
  const serving = workers.filter((w) => w.queues.includes(queue) && !w.draining);
  if (serving.length === 0) return undefined;
  return new Set(serving.flatMap((w) => w.tasks));
}
