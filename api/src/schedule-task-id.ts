/**
 * The task id of one Schedule tick: `sched-<scheduleUid>-<minutes since the Unix epoch>`.
 *
 * The tick is truncated to the minute (cron's resolution), so every beat pod started for the
 * same scheduled minute - a retried Job, a doubled CronJob run - computes the same id, and BullMQ
 * keeps only the first job with a given id: the tick enqueues once. The minute number is the same
 * suffix Kubernetes gives a CronJob's Job (`<cronjob>-<minutes since epoch>`), so ids and Job
 * names can be matched by eye. The result is BullMQ-safe: no `:`, never an integer.
 *
 * Pure: throws on an empty uid, a uid with characters outside `[A-Za-z0-9._-]`, or an invalid date.
 */
export function scheduleTaskId(scheduleUid: string, tick: Date): string {
  if (!/^[A-Za-z0-9._-]+$/.test(scheduleUid)) {
    throw new Error(
      `scheduleTaskId: scheduleUid ${JSON.stringify(scheduleUid)} must be non-empty and use only letters, digits, '.', '_' or '-' (pass the Schedule's metadata.uid)`,
    );
  }
  const ms = tick.getTime();
  if (!Number.isFinite(ms)) {
    throw new Error('scheduleTaskId: tick is not a valid date (pass the scheduled time, e.g. new Date("2026-01-01T00:05:00Z"))');
  }
  return `sched-${scheduleUid}-${tickMinute(tick)}`;
}

/** Minutes since the Unix epoch of a tick (floor), the unit of CronJob Job name suffixes. */
export function tickMinute(tick: Date): number {
  return Math.floor(tick.getTime() / 60_000);
}
