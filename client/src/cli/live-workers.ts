import { taskyardKeys, type RedisConnection } from '@taskyard/api/wire';

/** What the CLI reads from a worker's registry entry (`P:{ns}:worker:<id>`); other fields are ignored. */
export interface LiveWorker {
  id: string;
  queues: string[];
  /** Task names its bundle defines, when the runtime publishes them. */
  tasks?: string[];
}

/** Heartbeats older than this mean the worker is gone (its registry entry has a 30 s TTL). */
const STALE_MS = 30_000;

/** Workers of a namespace whose heartbeat is recent, with the queues they consume (keys of one `{ns}` slot). */
export async function liveWorkers(redis: RedisConnection, prefix: string, namespace: string): Promise<LiveWorker[]> {
  const keys = taskyardKeys(prefix);
  const ids = await redis.zrangebyscore(keys.workers(namespace), Date.now() - STALE_MS, '+inf');
  const infos = await Promise.all(ids.map((id) => redis.get(keys.worker(namespace, id))));
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
