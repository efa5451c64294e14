import type { ScheduleSpec } from '@taskyard/api';
import { parseDuration } from '@taskyard/api';
import { everyToCron } from './every-to-cron.js';

/** How a Schedule runs: a CronJob (cron, or an `every` cron can express) or a BullMQ job scheduler. */
export type SchedulePlan =
  | { kind: 'cronJob'; cron: string; timeZone: string }
  | { kind: 'jobScheduler'; everyMs: number };

/** Picks the runner of a Schedule. Pure. */
export function schedulePlan(spec: Pick<ScheduleSpec, 'cron' | 'every' | 'timeZone'>): SchedulePlan {
  if (spec.cron !== undefined) return { kind: 'cronJob', cron: spec.cron.trim().replace(/\s+/g, ' '), timeZone: spec.timeZone ?? 'UTC' };
  if (spec.every === undefined) throw new Error('Schedule spec has neither cron nor every: set exactly one');
  const cron = everyToCron(spec.every);
  return cron !== undefined ? { kind: 'cronJob', cron, timeZone: 'UTC' } : { kind: 'jobScheduler', everyMs: parseDuration(spec.every) };
}
