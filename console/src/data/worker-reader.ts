import { parseWorkerInfo, taskyardKeys, WORKER_LIVENESS_MS, type RedisConnection } from '@taskyard/api/wire';
import type { WorkerView } from '../schemas/worker-schemas.js';

/** Registry members whose heartbeat is older than this are no longer shown (the runtime trims them too). */
const FORGET_AFTER_MS = 10 * 60_000;

/** Workers of every given namespace, live ones first. */
export async function readWorkers(redis: RedisConnection, prefix: string, namespaces: readonly string[], now = Date.now()): Promise<WorkerView[]> {
  const all = (await Promise.all([...new Set(namespaces)].map((ns) => readNamespaceWorkers(redis, prefix, ns, now)))).flat();
  return all.sort((a, b) => Number(b.alive) - Number(a.alive) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.id.localeCompare(b.id));
}

/**
 * A namespace's workers from the runtime's registry (api/src/wire/worker-registry.ts): the zset
 * `P:{ns}:workers` (heartbeats) plus each worker's entry `P:{ns}:worker:<id>` (TTL 30 s), parsed with the
 * registry's own schema. Unlike `liveWorkers`, workers seen within the last 10 minutes stay listed, as
 * not alive, once their entry expired. One MGET: every key carries the `{ns}` hash tag (one Cluster slot).
 */
async function readNamespaceWorkers(redis: RedisConnection, prefix: string, namespace: string, now: number): Promise<WorkerView[]> {
  const keys = taskyardKeys(prefix);
  const entries = await redis.zrangebyscore(keys.workers(namespace), now - FORGET_AFTER_MS, '+inf', 'WITHSCORES');
  const ids: string[] = [];
  const beats: number[] = [];
  for (let i = 0; i + 1 < entries.length; i += 2) {
    ids.push(entries[i] as string);
    beats.push(Number(entries[i + 1]));
  }
  if (ids.length === 0) return [];
  const records = await redis.mget(...ids.map((id) => keys.worker(namespace, id)));
  return ids.map((id, i): WorkerView => {
    const raw = records[i];
    const info = raw ? parseWorkerInfo(raw) : undefined;
    const lastHeartbeat = info?.heartbeatAt ?? beats[i] ?? 0;
    return {
      id,
      namespace,
      ...(info?.pool !== undefined ? { pool: info.pool } : {}),
      ...(info ? { pod: info.pod, pid: info.pid, concurrency: info.concurrency, startedAt: info.startedAt, tasks: info.tasks } : {}),
      queues: info?.queues ?? [],
      active: info?.active ?? [],
      lastHeartbeat,
      alive: info !== undefined && now - lastHeartbeat <= WORKER_LIVENESS_MS,
      draining: info?.draining === true,
    };
  });
}
