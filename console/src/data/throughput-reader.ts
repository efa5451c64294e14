import { taskyardKeys, type QueueRef, type RedisConnection } from '@taskyard/api/wire';

export const MINUTE_MS = 60_000;

export interface ThroughputSeries {
  /** Settled tasks in the last full minute. */
  lastMinute: number;
  /** Oldest first; the current (partial) minute last. */
  perMinute: Array<{ minute: number; count: number }>;
}

/**
 * Reads the runtime's per-minute counters `P:{ns/q}:ty:rate:<epoch minute>` (TTL 2 h), so rates survive a
 * console restart. One MGET per queue: every key of it carries the `{ns/q}` hash tag (one Cluster slot).
 */
export async function readThroughput(redis: RedisConnection, prefix: string, ref: QueueRef, minutes: number, now = Date.now()): Promise<ThroughputSeries> {
  const keys = taskyardKeys(prefix);
  const current = Math.floor(now / MINUTE_MS);
  const epochMinutes = Array.from({ length: minutes }, (_, i) => current - minutes + 1 + i);
  const values = await redis.mget(...epochMinutes.map((m) => keys.rate(ref, m)));
  const perMinute = epochMinutes.map((m, i) => ({ minute: m * MINUTE_MS, count: Number(values[i] ?? 0) || 0 }));
  return { lastMinute: perMinute.length >= 2 ? (perMinute[perMinute.length - 2]?.count ?? 0) : 0, perMinute };
}
