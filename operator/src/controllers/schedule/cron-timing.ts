import { nextCronTime } from './next-cron-time.js';

/** The status refresh after a tick comes this long after it (the CronJob's own status change also triggers one). */
export const AFTER_TICK_MS = 2000;
/** A cron Schedule is looked at again at least this often. */
export const MAX_CRON_REQUEUE_MS = 3_600_000;
/** A job-scheduler Schedule (every < 1 min or not whole minutes) is looked at no more often than this. */
export const MIN_EVERY_REQUEUE_MS = 5000;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The next tick of a cron Schedule after `now` (epoch ms) as status shows it, and when to reconcile again:
 * shortly after that tick, at least 1 s and at most an hour from now. Pure.
 */
export function cronTiming(cron: string, timeZone: string, now: number): { nextScheduleTime: string; requeueAfterMs: number } {
  const next = nextCronTime(cron, timeZone, new Date(now)).getTime();
  return { nextScheduleTime: iso(next), requeueAfterMs: Math.min(Math.max(next - now + AFTER_TICK_MS, 1000), MAX_CRON_REQUEUE_MS) };
}

/** When to reconcile a job-scheduler Schedule again (its status shows the next run BullMQ computed). Pure. */
export function everyRequeueAfterMs(everyMs: number): number {
  return Math.max(everyMs, MIN_EVERY_REQUEUE_MS);
}
