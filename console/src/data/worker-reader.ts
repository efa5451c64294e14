import { z } from 'zod';
import { taskyardKeys, type RedisConnection } from '@taskyard/api/wire';
import type { WorkerView } from '../schemas/worker-schemas.js';

/** Registry entries whose heartbeat is older than this are no longer shown. */
const FORGET_AFTER_MS = 10 * 60_000;

// Read leniently: the runtime owns this record; unknown fields are ignored, missing ones left out.
const WorkerRecordSchema = z.looseObject({
  pool: z.string().optional().catch(undefined),
  pod: z.string().optional().catch(undefined),
  namespace: z.string().optional().catch(undefined),
  host: z.string().optional().catch(undefined),
  hostname: z.string().optional().catch(undefined),
  pid: z.number().int().optional().catch(undefined),
  queues: z.array(z.string()).optional().catch(undefined),
  concurrency: z.number().int().optional().catch(undefined),
  active: z.array(z.string()).optional().catch(undefined),
  activeTasks: z.array(z.union([z.string(), z.object({ id: z.string() }).loose()])).optional().catch(undefined),
  startedAt: z.number().int().optional().catch(undefined),
  draining: z.boolean().optional().catch(undefined),
});

/** Workers of every given namespace, live ones first. */
export async function readWorkers(redis: RedisConnection, prefix: string, namespaces: readonly string[], now = Date.now()): Promise<WorkerView[]> {
  const all = (await Promise.all([...new Set(namespaces)].map((ns) => readNamespaceWorkers(redis, prefix, ns, now)))).flat();
  return all.sort((a, b) => Number(b.alive) - Number(a.alive) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.id.localeCompare(b.id));
}

/**
 * Lists a namespace's workers from the runtime's registry: the zset `P:{ns}:workers` (heartbeats) plus
 * each worker's JSON record `P:{ns}:worker:<id>` (TTL 30 s; gone = not alive). One GET per record.
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
  const records = await Promise.all(ids.map((id) => redis.get(keys.worker(namespace, id))));
  const workers = ids.map((id, i): WorkerView => {
    const raw = records[i];
    let record: z.infer<typeof WorkerRecordSchema> = {};
    if (raw) {
      try {
        const parsed = WorkerRecordSchema.safeParse(JSON.parse(raw));
        if (parsed.success) record = parsed.data;
      } catch {
        // a torn or foreign record: show the worker with what the zset knows
      }
    }
    const active = record.active ?? (record.activeTasks ?? []).map((t) => (typeof t === 'string' ? t : t.id));
    const host = record.host ?? record.hostname;
    return {
      id,
      ...(record.pool !== undefined ? { pool: record.pool } : {}),
      ...(record.pod !== undefined ? { pod: record.pod } : {}),
      namespace,
      ...(host !== undefined ? { host } : {}),
      ...(record.pid !== undefined ? { pid: record.pid } : {}),
      queues: record.queues ?? [],
      ...(record.concurrency !== undefined ? { concurrency: record.concurrency } : {}),
      active: raw ? active : [],
      ...(record.startedAt !== undefined ? { startedAt: record.startedAt } : {}),
      lastHeartbeat: beats[i] ?? 0,
      alive: raw !== null && raw !== undefined,
      draining: record.draining === true,
    };
  });
  return workers;
}
