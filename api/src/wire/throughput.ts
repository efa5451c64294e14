import type { RedisConnection } from './connect-redis.js';
import type { QueueRef, TaskyardKeys } from './keys.js';

/**
 * Throughput per queue: `P:{ns/q}:ty:rate:<epoch minute>` counts the tasks that settled in that
 * minute (TTL 2 h). Workers add their counts every few seconds; the console (and anyone charting a
 * queue) reads them, so rates survive a console restart. Every key of a queue is in its `{ns/q}`
 * slot, so the reader's MGET never crosses slots.
 */
export const MINUTE_MS = 60_000;
const RATE_TTL_SECONDS = 7200;

export interface ThroughputSeries {
  /** Settled tasks in the last full minute. */
  lastMinute: number;
  /** Oldest first; the current (partial) minute last. `minute` is the minute's start (ms). */
  perMinute: Array<{ minute: number; count: number }>;
}

/** Adds `count` settled tasks of a queue to the minute of `now` (one INCRBY + EXPIRE in the queue's slot). */
export async function addThroughput(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, count: number, now = Date.now()): Promise<void> {
  const key = keys.rate(ref, Math.floor(now / MINUTE_MS));
  await conn.multi().incrby(key, count).expire(key, RATE_TTL_SECONDS).exec();
}

/** The last `minutes` minutes of a queue's throughput, the current minute last. */
export async function readThroughput(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, minutes: number, now = Date.now()): Promise<ThroughputSeries> {
  const current = Math.floor(now / MINUTE_MS);
  const epochMinutes = Array.from({ length: minutes }, (_, i) => current - minutes + 1 + i);
  const values = await conn.mget(...epochMinutes.map((m) => keys.rate(ref, m)));
  const perMinute = epochMinutes.map((m, i) => ({ minute: m * MINUTE_MS, count: Number(values[i] ?? 0) || 0 }));
  return { lastMinute: perMinute.length >= 2 ? (perMinute[perMinute.length - 2]?.count ?? 0) : 0, perMinute };
}
