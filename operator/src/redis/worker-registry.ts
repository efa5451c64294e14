import { taskyardKeys, type RedisConnection } from '@taskyard/api/wire';

/** What the operator reads of a worker's registry entry (`<prefix>:worker:<id>`, written by the runtime). */
export interface WorkerEntry {
  id: string;
  pool?: string;
  pod?: string;
  namespace?: string;
  queues: string[];
  /** Tasks running now. */
  activeTasks: number;
}

/** Heartbeats older than this are dead workers (the runtime refreshes every few seconds, entries live 30 s). */
const LIVE_MS = 30_000;

/** Workers of a namespace with a recent heartbeat, from the registry the runtime writes (api/src/wire/keys.ts). */
export async function readLiveWorkers(redis: RedisConnection, prefix: string, namespace: string, now: number): Promise<WorkerEntry[]> {
  const keys = taskyardKeys(prefix);
  const ids = await redis.zrangebyscore(keys.workers(namespace), now - LIVE_MS, '+inf');
  if (ids.length === 0) return [];
  // One GET per id (not MGET): on Redis Cluster the keys may live on different slots.
  const raws = await Promise.all(ids.map((id) => redis.get(keys.worker(namespace, id))));
  const entries: WorkerEntry[] = [];
  raws.forEach((raw, i) => {
    if (!raw) return;
    try {
      const info = JSON.parse(raw) as Record<string, unknown>;
      const active = info.active;
      entries.push({
        id: ids[i] as string,
        ...(typeof info.pool === 'string' ? { pool: info.pool } : {}),
        ...(typeof info.pod === 'string' ? { pod: info.pod } : {}),
        ...(typeof info.namespace === 'string' ? { namespace: info.namespace } : {}),
        queues: Array.isArray(info.queues) ? info.queues.filter((q): q is string => typeof q === 'string') : [],
        activeTasks: Array.isArray(active) ? active.length : typeof active === 'number' ? active : 0,
      });
    } catch {
      // A malformed entry is skipped; the worker rewrites it at its next heartbeat.
    }
  });
  return entries;
}
