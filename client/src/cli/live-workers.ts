import { taskyardKeys } from '@taskyard/api';
import type { Redis } from 'ioredis';

/** What the CLI reads from a worker's registry entry (`<prefix>:worker:<id>`); other fields are ignored. */
export interface LiveWorker {
  id: string;
  queues: string[];
  /** Task names its bundle defines, when the runtime publishes them. */
  tasks?: string[];
}

/** Heartbeats older than this mean the worker is gone (its registry entry has a 30 s TTL). */
const STALE_MS = 30_000;

/** Workers whose heartbeat is recent, with the queues they consume. */
export async function liveWorkers(redis: Redis, prefix: string): Promise<LiveWorker[]> {
  const keys = taskyardKeys(prefix);
  const ids = await redis.zrangebyscore(keys.workers, Date.now() - STALE_MS, '+inf');
  if (ids.length === 0) return [];
  const infos = await redis.mget(...ids.map((id) => keys.worker(id)));
  return ids.flatMap((id, i) => {
    const raw = infos[i];
    if (!raw) return [];
    try {
      const info = JSON.parse(raw) as { queues?: unknown; tasks?: unknown };
      const queues = Array.isArray(info.queues) ? info.queues.filter((q): q is string => typeof q === 'string') : [];
      const worker: LiveWorker = { id, queues };
      if (Array.isArray(info.tasks)) worker.tasks = info.tasks.filter((t): t is string => typeof t === 'string');
      return [worker];
    } catch {
      return [];
    }
  });
}
